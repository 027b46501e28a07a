"""QbitManager: every configured qBittorrent instance, its connection and its health.

One job each: the instance set, queries and control here; one instance's state and health
state machine in instance.py; connecting in connect.py; reading (the tiers) in reads.py.

Instances are keyed by name (``default``, ``seedbox``, …) and kept in config order. Network
work for different instances runs concurrently with timeouts, so one dead or slow instance
never delays the others; an instance whose previous call is still hanging is skipped (and
reported) rather than piled on. Disabled instances are never contacted.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from typing import Any

from qbitrr_tui.config.model import QbitInstanceConfig
from qbitrr_tui.health import Health, HealthState
from qbitrr_tui.logs import get_logger, trace
from qbitrr_tui.qbit.adapter import InstanceAdapter
from qbitrr_tui.qbit.connect import Connector
from qbitrr_tui.qbit.fetch import MaindataView
from qbitrr_tui.qbit.instance import HealthBook, HealthListener, Instance, busy
from qbitrr_tui.qbit.reads import InstanceFetch, read_instance
from qbitrr_tui.qbit.webapi import READ_TIMEOUT, QbitError

__all__ = ["HealthListener", "InstanceFetch", "QbitManager"]  # InstanceFetch: its old home

log = get_logger("qbit")


class QbitManager:
    def __init__(
        self,
        instances: Sequence[QbitInstanceConfig],
        *,
        categories: Mapping[str, str] | None = None,
        clock: Callable[[], float] = time.time,
        on_health: HealthListener | None = None,
        call_timeout: float = 20.0,
        full_refresh_every: float = 60.0,
        import_settle_time: float = 0.0,
        free_space_folder: str = "",
        read_budget: float = 5.0,
        read_timeout: float | None = None,
        on_first_read: Callable[[str], None] | None = None,
    ) -> None:
        self._clock = clock
        # Called (from a pool thread) when an instance's first whole read lands after the
        # cycle that started it stopped waiting: the engine starts its next cycle then,
        # not a LoopSleepTimer later (a new instance would show "connecting" meanwhile).
        self.on_first_read = on_first_read
        # Seconds a cycle waits for an instance's connect and read: one still working then
        # is stale this cycle (shown slow, and left to finish in the background), so it
        # holds up only itself. It goes down when its read has run read_timeout seconds.
        self.read_budget = read_budget
        self.read_timeout = call_timeout if read_timeout is None else read_timeout
        self.full_refresh_every = full_refresh_every
        # How late a completion may be seen without delaying its import (qBittorrent 4.x
        # brings its full read forward no further than that when its log moves)
        self.import_settle_time = import_settle_time
        self.free_space_folder = free_space_folder

        self._call_timeout = call_timeout
        self._lock = threading.RLock()
        self._health = HealthBook(clock, on_health, self._lock)
        self._connector = Connector(self._health, clock, self._ensure_on)
        self._categories: dict[str, str] = dict(categories or {})
        self._instances: dict[str, Instance] = {}
        self._pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="qbit")
        self.reconfigure(instances)

    # --- the instance set ------------------------------------------------------------
    def reconfigure(self, instances: Sequence[QbitInstanceConfig]) -> None:
        """Add, drop or update instances (a config reload); unchanged ones keep their
        connection and state."""
        with self._lock:
            wanted = {inst.name: inst for inst in instances}
            for name in list(self._instances):
                if name not in wanted:
                    self._drop(name)
            ordered: dict[str, Instance] = {}
            for name, cfg in wanted.items():
                current = self._instances.get(name)
                if current is not None and current.config == cfg:
                    ordered[name] = current
                    continue
                if current is not None:
                    self._close(current)
                ordered[name] = self._new_instance(cfg)
            self._instances = ordered

    def _new_instance(self, cfg: QbitInstanceConfig) -> Instance:
        now = self._clock()
        state = HealthState.DISABLED if cfg.disabled else HealthState.CONNECTING
        health = Health(name=cfg.name, address=cfg.address, state=state, since=now)
        inst = Instance(config=cfg, health=health, view=MaindataView(cfg.name))
        self._health.emit(health)
        return inst

    def _drop(self, name: str) -> None:
        inst = self._instances.pop(name)
        self._close(inst)
        log.info("instance '%s' removed from the configuration", name)

    def _close(self, inst: Instance) -> None:
        if inst.client is not None:
            inst.client.close()
        inst.client, inst.adapter = None, None
        inst.view.reset()

    def close(self) -> None:
        with self._lock:
            for inst in self._instances.values():
                self._close(inst)
        self._pool.shutdown(wait=False, cancel_futures=True)

    # --- queries ---------------------------------------------------------------------
    def names(self) -> list[str]:
        return list(self._instances)

    def get_all_instances(self) -> list[Health]:
        """Every configured instance's health, in config order."""
        with self._lock:
            return [inst.health for inst in self._instances.values()]

    def get_healthy_instances(self) -> list[str]:
        with self._lock:
            return [n for n, inst in self._instances.items() if inst.health.is_up]

    def health(self, name: str) -> Health:
        return self._get(name).health

    def config(self, name: str) -> QbitInstanceConfig:
        return self._get(name).config

    def get_client(self, name: str) -> InstanceAdapter:
        """The write adapter of an instance that is up; QbitError otherwise."""
        inst = self._get(name)
        if inst.adapter is None or not inst.health.is_up:
            raise QbitError(f"instance '{name}' is {inst.health.state.value}")
        return inst.adapter

    def requests_made(self) -> dict[str, int]:
        with self._lock:
            return {
                n: (i.client.requests_made if i.client else 0) for n, i in self._instances.items()
            }

    def endpoint_counts(self) -> dict[str, Counter[str]]:
        """Requests per endpoint per instance since start (tests, benchmarks)."""
        with self._lock:
            return {
                n: Counter(i.client.endpoint_counts) if i.client else Counter()
                for n, i in self._instances.items()
            }

    def _get(self, name: str) -> Instance:
        try:
            return self._instances[name]
        except KeyError:
            raise KeyError(f"no instance named '{name}'") from None

    # --- control ---------------------------------------------------------------------
    def set_enabled(self, name: str, enabled: bool) -> Health:
        """Enable or disable an instance at runtime (the dashboard's toggle)."""
        with self._lock:
            inst = self._get(name)
            now = self._clock()
            if not enabled:
                self._close(inst)
                self._health.set(
                    inst,
                    inst.health.moved_to(
                        HealthState.DISABLED, now, last_error=None, failures=0, next_attempt=None
                    ),
                )
            elif inst.health.state is HealthState.DISABLED:
                self._health.set(
                    inst, inst.health.moved_to(HealthState.CONNECTING, now, next_attempt=None)
                )
            return inst.health

    def ensure_categories(self, categories: Mapping[str, str] | Iterable[str]) -> None:
        """Each category (name → save path, or just names) exists on every instance that is
        up; re-run automatically whenever an instance (re)connects."""
        wanted = (
            dict(categories) if isinstance(categories, Mapping) else dict.fromkeys(categories, "")
        )
        with self._lock:
            self._categories = wanted
            # Not one still reading (hung, maybe): its busy mark must stay its read's.
            targets = [
                i for i in self._instances.values() if i.adapter and i.health.is_up and not busy(i)
            ]
        self._run_each(targets, self._ensure_on, budget=self.read_budget)

    def _ensure_on(self, inst: Instance) -> None:
        adapter = inst.adapter
        if adapter is None or not self._categories:
            return
        try:
            existing = adapter.categories()
            for name, save_path in self._categories.items():
                if name not in existing:
                    adapter.create_category(name, save_path)
                    log.info("created category '%s' on instance '%s'", name, inst.config.name)
        except QbitError as exc:
            log.warning("could not ensure categories on instance '%s': %s", inst.config.name, exc)

    # --- connecting ------------------------------------------------------------------
    def refresh(self) -> list[Health]:
        """Try to connect every instance that is due (down, connecting, auth_failed past
        its back-off); returns every instance's health afterwards."""
        now = self._clock()
        with self._lock:
            due = [i for i in self._instances.values() if i.health.due(now) and not busy(i)]
        self._run_each(due, self._connector.connect, budget=self.read_budget)
        return self.get_all_instances()

    # --- fetching --------------------------------------------------------------------
    def fetch(self, categories: Iterable[str]) -> dict[str, InstanceFetch]:
        """The torrents of ``categories`` from every instance that is up (or due a
        connection attempt), concurrently, each within ``read_budget``.

        Instances that are not up, or whose call fails or is still running, get an
        ``InstanceFetch`` with ``error`` set; a failing instance goes ``down`` at once, one
        whose read has run ``read_timeout`` seconds too."""
        wanted = frozenset(categories)
        now = self._clock()
        results: dict[str, InstanceFetch] = {}
        with self._lock:
            instances = list(self._instances.values())
        jobs: dict[str, Instance] = {}
        for inst in instances:
            name = inst.config.name
            if busy(inst):
                results[name] = self._stillbusy(inst, now)
            elif inst.health.is_up or inst.health.due(now):
                jobs[name] = inst
            else:
                trace(log, "Skipping unhealthy instance '%s'", name)
                results[name] = InstanceFetch(name, error=f"instance is {inst.health.state.value}")
        done = self._run_each(
            list(jobs.values()), lambda i: self._connect_and_fetch(i, wanted), self.read_budget
        )
        for name, inst in jobs.items():
            outcome = done.get(name)
            if isinstance(outcome, InstanceFetch):
                results[name] = outcome
            else:  # still reading: stale this cycle, finished in the background
                results[name] = self._stillbusy(inst, self._clock())
        return {name: results[name] for name in self._instances if name in results}

    def _stillbusy(self, inst: Instance, now: float) -> InstanceFetch:
        """An instance whose read is still running: slow and stale, or down past
        ``read_timeout``."""
        name = inst.config.name
        running = now - inst.busy_since
        if running > self.read_timeout:
            error = f"instance '{name}' did not answer within {self.read_timeout:.0f}s"
            self._health.failed(inst, HealthState.DOWN, error)
            return InstanceFetch(name, error=error)
        if inst.health.is_up:
            self._health.set(inst, inst.health.read_late(running, inst.last_good))
        return InstanceFetch(
            name, error=f"slow: no answer within {self.read_budget:g}s, still reading"
        )

    def _connect_and_fetch(self, inst: Instance, categories: frozenset[str]) -> InstanceFetch:
        """Connect first if it is not up (one job: a hung connect delays only itself)."""
        if not inst.health.is_up:
            self._connector.connect(inst)
            if not inst.health.is_up:
                error = inst.health.last_error or f"instance is {inst.health.state.value}"
                return InstanceFetch(inst.config.name, error=error)
        return self._fetch_one(inst, categories)

    def _fetch_one(self, inst: Instance, categories: frozenset[str]) -> InstanceFetch:
        if inst.client is not None:  # a full answer may take this long (webapi.py)
            inst.client.full_read_timeout = max(self.read_timeout, READ_TIMEOUT)
        return read_instance(
            inst,
            categories,
            health=self._health,
            clock=self._clock,
            full_refresh_every=self.full_refresh_every,
            import_settle_time=self.import_settle_time,
            free_space_folder=self.free_space_folder,
            read_budget=self.read_budget,
        )

    def known_torrents(self, name: str) -> tuple[list[dict[str, Any]], float | None]:
        """Every torrent of an instance as last read (all categories: hash, name and paths),
        and when the last full read was; for the cross-seed check (engine/cross_seed.py)."""
        view = self._get(name).view
        rows = [
            {
                "hash": h,
                "name": snap.name,
                "save_path": snap.save_path,
                "content_path": snap.content_path,
            }
            for h, snap in list(view.torrents.items())
        ]
        return rows, view.last_full

    def mark_dirty(self, name: str, hashes: Iterable[str]) -> None:
        """The engine changed these torrents: the next read fetches them again."""
        inst = self._instances.get(name)
        if inst is not None:
            inst.view.dirty.update(hashes)

    # --- plumbing --------------------------------------------------------------------

    def _first_read_done(self, inst: Instance, _: Future[object]) -> None:
        if inst.last_good is not None and self.on_first_read is not None:
            self.on_first_read(inst.config.name)

    def _run_each(
        self,
        instances: Sequence[Instance],
        job: Callable[[Instance], object],
        budget: float | None = None,
    ) -> dict[str, object]:
        """Run ``job`` for each instance concurrently; results by name for those that
        finished within ``budget`` (the call timeout by default; the others keep running,
        marked busy)."""
        if not instances:
            return {}
        futures: dict[Future[object], Instance] = {}
        for inst in instances:
            future = self._pool.submit(job, inst)
            inst.busy, inst.busy_since = future, self._clock()
            futures[future] = inst
        finished, late = wait_futures(futures, timeout=budget or self._call_timeout)
        for future in late:
            inst = futures[future]
            if inst.last_good is None:  # never read whole: tell when it is
                future.add_done_callback(functools.partial(self._first_read_done, inst))
        results: dict[str, object] = {}
        for future in finished:
            inst = futures[future]
            inst.busy = None
            exc = future.exception()
            if exc is not None:
                raise exc
            results[inst.config.name] = future.result()
        return results
