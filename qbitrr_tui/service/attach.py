"""`qbitrr-tui attach URL`: the dashboard of an engine that runs elsewhere (headless).

:class:`RemoteLink` is an ``EngineLink`` over the HTTP API: it follows ``/api/events``
(long poll) into the dashboard's event queue and turns the dashboard's commands into the
API's POSTs. Leaving the dashboard stops only the link; the engine keeps running.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass
from typing import Any

import requests

from qbitrr_tui.engine import events as ev
from qbitrr_tui.errors import UserError
from qbitrr_tui.logs import get_logger
from qbitrr_tui.service.codec import DecodeError, decode

log = get_logger("attach")
POLL_WAIT = 10.0  # seconds the server may hold a long poll
RETRY = 2.0


@dataclass(frozen=True, slots=True)
class RemoteFleet:
    """What the dashboard needs to lay itself out, from ``/api/status``."""

    instances: tuple[str, ...]
    arrs: tuple[str, ...]
    dry_run: bool


class RemoteLink:
    def __init__(self, url: str, token: str = "", *, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.events: queue.Queue[ev.Event] = queue.Queue()
        self.commands: queue.Queue[ev.Command] = queue.Queue()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.seq = -1

    # --- before the dashboard starts ----------------------------------------------------
    def fleet(self) -> RemoteFleet:
        """The remote fleet, or one clear sentence when it cannot be reached."""
        status = self._get("/api/status", timeout=self.timeout)
        return RemoteFleet(
            instances=tuple(status["qbitInstances"]),
            arrs=tuple(a["name"] for a in status["arrs"]),
            dry_run=bool(status["engine"]["dry_run"]),
        )

    def _get(self, path: str, **params: Any) -> Any:
        timeout = params.pop("timeout")
        try:
            response = self.session.get(self.url + path, params=params, timeout=timeout)
        except requests.RequestException as exc:
            raise UserError(f"cannot reach the engine at {self.url}: {_reason(exc)}") from None
        if response.status_code == 401:
            raise UserError(
                f"{self.url} wants a token: pass --token, or set QBITRR_TOKEN (preferred)"
            )
        if response.status_code != 200:
            raise UserError(f"{self.url}{path} answered HTTP {response.status_code}")
        return response.json()

    # --- EngineLink ---------------------------------------------------------------------
    def start(self) -> None:
        for target, name in ((self._follow, "attach-events"), (self._send, "attach-commands")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 30.0) -> None:
        """Stop following; the remote engine is not touched."""
        self._stop.set()
        self.commands.put(ev.RescanNow())  # wakes the sender, which sees the stop first
        for thread in self._threads:
            # A long poll may hold the follower up to POLL_WAIT: it is a daemon thread,
            # so the dashboard leaves at once rather than wait for it.
            thread.join(min(timeout, 1.0))

    def _follow(self) -> None:
        connected = True
        while not self._stop.is_set():
            try:
                page = self._get(
                    "/api/events", after=self.seq, wait=POLL_WAIT, timeout=POLL_WAIT + 10
                )
                events = [decode(e) for e in page["events"]]
            except (UserError, DecodeError, KeyError, ValueError) as exc:
                if connected:
                    self._say(f"lost the engine at {self.url}: {exc}")
                connected = False
                self._stop.wait(RETRY)
                continue
            if not connected:
                self._say(f"connected again to {self.url}")
                connected = True
            for event in events:
                self.events.put(event)
            self.seq = int(page["seq"])

    def _send(self) -> None:
        while True:
            command = self.commands.get()
            if self._stop.is_set():
                return
            try:
                self._post(command)
            except requests.RequestException as exc:
                self._say(f"command not sent to {self.url}: {_reason(exc)}")

    def _post(self, command: ev.Command) -> None:
        body: object = None
        if isinstance(command, ev.RescanNow):
            path = "/api/rescan"
        elif isinstance(command, ev.SetInstanceEnabled):
            verb = "enable" if command.enabled else "disable"
            path = f"/api/instances/{command.name}/{verb}"
        elif isinstance(command, ev.SetPaused):
            path = "/api/engine/pause" if command.paused else "/api/engine/resume"
        elif isinstance(command, ev.SetDryRun):
            path, body = "/api/engine/dry-run", {"enabled": command.enabled}
        elif isinstance(command, ev.ApplyPlanned):
            path, body = "/api/plan/apply", {"keys": [list(k) for k in command.keys]}
        else:  # ReloadConfig, Stop: the config and the process belong to the remote side
            self._say(f"{type(command).__name__} is not available when attached")
            return
        response = self.session.post(self.url + path, json=body, timeout=self.timeout)
        if response.status_code != 202:
            self._say(f"{path}: HTTP {response.status_code} {response.text[:200]}")

    def _say(self, message: str) -> None:
        log.warning("%s", message)
        self.events.put(ev.LogLine(time.time(), "WARNING", message))


def _reason(exc: Exception) -> str:
    if isinstance(exc, requests.ConnectionError):
        return "connection refused or host unreachable"
    if isinstance(exc, requests.Timeout):
        return "timed out"
    return type(exc).__name__
