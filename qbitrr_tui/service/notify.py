"""Notifications through Apprise: one message per outage, not one per cycle.

:class:`Deduper` (pure) turns engine events into :class:`Message`s; :class:`Notifier` sends
them from a thread of its own, so a slow notification service never holds up the events.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from qbitrr_tui.config.model import NotificationSettings
from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.model import ActionKind
from qbitrr_tui.errors import UserError
from qbitrr_tui.health import Health, HealthState
from qbitrr_tui.logs import SECRETS, get_logger

log = get_logger("notify")
DOWN = (HealthState.DOWN, HealthState.AUTH_FAILED)
LISTED = 5  # names quoted in one message; the rest are counted


@dataclass(frozen=True, slots=True)
class Message:
    event: str  # one of schema.NOTIFY_EVENTS
    title: str
    body: str
    level: str = "warning"  # apprise NotifyType: info, success, warning, failure


@dataclass
class Deduper:
    wanted: Collection[str]
    down_instances: set[str] = field(default_factory=set)
    down_arrs: set[str] = field(default_factory=set)
    holding: set[str] = field(default_factory=set)  # instances with deletions held
    failed: set[tuple[str, str, str]] = field(default_factory=set)  # (instance, hash, action)
    _held: dict[str, set[str]] = field(default_factory=dict)
    _new_failures: list[ev.ActionEvent] = field(default_factory=list)

    def observe(self, event: ev.Event) -> list[Message]:
        out: list[Message] = []
        if isinstance(event, ev.InstanceHealthChanged):
            out += self._outage("instance", event.health, self.down_instances)
        elif isinstance(event, ev.ArrHealthChanged):
            out += self._outage("arr", event.health, self.down_arrs)
        elif isinstance(event, ev.ActionEvent):
            self._action(event)
        elif isinstance(event, ev.CycleFinished):
            out += self._cycle_done()
        return [m for m in out if m.event in self.wanted]

    def engine_error(self, text: str) -> list[Message]:
        message = Message("engine_error", "qbitrr-tui: the engine stopped", text, "failure")
        return [message] if message.event in self.wanted else []

    def _outage(self, what: str, health: Health, down: set[str]) -> list[Message]:
        name = health.name
        label = f"instance '{name}'" if what == "instance" else name
        if health.state in DOWN and name not in down:
            down.add(name)
            detail = f": {health.last_error}" if health.last_error else ""
            return [
                Message(
                    f"{what}_down",
                    f"qbitrr-tui: {label} is down",
                    f"{label} is {health.state.value}{detail}",
                    "failure",
                )
            ]
        if health.state is HealthState.UP and name in down:
            down.discard(name)
            version = f" (version {health.version})" if health.version else ""
            return [
                Message(
                    f"{what}_up",
                    f"qbitrr-tui: {label} is back up",
                    f"{label} is up again{version}",
                    "success",
                )
            ]
        if health.state is HealthState.DISABLED:
            down.discard(name)  # turned off on purpose: no "back up" to announce later
        return []

    def _action(self, event: ev.ActionEvent) -> None:
        key = (event.instance, event.hash, event.action.describe())
        if event.outcome == "held":
            self._held.setdefault(event.instance, set()).add(event.hash)
        elif event.outcome == "failed" and key not in self.failed:
            self.failed.add(key)
            self._new_failures.append(event)
        elif event.outcome == "applied":
            self.failed.discard(key)  # it worked: a new failure is news again

    def _cycle_done(self) -> list[Message]:
        out: list[Message] = []
        held, self._held = self._held, {}
        for instance in sorted(set(held) - self.holding):
            count = len(held[instance])
            out.append(
                Message(
                    "deletions_held",
                    f"qbitrr-tui: deletions held on instance '{instance}'",
                    f"{count} torrent(s) would be deleted on instance '{instance}', more than "
                    "MaxDeletionsPerCycle allows; none were. Approve them in the dashboard's "
                    "plan view or with POST /api/plan/apply.",
                )
            )
        self.holding = set(held)
        failures, self._new_failures = self._new_failures, []
        for kind in ("import_failed", "action_failed"):
            chosen = [
                f
                for f in failures
                if (f.action.kind is ActionKind.IMPORT) == (kind == "import_failed")
            ]
            if chosen:
                out.append(_failure_message(kind, chosen))
        return out


def _failure_message(kind: str, failures: list[ev.ActionEvent]) -> Message:
    what = "import" if kind == "import_failed" else "action"
    lines = [
        f"{f.action.describe()} '{f.name}' on instance '{f.instance}': {f.error or 'failed'}"
        for f in failures[:LISTED]
    ]
    if len(failures) > LISTED:
        lines.append(f"… and {len(failures) - LISTED} more")
    return Message(kind, f"qbitrr-tui: {len(failures)} {what}(s) failed", "\n".join(lines))


Sender = Callable[[Message], bool]


def apprise_sender(urls: Collection[str]) -> Sender:
    """A function that sends one message to every URL through Apprise."""
    try:
        import apprise
    except ImportError:
        raise UserError(
            "[Notifications] URLs are set but Apprise is not installed: "
            "pip install 'qbitrr-tui[notify]'"
        ) from None
    # Apprise logs its own failures; its URLs carry credentials, so redact those too.
    logging.getLogger("apprise").addFilter(SECRETS)
    client: Any = apprise.Apprise()
    for url in urls:
        if not client.add(url):
            raise UserError("[Notifications] one of the URLs is not an Apprise URL Apprise knows")

    def send(message: Message) -> bool:
        return bool(
            client.notify(body=message.body, title=message.title, notify_type=message.level)
        )

    return send


class Notifier:
    def __init__(self, settings: NotificationSettings, sender: Sender | None = None) -> None:
        self.deduper = Deduper(frozenset(settings.events))
        self.sender = sender or apprise_sender(settings.urls)
        self.sent = 0
        self._queue: queue.Queue[Message | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="notify", daemon=True)
        self._thread.start()

    def observe(self, event: ev.Event) -> None:
        for message in self.deduper.observe(event):
            self._queue.put(message)

    def engine_error(self, text: str) -> None:
        for message in self.deduper.engine_error(text):
            self._queue.put(message)

    def stop(self, timeout: float = 10.0) -> None:
        """Send what is queued (an engine error, say), then stop."""
        self._queue.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        while (message := self._queue.get()) is not None:
            try:
                ok = self.sender(message)
            except Exception:
                log.exception("notification %r not sent", message.event)
                continue
            if ok:
                self.sent += 1
            else:
                log.warning("notification %r not sent (see the Apprise log)", message.event)
