from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from qbitrr_tui.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_help_lists_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for name in ("run", "check-config", "status", "demo", "screenshot"):
        assert name in out


def test_check_config_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-config", "--config", str(ROOT / "config.example.toml")]) == 0
    assert "valid" in capsys.readouterr().out


def test_config_flag_before_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(ROOT / "config.example.toml"), "check-config"]) == 0


def test_check_config_invalid_is_exit_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[qBit]\nPort = 70000\nPassword = "hunter2hunter2"\n[qBit-x]\nHost = 5\n')
    assert main(["check-config", "--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"{bad}:2: [qBit] Port: found 70000" in err
    assert f"{bad}:5: [qBit-x] Host: found 5, expected a string" in err
    assert "hunter2hunter2" not in err


def test_check_config_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-config", "--config", str(tmp_path / "nope.toml")]) == 2
    assert "config file not found" in capsys.readouterr().err


def test_env_config_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[qBit]\nPort = 8080\n")
    monkeypatch.setenv("QBITRR_CONFIG", str(path))
    assert main(["check-config"]) == 0
    assert str(path) in capsys.readouterr().out


def test_first_run_writes_starter_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("QBITRR_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert main(["run", "--cycles", "1"]) == 0
    written = tmp_path / "xdg" / "qbitrr-tui" / "config.toml"
    out = capsys.readouterr().out
    assert str(written) in out and "qbitrr-tui demo" in out
    assert "DryRun = true" in written.read_text()
    assert stat.S_IMODE(os.stat(written).st_mode) == 0o600
    assert main(["check-config", "--config", str(written)]) == 0
