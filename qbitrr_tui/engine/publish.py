"""The dashboard's rows: each torrent projected with its decision, and only what changed sent.

Per instance read this cycle: an ``InstanceStats`` event, then one ``TorrentsUpdated`` with
the rows that changed and the hashes that left (all rows, ``full``, the first time). A row
is reused — the very same object — while its torrent is the same snapshot (or differs only
in seeding time and last activity, which a row does not show) and its decision the same
rule, reason and deadline (a countdown is a deadline the view formats, not a new reason
each cycle), so a quiet cycle builds no row. The published rows are updated in place, and
torrents that left are looked for only when the count says some may have.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from functools import lru_cache

from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.memory import TorrentMemory
from qbitrr_tui.qbit.fetch import ChangeCursor
from qbitrr_tui.qbit.manager import InstanceFetch
from qbitrr_tui.qbit.snapshot import TorrentSnapshot, same_but_clock, tracker_host

_host = lru_cache(maxsize=1024)(tracker_host)  # a few trackers, thousands of torrents


@lru_cache(maxsize=4096)
def _tags(tags: frozenset[str]) -> tuple[str, ...]:
    """A row's tags, sorted: one tuple per distinct set (a handful, thousands of rows)."""
    return tuple(sorted(tags))


def project(
    t: TorrentSnapshot, rule: str, reason: str, deadline: float | None = None
) -> ev.TorrentRow:
    """One torrent as the dashboard shows it."""
    return ev.TorrentRow(
        instance=t.instance,
        hash=t.hash,
        name=t.name,
        category=t.category,
        state=t.state,
        progress=t.progress,
        size=t.size,
        ratio=t.ratio,
        eta=t.eta,
        tags=_tags(t.tags),
        dlspeed=t.dlspeed,
        upspeed=t.upspeed,
        added_on=t.added_on,
        rule=rule,
        reason=reason,
        seeds=t.num_seeds,
        peers=t.num_leechs,
        tracker=_host(t.tracker),
        deadline=deadline,
    )


class RowPublisher:
    def __init__(self, memory: TorrentMemory) -> None:
        self.memory = memory
        self._published: dict[str, dict[str, ev.TorrentRow]] = {}  # instance → hash → row
        self._managed: dict[str, dict[str, int]] = {}  # instance → category → rows
        self._cursor = ChangeCursor()  # the read the rows were made of

    def publish(
        self, fetched: Mapping[str, InstanceFetch], requests: Mapping[str, int]
    ) -> list[ev.Event]:
        """The events for the instances read this cycle; ``requests``: per instance, so far."""
        out: list[ev.Event] = []
        for instance, result in fetched.items():
            if not result.ok:
                continue
            first = instance not in self._published
            rows = self._published.setdefault(instance, {})
            changed, removed = self._update(result, rows)
            managed = self._managed.get(instance)
            if managed is None or changed or removed:  # a row's category may have moved
                managed = self._managed[instance] = dict(Counter(r.category for r in rows.values()))
            out.append(
                ev.InstanceStats(
                    instance,
                    result.server,
                    dict(result.category_counts),
                    dict(managed),
                    result.latency,
                    requests.get(instance, 0),
                )
            )
            if first:
                out.append(ev.TorrentsUpdated(instance, tuple(rows.values()), full=True))
            elif changed or removed:
                out.append(ev.TorrentsUpdated(instance, tuple(changed), tuple(removed)))
        return out

    def _update(
        self, result: InstanceFetch, rows: dict[str, ev.TorrentRow]
    ) -> tuple[list[ev.TorrentRow], list[str]]:
        """Bring one instance's ``rows`` up to date, in place: (rows new or changed, hashes
        gone). When the read says what changed since the one these rows were made of, only
        those torrents and those whose shown decision changed are looked at; else every one
        (the first time, after a failed read or a full update)."""
        instance, changes = result.name, result.changes
        shown = self.memory.take_shown(instance)
        hashes = self._cursor.advance(instance, changes)
        if changes is None or hashes is None:
            return self._update_all(result, rows)
        changed: list[ev.TorrentRow] = []
        removed: list[str] = []
        for info_hash in hashes | shown:
            t = changes.torrents.get(info_hash)
            if t is None or t.category not in changes.categories:
                if rows.pop(info_hash, None) is not None:
                    removed.append(info_hash)
                continue
            row = self._row(t, rows.get(info_hash))
            if row is not None:
                rows[info_hash] = row
                changed.append(row)
        return changed, removed

    def _update_all(
        self, result: InstanceFetch, rows: dict[str, ev.TorrentRow]
    ) -> tuple[list[ev.TorrentRow], list[str]]:
        """Every torrent's row; torrents that left are looked for only when the count says
        some may have (a torrent new this cycle, or fewer torrents than rows)."""
        changed: list[ev.TorrentRow] = []
        added = False
        for t in result.snapshots:
            old = rows.get(t.hash)
            row = self._row(t, old)
            if row is not None:
                added = added or old is None
                rows[t.hash] = row
                changed.append(row)
        removed: list[str] = []
        if added or len(rows) != len(result.snapshots):
            present = {t.hash for t in result.snapshots}
            removed = [h for h in rows if h not in present]
            for info_hash in removed:
                del rows[info_hash]
        return changed, removed

    def _row(self, t: TorrentSnapshot, old: ev.TorrentRow | None) -> ev.TorrentRow | None:
        """``t``'s row when it is new or differs from ``old``; None to keep ``old``. A row is
        kept while its snapshot is the same but for its clock and its decision the same."""
        record = self.memory.record(t.key)
        source, record.row_source = record.row_source, t
        if (
            old is not None
            and (source is t or (source is not None and same_but_clock(source, t)))
            and old.rule == record.rule
            and old.reason == record.reason
            and old.deadline == record.deadline
        ):
            return None  # same snapshot (a row shows no seeding time), same decision
        row = project(t, record.rule, record.reason, record.deadline)
        return None if old == row else row
