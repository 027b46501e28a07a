"""The last events, numbered, for clients that follow the engine (``attach``).

A client asks for what came after the number it has; one that fell too far behind (or
has nothing yet) gets a snapshot of the view model instead, as events, so it builds the
same state the server's model has.
"""

from __future__ import annotations

import threading
from collections import deque

from qbitrr_tui.engine import events as ev
from qbitrr_tui.tui.view_model import DashboardModel

KEEP = 20_000


class EventLog:
    def __init__(self, lock: threading.Lock, keep: int = KEEP) -> None:
        self.lock = lock  # the feed's: the model and this log change together under it
        self.changed = threading.Condition(lock)
        self.seq = 0
        self._events: deque[tuple[int, ev.Event]] = deque(maxlen=keep)

    def append(self, events: list[ev.Event]) -> None:
        """Called with the lock held, right after the model applied ``events``."""
        for event in events:
            if isinstance(event, ev.LogLine):
                continue  # the engine log stays on the engine's machine
            self.seq += 1
            self._events.append((self.seq, event))
        self.changed.notify_all()

    def after(self, seq: int) -> list[ev.Event] | None:
        """Events numbered above ``seq``; None when some of them are gone (or seq is
        unknown). Call with the lock held."""
        if seq > self.seq or seq < 0:
            return None
        if seq == self.seq:
            return []
        if not self._events or self._events[0][0] > seq + 1:
            return None
        return [event for number, event in self._events if number > seq]


def snapshot(model: DashboardModel) -> list[ev.Event]:
    """Events that rebuild ``model`` in an empty one. Call with the lock held."""
    out: list[ev.Event] = []
    for view in model.instances.values():
        if view.health is not None:
            out.append(ev.InstanceHealthChanged(view.health))
        if view.stats is not None:
            out.append(view.stats)
    for arr in model.arrs.values():
        if arr.health is not None:
            out.append(ev.ArrHealthChanged(arr.health, arr.kind, arr.category, arr.queue_size))
    by_instance: dict[str, list[ev.TorrentRow]] = {}
    for row in model.torrents.values():
        by_instance.setdefault(row.instance, []).append(row)
    for name in model.instances:
        out.append(ev.TorrentsUpdated(name, tuple(by_instance.get(name, ())), full=True))
    out.extend(model.activity)
    e = model.engine
    if e.cycle:
        out.append(
            ev.CycleFinished(
                cycle=e.cycle,
                started=0.0,
                duration=e.duration or 0.0,
                requests_per_instance={},
                requests_per_arr={},
                actions=0,
                torrents=e.torrents,
                next_cycle_at=e.next_cycle_at or 0.0,
                paused=e.paused,
                dry_run=e.dry_run,
                held=e.held,
            )
        )
    out.append(ev.EngineStateChanged(e.paused, e.dry_run, e.message))
    return out
