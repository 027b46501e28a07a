"""`run --headless` with [WebAPI] on, as systemd or Docker runs it: the token is required
(but not for /health), wrong or missing tokens are refused, and no secret is printed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from qbitrr_tui.sandbox.qbit import QbitProcess, free_port
from tests.integration.service_helpers import TOKEN, Client, api_section, headless_engine
from tests.support.testbed import write_config

pytestmark = pytest.mark.integration


def run_args(path: Path) -> list[str]:
    return [sys.executable, "-m", "qbitrr_tui", "run", "--headless", "--config", str(path)]


def test_headless_api_requires_the_token_and_never_prints_it(
    qbits: dict[str, QbitProcess], tmp_path: Path
) -> None:
    port = free_port()
    path = write_config(
        tmp_path,
        {"default": qbits["default"]},
        settings={"LogLevel": "DEBUG", "LoopSleepTimer": 30},
        extra=api_section(port),
    )
    base = f"http://127.0.0.1:{port}"
    with headless_engine(path, port, tmp_path) as proc:
        health = requests.get(f"{base}/health", timeout=5)
        assert health.status_code == 200 and health.json() == {"status": "ok"}  # no token
        for path_ in ("/api/status", "/metrics", "/health/ready", "/api/torrents/distribution"):
            assert requests.get(base + path_, timeout=5).status_code == 401, path_
            wrong = {"Authorization": "Bearer not-the-token"}
            assert requests.get(base + path_, headers=wrong, timeout=5).status_code == 401
        refused = requests.post(f"{base}/api/rescan", timeout=5)
        assert refused.status_code == 401
        assert refused.headers["WWW-Authenticate"].startswith("Bearer")
        assert TOKEN not in refused.text
        by_key = requests.get(f"{base}/api/status", headers={"X-Api-Key": TOKEN}, timeout=5)
        assert by_key.status_code == 200
        api = Client(port)
        api.wait("/api/status", lambda s: s["engine"]["cycle"] >= 1)
        # A rescan through the API runs a cycle at once in headless mode too (sleep is 30 s).
        api.post("/api/rescan")
        api.wait("/api/status", lambda s: s["engine"]["cycle"] >= 2, timeout=15)
        proc.send_signal(signal.SIGTERM)
        stderr = proc.communicate(timeout=30)[1]
    assert proc.returncode == 143, stderr  # 128 + SIGTERM, after a clean stop
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
    path = write_config(
        tmp_path,
        {"default": qbits["default"]},
        extra='\n[WebAPI]\nEnabled = true\nHost = "0.0.0.0"\n',
    )
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    done = subprocess.run(
        run_args(path), check=False, capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 2
    assert "[WebAPI] Host: '0.0.0.0' is not a loopback address: set a Token" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_taken_port_is_one_sentence(qbits: dict[str, QbitProcess], tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        path = write_config(tmp_path, {"default": qbits["default"]}, extra=api_section(port))
        env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
        done = subprocess.run(
            run_args(path), check=False, capture_output=True, text=True, timeout=60, env=env
        )
    assert done.returncode == 2
    assert f"[WebAPI] cannot listen on 127.0.0.1:{port}: Address already in use" in done.stderr
    assert "Traceback" not in done.stderr and TOKEN not in done.stderr
