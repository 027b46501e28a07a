"""A recording stand-in for a qBittorrent 5 Web API, for what no real release can show: a
version newer than any tested one, and exact request sequences in fast unit tests. The real
4.5, 5.1 and 5.3 are covered by the integration tests (tests/integration/test_versions.py)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

DATA = Path(__file__).resolve().parents[1] / "data"


class FakeQbit5:
    def __init__(self, *, version: str = "v5.0.2", api_version: str = "2.11.2") -> None:
        self.version, self.api_version = version, api_version
        self.requests: list[tuple[str, str, dict[str, list[str]]]] = []
        self.maindata: dict[str, Any] = json.loads(
            (DATA / "qbittorrent5_maindata.json").read_text()
        )
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _reply(
                self, status: int, body: str, ctype: str = "text/plain", cookie: str | None = None
            ) -> None:
                raw = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(raw)))
                if cookie:
                    self.send_header("Set-Cookie", cookie)
                self.end_headers()
                self.wfile.write(raw)

            def _handle(self, method: str) -> None:
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode()) if length else {}
                form.update(parse_qs(url.query))
                path = url.path.removeprefix("/api/v2/")
                fake.requests.append((method, path, form))
                if path == "auth/login":
                    self._reply(200, "Ok.", cookie="SID=fake; path=/")
                elif "SID=fake" not in (self.headers.get("Cookie") or ""):
                    self._reply(403, "Forbidden")
                elif path == "app/version":
                    self._reply(200, fake.version)
                elif path == "app/webapiVersion":
                    self._reply(200, fake.api_version)
                elif path == "sync/maindata":
                    self._reply(200, json.dumps(fake.maindata), "application/json")
                elif path == "torrents/categories":
                    self._reply(200, json.dumps({"radarr": {}}), "application/json")
                elif path in ("torrents/pause", "torrents/resume"):
                    self._reply(404, "Not Found")  # removed in qBittorrent 5
                else:
                    self._reply(200, "")

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeQbit5:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def paths(self) -> list[str]:
        return [p for _, p, _ in self.requests]
