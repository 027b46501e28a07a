"""Torrents their tracker says are unregistered: after UnregisteredGrace and enough strikes
(engine/strikes.py), removed (blocklisted and searched again while the Arr still has the
download queued), tagged, or moved to another category, per UnregisteredAction. Pure.
"""

from __future__ import annotations

from qbitrr_tui.engine.model import (
    LEFT,
    TAG_ALLOWED_STALLED,
    Action,
    ActionKind,
    Decision,
    Rule,
    RuleContext,
    StoredState,
)
from qbitrr_tui.engine.rules.common import RuleResult, add_tag, remove_tag
from qbitrr_tui.engine.rules.health import removal
from qbitrr_tui.engine.strikes import unregistered_target
from qbitrr_tui.qbit.snapshot import TorrentSnapshot


def unregistered(t: TorrentSnapshot, stored: StoredState, ctx: RuleContext) -> RuleResult:
    arr = ctx.arr
    if arr is None or stored.unregistered_since is None:
        return None
    rules = arr.torrent
    action = rules.unregistered_action
    if action == "off":
        return None
    said = f"tracker says {stored.unregistered_message!r}"
    target = unregistered_target(rules.strikes_before_removal)
    strikes = min(stored.unregistered_strikes, target)
    grace_end = stored.unregistered_since + rules.unregistered_grace
    if stored.unregistered_strikes < target or ctx.before(grace_end):
        return None  # other rules speak meanwhile; note() says where the count is
    why = f"{said} (strike {strikes}/{target})"
    if action == "tag":
        tag = rules.unregistered_tag
        if tag in t.tags:
            return None  # done: the other rules go on as for any torrent
        return Decision(Rule.UNREGISTERED, f"{why}: tagging {tag}", add_tag(t, tag)), stored
    if action == "category":
        target_category = rules.unregistered_category
        return Decision(
            Rule.UNREGISTERED,
            f"{why}: moving to category {target_category!r}",
            (Action(ActionKind.SET_CATEGORY, category=target_category),),
        ), stored
    queued = ctx.queue is not None
    return removal(
        t,
        ctx,
        Rule.UNREGISTERED,
        why,
        blocklist=queued,
        capped=False,
        extra=remove_tag(t, TAG_ALLOWED_STALLED),
    ), stored


def note(stored: StoredState, ctx: RuleContext, *, counting: bool) -> tuple[str, float | None]:
    """Where the count of an unregistered torrent stands, for the reason of whichever rule
    spoke ("" when its tracker says nothing of the kind), and the end of its grace while it
    runs. ``counting``: that reason shows a countdown of its own already (a reason has one),
    so this one says "after UnregisteredGrace" instead."""
    if ctx.arr is None or stored.unregistered_since is None:
        return "", None
    rules = ctx.arr.torrent
    if rules.unregistered_action == "off":
        return "", None
    target = unregistered_target(rules.strikes_before_removal)
    parts = [f"strike {min(stored.unregistered_strikes, target)}/{target}"]
    grace_end: float | None = stored.unregistered_since + rules.unregistered_grace
    if grace_end is not None and ctx.before(grace_end):
        when = "after UnregisteredGrace" if counting else f"in {LEFT}"
        parts.append(f"{rules.unregistered_action} {when}")
    else:
        grace_end = None
    return f"tracker says {stored.unregistered_message!r} ({', '.join(parts)})", grace_end
