"""The decider's tracker side, per instance and cycle: the tracker rows that apply to each
torrent, the periodic look for "unregistered" answers (engine/trackers.py), what the last
read said of each torrent's trackers, and the gate before deletions
(engine/deletion_gate.py).

Inheritance of rows (qBitrr's): ``[[qBit.Trackers]]`` applies on every instance, as qBitrr
applies it to every Arr; an instance's own ``[[qBit-<Name>.Trackers]]`` is merged over it for
that instance, and the Arr's ``[[<Arr>.Torrent.Trackers]]`` over both (engine/rules/hnr.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from qbitrr_tui.config import Config
from qbitrr_tui.config.model import ArrConfig, TrackerRule
from qbitrr_tui.config.units import format_duration
from qbitrr_tui.engine.deletion_gate import Subject, gate
from qbitrr_tui.engine.model import TAG_IGNORED, StoredState, TorrentKey
from qbitrr_tui.engine.plan import Planned
from qbitrr_tui.engine.rules.hnr import merge_rows
from qbitrr_tui.engine.strikes import observe_unregistered
from qbitrr_tui.engine.tracker_status import TrackerReport, unregistered_message
from qbitrr_tui.engine.trackers import TrackerScan
from qbitrr_tui.qbit.adapter import InstanceAdapter
from qbitrr_tui.qbit.snapshot import TorrentSnapshot


@dataclass(frozen=True, slots=True)
class Look:
    """One instance's tracker look of a cycle."""

    read: set[str]  # hashes whose trackers were read
    adapter: InstanceAdapter | None = None  # what its snapshots can tell (TrackerScan.clean)


GATE_RETRY = 60.0  # seconds before a held-back deletion's trackers are read again


class TrackerWatch:
    def __init__(self) -> None:
        self.scan = TrackerScan()
        self.known: dict[TorrentKey, TrackerReport] = {}  # the last read of each torrent
        self._rows: dict[tuple[str, str], tuple[TrackerRule, ...]] = {}
        self._config: Config | None = None
        self._held: dict[TorrentKey, tuple[float, str]] = {}  # gate: (read at, why it waits)
        self._fresh: dict[str, set[TorrentKey]] = {}  # instance → read since take_fresh()
        # Torrents whose last scan found an "unregistered" answer: scanned first (strikes)
        self._unregistered: set[TorrentKey] = set()
        # instance → (its snapshots, categories, those watched): the same while unchanged
        self._watched: dict[str, tuple[Sequence[TorrentSnapshot], set[str], list[TorrentSnapshot]]]
        self._watched = {}

    def begin(self, config: Config) -> None:
        """A new cycle: rows are worked out again (the config may have been reloaded)."""
        if config is not self._config:
            self._rows.clear()
            self._config = config

    def rows(self, instance: str, arr: ArrConfig | None) -> tuple[TrackerRule, ...]:
        key = (instance, arr.name if arr else "")
        found = self._rows.get(key)
        if found is None:
            tables: list[Sequence[TrackerRule]] = []
            if self._config is not None:
                by_name = {i.name: i for i in self._config.instances}
                if "default" in by_name:
                    tables.append(by_name["default"].trackers)
                if instance != "default" and instance in by_name:
                    tables.append(by_name[instance].trackers)
            if arr is not None:
                tables.append(arr.torrent.trackers)
            found = self._rows[key] = merge_rows(*tables)
        return found

    def read_instance(
        self,
        adapter: InstanceAdapter | None,
        instance: str,
        torrents: Sequence[TorrentSnapshot],
        arr_by_category: Mapping[str, ArrConfig],
        *,
        now: float,
        interval: float,
    ) -> Look:
        """Read the trackers due a look this cycle: the hashes read, and those whose
        snapshot shows they are not unregistered. What was read of torrents that left is
        forgotten."""
        kept = self._watched.get(instance)
        same = kept is not None and kept[0] is torrents and kept[1] == arr_by_category.keys()
        if self.known and not same:
            present = {t.key for t in torrents}
            self.forget([k for k in self.known if k[0] == instance and k not in present])
        if adapter is None:
            return Look(set())
        if kept is not None and same:
            watched = kept[2]
        else:
            watched = [
                t for t in torrents if t.category in arr_by_category and TAG_IGNORED not in t.tags
            ]
            self._watched[instance] = (torrents, set(arr_by_category), watched)
        reports = self.scan.scan(
            adapter,
            watched,
            arr_by_category.keys(),
            now=now,
            interval=interval,
            first=self._unregistered,
        )
        category = {t.hash: t.category for t in watched} if reports else {}
        for torrent_hash, report in reports.items():
            key = (instance, torrent_hash)
            self._remember(key, report)
            phrases = arr_by_category[category[torrent_hash]].torrent.unregistered_messages
            if unregistered_message(report.entries, phrases):
                self._unregistered.add(key)
            else:
                self._unregistered.discard(key)
        return Look(set(reports), adapter)

    def _remember(self, key: TorrentKey, report: TrackerReport) -> None:
        before = self.known.get(key)
        if report.private is None and before is not None:  # a scan does not read the flag
            report = TrackerReport(report.entries, before.private)
        self.known[key] = report
        self._fresh.setdefault(key[0], set()).add(key)

    def take_fresh(self, instance: str) -> set[TorrentKey]:
        """The torrents of ``instance`` whose trackers were read since the last call (their
        facts may have changed: the decider walks them again)."""
        return self._fresh.pop(instance, set())

    def observe(
        self,
        stored: StoredState,
        torrent: TorrentSnapshot,
        arr: ArrConfig | None,
        look: Look,
        *,
        now: float,
        interval: float,
    ) -> StoredState:
        """``stored`` with this cycle's tracker look, when there was one."""
        if arr is None:
            return stored
        if torrent.hash in look.read:
            report = self.known[torrent.key]
            message = unregistered_message(report.entries, arr.torrent.unregistered_messages)
        elif stored.unregistered_since is not None and TrackerScan.clean(look.adapter, torrent):
            message = ""
        else:
            return stored
        return observe_unregistered(stored, message, now=now, interval=interval)

    def facts(self, key: TorrentKey) -> tuple[tuple[str, ...], bool | None]:
        """The tracker URLs and private flag the last read found (none before one)."""
        report = self.known.get(key)
        return (report.urls, report.private) if report else ((), None)

    def gate(
        self,
        adapter: InstanceAdapter | None,
        plans: Sequence[Planned],
        subjects: Mapping[str, Subject],
        now: float,
    ) -> tuple[list[Planned], dict[str, str]]:
        """The plans with deletions that must wait held back; why each held-back hash
        waits. One held back is read again after :data:`GATE_RETRY`, not every cycle."""
        if not plans:
            return [], {}
        instance = plans[0].instance
        waiting: dict[str, str] = {}
        for plan in plans:
            held = self._held.get(plan.key)
            if held is not None and now - held[0] < GATE_RETRY:
                waiting[plan.hash] = f"{held[1]} (read {format_duration(now - held[0])} ago)"
        out, reports, deferred = gate(adapter, plans, subjects, waiting=waiting)
        for torrent_hash, report in reports.items():
            self._remember((instance, torrent_hash), report)
        for plan in plans:
            if plan.hash in waiting:
                continue
            if plan.hash in deferred:
                self._held[plan.key] = (now, deferred[plan.hash])
            else:
                self._held.pop(plan.key, None)
        return out, deferred

    def forget(self, keys: Sequence[TorrentKey]) -> None:
        for key in keys:
            self.known.pop(key, None)
            self._held.pop(key, None)
            self._unregistered.discard(key)
            if (fresh := self._fresh.get(key[0])) is not None:
                fresh.discard(key)
        self.scan.forget(keys)
