"""The engine's event queue, copied to any number of other readers.

The engine puts each event on one queue, which the dashboard (or the headless log) drains.
The HTTP service, its metrics and the notifier need the same events without taking them
from the dashboard, so the queue they share is this one: it is the engine's ``events``
queue as before, and every event put on it is also put on each subscriber's own queue.
"""

from __future__ import annotations

import queue
import threading

from qbitrr_tui.engine import events as ev


class EventFanOut(queue.Queue[ev.Event]):
    def __init__(self) -> None:
        super().__init__()
        self._subscribers: tuple[queue.Queue[ev.Event], ...] = ()
        self._lock = threading.Lock()

    def subscribe(self) -> queue.Queue[ev.Event]:
        """A new queue that receives every event from now on."""
        mine: queue.Queue[ev.Event] = queue.Queue()
        with self._lock:
            self._subscribers = (*self._subscribers, mine)
        return mine

    def unsubscribe(self, subscriber: queue.Queue[ev.Event]) -> None:
        with self._lock:
            self._subscribers = tuple(q for q in self._subscribers if q is not subscriber)

    def put(self, item: ev.Event, block: bool = True, timeout: float | None = None) -> None:
        super().put(item, block, timeout)
        for subscriber in self._subscribers:  # a tuple: replaced, never changed in place
            subscriber.put_nowait(item)
