"""Helpers every rule family shares."""

from __future__ import annotations

from qbitrr_tui.config.model import TrackerRule
from qbitrr_tui.engine.model import Action, ActionKind, Decision, RuleContext, StoredState
from qbitrr_tui.engine.rules.hnr import context_rows, match_row
from qbitrr_tui.qbit.snapshot import TorrentSnapshot

RuleResult = tuple[Decision, StoredState] | None
"""What a rule returns: its decision and the state to remember, or None to pass."""


def tracker_rule(torrent: TorrentSnapshot, ctx: RuleContext) -> TrackerRule | None:
    """The tracker row for ``torrent`` (engine/rules/hnr.py: qBitrr's host matching over
    the instance's and the Arr's merged rows)."""
    return match_row(context_rows(ctx), (torrent.tracker, *ctx.tracker_urls))


def add_tag(torrent: TorrentSnapshot, tag: str) -> tuple[Action, ...]:
    return () if tag in torrent.tags else (Action(ActionKind.ADD_TAGS, tags=(tag,)),)


def remove_tag(torrent: TorrentSnapshot, tag: str) -> tuple[Action, ...]:
    return (Action(ActionKind.REMOVE_TAGS, tags=(tag,)),) if tag in torrent.tags else ()


def young(torrent: TorrentSnapshot, ctx: RuleContext, default: float) -> float | None:
    """When the "too young to touch" window ends (None when it has)."""
    window = ctx.arr.torrent.ignore_torrents_younger_than if ctx.arr else default
    end = torrent.added_on + window
    return end if ctx.before(end) else None
