"""The last look before a deletion: the torrent's trackers and private flag, read afresh.

For the plans of one instance that delete a torrent, read its trackers (batched: see
engine/trackers.py) and defer the deletion — keeping the plan's other actions and saying
why in its reason — when:

- the trackers could not be read;
- a tracker is updating or not contacted yet, or none works and one fails for a reason
  that may pass (engine/tracker_status.py);
- the matching tracker row's hit-and-run policy is not met, or the torrent is private and
  no row with a policy allows it to go (engine/rules/hnr.py) — unless its tracker has said
  twice that it is unregistered.

A deferred deletion is decided again next cycle, never dropped. Blocklisting and the
search go with the deletion: an Arr is never told to look elsewhere for a download we keep.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from qbitrr_tui.config.model import TrackerRule
from qbitrr_tui.engine.model import ActionKind, StoredState
from qbitrr_tui.engine.plan import Planned
from qbitrr_tui.engine.rules.hnr import match_row, removal_blocked, without_removal
from qbitrr_tui.engine.strikes import confirmed_unregistered
from qbitrr_tui.engine.tracker_status import TrackerReport, wait_reason
from qbitrr_tui.engine.trackers import read_reports
from qbitrr_tui.qbit.adapter import InstanceAdapter
from qbitrr_tui.qbit.snapshot import TorrentSnapshot

NO_METADATA = frozenset({"metaDL", "forcedMetaDL"})  # qBittorrent says no private flag yet
READS_PER_CYCLE = 25  # torrents whose trackers 4.x reads one by one before deleting


@dataclass(frozen=True, slots=True)
class Subject:
    """A torrent about to be deleted, with what judging it needs."""

    torrent: TorrentSnapshot
    state: StoredState
    rows: tuple[TrackerRule, ...]
    phrases: tuple[str, ...]


def deletes(plan: Planned) -> bool:
    return any(a.kind is ActionKind.DELETE for a in plan.actions)


def judge(subject: Subject | None, report: TrackerReport | None) -> str:
    """Why the deletion must wait ("" when it may go ahead)."""
    if subject is None:
        return "not judged"  # never expected; fail closed all the same
    if report is None:
        return "trackers not read"
    if why := wait_reason(report.entries, subject.phrases):
        return why
    t = subject.torrent
    dead = confirmed_unregistered(subject.state)
    private = report.private
    if private is None and t.state in NO_METADATA and t.progress == 0:
        private = False  # a magnet not yet resolved: nothing downloaded, nothing owed
    if private is None and not dead:
        return "private flag not read"
    row = match_row(subject.rows, (t.tracker, *report.urls))
    return removal_blocked(t, row, private=private, dead=dead)


def gate(
    adapter: InstanceAdapter | None,
    plans: Sequence[Planned],
    subjects: Mapping[str, Subject],
    *,
    waiting: Mapping[str, str] | None = None,
) -> tuple[list[Planned], dict[str, TrackerReport], dict[str, str]]:
    """``plans`` with the deletions that must wait taken out; the reports read; why each
    held-back hash waits. ``waiting``: hashes held back recently, with why — not read
    again yet (so a deletion that keeps waiting costs no request every cycle)."""
    waiting = waiting or {}
    due = [p.hash for p in plans if deletes(p)]
    fresh = [h for h in due if h not in waiting]
    reports = read_reports(adapter, fresh, budget=READS_PER_CYCLE) if adapter and fresh else {}
    out: list[Planned] = []
    deferred: dict[str, str] = {}
    for plan in plans:
        if plan.hash not in due:
            out.append(plan)
            continue
        why = waiting.get(plan.hash) or judge(subjects.get(plan.hash), reports.get(plan.hash))
        if not why:
            out.append(plan)
            continue
        reason, actions = without_removal(plan.reason, plan.actions, why, word="deferred")
        deferred[plan.hash] = why
        out.append(replace(plan, reason=reason, actions=actions))
    return out, reports, deferred
