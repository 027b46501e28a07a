"""Which read of an instance's torrents each cycle, chosen from its version.

The aim: every torrent that appears or becomes complete is seen within one cycle, however
it got there (downloaded, added already complete by a cross-seed or a re-add, completed by
a recheck), at a cost to qBittorrent proportional to what changed.

- qBittorrent ≥ 4.6 (Web API ≥ 2.9) tracks which torrents changed and answers a
  ``sync/maindata`` delta by serialising only those: **one delta every cycle** sees every
  addition, completion, recheck and removal at once (``delta``). Torrents the engine just
  changed are also read by hash, since not every change is signalled (limits).
- qBittorrent 4.5 serialises every torrent to answer any delta (~90 µs each), so it keeps
  the tiered read of fetch.py (``tiered``): the fast read each cycle, the full read every
  ``FullRefreshInterval``, and the full read brought forward when the instance's log has a
  new ordinary message: qBittorrent logs every torrent it adds and every download that
  finishes. Reading the log since the last message seen costs it nothing measurable; no
  message text is parsed (any new one is a reason to look), so a release that words them
  differently still works. Brought forward only as far as an import needs: a torrent that
  completed when the log moved is imported ``ImportSettleTime`` later (``log_grace``), so
  the full read is made in the last cycle before that — at once with 0, and with the
  default (60 s, as FullRefreshInterval) mostly not at all: the read due anyway comes in
  time, and 10,000 torrents serialised (~0.9 s of qBittorrent's CPU) are saved. A torrent
  stays watched while it is incomplete (by hash outside ``filter=downloading``: a recheck
  may complete it) or still checked or moved (an import waits for that).
"""

from __future__ import annotations

from collections.abc import Iterable

from qbitrr_tui.logs import get_logger
from qbitrr_tui.qbit.adapter import InstanceAdapter
from qbitrr_tui.qbit.fetch import MaindataView, fetching_metadata, unsettled
from qbitrr_tui.qbit.webapi import QbitRequestError

log = get_logger("qbit")

BY_HASH_BATCH = 200  # hashes per torrents/info?hashes= request (keeps the URL short)
# Seconds between reads of every incomplete torrent on 4.x; between them only those with
# their metadata are read (by hash). A magnet that gets its metadata shows within this.
LIST_EVERY = 30.0
DELTA = "delta"
TIERED = "tiered"
NO_LOG = -2  # the instance refused log/main: the tiered read goes without it


def strategy(adapter: InstanceAdapter) -> str:
    return DELTA if adapter.incremental_maindata else TIERED


def read(
    adapter: InstanceAdapter,
    view: MaindataView,
    *,
    now: float,
    full_every: float,
    log_grace: float = 0.0,
) -> str:
    """Bring ``view`` up to date for this cycle; returns the kind of read made
    (``full``, ``fast`` or ``delta``). ``log_grace``: how long after completing a torrent
    may first be seen without delaying anything (ImportSettleTime)."""
    if view.last_full is None:
        log.info(
            "instance '%s' (Web API %s): %s",
            view.instance,
            adapter.api_version,
            "a sync/maindata delta every cycle"
            if strategy(adapter) == DELTA
            else "incomplete torrents every cycle, all when due or when its log moves",
        )
    if strategy(adapter) == DELTA:
        dirty = set(view.dirty)
        view.apply_full(adapter.maindata(view.rid), now, watch=False)
        _read_by_hash(adapter, view, dirty)
        return DELTA
    if _log_due(adapter, view, now, log_grace) or view.full_due(now, full_every):
        view.apply_full(adapter.maindata(view.rid), now)
        view.log_pending_since = None
        view.listed_at = now
        return "full"
    fast_read(adapter, view, now)
    return "fast"


def fast_read(adapter: InstanceAdapter, view: MaindataView, now: float) -> None:
    """The incomplete torrents (all, when listing them is due; else those that have their
    metadata, by hash), and by hash those that left that set, incomplete ones outside it
    and those the engine changed. Then live speeds and network status for the dashboard
    and the disconnected guard (free disk space comes with the full read)."""
    listed = view.listed_at
    wanted: set[str] = set()
    if listed is not None and now - listed < LIST_EVERY:
        wanted = {h for h in view.watched if not fetching_metadata(view.torrents.get(h))}
        wanted |= view.dirty
    if listed is not None and now - listed < LIST_EVERY and len(wanted) <= BY_HASH_BATCH:
        _read_by_hash(adapter, view, wanted)
        view.watched = {h for h in view.watched | wanted if _unsettled(view, h)}
    else:  # one list is cheaper than more than a batch by hash
        view.listed_at = now
        rows = adapter.torrents_info(filter="downloading")
        seen = {str(r.get("hash", "")).lower() for r in rows}
        view.apply_rows(rows)
        again = (view.watched | view.dirty) - seen
        _read_by_hash(adapter, view, again)
        # Still unsettled outside filter=downloading (errored or missing files: a recheck
        # may complete them; complete but checking or moving): they stay watched.
        view.watched = seen | {h for h in again if _unsettled(view, h)}
    view.dirty.clear()
    view.server.update(adapter.transfer_info())


def _unsettled(view: MaindataView, info_hash: str) -> bool:
    snap = view.torrents.get(info_hash)
    return snap is not None and unsettled(snap)


def _read_by_hash(adapter: InstanceAdapter, view: MaindataView, hashes: Iterable[str]) -> None:
    wanted = sorted(hashes)
    for start in range(0, len(wanted), BY_HASH_BATCH):
        batch = wanted[start : start + BY_HASH_BATCH]
        found = adapter.torrents_info(hashes="|".join(batch))
        view.apply_rows(found, missing=set(batch) - {str(r.get("hash", "")).lower() for r in found})


def _log_due(adapter: InstanceAdapter, view: MaindataView, now: float, grace: float) -> bool:
    """Whether a log move makes the full read due this cycle: the next cycle (about as far
    off as the last one) would see what it announced later than ``grace`` after it."""
    looked = view.log_looked_at
    moved = _log_moved(adapter, view)
    view.log_looked_at = now
    if moved and view.log_pending_since is None:
        view.log_pending_since = now if looked is None else looked
    if view.log_pending_since is None:
        return False
    period = 0.0 if looked is None else now - looked
    return now + period >= view.log_pending_since + grace


def _log_moved(adapter: InstanceAdapter, view: MaindataView) -> bool:
    """Whether the instance logged an ordinary message since the last look (the first look
    after connecting only learns where its log is: a full read is due then anyway)."""
    if view.log_id == NO_LOG:
        return False
    try:
        messages = adapter.log_since(-1 if view.log_id is None else view.log_id)
    except QbitRequestError as exc:
        log.warning(
            "instance '%s' does not share its log (%s): a torrent added complete is seen at "
            "the next full read",
            view.instance,
            exc,
        )
        view.log_id = NO_LOG
        return False
    ids = [m["id"] for m in messages if isinstance(m, dict) and isinstance(m.get("id"), int)]
    first_look = view.log_id is None
    if ids:
        view.log_id = max(ids)
    elif first_look:
        view.log_id = -1
    return bool(ids) and not first_look
