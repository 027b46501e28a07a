"""Hit-and-run protection: the policy's maths, qBitrr's row matching and inheritance, and the
guard every removal passes through (engine/rules/hnr.py, engine/policy.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from qbitrr_tui.config import parse_config
from qbitrr_tui.config.model import SeedingMode, TrackerRule
from qbitrr_tui.engine.model import TAG_IMPORTED, ActionKind, Rule
from qbitrr_tui.engine.policy import decide
from qbitrr_tui.engine.rules.hnr import host_of, match_row, merge_rows, removal_blocked, unmet
from qbitrr_tui.engine.tracker_watch import TrackerWatch
from tests.unit.rule_helpers import NOW, arr, complete, ctx, queue, snap, stored, tracker

DAY = 86_400
TL = "https://tracker.torrentleech.org/a/passkey/announce"


def hnr(**fields: object) -> TrackerRule:
    values: dict[str, object] = {"uri": "torrentleech.org", "hit_and_run_mode": "and", **fields}
    return tracker(**values)


@pytest.mark.parametrize(
    ("row", "torrent", "expected"),
    [
        # complete, "and": both goals
        (
            dict(min_seed_ratio=1.0, min_seeding_time_days=7),
            dict(ratio=0.4, seeding_time=3 * DAY),
            "HnR: ratio 0.40/1.00, 3d/7d seeded",
        ),
        (
            dict(min_seed_ratio=1.0, min_seeding_time_days=7),
            dict(ratio=1.2, seeding_time=3 * DAY),
            "HnR: ratio 1.20/1.00, 3d/7d seeded",
        ),
        (
            dict(min_seed_ratio=1.0, min_seeding_time_days=7),
            dict(ratio=1.2, seeding_time=7 * DAY),
            "",
        ),
        # "or": either goal
        (
            dict(hit_and_run_mode="or", min_seed_ratio=1.0, min_seeding_time_days=7),
            dict(ratio=1.0, seeding_time=0),
            "",
        ),
        (
            dict(hit_and_run_mode="or", min_seed_ratio=1.0, min_seeding_time_days=7),
            dict(ratio=0.5, seeding_time=DAY),
            "HnR: ratio 0.50/1.00 or 1d/7d seeded",
        ),
        # a goal of 0 is no goal; none at all: nothing owed
        (dict(min_seed_ratio=0, min_seeding_time_days=2), dict(ratio=0, seeding_time=2 * DAY), ""),
        (dict(min_seed_ratio=0, min_seeding_time_days=0), dict(ratio=0, seeding_time=0), ""),
        # TrackerUpdateBuffer: seeding time not yet counted by the tracker
        (
            dict(min_seed_ratio=0, min_seeding_time_days=1, tracker_update_buffer=3600),
            dict(ratio=0, seeding_time=DAY),
            "HnR: 23h/1d seeded",
        ),
        # disabled: no policy
        (dict(hit_and_run_mode="disabled"), dict(ratio=0, seeding_time=0), ""),
    ],
)
def test_complete_download_policy(
    row: dict[str, object], torrent: dict[str, object], expected: str
) -> None:
    assert unmet(complete(**torrent), hnr(**row)) == expected


def test_partial_download_owes_its_partial_ratio_and_a_small_one_nothing() -> None:
    row = hnr(hnr_min_download_percent=10, hnr_partial_seed_ratio=0.5)
    assert unmet(snap(progress=0.05, ratio=0.0), row) == ""
    assert (
        unmet(snap(progress=0.45, ratio=0.2), row) == "HnR: partial download 45%, ratio 0.20/0.50"
    )
    assert unmet(snap(progress=0.45, ratio=0.5), row) == ""


def test_rows_match_by_host_and_parent_domain_highest_priority_first() -> None:
    low = tracker(uri="torrentleech.org", priority=1, name="low")
    high = tracker(uri="https://tracker.torrentleech.org/announce", priority=5, name="high")
    other = tracker(uri="example.org", priority=9)
    rows = merge_rows([low, other, high])
    assert match_row(rows, [TL]) is high
    assert match_row(rows, ["udp://torrentleech.org:80/announce"]) is low
    assert match_row(rows, ["https://nottorrentleech.org/announce"]) is None  # no suffix match
    assert match_row(rows, ["** [DHT] **", ""]) is None
    assert host_of("Tracker.Example.ORG:8080") == "tracker.example.org"


def test_arr_rows_replace_instance_rows_with_the_same_uri() -> None:
    config = parse_config(
        """
[Settings]
DataFolder = "/tmp/x"
[qBit]
Host = "h"
[[qBit.Trackers]]
URI = "torrentleech.org"
HitAndRunMode = "and"
MinSeedRatio = 1.0
[[qBit.Trackers]]
URI = "other.org"
HitAndRunMode = true
[qBit-Seedbox]
Host = "s"
[[qBit-Seedbox.Trackers]]
URI = "seedbox-only.org"
HitAndRunMode = "or"
[Radarr-Movies]
URI = "http://r"
APIKey = "k"
Category = "radarr"
[[Radarr-Movies.Torrent.Trackers]]
URI = "torrentleech.org"
HitAndRunMode = "disabled"
""",
        env={},
    )
    watch = TrackerWatch()
    watch.begin(config)
    movies = config.arrs[0]
    on_default = {r.uri: r.hit_and_run_mode for r in watch.rows("default", movies)}
    assert on_default == {"torrentleech.org": "disabled", "other.org": "and"}
    on_seedbox = {r.uri: r.hit_and_run_mode for r in watch.rows("seedbox", None)}
    assert on_seedbox == {"torrentleech.org": "and", "other.org": "and", "seedbox-only.org": "or"}
    assert any("read as" in w and "HitAndRunMode" in w for w in config.warnings)


def test_private_torrent_without_a_policy_is_kept_unless_its_tracker_says_it_is_gone() -> None:
    t = complete()
    assert "private torrent" in removal_blocked(t, None, private=True, dead=False)
    assert removal_blocked(t, tracker(), private=True, dead=False) != ""  # a row, no policy
    assert removal_blocked(t, None, private=True, dead=True) == ""
    assert removal_blocked(t, None, private=False, dead=False) == ""
    met = hnr(min_seed_ratio=1.0)
    assert removal_blocked(complete(ratio=2.0), met, private=True, dead=False) == ""


REMOVING = {
    "stalled": (snap(state="stalledDL", dlspeed=0), stored(stalled_since=NOW - 10_000)),
    "slow": (snap(eta=10**6), stored()),
    "failed": (snap(category="failed"), stored()),
    "seeding_done": (complete(tags={TAG_IMPORTED}, seeding_time=100), stored(imported=True)),
}


@pytest.mark.parametrize("name", sorted(REMOVING))
def test_every_removal_rule_is_held_by_an_unmet_policy(name: str) -> None:
    torrent, state = REMOVING[name]
    torrent = replace(torrent, tracker=TL, ratio=0.1)
    rules = arr(
        seeding=SeedingMode(remove_torrent=2, max_seeding_time=10),
        trackers=(hnr(min_seed_ratio=1.0, hnr_min_download_percent=0, hnr_partial_seed_ratio=1.0),),
    )
    decision, _ = decide(torrent, state, ctx(arr=rules, queue=queue()))
    assert not decision.destructive, decision
    assert "kept, HnR: " in decision.reason
    assert not any(a.kind is ActionKind.SEARCH for a in decision.actions)
    # The same torrent without the row is removed: the guard is what held it.
    free, _ = decide(torrent, state, ctx(arr=arr(seeding=rules.torrent.seeding), queue=queue()))
    assert free.destructive and free.rule is decision.rule


def test_a_known_private_flag_keeps_a_removal_without_io() -> None:
    torrent = snap(state="stalledDL", dlspeed=0)
    decision, _ = decide(
        torrent, stored(stalled_since=NOW - 10_000), ctx(private=True, tracker_urls=(TL,))
    )
    assert decision.rule is Rule.STALLED and not decision.destructive
    assert "private torrent" in decision.reason


def test_a_blocklist_without_a_delete_is_not_held() -> None:
    """ReSearchStalled blocklists and searches during the grace and keeps the torrent:
    nothing a hit-and-run policy forbids."""
    rules = arr(
        re_search_stalled=True,
        trackers=(hnr(min_seed_ratio=1.0, hnr_min_download_percent=0),),
    )
    torrent = snap(state="stalledDL", dlspeed=0, tracker=TL)
    decision, _ = decide(torrent, stored(stalled_since=NOW - 60), ctx(arr=rules, queue=queue()))
    kinds = [a.kind for a in decision.actions]
    assert ActionKind.BLOCKLIST in kinds and ActionKind.DELETE not in kinds
    assert "HnR" not in decision.reason


def test_unregistered_category_must_be_unmanaged() -> None:
    from qbitrr_tui.config import ConfigError

    text = """
[Settings]
DataFolder = "/tmp/x"
[qBit]
Host = "h"
[Radarr-A]
URI = "http://x"
APIKey = "k"
Category = "radarr"
[Radarr-A.Torrent]
UnregisteredAction = "category"
UnregisteredCategory = "failed"
"""
    with pytest.raises(ConfigError, match="UnregisteredCategory: 'failed' is managed here"):
        parse_config(text, env={})
    fine = parse_config(text.replace('"failed"', '"dead"'), env={})
    assert fine.arrs[0].torrent.unregistered_category == "dead"
