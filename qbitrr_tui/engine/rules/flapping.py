"""Stalled and slow with ``StrikesBeforeRemoval``: a signal that flaps is counted in strikes
(engine/strikes.py) instead of one grace that restarts each time it stops. Pure.

Each grace (StalledDelay) that ends with the download still stalled — or each check a
grace apart that finds it still slow — is a strike; the download is removed at the last one.
"""

from __future__ import annotations

from qbitrr_tui.engine.model import (
    LEFT,
    TAG_ALLOWED_STALLED,
    Decision,
    Rule,
    RuleContext,
    StoredState,
)
from qbitrr_tui.engine.rules.common import add_tag
from qbitrr_tui.engine.strikes import struck
from qbitrr_tui.qbit.snapshot import TorrentSnapshot

Struck = tuple[Decision, StoredState]


def in_grace(what: str, stored: StoredState, need: int) -> str:
    """The reason while a grace runs; its countdown is the decision's ``wait_until``."""
    if need:
        return f"{what} (strike {stored.strikes}/{need}), next in {LEFT}"
    return f"{what}, removal in {LEFT}"


def stalled_grace_ended(
    t: TorrentSnapshot, state: StoredState, ctx: RuleContext, why: str, delay: float
) -> Struck | str:
    """A strike and the next grace (a decision), or — at the last strike, or without
    strikes — the reason to remove with."""
    need = ctx.arr.torrent.strikes_before_removal if ctx.arr else 0
    if not need:
        return why
    if state.strikes + 1 >= need:
        return f"{why} (strike {need}/{need})"
    after = struck(state, t.progress, ctx.now).with_changes(
        stalled_since=ctx.now, allowed_stalled=True
    )
    return Decision(
        Rule.STALLED,
        f"{why} (strike {after.strikes}/{need}), next in {LEFT}",
        add_tag(t, TAG_ALLOWED_STALLED),
        wait_until=ctx.now + delay,
    ), after


def slow_strike(
    t: TorrentSnapshot, stored: StoredState, ctx: RuleContext, why: str
) -> Struck | str:
    """The same for slow downloads: one strike per StalledDelay."""
    rules = ctx.arr.torrent if ctx.arr else None
    need = rules.strikes_before_removal if rules else 0
    if not need or rules is None:
        return why
    spacing = max(rules.stalled_delay, 0.0)
    last = stored.strike_at
    if last is not None and ctx.before(last + spacing):
        return Decision(
            Rule.SLOW,
            f"{why} (strike {stored.strikes}/{need}), next in {LEFT}",
            wait_until=last + spacing,
        ), stored
    if stored.strikes + 1 >= need:
        return f"{why} (strike {need}/{need})"
    after = struck(stored, t.progress, ctx.now)
    return Decision(
        Rule.SLOW,
        f"{why} (strike {after.strikes}/{need}), next in {LEFT}",
        wait_until=ctx.now + spacing,
    ), after
