"""The deletion cap and the dry-run split: the promises a user relies on, without a network."""

from __future__ import annotations

from qbitrr_tui.engine.guards import hold_over_cap, signature, split_dry_run
from qbitrr_tui.engine.plan import Planned
from tests.support.engine import DELETE, PAUSE, planned

NOW = 1_700_000_000.0


def hashes(plans: list[Planned]) -> list[str]:
    return [p.hash for p in plans]


def test_exactly_the_cap_deletes_them_all() -> None:
    plans = [planned("a" * 40), planned("b" * 40), planned("c" * 40, PAUSE)]
    capped = hold_over_cap(plans, set(), cap=2, now=NOW, dry_run=False)
    assert capped.kept == plans
    assert capped.held == [] and capped.over == {}


def test_one_over_the_cap_holds_every_deletion_of_that_instance_but_the_approved() -> None:
    plans = [
        planned("a" * 40),
        planned("b" * 40),
        planned("c" * 40),
        planned("d" * 40, PAUSE),  # not destructive: goes on
        planned("e" * 40, instance="seedbox"),  # another instance, under its cap
    ]
    approved = {("default", "b" * 40)}
    capped = hold_over_cap(plans, approved, cap=2, now=NOW, dry_run=False)
    assert hashes(capped.kept) == ["b" * 40, "d" * 40, "e" * 40]
    assert capped.over == {"default": 3}
    # One event per action held back, saying why.
    assert [(e.hash, e.action.kind.value) for e in capped.held] == [
        ("a" * 40, "blocklist"),
        ("a" * 40, "delete"),
        ("c" * 40, "blocklist"),
        ("c" * 40, "delete"),
    ]
    assert {e.outcome for e in capped.held} == {"held"}
    assert all("MaxDeletionsPerCycle (2)" in e.error and e.time == NOW for e in capped.held)
    assert not any(e.dry_run for e in capped.held)


def test_held_events_carry_the_dry_run_flag() -> None:
    plans = [planned("a" * 40), planned("b" * 40)]
    capped = hold_over_cap(plans, set(), cap=1, now=NOW, dry_run=True)
    assert capped.kept == [] and all(e.dry_run for e in capped.held)


def test_cap_zero_holds_the_first_deletion() -> None:
    capped = hold_over_cap([planned("a" * 40)], set(), cap=0, now=NOW, dry_run=False)
    assert capped.kept == [] and capped.over == {"default": 1}


def test_live_mode_sends_everything() -> None:
    plans = [planned("a" * 40), planned("b" * 40, PAUSE)]
    split = split_dry_run(plans, set(), {}, now=NOW, dry_run=False)
    assert split.real == plans
    assert split.planned == [] and split.recorded == {}


def test_dry_run_sends_only_the_approved_and_records_the_rest_once() -> None:
    a, b = planned("a" * 40), planned("b" * 40, PAUSE)
    first = split_dry_run([a, b], {b.key}, {}, now=NOW, dry_run=True)
    assert first.real == [b]
    assert [(e.hash, e.outcome, e.dry_run) for e in first.planned] == [
        ("a" * 40, "planned", True),
        ("a" * 40, "planned", True),
    ]
    assert first.recorded == {a.key: signature(a)}

    again = split_dry_run([a], set(), first.recorded, now=NOW, dry_run=True)
    assert again.real == [] and again.planned == [] and again.recorded == {}


def test_dry_run_records_a_plan_again_when_it_changes() -> None:
    a = planned("a" * 40, PAUSE)
    recorded = {a.key: signature(a)}
    changed = planned("a" * 40, DELETE)
    split = split_dry_run([changed], set(), recorded, now=NOW, dry_run=True)
    assert [e.action.describe() for e in split.planned] == ["blocklist", "delete with files"]
    assert split.recorded == {a.key: ("blocklist", "delete with files")}
