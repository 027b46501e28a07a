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


@pytest.mark.parametrize(
    "argv",
    [
        ["--dry-run", "run", "--headless"],
        ["run", "--dry-run", "--headless"],
        ["run", "--headless", "--dry-run"],
    ],
)
def test_dry_run_means_the_same_before_or_after_the_subcommand(argv: list[str]) -> None:
    """`qbitrr-tui --dry-run run` used to run live: run's own flag reset the global one."""
    from qbitrr_tui.cli_parser import build_parser

    args = build_parser().parse_args(argv)
    assert args.dry_run is True


@pytest.mark.parametrize(
    "argv", [["run"], ["--no-mouse", "run"], ["run", "--no-mouse"], ["check-config"]]
)
def test_global_flags_keep_their_value_either_side(argv: list[str]) -> None:
    from qbitrr_tui.cli_parser import build_parser

    args = build_parser().parse_args(argv)
    assert args.dry_run is False
    assert args.no_mouse is ("--no-mouse" in argv)


def _unwritable_paths(tmp_path: Path) -> list[Path]:
    afile = tmp_path / "afile"
    afile.write_text("x")
    dangling = tmp_path / "dangling.toml"
    dangling.symlink_to(tmp_path / "missing" / "target.toml")
    loop = tmp_path / "loop.toml"
    loop.symlink_to(loop)
    return [afile / "config.toml", Path("/dev/null/x/config.toml"), dangling, loop]


@pytest.mark.parametrize("index", range(4))
def test_first_run_where_no_config_can_be_written_is_one_line(
    index: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A parent that is a file, /dev/null, a dangling symlink, a symlink loop: tracebacks
    before; now one line and exit 2, and nothing written through the link."""
    path = _unwritable_paths(tmp_path)[index]
    assert main(["run", "--headless", "--config", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(path) in err and "Traceback" not in err
    assert not (tmp_path / "missing").exists()


def test_first_run_in_a_folder_it_may_not_write_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only folder (as a user who does not own it: the tests run as root, who may
    write anywhere, so the refusal is the kernel's answer played back)."""
    real_open = os.open

    def refuse(path: str, flags: int, mode: int = 0o777) -> int:
        if str(path).startswith(str(tmp_path)):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", refuse)
    path = tmp_path / "config.toml"
    assert main(["run", "--headless", "--config", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"qbitrr-tui: cannot write a starter config at {path}: Permission denied"


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_status_says_each_warning_once(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    json_flag: list[str],
) -> None:
    """A config warning on stderr once; each unreachable instance or Arr once, in the
    report, not again as a log line (the dashboard review saw every warning twice)."""
    from qbitrr_tui.sandbox.qbit import free_port

    monkeypatch.setenv("QBITRR_DATA_FOLDER", str(tmp_path))
    path = tmp_path / "config.toml"
    path.write_text(
        "[Settings]\nBogusKey = 1\n"
        f'[qBit]\nHost = "127.0.0.1"\nPort = {free_port()}\n'
        f'[qBit-Other]\nHost = "127.0.0.1"\nPort = {free_port()}\n'
        f'[Radarr-A]\nURI = "http://127.0.0.1:{free_port()}"\nAPIKey = "k"\nCategory = "c"\n'
    )
    assert main(["status", *json_flag, "--config", str(path)]) == 1
    out, err = capsys.readouterr()
    both = out + err
    assert err.count("BogusKey: unknown key ignored") == 1
    assert both.count("cannot reach instance 'default'") == 1
    assert both.count("cannot reach instance 'other'") == 1
    assert "cannot reach" not in err
    assert err.count("\n") == 1, err  # the one config warning, nothing else
