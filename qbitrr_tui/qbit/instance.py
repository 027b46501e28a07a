"""One configured qBittorrent instance's state, and the health state machine over it.

:class:`Instance` is what the manager keeps per instance (its connection, its incremental
view, the call still running); :class:`HealthBook` moves an instance's health and tells the
listener (the engine's events) when anything the dashboard shows changed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from qbitrr_tui.config.model import QbitInstanceConfig
from qbitrr_tui.health import Health, HealthState
from qbitrr_tui.logs import get_logger
from qbitrr_tui.qbit.adapter import InstanceAdapter
from qbitrr_tui.qbit.fetch import MaindataView
from qbitrr_tui.qbit.webapi import WebApiClient

log = get_logger("qbit")

HealthListener = Callable[[Health], None]


@dataclass
class Instance:
    config: QbitInstanceConfig
    health: Health
    view: MaindataView
    client: WebApiClient | None = None
    adapter: InstanceAdapter | None = None
    busy: Future[object] | None = None
    busy_since: float = 0.0
    last_good: float | None = None  # when it was last read whole


class HealthBook:
    """Health changes of the instances, published when what the dashboard shows changed."""

    def __init__(
        self, clock: Callable[[], float], on_health: HealthListener | None, lock: threading.RLock
    ) -> None:
        self._clock = clock
        self._on_health = on_health
        self._lock = lock

    def failed(self, inst: Instance, state: HealthState, error: str) -> None:
        before = inst.health
        inst.adapter = None
        self.set(inst, before.failed(state, error, self._clock()))
        if before.state is not state:
            log.warning("%s", error)

    def set(self, inst: Instance, health: Health) -> None:
        with self._lock:
            changed = shown(health) != shown(inst.health)
            inst.health = health
        if changed:
            self.emit(health)

    def emit(self, health: Health) -> None:
        if self._on_health is not None:
            self._on_health(health)


def shown(health: Health) -> tuple[object, ...]:
    """What the dashboard shows of a health: a change of any of it is published."""
    # next_attempt too: the dashboard says when a down instance is tried again.
    return (health.state, health.last_error, health.next_attempt, health.slow, health.stale_since)


def busy(inst: Instance) -> bool:
    return inst.busy is not None and not inst.busy.done()
