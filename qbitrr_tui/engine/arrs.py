"""The Arr fleet: one client per managed Arr, probed and read concurrently, health reported.

Per cycle: Arrs that are not up are probed (``system/status``) when their back-off allows —
alongside the qBittorrent reads, in this module's own pool — then every Arr's queue is read
once, grouped by download. A failed read leaves that Arr out of the cycle's queues, which
the rules read as "Arr unreachable: defer anything that needs it". The methods return the
health events to publish; they emit nothing themselves.

**Deadlines.** An Arr that does not answer holds up only itself: the cycle waits at most
``read_budget`` seconds for the queues (and the probes); an Arr not read by then is left out
of this cycle, exactly like a failed read — its last queue is stale, so nothing is removed,
blocklisted or imported for it — and while its read is still running it is not asked again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures import wait as wait_futures

from qbitrr_tui.arr.client import ArrClient, ArrError
from qbitrr_tui.arr.queue import QueueGroup
from qbitrr_tui.config.model import ArrConfig
from qbitrr_tui.engine import events as ev
from qbitrr_tui.health import Health, HealthState
from qbitrr_tui.logs import get_logger

log = get_logger("arrs")

READ_BUDGET = 10.0  # seconds a cycle waits for the Arrs (a queue read is one to a few pages)

ClientFactory = Callable[[ArrConfig, Callable[[], float]], ArrClient]


def _client(config: ArrConfig, clock: Callable[[], float]) -> ArrClient:
    return ArrClient(config, clock=clock)


class ArrFleet:
    def __init__(
        self,
        arrs: Iterable[ArrConfig],
        *,
        clock: Callable[[], float],
        client: ClientFactory = _client,
        read_budget: float = READ_BUDGET,
    ) -> None:
        self.clock = clock
        self.read_budget = read_budget
        self._reads: dict[str, Future[dict[str, QueueGroup]]] = {}  # still running, maybe
        self._new_client = client
        # Kept as the same dict across reloads: the executor holds it.
        self.clients: dict[str, ArrClient] = {}
        self._health: dict[str, Health] = {}  # as last published
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="arr")
        self.configure(arrs)

    def configure(self, arrs: Iterable[ArrConfig]) -> None:
        """Match the clients to ``arrs``: unchanged ones keep their connection and health."""
        current = dict(self.clients)
        self.clients.clear()
        for arr in arrs:
            client = current.pop(arr.name, None)
            if client is None or client.config != arr:
                if client is not None:
                    client.close()
                client = self._new_client(arr, self.clock)
            self.clients[arr.name] = client
        for leftover in current.values():
            leftover.close()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        for client in self.clients.values():
            client.close()

    def requests_made(self) -> dict[str, int]:
        return {name: c.requests_made for name, c in self.clients.items()}

    def start_probe(self, now: float) -> Future[list[ev.Event]]:
        """Probe, in the background, the Arrs that are not up and are due a try."""
        return self._pool.submit(self._probe, now)

    def _probe(self, now: float) -> list[ev.Event]:
        events: list[ev.Event] = []
        for client in self.clients.values():
            if client.health.state is not HealthState.UP and client.health.due(now):
                with contextlib.suppress(ArrError):  # its health says why
                    client.system_status()
                events += self._health_event(client, None)
        return events

    def probe_events(self, probe: Future[list[ev.Event]]) -> list[ev.Event]:
        """The probe's health events, if it finished within the budget (else next time)."""
        try:
            return probe.result(timeout=self.read_budget)
        except FutureTimeout:
            return []

    def read_queues(self) -> tuple[dict[str, dict[str, QueueGroup]], list[ev.Event]]:
        """Every reachable Arr's queue by download id, and the health events to publish;
        an Arr that does not answer within ``read_budget`` is left out (its queue stale)."""
        now = self.clock()
        started: dict[str, Future[dict[str, QueueGroup]]] = {}
        for name, client in self.clients.items():
            # An Arr that is not up is only tried when its back-off allows (the probe
            # did that this cycle); otherwise a dead Arr would cost retries every cycle.
            running = self._reads.get(name)
            if running is not None and not running.done():
                log.debug("%s: the last queue read has not finished; its queue is stale", name)
            elif client.health.is_up or client.health.due(now):
                started[name] = self._reads[name] = self._pool.submit(client.queue_by_download)
        _, late = wait_futures(started.values(), timeout=self.read_budget)
        queues: dict[str, dict[str, QueueGroup]] = {}
        events: list[ev.Event] = []
        for name, future in started.items():
            if future in late:
                log.warning(
                    "%s did not answer within %.0fs: its queue is stale, nothing is removed or "
                    "imported for it this cycle",
                    name,
                    self.read_budget,
                )
                continue
            error = future.exception()
            if error is not None and not isinstance(error, ArrError):
                raise error  # a bug, not an Arr that failed
            groups = None if error is not None else future.result()
            events += self._health_event(
                self.clients[name], None if groups is None else len(groups)
            )
            if groups is not None:
                queues[name] = groups
        return queues, events

    def recent_commands(self, name: str) -> list[dict[str, object]] | None:
        """An Arr's recent commands, for the journal to read back; None when unreadable."""
        client = self.clients.get(name)
        if client is None or not client.health.is_up:
            return None
        try:
            return client.commands()
        except ArrError:
            return None

    def _health_event(self, client: ArrClient, queue_size: int | None) -> list[ev.Event]:
        """An event when the health changed, or with every queue read (its size)."""
        before = self._health.get(client.name)
        health = client.health
        if (
            before is None
            or (before.state, before.last_error, before.version)
            != (health.state, health.last_error, health.version)
            or queue_size is not None
        ):
            self._health[client.name] = health
            return [
                ev.ArrHealthChanged(health, client.config.kind, client.config.category, queue_size)
            ]
        return []
