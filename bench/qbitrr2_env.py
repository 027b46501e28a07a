"""qBitrr2 for the benchmark: a release from PyPI in its own venv, on a Python that runs it.

qBitrr2 5.12.12 is the newest release that installs on Python 3.11 (the machine's); later
releases need Python >= 3.12. For those, a Python from Debian 13 (trixie: python3.13) runs
from a minimal Debian root (``debootstrap --variant=minbase``), built once under the bench
cache, through a wrapper like the qBittorrent releases' one (qbitrr_tui/sandbox/versions.py):
a private mount namespace binds ``/tmp`` (the scenario's folders: same paths inside and out)
and ``/proc``, then ``exec``s ``chroot``, so the wrapper's PID is qBitrr2's and its worker
processes stay in its process group. The network is the host's: the proxies on loopback are
reached as they are by every other engine.

    spec "5.12.12"   → qBitrr2==5.12.12 in a venv of this Python (``sys.executable``)
    spec "newest"    → the newest qBitrr2 that pip resolves for Debian 13's Python 3.13

Building the root needs root (debootstrap, chroot), as ``make qbittorrent-versions`` does.
The cache is ``$QBITRR_TUI_BENCH_CACHE``, else ``.bench-cache/`` in the checkout (git-ignored).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

MIRROR = "http://deb.debian.org/debian"
SUITE = "trixie"
PYTHON = "python3.13"
CACHE_ENV = "QBITRR_TUI_BENCH_CACHE"
# qBitrr2 imports ujson without declaring it (5.12.12 and 5.14.7.post2 alike).
EXTRA = ["ujson"]
# A folder that exists inside the root as well (bound), to run its programs from.
INSIDE_CWD = tempfile.gettempdir()

# Every step execs, so this PID is the program's. $TMPDIR is bound too when it is elsewhere;
# the working directory is kept (chroot alone would start in /).
_WRAPPER = """#!/bin/sh
# {python} from a minimal Debian {suite} root (made by bench/qbitrr2_env.py).
exec unshare --mount --propagation private sh -c \\
  'mount --bind /tmp "$0/tmp" && mount -t proc proc "$0/proc" || exit 1
   case "${{TMPDIR:-/tmp}}" in /tmp|/tmp/*) ;; *)
     mkdir -p "$0$TMPDIR" && mount --bind "$TMPDIR" "$0$TMPDIR" || exit 1 ;; esac
   exec chroot "$0" /usr/bin/env --chdir="$PWD" "$@"' \\
  "{root}" "$@"
"""


@dataclass(frozen=True, slots=True)
class Qbitrr2:
    """One installed qBitrr2: how to start it and what it is."""

    version: str  # "5.14.7.post2"
    python: str  # "3.13.5 (Debian 13 root)"
    command: tuple[str, ...]  # argv that starts qBitrr2
    env: dict[str, str]  # its whole environment, less the bench's own variables

    @property
    def label(self) -> str:
        return f"qBitrr2 {self.version}"


def cache_dir() -> Path:
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[1] / ".bench-cache"


def ensure(spec: str) -> Qbitrr2:
    """Install (once) and describe the qBitrr2 of ``spec``: a version, or ``newest``."""
    if spec == "newest":
        return _ensure_in_root()
    return _ensure_on_host(spec)


# --- on this machine's Python ------------------------------------------------------------
def _ensure_on_host(version: str) -> Qbitrr2:
    venv = cache_dir() / f"qbitrr2-{version}"
    qbitrr = venv / "bin" / "qbitrr"
    if not qbitrr.exists():
        print(f"  installing qBitrr2 {version} from PyPI into {venv} …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, f"qBitrr2=={version}", *EXTRA], check=True)
    installed = _installed_version([str(venv / "bin" / "python")], os.environ.copy())
    python = ".".join(map(str, sys.version_info[:3]))
    return Qbitrr2(installed, f"{python} (this machine)", (str(qbitrr),), os.environ.copy())


def _installed_version(python: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [*python, "-c", "import importlib.metadata as m; print(m.version('qBitrr2'))"],
        capture_output=True,
        text=True,
        env=env,
        cwd=INSIDE_CWD,
        check=True,
        timeout=120,
    )
    return done.stdout.strip()


# --- on Debian 13's Python, from a Debian root -----------------------------------------
def _ensure_in_root() -> Qbitrr2:
    home = cache_dir() / f"python-{SUITE}"
    fs = home / "root"
    wrapper = home / PYTHON
    if not (fs / "usr/lib" / PYTHON / "ensurepip").exists():
        _build_root(fs, home / "build.log")
    wrapper.write_text(_WRAPPER.format(python=PYTHON, suite=SUITE, root=fs))
    wrapper.chmod(0o755)
    # Inside: a clean environment (the host's PATH and pip settings point at host files).
    env = {
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": "/root",
        "LANG": "C.UTF-8",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_CERT": "/etc/ssl/host-ca-certificates.crt",
    }
    # pip inside trusts what pip outside does (a machine may reach PyPI through its own CA).
    host_ca = os.environ.get("PIP_CERT") or "/etc/ssl/certs/ca-certificates.crt"
    if Path(host_ca).is_file():
        shutil.copyfile(host_ca, fs / "etc/ssl/host-ca-certificates.crt")
    else:
        env["PIP_CERT"] = "/etc/ssl/certs/ca-certificates.crt"
    tools = "/opt/pip"  # a venv whose pip asks PyPI for the newest release
    if not (fs / tools.lstrip("/") / "bin" / "pip").exists():
        subprocess.run(
            [str(wrapper), f"/usr/bin/{PYTHON}", "-m", "venv", tools],
            env=env,
            cwd=INSIDE_CWD,
            check=True,
        )
    version = _newest_in_root([str(wrapper), f"{tools}/bin/python"], env)
    venv = f"/opt/qbitrr2-{version}"
    if not (fs / venv.lstrip("/") / "bin" / "qbitrr").exists() or not any(
        (fs / venv.lstrip("/")).glob("lib/python*/site-packages/ujson*")
    ):
        print(f"  installing qBitrr2 {version} from PyPI into {fs}{venv} …", flush=True)
        subprocess.run(
            [str(wrapper), f"/usr/bin/{PYTHON}", "-m", "venv", venv],
            env=env,
            cwd=INSIDE_CWD,
            check=True,
        )
        pip = [str(wrapper), f"{venv}/bin/python", "-m", "pip", "install", "-q"]
        subprocess.run([*pip, f"qBitrr2=={version}", *EXTRA], env=env, cwd=INSIDE_CWD, check=True)
    installed = _installed_version([str(wrapper), f"{venv}/bin/python"], env)
    python = subprocess.run(
        [
            str(wrapper),
            f"/usr/bin/{PYTHON}",
            "-c",
            "import platform; print(platform.python_version())",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=INSIDE_CWD,
        check=True,
    ).stdout.strip()
    command = (str(wrapper), f"{venv}/bin/qbitrr")
    return Qbitrr2(installed, f"{python} (Debian 13 root)", command, env)


def _newest_in_root(python: list[str], env: dict[str, str]) -> str:
    """The newest qBitrr2 that pip would install on the root's Python (its Requires-Python
    considered), so that a new release gets a venv of its own."""
    done = subprocess.run(
        [*python, "-m", "pip", "index", "versions", "qBitrr2"],
        capture_output=True,
        text=True,
        env=env,
        cwd=INSIDE_CWD,
        check=False,
        timeout=300,
    )
    found = re.search(r"^qBitrr2 \(([^)]+)\)", done.stdout, re.MULTILINE)
    if found is None:
        raise SystemExit(f"could not ask PyPI for qBitrr2's releases: {done.stderr.strip()[-300:]}")
    return found.group(1)


def _build_root(fs: Path, log: Path) -> None:
    if os.geteuid() != 0:
        raise SystemExit(
            f"the newest qBitrr2 needs Python >= 3.12: building a Debian {SUITE} root with "
            f"{PYTHON} under {fs} needs root (debootstrap, chroot)"
        )
    if shutil.which("debootstrap") is None:
        _run(["apt-get", "update", "-qq"], log)
        _run(["apt-get", "install", "-y", "-qq", "debootstrap"], log)
    print(f"  building a Debian {SUITE} root with {PYTHON} in {fs} (once) …", flush=True)
    fs.parent.mkdir(parents=True, exist_ok=True)
    if not (fs / "usr/bin/apt-get").exists():
        if fs.exists():
            shutil.rmtree(fs)  # a debootstrap cut short: start again
        _run(["debootstrap", "--variant=minbase", SUITE, str(fs), MIRROR], log)
    (fs / "etc/apt/apt.conf.d/99qbitrr-tui").write_text('Acquire::Check-Valid-Until "false";\n')
    env = {"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
    _run(["chroot", str(fs), "apt-get", "update", "-qq"], log, env)
    packages = [PYTHON, f"{PYTHON}-venv", "ca-certificates"]
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages]
    _run(["chroot", str(fs), *install], log, env)


def _run(command: list[str], log: Path, env: dict[str, str] | None = None) -> None:
    with log.open("a") as out:
        subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, env=env, check=True)
