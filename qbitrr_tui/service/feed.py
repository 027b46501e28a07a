"""One thread that moves the engine's events into the service's view model.

The HTTP handlers read that model under :attr:`EventFeed.lock`; the metrics and the
notifier see every event too, after the model has it.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence

from qbitrr_tui.engine import events as ev
from qbitrr_tui.logs import get_logger
from qbitrr_tui.service.event_log import EventLog
from qbitrr_tui.tui.view_model import DashboardModel

log = get_logger("service")
BATCH = 5_000  # events applied under one lock hold, so a reader never waits long


class EventFeed:
    def __init__(
        self,
        source: queue.Queue[ev.Event],
        model: DashboardModel,
        listeners: Sequence[Callable[[ev.Event], None]] = (),
    ) -> None:
        self.source = source
        self.model = model
        self.listeners = tuple(listeners)
        self.lock = threading.Lock()
        self.log = EventLog(self.lock)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="service-feed", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                first = self.source.get(timeout=0.2)
            except queue.Empty:
                continue
            batch = [first]
            while len(batch) < BATCH:
                try:
                    batch.append(self.source.get_nowait())
                except queue.Empty:
                    break
            with self.lock:
                self.model.apply_all(batch)
                self.model.take_changes()  # nobody paints: drop what the dashboard would
                self.log.append(batch)
            for event in batch:
                for listener in self.listeners:
                    try:
                        listener(event)
                    except Exception:  # a bug in one listener must not stop the feed
                        log.exception("service: handling %s failed", type(event).__name__)
