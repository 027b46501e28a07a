"""The last look before a torrent is deleted *with its files*: cross-seeds and the recycle bin.

For each such deletion, just before it is sent (:mod:`qbitrr_tui.engine.executor`):

1. one fresh ``torrents/info?hashes=…`` of the instance's deletions (category, tags, paths);
2. the cross-seed check (:mod:`qbitrr_tui.engine.cross_seed`): data another torrent uses is
   kept, the torrent alone removed — "kept data: shared with <name> on <instance>"; an
   instance that cannot be read makes the check unsure, and the deletion is deferred;
3. with ``RecycleBin``, the .torrent and a record go to the bin
   (:mod:`qbitrr_tui.engine.recycle_bin`) first; with ``RecycleBinMoveData`` the data is
   moved into the bin and the torrent removed without its files.

The verdicts change what is *sent*, never the journaled step: its effect (the torrent gone)
is read back as before, so a lost answer or a restart repeats nothing (the bin entry is
keyed by the torrent, and a move that happened is seen as done).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

from qbitrr_tui.config.model import Settings
from qbitrr_tui.engine import cross_seed
from qbitrr_tui.engine.cross_seed import Holder, PathIndex, PathSource
from qbitrr_tui.engine.plan import Planned
from qbitrr_tui.engine.recycle_bin import BinEntry, RecycleBin, move_data, move_destination
from qbitrr_tui.logs import get_logger
from qbitrr_tui.qbit.adapter import InstanceAdapter
from qbitrr_tui.qbit.snapshot import tracker_host
from qbitrr_tui.qbit.webapi import QbitError, QbitRequestError

log = get_logger("safe-delete")


@dataclass(frozen=True, slots=True)
class Verdict:
    """How one deletion with files is sent: with its files or not, and what to say."""

    files: bool
    note: str = ""  # appended to the reason in the Activity view
    defer: str = ""  # not sent this cycle, and why (the journal retries it)


class SafeDelete:
    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.settings: Settings | None = None  # the config's, set by the engine each cycle
        self.bin_changed = False  # an entry was written: the dashboard's bin is out of date

    def take_bin_changed(self) -> bool:
        """Whether an entry was written since the last time this was asked."""
        changed, self.bin_changed = self.bin_changed, False
        return changed

    @property
    def bin(self) -> RecycleBin | None:
        s = self.settings
        return RecycleBin(s.data_folder) if s is not None and s.recycle_bin else None

    def index(
        self,
        plans: Sequence[Planned],
        adapter_of: Callable[[str], InstanceAdapter],
        source: PathSource | None,
    ) -> PathIndex:
        """Every instance's content paths, once per run that deletes with files."""
        names = cross_seed.instances_to_check(source, (p.instance for p in plans))
        return cross_seed.build_index(names, adapter_of, source)

    def judge(
        self,
        adapter: InstanceAdapter,
        plans: Sequence[Planned],
        index: PathIndex,
        adapter_of: Callable[[str], InstanceAdapter],
    ) -> dict[str, Verdict]:
        """A verdict per hash for one instance's deletions with files."""
        hashes = [p.hash for p in plans]
        try:
            rows = adapter.torrents_info(hashes="|".join(hashes))
        except QbitError as exc:
            return dict.fromkeys(hashes, Verdict(False, defer=f"deferred: {exc}"))
        fresh = {str(r.get("hash", "")).lower(): r for r in rows if isinstance(r, dict)}
        if index.unread:
            name, why = next(iter(index.unread.items()))
            defer = (
                f"deferred: cannot check for cross-seeds on instance '{name}' ({why}); "
                "set Disabled = true for an instance you no longer run"
            )
            return {h: Verdict(False, defer=defer) if h in fresh else Verdict(True) for h in hashes}

        def files(holder: Holder) -> list[str]:
            return cross_seed.file_paths(adapter_of(holder.instance), holder)

        verdicts: dict[str, Verdict] = {}
        for plan in plans:
            row = fresh.get(plan.hash)
            if row is None:  # already gone: nothing of its data is deleted by the request
                verdicts[plan.hash] = Verdict(True)
                continue
            target = cross_seed.holders_from(plan.instance, [row])[0]
            shared = cross_seed.shared_with(target, index, files)
            note = ""
            if shared is not None:
                other, how = shared
                note = f"kept data: shared with {other.name} on {other.instance}"
                log.info("%s on instance '%s': %s (%s)", plan.name, plan.instance, note, how)
            try:
                verdicts[plan.hash] = self._recycle(
                    adapter, plan, row, shared=note if shared else ""
                )
            except OSError as exc:  # the bin's folder: full, read-only, gone
                why = f"deferred: the recycle bin cannot be written ({exc})"
                verdicts[plan.hash] = Verdict(False, defer=why)
        return verdicts

    def _recycle(
        self, adapter: InstanceAdapter, plan: Planned, row: dict[str, Any], *, shared: str
    ) -> Verdict:
        """Into the bin (when it is on); ``shared``: the data stays, for another torrent."""
        recycle = self.bin
        settings = self.settings
        if recycle is None or settings is None:
            return Verdict(not shared, note=shared)
        days = f"{settings.recycle_bin_days:g}"
        try:
            entry = self._record(recycle, adapter, plan, row, kept=bool(shared))
        except QbitError as exc:  # the .torrent was not read: nothing recorded, try again
            return Verdict(False, defer=f"deferred: its .torrent was not exported ({exc})")
        # An entry from an earlier try says what this try does with the data.
        if shared:  # restorable: the torrent is in the bin, its data where it was
            if entry.data == "deleted":
                recycle.save(replace(entry, data="kept"))
            return Verdict(False, note=shared)
        if not settings.recycle_bin_move_data:
            if entry.data == "kept":
                recycle.save(replace(entry, data="deleted"))
            return Verdict(True, note=f"in the recycle bin for {days} days")
        return self._move(recycle, adapter, plan, entry, days)

    def _move(
        self,
        recycle: RecycleBin,
        adapter: InstanceAdapter,
        plan: Planned,
        entry: BinEntry,
        days: str,
    ) -> Verdict:
        """RecycleBinMoveData: the data into the bin (once; a repeat sees it done)."""
        if entry.data != "moved":
            try:
                adapter.pause([plan.hash])  # nothing is written while it moves
            except QbitError as exc:
                return Verdict(False, defer=f"deferred: not paused before its move ({exc})")
            if not entry.moved_to:
                entry = replace(entry, data="moving", moved_to=str(move_destination(entry)))
                recycle.save(entry)
            entry, why = move_data(entry)
            recycle.save(entry)
            if why:
                log.warning("%s: data kept in place: %s", plan.name, why)
                return Verdict(False, note=f"kept data in place: {why}")
        return Verdict(False, note=f"data moved to the recycle bin for {days} days")

    def _record(
        self,
        recycle: RecycleBin,
        adapter: InstanceAdapter,
        plan: Planned,
        row: dict[str, Any],
        *,
        kept: bool,
    ) -> BinEntry:
        """The bin entry of this deletion: the one already there (a step sent again), or a
        new one with its .torrent exported."""
        existing = recycle.load(plan.instance, plan.hash)
        if existing is not None:
            return existing
        entry = BinEntry(
            instance=plan.instance,
            hash=plan.hash,
            name=str(row.get("name", plan.name)),
            category=str(row.get("category", "")),
            tags=tuple(t.strip() for t in str(row.get("tags", "")).split(",") if t.strip()),
            save_path=str(row.get("save_path", "")),
            content_path=str(row.get("content_path", plan.content_path)),
            size=_int(row.get("size")),
            removed_at=self.clock(),
            why=f"{plan.rule}: {plan.reason}",
            data="kept" if kept else "deleted",
            magnet=str(row.get("magnet_uri", "")) or _magnet(plan.hash, row),
        )
        content, note = _export(adapter, plan.hash)
        if content is not None:
            recycle.save_torrent(entry, content)
        entry = replace(entry, torrent_file=content is not None, export_note=note)
        recycle.save(entry)
        self.bin_changed = True
        log.info(
            "recycle bin: %s on instance '%s' recorded%s",
            entry.name,
            entry.instance,
            f" ({note})" if note else "",
        )
        return entry


def _export(adapter: InstanceAdapter, info_hash: str) -> tuple[bytes | None, str]:
    if not adapter.can_export:
        return None, (
            f"qBittorrent {adapter.app_version} cannot export a .torrent (Web API "
            f"{adapter.api_version} < 2.8.14); kept its magnet link"
        )
    try:
        return adapter.export(info_hash), ""
    except QbitRequestError as exc:  # answered: no metadata yet (409); a lost answer raises
        return None, f"no .torrent ({exc}); kept its magnet link"


def _magnet(info_hash: str, row: dict[str, Any]) -> str:
    link = f"magnet:?xt=urn:btih:{info_hash}&dn={quote(str(row.get('name', '')))}"
    tracker = str(row.get("tracker", ""))
    return link + (f"&tr={quote(tracker, safe='')}" if tracker_host(tracker) else "")


def _int(raw: object) -> int:
    try:
        return int(str(raw))
    except ValueError:
        return 0
