"""The engine-core rules: ignore, resume, import, seeding, rate limits, tags."""

from __future__ import annotations

import pytest

from qbitrr_tui.config.model import SeedingMode
from qbitrr_tui.engine.model import ActionKind
from qbitrr_tui.engine.policy import decide
from tests.unit.rule_helpers import NOW, arr, complete, ctx, settings, snap, stored, tracker


def kinds(decision) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.kind.value for a in decision.actions]


def test_ignored_wins_over_everything() -> None:
    torrent = snap(state="missingFiles", category="failed", tags={"qBitrr-ignored"})
    decision, _ = decide(torrent, stored(), ctx())
    assert decision.rule == "ignored" and decision.actions == ()


@pytest.mark.parametrize("state", ["pausedDL", "stoppedDL"])
def test_paused_incomplete_is_resumed(state: str) -> None:
    from qbitrr_tui.qbit.snapshot import normalise_state

    decision, _ = decide(snap(state=normalise_state(state)), stored(), ctx())
    assert decision.rule == "resume" and kinds(decision) == ["resume"]


def test_paused_incomplete_not_resumed_when_off_or_free_space_paused() -> None:
    off = ctx(settings=settings(auto_pause_resume=False))
    assert kinds(decide(snap(state="pausedDL"), stored(), off)[0]) == []
    paused = snap(state="pausedDL", tags={"qBitrr-free_space_paused"})
    assert decide(paused, stored(free_space_paused=True), ctx())[0].rule == "free_space"


def test_a_pause_by_hand_is_not_undone_by_auto_pause_resume_or_free_space() -> None:
    by_hand = snap(state="pausedDL", tags={"qBitrr-manual_paused"})
    decision, _ = decide(by_hand, stored(), ctx())
    assert kinds(decision) == [] and "paused by hand" in decision.reason
    both = snap(state="pausedDL", tags={"qBitrr-manual_paused", "qBitrr-free_space_paused"})
    freed, _ = decide(both, stored(free_space_paused=True), ctx(free_space_action="resume"))
    assert kinds(freed) == ["remove_tags"]  # its own tag goes; the operator's pause stays


def test_paused_complete_is_left_alone() -> None:
    decision, _ = decide(complete(state="pausedUP"), stored(imported=True), ctx())
    assert ActionKind.RESUME not in [a.kind for a in decision.actions]


@pytest.mark.parametrize(
    ("completed_ago", "rule", "actions"),
    [(59, "import", []), (60, "import", ["import"]), (3600, "import", ["import"])],
)
def test_import_after_settle_time(completed_ago: int, rule: str, actions: list[str]) -> None:
    torrent = complete(completion_on=int(NOW - completed_ago))
    decision, _ = decide(torrent, stored(), ctx())
    assert decision.rule == rule and kinds(decision) == actions
    if not actions:
        assert "import in 1s" in decision.reason_at(NOW) and decision.wait_until == NOW + 1


def test_import_never_twice() -> None:
    assert decide(complete(), stored(imported=True), ctx())[0].rule != "import"
    assert decide(complete(tags={"qBitrr-imported"}), stored(), ctx())[0].rule != "import"


def test_import_waits_for_its_arr() -> None:
    decision, _ = decide(complete(), stored(), ctx(arr_up=False))
    assert decision.actions == () and "waiting for Radarr-Movies" in decision.reason


def test_import_does_not_depend_on_seeding_rules() -> None:
    seeding = SeedingMode(remove_torrent=-1, max_upload_ratio=-1)
    decision, _ = decide(complete(), stored(), ctx(arr=arr(seeding=seeding)))
    assert kinds(decision) == ["import"]


def test_incomplete_is_not_imported() -> None:
    torrent = complete(progress=0.999, amount_left=10)
    assert decide(torrent, stored(), ctx())[0].rule != "import"


@pytest.mark.parametrize(
    ("mode", "ratio", "seeded", "removed"),
    [
        (-1, 9.0, 10**9, False),
        (1, 1.99, 0, False),
        (1, 2.0, 0, True),
        (2, 9.0, 3599, False),
        (2, 0.0, 3600, True),
        (3, 2.0, 0, True),
        (3, 0.0, 3600, True),
        (3, 1.0, 100, False),
        (4, 2.0, 0, False),
        (4, 0.0, 3600, False),
        (4, 2.0, 3600, True),
    ],
)
def test_seeding_modes(mode: int, ratio: float, seeded: int, removed: bool) -> None:
    seeding = SeedingMode(max_upload_ratio=2.0, max_seeding_time=3600, remove_torrent=mode)
    torrent = complete(ratio=ratio, seeding_time=seeded, tags={"qBitrr-imported"})
    decision, state = decide(torrent, stored(imported=True), ctx(arr=arr(seeding=seeding)))
    assert (ActionKind.DELETE in [a.kind for a in decision.actions]) is removed
    assert decision.rule == ("seeding_done" if removed else "seeding")
    assert state.allowed_seeding is (not removed)


def test_seeding_never_removes_before_import() -> None:
    seeding = SeedingMode(max_upload_ratio=1.0, remove_torrent=1)
    torrent = complete(ratio=5.0, completion_on=int(NOW - 30))
    decision, _ = decide(torrent, stored(), ctx(arr=arr(seeding=seeding)))
    assert decision.rule == "import" and decision.actions == ()


def test_tracker_row_overrides_when_positive() -> None:
    seeding = SeedingMode(max_upload_ratio=1.0, remove_torrent=1)
    rules = arr(seeding=seeding, trackers=(tracker(max_upload_ratio=3.0),))
    on_tracker = complete(
        ratio=2.0, tracker="https://tracker.example.org/a/announce", tags={"qBitrr-imported"}
    )
    assert decide(on_tracker, stored(imported=True), ctx(arr=rules))[0].rule == "seeding"
    elsewhere = complete(ratio=2.0, tracker="https://other.org/announce", tags={"qBitrr-imported"})
    assert decide(elsewhere, stored(imported=True), ctx(arr=rules))[0].rule == "seeding_done"


def test_allowed_seeding_tag_kept_true() -> None:
    imported = complete(tags={"qBitrr-imported"})
    decision, _ = decide(imported, stored(imported=True), ctx())
    assert [a.tags for a in decision.actions] == [("qBitrr-allowed_seeding",)]
    tagged = complete(tags={"qBitrr-imported", "qBitrr-allowed_seeding"})
    assert decide(tagged, stored(imported=True), ctx())[0].actions == ()


def test_rate_limits_in_kib_only_when_different() -> None:
    rules = arr(seeding=SeedingMode(upload_rate_limit=100, download_rate_limit=-1))
    decision, _ = decide(
        complete(tags={"qBitrr-imported", "qBitrr-allowed_seeding"}),
        stored(imported=True),
        ctx(arr=rules),
    )
    limit = [a for a in decision.actions if a.kind is ActionKind.SET_LIMITS]
    assert len(limit) == 1 and limit[0].upload_limit == 102400
    same = complete(up_limit=102400, tags={"qBitrr-imported", "qBitrr-allowed_seeding"})
    assert decide(same, stored(imported=True), ctx(arr=rules))[0].actions == ()


def test_tracker_add_tags() -> None:
    rules = arr(trackers=(tracker(add_tags=("private", "hd")),))
    torrent = snap(tracker="udp://tracker.example.org:80", tags={"hd"})
    decision, _ = decide(torrent, stored(), ctx(arr=rules))
    assert [a.tags for a in decision.actions if a.kind is ActionKind.ADD_TAGS] == [("private",)]


def test_state_remembers_the_decision() -> None:
    _, state = decide(snap(), stored(), ctx())
    assert (state.last_rule, state.last_state, state.category) == ("ok", "downloading", "radarr")
    assert state.last_reason == "downloading 50%, ETA 10m"


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"state": "checkingResumeData"}, "qBittorrent is checkingResumeData"),
        ({"state": "checkingUP"}, "qBittorrent is checkingUP"),
        ({"state": "moving"}, "qBittorrent is moving"),
        ({"content_path": "Movie.2020.mkv"}, "not absolute"),
        ({"content_path": ""}, "not absolute"),
    ],
)
def test_no_import_before_qbittorrent_knows_the_content_path(
    fields: dict[str, str], why: str
) -> None:
    decision, _ = decide(complete(**fields), stored(), ctx())
    assert decision.rule == "import" and decision.actions == ()
    assert why in decision.reason


def test_a_windows_content_path_is_absolute() -> None:
    decision, _ = decide(complete(content_path="D:\\dl\\Movie.2020.mkv"), stored(), ctx())
    assert kinds(decision) == ["import"]


def test_a_lost_imported_tag_is_put_back() -> None:
    torrent = complete(tags={"qBitrr-allowed_seeding"})
    decision, _ = decide(torrent, stored(imported=True), ctx())
    assert [a.tags for a in decision.actions] == [("qBitrr-imported",)]
