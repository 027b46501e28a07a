"""ArrFleet's deadline: an Arr whose queue read hangs holds up only itself, and its last
good queue is kept, marked stale (no network: a client whose queue read waits on a gate)."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from qbitrr_tui.arr.client import ArrClient
from qbitrr_tui.arr.queue import QueueGroup
from qbitrr_tui.config.model import ArrConfig
from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.arrs import ArrFleet
from qbitrr_tui.health import HealthState
from tests.unit.rule_helpers import NOW, arr

GROUPS = {"ab" * 20: QueueGroup("ab" * 20, ())}


class GatedClient(ArrClient):
    """Up; its queue read waits for ``gate`` (set: answers at once)."""

    gate: threading.Event

    def queue_by_download(self) -> dict[str, QueueGroup]:
        self.gate.wait()
        return dict(GROUPS)


def fleet(gate: threading.Event) -> ArrFleet:
    def make(config: ArrConfig, clock: Any) -> ArrClient:
        client = GatedClient(config, clock=clock)
        client.gate = gate
        client.health = client.health.moved_to(HealthState.UP, NOW)
        return client

    return ArrFleet(
        [replace(arr(), name="Radarr")], clock=lambda: NOW, client=make, read_budget=0.3
    )


def test_a_hung_queue_read_is_waited_for_once_then_its_last_queue_is_stale() -> None:
    gate = threading.Event()
    gate.set()
    arrs = fleet(gate)
    try:
        fresh, _ = arrs.collect(arrs.start_reads())
        assert fresh == {"Radarr": GROUPS} and arrs.stale_queues(fresh) == {}

        gate.clear()  # the Arr stops answering
        fresh, events = arrs.collect(arrs.start_reads())
        assert fresh == {}
        (stale,) = arrs.stale_queues(fresh).values()
        assert stale.groups == GROUPS and stale.read_at == NOW
        (event,) = events
        assert isinstance(event, ev.ArrHealthChanged) and event.health.stale_since == NOW
        assert event.health.slow is not None and event.health.slow >= 0.3

        reads = arrs.start_reads()  # still hanging: not asked again, nothing to wait for
        assert reads.jobs == {}
        fresh, events = arrs.collect(reads)
        assert fresh == {} and "Radarr" in arrs.stale_queues(fresh)
        assert [e.health.stale_since for e in events if isinstance(e, ev.ArrHealthChanged)] in (
            [],
            [NOW],
        )
    finally:
        gate.set()
        arrs.close()
