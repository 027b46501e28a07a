"""``decide()``: the pure decision core. A torrent, its remembered state, the context and the
time go in; a :class:`Decision` (rule, reason, actions) and the state to remember come out.
No network, no clock, no database: every rule is unit-tested without them.
"""

from __future__ import annotations

from collections.abc import Callable

from qbitrr_tui.engine import strikes
from qbitrr_tui.engine.model import ActionKind, Decision, Rule, RuleContext, StoredState
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
        decision = hnr.guard(torrent, decision, state, ctx)
    if decision.rule is not Rule.UNREGISTERED and (note := unregistered.note(state, ctx)):
        decision = Decision(
            decision.rule, f"{decision.reason}; {note}", decision.actions, decision.wait_until
        )
    if not decision.destructive:
        extra = core.rate_limits(torrent, ctx) + core.tracker_tags(torrent, ctx)
        if extra:
            decision = Decision(
                decision.rule, decision.reason, decision.actions + extra, decision.wait_until
            )
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
