"""QbitManager: every configured qBittorrent instance, its connection and its health.

Instances are keyed by name (``default``, ``seedbox``, …) and kept in config order. Network
work for different instances runs concurrently with timeouts, so one dead or slow instance
never delays the others; an instance whose previous call is still hanging is skipped (and
reported) rather than piled on. Disabled instances are never contacted.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass, field

from qbitrr_tui.config.model import QbitInstanceConfig
from qbitrr_tui.health import Health, HealthState
from qbitrr_tui.logs import get_logger, trace
from qbitrr_tui.qbit import reads
from qbitrr_tui.qbit.adapter import TESTED_RELEASES, InstanceAdapter, known_api
from qbitrr_tui.qbit.fetch import MaindataView, ServerState
from qbitrr_tui.qbit.snapshot import TorrentSnapshot
from qbitrr_tui.qbit.webapi import (
    QbitAuthFailed,
    QbitError,
    QbitRequestError,
    WebApiClient,
    base_url,
)

log = get_logger("qbit")

HealthListener = Callable[[Health], None]


@dataclass
class _Instance:
    config: QbitInstanceConfig
    health: Health
    view: MaindataView
    client: WebApiClient | None = None
    adapter: InstanceAdapter | None = None
    busy: Future[object] | None = None
    busy_since: float = 0.0


@dataclass(frozen=True, slots=True)
class InstanceFetch:
    """One instance's torrents this cycle (or why there are none)."""

    name: str
    snapshots: tuple[TorrentSnapshot, ...] = ()
    server: ServerState = field(default_factory=ServerState)
    category_counts: Mapping[str, int] = field(default_factory=dict)
    error: str | None = None
    latency: float | None = None
    # Free bytes at the FreeSpaceFolder on the instance's own disk (Web API ≥ 2.15.2);
    # None when the instance cannot say, and the folder is then read locally.
    free_space_at_folder: int | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


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
        free_space_folder: str = "",
        read_budget: float = 5.0,
    ) -> None:
        self._clock = clock
        # Seconds a cycle waits for the reads and connects: an instance still working then
        # is stale this cycle (and left to finish), so it holds up only itself. It goes
        # down when it has not answered within call_timeout.
        self.read_budget = read_budget
        self.full_refresh_every = full_refresh_every
        self.free_space_folder = free_space_folder

        self._on_health = on_health
        self._call_timeout = call_timeout
        self._lock = threading.RLock()
        self._categories: dict[str, str] = dict(categories or {})
        self._instances: dict[str, _Instance] = {}
        self._warned_versions: set[tuple[str, str]] = set()
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
            ordered: dict[str, _Instance] = {}
            for name, cfg in wanted.items():
                current = self._instances.get(name)
                if current is not None and current.config == cfg:
                    ordered[name] = current
                    continue
                if current is not None:
                    self._close(current)
                ordered[name] = self._new_instance(cfg)
            self._instances = ordered

    def _new_instance(self, cfg: QbitInstanceConfig) -> _Instance:
        now = self._clock()
        state = HealthState.DISABLED if cfg.disabled else HealthState.CONNECTING
        health = Health(name=cfg.name, address=cfg.address, state=state, since=now)
        inst = _Instance(config=cfg, health=health, view=MaindataView(cfg.name))
        self._emit(health)
        return inst

    def _drop(self, name: str) -> None:
        inst = self._instances.pop(name)
        self._close(inst)
        log.info("instance '%s' removed from the configuration", name)

    def _close(self, inst: _Instance) -> None:
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

    def _get(self, name: str) -> _Instance:
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
                self._set_health(
                    inst,
                    inst.health.moved_to(
                        HealthState.DISABLED, now, last_error=None, failures=0, next_attempt=None
                    ),
                )
            elif inst.health.state is HealthState.DISABLED:
                self._set_health(
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
            targets = [i for i in self._instances.values() if i.adapter and i.health.is_up]
        self._run_each(targets, self._ensure_on)

    def _ensure_on(self, inst: _Instance) -> None:
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
            due = [i for i in self._instances.values() if i.health.due(now) and not _busy(i)]
        self._run_each(due, self._connect, budget=self.read_budget)
        return self.get_all_instances()

    def _connect(self, inst: _Instance) -> None:
        cfg = inst.config
        if inst.client is None:
            inst.client = WebApiClient(
                cfg.name,
                base_url(cfg.host, cfg.port),
                cfg.username,
                cfg.password,
                api_key=cfg.api_key,
                verify_tls=not cfg.skip_tls_verify,
            )
        client = inst.client
        try:
            client.login()
            app_version = client.get_text("app/version")
            api_version = client.get_text("app/webapiVersion")
        except QbitAuthFailed as exc:
            self._failed(inst, HealthState.AUTH_FAILED, str(exc))
            return
        except QbitError as exc:
            self._failed(inst, HealthState.DOWN, str(exc))
            return
        inst.adapter = InstanceAdapter(client, app_version, api_version)
        inst.view.reset()
        self._set_health(
            inst,
            inst.health.moved_to(
                HealthState.UP,
                self._clock(),
                last_error=None,
                failures=0,
                next_attempt=None,
                latency=client.last_latency,
                version=app_version,
                api_version=api_version,
            ),
        )
        log.info(
            "instance '%s' is up (qBittorrent %s, Web API %s)", cfg.name, app_version, api_version
        )
        if not known_api(api_version) and (cfg.name, api_version) not in self._warned_versions:
            self._warned_versions.add((cfg.name, api_version))
            log.warning(
                "instance '%s' runs qBittorrent %s (Web API %s), which qbitrr-tui has not "
                "been tested with (tested: %s); it carries on, but report anything odd",
                cfg.name,
                app_version,
                api_version,
                TESTED_RELEASES,
            )
        self._ensure_on(inst)

    def _failed(self, inst: _Instance, state: HealthState, error: str) -> None:
        before = inst.health
        inst.adapter = None
        self._set_health(inst, before.failed(state, error, self._clock()))
        if before.state is not state:
            log.warning("%s", error)

    # --- fetching --------------------------------------------------------------------
    def fetch(self, categories: Iterable[str]) -> dict[str, InstanceFetch]:
        """The torrents of ``categories`` from every instance that is up, concurrently.

        Instances that are not up, or whose call fails or hangs, get an ``InstanceFetch``
        with ``error`` set; a failing instance goes ``down`` at once."""
        wanted = frozenset(categories)
        results: dict[str, InstanceFetch] = {}
        with self._lock:
            instances = list(self._instances.values())
        jobs: dict[str, _Instance] = {}
        for inst in instances:
            name = inst.config.name
            if not inst.health.is_up:
                trace(log, "Skipping unhealthy instance '%s'", name)
                results[name] = InstanceFetch(name, error=f"instance is {inst.health.state.value}")
            elif _busy(inst):
                results[name] = InstanceFetch(name, error="previous request still running")
                if self._clock() - inst.busy_since > self._call_timeout:
                    self._failed(
                        inst,
                        HealthState.DOWN,
                        f"instance '{name}' did not answer within {self._call_timeout:.0f}s",
                    )
            else:
                jobs[name] = inst
        done = self._run_each(
            list(jobs.values()), lambda i: self._fetch_one(i, wanted), budget=self.read_budget
        )
        for name, inst in jobs.items():
            outcome = done.get(name)
            if isinstance(outcome, InstanceFetch):
                results[name] = outcome
            elif self.read_budget < self._call_timeout:
                results[name] = InstanceFetch(
                    name, error=f"slow: no answer within {self.read_budget:.0f}s, still reading"
                )
            else:
                results[name] = InstanceFetch(
                    name, error=f"no answer within {self._call_timeout:.0f}s"
                )
                self._failed(
                    inst,
                    HealthState.DOWN,
                    f"instance '{name}' did not answer within {self._call_timeout:.0f}s",
                )
        return {name: results[name] for name in self._instances if name in results}

    def _fetch_one(self, inst: _Instance, categories: frozenset[str]) -> InstanceFetch:
        name = inst.config.name
        adapter = inst.adapter
        if adapter is None:
            return InstanceFetch(name, error="not connected")
        view = inst.view
        try:
            reads.read(adapter, view, now=self._clock(), full_every=self.full_refresh_every)
            free_at_folder = self._free_space_at_folder(adapter)
        except QbitAuthFailed as exc:
            self._failed(inst, HealthState.AUTH_FAILED, str(exc))
            return InstanceFetch(name, error=str(exc))
        except (QbitError, ValueError) as exc:
            self._failed(inst, HealthState.DOWN, str(exc))
            return InstanceFetch(name, error=str(exc))
        snapshots = view.snapshots(categories)

        trace(log, "Retrieved %d torrents from instance '%s'", len(snapshots), name)
        latency = adapter.client.last_latency
        with self._lock:
            inst.health = inst.health.moved_to(HealthState.UP, self._clock(), latency=latency)
        return InstanceFetch(
            name,
            snapshots=tuple(snapshots),
            server=inst.view.server_state(),
            category_counts=inst.view.category_counts(),
            latency=latency,
            free_space_at_folder=free_at_folder,
        )

    def _free_space_at_folder(self, adapter: InstanceAdapter) -> int | None:
        """The instance's own view of FreeSpaceFolder: right for a remote instance, whose
        disk is not ours. A path the instance does not have answers 4xx: None."""
        if not self.free_space_folder or not adapter.has_free_space_at_path:
            return None
        try:
            return adapter.free_space_at(self.free_space_folder)
        except QbitRequestError:
            return None

    def mark_dirty(self, name: str, hashes: Iterable[str]) -> None:
        """The engine changed these torrents: the next read fetches them again."""
        inst = self._instances.get(name)
        if inst is not None:
            inst.view.dirty.update(hashes)

    # --- plumbing --------------------------------------------------------------------

    def _run_each(
        self,
        instances: Sequence[_Instance],
        job: Callable[[_Instance], object],
        budget: float | None = None,
    ) -> dict[str, object]:
        """Run ``job`` for each instance concurrently; results by name for those that
        finished within ``budget`` (the call timeout by default; the others keep running,
        marked busy)."""
        if not instances:
            return {}
        futures: dict[Future[object], _Instance] = {}
        for inst in instances:
            future = self._pool.submit(job, inst)
            inst.busy, inst.busy_since = future, self._clock()
            futures[future] = inst
        finished, _ = wait_futures(futures, timeout=budget or self._call_timeout)
        results: dict[str, object] = {}
        for future in finished:
            inst = futures[future]
            inst.busy = None
            exc = future.exception()
            if exc is not None:
                raise exc
            results[inst.config.name] = future.result()
        return results

    def _set_health(self, inst: _Instance, health: Health) -> None:
        with self._lock:
            # next_attempt too: the dashboard says when a down instance is tried again.
            changed = (health.state, health.last_error, health.next_attempt) != (
                inst.health.state,
                inst.health.last_error,
                inst.health.next_attempt,
            )
            inst.health = health
        if changed:
            self._emit(health)

    def _emit(self, health: Health) -> None:
        if self._on_health is not None:
            self._on_health(health)


def _busy(inst: _Instance) -> bool:
    return inst.busy is not None and not inst.busy.done()
