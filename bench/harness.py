"""A tool-neutral way to measure any engine: counting reverse proxies in front of every
qBittorrent instance and Arr stand-in, and CPU / memory of processes read from /proc.

The engine under test is pointed at the proxies instead of the servers; the proxies count
requests and bytes per endpoint, whatever client made them.
"""

from __future__ import annotations

import http.client
import os
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
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


@dataclass
class EndpointStats:
    requests: int = 0
    bytes_in: int = 0  # request bodies sent to the server
    bytes_out: int = 0  # response bodies sent back to the client


def endpoint_of(method: str, path: str) -> str:
    """``GET /api/v3/queue/{id}``: the query dropped, numeric ids folded."""
    bare = urlsplit(path).path
    return f"{method} " + re.sub(r"/\d+(?=/|$)", "/{id}", bare)


class CountingProxy:
    def __init__(self, name: str, target: str) -> None:
        self.name = name
        parts = urlsplit(target)
        self.target_host = parts.hostname or "127.0.0.1"
        self.target_port = parts.port or 80
        self.stats: dict[str, EndpointStats] = defaultdict(EndpointStats)
        self._lock = threading.Lock()
        self._local = threading.local()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> CountingProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        with self._lock:
            self.stats = defaultdict(EndpointStats)

    def snapshot(self) -> dict[str, EndpointStats]:
        with self._lock:
            return {
                k: EndpointStats(v.requests, v.bytes_in, v.bytes_out) for k, v in self.stats.items()
            }

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
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                headers["Host"] = f"{proxy.target_host}:{proxy.target_port}"
                try:
                    status, response_headers, data = proxy._forward(
                        self.command, self.path, headers, body
                    )
                except (OSError, http.client.HTTPException):
                    status, response_headers, data = 502, [], b"bad gateway"
                with proxy._lock:
                    stat = proxy.stats[endpoint_of(self.command, self.path)]
                    stat.requests += 1
                    stat.bytes_in += len(body or b"")
                    stat.bytes_out += len(data)
                self.send_response(status)
                for key, value in response_headers:
                    if key.lower() not in HOP_BY_HOP:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = do_PUT = do_HEAD = _any

        return Handler


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (and its finished children are not counted)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mib(pid: int) -> float:
    """VmHWM: the peak resident set size of a live process."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class CpuMeter:
    """CPU seconds of some processes over a window."""

    pids: dict[str, int]

    def __post_init__(self) -> None:
        self.started = time.monotonic()
        self.start = {name: cpu_seconds(pid) for name, pid in self.pids.items()}

    def read(self) -> dict[str, float]:
        return {name: cpu_seconds(pid) - self.start[name] for name, pid in self.pids.items()}

    @property
    def minutes(self) -> float:
        return (time.monotonic() - self.started) / 60
