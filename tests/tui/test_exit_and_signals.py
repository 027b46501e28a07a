"""How the dashboard ends (issue 17, D1 D14 D15): a crash exits non-zero and names the log;
SIGTERM/SIGHUP leave through the normal exit with 128+N; dead demos' folders are swept."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from qbitrr_tui import cli, cli_parser
from qbitrr_tui.tui.signals import LeaveOnSignal


class FakeApp:
    def __init__(self, code: int | None) -> None:
        self.return_code = code

    def run(self, mouse: bool = True) -> None:
        pass


class FakeEngine:
    events: Any = None
    commands: Any = None
    dry_run = False

    def __init__(self, config: object, **ports: object) -> None:
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True

    close = stop


@pytest.mark.parametrize(("code", "said"), [(1, True), (143, False), (None, False)])
def test_a_crash_exits_non_zero_and_names_the_log(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    code: int | None,
    said: bool,
) -> None:
    import contextlib

    from qbitrr_tui.engine import log_events, loop
    from qbitrr_tui.service import run as service_run
    from qbitrr_tui.tui import app as app_module

    monkeypatch.setattr(service_run, "start_service", lambda *a, **k: None)  # [WebAPI] off
    monkeypatch.setattr(loop, "Engine", FakeEngine)
    monkeypatch.setattr(log_events, "engine_log_events", lambda events: contextlib.nullcontext())
    monkeypatch.setattr(app_module, "make_app", lambda config, engine: FakeApp(code))
    monkeypatch.setattr(cli, "setup_logging", lambda *a, **k: None)
    config: Any = type("C", (), {"settings": type("S", (), {"log_level": "INFO"})()})()
    assert cli.run_dashboard(config) == (code or 0)
    err = capsys.readouterr().err
    assert ("stopped on an error" in err and "qbitrr-tui.log" in err) is said
    assert signal.getsignal(signal.SIGCONT) == signal.SIG_DFL  # Textual's handler is gone


def test_sigterm_ends_the_loop_with_143_and_puts_the_old_handler_back() -> None:
    previous = signal.getsignal(signal.SIGTERM)
    codes: list[int] = []

    async def main() -> None:
        leave = LeaveOnSignal(codes.append)
        leave.install()
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(50):
            if codes:
                break
            await asyncio.sleep(0.01)
        leave.remove()

    asyncio.run(main())
    assert codes == [143]
    assert signal.getsignal(signal.SIGTERM) == previous


def test_the_folders_of_dead_demos_are_swept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead, alive, unknown = (tmp_path / f"qbitrr-demo-{n}" for n in ("dead", "alive", "unknown"))
    for folder in (dead, alive, unknown):
        folder.mkdir()
    (dead / "owner.pid").write_text(finished.stdout.strip())
    (alive / "owner.pid").write_text(str(os.getpid()))
    new = cli._new_demo_folder()
    assert not dead.exists()
    assert alive.exists() and unknown.exists()  # running, or not ours to judge
    assert (new / "owner.pid").read_text() == str(os.getpid())


def test_dry_run_reaches_the_demo() -> None:
    parser = cli_parser.build_parser()
    assert parser.parse_args(["--dry-run", "demo"]).dry_run is True
    assert parser.parse_args(["demo", "--dry-run"]).dry_run is True
    assert parser.parse_args(["demo"]).dry_run is False
