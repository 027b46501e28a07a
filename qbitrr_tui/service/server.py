"""The HTTP API: the standard library's threading server, routes, token check, commands.

No web framework: a dozen routes do not need one, and the engine gains no dependency.
Commands go on the engine's command queue, exactly as the dashboard sends them.
"""

from __future__ import annotations

import hmac
import json
import queue
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from qbitrr_tui.config.model import WebApiSettings
from qbitrr_tui.engine import events as ev
from qbitrr_tui.errors import UserError
from qbitrr_tui.logs import get_logger
from qbitrr_tui.service import views
from qbitrr_tui.service.codec import encode
from qbitrr_tui.service.event_log import snapshot
from qbitrr_tui.service.feed import EventFeed
from qbitrr_tui.service.metrics import CONTENT_TYPE, Metrics
from qbitrr_tui.service.openapi import OPENAPI

log = get_logger("service")
MAX_BODY = 1 << 20
MAX_WAIT = 25.0  # seconds a long poll on /api/events may wait


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: bytes
    content_type: str = "application/json"


def json_reply(payload: object, status: int = HTTPStatus.OK) -> Reply:
    return Reply(status, json.dumps(payload).encode())


def error(status: int, message: str) -> Reply:
    return json_reply({"error": message}, status)


Handler = Callable[[dict[str, str], dict[str, str], Any], Reply]


class Api:
    """Routes → replies; no sockets here, so it is easy to reason about (and to test)."""

    def __init__(
        self,
        feed: EventFeed,
        commands: queue.Queue[ev.Command],
        metrics: Metrics,
        token: str = "",
    ) -> None:
        self.feed = feed
        self.model = feed.model
        self.commands = commands
        self.metrics = metrics
        self._token = token.encode()
        self.routes: list[tuple[str, re.Pattern[str], str, Handler]] = []
        for method, template, handler in (
            ("GET", "/health", self.health),
            ("GET", "/health/ready", self.ready),
            ("GET", "/metrics", self.prometheus),
            ("GET", "/api/openapi.json", self.openapi),
            ("GET", "/api/status", self.status),
            ("GET", "/api/torrents/distribution", self.distribution),
            ("GET", "/api/torrents", self.torrents),
            ("GET", "/api/activity", self.activity),
            ("GET", "/api/plan", self.plan),
            ("GET", "/api/events", self.events),
            ("POST", "/api/rescan", self.rescan),
            ("POST", "/api/instances/{name}/enable", self.enable),
            ("POST", "/api/instances/{name}/disable", self.disable),
            ("POST", "/api/plan/apply", self.apply_plan),
            ("POST", "/api/engine/pause", self.pause),
            ("POST", "/api/engine/resume", self.resume),
            ("POST", "/api/engine/dry-run", self.dry_run),
        ):
            pattern = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$")
            self.routes.append((method, pattern, template, handler))

    # --- dispatch --------------------------------------------------------------------
    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Reply:
        parts = urlsplit(target)
        path = parts.path.rstrip("/") or "/"
        allowed: list[str] = []
        for route_method, pattern, template, handler in self.routes:
            match = pattern.match(path)
            if match is None:
                continue
            if route_method != method:
                allowed.append(route_method)
                continue
            self.metrics.api_requests.labels(template).inc()
            if template != "/health" and not self._authorised(headers):
                return error(HTTPStatus.UNAUTHORIZED, "a valid token is required")
            try:
                payload = json.loads(body) if body.strip() else None
            except ValueError:
                return error(HTTPStatus.BAD_REQUEST, "the body is not JSON")
            query = dict(parse_qsl(parts.query))
            try:
                return handler(match.groupdict(), query, payload)
            except views.BadParameter as exc:
                return error(HTTPStatus.BAD_REQUEST, str(exc))
        if allowed:
            return error(HTTPStatus.METHOD_NOT_ALLOWED, f"use {' or '.join(allowed)}")
        return error(HTTPStatus.NOT_FOUND, f"no such endpoint: {path}")

    def _authorised(self, headers: dict[str, str]) -> bool:
        if not self._token:
            return True  # loopback without a token (config validation refuses the rest)
        given = headers.get("x-api-key", "")
        scheme, _, credentials = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            given = credentials.strip()
        return hmac.compare_digest(given.encode(), self._token)

    # --- reads -----------------------------------------------------------------------
    def health(self, params: dict[str, str], query: dict[str, str], body: Any) -> Reply:
        return json_reply({"status": "ok"})

    def ready(self, params: dict[str, str], query: dict[str, str], body: Any) -> Reply:
        with self.feed.lock:
            ready = views.is_ready(self.model)
        status = HTTPStatus.OK if ready else HTTPStatus.SERVICE_UNAVAILABLE
        return json_reply({"ready": ready, "config_loaded": True}, status)

    def prometheus(self, params: dict[str, str], query: dict[str, str], body: Any) -> Reply:
        return Reply(HTTPStatus.OK, self.metrics.render(), CONTENT_TYPE)

    def openapi(self, params: dict[str, str], query: dict[str, str], body: Any) -> Reply:
        return json_reply(OPENAPI)

    def status(self, params: dict[str, str], query: dict[str, str], body: Any) -> Reply:
        with self.feed.lock:
            payload = views.status(self.model)
        return json_reply(payload)

    def distribution(self, params: dict[str, str], query: dict[str, str], body: Any) -> Reply:
        detail = query.get("detail", "") not in ("", "0", "false")
        # Under the lock only what is cheap: rows are frozen, so the per-row work (and
        # all JSON encoding) happens after it, and the feed is never held up by a reader.
        with self.feed.lock:
            payload = views.distribution(self.model)
            rows = list(self.model.torrents.values()) if detail else []
            up = {v.name for v in views.live_instances(self.model)}
        if detail:
            payload["detail"] = views.distribution_detail(rows, up)
        return json_reply(payload)

    def torrents(self, params: dict[str, str], query: dict[str, str], body: Any) -> Reply:
        with self.feed.lock:
            rows = list(self.model.torrents.values())
        return json_reply(views.torrents(rows, query))

    def activity(self, params: dict[str, str], query: dict[str, str], body: Any) -> Reply:
        since = views.float_param(query, "since", 0.0)
        with self.feed.lock:
            payload = views.activity(self.model, since)
        return json_reply(payload)

    def plan(self, params: dict[str, str], query: dict[str, str], body: Any) -> Reply:
        with self.feed.lock:
            payload = views.plan(self.model)
        return json_reply(payload)

    def events(self, params: dict[str, str], query: dict[str, str], body: Any) -> Reply:
        """The events after ``after`` (waiting up to ``wait`` seconds for one), or a
        snapshot of the model as events (``reset``) when the client has none of them."""
        after = int(views.float_param(query, "after", -1))
        wait = min(max(views.float_param(query, "wait", 0.0), 0.0), MAX_WAIT)
        log_ = self.feed.log
        with self.feed.lock:
            if wait and after == log_.seq:
                log_.changed.wait_for(lambda: log_.seq != after, timeout=wait)
            events = log_.after(after)
            reset = events is None
            if events is None:
                events = snapshot(self.model)
            seq = log_.seq
        # Events are frozen: encoding (a second or more for 30,000 rows) needs no lock.
        return json_reply({"seq": seq, "reset": reset, "events": [encode(e) for e in events]})

    # --- commands --------------------------------------------------------------------
    def _send(self, command: ev.Command, name: str, **extra: object) -> Reply:
        self.commands.put(command)
        return json_reply({"accepted": True, "command": name, **extra}, HTTPStatus.ACCEPTED)

    def rescan(self, params: dict[str, str], query: dict[str, str], body: Any) -> Reply:
        return self._send(ev.RescanNow(), "rescan")

    def _set_enabled(self, name: str, enabled: bool) -> Reply:
        with self.feed.lock:
            known = name in self.model.instances
        if not known:
            return error(HTTPStatus.NOT_FOUND, f"no instance named {name!r}")
        return self._send(ev.SetInstanceEnabled(name, enabled), "set_instance_enabled")

    def enable(self, params: dict[str, str], query: dict[str, str], body: Any) -> Reply:
        return self._set_enabled(params["name"], True)

    def disable(self, params: dict[str, str], query: dict[str, str], body: Any) -> Reply:
        return self._set_enabled(params["name"], False)

    def pause(self, params: dict[str, str], query: dict[str, str], body: Any) -> Reply:
        return self._send(ev.SetPaused(True), "pause")

    def resume(self, params: dict[str, str], query: dict[str, str], body: Any) -> Reply:
        return self._send(ev.SetPaused(False), "resume")

    def dry_run(self, params: dict[str, str], query: dict[str, str], body: Any) -> Reply:
        enabled = body.get("enabled") if isinstance(body, dict) else None
        if not isinstance(enabled, bool):
            return error(HTTPStatus.BAD_REQUEST, 'expected {"enabled": true|false}')
        return self._send(ev.SetDryRun(enabled), "set_dry_run")

    def apply_plan(self, params: dict[str, str], query: dict[str, str], body: Any) -> Reply:
        """Body ``{"keys": [[instance, hash], …]}``; no body: everything in the plan."""
        with self.feed.lock:
            in_plan = set(self.model.plan)
        if body is None:
            keys = sorted(in_plan)
        else:
            raw = body.get("keys") if isinstance(body, dict) else None
            if not isinstance(raw, list) or not all(
                isinstance(k, list) and len(k) == 2 and all(isinstance(p, str) for p in k)
                for k in raw
            ):
                return error(HTTPStatus.BAD_REQUEST, 'expected {"keys": [[instance, hash], …]}')
            keys = [(k[0], k[1]) for k in raw]
            unknown = [k for k in keys if k not in in_plan]
            if unknown:
                return error(
                    HTTPStatus.NOT_FOUND, f"not in the plan: {unknown[0][0]}/{unknown[0][1]}"
                )
        return self._send(ev.ApplyPlanned(tuple(keys)), "apply_planned", count=len(keys))


class ApiServer:
    """Serves an :class:`Api` on ``settings.host``:``settings.port`` in its own thread."""

    def __init__(self, api: Api, settings: WebApiSettings) -> None:
        if not settings.loopback and not settings.token:
            raise UserError(
                f"[WebAPI] Host {settings.host!r} is not a loopback address: set a Token, "
                "or listen on 127.0.0.1"
            )
        self.api = api
        handler = type("Handler", (_Handler,), {"api": api})
        try:
            self.httpd = _Server((settings.host, settings.port), handler)
        except OSError as exc:
            raise UserError(
                f"[WebAPI] cannot listen on {settings.host}:{settings.port}: {exc.strerror}"
            ) from None
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, name="service-http", daemon=True
        )

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(5)


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a long poll must not hold up the engine's exit

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that hangs up mid-answer (attach quitting during a long poll) is
        # normal; the standard server would print a traceback to stderr.
        log.debug("api: a request from %s ended early", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    api: Api
    server_version = "qbitrr-tui"
    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes; with Nagle on, a keep-alive client waits
    # for its delayed ACK (~40 ms) on every request.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True  # the body is left unread
            reply = (
                error(HTTPStatus.BAD_REQUEST, "bad Content-Length")
                if length < 0
                else error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body too large")
            )
        else:
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            reply = self.api.handle(method, self.path, headers, body)
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        if reply.status == HTTPStatus.UNAUTHORIZED:
            self.send_header("WWW-Authenticate", 'Bearer realm="qbitrr-tui"')
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: object) -> None:
        # The request line only (never headers: they carry the token), at DEBUG.
        log.debug("api %s - %s", self.address_string(), format % args)
