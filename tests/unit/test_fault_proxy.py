"""The fault-injecting proxy does exactly the breakage it is asked for (a local server)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from qbitrr_tui.sandbox.proxy import Fault, Proxy


class Server:
    """Answers every request with a JSON body and remembers what it received."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                server.seen.append(f"{self.command} {self.path}")
                body = b'{"ok": true, "padding": "' + b"x" * 2000 + b'"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_DELETE = _any

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"


@pytest.fixture
def wired() -> Iterator[tuple[Server, Proxy]]:
    server = Server()
    proxy = Proxy("test", server.url).start()
    yield server, proxy
    proxy.stop()
    server.httpd.shutdown()
    server.httpd.server_close()


def test_passes_and_counts(wired: tuple[Server, Proxy]) -> None:
    server, proxy = wired
    assert requests.get(f"{proxy.url}/api/v3/queue/12?x=1", timeout=5).json()["ok"] is True
    assert server.seen == ["GET /api/v3/queue/12?x=1"]
    assert proxy.count("GET /api/v3/queue/{id}") == 1


def test_drop_never_reaches_the_server(wired: tuple[Server, Proxy]) -> None:
    server, proxy = wired
    proxy.inject(Fault("drop", match=r"^POST /api/v3/command"))
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{proxy.url}/api/v3/command", json={}, timeout=5)
    assert server.seen == []
    requests.post(f"{proxy.url}/api/v3/command", json={}, timeout=5)  # times=1: once only
    assert server.seen == ["POST /api/v3/command"]


def test_lose_answer_acts_but_the_client_never_hears(wired: tuple[Server, Proxy]) -> None:
    server, proxy = wired
    proxy.inject(Fault("lose_answer", match="DELETE /api/v3/queue/bulk"))
    with pytest.raises(requests.ConnectionError):
        requests.delete(f"{proxy.url}/api/v3/queue/bulk", timeout=5)
    assert server.seen == ["DELETE /api/v3/queue/bulk"]
    assert proxy.injected == [("lose_answer", "DELETE /api/v3/queue/bulk")]


def test_truncate_cuts_the_body(wired: tuple[Server, Proxy]) -> None:
    _, proxy = wired
    proxy.inject(Fault("truncate", match="GET"))
    with pytest.raises(requests.RequestException):
        requests.get(f"{proxy.url}/api/v2/sync/maindata", timeout=5).json()


def test_status_answers_html_instead(wired: tuple[Server, Proxy]) -> None:
    server, proxy = wired
    proxy.inject(Fault("status", match="GET", status=502, times=2))
    answers = [requests.get(f"{proxy.url}/x", timeout=5) for _ in range(3)]
    assert [a.status_code for a in answers] == [502, 502, 200]
    assert answers[0].text.startswith("<html>") and server.seen == ["GET /x"]


def test_delay_and_hang(wired: tuple[Server, Proxy]) -> None:
    server, proxy = wired
    proxy.inject(Fault("delay", match="GET /slow", seconds=0.5))
    started = time.monotonic()
    requests.get(f"{proxy.url}/slow", timeout=5)
    assert time.monotonic() - started >= 0.5
    proxy.inject(Fault("hang", match="GET /hung", times=-1))
    with pytest.raises(requests.Timeout):
        requests.get(f"{proxy.url}/hung", timeout=0.5)
    proxy.release()  # the peer wakes up: requests flow again
    assert requests.get(f"{proxy.url}/hung", timeout=5).ok
    assert server.seen == ["GET /slow", "GET /hung"]
