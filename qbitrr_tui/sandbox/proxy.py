"""A reverse proxy on loopback that counts what passes and can break it on purpose.

Put in front of a real qbittorrent-nox or Arr stand-in, it counts requests and bytes per
endpoint whatever client made them (the benchmarks), and injects the faults that real
networks and peers produce (the fault tests): a request dropped before it arrives, an answer
lost after the server acted (the case that makes side effects happen twice), a body cut
short, a delay, a peer that accepts and never answers, an error status or an HTML page where
JSON was expected. Faults are matched against ``"METHOD /path"`` and hit a given number of
requests, so a test can say "lose the answer to the first DELETE /api/v3/queue/bulk".
"""

from __future__ import annotations

import http.client
import re
import socket
import struct
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal
from urllib.parse import urlsplit

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "content-length",
    "host",
}

FaultKind = Literal["drop", "lose_answer", "truncate", "delay", "hang", "status"]


@dataclass
class Fault:
    """One kind of breakage for requests whose ``"METHOD /path?query"`` matches ``match``
    (a regular expression, searched). ``times`` requests are hit (-1: all of them)."""

    kind: FaultKind
    match: str = ""
    times: int = 1
    seconds: float = 0.0  # delay: how long; hang: at most this long (0: until released)
    status: int = 500  # status: the answer sent instead of the server's
    body: bytes = b"<html><body>Internal Server Error</body></html>"
    hits: int = 0

    def matches(self, request_line: str) -> bool:
        return (self.times < 0 or self.hits < self.times) and bool(
            re.search(self.match, request_line)
        )


@dataclass
class EndpointStats:
    requests: int = 0
    bytes_in: int = 0  # request bodies sent to the server
    bytes_out: int = 0  # response bodies sent back to the client


def endpoint_of(method: str, path: str) -> str:
    """``GET /api/v3/queue/{id}``: the query dropped, numeric ids folded."""
    bare = urlsplit(path).path
    return f"{method} " + re.sub(r"/\d+(?=/|$)", "/{id}", bare)


class Proxy:
    """``Proxy(name, "http://127.0.0.1:8080").start()``; point the client at ``.url``."""

    def __init__(self, name: str, target: str) -> None:
        self.name = name
        parts = urlsplit(target)
        self.target_host = parts.hostname or "127.0.0.1"
        self.target_port = parts.port or 80
        self.stats: dict[str, EndpointStats] = defaultdict(EndpointStats)
        self.faults: list[Fault] = []
        self.injected: list[tuple[str, str]] = []  # (fault kind, request line), in order
        self._released = threading.Event()
        self._lock = threading.Lock()
        self._local = threading.local()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> Proxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()

    # --- faults --------------------------------------------------------------------------
    def inject(self, fault: Fault) -> Fault:
        with self._lock:
            self._released.clear()
            self.faults.append(fault)
        return fault

    def release(self) -> None:
        """End every hang now and drop the faults that are left."""
        with self._lock:
            self.faults.clear()
        self._released.set()

    def _take_fault(self, request_line: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.matches(request_line):
                    fault.hits += 1
                    self.injected.append((fault.kind, request_line))
                    return fault
        return None

    # --- counting ------------------------------------------------------------------------
    def reset(self) -> None:
        with self._lock:
            self.stats = defaultdict(EndpointStats)

    def snapshot(self) -> dict[str, EndpointStats]:
        with self._lock:
            return {
                k: EndpointStats(v.requests, v.bytes_in, v.bytes_out) for k, v in self.stats.items()
            }

    def _count(self, method: str, path: str, bytes_in: int, bytes_out: int) -> None:
        with self._lock:
            stat = self.stats[endpoint_of(method, path)]
            stat.requests += 1
            stat.bytes_in += bytes_in
            stat.bytes_out += bytes_out

    def count(self, endpoint: str) -> int:
        """Requests that reached the server for ``"METHOD /path"`` (ids folded)."""
        with self._lock:
            stat = self.stats.get(endpoint)
            return stat.requests if stat else 0

    # --- forwarding ----------------------------------------------------------------------
    def _connection(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection(self.target_host, self.target_port, timeout=120)
            self._local.conn = conn
        return conn

    def _forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes | None
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        for attempt in (0, 1):
            conn = self._connection()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                return response.status, response.getheaders(), data
            except (OSError, http.client.HTTPException):
                conn.close()
                self._local.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        return type("Handler", (_Handler,), {"proxy": self})


class _Handler(BaseHTTPRequestHandler):
    """One request through the proxy; ``proxy`` is set on a subclass per Proxy."""

    protocol_version = "HTTP/1.1"
    proxy: Proxy

    def log_message(self, *args: object) -> None:
        pass

    def _reset(self) -> None:
        """Close with a TCP reset: the client sees its connection torn down."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True

    def _any(self) -> None:
        proxy = self.proxy
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        fault = proxy._take_fault(f"{self.command} {self.path}")
        if fault is not None and self._before(fault):
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        headers["Host"] = f"{proxy.target_host}:{proxy.target_port}"
        try:
            status, response_headers, data = proxy._forward(self.command, self.path, headers, body)
        except (OSError, http.client.HTTPException):
            status, response_headers, data = 502, [], b"bad gateway"
        proxy._count(self.command, self.path, len(body or b""), len(data))
        if fault is not None and fault.kind == "lose_answer":
            self._reset()  # the server acted; the client never hears of it
            return
        self.send_response(status)
        for key, value in response_headers:
            if key.lower() not in HOP_BY_HOP:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if fault is not None and fault.kind == "truncate":
            self.wfile.write(data[: len(data) // 2])
            self._reset()
            return
        self.wfile.write(data)

    def _before(self, fault: Fault) -> bool:
        """Faults that act before forwarding; True when the request ends here."""
        if fault.kind == "drop":
            self._reset()
            return True
        if fault.kind == "status":
            self.send_response(fault.status)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(fault.body)))
            self.end_headers()
            self.wfile.write(fault.body)
            return True
        if fault.kind == "hang":
            self.proxy._released.wait(fault.seconds or None)
            self._reset()
            return True
        if fault.kind == "delay":
            time.sleep(fault.seconds)
        return False

    do_GET = do_POST = do_DELETE = do_PUT = do_HEAD = _any


CountingProxy = Proxy  # the benchmarks' name for it
