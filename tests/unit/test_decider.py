"""Decision reuse: the identity contract of decider.py, with hand-built snapshots."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from qbitrr_tui.engine.arrs import StaleQueue
from qbitrr_tui.engine.decider import Decider
from qbitrr_tui.engine.guards import signature
from qbitrr_tui.engine.memory import TorrentMemory
from qbitrr_tui.engine.model import TAG_ALLOWED_SEEDING, TAG_IGNORED, TAG_IMPORTED, ActionKind, Rule
from qbitrr_tui.engine.owners import Queues
from qbitrr_tui.engine.stale import stale_note
from qbitrr_tui.qbit.snapshot import merged
from tests.support.engine import fetched
from tests.unit.decider_rig import (
    CONFIG,
    KEY,
    Cycle,
    NoQbit,
    TrackerlessAdapter,
    rule,
    seeder,
    settled,
)
from tests.unit.rule_helpers import NOW, SETTINGS, arr, complete, queue, snap
from tests.unit.test_unregistered import REFUSED


def test_the_same_objects_reuse_the_decision(
    cycle: tuple[Decider, Cycle], decided: list[str]
) -> None:
    decider, run = cycle
    torrent = seeder()
    run(torrent)  # first sight: the state changes (allowed_seeding), nothing reusable
    run(torrent)  # same state object now: the decision is kept for reuse
    assert len(decided) == 2 and rule(decider) == Rule.SEEDING
    run(torrent)
    run(torrent)
    assert len(decided) == 2  # nothing about it changed: not decided again
    assert rule(decider) == Rule.SEEDING


def test_a_changed_tag_decides_again(cycle: tuple[Decider, Cycle], decided: list[str]) -> None:
    decider, run = cycle
    torrent = settled(run, decided)
    tagged = replace(torrent, tags=torrent.tags | {TAG_IGNORED})  # a new snapshot object
    run(tagged)
    assert decided == [torrent.hash] and rule(decider) == Rule.IGNORED


def test_reuse_looks_past_the_clock_fields_only(
    cycle: tuple[Decider, Cycle], decided: list[str]
) -> None:
    """A snapshot whose seeding time moved (as qBittorrent's answers merge it) is the same
    torrent to the rules; any other field decides again, and so does a snapshot made anew
    (its token is new: the decider does not compare fields)."""
    _, run = cycle
    torrent = settled(run, decided)
    moved = merged(torrent, {"seeding_time": torrent.seeding_time + 5})
    assert moved is not None
    run(moved)
    run(merged(moved, {"seeding_time": torrent.seeding_time + 10}) or moved)
    assert decided == []
    run(merged(moved, {"ratio": torrent.ratio + 0.1}) or moved)
    assert len(decided) == 1
    run(replace(torrent))  # equal, but made anew
    assert len(decided) == 2


def test_a_changed_input_decides_again(cycle: tuple[Decider, Cycle], decided: list[str]) -> None:
    _, run = cycle
    torrent = settled(run, decided)
    run(torrent, connection="disconnected")
    run(torrent, queues={})  # the Arr's queue was not read: it is not up
    assert len(decided) == 2


def test_a_torrent_in_an_arr_queue_is_decided_again_when_what_rules_read_changes(
    cycle: tuple[Decider, Cycle], decided: list[str]
) -> None:
    """A queue record changes every read (its progress, time left), a torrent's decision
    only with the record ids and media ids the rules read."""
    _, run = cycle
    torrent = settled(run, decided)
    queues = {arr().name: {torrent.hash: queue()}}
    run(torrent, queues=queues)  # now in the queue: decided again, once
    for _ in range(3):
        run(torrent, queues={arr().name: {torrent.hash: queue()}})  # new, equal records
    assert len(decided) == 1
    run(torrent, queues={arr().name: {torrent.hash: queue(7, 8)}})  # another record
    run(torrent, queues={arr().name: {torrent.hash: queue(7, 8, media=(43,))}})
    run(torrent, queues={arr().name: {}})  # left the queue
    assert len(decided) == 4


def test_a_decision_with_actions_is_reused_and_planned_every_cycle(
    cycle: tuple[Decider, Cycle], decided: list[str]
) -> None:
    """Not done (dry-run, or failed): the same inputs give the same plan, made again."""
    _, run = cycle
    untagged = complete(tags={TAG_IMPORTED})  # seeding: adds the allowed_seeding tag
    plans = [run(untagged) for _ in range(3)]
    assert len(decided) == 2  # first sight changes the state (allowed_seeding)
    assert [[a.describe() for a in p[0].actions] for p in plans] == [
        [f"add_tags {TAG_ALLOWED_SEEDING}"]
    ] * 3


def test_the_failed_category_finds_its_arr_by_queue(cycle: tuple[Decider, Cycle]) -> None:
    decider, run = cycle
    failed = complete(category=SETTINGS.failed_category)
    plans = run(failed, queues={arr().name: {failed.hash: queue(9)}})
    assert rule(decider) == Rule.FAILED
    assert [a.describe() for a in plans[0].actions] == ["blocklist", "delete with files", "search"]
    state = decider.memory.state(KEY)
    assert state is not None and state.arr == arr().name


def test_a_stale_queue_is_used_but_nothing_destructive_is_decided_on_it(
    cycle: tuple[Decider, Cycle],
) -> None:
    """The Arr did not answer this cycle: its last good queue (45 s old) still says whose
    the torrent is, so it is not "in no queue: removed without blocklisting"."""
    decider, _ = cycle
    failed = complete(category=SETTINGS.failed_category)
    stale = {arr().name: StaleQueue(NOW - 45, {failed.hash: queue(9)})}
    plans, _ = decider.decide_all(CONFIG, {"default": fetched("default", failed)}, {}, NOW, stale)
    assert plans == []
    record = decider.memory.record(KEY)
    assert record.rule == Rule.FAILED
    assert stale_note(arr().name, NOW - 45, NOW) in record.reason
    assert "deferred" in record.reason


def test_no_torrent_is_taken_for_queueless_while_an_arr_is_not_read(
    cycle: tuple[Decider, Cycle],
) -> None:
    decider, run = cycle
    failed = complete(category=SETTINGS.failed_category)
    assert run(failed, queues={}) == []  # never read: the torrent may well be in its queue
    assert "Radarr-Movies's queue not read yet" in decider.memory.record(KEY).reason
    plans = run(failed)  # read, and the torrent is in no queue: removed without blocklist
    assert [a.describe() for a in plans[0].actions] == ["delete with files"]


def test_an_import_waits_for_a_fresh_queue(cycle: tuple[Decider, Cycle]) -> None:
    decider, _ = cycle
    done = complete()
    stale = {arr().name: StaleQueue(NOW - 300, {done.hash: queue(3)})}
    plans, _ = decider.decide_all(CONFIG, {"default": fetched("default", done)}, {}, NOW, stale)
    assert plans == []
    assert stale_note(arr().name, NOW - 300, NOW) in decider.memory.record(KEY).reason


def test_an_import_past_its_settle_time_is_decided_once_while_unchanged(
    cycle: tuple[Decider, Cycle], decided: list[str]
) -> None:
    """Dry-run keeps planning it: the same plan each cycle, without deciding again."""
    decider, run = cycle
    ready = complete()  # complete 10 minutes ago, not imported
    plans = [run(ready) for _ in range(4)]
    assert len(decided) == 2  # first sight changes the state; then the same objects
    assert rule(decider) == Rule.IMPORT
    assert [[a.kind.value for a in p[0].actions] for p in plans] == [["import"]] * 4
    run(replace(ready, tags=frozenset({TAG_IMPORTED})))  # imported: a new snapshot
    assert len(decided) == 3 and rule(decider) == Rule.SEEDING


def test_an_import_counting_down_is_decided_again_at_its_settle_time(
    decided: list[str],
) -> None:
    """Its reason counts down to ImportSettleTime: the decision holds until then."""
    memory = TorrentMemory()
    decider = Decider(memory, NoQbit())  # type: ignore[arg-type]
    fresh = complete(completion_on=int(NOW - 1))
    for now in (NOW, NOW + 1, NOW + 30, NOW + 58):
        plans, new = decider.decide_all(CONFIG, {"default": fetched("default", fresh)}, {}, now)
        memory.commit(
            new, present={KEY}, read={"default"}, undone=[], imported=[], deleted=[], now=now
        )
        assert plans == []
    assert len(decided) == 2 and rule(decider) == Rule.IMPORT  # first sight, then once
    queues: Queues = {arr().name: {}}
    plans, _ = decider.decide_all(CONFIG, {"default": fetched("default", fresh)}, queues, NOW + 59)
    assert len(decided) == 3 and [a.kind.value for a in plans[0].actions] == ["import"]


def test_an_import_waits_for_its_arr_and_goes_once_it_is_up(
    cycle: tuple[Decider, Cycle], decided: list[str]
) -> None:
    _, run = cycle
    ready = complete()
    run(ready, queues={})  # the Arr's queue was not read: it is down
    run(ready, queues={})
    assert run(ready, queues={}) == []
    plans = run(ready)  # up again: a changed input decides again
    assert [a.kind.value for a in plans[0].actions] == ["import"]
    assert len(decided) == 3


def test_a_quiet_cycle_walks_no_torrent_and_still_plans_the_kept_plans(
    cycle: tuple[Decider, Cycle], decided: list[str]
) -> None:
    """Work proportional to change: with nothing changed, no torrent is walked through its
    inputs, and a kept plan (dry-run, or not done) is planned again as it was."""
    decider, run = cycle
    tags = {TAG_IMPORTED, TAG_ALLOWED_SEEDING}
    seeders = [complete(hash=f"{n:040x}", tags=tags) for n in range(20)]
    untagged = complete(tags={TAG_IMPORTED})  # plans to add the allowed_seeding tag
    first = [run(*seeders, untagged) for _ in range(3)][-1]
    decided.clear()
    for _ in range(3):
        assert run(*seeders, untagged) == first
        assert decider.walked == 0
    assert decided == []
    changed = replace(seeders[4], ratio=2.5)
    run(*seeders[:4], changed, *seeders[5:], untagged)
    assert decider.walked == 1 and decided == [changed.hash]


def test_a_stale_queue_walks_the_instance_when_it_starts_and_ends(
    cycle: tuple[Decider, Cycle],
) -> None:
    """A stale queue's note is in its Arr's decisions, and it stays the same while the
    queue does: the torrents are walked when it starts and when it ends, and in between
    the kept plans come again as held (the import waits, the tag goes on)."""
    decider, run = cycle
    ready = complete()  # to import
    untagged = complete(hash="b" * 40, tags={TAG_IMPORTED})  # to tag: not held
    stale = {arr().name: StaleQueue(NOW - 45, {})}

    def once(
        queues: Queues | None = None, old: dict[str, StaleQueue] | None = None
    ) -> tuple[int, list[ActionKind]]:
        plans = run(ready, untagged, queues=queues, stale=old, now=NOW + 1)
        return decider.walked, sorted(a.kind for p in plans for a in p.actions)

    both = sorted([ActionKind.IMPORT, ActionKind.ADD_TAGS])
    assert [once() for _ in range(4)][2:] == [(0, both)] * 2  # first sight: two walks
    tags = [ActionKind.ADD_TAGS]
    assert [once({}, stale) for _ in range(4)] == [(2, tags), (1, tags), (0, tags), (0, tags)]
    assert [once() for _ in range(3)] == [(2, both), (1, both), (0, both)]


def test_a_dry_run_plan_that_would_change_the_state_is_not_decided_again(
    cycle: tuple[Decider, Cycle], decided: list[str]
) -> None:
    """In its grace a stalled download is to be tagged allowed_stalled, which the state
    remembers once done. Dry-run does not do it, so the stored state stays as it was:
    the same inputs give the same answer, kept, and the torrent is walked (what it would
    leave must reach the commit) but not decided again."""
    decider, run = cycle
    stuck = snap(state="metaDL", added_on=int(NOW - 300), dlspeed=0)  # StalledDelay 15m
    plans = [run(stuck, dry_run=True) for _ in range(5)]
    assert [[a.kind for a in p[0].actions] for p in plans] == [[ActionKind.ADD_TAGS]] * 5
    assert len(decided) == 2  # first sight, the state it observed, then kept
    assert decider.walked == 1
    state = decider.memory.state(KEY)
    assert state is not None and state.stalled_since == NOW - 300
    assert not state.allowed_stalled
    run(stuck)  # done (dry-run off): remembered, so decided again from the new state
    state = decider.memory.state(KEY)
    assert state is not None and state.allowed_stalled and len(decided) == 2
    run(stuck)
    assert len(decided) == 3


def test_a_decision_whose_reason_alone_changed_is_kept_from_the_next_cycle(
    cycle: tuple[Decider, Cycle], decided: list[str]
) -> None:
    """Its Arr goes down: "importing" becomes "waiting for Radarr", nothing else changes.
    The new wording is remembered (not written: the database keeps rule and state), so
    the torrent is decided twice, not every cycle from then on."""
    decider, run = cycle
    ready = complete()
    for _ in range(3):
        run(ready)
    decided.clear()
    walked = []
    for _ in range(4):
        run(ready, queues={})
        walked.append(decider.walked)
    assert walked == [1, 1, 0, 0] and len(decided) == 2
    assert "waiting for Radarr-Movies" in decider.memory.record(KEY).reason


class TrackersSay(TrackerlessAdapter):
    """Trackers read as ``trackers`` (none) and public, until told otherwise."""

    private = False
    trackers: tuple[dict[str, Any], ...] = ()

    def torrents_with_trackers(self, hashes: str = "", **filters: Any) -> list[dict[str, Any]]:
        answer = {"trackers": list(self.trackers), "private": self.private}
        return [{"hash": h, **answer} for h in hashes.split("|")]


def test_a_tracker_read_walks_its_torrent_again(
    cycle: tuple[Decider, Cycle], decided: list[str]
) -> None:
    """What a tracker read finds (URLs, the private flag) is an input: a torrent read again
    is walked and decided again, though its snapshot and state did not change."""
    decider, run = cycle
    adapter: Any = TrackersSay()
    decider.qbits.get_client = lambda name: adapter  # type: ignore[method-assign]
    flagged = replace(seeder(), tracker_error=True)  # a suspect: its trackers are read

    def at(now: float) -> int:
        run(flagged, now=now)
        return decider.walked

    assert [at(NOW + t) for t in (0, 5, 10, 15)][-1] == 0
    decided.clear()
    adapter.private = True
    assert at(NOW + SETTINGS.tracker_check_interval + 20) == 1  # read again: walked
    assert decided == [flagged.hash]
    assert at(NOW + SETTINGS.tracker_check_interval + 25) == 0


def test_a_kept_deletion_goes_through_the_gate_every_cycle(
    cycle: tuple[Decider, Cycle], decided: list[str]
) -> None:
    """A deletion decided once and kept is not planned again past the deletion gate: one
    whose tracker is failing (it may say "unregistered" when it is back) stays deferred."""
    decider, run = cycle
    adapter: Any = TrackersSay()
    adapter.trackers = (REFUSED,)
    decider.qbits.get_client = lambda name: adapter  # type: ignore[method-assign]
    failed = complete(category=SETTINGS.failed_category)
    queues = {arr().name: {failed.hash: queue(9)}}
    for _ in range(4):
        plans = run(failed, queues=queues)
        kinds = {a.describe() for p in plans for a in p.actions}
        assert "delete with files" not in kinds and "blocklist" not in kinds
    assert "failing (Connection refused)" in decider.memory.record(KEY).reason


def test_a_kept_plan_dry_run_recorded_is_not_planned_again_until_forgotten(
    cycle: tuple[Decider, Cycle], decided: list[str]
) -> None:
    """Recorded in dry-run, the same plan would be dropped by the guards: the decider does
    not make it again, until the record is forgotten (approved, or dry-run switched)."""
    decider, run = cycle
    untagged = complete(tags={TAG_IMPORTED})  # plans to add the allowed_seeding tag
    (plan,) = [run(untagged) for _ in range(3)][-1]
    decider.memory.set_planned({plan.key: signature(plan)})
    assert run(untagged) == [] and decider.walked == 0
    decider.memory.forget_planned([plan.key])
    assert run(untagged) == [plan]


def test_a_recorded_dry_run_plan_that_changes_the_state_is_not_walked(
    cycle: tuple[Decider, Cycle], decided: list[str]
) -> None:
    """Dry-run undoes the plan, so the state it leaves is never written: walking it again
    each cycle changed nothing (3 x 30k: 5,400 stuck magnets walked every cycle for it)."""
    decider, run = cycle
    untagged = complete(tags={TAG_IMPORTED})  # tag and state: allowed_seeding
    (plan,) = [run(untagged, dry_run=True) for _ in range(3)][-1]
    decider.memory.set_planned({plan.key: signature(plan)})
    assert run(untagged, dry_run=True) == [] and decider.walked == 0
    state = decider.memory.state(plan.key)
    assert state is not None and not state.allowed_seeding  # undone: not written
    decider.memory.forget_planned([plan.key])  # approved, or dry-run switched off
    assert run(untagged) == [plan] and decider.walked == 1
    state = decider.memory.state(plan.key)
    assert state is not None and state.allowed_seeding  # done: written
