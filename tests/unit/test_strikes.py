"""StrikesBeforeRemoval: stalled and slow downloads counted in strikes that survive a
restart (the database) and reset when the download recovers (engine/rules/flapping.py)."""

from __future__ import annotations

from pathlib import Path

from qbitrr_tui.engine.model import TAG_ALLOWED_STALLED, ActionKind, Rule, StoredState
from qbitrr_tui.engine.policy import decide
from qbitrr_tui.engine.store import Store
from tests.unit.rule_helpers import NOW, arr, ctx, queue, snap, stored

STALLED = snap(state="stalledDL", dlspeed=0, progress=0.30)
RULES = arr(stalled_delay=600.0, strikes_before_removal=3)


def at(now: float, state: StoredState, torrent: object = STALLED) -> tuple[object, StoredState]:
    return decide(torrent, state, ctx(now=now, arr=RULES, queue=queue(7)))  # type: ignore[arg-type]


def test_each_stalled_grace_is_a_strike_and_the_third_removes(tmp_path: Path) -> None:
    d, state = at(NOW, stored())
    assert "(strike 0/3), next in 10m" in d.reason_at(NOW)  # type: ignore[attr-defined]
    d, state = at(NOW + 601, state)
    assert "(strike 1/3), next in 10m" in d.reason_at(NOW + 601) and not d.destructive  # type: ignore[attr-defined]
    # A restart: the count is in the database.
    store = Store(tmp_path / "db")
    store.save_states({("default", STALLED.hash): state})
    state = Store(tmp_path / "db").load_states()[("default", STALLED.hash)]
    d, state = at(NOW + 1202, state)
    assert "(strike 2/3)" in d.reason and not d.destructive  # type: ignore[attr-defined]
    d, _ = at(NOW + 1803, state)
    assert d.rule is Rule.STALLED and "(strike 3/3): removing" in d.reason  # type: ignore[attr-defined]
    assert ActionKind.DELETE in [a.kind for a in d.actions]  # type: ignore[attr-defined]


def test_a_flap_keeps_the_count_and_a_recovery_clears_it() -> None:
    _, state = at(NOW, stored())
    _, state = at(NOW + 601, state)
    assert state.strikes == 1
    moving = snap(state="downloading", progress=0.301, dlspeed=10, tags={TAG_ALLOWED_STALLED})
    _, state = at(NOW + 700, state, moving)  # moving a moment: the grace ends, not the count
    assert (state.strikes, state.stalled_since) == (1, None)
    d, state = at(NOW + 800, state)
    assert "(strike 1/3)" in d.reason  # type: ignore[attr-defined]
    recovered = snap(state="downloading", progress=0.40, dlspeed=10)
    _, state = at(NOW + 900, state, recovered)
    assert state.strikes == 0


def test_slow_downloads_strike_once_per_grace() -> None:
    slow = snap(eta=10**6, progress=0.2)
    d, state = at(NOW, stored(), slow)
    assert d.rule is Rule.SLOW and "(strike 1/3), next in 10m" in d.reason_at(NOW)  # type: ignore[attr-defined]
    d, state = at(NOW + 60, state, slow)
    assert "(strike 1/3), next in 9m" in d.reason_at(NOW + 60) and not d.destructive  # type: ignore[attr-defined]
    d, state = at(NOW + 601, state, slow)
    assert "(strike 2/3)" in d.reason  # type: ignore[attr-defined]
    d, _ = at(NOW + 1202, state, slow)
    assert d.destructive and "(strike 3/3)" in d.reason  # type: ignore[attr-defined]


def test_without_strikes_nothing_changes() -> None:
    rules = arr(stalled_delay=600.0)
    d, _ = decide(STALLED, stored(stalled_since=NOW - 601), ctx(arr=rules, queue=queue(7)))
    assert d.destructive and "strike" not in d.reason
