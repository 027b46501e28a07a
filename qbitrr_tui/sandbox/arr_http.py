"""The Arr stand-in's HTTP side: one request handler class per stand-in, routing API calls
(checked against the API key) to ``ArrStandIn.handle`` and the ``/sandbox/`` control calls
to its control methods."""

from __future__ import annotations

import base64
import contextlib
import json
from dataclasses import asdict
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from qbitrr_tui.sandbox.arr_resources import RequestLog

if TYPE_CHECKING:
    from qbitrr_tui.sandbox.arr_server import ArrStandIn


def make_handler(arr: ArrStandIn) -> type[BaseHTTPRequestHandler]:
    prefix = arr.kind.api_prefix + "/"

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def setup(self) -> None:
            super().setup()
            with arr._lock:
                arr._connections.add(self.connection)

        def finish(self) -> None:
            with arr._lock:
                arr._connections.discard(self.connection)
            with contextlib.suppress(OSError):
                super().finish()

        def _send(self, status: int, payload: Any) -> None:
            raw = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _dispatch(self, method: str) -> None:
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                self._send(400, {"message": "body is not JSON"})
                return
            if url.path.startswith("/sandbox/"):
                self._control(method, url.path, body)
                return
            if not url.path.startswith(prefix):
                self._send(404, {"message": "Not Found"})
                return
            path = url.path[len(prefix) :]
            key = self.headers.get("X-Api-Key") or (query.get("apikey") or [""])[-1]
            arr.requests.append(RequestLog(method, path, query, body, key))
            if key != arr.api_key:
                self._send(401, {"message": "Unauthorized"})
                return
            status, payload = arr.handle(method, path, query, body)
            self._send(status, payload)

        def _control(self, method: str, path: str, body: Any) -> None:
            if method == "POST" and path == "/sandbox/grab" and isinstance(body, dict):
                torrent = body.get("torrent")
                ids = arr.grab(
                    str(body["instance"]),
                    title=str(body["title"]),
                    info_hash=str(body["infoHash"]),
                    torrent_bytes=base64.b64decode(torrent) if torrent else None,
                    magnet=body.get("magnet"),
                    media_ids=list(body.get("mediaIds") or []),
                    save_path=body.get("savePath"),
                )
                self._send(200, {"ids": ids})
            elif method == "GET" and path == "/sandbox/requests":
                self._send(200, [asdict(r) for r in arr.requests])
            else:
                self._send(404, {"message": "Not Found"})

        def do_GET(self) -> None:
            self._dispatch("GET")

        def do_POST(self) -> None:
            self._dispatch("POST")

        def do_DELETE(self) -> None:
            self._dispatch("DELETE")

        def do_PUT(self) -> None:
            self._dispatch("PUT")

    return Handler
