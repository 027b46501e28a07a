"""Tracker answers, strikes, the unregistered rule and the deletion gate, without a network
(engine/tracker_status.py, engine/strikes.py, engine/rules/unregistered.py,
engine/deletion_gate.py). The statuses and messages are those real 4.5.2, 5.1.0 and 5.3.0
gave for a tracker answering "Unregistered torrent" and one refusing the connection."""

from __future__ import annotations

from typing import Any

import pytest

from qbitrr_tui.config.tracker_fields import UNREGISTERED_MESSAGES as PHRASES
from qbitrr_tui.engine.deletion_gate import Subject, gate
from qbitrr_tui.engine.model import ActionKind, Rule
from qbitrr_tui.engine.plan import Planned
from qbitrr_tui.engine.policy import decide
from qbitrr_tui.engine.strikes import observe_unregistered
from qbitrr_tui.engine.tracker_status import (
    TrackerEntry,
    entries_from,
    unregistered_message,
    wait_reason,
)
from tests.unit.rule_helpers import HASH, NOW, arr, complete, ctx, queue, snap, stored, tracker

URL = "http://t.example.org/announce"
UNREG_45 = {"url": URL, "status": 4, "msg": "Unregistered torrent"}  # 4.5.2 and 5.1.0
UNREG_53 = {"url": URL, "status": 5, "msg": "Unregistered torrent", "updating": False}
REFUSED = {"url": URL, "status": 4, "msg": "Connection refused"}
UNREACHABLE = {"url": URL, "status": 6, "msg": "torrent not registered"}  # no answer: never
WORKING = {"url": "http://other.example/announce", "status": 2, "msg": ""}
PSEUDO = {"url": "** [DHT] **", "status": 0, "msg": "This torrent is private"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ([PSEUDO, UNREG_45], "Unregistered torrent"),
        ([UNREG_53], "Unregistered torrent"),
        (
            [{**UNREG_45, "msg": "Torrent NOT REGISTERED with this tracker"}],
            "Torrent NOT REGISTERED with this tracker",
        ),
        ([REFUSED], ""),
        ([UNREACHABLE], ""),  # status 6: the tracker did not answer, whatever the text
        ([UNREG_45, WORKING], ""),  # another tracker still works: not dead
        ([], ""),
    ],
)
def test_only_a_trackers_own_answer_means_unregistered(
    raw: list[dict[str, Any]], expected: str
) -> None:
    assert unregistered_message(entries_from(raw), PHRASES) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ([{"url": URL, "status": 1, "msg": ""}], "not contacted yet"),
        ([{"url": URL, "status": 3, "msg": ""}], "is updating"),
        ([{**WORKING, "updating": True}], "is updating"),
        ([REFUSED], "failing (Connection refused), which may pass"),
        ([UNREACHABLE], "failing"),
        ([REFUSED, WORKING], ""),  # one works: the failing one is not the torrent's problem
        ([UNREG_53], ""),  # the tracker's answer is final, not a reason to wait
        ([PSEUDO], ""),
    ],
)
def test_deletions_wait_on_trackers_that_may_come_back(
    raw: list[dict[str, Any]], expected: str
) -> None:
    why = wait_reason(entries_from(raw), PHRASES)
    assert (expected in why) if expected else why == ""


def test_strikes_count_once_per_check_and_clear_when_the_tracker_answers_again() -> None:
    state = stored()
    state = observe_unregistered(state, "Unregistered torrent", now=NOW, interval=600)
    assert (state.unregistered_strikes, state.unregistered_since) == (1, NOW)
    again = observe_unregistered(state, "Unregistered torrent", now=NOW + 5, interval=600)
    assert again.unregistered_strikes == 1  # not a check later yet
    later = observe_unregistered(again, "Unregistered torrent", now=NOW + 600, interval=600)
    assert (later.unregistered_strikes, later.unregistered_since) == (2, NOW)
    assert observe_unregistered(later, None, now=NOW + 900, interval=600) is later  # not read
    cleared = observe_unregistered(later, "", now=NOW + 1200, interval=600)
    assert (cleared.unregistered_strikes, cleared.unregistered_since) == (0, None)


def unregistered_state(strikes: int, since: float) -> Any:
    return stored(
        unregistered_since=since,
        unregistered_strikes=strikes,
        unregistered_strike_at=since,
        unregistered_message="Unregistered torrent",
    )


def test_the_rule_waits_for_grace_and_strikes_then_acts_per_unregistered_action() -> None:
    torrent = snap(state="stalledDL", dlspeed=0)
    rules = arr(unregistered_grace=3600.0)
    waiting, _ = decide(torrent, unregistered_state(1, NOW - 60), ctx(arr=rules))
    assert "strike 1/2" in waiting.reason and "remove after UnregisteredGrace" in waiting.reason
    assert waiting.reason_at(NOW).startswith("stalled, removal in 15m")  # its own countdown
    assert not waiting.destructive
    past_grace_one_strike, _ = decide(torrent, unregistered_state(1, NOW - 7200), ctx(arr=rules))
    assert not past_grace_one_strike.destructive

    removed, _ = decide(torrent, unregistered_state(2, NOW - 7200), ctx(arr=rules, queue=queue(7)))
    assert removed.rule is Rule.UNREGISTERED and "strike 2/2" in removed.reason
    kinds = [a.kind for a in removed.actions]
    assert kinds == [ActionKind.BLOCKLIST, ActionKind.DELETE, ActionKind.SEARCH]

    imported, _ = decide(complete(), unregistered_state(2, NOW - 7200), ctx(arr=rules, queue=None))
    assert [a.kind for a in imported.actions] == [
        ActionKind.DELETE
    ]  # no queue record: no blocklist

    tagging = arr(unregistered_grace=0.0, unregistered_action="tag")
    tagged, _ = decide(torrent, unregistered_state(2, NOW), ctx(arr=tagging))
    assert [(a.kind, a.tags) for a in tagged.actions] == [
        (ActionKind.ADD_TAGS, ("qBitrr-unregistered",))
    ]
    moving = arr(unregistered_grace=0.0, unregistered_action="category")
    moved, _ = decide(torrent, unregistered_state(2, NOW), ctx(arr=moving))
    assert [(a.kind, a.category) for a in moved.actions] == [
        (ActionKind.SET_CATEGORY, "unregistered")
    ]


def test_a_confirmed_unregistered_torrent_owes_its_tracker_nothing() -> None:
    row = tracker(uri="t.example.org", hit_and_run_mode="and", min_seed_ratio=1.0)
    torrent = snap(state="stalledDL", dlspeed=0, tracker=URL, progress=0.5)
    rules = arr(unregistered_grace=0.0, trackers=(row,))
    one, _ = decide(torrent, unregistered_state(1, NOW), ctx(arr=rules, queue=queue(7)))
    assert not one.destructive  # one strike: HnR still holds it
    two, _ = decide(torrent, unregistered_state(2, NOW), ctx(arr=rules, queue=queue(7)))
    assert two.destructive


class Adapter:
    """Answers tracker reads as a 5.1+ instance would (one request for every torrent)."""

    lists_trackers = True
    flags_tracker_errors = True

    def __init__(self, answers: dict[str, dict[str, Any]], fail: bool = False) -> None:
        self.answers = answers
        self.fail = fail
        self.requests: list[str] = []

    def torrents_with_trackers(self, hashes: str = "", **filters: Any) -> list[dict[str, Any]]:
        from qbitrr_tui.qbit.webapi import QbitError

        self.requests.append(hashes)
        if self.fail:
            raise QbitError("timed out")
        return [{"hash": h, **self.answers[h]} for h in hashes.split("|") if h in self.answers]


def plan(hash_: str) -> Planned:
    actions = decide(snap(hash=hash_, eta=10**6), stored(), ctx(queue=queue(7)))[0].actions
    return Planned(
        "default", hash_, "n", "/dl/x", Rule.SLOW, "slow: removing, blocklisted", actions
    )


def subject(hash_: str, **fields: Any) -> Subject:
    return Subject(snap(hash=hash_, **fields), stored(), (), PHRASES)


def test_the_gate_reads_once_per_instance_and_defers_with_its_reason() -> None:
    public, private, refused, unread = "1" * 40, "2" * 40, "3" * 40, "4" * 40
    adapter = Adapter(
        {
            public: {"trackers": [WORKING], "private": False},
            private: {"trackers": [WORKING], "private": True},
            refused: {"trackers": [REFUSED], "private": False},
        }
    )
    plans = [plan(h) for h in (public, private, refused, unread)]
    subjects = {h: subject(h) for h in (public, private, refused, unread)}
    out, reports, deferred = gate(adapter, plans, subjects)  # type: ignore[arg-type]
    assert len(adapter.requests) == 1  # one request for all four
    assert set(deferred) == {private, refused, unread}
    by_hash = {p.hash: p for p in out}
    assert any(a.kind is ActionKind.DELETE for a in by_hash[public].actions)
    for h in deferred:
        kinds = {a.kind for a in by_hash[h].actions}
        assert not kinds & {ActionKind.DELETE, ActionKind.BLOCKLIST, ActionKind.SEARCH}
    assert "deferred, private torrent" in by_hash[private].reason
    assert "deferred, tracker t.example.org failing (Connection refused)" in by_hash[refused].reason
    assert by_hash[unread].reason.endswith("deferred, trackers not read")
    assert set(reports) == {public, private, refused}


def test_the_gate_defers_everything_when_the_read_fails() -> None:
    h = "5" * 40
    out, _, deferred = gate(Adapter({}, fail=True), [plan(h)], {h: subject(h)})  # type: ignore[arg-type]
    assert set(deferred) == {h} and not any(a.kind is ActionKind.DELETE for a in out[0].actions)
    out, _, deferred = gate(None, [plan(h)], {h: subject(h)})
    assert set(deferred) == {h}


def test_entries_skip_pseudo_trackers() -> None:
    assert entries_from([PSEUDO, UNREG_53]) == (
        TrackerEntry(URL, 5, "Unregistered torrent", False),
    )
    assert HASH  # the helpers' hash is what snap() uses by default


def test_an_unresolved_magnet_has_no_private_flag_and_nothing_owed() -> None:
    magnet, unknown = "6" * 40, "7" * 40
    adapter = Adapter(
        {magnet: {"trackers": [], "private": None}, unknown: {"trackers": [], "private": None}}
    )
    subjects = {
        magnet: subject(magnet, state="metaDL", progress=0.0),
        unknown: subject(unknown, state="stalledDL", progress=0.2),
    }
    _, _, deferred = gate(adapter, [plan(magnet), plan(unknown)], subjects)  # type: ignore[arg-type]
    assert set(deferred) == {unknown}  # a flag qBittorrent could not give: wait


def test_a_held_back_deletion_is_read_again_only_after_a_minute() -> None:
    from qbitrr_tui.engine.tracker_watch import GATE_RETRY, TrackerWatch

    h = "8" * 40
    adapter = Adapter({h: {"trackers": [REFUSED], "private": False}})
    watch = TrackerWatch()
    for now in (NOW, NOW + 5, NOW + 30):
        out, deferred = watch.gate(adapter, [plan(h)], {h: subject(h)}, now)  # type: ignore[arg-type]
        assert set(deferred) == {h}
    assert len(adapter.requests) == 1
    assert out[0].reason.endswith("failing (Connection refused), which may pass (read 30s ago)")
    adapter.answers[h] = {"trackers": [WORKING], "private": False}
    out, deferred = watch.gate(adapter, [plan(h)], {h: subject(h)}, NOW + GATE_RETRY)  # type: ignore[arg-type]
    assert deferred == {} and len(adapter.requests) == 2
    assert any(a.kind is ActionKind.DELETE for a in out[0].actions)
