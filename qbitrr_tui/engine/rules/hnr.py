"""Hit-and-run protection and tracker rows: which row applies to a torrent, whether its
policy lets it go, and the guard every removal passes through. Pure: no I/O, no clock.

Matching and inheritance are qBitrr's (``arr_tracker_index.py``, ``arss/arr_base.py``):

- an instance's rows (``[[qBit.Trackers]]``, which qBitrr applies to every instance, then
  that instance's own ``[[qBit-<Name>.Trackers]]``) are merged with the Arr's
  (``[[<Arr>.Torrent.Trackers]]``) by URI: a later row with the same URI replaces the
  earlier one;
- a row matches a torrent when the host of its URI is the host of one of the torrent's
  tracker URLs, or a parent domain of it (``example.org`` matches ``tr.example.org``);
- of the rows that match, the one with the highest Priority wins (the first of equals).

The policy (``_hnr_safe_to_remove`` there): below HitAndRunMinimumDownloadPercent there is
no obligation; a partial download must reach HitAndRunPartialSeedRatio; a complete one
MinSeedRatio and/or MinSeedingTimeDays (seeding time less TrackerUpdateBuffer), per
HitAndRunMode. A goal of 0 is no goal; with no goal at all nothing is owed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from qbitrr_tui.config.model import TrackerRule
from qbitrr_tui.config.units import format_duration
from qbitrr_tui.engine.model import (
    DESTRUCTIVE,
    Action,
    ActionKind,
    Decision,
    RuleContext,
    StoredState,
)
from qbitrr_tui.engine.strikes import confirmed_unregistered
from qbitrr_tui.qbit.snapshot import TorrentSnapshot

DAY = 86_400.0
# Actions dropped from a removal that is kept: the delete, and the blocklist and search
# that only make sense with it.
_REMOVAL_KINDS = DESTRUCTIVE | {ActionKind.SEARCH}


def host_of(uri: str) -> str:
    """The lower-cased host of a URI, bare domain or announce URL ("" when none)."""
    text = uri.strip().rstrip("/")
    if not text:
        return ""
    if "://" not in text:
        text = "https://" + text
    try:
        return (urlsplit(text).hostname or "").lower()
    except ValueError:
        return ""


def merge_rows(*tables: Sequence[TrackerRule]) -> tuple[TrackerRule, ...]:
    """Rows of later tables replace rows of earlier ones with the same URI; highest
    Priority first (stable)."""
    merged: dict[str, TrackerRule] = {}
    for table in tables:
        for row in table:
            key = row.uri.strip().rstrip("/")
            if key:
                merged[key] = row  # a replaced row keeps its place (qBitrr's dict merge)
    return tuple(sorted(merged.values(), key=lambda r: -r.priority))


def _matches(row_host: str, hosts: Iterable[str]) -> bool:
    return any(h == row_host or h.endswith("." + row_host) for h in hosts)


def match_row(rows: Sequence[TrackerRule], urls: Iterable[str]) -> TrackerRule | None:
    """The highest-priority row (``rows`` are sorted so) matching one of ``urls``."""
    hosts = {h for h in (host_of(u) for u in urls if u and not u.startswith("** [")) if h}
    if not hosts:
        return None
    for row in rows:
        row_host = host_of(row.uri)
        if row_host and _matches(row_host, hosts):
            return row
    return None


def unmet(t: TorrentSnapshot, row: TrackerRule) -> str:
    """What the row's hit-and-run policy still asks of ``t`` ("" when it is met or there
    is none), e.g. ``HnR: ratio 0.40/1.00, 3d/7d seeded``."""
    if not row.hit_and_run:
        return ""
    if t.progress < row.hnr_min_download_percent / 100:
        return ""
    if t.progress < 1.0:
        goal = row.hnr_partial_seed_ratio
        if t.ratio >= goal:
            return ""
        return f"HnR: partial download {t.progress * 100:.0f}%, ratio {t.ratio:.2f}/{goal:.2f}"
    ratio_goal = row.min_seed_ratio
    time_goal = row.min_seeding_time_days * DAY
    seeded = t.seeding_time - row.tracker_update_buffer
    checks = []
    if ratio_goal > 0:
        checks.append(t.ratio >= ratio_goal)
    if time_goal > 0:
        checks.append(seeded >= time_goal)
    if not checks or (all(checks) if row.hit_and_run_mode == "and" else any(checks)):
        return ""
    parts = []
    if ratio_goal > 0:
        parts.append(f"ratio {t.ratio:.2f}/{ratio_goal:.2f}")
    if time_goal > 0:
        shown = format_duration(max(seeded, 0.0))
        parts.append(f"{shown}/{format_duration(time_goal)} seeded")
    joiner = ", " if row.hit_and_run_mode == "and" else " or "
    return "HnR: " + joiner.join(parts)


def removal_blocked(
    t: TorrentSnapshot,
    row: TrackerRule | None,
    *,
    private: bool | None,
    dead: bool,
) -> str:
    """Why a removal of ``t`` must wait ("" when it may go): an unmet hit-and-run policy,
    or a private torrent that no policy allows to go. ``dead``: its tracker says it is
    unregistered, so nothing is owed any more (qBitrr's ``_hnr_tracker_is_dead``)."""
    if dead:
        return ""
    if row is not None and row.hit_and_run:
        return unmet(t, row)
    if private:
        return "private torrent and no HitAndRunMode row for its tracker allows its removal"
    return ""


def without_removal(
    reason: str, actions: tuple[Action, ...], why: str, *, word: str = "kept"
) -> tuple[str, tuple[Action, ...]]:
    """A removal's reason and actions once it is held back: the delete, blocklist and search
    dropped, the reason saying why it waits."""
    kept = tuple(a for a in actions if a.kind not in _REMOVAL_KINDS)
    return f"{reason.split(': removing', 1)[0]}; {word}, {why}", kept


def keep(decision: Decision, why: str) -> Decision:
    """``decision`` without its removal, saying why it waits."""
    reason, actions = without_removal(decision.reason, decision.actions, why)
    return Decision(decision.rule, reason, actions)


def context_rows(ctx: RuleContext) -> tuple[TrackerRule, ...]:
    """The merged rows the decider put in ``ctx`` (the Arr's own when it put none)."""
    return ctx.trackers or (ctx.arr.torrent.trackers if ctx.arr else ())


def guard(t: TorrentSnapshot, decision: Decision, state: StoredState, ctx: RuleContext) -> Decision:
    """A removal decided by any rule, kept while the torrent's tracker row (or its private
    flag) says it must stay — judged on what is known now: the snapshot's tracker URL and
    the URLs and flag of the last read. The deletion gate (engine/deletion_gate.py) reads
    them afresh before anything is deleted."""
    row = match_row(context_rows(ctx), (t.tracker, *ctx.tracker_urls))
    why = removal_blocked(t, row, private=ctx.private, dead=confirmed_unregistered(state))
    return keep(decision, why) if why else decision
