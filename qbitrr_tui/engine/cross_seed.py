"""Cross-seed awareness: is a torrent's data still used by another torrent?

Before a torrent is deleted *with its files*, every other torrent — on the same instance and
on every other instance — whose content path is the same as, inside, or around the deleted
torrent's content path is a candidate; an equal content path is shared data outright, and
only for the other candidates are the file lists read (one ``torrents/files`` per candidate
and per deleted torrent, never per torrent per cycle) and compared path by path.

The judgement is by *path*, never by inode: a file that is still reachable at a path another
torrent uses is never deleted or moved. (qbit_manage's PR #1349 removed a hard-link shortcut
that deleted in-use files by reasoning about inodes; a hard link at another path is safe
here because deleting our path leaves the other link, and its data, as it is.)

The content paths come from what the engine already holds of each instance (the full read
of every category, refreshed each FullRefreshInterval) plus a fresh read of the torrents
added since that read (newest first, a page at a time), so a cross-seed injected a moment
ago is seen. An instance that cannot be read makes the check unsure: the caller defers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from qbitrr_tui.health import Health, HealthState
from qbitrr_tui.qbit.adapter import InstanceAdapter
from qbitrr_tui.qbit.webapi import QbitError

RECENT_PAGE = 100
RECENT_PAGES = 10  # past this many pages of new torrents, read them all instead
RECENT_MARGIN = 600.0  # seconds of clock difference between us and an instance
READ_BUDGET = 10.0  # seconds the reads of every instance's paths may take together


@runtime_checkable
class PathSource(Protocol):
    """What the real QbitManager offers beside the QbitPort (fakes may lack it)."""

    def known_torrents(self, name: str) -> tuple[list[dict[str, Any]], float | None]: ...

    def get_all_instances(self) -> list[Health]: ...


@dataclass(frozen=True, slots=True)
class Holder:
    """One torrent's place on disk."""

    instance: str
    hash: str
    name: str
    save_path: str
    content_path: str


def norm(path: str) -> str:
    """A path as compared: forward slashes, no trailing slash."""
    text = path.replace("\\", "/")
    return text.rstrip("/") or ("/" if text.startswith("/") else "")


def _inside(inner: str, outer: str) -> bool:
    return inner == outer or inner.startswith(outer.rstrip("/") + "/")


@dataclass
class PathIndex:
    """Every torrent's content path on every instance read; ``unread``: why not."""

    holders: list[Holder] = field(default_factory=list)
    unread: dict[str, str] = field(default_factory=dict)

    def overlapping(self, target: Holder) -> list[Holder]:
        """Torrents whose content path is the target's, or inside it, or around it."""
        mine = norm(target.content_path)
        if not mine:
            return []
        out = []
        for other in self.holders:
            if (other.instance, other.hash) == (target.instance, target.hash):
                continue
            theirs = norm(other.content_path)
            if theirs and (_inside(theirs, mine) or _inside(mine, theirs)):
                out.append(other)
        return out


Files = Callable[[Holder], list[str]]
"""A torrent's files as full, normalised paths (QbitError when they cannot be read)."""


def shared_with(target: Holder, index: PathIndex, files: Files) -> tuple[Holder, str] | None:
    """The first other torrent that uses some of the target's data, and how it was told;
    None when no other torrent does. A candidate whose files cannot be read counts as
    sharing (when in doubt, the data is kept)."""
    candidates = index.overlapping(target)
    mine_path = norm(target.content_path)
    for other in candidates:
        if norm(other.content_path) == mine_path:
            return other, "same content path"
    if not candidates:
        return None
    try:
        mine = set(files(target))
    except QbitError as exc:
        return candidates[0], f"its files could not be read ({exc})"
    if not mine:
        return None  # no files yet (a magnet without metadata): nothing of it to share
    for other in candidates:
        theirs_path = norm(other.content_path)
        if _inside(theirs_path, mine_path) and not any(_inside(f, theirs_path) for f in mine):
            continue  # inside our folder, but none of our files is under it: no read needed
        try:
            theirs = files(other)
        except QbitError as exc:
            return other, f"their files could not be read ({exc})"
        if mine.intersection(theirs):
            return other, "shared files"
    return None


def file_paths(adapter: InstanceAdapter, holder: Holder) -> list[str]:
    """``torrents/files`` of one torrent, as full paths under its save path."""
    data = adapter.files(holder.hash)
    rows = data if isinstance(data, list) else []
    base = norm(holder.save_path)
    return [norm(f"{base}/{row.get('name', '')}") for row in rows if isinstance(row, dict)]


def holders_from(instance: str, rows: Iterable[Mapping[str, Any]]) -> list[Holder]:
    out = []
    for row in rows:
        info_hash = str(row.get("hash", "")).lower()
        if info_hash:
            out.append(
                Holder(
                    instance,
                    info_hash,
                    str(row.get("name", "")),
                    str(row.get("save_path", "")),
                    str(row.get("content_path", "")),
                )
            )
    return out


def _recent(adapter: InstanceAdapter, since: float) -> list[dict[str, Any]] | None:
    """The torrents added since ``since`` (newest first); None when there are too many."""
    out: list[dict[str, Any]] = []
    for page in range(RECENT_PAGES):
        rows = adapter.torrents_info(
            sort="added_on", reverse="true", limit=RECENT_PAGE, offset=page * RECENT_PAGE
        )
        out += rows
        if len(rows) < RECENT_PAGE or min(_added(r) for r in rows) < since - RECENT_MARGIN:
            return out
    return None


def _added(row: Mapping[str, Any]) -> float:
    try:
        return float(row.get("added_on", 0))
    except (TypeError, ValueError):
        return 0.0


def instance_rows(
    name: str, adapter: InstanceAdapter, source: PathSource | None
) -> list[dict[str, Any]]:
    """One instance's torrents with their paths: what the engine holds plus the torrents
    added since, or a full read when it holds nothing yet."""
    if source is not None:
        known, last_full = source.known_torrents(name)
        if last_full is not None:
            recent = _recent(adapter, last_full)
            if recent is not None:
                return known + recent
    data = adapter.torrents_info()
    return data if isinstance(data, list) else []


def build_index(
    names: Sequence[str],
    adapter_of: Callable[[str], InstanceAdapter],
    source: PathSource | None,
    budget: float = READ_BUDGET,
) -> PathIndex:
    """Read every instance named (those disabled by the user are left out by the caller),
    concurrently; one that has not answered within ``budget`` seconds is unread (and the
    deletions wait), so a hung instance holds up the deletions, not the cycle."""
    index = PathIndex()
    pool = ThreadPoolExecutor(max_workers=max(1, len(names)), thread_name_prefix="paths")
    futures = {pool.submit(lambda n: instance_rows(n, adapter_of(n), source), n): n for n in names}
    done, _ = wait(futures, timeout=budget)
    pool.shutdown(wait=False)
    for future, name in futures.items():
        if future not in done:
            index.unread[name] = f"no answer within {budget:g}s"
            continue
        try:
            index.holders += holders_from(name, future.result())
        except QbitError as exc:
            index.unread[name] = str(exc)
    return index


def instances_to_check(source: PathSource | None, fallback: Iterable[str]) -> list[str]:
    """Every configured instance the user has not disabled."""
    if source is None:
        return list(dict.fromkeys(fallback))
    return [h.name for h in source.get_all_instances() if h.state is not HealthState.DISABLED]
