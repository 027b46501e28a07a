"""`run --headless` with [WebAPI] on, as systemd or Docker runs it: the token is required
(but not for /health), wrong or missing tokens are refused, and no secret is printed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from qbitrr_tui.sandbox.configs import sandbox_config_text
from qbitrr_tui.sandbox.qbit import QbitProcess, free_port

pytestmark = pytest.mark.integration
TOKEN = "headless-token-7f3a91"


def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }


def run_args(path: Path) -> list[str]:
    return [sys.executable, "-m", "qbitrr_tui", "run", "--headless", "--config", str(path)]


def test_headless_api_requires_the_token_and_never_prints_it(
    qbits: dict[str, QbitProcess], tmp_path: Path
) -> None:
    port = free_port()
    path = tmp_path / "config.toml"
    path.write_text(
        sandbox_config_text(
            {"default": qbits["default"]},
            data_folder=tmp_path / "data",
            settings={"LogLevel": "DEBUG", "LoopSleepTimer": 30},
        )
        + f'\n[WebAPI]\nEnabled = true\nPort = {port}\nToken = "{TOKEN}"\n'
    )
    proc = subprocess.Popen(run_args(path), stderr=subprocess.PIPE, text=True, env=env(tmp_path))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = requests.get(f"{base}/health", timeout=5)
                break
            except requests.ConnectionError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        assert health.status_code == 200 and health.json() == {"status": "ok"}  # no token
        good = {"Authorization": f"Bearer {TOKEN}"}
        for path_ in ("/api/status", "/metrics", "/health/ready", "/api/torrents/distribution"):
            assert requests.get(base + path_, timeout=5).status_code == 401, path_
            wrong = {"Authorization": "Bearer not-the-token"}
            assert requests.get(base + path_, headers=wrong, timeout=5).status_code == 401
        refused = requests.post(f"{base}/api/rescan", timeout=5)
        assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith(
            "Bearer"
        )
        assert TOKEN not in refused.text
        by_key = requests.get(f"{base}/api/status", headers={"X-Api-Key": TOKEN}, timeout=5)
        assert by_key.status_code == 200
        deadline = time.monotonic() + 30
        while (
            requests.get(f"{base}/api/status", headers=good, timeout=5).json()["engine"]["cycle"]
            < 1
        ):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        # A rescan through the API runs a cycle at once in headless mode too (sleep is 30 s).
        assert requests.post(f"{base}/api/rescan", headers=good, timeout=5).status_code == 202
        deadline = time.monotonic() + 15
        while (
            requests.get(f"{base}/api/status", headers=good, timeout=5).json()["engine"]["cycle"]
            < 2
        ):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        stderr = proc.communicate(timeout=30)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr
    assert f"API listening on http://127.0.0.1:{port} (token required)" in stderr
    assert "GET /api/status" in stderr  # requests are logged at DEBUG, without headers
    log_text = (tmp_path / "state" / "qbitrr-tui" / "log" / "qbitrr-tui.log").read_text()
    for text in (stderr, log_text):
        assert TOKEN not in text and qbits["default"].password not in text
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{base}/health", timeout=2)  # the server went with the engine


def test_a_public_address_without_a_token_is_refused(
    qbits: dict[str, QbitProcess], tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        sandbox_config_text({"default": qbits["default"]}, data_folder=tmp_path / "data")
        + '\n[WebAPI]\nEnabled = true\nHost = "0.0.0.0"\n'
    )
    done = subprocess.run(
        run_args(path), check=False, capture_output=True, text=True, timeout=60, env=env(tmp_path)
    )
    assert done.returncode == 2
    assert "[WebAPI] Host: '0.0.0.0' is not a loopback address: set a Token" in done.stderr
    assert "Traceback" not in done.stderr
