"""The Engine: one background thread that scans every instance, decides, acts, records and
publishes — and listens to the dashboard between cycles.

One cycle: instance and Arr health → torrents of the managed categories from every healthy
instance → each Arr's queue once → ``decide()`` per (instance, torrent) → guards (deletion
cap, dry-run) → execute, batched per instance → persist → publish events.
Between cycles it waits ``LoopSleepTimer`` on its command queue, so a command takes effect
at once. ``run_cycle()`` can also be called directly (tests, `run --cycles`).
"""

from __future__ import annotations

import contextlib
import logging
import queue
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from qbitrr_tui.arr.client import ArrClient, ArrError, QueueGroup
from qbitrr_tui.config import Config, ConfigError, parse_config
from qbitrr_tui.config.model import ArrConfig
from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.executor import Executor, Planned
from qbitrr_tui.engine.model import DESTRUCTIVE, TAG_IGNORED, Decision, RuleContext, StoredState
from qbitrr_tui.engine.policy import decide
from qbitrr_tui.engine.rules.files import excluded_files
from qbitrr_tui.engine.rules.free_space import free_space_plan
from qbitrr_tui.engine.store import ActionLogEntry, Store
from qbitrr_tui.health import Health, HealthState
from qbitrr_tui.logs import TRACE, get_logger
from qbitrr_tui.qbit.manager import InstanceFetch, QbitManager
from qbitrr_tui.qbit.snapshot import TorrentSnapshot
from qbitrr_tui.qbit.webapi import QbitError

log = get_logger("engine")
Key = tuple[str, str]
FILE_CHECKS_PER_CYCLE = 25  # one torrents/files request each, only for new downloads
# Rules whose decision follows from the snapshot, the stored state and the per-torrent
# inputs alone (no clock): the only ones whose decisions may be reused.
TIMELESS_RULES = frozenset({"ok", "seeding", "ignored"})


@dataclass
class _CycleData:
    fetched: dict[str, InstanceFetch]
    queues: dict[str, dict[str, QueueGroup]]


class Engine:
    def __init__(
        self,
        config: Config,
        *,
        events: queue.Queue[ev.Event] | None = None,
        commands: queue.Queue[ev.Command] | None = None,
        clock: Callable[[], float] = time.time,
        dry_run: bool | None = None,
        store: Store | None = None,
    ) -> None:
        self.config = config
        self.events: queue.Queue[ev.Event] = events if events is not None else queue.Queue()
        self.commands: queue.Queue[ev.Command] = commands if commands is not None else queue.Queue()
        self.clock = clock
        self.dry_run = config.settings.dry_run if dry_run is None else dry_run
        self.paused = False
        self.cycle = 0
        self.store = store or Store(config.settings.db_path)
        self.states: dict[Key, StoredState] = self.store.load_states()
        self.manager = QbitManager(
            config.instances,
            categories=self._wanted_categories(),
            clock=clock,
            on_health=self._on_instance_health,
            full_refresh_every=config.settings.full_refresh_interval,
            free_space_folder=config.settings.free_space_folder,
        )
        self.arrs: dict[str, ArrClient] = {}
        self._arr_health: dict[str, Health] = {}
        self._set_arrs(config.managed_arrs)
        self.executor = Executor(self.manager, self.arrs, clock)
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="arr")
        self._published: dict[str, dict[str, ev.TorrentRow]] = {}
        self._planned_seen: dict[Key, tuple[str, ...]] = {}
        self._last_decisions: dict[Key, tuple[str, str]] = {}
        self._row_sources: dict[Key, TorrentSnapshot] = {}  # the snapshot a row was made of

        # (snapshot, stored state, inputs, decision) of decisions that depend on nothing
        # else: reused while the same snapshot object and state come back (most complete
        # torrents between full reads), so a quiet cycle decides only what moved.
        self._decided: dict[
            Key, tuple[TorrentSnapshot, StoredState, tuple[object, ...], Decision]
        ] = {}

        self._approved: set[Key] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="engine", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the current step and release everything."""
        self._stop.set()
        self.commands.put(ev.Stop())
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        self.close()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def close(self) -> None:
        self.manager.close()
        self.executor.close()
        self._pool.shutdown(wait=False, cancel_futures=True)
        for client in self.arrs.values():
            client.close()
        self.store.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self.paused:
                try:
                    self.run_cycle()
                except Exception:  # a bug must not kill the engine silently
                    log.exception("engine cycle failed")
            self.wait_between_cycles()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def wait_between_cycles(self) -> None:
        """Wait LoopSleepTimer on the command queue; a command may end the wait early."""
        deadline = self.clock() + self.config.settings.loop_sleep_timer
        while not self._stop.is_set():
            remaining = deadline - self.clock()
            if remaining <= 0:
                return
            try:
                command = self.commands.get(timeout=min(remaining, 1.0))
            except queue.Empty:
                continue
            if self.handle(command):
                return

    # --- commands --------------------------------------------------------------------
    def handle(self, command: ev.Command) -> bool:
        """Apply one command; True when the next cycle should start now."""
        if isinstance(command, ev.Stop):
            self._stop.set()
            return True
        if isinstance(command, ev.RescanNow):
            return True
        if isinstance(command, ev.SetInstanceEnabled):
            try:
                self.manager.set_enabled(command.name, command.enabled)
            except KeyError as exc:
                log.warning("%s", exc.args[0])
            return True
        if isinstance(command, ev.SetPaused):
            self.paused = command.paused
            self._state_changed("engine paused" if self.paused else "engine resumed")
            return not self.paused
        if isinstance(command, ev.SetDryRun):
            self.dry_run = command.enabled
            self._planned_seen.clear()
            self.manager.ensure_categories(self._wanted_categories())
            self._state_changed(f"dry-run {'on' if self.dry_run else 'off'}")
            return True
        if isinstance(command, ev.ApplyPlanned):
            self._approved |= set(command.keys)
            return True
        if isinstance(command, ev.ReloadConfig):
            self.reload(command.text)
            return True
        raise TypeError(f"unknown command {command!r}")

    def _state_changed(self, message: str) -> None:
        log.info("%s", message)
        self._emit(ev.EngineStateChanged(self.paused, self.dry_run, message))

    def reload(self, text: str | None = None) -> bool:
        """Apply a new config without a restart; a bad one is reported and changes nothing."""
        path = self.config.path
        try:
            if text is None:
                if path is None:
                    raise ConfigError(["no config file to reload from"])
                text = path.read_text(encoding="utf-8")
            config = parse_config(text, path)
        except (ConfigError, OSError) as exc:
            log.error("config not reloaded: %s", exc)
            self._state_changed("config not reloaded: it has problems (see the log)")
            return False
        self.config = config
        self._decided.clear()  # rules or settings may have changed
        self.manager.reconfigure(config.instances)

        self.manager.full_refresh_every = config.settings.full_refresh_interval
        self.manager.free_space_folder = config.settings.free_space_folder

        self.manager.ensure_categories(self._wanted_categories())
        self._set_arrs(config.managed_arrs)
        self._state_changed("config reloaded")
        return True

    def _wanted_categories(self) -> dict[str, str]:
        """The categories every instance must have; none in dry-run, which creates nothing."""
        if self.dry_run:
            return {}
        return dict.fromkeys(self.config.managed_categories, "")

    def _set_arrs(self, arrs: tuple[ArrConfig, ...]) -> None:
        current = dict(self.arrs)
        self.arrs.clear()
        for arr in arrs:
            client = current.pop(arr.name, None)
            if client is None or client.config != arr:
                if client is not None:
                    client.close()
                client = ArrClient(arr, clock=self.clock)
            self.arrs[arr.name] = client
        for leftover in current.values():
            leftover.close()

    # --- events ----------------------------------------------------------------------
    def _emit(self, event: ev.Event) -> None:
        self.events.put(event)

    def _on_instance_health(self, health: Health) -> None:
        self._emit(ev.InstanceHealthChanged(health))

    def _publish_arr_health(self, client: ArrClient, queue_size: int | None) -> None:
        before = self._arr_health.get(client.name)
        health = client.health
        if (
            before is None
            or (before.state, before.last_error, before.version)
            != (health.state, health.last_error, health.version)
            or queue_size is not None
        ):
            self._arr_health[client.name] = health
            self._emit(
                ev.ArrHealthChanged(health, client.config.kind, client.config.category, queue_size)
            )

    # --- the cycle -------------------------------------------------------------------
    def run_cycle(self) -> ev.CycleFinished:
        started = self.clock()
        wall = time.monotonic()
        self.cycle += 1
        timings: dict[str, float] = {}
        requests_before = self.manager.requests_made()
        arr_requests_before = {n: c.requests_made for n, c in self.arrs.items()}

        self.manager.refresh()
        arr_probe = self._pool.submit(self._probe_arrs, started)
        fetched = self.manager.fetch(self.config.managed_categories)
        arr_probe.result()
        queues = self._fetch_queues()
        timings["fetch"] = time.monotonic() - wall

        mark = time.monotonic()
        data = _CycleData(fetched, queues)
        plans, new_states = self._decide_all(data, started)
        timings["decide"] = time.monotonic() - mark

        mark = time.monotonic()
        approved, self._approved = self._approved, set()
        kept, held = self._apply_deletion_cap(plans, approved)
        real, planned = self._split_dry_run(kept, approved)
        outcome = self.executor.run(real)
        timings["act"] = time.monotonic() - mark
        for event in outcome.events:  # what we changed is read again next cycle
            self.manager.mark_dirty(event.instance, (event.hash,))

        done = {p.key for p in real} - {e.key for e in outcome.events if e.outcome == "failed"}
        for plan in plans:
            if plan.key not in done and plan.key in new_states:
                before = self.states.get(plan.key) or StoredState(
                    first_seen=new_states[plan.key].first_seen
                )
                new_states[plan.key] = before.observed_from(new_states[plan.key])

        now = self.clock()
        for key in outcome.imported:
            state = new_states.get(key) or self.states.get(key)
            if state is not None:
                new_states[key] = state.with_changes(imported=True, import_requested_at=now)
        action_events = planned + held + outcome.events
        self._persist(data, new_states, outcome.deleted, action_events)
        for event in action_events:
            self._emit(event)
        self._publish_torrents(data)
        duration = time.monotonic() - wall
        finished = ev.CycleFinished(
            cycle=self.cycle,
            started=started,
            duration=duration,
            requests_per_instance=_delta(self.manager.requests_made(), requests_before),
            requests_per_arr=_delta(
                {n: c.requests_made for n, c in self.arrs.items()}, arr_requests_before
            ),
            actions=len(action_events),
            torrents=sum(len(f.snapshots) for f in fetched.values()),
            next_cycle_at=now + self.config.settings.loop_sleep_timer,
            paused=self.paused,
            dry_run=self.dry_run,
            held=len(held),
            timings=timings,
        )
        self._emit(finished)
        log.debug(
            "cycle %d: %d torrents, %d actions, %.2fs",
            self.cycle,
            finished.torrents,
            finished.actions,
            duration,
        )
        return finished

    def _probe_arrs(self, now: float) -> None:
        for client in self.arrs.values():
            if client.health.state is not HealthState.UP and client.health.due(now):
                with contextlib.suppress(ArrError):  # its health says why
                    client.system_status()
                self._publish_arr_health(client, None)

    def _fetch_queues(self) -> dict[str, dict[str, QueueGroup]]:
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
        for name, groups in self._pool.map(one, list(self.arrs.values())):
            client = self.arrs[name]
            self._publish_arr_health(client, len(groups) if groups is not None else None)
            if groups is not None:
                queues[name] = groups
        return queues

    def _decide_all(
        self, data: _CycleData, now: float
    ) -> tuple[list[Planned], dict[Key, StoredState]]:
        settings = self.config.settings
        arr_by_category = {a.category: a for a in self.config.managed_arrs}
        plans: list[Planned] = []
        new_states: dict[Key, StoredState] = {}
        tracing = log.isEnabledFor(TRACE)
        for instance, result in data.fetched.items():
            if not result.ok:
                continue
            connected = result.server.connection_status != "disconnected"
            space = self._free_space_actions(result)
            files = self._file_checks(instance, result.snapshots, arr_by_category)
            for torrent in result.snapshots:
                if tracing:
                    log.log(
                        TRACE, "Processing torrent %s from instance '%s'", torrent.hash, instance
                    )
                key = torrent.key
                stored = self.states.get(key) or StoredState(
                    first_seen=now, category=torrent.category
                )
                arr = arr_by_category.get(torrent.category)
                group = None
                if arr is None:  # failed/recheck category: whichever Arr has the download
                    arr, group = self._find_in_queues(torrent.hash, data.queues)
                elif arr.name in data.queues:
                    group = data.queues[arr.name].get(torrent.hash)
                file_ids, all_excluded = files.get(torrent.hash, (None, False))
                arr_up = bool(arr and arr.name in data.queues)
                inputs = (arr, arr_up, connected, space.get(torrent.hash, ""), file_ids)
                cached = self._decided.get(key)
                if (
                    cached is not None
                    and group is None
                    and cached[0] is torrent
                    and cached[1] is stored
                    and cached[2] == inputs
                ):
                    decision, state = cached[3], stored  # same inputs: same answer
                else:
                    ctx = RuleContext(
                        now=now,
                        settings=settings,
                        arr=arr,
                        queue=group,
                        arr_up=arr_up,
                        instance_connected=connected,
                        free_space_action=inputs[3],
                        excluded_files=file_ids,
                        all_files_excluded=all_excluded,
                    )
                    decision, state = decide(torrent, stored, ctx)
                    if (
                        decision.rule in TIMELESS_RULES
                        and not decision.actions
                        and group is None
                        and state is stored
                    ):
                        self._decided[key] = (torrent, stored, inputs, decision)
                    else:
                        self._decided.pop(key, None)

                if arr is not None and state.arr != arr.name:
                    state = state.with_changes(arr=arr.name)
                if key not in self.states or state.differs_from(stored):
                    new_states[key] = state
                if decision.actions:
                    plans.append(
                        Planned(
                            instance,
                            torrent.hash,
                            torrent.name,
                            torrent.content_path,
                            decision.rule,
                            decision.reason,
                            decision.actions,
                        )
                    )
                self._last_decisions[key] = (decision.rule, decision.reason)
        return plans, new_states

    def _find_in_queues(
        self, info_hash: str, queues: Mapping[str, Mapping[str, QueueGroup]]
    ) -> tuple[ArrConfig | None, QueueGroup | None]:
        for name, groups in queues.items():
            if info_hash in groups:
                return self.arrs[name].config, groups[info_hash]
        return None, None

    def _free_space_actions(self, result: InstanceFetch) -> dict[str, str]:
        settings = self.config.settings
        free = result.server.free_space_on_disk
        if result.free_space_at_folder is not None:
            free = result.free_space_at_folder  # the instance's own disk (qBittorrent ≥ 5.2)
        elif settings.free_space_folder and settings.free_space >= 0:
            try:
                free = shutil.disk_usage(settings.free_space_folder).free
            except OSError as exc:
                log.warning(
                    "cannot read free space of %s: %s", settings.free_space_folder, exc.strerror
                )
                return {}
        return free_space_plan(result.snapshots, self.states, free, settings.free_space)

    def _file_checks(
        self,
        instance: str,
        torrents: tuple[TorrentSnapshot, ...],
        arr_by_category: Mapping[str, ArrConfig],
    ) -> dict[str, tuple[tuple[int, ...], bool]]:
        """File exclusions for new downloads whose file list is known (a few per cycle)."""
        due = [
            t
            for t in torrents
            if t.category in arr_by_category
            and TAG_IGNORED not in t.tags
            and not t.is_complete
            and t.state not in ("metaDL", "forcedMetaDL")
            and not (self.states.get(t.key) and self.states[t.key].files_checked)
        ]
        if not due:
            return {}
        try:
            adapter = self.manager.get_client(instance)
        except QbitError:
            return {}
        checks: dict[str, tuple[tuple[int, ...], bool]] = {}
        for torrent in due[:FILE_CHECKS_PER_CYCLE]:
            try:
                files = adapter.files(torrent.hash)
            except QbitError as exc:
                log.debug("files of %s on instance '%s' not read: %s", torrent.hash, instance, exc)
                continue
            if files:
                checks[torrent.hash] = excluded_files(
                    files, arr_by_category[torrent.category].torrent
                )
        return checks

    # --- guards ----------------------------------------------------------------------
    def _apply_deletion_cap(
        self, plans: list[Planned], approved: set[Key]
    ) -> tuple[list[Planned], list[ev.ActionEvent]]:
        """Per instance: a cycle that would delete more than MaxDeletionsPerCycle deletes
        none of them but those the user approved; the rest is held back for approval."""
        cap = self.config.settings.max_deletions_per_cycle
        counts: dict[str, int] = {}
        for plan in plans:
            if any(a.kind in DESTRUCTIVE for a in plan.actions):
                counts[plan.instance] = counts.get(plan.instance, 0) + 1
        over = {name for name, count in counts.items() if count > cap}
        if not over:
            return plans, []
        now = self.clock()
        kept: list[Planned] = []
        held: list[ev.ActionEvent] = []
        for plan in plans:
            destructive = any(a.kind in DESTRUCTIVE for a in plan.actions)
            if plan.instance in over and destructive and plan.key not in approved:
                held += plan.events(
                    "held",
                    now,
                    dry_run=self.dry_run,
                    error=f"held: over MaxDeletionsPerCycle ({cap})",
                )
                continue
            kept.append(plan)
        for name in over:
            log.warning(
                "instance '%s': %d torrents would be deleted this cycle, more than "
                "MaxDeletionsPerCycle (%d); none deleted, waiting for approval",
                name,
                counts[name],
                cap,
            )
        return kept, held

    def _split_dry_run(
        self, plans: list[Planned], approved: set[Key]
    ) -> tuple[list[Planned], list[ev.ActionEvent]]:
        """In dry-run every action is recorded as planned, and none is sent (approved ones
        excepted). The same plan for the same torrent is recorded once, not every cycle."""
        if not self.dry_run:
            return plans, []
        now = self.clock()
        real: list[Planned] = []
        planned: list[ev.ActionEvent] = []
        for plan in plans:
            if plan.key in approved:
                real.append(plan)
                continue
            signature = tuple(a.describe() for a in plan.actions)
            if self._planned_seen.get(plan.key) == signature:
                continue
            self._planned_seen[plan.key] = signature
            planned += plan.events("planned", now, dry_run=True)
        return real, planned

    # --- persist and publish ---------------------------------------------------------
    def _persist(
        self,
        data: _CycleData,
        new_states: dict[Key, StoredState],
        deleted: set[Key],
        action_events: list[ev.ActionEvent],
    ) -> None:
        present = {s.key for r in data.fetched.values() if r.ok for s in r.snapshots}
        fetched_ok = {name for name, r in data.fetched.items() if r.ok}
        gone = {k for k in self.states if k[0] in fetched_ok and k not in present} | deleted
        for key in gone:
            new_states.pop(key, None)
        self.states.update(new_states)
        for key in gone:
            self.states.pop(key, None)
            self._planned_seen.pop(key, None)
            self._last_decisions.pop(key, None)
            self._decided.pop(key, None)
            self._row_sources.pop(key, None)

        entries = [
            ActionLogEntry(
                time=e.time,
                instance=e.instance,
                hash=e.hash,
                name=e.name,
                action=e.action.describe(),
                rule=e.rule,
                reason=e.reason,
                dry_run=e.dry_run,
                outcome=e.outcome,
                error=e.error,
            )
            for e in action_events
        ]
        self.store.save_states(new_states, gone)
        self.store.log_actions(entries)

    def _publish_torrents(self, data: _CycleData) -> None:
        for instance, result in data.fetched.items():
            if not result.ok:
                continue
            previous = self._published.get(instance)
            current: dict[str, ev.TorrentRow] = {}
            sources = self._row_sources
            for t in result.snapshots:
                rule, reason = self._last_decisions.get(t.key, ("", ""))
                old = previous.get(t.hash) if previous is not None else None
                if (
                    old is not None
                    and sources.get(t.key) is t
                    and old.rule == rule
                    and old.reason == reason
                ):
                    current[t.hash] = old  # same snapshot, same decision: same row
                    continue
                sources[t.key] = t
                current[t.hash] = ev.TorrentRow(
                    instance=instance,
                    hash=t.hash,
                    name=t.name,
                    category=t.category,
                    state=t.state,
                    progress=t.progress,
                    size=t.size,
                    ratio=t.ratio,
                    eta=t.eta,
                    tags=tuple(sorted(t.tags)),
                    dlspeed=t.dlspeed,
                    upspeed=t.upspeed,
                    added_on=t.added_on,
                    rule=rule,
                    reason=reason,
                )
            self._published[instance] = current
            managed: dict[str, int] = {}
            for row in current.values():
                managed[row.category] = managed.get(row.category, 0) + 1
            self._emit(
                ev.InstanceStats(
                    instance,
                    result.server,
                    dict(result.category_counts),
                    managed,
                    result.latency,
                    self.manager.requests_made().get(instance, 0),
                )
            )
            if previous is None:
                self._emit(ev.TorrentsUpdated(instance, tuple(current.values()), full=True))
                continue
            # Reused rows are the very same object: the identity test skips the field compare.
            changed = tuple(
                row
                for h, row in current.items()
                if (old := previous.get(h)) is not row and old != row
            )
            removed = tuple(h for h in previous if h not in current)

            if changed or removed:
                self._emit(ev.TorrentsUpdated(instance, changed, removed))


def _delta(after: Mapping[str, int], before: Mapping[str, int]) -> dict[str, int]:
    return {name: after[name] - before.get(name, 0) for name in after}


@contextlib.contextmanager
def engine_log_events(engine: Engine, level: int = logging.INFO) -> Iterator[None]:
    """While inside, the package's log records also reach the dashboard as LogLine events
    (secrets redacted, as everywhere)."""
    from qbitrr_tui.logs import LOGGER_NAME, SECRETS

    handler = EventLogHandler(engine.events)
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
