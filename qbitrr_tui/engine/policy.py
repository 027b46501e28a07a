"""``decide()``: the pure decision core. A torrent, its remembered state, the context and the
time go in; a :class:`Decision` (rule, reason, actions) and the state to remember come out.
No network, no clock, no database: every rule is unit-tested without them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from qbitrr_tui.engine import strikes
from qbitrr_tui.engine.model import (
    ActionKind,
    Decision,
    Horizon,
    Rule,
    RuleContext,
    StoredState,
)
from qbitrr_tui.engine.rules import core, health, hnr, unregistered
from qbitrr_tui.qbit.snapshot import TorrentSnapshot

RuleFn = Callable[[TorrentSnapshot, StoredState, RuleContext], tuple[Decision, StoredState] | None]

# First rule that speaks wins. The ignore tag is first: it wins over every rule. Free space
# comes before anything that could delete, recheck or resume a torrent it paused.
RULES: tuple[RuleFn, ...] = (
    core.ignored,
    health.failed_category,
    health.recheck_category,
    health.free_space,
    health.missing_files,
    health.content_lost,
    health.errored,
    health.unwanted_files,
    unregistered.unregistered,
    health.stalled,
    health.slow,
    core.paused_incomplete,
    core.import_ready,
    core.seeding,
)


def decide(
    torrent: TorrentSnapshot, stored: StoredState, ctx: RuleContext
) -> tuple[Decision, StoredState]:
    """The decision, with ``valid_until`` (see :class:`Decision`), and the state to keep."""
    ctx = replace(ctx, horizon=Horizon())  # this decision's own clock comparisons
    decision, state = _decide(torrent, stored, ctx)
    return replace(decision, valid_until=ctx.horizon.at), state


def _decide(
    torrent: TorrentSnapshot, stored: StoredState, ctx: RuleContext
) -> tuple[Decision, StoredState]:
    stored = strikes.settle(stored, torrent.progress, torrent.is_complete)
    for rule in RULES:
        result = rule(torrent, stored, ctx)
        if result is not None:
            decision, state = result
            break
    else:
        decision, state = core.status_quo(torrent, stored, ctx)
    if decision.rule is Rule.IGNORED:
        return decision, state  # its tags and limits are never changed either
    if any(a.kind is ActionKind.DELETE for a in decision.actions):
        guarded = hnr.guard(torrent, decision, state, ctx)
        if guarded is not decision:
            ctx.horizon.until(ctx.now)  # held by seeding time or ratio: look again next cycle
            decision = guarded
    if decision.rule is not Rule.UNREGISTERED:
        decision = _with_unregistered_note(decision, state, ctx)
    if not decision.destructive:
        extra = core.rate_limits(torrent, ctx) + core.tracker_tags(torrent, ctx)
        if extra:
            decision = replace(decision, actions=decision.actions + extra)
    if (state.category, state.last_state, state.last_rule, state.last_reason) == (
        torrent.category,
        torrent.state,
        decision.rule,
        decision.reason,
    ):
        return decision, state  # the common case: nothing new to remember
    return decision, state.with_changes(
        category=torrent.category,
        last_state=torrent.state,
        last_rule=decision.rule,
        last_reason=decision.reason,
    )


def _with_unregistered_note(decision: Decision, state: StoredState, ctx: RuleContext) -> Decision:
    """Where an unregistered count stands, added to another rule's reason; its grace's end
    is the countdown when the reason has none of its own."""
    note, grace_end = unregistered.note(state, ctx, counting=decision.wait_until is not None)
    if not note:
        return decision
    return replace(
        decision,
        reason=f"{decision.reason}; {note}",
        wait_until=decision.wait_until if decision.wait_until is not None else grace_end,
    )
