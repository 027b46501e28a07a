"""Stalled, slow, failed, recheck, errored, missing files, unwanted files, free space,
and the guards: each at its boundaries."""

from __future__ import annotations

import pytest

from qbitrr_tui.config.model import TorrentRules
from qbitrr_tui.engine.model import ActionKind
from qbitrr_tui.engine.policy import decide
from qbitrr_tui.engine.rules.files import excluded_files
from tests.unit.rule_helpers import NOW, arr, complete, ctx, queue, snap, stored, tracker


def kinds(decision) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.kind.value for a in decision.actions]


REMOVE = ["remove_tags", "blocklist", "delete", "search"]


# --- stalled --------------------------------------------------------------------------
def test_stalled_grace_then_removal() -> None:
    torrent = snap(state="stalledDL", dlspeed=0, eta=8640000)
    first, state = decide(torrent, stored(), ctx())
    assert state.stalled_since == NOW and state.allowed_stalled
    assert kinds(first) == ["add_tags"] and "removal in 15m" in first.reason_at(NOW)
    tagged = snap(state="stalledDL", dlspeed=0, eta=8640000, tags={"qBitrr-allowed_stalled"})
    before, _ = decide(tagged, stored(stalled_since=NOW - 899), ctx())
    assert before.actions == () and before.reason_at(NOW) == "stalled, removal in 1s"
    assert before.wait_until == before.valid_until == NOW + 1  # decided again then
    after, _ = decide(tagged, stored(stalled_since=NOW - 900), ctx())
    assert kinds(after) == REMOVE
    assert after.reason.startswith("stalled longer than StalledDelay 15m: removing, blocklisted")
    blocklist = after.actions[1]
    assert (blocklist.queue_ids, blocklist.arr) == ((7,), "Radarr-Movies")
    assert after.actions[2].delete_files and after.actions[3].media_ids == (42,)


def test_stalled_delay_string_is_exact() -> None:
    rules = arr(stalled_delay=30.0)  # "30s" under a minutes key
    torrent = snap(state="stalledDL", tags={"qBitrr-allowed_stalled"})
    assert decide(torrent, stored(stalled_since=NOW - 29), ctx(arr=rules))[0].actions == ()
    assert kinds(decide(torrent, stored(stalled_since=NOW - 30), ctx(arr=rules))[0]) == REMOVE


def test_stalled_delay_zero_and_never() -> None:
    torrent = snap(state="stalledDL")
    assert "delete" in kinds(decide(torrent, stored(), ctx(arr=arr(stalled_delay=0.0)))[0])
    never, _ = decide(torrent, stored(stalled_since=NOW - 10**6), ctx(arr=arr(stalled_delay=-1)))
    assert never.actions == () and "never removed" in never.reason


def test_young_torrent_is_left_alone() -> None:
    young = snap(state="stalledDL", added_on=int(NOW - 179))
    decision, _ = decide(young, stored(), ctx(arr=arr(stalled_delay=0.0)))
    assert decision.rule == "young" and decision.actions == ()
    old = snap(state="stalledDL", added_on=int(NOW - 180))
    assert "delete" in kinds(decide(old, stored(), ctx(arr=arr(stalled_delay=0.0)))[0])


def test_metadata_stall_is_timed_from_added() -> None:
    magnet = snap(state="metaDL", added_on=int(NOW - 901), progress=0.0)
    assert kinds(decide(magnet, stored(), ctx())[0]) == ["blocklist", "delete", "search"]
    fresh = snap(state="metaDL", added_on=int(NOW - 899), progress=0.0)
    assert "delete" not in kinds(decide(fresh, stored(), ctx())[0])


def test_moving_again_leaves_grace() -> None:
    torrent = snap(state="downloading", tags={"qBitrr-allowed_stalled"})
    decision, state = decide(torrent, stored(stalled_since=NOW - 100, allowed_stalled=True), ctx())
    assert kinds(decision) == ["remove_tags"] and state.stalled_since is None
    assert not state.allowed_stalled


def test_research_stalled_at_grace_start_keeps_torrent() -> None:
    rules = arr(re_search_stalled=True)
    decision, state = decide(snap(state="stalledDL"), stored(), ctx(arr=rules))
    assert kinds(decision) == ["add_tags", "blocklist", "search"] and state.researched
    again, _ = decide(
        snap(state="stalledDL", tags={"qBitrr-allowed_stalled"}), state, ctx(arr=rules)
    )
    assert again.actions == ()


def test_no_research_when_disabled() -> None:
    rules = arr(stalled_delay=0.0)
    no_research = type(rules)(
        **{**{f: getattr(rules, f) for f in rules.__dataclass_fields__}, "re_search": False}
    )
    assert kinds(decide(snap(state="stalledDL"), stored(), ctx(arr=no_research))[0]) == [
        "blocklist",
        "delete",
    ]


# --- guards ---------------------------------------------------------------------------
def test_guard_maximum_deletable_percentage() -> None:
    rules = arr(stalled_delay=0.0, maximum_deletable_percentage=0.5)
    at = snap(state="stalledDL", progress=0.5)
    above = snap(state="stalledDL", progress=0.51)
    assert "delete" in kinds(decide(at, stored(), ctx(arr=rules))[0])
    kept, _ = decide(above, stored(), ctx(arr=rules))
    assert kept.actions == () and "MaximumDeletablePercentage 50%" in kept.reason


def test_guard_arr_down_defers_deletion() -> None:
    decision, _ = decide(
        snap(state="stalledDL"), stored(), ctx(arr=arr(stalled_delay=0.0), arr_up=False)
    )
    assert decision.actions == ()
    assert "deferred: Radarr-Movies unreachable (never delete without blocklisting)" in (
        decision.reason
    )


def test_guard_not_in_queue_is_kept() -> None:
    decision, _ = decide(
        snap(state="stalledDL"), stored(), ctx(arr=arr(stalled_delay=0.0), queue=None)
    )
    assert decision.actions == () and "nothing to blocklist" in decision.reason


def test_guard_disconnected_instance() -> None:
    decision, _ = decide(
        snap(state="stalledDL"), stored(), ctx(arr=arr(stalled_delay=0.0), instance_connected=False)
    )
    assert decision.actions == () and "no network connection" in decision.reason


# --- slow -----------------------------------------------------------------------------
@pytest.mark.parametrize(("eta", "removed"), [(604800, False), (604801, True)])
def test_slow_boundary(eta: int, removed: bool) -> None:
    decision, _ = decide(snap(eta=eta), stored(), ctx())
    assert ("delete" in kinds(decision)) is removed


def test_slow_tracker_override_and_do_not_remove() -> None:
    rules = arr(trackers=(tracker(maximum_eta=100.0),))
    torrent = snap(eta=101, tracker="http://tracker.example.org/announce")
    assert "delete" in kinds(decide(torrent, stored(), ctx(arr=rules))[0])
    keep = arr(do_not_remove_slow=True)
    decision, _ = decide(snap(eta=10**6), stored(), ctx(arr=keep))
    assert decision.actions == () and "DoNotRemoveSlow" in decision.reason


# --- failed / recheck / errored / missing -----------------------------------------------
def test_failed_category_removes_even_above_cap() -> None:
    torrent = snap(category="failed", progress=1.0)
    decision, _ = decide(torrent, stored(), ctx())
    assert kinds(decision) == ["blocklist", "delete", "search"]
    alone, _ = decide(torrent, stored(), ctx(arr=None, queue=None))
    assert kinds(alone) == ["delete"] and "without blocklist" in alone.reason


def test_recheck_category_restores_original() -> None:
    torrent = snap(category="recheck")
    first, state = decide(torrent, stored(category="radarr"), ctx())
    assert kinds(first) == ["recheck"] and state.original_category == "radarr"
    checking, state = decide(snap(category="recheck", state="checkingDL"), state, ctx())
    assert checking.actions == ()
    done, state = decide(snap(category="recheck", state="pausedDL"), state, ctx())
    assert [(a.kind.value, a.category) for a in done.actions] == [("set_category", "radarr")]
    assert state.original_category == "" and state.recheck_requested_at is None


def test_errored_rechecks_once_with_cooldown() -> None:
    first, state = decide(snap(state="error"), stored(), ctx())
    assert kinds(first) == ["recheck"] and state.recheck_requested_at == NOW
    soon, _ = decide(snap(state="error"), state, ctx(now=NOW + 3599))
    assert soon.actions == ()
    later, _ = decide(snap(state="error"), state, ctx(now=NOW + 3600))
    assert kinds(later) == ["recheck"]


def test_an_errored_torrent_being_rechecked_says_so() -> None:
    _, state = decide(snap(state="error"), stored(), ctx())
    checking, _ = decide(snap(state="checkingDL"), state, ctx(now=NOW + 60))
    assert checking.rule == "errored" and checking.actions == ()
    assert checking.reason.startswith("errored: being rechecked; if it errors again")
    # A check nobody asked for (no recheck requested) is not called an error.
    plain, _ = decide(snap(state="checkingDL"), stored(), ctx())
    assert plain.rule != "errored"


def test_missing_files_removed_without_blocklist() -> None:
    decision, _ = decide(snap(state="missingFiles"), stored(), ctx())
    assert kinds(decision) == ["delete"] and not decision.actions[0].delete_files
    assert "not blocklisted" in decision.reason


# --- unwanted files -------------------------------------------------------------------
FILES = [
    {"index": 0, "name": "Movie/Movie.2020.mkv", "priority": 1},
    {"index": 1, "name": "Movie/Sample/sample.mkv", "priority": 1},
    {"index": 2, "name": "Movie/setup.exe", "priority": 1},
    {"index": 3, "name": "Movie/Movie.2020.en.SRT", "priority": 1},
    {"index": 4, "name": "Movie/Movie.2020.mkv.!qB", "priority": 1},
]


def test_excluded_files() -> None:
    rules = TorrentRules(
        folder_exclusion_regex=(r"\bsamples?\b",), file_extension_allowlist=(".mkv", ".srt")
    )
    assert excluded_files(FILES, rules) == ((1, 2), False)
    strict = TorrentRules(case_sensitive_matches=True, file_extension_allowlist=(".mkv", ".srt"))
    assert excluded_files(FILES, strict) == ((2, 3), False)  # ".SRT" is not ".srt"
    audio_only = TorrentRules(file_extension_allowlist=(".flac",))
    assert excluded_files(FILES[:4], audio_only) == ((0, 1, 2, 3), True)


def test_unwanted_files_deselected_once() -> None:
    decision, state = decide(snap(), stored(), ctx(excluded_files=(1, 2)))
    assert kinds(decision) == ["file_priority"] and decision.actions[0].file_ids == (1, 2)
    assert state.files_checked
    assert decide(snap(), state, ctx(excluded_files=(1, 2)))[0].rule == "ok"


def test_all_files_excluded_is_tagged_not_deleted() -> None:
    decision, _ = decide(snap(), stored(), ctx(excluded_files=(0, 1), all_files_excluded=True))
    assert kinds(decision) == ["add_tags"] and decision.actions[0].tags == (
        "qBitrr-all_files_excluded",
    )
    rules = arr(delete_if_all_excluded=True)
    opted, _ = decide(
        snap(), stored(), ctx(arr=rules, excluded_files=(0,), all_files_excluded=True)
    )
    assert "delete" in kinds(opted)


# --- free space -----------------------------------------------------------------------
def test_free_space_pause_and_resume() -> None:
    paused, state = decide(snap(), stored(), ctx(free_space_action="pause"))
    assert kinds(paused) == ["pause", "add_tags"] and state.free_space_paused
    tagged = snap(state="pausedDL", tags={"qBitrr-free_space_paused"})
    held, _ = decide(tagged, state, ctx())
    assert held.actions == () and held.rule == "free_space"
    resumed, state = decide(tagged, state, ctx(free_space_action="resume"))
    assert kinds(resumed) == ["resume", "remove_tags"] and not state.free_space_paused


def test_free_space_paused_is_never_deleted() -> None:
    tagged = snap(state="stalledDL", tags={"qBitrr-free_space_paused"})
    decision, _ = decide(tagged, stored(free_space_paused=True), ctx(arr=arr(stalled_delay=0.0)))
    assert decision.rule == "free_space" and decision.actions == ()


def test_complete_torrents_are_not_stalled() -> None:
    decision, _ = decide(complete(state="stalledUP"), stored(imported=True), ctx())
    assert ActionKind.DELETE not in [a.kind for a in decision.actions]


def test_queue_media_ids_are_searched() -> None:
    decision, _ = decide(
        snap(state="stalledDL"),
        stored(),
        ctx(arr=arr(stalled_delay=0.0), queue=queue(1, 2, media=(5, 6))),
    )
    assert decision.actions[0].queue_ids == (1, 2) and decision.actions[-1].media_ids == (5, 6)


def test_free_space_plan_walks_in_queue_order() -> None:
    from qbitrr_tui.engine.rules.free_space import free_space_plan

    older = snap(hash="1" * 40, added_on=100, amount_left=600)
    newer = snap(hash="2" * 40, added_on=200, amount_left=600)
    ours = snap(
        hash="3" * 40,
        added_on=300,
        amount_left=100,
        state="pausedDL",
        tags={"qBitrr-free_space_paused"},
    )
    done = complete(hash="4" * 40)
    torrents = [newer, done, ours, older]
    # 1000 free, threshold 0: the older one fits, the newer does not, ours fits again.
    assert free_space_plan(torrents, {}, 1000, 0) == {"2" * 40: "pause", "3" * 40: "resume"}
    assert free_space_plan(torrents, {}, 1300, 0) == {"3" * 40: "resume"}
    assert free_space_plan(torrents, {}, 1300, 200) == {"2" * 40: "pause", "3" * 40: "resume"}
    assert free_space_plan(torrents, {}, 100, 0) == {
        "1" * 40: "pause",
        "2" * 40: "pause",
        "3" * 40: "resume",
    }
    # FreeSpace off: what it paused is resumed; unknown free space changes nothing.
    assert free_space_plan(torrents, {}, 1000, -1) == {"3" * 40: "resume"}
    assert free_space_plan(torrents, {}, -1, 0) == {}


def test_imported_then_content_lost_is_removed_without_blocklist() -> None:
    lost = snap(state="stalledDL", progress=0.0, tags={"qBitrr-imported"})
    decision, _ = decide(lost, stored(imported=True), ctx(arr=arr(stalled_delay=0.0)))
    assert kinds(decision) == ["delete"] and not decision.actions[0].delete_files
    assert decision.rule == "content_lost" and "not blocklisted" in decision.reason
