"""The Arr fleet: one client per managed Arr, probed and read concurrently, health reported.

Per cycle: Arrs that are not up are probed (``system/status``) when their back-off allows —
alongside the qBittorrent reads, in this module's own pool — then every Arr's queue is read
once, grouped by download. A failed read leaves that Arr out of the cycle's queues, which
the rules read as "Arr unreachable: defer anything that needs it". The methods return the
health events to publish; they emit nothing themselves.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor

from qbitrr_tui.arr.client import ArrClient, ArrError
from qbitrr_tui.arr.queue import QueueGroup
from qbitrr_tui.config.model import ArrConfig
from qbitrr_tui.engine import events as ev
from qbitrr_tui.health import Health, HealthState

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
    ) -> None:
        self.clock = clock
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

    def read_queues(self) -> tuple[dict[str, dict[str, QueueGroup]], list[ev.Event]]:
        """Every reachable Arr's queue by download id, and the health events to publish."""
        now = self.clock()

        def one(client: ArrClient) -> tuple[str, dict[str, QueueGroup] | None]:
            # An Arr that is not up is only tried when its back-off allows (the probe
            # did that this cycle); otherwise a dead Arr would cost retries every cycle.
            if not client.health.is_up and not client.health.due(now):
                return client.name, None
            try:
                return client.name, client.queue_by_download()
            except ArrError:
                return client.name, None

        queues: dict[str, dict[str, QueueGroup]] = {}
        events: list[ev.Event] = []
        for name, groups in self._pool.map(one, list(self.clients.values())):
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
