"""The merged torrents of one instance, and the snapshots built from them.

Two kinds of read feed it (which one, each cycle, is decided in qbit/read_strategy.py):

- A **full read**: ``sync/maindata`` with ``rid`` deltas: all torrents, plus ``server_state``
  (free disk space, network connection status, speeds). qBittorrent 4.5 serialises every
  torrent to answer it, which at 10,000 torrents costs it about a second of CPU
  (bench/RESULTS-fetch.md); from 4.6 it sends what changed at the cost of what changed.
- A **fast read** (qBittorrent 4.5 between full reads): the incomplete torrents
  (``torrents/info?filter=downloading``: downloading, metaDL, stalledDL, pausedDL; about 8×
  cheaper for qBittorrent) every ``LIST_EVERY`` seconds, plus, by hash, those that left
  that set (completed or removed), unsettled ones outside it (errored: a recheck may
  complete them; complete but still being checked or moved: their import waits for that)
  and those the engine just changed; in the cycles between, only the incomplete torrents
  that have their metadata, by hash (a magnet still fetching it cannot complete before it
  has it: it is read with the list). And ``transfer/info`` (live speeds, network status).

The merged view is turned into snapshots only for torrents that changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from qbitrr_tui.qbit.snapshot import TorrentSnapshot, kept, merged, snapshot_from_info

_T = TypeVar("_T")
JOURNAL_MIN = 4096  # changed hashes kept beyond one per torrent


@dataclass(frozen=True, slots=True)
class ViewChanges:
    """The torrents that changed between two reads of an instance (qbit/reads.py): a
    consumer that saw the read at ``since`` needs to look only at ``hashes``."""

    since: int | None  # the version of the instance's last read (None: the first)
    version: int
    hashes: frozenset[str] | None  # added, changed or removed (any category); None: all
    torrents: Mapping[str, TorrentSnapshot]  # every torrent of the instance, as of ``version``
    categories: frozenset[str]  # those handed out


class ChangeCursor:
    """Where one consumer of the instances' reads is (the decider, the row publisher)."""

    def __init__(self) -> None:
        # instance → the view (its torrents dict) and version of the read last seen
        self._at: dict[str, tuple[Mapping[str, TorrentSnapshot], int]] = {}

    def advance(self, instance: str, changes: ViewChanges | None) -> frozenset[str] | None:
        """The hashes changed since the read this consumer saw last, when it saw the one
        before this; else None (look at all): the first read, a read it missed, a full
        update, other categories, or a new view of the instance (a reconnect)."""
        at = self._at.pop(instance, None)
        if changes is None:
            return None
        self._at[instance] = (changes.torrents, changes.version)
        if at is None or at[0] is not changes.torrents or at[1] != changes.since:
            return None
        return changes.hashes


@dataclass(frozen=True, slots=True)
class ServerState:
    connection_status: str = "unknown"  # "connected" | "firewalled" | "disconnected"
    free_space_on_disk: int = -1
    dl_speed: int = 0
    up_speed: int = 0


@dataclass
class MaindataView:
    """The merged ``sync/maindata`` state of one instance: one snapshot per torrent (of
    every category), replaced when a field it keeps changes. Only the snapshot is kept, not
    qBittorrent's fields as well: at 30,000 torrents a dict of them per torrent cost more
    memory than everything else together."""

    instance: str
    rid: int = 0
    torrents: dict[str, TorrentSnapshot] = field(default_factory=dict)
    server: dict[str, Any] = field(default_factory=dict)

    last_full: float | None = None  # when the last full read was made
    watched: set[str] = field(default_factory=set)  # unsettled as of the last read
    dirty: set[str] = field(default_factory=set)  # changed by the engine: read again
    log_id: int | None = None  # the newest instance log message seen (qbit/read_strategy.py)
    listed_at: float | None = None  # when every incomplete torrent was last read
    log_looked_at: float | None = None  # when the log was last looked at
    # The log moved since the last full read: the earliest the news in it can be from
    log_pending_since: float | None = None
    # Counts the changes to ``torrents``: what is made of them is kept while it stands still
    # (at 30,000 torrents a quiet cycle changes none, and each pass over them costs), and
    # the hashes changed since ``_base`` are kept in order, for consumers that look only at
    # what changed (:meth:`hand_out`).
    version: int = 0
    _made: dict[object, tuple[int, Any]] = field(default_factory=dict, repr=False)
    _journal: list[str] = field(default_factory=list, repr=False)
    _base: int = 0  # the version before the first hash of _journal
    _handed: tuple[int, frozenset[str]] | None = None  # the last hand_out: version, categories

    def reset(self) -> None:
        self.rid = 0
        self._clear()
        self._handed = None
        self.server.clear()
        self.last_full = None
        self.watched.clear()
        self.dirty.clear()
        self.log_id = None
        self.log_looked_at = self.log_pending_since = self.listed_at = None

    def full_due(self, now: float, interval: float) -> bool:
        return self.last_full is None or now - self.last_full >= interval

    def apply_full(self, data: dict[str, Any], now: float, *, watch: bool = True) -> None:
        """``watch``: work out the unsettled torrents the fast read watches (the tiered read
        only; a delta every cycle needs no such list)."""
        self.apply(data)
        self.last_full = now
        self.watched = (
            {h for h, snap in self.torrents.items() if unsettled(snap)} if watch else set()
        )
        self.dirty.clear()

    def apply_rows(self, rows: list[dict[str, Any]], *, missing: Collection[str] = ()) -> None:
        """Merge ``torrents/info`` rows (same fields as maindata); drop ``missing`` hashes."""
        for row in rows:
            info_hash = str(row.get("hash", "")).lower()
            if info_hash:
                self._merge(info_hash, row)
        for info_hash in missing:
            self._drop(info_hash)

    def apply(self, data: dict[str, Any]) -> None:
        """Merge one answer; a ``full_update`` replaces everything."""
        if data.get("full_update"):
            self._clear()
        for info_hash, fields in (data.get("torrents") or {}).items():
            if isinstance(fields, dict):
                self._merge(info_hash, fields)
        for info_hash in data.get("torrents_removed") or ():
            self._drop(info_hash)
        if isinstance(data.get("server_state"), dict):
            self.server.update(data["server_state"])
        rid = data.get("rid")
        if isinstance(rid, int):
            self.rid = rid

    def _merge(self, info_hash: str, fields: dict[str, Any]) -> None:
        """A new torrent's snapshot, or a known one's with ``fields`` applied; the same
        object while none of the fields it keeps changed (the engine reuses decisions of
        an unchanged snapshot)."""
        if not kept(fields):
            return  # only fields we do not use: the snapshot stays as it is
        current = self.torrents.get(info_hash)
        if current is None:
            self.torrents[info_hash] = snapshot_from_info(self.instance, fields, info_hash)
            self._changed(info_hash)
            return
        changed = merged(current, fields)
        if changed is not None:
            self.torrents[info_hash] = changed
            self._changed(info_hash)

    def _drop(self, info_hash: str) -> None:
        if self.torrents.pop(info_hash, None) is not None:
            self._changed(info_hash)

    def _changed(self, info_hash: str) -> None:
        self.version += 1
        self._journal.append(info_hash)
        if len(self._journal) > JOURNAL_MIN + len(self.torrents):  # nobody looked that far
            self._forget_journal()

    def _clear(self) -> None:
        if self.torrents:
            self.torrents.clear()
            self.version += 1
            self._forget_journal()  # everything changed

    def _forget_journal(self) -> None:
        self._journal.clear()
        self._base = self.version

    def hand_out(self, categories: frozenset[str]) -> ViewChanges:
        """What changed since the last hand-out, for the torrents of ``categories``: not
        known (look at all) the first time, after a full update or a change of categories."""
        last, self._handed = self._handed, (self.version, categories)
        hashes = None
        if last is not None and last[1] == categories and last[0] >= self._base:
            hashes = frozenset(self._journal[last[0] - self._base :])
        since = last[0] if last is not None else None
        return ViewChanges(since, self.version, hashes, self.torrents, categories)

    def made(self, key: object, make: Callable[[], _T]) -> _T:
        """``make()``, made again only when a torrent changed since it was last made for
        ``key`` (a hashable naming what is made and from what)."""
        last = self._made.get(key)
        if last is not None and last[0] == self.version:
            return cast(_T, last[1])
        if len(self._made) > 64:  # keys of configs long gone
            self._made.clear()
        value = make()
        self._made[key] = (self.version, value)
        return value

    def snapshots(self, categories: frozenset[str]) -> tuple[TorrentSnapshot, ...]:
        """Snapshots of the torrents in ``categories``: the same tuple while none changed."""
        return self.made(
            ("snapshots", categories),
            lambda: tuple(snap for snap in self.torrents.values() if snap.category in categories),
        )

    def category_counts(self) -> dict[str, int]:
        return self.made(
            "category_counts", lambda: dict(Counter(s.category for s in self.torrents.values()))
        )

    def server_state(self) -> ServerState:
        s = self.server
        return ServerState(
            connection_status=str(s.get("connection_status", "unknown")),
            free_space_on_disk=_int(s.get("free_space_on_disk"), -1),
            dl_speed=_int(s.get("dl_info_speed"), 0),
            up_speed=_int(s.get("up_info_speed"), 0),
        )


def fetching_metadata(snap: TorrentSnapshot | None) -> bool:
    """A magnet without its metadata yet: no files, so it cannot complete until it has it."""
    return snap is not None and snap.state in ("metaDL", "forcedMetaDL")


def unsettled(snap: TorrentSnapshot) -> bool:
    """Incomplete, or complete but still being checked or moved (its import waits for
    that): the fast read keeps watching it."""
    return snap.state.startswith("checking") or snap.state == "moving" or snap.progress < 1.0


def _int(raw: Any, default: int) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return default
