"""The dashboard as a real process in a terminal: a signal ends it through its normal exit
with 128 + the signal's number, terminal restored and no traceback (issue 15)."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qbitrr_tui.sandbox.qbit import free_port

ALT_SCREEN_ON, ALT_SCREEN_OFF = b"\x1b[?1049h", b"\x1b[?1049l"


def _read_until(
    fd: int, wanted: bytes, seconds: float, proc: subprocess.Popen[bytes] | None = None
) -> bytes:
    """Read the terminal until ``wanted`` shows (or ``proc`` ends): the app blocks on a
    full terminal, so its output is drained all along."""
    seen = b""
    deadline = time.monotonic() + seconds
    while wanted not in seen and time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            wanted = b""  # one last read below, then stop
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                break
    return seen


@pytest.mark.parametrize(
    ("signals", "code"),
    [
        ((signal.SIGINT,), 130),
        ((signal.SIGTERM,), 143),
        ((signal.SIGHUP,), 129),
        ((signal.SIGTERM, signal.SIGCONT), 143),  # what `timeout` and systemd send
    ],
    ids=["SIGINT", "SIGTERM", "SIGHUP", "SIGTERM+SIGCONT"],
)
def test_a_signal_ends_the_dashboard_with_128_plus_its_number(
    tmp_path: Path, signals: tuple[signal.Signals, ...], code: int
) -> None:
    config = tmp_path / "config.toml"
    # One instance on a loopback port nobody listens on: the dashboard shows it down.
    config.write_text(
        f'[Settings]\nDryRun = true\nDataFolder = "{tmp_path / "data"}"\n'
        f'[qBit]\nHost = "127.0.0.1"\nPort = {free_port()}\n'
    )
    env = {
        **os.environ,
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "TERM": "xterm-256color",
        "COLUMNS": "100",
        "LINES": "30",
    }
    env.pop("QBITRR_CONFIG", None)
    main, child = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "qbitrr_tui", "--no-mouse", "--config", str(config)],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        start_new_session=True,
    )
    os.close(child)
    try:
        shown = _read_until(main, ALT_SCREEN_ON, 60)
        assert ALT_SCREEN_ON in shown, shown[-500:]
        shown += _read_until(main, b"\0never", 1.0)  # handlers are set once it is mounted
        for sig in signals:
            proc.send_signal(sig)
        rest = _read_until(main, b"\0never", 30, proc)
        assert proc.wait(timeout=5) == code
        assert ALT_SCREEN_OFF in shown + rest  # the terminal was given back
        assert b"Traceback" not in shown + rest
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(main)
