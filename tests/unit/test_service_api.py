"""The API without sockets: token rules, routing errors, and the engine fan-out."""

from __future__ import annotations

import json
import queue
import socket
import threading

import pytest

from qbitrr_tui.config.model import WebApiSettings
from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.fanout import EventFanOut
from qbitrr_tui.errors import UserError
from qbitrr_tui.health import Health, HealthState
from qbitrr_tui.service.feed import EventFeed
from qbitrr_tui.service.metrics import Metrics
from qbitrr_tui.service.server import Api, ApiServer
from qbitrr_tui.tui.view_model import DashboardModel


def make_api(token: str = "") -> tuple[Api, queue.Queue[ev.Command]]:
    model = DashboardModel(["default"])
    model.apply(ev.InstanceHealthChanged(Health("default", "h:1", HealthState.UP, 0.0)))
    feed = EventFeed(queue.Queue(), model)
    commands: queue.Queue[ev.Command] = queue.Queue()
    return Api(feed, commands, Metrics(model, feed.lock), token), commands


def test_token_required_everywhere_but_health() -> None:
    api, commands = make_api("t0ken-abc")
    assert api.handle("GET", "/health", {}, b"").status == 200
    for method, path in (("GET", "/api/status"), ("GET", "/metrics"), ("POST", "/api/rescan")):
        assert api.handle(method, path, {}, b"").status == 401
        wrong = {"authorization": "Bearer t0ken-abd"}
        assert api.handle(method, path, wrong, b"").status == 401
    assert commands.empty()  # a refused command is not sent
    assert (
        api.handle("GET", "/api/status", {"authorization": "Bearer t0ken-abc"}, b"").status == 200
    )
    assert api.handle("POST", "/api/rescan", {"x-api-key": "t0ken-abc"}, b"").status == 202
    assert commands.get_nowait() == ev.RescanNow()


def test_without_a_token_loopback_is_open() -> None:
    api, commands = make_api()
    reply = api.handle("POST", "/api/instances/default/disable", {}, b"")
    assert reply.status == 202 and commands.get_nowait() == ev.SetInstanceEnabled("default", False)
    assert json.loads(api.handle("GET", "/health/ready", {}, b"").body) == {
        "ready": True,
        "config_loaded": True,
    }


def test_bad_requests() -> None:
    api, _ = make_api()
    assert api.handle("POST", "/api/plan/apply", {}, b"{not json").status == 400
    assert api.handle("POST", "/api/plan/apply", {}, b'{"keys": "all"}').status == 400
    assert api.handle("GET", "/api/activity?since=yesterday", {}, b"").status == 400
    assert api.handle("DELETE", "/api/status", {}, b"").status == 405
    assert api.handle("GET", "/api/plan/apply", {}, b"").status == 405


def test_server_refuses_a_public_address_without_a_token() -> None:
    api, _ = make_api()
    with pytest.raises(UserError, match="not a loopback address"):
        ApiServer(api, WebApiSettings(enabled=True, host="0.0.0.0", port=0))


def _put_all(events: EventFanOut, sent: list[ev.EngineStateChanged]) -> None:
    for event in sent:
        events.put(event)


def test_fan_out_copies_every_event_to_each_subscriber() -> None:
    events = EventFanOut()
    first, second = events.subscribe(), events.subscribe()
    sent_events = [ev.EngineStateChanged(False, bool(i % 2), str(i)) for i in range(1000)]
    threads = [threading.Thread(target=lambda: _put_all(events, sent_events)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert events.qsize() == first.qsize() == second.qsize() == 2000
    events.unsubscribe(first)
    events.put(sent_events[0])
    assert first.qsize() == 2000 and second.qsize() == 2001 and events.qsize() == 2001


def read_all(sock: socket.socket) -> bytes:
    """Everything until the server closes the connection."""
    chunks = []
    while chunk := sock.recv(4096):
        chunks.append(chunk)
    return b"".join(chunks)


def test_the_server_answers_bad_requests_and_prints_no_traceback(
    capfd: pytest.CaptureFixture[str],
) -> None:
    api, _ = make_api()
    server = ApiServer(api, WebApiSettings(enabled=True, port=0))
    server.start()
    try:
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            sock.sendall(b"POST /api/rescan HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n")
            answer = read_all(sock)
            assert answer.startswith(b"HTTP/1.1 400") and b"bad Content-Length" in answer
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            sock.sendall(b"GET /api/events?after=0&wait=0.5 HTTP/1.1\r\nHost: x\r\n\r\n")
        # ^ hangs up before the long poll answers
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert read_all(sock).endswith(b'{"status": "ok"}')
        threading.Event().wait(1.0)  # the abandoned long poll answers into a closed socket
    finally:
        server.stop()
    assert "Traceback" not in capfd.readouterr().err
