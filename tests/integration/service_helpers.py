"""Helpers for the service tests: an engine thread with the service around it, HTTP calls
that check every JSON answer against the OpenAPI document, a loopback Apprise target."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import requests

from qbitrr_tui.config import Config
from qbitrr_tui.config.model import WebApiSettings
from qbitrr_tui.engine.fanout import EventFanOut
from qbitrr_tui.engine.loop import Engine
from qbitrr_tui.service.notify import Sender
from qbitrr_tui.service.openapi import OPENAPI
from qbitrr_tui.service.run import Service

TOKEN = "test-token-5d1c9e"


@contextmanager
def engine_with_service(
    config: Config, *, token: str = TOKEN, sender: Sender | None = None
) -> Iterator[tuple[Engine, Service]]:
    """The engine thread (as the dashboard runs it) and the service, API on a free port."""
    config = replace(config, webapi=WebApiSettings(enabled=True, port=0, token=token))
    events = EventFanOut()
    engine = Engine(config, events=events)
    service = Service(config, events, engine.commands, dry_run=engine.dry_run, sender=sender)
    engine.start()
    try:
        yield engine, service
    finally:
        engine.stop()
        service.stop()


def api_section(port: int, token: str = TOKEN) -> str:
    return f'\n[WebAPI]\nEnabled = true\nPort = {port}\nToken = "{token}"\n'


@contextmanager
def headless_engine(
    config: Path, port: int, home: Path, *, stderr: int = subprocess.PIPE
) -> Iterator[subprocess.Popen[str]]:
    """`qbitrr-tui run --headless --config CONFIG` as a process, once its /health answers;
    killed at the end if the test has not stopped it."""
    env = {**os.environ, "XDG_STATE_HOME": str(home / "state"), "XDG_CACHE_HOME": str(home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "qbitrr_tui", "run", "--headless", "--config", str(config)],
        stderr=stderr,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"http://127.0.0.1:{port}/health", timeout=5)
                break
            except requests.ConnectionError:
                assert proc.poll() is None, "the engine exited"
                assert time.monotonic() < deadline, "the API never answered"
                time.sleep(0.2)
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


class Client:
    """Calls the API; JSON answers are validated against the OpenAPI schema of the route."""

    def __init__(self, port: int, token: str = TOKEN) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.token = token

    def call(
        self, method: str, path: str, *, body: object = None, token: str | None = None
    ) -> requests.Response:
        token = self.token if token is None else token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.request(method, self.base + path, json=body, headers=headers, timeout=10)

    def get(self, path: str, status: int = 200, schema: str | None = None) -> Any:
        response = self.call("GET", path)
        assert response.status_code == status, (path, response.status_code, response.text)
        payload = response.json()
        if schema is not None:
            validate(payload, schema)
        return payload

    def post(self, path: str, body: object = None, status: int = 202) -> Any:
        response = self.call("POST", path, body=body)
        assert response.status_code == status, (path, response.status_code, response.text)
        payload = response.json()
        validate(payload, "Accepted" if status == 202 else "Error")
        return payload

    def wait(self, path: str, check: Callable[[Any], bool], timeout: float = 30.0) -> Any:
        deadline = time.monotonic() + timeout
        payload: Any = None
        while time.monotonic() < deadline:
            response = self.call("GET", path)
            if response.headers.get("Content-Type", "").startswith("application/json"):
                payload = response.json()
                if check(payload):
                    return payload
            time.sleep(0.2)
        raise AssertionError(f"{path} never satisfied the check; last answer: {payload}")


def validate(payload: object, schema: str) -> None:
    """Check ``payload`` against ``#/components/schemas/<schema>`` of the served document."""
    document = {**OPENAPI["components"]["schemas"][schema], "components": OPENAPI["components"]}
    jsonschema.validate(payload, document, cls=jsonschema.Draft202012Validator)


class AppriseTarget:
    """A loopback HTTP server that records what Apprise's ``json://`` plugin posts."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                received.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.httpd.server_address[1]}/notify"

    def titles(self) -> list[str]:
        return [str(m.get("title", "")) for m in self.received]

    def __enter__(self) -> AppriseTarget:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
