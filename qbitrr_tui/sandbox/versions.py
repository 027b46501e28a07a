"""The qBittorrent releases the sandbox can start: the machine's own, and others from Debian.

Most users run qBittorrent 5, some still 4.x, and many a mix. The tests and the demo run the
real binaries of every release in ``MATRIX``, whatever the machine's Debian release: the
machine's own ``qbittorrent-nox`` covers one, and each other one runs from a minimal Debian
root (``debootstrap --variant=minbase``) through a wrapper that enters a private mount
namespace, binds ``/tmp`` (where sandbox profiles and downloads live, so paths are the same
inside and out) and ``/proc``, then ``exec``s ``chroot``. Every step ``exec``s, so the
wrapper's PID is qBittorrent's PID: the sandbox stops it by PID as usual, and the mounts vanish
with it.

``python -m qbitrr_tui.sandbox.versions build`` (``make qbittorrent-versions``) makes the
roots, once, under ``.qbittorrent-versions/`` (git-ignored); ``list`` shows what is there.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from qbitrr_tui.errors import UserError

# The releases the project is tested on: "major.minor" → the Debian suite that ships it.
MATRIX: dict[str, str] = {"4.5": "bookworm", "5.1": "trixie", "5.3": "sid"}
MIRROR = "http://deb.debian.org/debian"
BINARY_ENV = "QBITRR_TUI_QBITTORRENT"  # one binary for every sandbox instance
CACHE_ENV = "QBITRR_TUI_QBITTORRENT_VERSIONS"  # where the Debian roots live
WRAPPER_NAME = "qbittorrent-nox"

# Every step execs, so this PID is qBittorrent's. $TMPDIR is bound too when it is elsewhere.
_WRAPPER = """#!/bin/sh
# qbittorrent-nox {version} from a minimal Debian {suite} root (made by qbitrr-tui).
exec unshare --mount --propagation private sh -c \\
  'mount --bind /tmp "$0/tmp" && mount -t proc proc "$0/proc" || exit 1
   case "${{TMPDIR:-/tmp}}" in /tmp|/tmp/*) ;; *)
     mkdir -p "$0$TMPDIR" && mount --bind "$TMPDIR" "$0$TMPDIR" || exit 1 ;; esac
   exec chroot "$0" /usr/bin/qbittorrent-nox "$@"' \\
  "{root}" "$@"
"""


@dataclass(frozen=True, slots=True)
class Binary:
    """One runnable qbittorrent-nox and the release it reports."""

    path: str
    version: str  # "5.1.0"

    @property
    def series(self) -> str:
        """``major.minor``: the matrix key."""
        return ".".join(self.version.split(".")[:2])


def cache_dir() -> Path:
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / ".qbittorrent-versions"


def binary_version(path: str) -> str | None:
    """``qbittorrent-nox --version`` → ``"4.5.2"``, or None when it does not run."""
    try:
        done = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"v(\d+\.\d+(?:\.\d+)?)", done.stdout + done.stderr)
    return found.group(1) if found else None


def available() -> dict[str, Binary]:
    """Every release that can run here, by series; the machine's own one first."""
    found: dict[str, Binary] = {}
    own = shutil.which("qbittorrent-nox")
    candidates = [own] if own else []
    root = cache_dir()
    if root.is_dir():
        candidates += [str(p / WRAPPER_NAME) for p in sorted(root.iterdir()) if p.is_dir()]
    for path in candidates:
        if not os.access(path, os.X_OK):
            continue
        version = _cached_version(path)
        if version is not None:
            found.setdefault(Binary(path, version).series, Binary(path, version))
    return found


def _cached_version(path: str) -> str | None:
    """The version, from the note the build left beside a wrapper (a chroot start costs
    a second), else by running it."""
    note = Path(path).parent / "version"
    if note.is_file():
        return note.read_text().strip() or None
    return binary_version(path)


def binary_for(series: str) -> str:
    """The path of a qbittorrent-nox of ``series`` ("5.1"), or a UserError saying how to
    get one."""
    found = available().get(series)
    if found is None:
        have = ", ".join(sorted(available())) or "none"
        raise UserError(
            f"qBittorrent {series} is not available here (have: {have}); "
            "run `make qbittorrent-versions` as root to add the tested releases"
        )
    return found.path


def default_binary() -> str | None:
    """``$QBITRR_TUI_QBITTORRENT`` (a path, or a series such as ``5.3``) when set."""
    chosen = os.environ.get(BINARY_ENV, "").strip()
    if not chosen:
        return None
    if re.fullmatch(r"\d+\.\d+", chosen):
        return binary_for(chosen)
    return chosen


# --- building the roots ----------------------------------------------------------------
def build(series: list[str], *, log: Path) -> dict[str, str]:
    """Make a Debian root for each release of ``series`` that the machine's own
    qbittorrent-nox is not; idempotent (a root that is there is kept, its wrapper rewritten).
    Returns what went wrong, by series (empty when all is well)."""
    own = shutil.which("qbittorrent-nox")
    own_version = binary_version(own) if own else None
    own_series = Binary(own, own_version).series if own and own_version else None
    missing = [s for s in series if s != own_series]
    if not missing:
        return {}
    if os.geteuid() != 0:
        return dict.fromkeys(missing, "needs root (debootstrap and chroot)")
    _ensure_host_tools()
    with ThreadPoolExecutor(max_workers=len(missing)) as pool:
        outcomes = dict(zip(missing, pool.map(lambda s: _build_one(s, log), missing), strict=True))
    return {s: error for s, error in outcomes.items() if error}


def _ensure_host_tools() -> None:
    if shutil.which("debootstrap") is None:
        _run(["apt-get", "update", "-qq"], Path(os.devnull))
        _run(["apt-get", "install", "-y", "-qq", "debootstrap"], Path(os.devnull))


def _build_one(series: str, log: Path) -> str | None:
    suite = MATRIX[series]
    root = cache_dir() / suite
    fs = root / "root"
    step_log = log.with_name(f"{log.stem}-{suite}.log")
    if not (fs / "usr/bin/qbittorrent-nox").exists():
        if fs.exists():
            shutil.rmtree(fs)  # a build that was cut short: start again
        try:
            _make_root(suite, fs, step_log)
        except subprocess.CalledProcessError as exc:
            return f"{' '.join(exc.cmd[:3])}… failed; see {step_log}"
    wrapper = root / WRAPPER_NAME
    wrapper.write_text(_WRAPPER.format(version=series, suite=suite, root=fs))
    wrapper.chmod(0o755)
    version = binary_version(str(wrapper))
    if version is None:
        return f"the {suite} root's qbittorrent-nox does not start; see {step_log}"
    (root / "version").write_text(version + "\n")
    if not version.startswith(series + "."):
        return f"Debian {suite} now ships qBittorrent {version}, not {series}.x"
    return None


def _make_root(suite: str, fs: Path, step_log: Path) -> None:
    fs.parent.mkdir(parents=True, exist_ok=True)
    _run(["debootstrap", "--variant=minbase", suite, str(fs), MIRROR], step_log)
    # Debian unstable's Release files expire; a mirror snapshot is still what we want.
    (fs / "etc/apt/apt.conf.d/99qbitrr-tui").write_text('Acquire::Check-Valid-Until "false";\n')
    env = {"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
    _run(["chroot", str(fs), "apt-get", "update", "-qq"], step_log, env)
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "qbittorrent-nox"]
    _run(["chroot", str(fs), *install], step_log, env)


def _run(command: list[str], log: Path, env: dict[str, str] | None = None) -> None:
    with log.open("a") as out:
        subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, env=env, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qbitrr_tui.sandbox.versions")
    parser.add_argument("command", choices=("build", "list"))
    parser.add_argument("--series", default=",".join(MATRIX), help="e.g. 4.5,5.1,5.3")
    args = parser.parse_args(argv)
    series = [s.strip() for s in args.series.split(",") if s.strip()]
    unknown = [s for s in series if s not in MATRIX]
    if unknown:
        print(f"unknown series {', '.join(unknown)}; known: {', '.join(MATRIX)}", file=sys.stderr)
        return 2
    if args.command == "build":
        cache_dir().mkdir(parents=True, exist_ok=True)
        problems = build(series, log=cache_dir() / "build.log")
        for name, problem in problems.items():
            print(f"qBittorrent {name}: {problem}", file=sys.stderr)
        if problems:
            return 1
    for name, binary in sorted(available().items()):
        print(f"{name}\t{binary.version}\t{binary.path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
