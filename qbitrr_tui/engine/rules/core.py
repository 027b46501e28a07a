"""The rules of the engine core: ignore, resume, import, seeding, and the plain status.

Each rule takes ``(torrent, stored, ctx)`` and returns ``(Decision, new StoredState)`` when
it speaks, or None to let the next rule speak. No I/O, no clock: ``ctx.now`` is the time,
compared only through ``ctx.before()``/``ctx.until()`` so the decision knows until when it
holds (``Decision.valid_until``; tests/unit/test_decision_deadlines.py checks the rules).
"""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath

from qbitrr_tui.config.model import TrackerRule
from qbitrr_tui.config.units import format_duration
from qbitrr_tui.engine.model import (
    LEFT,
    TAG_ALLOWED_SEEDING,
    TAG_FREE_SPACE_PAUSED,
    TAG_IGNORED,
    TAG_IMPORTED,
    TAG_MANUAL_PAUSED,
    Action,
    ActionKind,
    Decision,
    Rule,
    RuleContext,
    StoredState,
)
from qbitrr_tui.engine.rules.common import RuleResult, add_tag, remove_tag, tracker_rule
from qbitrr_tui.qbit.snapshot import ETA_UNKNOWN, TorrentSnapshot


def ignored(t: TorrentSnapshot, stored: StoredState, ctx: RuleContext) -> RuleResult:
    if TAG_IGNORED in t.tags:
        return Decision(Rule.IGNORED, f"tagged {TAG_IGNORED}: no automatic action"), stored
    return None


def paused_incomplete(t: TorrentSnapshot, stored: StoredState, ctx: RuleContext) -> RuleResult:
    """A download paused before it finished is resumed (AutoPauseResume), unless free
    space paused it or the operator did (the tag survives a restart)."""
    if not (t.is_paused and not t.is_complete and ctx.settings.auto_pause_resume):
        return None
    if stored.free_space_paused or TAG_FREE_SPACE_PAUSED in t.tags:
        return None
    if TAG_MANUAL_PAUSED in t.tags:
        return Decision(Rule.OK, f"paused by hand ({TAG_MANUAL_PAUSED}): resume it by hand"), stored
    return Decision(
        Rule.RESUME,
        "paused but incomplete: resuming (AutoPauseResume)",
        (Action(ActionKind.RESUME),),
    ), stored


def import_ready(t: TorrentSnapshot, stored: StoredState, ctx: RuleContext) -> RuleResult:
    """A complete torrent of an Arr is imported once, after ImportSettleTime."""
    arr = ctx.arr
    if arr is None or not t.is_complete:
        return None
    if stored.imported or TAG_IMPORTED in t.tags:
        return None
    unsettled = content_unsettled(t)
    if unsettled:
        return Decision(Rule.IMPORT, f"complete; import waits: {unsettled}"), stored
    completed = t.completion_on if t.completion_on > 0 else stored.first_seen
    ready_at = completed + ctx.settings.import_settle_time
    if ctx.before(ready_at):
        return Decision(
            Rule.IMPORT, f"complete; import in {LEFT} (ImportSettleTime)", wait_until=ready_at
        ), stored
    if not ctx.arr_up:
        return Decision(Rule.IMPORT, f"complete; waiting for {arr.name} to be reachable"), stored
    return Decision(
        Rule.IMPORT,
        f"complete: importing into {arr.name} ({arr.import_mode})",
        (Action(ActionKind.IMPORT, arr=arr.name),),
    ), stored


def content_unsettled(t: TorrentSnapshot) -> str:
    """Why qBittorrent does not know where the content is yet ("" when it does): while it
    loads (checkingResumeData after a restart), checks or moves a torrent, its content path
    may be relative or stale, and an import would point the Arr at the wrong place."""
    if t.state.startswith("checking") or t.state == "moving":
        return f"qBittorrent is {t.state}"
    path = t.content_path
    if not (PurePosixPath(path).is_absolute() or PureWindowsPath(path).is_absolute()):
        return f"content path {path!r} is not absolute yet"
    return ""


def seeding(t: TorrentSnapshot, stored: StoredState, ctx: RuleContext) -> RuleResult:
    """After import: honour SeedingMode (a tracker row's positive values win)."""
    arr = ctx.arr
    imported = stored.imported or TAG_IMPORTED in t.tags
    if arr is None or not imported or not t.is_complete:
        return None
    mode = arr.torrent.seeding
    row = tracker_rule(t, ctx)
    ratio_limit = (
        row.max_upload_ratio if row and row.max_upload_ratio > 0 else mode.max_upload_ratio
    )
    time_limit = row.max_seeding_time if row and row.max_seeding_time > 0 else mode.max_seeding_time
    ratio_done = ratio_limit > 0 and t.ratio >= ratio_limit
    time_done = time_limit > 0 and t.seeding_time >= time_limit
    done = {
        1: ratio_done,
        2: time_done,
        3: ratio_done or time_done,
        4: ratio_done and time_done,
    }.get(mode.remove_torrent, False)
    if time_limit > 0 and not time_done:
        # seeding_time moves every second without making a new decision: the decision holds
        # until the limit could be reached (sooner if the torrent pauses: decided again then).
        ctx.until(ctx.now + time_limit - t.seeding_time)
    progress = []
    if ratio_limit > 0:
        progress.append(f"ratio {t.ratio:.2f}/{ratio_limit:.2f}")
    if time_limit > 0:
        progress.append(f"seeding time limit {format_duration(time_limit)}")
    detail = ", ".join(progress) or f"ratio {t.ratio:.2f}"
    if done:
        return Decision(
            Rule.SEEDING_DONE,
            f"seeding done ({detail}; RemoveTorrent {mode.remove_torrent}): removing",
            (*remove_tag(t, TAG_ALLOWED_SEEDING), Action(ActionKind.DELETE, delete_files=True)),
        ), stored.with_changes(allowed_seeding=False)
    # The imported tag is the fact that survives a lost database: put back if it is missing
    # (its request may have failed after the import went through).
    tags = add_tag(t, TAG_ALLOWED_SEEDING) + add_tag(t, TAG_IMPORTED)
    return Decision(Rule.SEEDING, f"imported; seeding ({detail})", tags), stored.with_changes(
        allowed_seeding=True
    )


def _override(row: TrackerRule | None, attr: str, base: float) -> float:
    """A tracker row's value when it sets one (> 0), else the Arr's."""
    value = float(getattr(row, attr)) if row is not None else -1.0
    return value if value > 0 else base


def status_quo(
    t: TorrentSnapshot, stored: StoredState, ctx: RuleContext
) -> tuple[Decision, StoredState]:
    """Nothing to do: say what the torrent is doing."""
    if t.is_complete:
        return Decision(Rule.OK, "complete"), stored
    percent = f"{t.progress * 100:.0f}%"
    if t.eta < ETA_UNKNOWN and t.dlspeed > 0:
        return Decision(Rule.OK, f"downloading {percent}, ETA {format_duration(t.eta)}"), stored
    return Decision(Rule.OK, f"{t.state} {percent}"), stored


def rate_limits(t: TorrentSnapshot, ctx: RuleContext) -> tuple[Action, ...]:
    """Per-torrent limits from SeedingMode / the tracker row, only when set and different.

    Unset (-1) limits leave the torrent's own limits alone rather than clearing them."""
    arr = ctx.arr
    if arr is None:
        return ()
    mode = arr.torrent.seeding
    row = tracker_rule(t, ctx)
    up_kb = _override(row, "upload_rate_limit", mode.upload_rate_limit)
    down_kb = _override(row, "download_rate_limit", mode.download_rate_limit)
    up = int(up_kb) * 1024 if up_kb > 0 else -1
    down = int(down_kb) * 1024 if down_kb > 0 else -1
    current_up = t.up_limit if t.up_limit > 0 else -1
    current_down = t.dl_limit if t.dl_limit > 0 else -1
    if up in (-1, current_up) and down in (-1, current_down):
        return ()
    return (
        Action(
            ActionKind.SET_LIMITS,
            upload_limit=up if up != -1 else current_up,
            download_limit=down if down != -1 else current_down,
        ),
    )


def tracker_tags(t: TorrentSnapshot, ctx: RuleContext) -> tuple[Action, ...]:
    if ctx.arr is None:
        return ()
    row = tracker_rule(t, ctx)
    missing = tuple(tag for tag in (row.add_tags if row else ()) if tag not in t.tags)
    return (Action(ActionKind.ADD_TAGS, tags=missing),) if missing else ()
