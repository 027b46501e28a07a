"""`run` and the dashboard refuse a DataFolder another engine holds (two engines on one
folder imported every download twice; finding 6 of the bad-input review)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from qbitrr_tui import cli
from qbitrr_tui.sandbox.qbit import free_port


def hold_lock(folder: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from qbitrr_tui.data_lock import engine_lock\n"
            "with engine_lock(Path(sys.argv[1])):\n print('locked', flush=True); time.sleep(60)",
            str(folder),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


@pytest.mark.parametrize("argv", [["run", "--headless", "--cycles", "1"], []])
def test_a_second_engine_on_one_data_folder_is_refused(
    argv: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("QBITRR_DATA_FOLDER", str(data))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    # Were the lock not taken, the dashboard would start: a stand-in says so instead.
    monkeypatch.setattr(cli, "run_dashboard", lambda config, mouse=True: 0)
    path = tmp_path / "config.toml"
    path.write_text(
        f'[Settings]\nDryRun = true\n[qBit]\nHost = "127.0.0.1"\nPort = {free_port()}\n'
    )
    holder = hold_lock(data)
    try:
        assert cli.main([*argv, "--config", str(path)]) == 2
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert f"(pid {holder.pid}) is running on DataFolder" in err
    assert "Traceback" not in err
