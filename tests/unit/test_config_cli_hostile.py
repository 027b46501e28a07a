"""Hostile config files through the real command line: check-config, run, status --json and
the dashboard each exit 2 with one line, no traceback, no hang, and no planted secret."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.unit.test_config_property import documents, render

PASSWORD = "PLANTEDpw-73519046288"
API_KEY = "PLANTEDkey-8Kq2Xs5Dv1Hj"
SECRETS = (PASSWORD, API_KEY, "73519046288")

GOOD = f"""[qBit]
Host = "127.0.0.1"
Port = 1
Password = "{PASSWORD}"
[Radarr-A]
URI = "http://127.0.0.1:1"
APIKey = "{API_KEY}"
Category = "radarr"
"""

CASES: dict[str, bytes] = {
    "nan-guard": (GOOD + "[Radarr-A.Torrent]\nMaximumDeletablePercentage = nan\n").encode(),
    "huge-timer": ("[Settings]\nLoopSleepTimer = 1" + "0" * 400 + "\n" + GOOD).encode(),
    "busy-loop": ("[Settings]\nLoopSleepTimer = 0\n" + GOOD).encode(),
    "deep": (GOOD + "x = " + "[" * 1000 + "]" * 1000 + "\n").encode(),
    "numeric-password": b'[qBit]\nHost = "127.0.0.1"\nPassword = 73519046288\n',
    "host-credentials": f'[qBit]\nHost = "http://admin:{PASSWORD}@127.0.0.1"\n'.encode(),
    "api-key-list": GOOD.replace(f'APIKey = "{API_KEY}"', f'APIKey = ["{API_KEY}"]').encode(),
    "bom": b"\xef\xbb\xbf" + GOOD.encode(),
    "latin-1": GOOD.encode() + b'[Settings]\nDataFolder = "caf\xe9"\n',
    "escape-name": (GOOD + '["qBit-\\u001b[31mRED"]\n').encode(),
}
COMMANDS = {
    "check-config": ["check-config"],
    "run": ["run", "--headless", "--cycles", "1"],
    "status": ["status", "--json"],
    "dashboard": [],
}


def qbitrr_tui(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QBITRR_DATA_FOLDER": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "share"),
        "HOME": str(tmp_path),
    }
    env.pop("QBITRR_LOG_LEVEL", None)
    return subprocess.run(
        [sys.executable, "-m", "qbitrr_tui", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.timeout(120)
@pytest.mark.parametrize("case", sorted(CASES))
def test_each_command_refuses_in_one_line(case: str, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(CASES[case])
    for name, command in COMMANDS.items():
        done = qbitrr_tui(
            [*command, "--config", str(path)] if command else ["--config", str(path)], tmp_path
        )
        out = done.stdout + done.stderr
        assert done.returncode == 2, (name, out)
        assert "Traceback" not in out, (name, out)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"qbitrr-tui: {path}"), (name, out)
        assert "\x1b" not in out
        for secret in SECRETS:
            assert secret not in out, (name, secret)


@pytest.mark.timeout(60)
def test_fifo_config_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    for command in (["check-config"], ["status", "--json"]):
        done = qbitrr_tui([*command, "--config", str(fifo)], tmp_path)
        assert done.returncode == 2 and "not a regular file" in done.stderr
        assert "Traceback" not in done.stderr


def test_valid_config_output_holds_no_secret(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(GOOD + '[WebUI]\nToken = "x"\n')
    done = qbitrr_tui(["check-config", "--config", str(path)], tmp_path)
    assert done.returncode == 0, done.stderr
    for secret in SECRETS:
        assert secret not in done.stdout + done.stderr


@pytest.mark.timeout(120)
def test_a_run_leaves_no_secret_in_output_log_or_database(tmp_path: Path) -> None:
    """Planted secrets, a valid config, one headless cycle against unreachable loopback
    ports: nothing written anywhere (stdout, stderr, log, database) holds them."""
    path = tmp_path / "config.toml"
    path.write_text(GOOD.replace("[qBit]", '[Settings]\nLogLevel = "TRACE"\n[qBit]'))
    done = qbitrr_tui(["run", "--headless", "--cycles", "1", "--config", str(path)], tmp_path)
    assert "Traceback" not in done.stderr, done.stderr
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != path]
    assert any(p.name == "qbitrr.db" for p in written), written
    assert any(p.name == "qbitrr-tui.log" for p in written), written
    for secret in SECRETS:
        assert secret not in done.stdout + done.stderr
        for file in written:
            assert secret.encode() not in file.read_bytes(), file


# --- property: generated configs through the real commands ---------------------------
_UNSAFE = {"host", "uri", "datafolder", "freespacefolder"}  # never leave loopback or tmp


def _safe(document: list[tuple[str, dict[str, object]]]) -> str:
    """The generated document, with every address pointing at a closed loopback port."""
    kept = [
        (s, {k: v for k, v in body.items() if k.lower() not in _UNSAFE}) for s, body in document
    ]
    text = render(kept)
    for section, _ in kept:
        if section.lower().startswith("qbit") and "." not in section:
            text = text.replace(f"[{section}]\n", f'[{section}]\nHost = "127.0.0.1"\n', 1)
    return text + '[qBit-fixed]\nHost = "127.0.0.1"\nPort = 1\n'


@pytest.mark.timeout(600)
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(document=documents)
def test_generated_configs_through_every_command(
    document: list[tuple[str, dict[str, object]]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Each generated config either loads (then run and status finish) or every command
    exits 2 with the problems and nothing else: no traceback, no hang."""
    tmp_path = tmp_path_factory.mktemp("gen")
    path = tmp_path / "config.toml"
    path.write_text(_safe(document), encoding="utf-8")
    check = qbitrr_tui(["check-config", "--config", str(path)], tmp_path)
    assert "Traceback" not in check.stderr and check.returncode in (0, 2), check.stderr
    commands = [["run", "--headless", "--cycles", "1"], ["status", "--json"]]
    if check.returncode == 2:
        commands.append([])  # the dashboard refuses before it starts
    for command in commands:
        done = qbitrr_tui([*command, "--config", str(path)], tmp_path)
        assert "Traceback" not in done.stderr, (command, done.stderr)
        if check.returncode == 2:
            assert done.returncode == 2 and done.stderr.startswith("qbitrr-tui: "), command
        else:
            assert done.returncode in (0, 1), (command, done.stderr)
