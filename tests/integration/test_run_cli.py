"""`qbitrr-tui run --headless` as a user runs it: a real subprocess."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qbitrr_tui.sandbox.arr_server import ArrStandIn
from tests.support.testbed import Testbed, arr_spec

pytestmark = pytest.mark.integration


def radarr_config(testbed: Testbed, arr: ArrStandIn, **settings: object) -> Path:
    """``default``, ``[Radarr-Movies]`` and DEBUG logs (what the tests look for)."""
    return testbed.write_config(
        "default", arrs=[arr_spec(arr, name="Movies")], settings={"LogLevel": "DEBUG", **settings}
    )


def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }


def test_run_cycles_dry_run(testbed: Testbed) -> None:
    radarr = testbed.arr("Radarr")
    testbed.seeding("default", "Headless.Movie.mkv", category="radarr", size=10_000)
    path = radarr_config(testbed, radarr)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "qbitrr_tui",
            "run",
            "--headless",
            "--config",
            str(path),
            "--cycles",
            "2",
            "--dry-run",
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        env=env(testbed.tmp_path),
    )
    assert done.returncode == 0, done.stderr
    assert "instance 'default' is up" in done.stderr
    assert "DRY-RUN would import 'Headless.Movie.mkv' on instance 'default'" in done.stderr
    assert "cycle 2 done" in done.stderr and "engine stopped after 2 cycle(s)" in done.stderr
    assert "adminadmin" not in done.stderr and radarr.api_key not in done.stderr
    assert [r for r in radarr.requests if r.method != "GET"] == []
    log_file = testbed.tmp_path / "state" / "qbitrr-tui" / "log" / "qbitrr-tui.log"
    assert "engine stopped" in log_file.read_text()


@pytest.mark.parametrize(
    ("signals", "code"),
    [
        ((signal.SIGTERM,), 143),
        ((signal.SIGINT,), 130),  # Ctrl-C in a terminal
        ((signal.SIGTERM, signal.SIGCONT), 143),  # what `timeout` and systemd send
    ],
    ids=["SIGTERM", "SIGINT", "SIGTERM+SIGCONT"],
)
def test_a_signal_stops_cleanly_with_128_plus_its_number(
    testbed: Testbed, signals: tuple[signal.Signals, ...], code: int
) -> None:
    path = radarr_config(testbed, testbed.arr("Radarr"), LoopSleepTimer=30)
    proc = subprocess.Popen(
        [sys.executable, "-m", "qbitrr_tui", "run", "--headless", "--config", str(path)],
        stderr=subprocess.PIPE,
        text=True,
        env=env(testbed.tmp_path),
    )
    try:
        assert proc.stderr is not None
        deadline = time.monotonic() + 60
        for line in proc.stderr:
            if "cycle 1 done" in line or time.monotonic() > deadline:
                break
        started = time.monotonic()
        for sig in signals:
            proc.send_signal(sig)
        rest = proc.communicate(timeout=30)[1]
        assert proc.returncode == code, rest
        assert time.monotonic() - started < 10  # does not sit out the 30 s sleep
        name = signals[0].name
        assert f"received {name}" in rest and "engine stopped after 1 cycle(s)" in rest
        assert "Traceback" not in rest
    finally:
        if proc.poll() is None:
            proc.kill()


def test_run_without_instances_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[Settings]\nDryRun = true\n[qBit]\nDisabled = true\n")
    done = subprocess.run(
        [sys.executable, "-m", "qbitrr_tui", "run", "--config", str(path)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env=env(tmp_path),
    )
    assert done.returncode == 2
    assert "no enabled qBittorrent instance" in done.stderr and "Traceback" not in done.stderr
