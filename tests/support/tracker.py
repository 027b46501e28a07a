"""A tiny BitTorrent HTTP tracker on loopback, for tests (stdlib only).

It answers ``GET /announce`` with a bencoded dictionary: an empty peer list while ``mode`` is
``"ok"``, or ``failure reason: <message>`` while ``mode`` is that message (e.g.
``"Unregistered torrent"``). A tracker that is down is one that was never started or was
stopped: nothing listens on its port, so qBittorrent sees the connection refused.
libtorrent only announces to a loopback tracker whose path is ``/announce`` (its SSRF
mitigation), hence the fixed path.
"""

from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote_to_bytes, urlsplit


def bencode(value: object) -> bytes:
    if isinstance(value, bool):
        raise TypeError("bencode has no booleans")
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, str):
        value = value.encode()
    if isinstance(value, bytes):
        return b"%d:%s" % (len(value), value)
    if isinstance(value, list):
        return b"l" + b"".join(bencode(v) for v in value) + b"e"
    if isinstance(value, dict):
        items = sorted((k.encode() if isinstance(k, str) else k, v) for k, v in value.items())
        return b"d" + b"".join(bencode(k) + bencode(v) for k, v in items) + b"e"
    raise TypeError(f"cannot bencode {type(value).__name__}")


OK = "ok"


def _info_hash(query: str) -> str:
    """The announce's ``info_hash`` as hex (it is raw bytes, percent-escaped)."""
    for part in query.split("&"):
        name, _, value = part.partition("=")
        if name == "info_hash":
            return unquote_to_bytes(value).hex()
    return ""


class LoopbackTracker:
    """``with LoopbackTracker() as tracker:`` … ``tracker.announce_url`` …"""

    def __init__(self, mode: str = OK, *, host: str = "127.0.0.1") -> None:
        """``host``: any 127.x.y.z address, so two trackers can differ by host."""
        self.mode = mode
        self.host = host
        self.announces: Counter[str] = Counter()  # info hash (hex) → announces seen
        tracker = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlsplit(self.path)
                if url.path != "/announce":
                    self.send_error(404)
                    return
                tracker.announces[_info_hash(url.query)] += 1
                if tracker.mode == OK:
                    body = bencode({"interval": 5, "min interval": 1, "peers": b""})
                else:
                    body = bencode({"failure reason": tracker.mode})
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return  # quiet: the test's output is for the test

        self._server = ThreadingHTTPServer((host, 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def announce_url(self) -> str:
        return f"http://{self.host}:{self.port}/announce"

    def start(self) -> LoopbackTracker:
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()

    def __enter__(self) -> LoopbackTracker:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def down_tracker_url() -> str:
    """An announce URL on loopback where nothing listens (connection refused)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = int(server.server_address[1])
    server.server_close()
    return f"http://127.0.0.1:{port}/announce"
