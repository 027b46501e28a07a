"""The Arr fleet: one client per managed Arr, probed and read concurrently, health reported.

Per cycle every Arr gets one job in this module's own pool, started *before* the
qBittorrent reads so both run at once: an Arr that is not up is probed (``system/status``)
when its back-off allows, then its queue is read, grouped by download. The methods return
the health events to publish; they emit nothing themselves.

**Deadlines.** An Arr that does not answer holds up only itself: the cycle waits at most
``read_budget`` seconds from the start of the reads; an Arr not read by then (or whose read
failed) is not *up* this cycle, and its **last good queue is kept and used, marked stale**:
the decider finds the torrent's queue records in it, but nothing is blocklisted, removed,
searched or imported on it (:class:`StaleQueue`). While its read is still running it is not
asked again, and its health carries ``slow``/``stale_since`` for the dashboard's badge.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass

from qbitrr_tui.arr.client import ArrClient, ArrError
from qbitrr_tui.arr.queue import QueueGroup
from qbitrr_tui.config.model import ArrConfig
from qbitrr_tui.engine import events as ev
from qbitrr_tui.health import Health
from qbitrr_tui.logs import get_logger

log = get_logger("arrs")

READ_BUDGET = 10.0  # seconds a cycle waits for the Arrs (a queue read is one to a few pages)

ClientFactory = Callable[[ArrConfig, Callable[[], float]], ArrClient]
Groups = dict[str, QueueGroup]  # download id → its queue records


@dataclass(frozen=True, slots=True)
class StaleQueue:
    """An Arr's last good queue, used while it is not read: for lookups, never to act on."""

    read_at: float  # when it was read
    groups: Mapping[str, QueueGroup]


@dataclass
class ArrReads:
    """This cycle's Arr reads, as started (collected by :meth:`ArrFleet.collect`)."""

    started_at: float
    jobs: dict[str, Future[Groups | None]]


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
        self._reads: dict[str, Future[Groups | None]] = {}  # still running, maybe
        self._read_started: dict[str, float] = {}  # monotonic, when each read was started
        self._last_good: dict[str, StaleQueue] = {}
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

    def start_reads(self) -> ArrReads:
        """Start every Arr's job (probe if due, then its queue); the cycle reads qBittorrent
        meanwhile and collects them with :meth:`collect`."""
        now = self.clock()
        jobs: dict[str, Future[Groups | None]] = {}
        for name, client in self.clients.items():
            running = self._reads.get(name)
            if running is not None and not running.done():
                log.debug("%s: the last queue read has not finished; its queue is stale", name)
            elif client.health.is_up or client.health.due(now):
                # One that is not up is tried only when its back-off allows; otherwise a
                # dead Arr would cost retries every cycle.
                jobs[name] = self._reads[name] = self._pool.submit(self._read, client)
                self._read_started[name] = time.monotonic()
        return ArrReads(time.monotonic(), jobs)

    @staticmethod
    def _read(client: ArrClient) -> Groups | None:
        """Probe an Arr that is not up, then read its queue; None when either failed."""
        try:
            if not client.health.is_up:
                client.system_status()
            return client.queue_by_download()
        except ArrError:  # its health says why
            return None

    def collect(self, reads: ArrReads) -> tuple[dict[str, Groups], list[ev.Event]]:
        """Every Arr's queue read within ``read_budget`` of the start, and the health events
        to publish. The others are stale: see :meth:`stale_queues`."""
        remaining = self.read_budget - (time.monotonic() - reads.started_at)
        wait_futures(reads.jobs.values(), timeout=max(0.0, remaining))
        now, mono = self.clock(), time.monotonic()
        queues: dict[str, Groups] = {}
        events: list[ev.Event] = []
        for name, client in self.clients.items():
            future = self._reads.get(name)
            if future is None or (future.done() and name not in reads.jobs):
                continue  # not due a try this cycle (or finished late: read next cycle)
            took = mono - self._read_started[name]
            if not future.done():
                log.log(
                    logging.WARNING if name in reads.jobs else logging.DEBUG,  # once a read
                    "%s has not answered for %.0fs: its queue is stale, nothing is removed "
                    "or imported on it this cycle",
                    name,
                    took,
                )
                events += self._health_event(client, None, slow=took)
                continue
            groups = future.result()
            if groups is not None:
                queues[name] = groups
                self._last_good[name] = StaleQueue(now, groups)
            slow = took if took > self.read_budget else None
            events += self._health_event(client, None if groups is None else len(groups), slow)
        return queues, events

    def stale_queues(self, fresh: Mapping[str, Groups]) -> dict[str, StaleQueue]:
        """The last good queue of every Arr not read this cycle."""
        return {n: q for n, q in self._last_good.items() if n in self.clients and n not in fresh}

    def recent_commands(self, name: str) -> list[dict[str, object]] | None:
        """An Arr's recent commands, for the journal to read back; None when unreadable."""
        client = self.clients.get(name)
        return None if client is None else self._bounded(client, client.commands)

    def recent_blocklist(self, name: str) -> list[dict[str, object]] | None:
        """An Arr's newest blocklist entries, for the journal; None when unreadable."""
        client = self.clients.get(name)
        return None if client is None else self._bounded(client, client.blocklist)

    def _bounded(
        self, client: ArrClient, read: Callable[[], list[dict[str, object]]]
    ) -> list[dict[str, object]] | None:
        """``read()`` of an Arr that is up, within ``read_budget`` (a hung Arr holds up only
        itself); None when it failed or did not answer in time."""
        if not client.health.is_up:
            return None
        try:
            return self._pool.submit(read).result(timeout=self.read_budget)
        except (ArrError, FutureTimeout):
            return None

    def _health_event(
        self, client: ArrClient, queue_size: int | None, slow: float | None = None
    ) -> list[ev.Event]:
        """An event when the health changed, or with every queue read (its size)."""
        before = self._health.get(client.name)
        last = self._last_good.get(client.name)
        health = client.health
        if health.is_up and slow is not None and queue_size is None:  # still reading
            health = health.read_late(slow, last.read_at if last else None)
        elif health.is_up:
            health = health.read_late(slow, None)
        if before is None or _shown(before) != _shown(health) or queue_size is not None:
            self._health[client.name] = health
            return [
                ev.ArrHealthChanged(health, client.config.kind, client.config.category, queue_size)
            ]
        return []


def _shown(health: Health) -> tuple[object, ...]:
    return (
        health.state,
        health.last_error,
        health.version,
        health.slow,
        health.stale_since,
    )
