# The two quick-start commands:  `make demo`  and  `make test`  (CI runs `make test`).
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck pytest qbittorrent qbittorrent-versions docs screenshots bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

# qbittorrent-nox from the system's packages (Debian/Ubuntu); root installs it directly.
qbittorrent:
	@command -v qbittorrent-nox >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq qbittorrent-nox; \
	  else echo "installing qbittorrent-nox (sudo)"; sudo apt-get update -qq && sudo apt-get install -y -qq qbittorrent-nox; fi; }

# The tested releases (4.5, 5.1, 5.3): the machine's own, the others from minimal Debian roots
# under .qbittorrent-versions/ (debootstrap + chroot, root only; a few minutes the first time,
# nothing after). See qbitrr_tui/sandbox/versions.py.
qbittorrent-versions: $(STAMP) qbittorrent
	@if [ "$$(id -u)" = 0 ]; then $(PY) -m qbitrr_tui.sandbox.versions build; \
	else sudo $(PY) -m qbitrr_tui.sandbox.versions build; fi

demo: $(STAMP) qbittorrent
	$(VENV)/bin/qbitrr-tui demo

test: lint typecheck pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check qbitrr_tui tests bench
	$(VENV)/bin/ruff format --check qbitrr_tui tests bench

typecheck: $(STAMP)
	$(VENV)/bin/mypy

pytest: $(STAMP) qbittorrent qbittorrent-versions
	$(VENV)/bin/pytest -q -p no:cacheprovider

docs: $(STAMP)
	$(PY) -m qbitrr_tui.config.reference > docs/configuration.md

# rsvg-convert turns the dashboard's SVG screenshots into PNGs.
screenshots: $(STAMP) qbittorrent
	@command -v rsvg-convert >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq librsvg2-bin; \
	  else sudo apt-get install -y -qq librsvg2-bin; fi; }
	$(VENV)/bin/qbitrr-tui screenshot --out screenshots

# The benchmarks of bench/RESULTS.md: ours side by side with qBitrr2 5.12.12 and with the
# newest qBitrr2 (each in a fresh sandbox) at 3 x 10k and 3 x 30k on each tested release
# (an hour or more; qBitrr2 is installed from PyPI into venvs under .bench-cache/, the newest
# on Python 3.13 from a Debian 13 root made there once: root, like qbittorrent-versions),
# then the dashboard at 30k rows. qBitrr2 gets 12 minutes of warm-up (at 3 x 30k its first
# pass over every torrent takes longer than 8; ours gets its own default).
BENCH_SIZES ?= 10000,30000
BENCH_QBITRR2_WARMUP ?= 720
bench: $(STAMP) qbittorrent qbittorrent-versions
	for v in 4.5 5.1 5.3; do $(PY) -m bench.scale --sizes $(BENCH_SIZES) --qbittorrent $$v \
	  --qbitrr2-warmup $(BENCH_QBITRR2_WARMUP) || exit 1; done
	$(PY) -m bench.dashboard --torrents 30000 --updates 10

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
