"""The rules that remove, pause or repair downloads: failed and recheck categories, free
space, missing files, errors, unwanted files, stalled and slow downloads.

Every removal goes through :func:`removal`, which holds the guards: the ignore tag never
reaches here, the MaximumDeletablePercentage cap, a disconnected instance, and an Arr that
cannot blocklist (never delete without blocklisting).
"""

from __future__ import annotations

from qbitrr_tui.config.units import format_duration
from qbitrr_tui.engine.model import (
    LEFT,
    TAG_ALL_FILES_EXCLUDED,
    TAG_ALLOWED_STALLED,
    TAG_FREE_SPACE_PAUSED,
    TAG_IMPORTED,
    TAG_MANUAL_PAUSED,
    Action,
    ActionKind,
    Decision,
    Rule,
    RuleContext,
    StoredState,
)
from qbitrr_tui.engine.rules import flapping
from qbitrr_tui.engine.rules.common import RuleResult, add_tag, remove_tag, tracker_rule, young
from qbitrr_tui.qbit.snapshot import ETA_UNKNOWN, TorrentSnapshot

RECHECK_COOLDOWN = 3600.0
CHECKING_STATES = frozenset({"checkingDL", "checkingUP", "checkingResumeData", "moving"})
STALLED_STATES = frozenset({"stalledDL", "metaDL", "forcedMetaDL"})


def removal(
    t: TorrentSnapshot,
    ctx: RuleContext,
    rule: Rule,
    why: str,
    *,
    blocklist: bool = True,
    capped: bool = True,
    extra: tuple[Action, ...] = (),
) -> Decision:
    """Delete ``t`` on its own instance, blocklisting it in its Arr and searching again —
    or a decision that says which guard held it back."""
    arr = ctx.arr
    if not ctx.instance_connected:
        return Decision(rule, f"{why}; deferred: instance reports no network connection")
    limit = arr.torrent.maximum_deletable_percentage if arr else 0.99
    if capped and t.progress > limit:
        return Decision(
            rule,
            f"{why}; kept: {t.progress * 100:.1f}% done > "
            f"MaximumDeletablePercentage {limit * 100:.0f}%",
        )
    actions: list[Action] = list(extra)
    if blocklist:
        if arr is None or ctx.queue is None:
            owner = arr.name if arr else "any Arr"
            return Decision(rule, f"{why}; kept: not in {owner}'s queue, nothing to blocklist")
        if not ctx.arr_up:
            return Decision(
                rule, f"{why}; deferred: {arr.name} unreachable (never delete without blocklisting)"
            )
        actions.append(Action(ActionKind.BLOCKLIST, queue_ids=ctx.queue.ids, arr=arr.name))
    actions.append(Action(ActionKind.DELETE, delete_files=True))
    if blocklist and arr is not None and arr.re_search and ctx.queue and ctx.queue.media_ids:
        actions.append(Action(ActionKind.SEARCH, media_ids=ctx.queue.media_ids, arr=arr.name))
    suffix = ", blocklisted" if blocklist else ""
    if any(a.kind is ActionKind.SEARCH for a in actions):
        suffix += " and searched again"
    return Decision(rule, f"{why}: removing{suffix}", tuple(actions))


def failed_category(t: TorrentSnapshot, stored: StoredState, ctx: RuleContext) -> RuleResult:
    if t.category != ctx.settings.failed_category:
        return None
    if ctx.queue is None:
        return Decision(
            Rule.FAILED,
            "moved to the failed category; not in any Arr's queue: removing without blocklist",
            (Action(ActionKind.DELETE, delete_files=True),),
        ), stored
    return removal(t, ctx, Rule.FAILED, "moved to the failed category", capped=False), stored


def recheck_category(t: TorrentSnapshot, stored: StoredState, ctx: RuleContext) -> RuleResult:
    recheck = ctx.settings.recheck_category
    if t.category != recheck:
        return None
    original = stored.original_category or (stored.category if stored.category != recheck else "")
    state = stored.with_changes(original_category=original)
    if stored.recheck_requested_at is None:
        return Decision(
            Rule.RECHECK, "moved to the recheck category: rechecking", (Action(ActionKind.RECHECK),)
        ), state.with_changes(recheck_requested_at=ctx.now)
    if t.state in CHECKING_STATES:
        return Decision(Rule.RECHECK, "rechecking"), state
    if not original:
        return Decision(
            Rule.RECHECK, "rechecked; its original category is unknown: move it back by hand"
        ), state
    return Decision(
        Rule.RECHECK,
        f"rechecked: back to category {original!r}",
        (Action(ActionKind.SET_CATEGORY, category=original),),
    ), state.with_changes(recheck_requested_at=None, original_category="")


def free_space(t: TorrentSnapshot, stored: StoredState, ctx: RuleContext) -> RuleResult:
    paused_by_us = stored.free_space_paused or TAG_FREE_SPACE_PAUSED in t.tags
    if ctx.free_space_action == "pause" and not paused_by_us:
        return Decision(
            Rule.FREE_SPACE,
            "not enough free space for this download: pausing",
            (Action(ActionKind.PAUSE), *add_tag(t, TAG_FREE_SPACE_PAUSED)),
        ), stored.with_changes(free_space_paused=True)
    if ctx.free_space_action == "resume" and paused_by_us:
        by_hand = TAG_MANUAL_PAUSED in t.tags  # the operator's pause outlasts ours
        return Decision(
            Rule.FREE_SPACE,
            "enough free space again: " + ("stays paused by hand" if by_hand else "resuming"),
            (
                *(() if by_hand else (Action(ActionKind.RESUME),)),
                *remove_tag(t, TAG_FREE_SPACE_PAUSED),
            ),
        ), stored.with_changes(free_space_paused=False)
    if paused_by_us:
        return Decision(Rule.FREE_SPACE, "paused until there is enough free space"), stored
    return None


def missing_files(t: TorrentSnapshot, stored: StoredState, ctx: RuleContext) -> RuleResult:
    if t.state != "missingFiles":
        return None
    if not ctx.instance_connected:
        return Decision(
            Rule.MISSING_FILES, "files missing; deferred: instance has no network"
        ), stored
    return Decision(
        Rule.MISSING_FILES,
        "files missing: removed from qBittorrent, not blocklisted (the release itself was fine)",
        (Action(ActionKind.DELETE, delete_files=False),),
    ), stored


def content_lost(t: TorrentSnapshot, stored: StoredState, ctx: RuleContext) -> RuleResult:
    """Imported earlier, incomplete now (its files were deleted and it was rechecked): the
    release was good, so it is removed from qBittorrent without blocklisting."""
    if t.is_complete or not (stored.imported or TAG_IMPORTED in t.tags):
        return None
    if t.state in CHECKING_STATES or t.is_paused:
        return None
    if not ctx.instance_connected:
        return Decision(
            Rule.CONTENT_LOST, "imported, now incomplete; deferred: instance has no network"
        ), stored
    return Decision(
        Rule.CONTENT_LOST,
        f"imported earlier, now {t.progress * 100:.0f}% (content "
        "gone): removed from qBittorrent, not blocklisted",
        (Action(ActionKind.DELETE, delete_files=False),),
    ), stored


def errored(t: TorrentSnapshot, stored: StoredState, ctx: RuleContext) -> RuleResult:
    last = stored.recheck_requested_at
    cooling = last is not None and ctx.before(last + RECHECK_COOLDOWN)
    if t.state in CHECKING_STATES and last is not None and cooling:
        # The recheck this rule asked for is running: say so, not just "checking 0%".
        return Decision(
            Rule.ERRORED,
            f"errored: being rechecked; if it errors again, the next recheck is in {LEFT}",
            wait_until=last + RECHECK_COOLDOWN,
        ), stored
    if t.state != "error":
        return None
    if last is not None and cooling:
        return Decision(
            Rule.ERRORED,
            f"errored; rechecked already, next try in {LEFT}",
            wait_until=last + RECHECK_COOLDOWN,
        ), stored
    return Decision(
        Rule.ERRORED, "errored: rechecking", (Action(ActionKind.RECHECK),)
    ), stored.with_changes(recheck_requested_at=ctx.now)


def unwanted_files(t: TorrentSnapshot, stored: StoredState, ctx: RuleContext) -> RuleResult:
    """Once per torrent, when its file list is known: skip the files the Arr's rules
    exclude. If every file would be excluded, tag and report (delete only if asked)."""
    if stored.files_checked or ctx.excluded_files is None or ctx.arr is None:
        return None
    done = stored.with_changes(files_checked=True)
    if ctx.all_files_excluded:
        if ctx.arr.torrent.delete_if_all_excluded:
            return removal(t, ctx, Rule.UNWANTED_FILES, "every file is excluded"), done
        return Decision(
            Rule.UNWANTED_FILES,
            "every file would be excluded: kept and tagged "
            f"{TAG_ALL_FILES_EXCLUDED} (check the filters)",
            add_tag(t, TAG_ALL_FILES_EXCLUDED),
        ), done
    if not ctx.excluded_files:
        return (
            None
            if t.state in STALLED_STATES
            else (Decision(Rule.OK, "files checked: none excluded"), done)
        )
    count = len(ctx.excluded_files)
    return Decision(
        Rule.UNWANTED_FILES,
        f"skipping {count} unwanted file(s)",
        (Action(ActionKind.FILE_PRIORITY, file_ids=ctx.excluded_files),),
    ), done


def stalled(t: TorrentSnapshot, stored: StoredState, ctx: RuleContext) -> RuleResult:
    if t.state not in STALLED_STATES or ctx.arr is None:
        if stored.stalled_since is not None or TAG_ALLOWED_STALLED in t.tags:
            # Moving again: it leaves the grace and loses the tag.
            cleared = stored.with_changes(
                stalled_since=None, allowed_stalled=False, researched=False
            )
            if TAG_ALLOWED_STALLED in t.tags:
                return Decision(
                    Rule.STALLED, "moving again: grace ended", remove_tag(t, TAG_ALLOWED_STALLED)
                ), cleared
            return None if t.state not in STALLED_STATES else (Decision(Rule.OK, t.state), cleared)
        return None
    rules = ctx.arr.torrent
    young_until = young(t, ctx, ctx.settings.ignore_torrents_younger_than)
    if young_until is not None:
        return Decision(
            Rule.YOUNG,
            f"{t.state}, but added recently (ignored for another {LEFT})",
            wait_until=young_until,
        ), stored
    since = stored.stalled_since
    if since is None:
        since = float(t.added_on) if t.state != "stalledDL" else ctx.now
    state = stored.with_changes(stalled_since=since)
    label = "stalled" if t.state == "stalledDL" else "no metadata"
    if rules.stalled_delay < 0:
        return Decision(Rule.STALLED, f"{label} (StalledDelay -1: never removed)"), state
    grace_end = since + rules.stalled_delay
    if ctx.before(grace_end):
        actions: tuple[Action, ...] = add_tag(t, TAG_ALLOWED_STALLED)
        need = rules.strikes_before_removal
        why = flapping.in_grace(label, stored, need)
        if rules.re_search_stalled and not stored.researched and ctx.queue and ctx.arr_up:
            actions += (
                Action(ActionKind.BLOCKLIST, queue_ids=ctx.queue.ids, arr=ctx.arr.name),
                Action(ActionKind.SEARCH, media_ids=ctx.queue.media_ids, arr=ctx.arr.name),
            )
            state = state.with_changes(researched=True)
            why += "; blocklisted and searched again (ReSearchStalled)"
        return Decision(Rule.STALLED, why, actions, wait_until=grace_end), state.with_changes(
            allowed_stalled=True
        )
    why = f"{label} longer than StalledDelay {format_duration(rules.stalled_delay)}"
    ended = flapping.stalled_grace_ended(t, state, ctx, why, rules.stalled_delay)
    if not isinstance(ended, str):
        return ended
    why = ended
    return removal(t, ctx, Rule.STALLED, why, extra=remove_tag(t, TAG_ALLOWED_STALLED)), state


def slow(t: TorrentSnapshot, stored: StoredState, ctx: RuleContext) -> RuleResult:
    if ctx.arr is None or t.state not in ("downloading", "forcedDL") or t.is_complete:
        return None
    rules = ctx.arr.torrent
    row = tracker_rule(t, ctx)
    limit = row.maximum_eta if row and row.maximum_eta is not None else rules.maximum_eta
    if limit < 0 or t.eta <= limit or t.eta >= ETA_UNKNOWN:
        return None
    if young(t, ctx, ctx.settings.ignore_torrents_younger_than) is not None:
        return None
    why = f"slow: ETA {format_duration(t.eta)} > MaximumETA {format_duration(limit)}"
    if rules.do_not_remove_slow:
        return Decision(Rule.SLOW, f"{why}; kept (DoNotRemoveSlow)"), stored
    counted = flapping.slow_strike(t, stored, ctx, why)
    if not isinstance(counted, str):
        return counted
    why = counted
    return removal(t, ctx, Rule.SLOW, why), stored
