"""The package's log records as ``LogLine`` events, for the dashboard's engine log."""

from __future__ import annotations

import contextlib
import logging
import queue
from collections.abc import Iterator

from qbitrr_tui.engine import events as ev
from qbitrr_tui.logs import LOGGER_NAME, SECRETS


@contextlib.contextmanager
def engine_log_events(events: queue.Queue[ev.Event], level: int = logging.INFO) -> Iterator[None]:
    """While inside, the package's log records also reach ``events`` as LogLine events
    (secrets redacted, as everywhere)."""
    handler = EventLogHandler(events)
    handler.setLevel(level)
    handler.addFilter(SECRETS)
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


class EventLogHandler(logging.Handler):
    """Log records as ``LogLine`` events (for the dashboard's engine log)."""

    def __init__(self, events: queue.Queue[ev.Event]) -> None:
        super().__init__()
        self.events = events

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.events.put(ev.LogLine(record.created, record.levelname, record.getMessage()))
        except Exception:
            self.handleError(record)
