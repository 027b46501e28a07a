"""engine/stale.py: what a stale Arr queue may still ground (pure)."""

from __future__ import annotations

import time

from qbitrr_tui.engine.model import Action, ActionKind, Decision, Rule
from qbitrr_tui.engine.stale import hold_on_stale, needs_fresh_queue, stale_note

REMOVE = Decision(
    Rule.STALLED,
    "stalled 20m: removing, blocklisted and searched again",
    (
        Action(ActionKind.ADD_TAGS, tags=("qBitrr-allowed_stalled",)),
        Action(ActionKind.BLOCKLIST, queue_ids=(1,), arr="Radarr"),
        Action(ActionKind.DELETE, delete_files=True),
        Action(ActionKind.SEARCH, media_ids=(4,), arr="Radarr"),
    ),
)


def test_a_stale_queue_holds_every_step_on_it_and_keeps_the_rest() -> None:
    read_at = 1_800_000_000.0
    held = hold_on_stale(REMOVE, stale_note("Radarr", read_at, read_at + 45))
    assert [a.kind for a in held.actions] == [ActionKind.ADD_TAGS]
    at = time.strftime("%H:%M:%S", time.localtime(read_at))
    assert held.reason.endswith(
        f"; held: Radarr's queue is stale, last read at {at}, nothing destructive on it"
    )
    assert needs_fresh_queue(REMOVE) and not needs_fresh_queue(held)


def test_a_decision_with_nothing_to_hold_only_says_the_queue_is_stale() -> None:
    quiet = Decision(Rule.OK, "downloading")
    held = hold_on_stale(quiet, stale_note("Radarr", None, 0.0))
    assert held == Decision(Rule.OK, "downloading (Radarr's queue not read yet)")


def test_a_stale_note_stays_the_same_while_the_queue_does() -> None:
    """It is an input of every decision of the Arr's torrents: an age counting up in it
    would decide them all again each cycle. A queue from another day says its date."""
    read_at = time.mktime((2026, 12, 3, 12, 0, 0, 0, 0, -1))
    later = [stale_note("Radarr", read_at, read_at + s) for s in (5, 60, 3600)]
    assert later == [later[0]] * 3 and later[0].endswith("last read at 12:00:00")
    assert stale_note("Radarr", read_at, read_at + 86_400).endswith("last read at 2026-12-03 12:00")
