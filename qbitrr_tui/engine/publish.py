"""The dashboard's rows: each torrent projected with its decision, and only what changed sent.

Per instance read this cycle: an ``InstanceStats`` event, then one ``TorrentsUpdated`` with
the rows that changed and the hashes that left (all rows, ``full``, the first time). A row
is reused — the very same object — while its torrent is the same snapshot (or differs only
in seeding time and last activity, which a row does not show) and its decision the same
rule, reason and deadline (a countdown is a deadline the view formats, not a new reason
each cycle), so a quiet cycle builds almost no rows and the diff skips
the field compare for reused ones (identity).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.memory import TorrentMemory
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


def diff(
    previous: Mapping[str, ev.TorrentRow], current: Mapping[str, ev.TorrentRow]
) -> tuple[tuple[ev.TorrentRow, ...], tuple[str, ...]]:
    """(rows new or changed, hashes gone) from ``previous`` to ``current``."""
    # Reused rows are the very same object: the identity test skips the field compare.
    changed = tuple(
        row for h, row in current.items() if (old := previous.get(h)) is not row and old != row
    )
    removed = tuple(h for h in previous if h not in current)
    return changed, removed


class RowPublisher:
    def __init__(self, memory: TorrentMemory) -> None:
        self.memory = memory
        self._published: dict[str, dict[str, ev.TorrentRow]] = {}  # instance → hash → row

    def publish(
        self, fetched: Mapping[str, InstanceFetch], requests: Mapping[str, int]
    ) -> list[ev.Event]:
        """The events for the instances read this cycle; ``requests``: per instance, so far."""
        out: list[ev.Event] = []
        for instance, result in fetched.items():
            if not result.ok:
                continue
            previous = self._published.get(instance)
            current = self._rows(result, previous or {})
            self._published[instance] = current
            managed: dict[str, int] = {}
            for row in current.values():
                managed[row.category] = managed.get(row.category, 0) + 1
            out.append(
                ev.InstanceStats(
                    instance,
                    result.server,
                    dict(result.category_counts),
                    managed,
                    result.latency,
                    requests.get(instance, 0),
                )
            )
            if previous is None:
                out.append(ev.TorrentsUpdated(instance, tuple(current.values()), full=True))
                continue
            changed, removed = diff(previous, current)
            if changed or removed:
                out.append(ev.TorrentsUpdated(instance, changed, removed))
        return out

    def _rows(
        self, result: InstanceFetch, previous: Mapping[str, ev.TorrentRow]
    ) -> dict[str, ev.TorrentRow]:
        current: dict[str, ev.TorrentRow] = {}
        for t in result.snapshots:
            record = self.memory.record(t.key)
            old = previous.get(t.hash)
            source = record.row_source
            if (
                old is not None
                and source is not None
                and same_but_clock(source, t)
                and old.rule == record.rule
                and old.reason == record.reason
                and old.deadline == record.deadline
            ):
                record.row_source = t  # a row shows no seeding time nor last activity
                current[t.hash] = old  # same snapshot, same decision: same row
                continue
            record.row_source = t
            current[t.hash] = project(t, record.rule, record.reason, record.deadline)
        return current
