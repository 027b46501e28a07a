"""For engine tests: hand-made fetch results and plans (no network), and reading an
engine's events."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from typing import TypeVar

from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.loop import Engine
from qbitrr_tui.engine.model import Action, ActionKind, Rule
from qbitrr_tui.engine.plan import Planned
from qbitrr_tui.qbit.fetch import ServerState
from qbitrr_tui.qbit.manager import InstanceFetch
from qbitrr_tui.qbit.snapshot import TorrentSnapshot

DELETE = (Action(ActionKind.BLOCKLIST, queue_ids=(1,), arr="Radarr"), Action(ActionKind.DELETE))
PAUSE = (Action(ActionKind.PAUSE),)

E = TypeVar("E")


def fetched(
    name: str, *torrents: TorrentSnapshot, connection: str = "connected", error: str | None = None
) -> InstanceFetch:
    """One instance's read, as QbitManager.fetch() returns it."""
    return InstanceFetch(
        name,
        torrents,
        server=ServerState(connection_status=connection),
        category_counts={"radarr": len(torrents)},
        error=error,
    )


def planned(
    hash_: str, actions: tuple[Action, ...] = DELETE, *, instance: str = "default"
) -> Planned:
    return Planned(instance, hash_, f"name-{hash_[:4]}", "/dl/x", Rule.STALLED, "why", actions)


def drain(engine: Engine) -> list[ev.Event]:
    """The events the engine has put out so far."""
    out: list[ev.Event] = []
    while True:
        try:
            out.append(engine.events.get_nowait())
        except queue.Empty:
            return out


def next_event(
    engine: Engine,
    kind: type[E],
    timeout: float = 15.0,
    where: Callable[[E], bool] = lambda e: True,
) -> E:
    """The next event of ``kind`` (matching ``where``) from a running engine; the others
    before it are dropped."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            event = engine.events.get(timeout=0.2)
        except queue.Empty:
            continue
        if isinstance(event, kind) and where(event):
            return event
    raise AssertionError(f"no {kind.__name__} within {timeout}s")
