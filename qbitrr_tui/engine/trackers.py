"""Reading torrents' trackers and private flag from an instance, batched.

Two readers, one per need:

- :func:`read_reports` — for given torrents (those about to be deleted this cycle): one
  ``torrents/info?hashes=…&includeTrackers=true`` request where the instance has it
  (5.1+), else ``torrents/trackers`` and ``torrents/properties`` per torrent, for at most
  ``budget`` torrents (the others are not read, so their deletion waits a cycle);
- :class:`TrackerScan` — the periodic look for "unregistered" answers, each torrent at
  most once per TrackerCheckInterval: where ``sync/maindata`` flags tracker errors (Web API
  2.11.7+), one request for the flagged torrents only; on 5.0/5.1 one request per managed
  category; on 4.x the torrents whose ``tracker`` field is empty (4.x leaves it empty
  while no tracker works, so a torrent with a working tracker is never read), one request
  each, at most :data:`SCAN_RATE` a second per instance however short the cycles are —
  those whose last read found an "unregistered" answer first (their strikes are due), then
  those never read or newly without a working tracker, then the longest unread.

A torrent missing from the answer was not read: the caller defers what depended on it.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from qbitrr_tui.engine.model import TorrentKey
from qbitrr_tui.engine.tracker_status import TrackerReport, entries_from, private_flag
from qbitrr_tui.logs import get_logger
from qbitrr_tui.qbit.adapter import InstanceAdapter
from qbitrr_tui.qbit.snapshot import TorrentSnapshot
from qbitrr_tui.qbit.webapi import QbitError

log = get_logger("engine")

HASHES_PER_REQUEST = 200  # keeps a GET's query string well under any server's limit
# 4.x, torrents/trackers requests per instance: at most SCAN_RATE a second on average and
# SCAN_BURST at once. A budget in time, not per cycle: the faster the cycles, the more
# requests a per-cycle cap sends (an instance with 1,800 torrents that never reached a
# tracker sent 10 every cycle, 75 a minute).
SCAN_RATE = 0.25
SCAN_BURST = 10


def _from_info(items: Iterable[dict[str, Any]]) -> dict[str, TrackerReport]:
    reports = {}
    for item in items:
        raw = item.get("trackers")
        if not isinstance(raw, list):
            continue  # not listed: not read
        reports[str(item.get("hash", "")).lower()] = TrackerReport(
            entries_from(raw), private_flag(item.get("private"))
        )
    return reports


def read_reports(
    adapter: InstanceAdapter, hashes: Sequence[str], *, budget: int, with_private: bool = True
) -> dict[str, TrackerReport]:
    """The trackers and private flag of ``hashes``; those that could not be read are
    absent (a failed request is logged, never raised). ``with_private`` False spares 4.x
    the ``torrents/properties`` request (the flag is then None)."""
    reports: dict[str, TrackerReport] = {}
    try:
        if adapter.lists_trackers:
            for start in range(0, len(hashes), HASHES_PER_REQUEST):
                chunk = hashes[start : start + HASHES_PER_REQUEST]
                reports.update(_from_info(adapter.torrents_with_trackers(hashes="|".join(chunk))))
            return reports
        for torrent_hash in hashes[:budget]:
            entries = entries_from(adapter.trackers(torrent_hash))
            private = None
            if with_private:
                private = private_flag(adapter.properties(torrent_hash).get("is_private"))
            reports[torrent_hash] = TrackerReport(entries, private)
    except (QbitError, ValueError) as exc:
        log.warning("trackers not read: %s", exc)
    return reports


class TrackerScan:
    """When each category / torrent was last read, so each is read once per interval."""

    def __init__(self) -> None:
        self._category_read: dict[tuple[str, str], float] = {}
        self._torrent_read: dict[TorrentKey, float] = {}
        self._tokens: dict[str, tuple[float, float]] = {}  # 4.x: instance → (reads left, at)

    def scan(
        self,
        adapter: InstanceAdapter,
        torrents: Sequence[TorrentSnapshot],
        categories: Collection[str],
        *,
        now: float,
        interval: float,
        first: Collection[TorrentKey] = (),
    ) -> dict[str, TrackerReport]:
        """The trackers due a read; ``first``: the suspects read before the others."""
        if not torrents:
            return {}
        instance = torrents[0].instance
        if adapter.lists_trackers and not adapter.flags_tracker_errors:
            present = {t.category for t in torrents} & set(categories)
            return self._by_category(adapter, instance, present, now=now, interval=interval)
        if adapter.flags_tracker_errors:  # only those a tracker answered with an error
            suspects = [t for t in torrents if t.tracker_error or t.tracker_warning]
        else:  # 4.x: those with no working tracker
            suspects = [t for t in torrents if not t.tracker]
        # A torrent gone, or seen clean again, is forgotten: when it is next a suspect it is
        # a new one, read before those read before.
        keys = {t.key for t in suspects}
        self.forget([k for k in self._torrent_read if k[0] == instance and k not in keys])
        limit = len(suspects) if adapter.lists_trackers else self._allowance(instance, now)
        if limit <= 0:
            return {}
        read_at = self._torrent_read
        due = []  # (not first, last read, hash): the order they are read in
        for key in keys:
            last = read_at.get(key, -math.inf)
            if now - last >= interval:
                due.append((key not in first, last, key[1]))
        chosen = [info_hash for _, _, info_hash in heapq.nsmallest(limit, due)]
        reports = read_reports(adapter, chosen, budget=limit, with_private=False)
        for torrent_hash in chosen:
            self._torrent_read[(instance, torrent_hash)] = now
        if not adapter.lists_trackers:
            self._spend(instance, len(chosen))
        return reports

    def _allowance(self, instance: str, now: float) -> int:
        """How many one-torrent reads ``instance`` may have now (a token bucket)."""
        tokens, at = self._tokens.get(instance, (float(SCAN_BURST), now))
        tokens = min(float(SCAN_BURST), tokens + max(0.0, now - at) * SCAN_RATE)
        self._tokens[instance] = (tokens, now)
        return int(tokens)

    def _spend(self, instance: str, count: int) -> None:
        tokens, at = self._tokens[instance]
        self._tokens[instance] = (max(0.0, tokens - count), at)

    @staticmethod
    def clean(adapter: InstanceAdapter | None, torrent: TorrentSnapshot) -> bool:
        """Whether the snapshot alone shows no tracker calls the torrent unregistered: a
        working tracker on 4.x, no tracker error flag where there are flags."""
        if adapter is None:
            return False
        if adapter.flags_tracker_errors:
            return not (torrent.tracker_error or torrent.tracker_warning)
        if not adapter.lists_trackers:
            return bool(torrent.tracker)
        return False

    def _by_category(
        self,
        adapter: InstanceAdapter,
        instance: str,
        present: Collection[str],
        *,
        now: float,
        interval: float,
    ) -> dict[str, TrackerReport]:
        reports: dict[str, TrackerReport] = {}
        for category in sorted(present):
            key = (instance, category)
            if now - self._category_read.get(key, float("-inf")) < interval:
                continue
            try:
                reports.update(_from_info(adapter.torrents_with_trackers(category=category)))
            except (QbitError, ValueError) as exc:
                log.warning("trackers of category %r not read: %s", category, exc)
                continue
            self._category_read[key] = now
        return reports

    def forget(self, keys: Iterable[TorrentKey]) -> None:
        for key in keys:
            self._torrent_read.pop(key, None)
