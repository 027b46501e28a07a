"""The dashboard's state, built from engine events. Pure: no Textual, unit-tested.

The app drains the event queue into :meth:`DashboardModel.apply`, then asks
:meth:`DashboardModel.take_changes` what changed since the last paint and touches only
those widgets.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from qbitrr_tui.config.units import format_duration
from qbitrr_tui.engine import events as ev
from qbitrr_tui.health import Health, HealthState
from qbitrr_tui.tui.torrent_filter import parse as parse_filter

Key = tuple[str, str]
HISTORY = 40


@dataclass
class InstanceView:
    name: str
    health: Health | None = None
    stats: ev.InstanceStats | None = None
    latency_ms: deque[float] = field(default_factory=lambda: deque(maxlen=HISTORY))
    download: deque[float] = field(default_factory=lambda: deque(maxlen=HISTORY))
    left_up_at: float | None = None  # when it stopped being up: its rows' "last seen"


@dataclass
class ArrView:
    name: str
    health: Health | None = None
    kind: str = ""
    category: str = ""
    queue_size: int | None = None


@dataclass
class EngineView:
    cycle: int = 0
    duration: float | None = None
    next_cycle_at: float | None = None
    paused: bool = False
    dry_run: bool = False
    torrents: int = 0
    requests: int = 0
    held: int = 0
    message: str = ""


@dataclass(frozen=True, slots=True)
class Offline:
    """Why an instance's rows are not live (``down``, ``disabled``…) and when it was last
    seen up. Fixed while it stays offline, so its rows are greyed once, not every tick."""

    state: str
    last_seen: float | None  # None: not seen up since the dashboard started

    def row_label(self) -> str:
        if self.last_seen is None:
            return self.state
        return f"{self.state} · last seen {time.strftime('%H:%M', time.localtime(self.last_seen))}"

    def describe(self, now: float) -> str:
        if self.last_seen is None:
            return self.state
        return f"{self.state}, last seen {ago(now - self.last_seen)}"


@dataclass
class PlanItem:
    """The actions planned (dry-run) or held back (deletion cap) for one torrent."""

    instance: str
    hash: str
    name: str
    rule: str
    reason: str
    outcome: str  # "planned" | "held"
    actions: list[str] = field(default_factory=list)

    @property
    def key(self) -> Key:
        return (self.instance, self.hash)


@dataclass
class Changes:
    """What changed since the last paint."""

    instances: set[str] = field(default_factory=set)
    arrs: set[str] = field(default_factory=set)
    engine: bool = False
    torrents: set[Key] = field(default_factory=set)
    removed: set[Key] = field(default_factory=set)
    reset: set[str] = field(default_factory=set)  # instances whose rows were all replaced
    activity: list[ev.ActionEvent] = field(default_factory=list)
    log: list[ev.LogLine] = field(default_factory=list)
    plan: bool = False
    messages: list[str] = field(default_factory=list)  # what the engine says it did
    details: list[ev.TorrentDetails] = field(default_factory=list)  # answers to RequestDetails
    held: list[ev.RemovalHeld] = field(default_factory=list)  # removals by hand kept: ask
    recycle_bin: bool = False
    alerts: list[tuple[str, str]] = field(default_factory=list)  # (severity, text): toasts

    @property
    def empty(self) -> bool:
        return not (
            self.instances
            or self.arrs
            or self.engine
            or self.torrents
            or self.removed
            or self.reset
            or self.activity
            or self.log
            or self.plan
        )


class DashboardModel:
    def __init__(
        self,
        instance_names: Iterable[str] = (),
        arr_names: Iterable[str] = (),
        *,
        clock: Callable[[], float] = time.time,
        dry_run: bool = False,
    ) -> None:
        self.clock = clock
        self.instances: dict[str, InstanceView] = {n: InstanceView(n) for n in instance_names}
        self.arrs: dict[str, ArrView] = {n: ArrView(n) for n in arr_names}
        self.engine = EngineView(dry_run=dry_run)
        self.torrents: dict[Key, ev.TorrentRow] = {}
        self.rows_per_instance: Counter[str] = Counter()
        self.activity: deque[ev.ActionEvent] = deque(maxlen=1000)
        self.plan: dict[Key, PlanItem] = {}
        self.recycle_bin: ev.RecycleBinChanged | None = None
        self._changes = Changes()

    def take_changes(self) -> Changes:
        changes, self._changes = self._changes, Changes()
        return changes

    # --- events ----------------------------------------------------------------------
    def apply_all(self, events: Iterable[ev.Event]) -> None:
        for event in events:
            self.apply(event)

    def apply(self, event: ev.Event) -> None:
        c = self._changes
        if isinstance(event, ev.InstanceHealthChanged):
            self._apply_health(event)
        elif isinstance(event, ev.InstanceStats):
            view = self._instance(event.instance)
            view.stats = event
            if event.latency is not None:
                view.latency_ms.append(event.latency * 1000)
            view.download.append(float(event.server.dl_speed))
            c.instances.add(view.name)
        elif isinstance(event, ev.ArrHealthChanged):
            arr = self.arrs.setdefault(event.health.name, ArrView(event.health.name))
            arr.health, arr.kind, arr.category = event.health, event.kind, event.category
            if event.queue_size is not None or not event.health.is_up:
                arr.queue_size = event.queue_size
            c.arrs.add(arr.name)
        elif isinstance(event, ev.TorrentsUpdated):
            self._apply_torrents(event)
        elif isinstance(event, ev.ActionEvent):
            self._apply_action(event)
        elif isinstance(event, ev.CycleFinished):
            e = self.engine
            e.cycle, e.duration, e.next_cycle_at = event.cycle, event.duration, event.next_cycle_at
            e.paused, e.dry_run, e.torrents = event.paused, event.dry_run, event.torrents
            e.requests = sum(event.requests_per_instance.values()) + sum(
                event.requests_per_arr.values()
            )
            e.held = event.held
            c.engine = True
        elif isinstance(event, ev.EngineStateChanged):
            self.engine.paused, self.engine.dry_run = event.paused, event.dry_run
            self.engine.message = event.message
            if event.message:
                c.messages.append(event.message)
            if not event.dry_run:
                self._drop_plan("planned")
            c.engine = True
        elif isinstance(event, ev.LogLine):
            c.log.append(event)
        elif isinstance(event, ev.TorrentDetails):
            c.details.append(event)
        elif isinstance(event, ev.RemovalHeld):
            c.held.append(event)
        elif isinstance(event, ev.RecycleBinChanged):
            self.recycle_bin, c.recycle_bin, c.engine = event, True, True
            if event.message:
                c.messages.append(event.message)

    def _apply_health(self, event: ev.InstanceHealthChanged) -> None:
        """A health change; going down, or coming back, is an alert (a toast)."""
        c = self._changes
        view = self._instance(event.health.name)
        was_up = view.health is not None and view.health.is_up
        was_down = view.left_up_at is not None
        if event.health.is_up:
            view.left_up_at = None
            if was_down:
                c.alerts.append(("information", f"Instance '{view.name}' is back up."))
        elif was_up:
            view.left_up_at = event.health.since
            why = f": {event.health.last_error}" if event.health.last_error else ""
            if event.health.state is not HealthState.DISABLED:  # the operator's own doing
                c.alerts.append(("error", f"Instance '{view.name}' went down{why}"))
        view.health = event.health
        c.instances.add(view.name)

    def history(self, key: Key) -> list[ev.ActionEvent]:
        """This torrent's actions, newest first (what the dashboard saw this session)."""
        return [e for e in reversed(self.activity) if e.key == key]

    def _instance(self, name: str) -> InstanceView:
        view = self.instances.get(name)
        if view is None:
            view = self.instances[name] = InstanceView(name)
        return view

    def _apply_torrents(self, event: ev.TorrentsUpdated) -> None:
        c = self._changes
        instance = event.instance
        if event.full:
            for key in [k for k in self.torrents if k[0] == instance]:
                del self.torrents[key]
            self.rows_per_instance[instance] = 0
            c.reset.add(instance)
            c.torrents = {k for k in c.torrents if k[0] != instance}
            c.removed = {k for k in c.removed if k[0] != instance}
        for row in event.rows:
            if row.key not in self.torrents:
                self.rows_per_instance[instance] += 1
            self.torrents[row.key] = row
            if not event.full:
                c.torrents.add(row.key)
                c.removed.discard(row.key)
        for info_hash in event.removed:
            key = (instance, info_hash)
            if self.torrents.pop(key, None) is not None:
                self.rows_per_instance[instance] -= 1
            c.torrents.discard(key)
            c.removed.add(key)
            if self.plan.pop(key, None) is not None:
                c.plan = True

    def _apply_action(self, event: ev.ActionEvent) -> None:
        c = self._changes
        self.activity.append(event)
        c.activity.append(event)
        if event.outcome in ("planned", "held"):
            item = self.plan.get(event.key)
            if item is None or item.outcome != event.outcome or item.reason != event.reason:
                item = PlanItem(
                    event.instance, event.hash, event.name, event.rule, event.reason, event.outcome
                )
                self.plan[event.key] = item
            described = event.action.describe()
            if described not in item.actions:
                item.actions.append(described)
            c.plan = True
        elif event.outcome == "applied" and self.plan.pop(event.key, None) is not None:
            c.plan = True

    def _drop_plan(self, outcome: str) -> None:
        for key in [k for k, item in self.plan.items() if item.outcome == outcome]:
            del self.plan[key]
            self._changes.plan = True

    # --- queries ---------------------------------------------------------------------
    def instance_names(self) -> list[str]:
        return list(self.instances)

    def offline(self) -> dict[str, Offline]:
        """The instances whose rows are no longer live: why, and since when."""
        out: dict[str, Offline] = {}
        for view in self.instances.values():
            health = view.health
            if health is None or health.is_up:
                continue
            out[view.name] = Offline(health.state.value.replace("_", " "), view.left_up_at)
        return out

    def row_counts(self, offline: Iterable[str]) -> tuple[int, int]:
        """(rows of live instances, rows of offline ones): every count on screen uses this."""
        stale = sum(self.rows_per_instance[name] for name in offline)
        return len(self.torrents) - stale, stale

    def distribution(self) -> tuple[list[str], list[str], dict[tuple[str, str], int]]:
        """(categories, instances, counts[(category, instance)]) of managed torrents."""
        counts: dict[tuple[str, str], int] = {}
        categories: set[str] = set()
        for view in self.instances.values():
            if view.stats is None:
                continue
            for category, count in view.stats.managed_counts.items():
                counts[(category, view.name)] = count
                categories.add(category)
        return sorted(categories), list(self.instances), counts


def ago(seconds: float) -> str:
    """``12s ago``, ``2m ago``, ``1h05m ago``."""
    return f"{format_duration(max(0.0, seconds))} ago"


def matches(row: ev.TorrentRow, query: str) -> bool:
    """Whether ``row`` passes the filter ``query`` (torrent_filter.py); a query with an
    unknown field, state or rule matches nothing here (the view says what is wrong)."""
    parsed = parse_filter(query)
    return not parsed.errors and parsed(row)
