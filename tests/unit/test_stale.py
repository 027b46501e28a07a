"""engine/stale.py: what a stale Arr queue may still ground (pure)."""

from __future__ import annotations

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
    held = hold_on_stale(REMOVE, stale_note("Radarr", 100.0, 145.0))
    assert [a.kind for a in held.actions] == [ActionKind.ADD_TAGS]
    assert held.reason.endswith(
        "; held: Radarr's queue is stale, read 45s ago, nothing destructive on it"
    )
    assert needs_fresh_queue(REMOVE) and not needs_fresh_queue(held)


def test_a_decision_with_nothing_to_hold_only_says_the_queue_is_stale() -> None:
    quiet = Decision(Rule.OK, "downloading")
    held = hold_on_stale(quiet, stale_note("Radarr", None, 0.0))
    assert held == Decision(Rule.OK, "downloading (Radarr's queue not read yet)")
