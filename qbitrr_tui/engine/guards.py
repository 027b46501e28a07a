"""The two promises between deciding and acting, as pure functions.

- The deletion cap: per instance, a cycle that would delete more than
  ``MaxDeletionsPerCycle`` torrents deletes none of them but those the user approved; the
  rest is held back, as ``held`` events, for approval.
- Dry-run: every action is recorded as ``planned`` and none is sent, approved torrents
  excepted; the same plan for the same torrent is recorded once, not every cycle.

No clock, no I/O, no engine: plans, approvals and what was recorded before go in; what to
send and the events that say what was not sent come out.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from qbitrr_tui.engine.events import ActionEvent
from qbitrr_tui.engine.memory import Signature
from qbitrr_tui.engine.memory import signature as actions_signature
from qbitrr_tui.engine.model import DESTRUCTIVE, TorrentKey
from qbitrr_tui.engine.plan import Planned


@dataclass(frozen=True, slots=True)
class Capped:
    kept: list[Planned]  # what may go on
    held: list[ActionEvent] = field(default_factory=list)  # one per action held back
    over: dict[str, int] = field(default_factory=dict)  # instance → deletions, when over the cap


@dataclass(frozen=True, slots=True)
class DryRunSplit:
    real: list[Planned]  # what is sent
    planned: list[ActionEvent] = field(default_factory=list)  # one per action recorded
    recorded: dict[TorrentKey, Signature] = field(default_factory=dict)  # plans now recorded


def destructive(plan: Planned) -> bool:
    return any(a.kind in DESTRUCTIVE for a in plan.actions)


def signature(plan: Planned) -> Signature:
    return actions_signature(plan.actions)


def hold_over_cap(
    plans: Sequence[Planned],
    approved: Collection[TorrentKey],
    *,
    cap: int,
    now: float,
    dry_run: bool,
) -> Capped:
    """Hold back the destructive plans of every instance that has more than ``cap`` of
    them this cycle, but those in ``approved``."""
    counts: dict[str, int] = {}
    for plan in plans:
        if destructive(plan):
            counts[plan.instance] = counts.get(plan.instance, 0) + 1
    over = {name: count for name, count in counts.items() if count > cap}
    if not over:
        return Capped(list(plans))
    kept: list[Planned] = []
    held: list[ActionEvent] = []
    for plan in plans:
        if plan.instance in over and destructive(plan) and plan.key not in approved:
            error = f"held: over MaxDeletionsPerCycle ({cap})"
            held += plan.events("held", now, dry_run=dry_run, error=error)
        else:
            kept.append(plan)
    return Capped(kept, held, over)


def split_dry_run(
    plans: Sequence[Planned],
    approved: Collection[TorrentKey],
    recorded: Mapping[TorrentKey, Signature],
    *,
    now: float,
    dry_run: bool,
) -> DryRunSplit:
    """In dry-run: send only the approved plans; record the others as planned, unless
    ``recorded`` (what was recorded before) already holds the same plan for that torrent."""
    if not dry_run:
        return DryRunSplit(list(plans))
    real: list[Planned] = []
    planned: list[ActionEvent] = []
    newly: dict[TorrentKey, Signature] = {}
    for plan in plans:
        if plan.key in approved:
            real.append(plan)
            continue
        sig = signature(plan)
        if recorded.get(plan.key) == sig:
            continue
        newly[plan.key] = sig
        planned += plan.events("planned", now, dry_run=True)
    return DryRunSplit(real, planned, newly)
