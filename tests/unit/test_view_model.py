"""The dashboard's view model: events in, state and changes out (no Textual)."""

from __future__ import annotations

from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.model import Action, ActionKind
from qbitrr_tui.health import HealthState
from qbitrr_tui.tui.view_model import DashboardModel, matches
from tests.tui.recorded import NOW, ROWS, clock, health, row, stream


def model() -> DashboardModel:
    m = DashboardModel(["default", "seedbox", "offsite", "cloud"], ["Radarr-Movies"], clock=clock)
    m.apply_all(stream())
    return m


def test_health_and_stats() -> None:
    m = model()
    changes = m.take_changes()
    assert changes.instances == {"default", "seedbox", "offsite", "cloud"}
    assert m.instances["offsite"].health is not None
    assert m.instances["offsite"].health.state is HealthState.DOWN
    assert list(m.instances["default"].download) == [2e6, 2.4e6, 1.1e6, 3e6]
    assert m.arrs["Sonarr-TV"].health is not None and m.arrs["Radarr-Movies"].queue_size == 4
    assert m.engine.cycle == 42 and m.engine.dry_run and m.engine.requests == 3
    assert m.take_changes().empty  # nothing new since


def test_full_then_diff_then_removed() -> None:
    m = model()
    first = m.take_changes()
    assert first.reset == {"default", "seedbox"} and first.torrents == set()
    assert len(m.torrents) == 6
    moved = row(
        "default",
        "Big.Buck.Bunny.2008.1080p.BluRay.x264",
        "radarr",
        "downloading",
        0.5,
        "ok",
        "downloading 50%",
        h="a",
    )
    m.apply(ev.TorrentsUpdated("default", (moved,), removed=("c" * 40,)))
    changes = m.take_changes()
    assert changes.torrents == {("default", "a" * 40)}
    assert changes.removed == {("default", "c" * 40)}
    assert m.torrents[("default", "a" * 40)].progress == 0.5
    assert ("default", "c" * 40) not in m.torrents
    # A full update of one instance replaces only that instance's rows.
    m.apply(ev.TorrentsUpdated("seedbox", (ROWS["seedbox"][0],), full=True))
    assert len([k for k in m.torrents if k[0] == "seedbox"]) == 1
    assert len([k for k in m.torrents if k[0] == "default"]) == 2


def test_plan_collects_planned_and_held_and_drops_applied() -> None:
    m = model()
    item = m.plan[("seedbox", "d" * 40)]
    assert item.actions == ["blocklist", "delete with files"] and item.outcome == "planned"
    m.apply(
        ev.ActionEvent(
            NOW,
            "seedbox",
            "d" * 40,
            "x",
            Action(ActionKind.DELETE),
            "stalled",
            "r",
            "applied",
            False,
        )
    )
    assert ("seedbox", "d" * 40) not in m.plan
    m.apply(
        ev.ActionEvent(
            NOW, "default", "c" * 40, "y", Action(ActionKind.DELETE), "stalled", "r", "held", False
        )
    )
    assert m.plan[("default", "c" * 40)].outcome == "held"
    m.apply(ev.EngineStateChanged(paused=False, dry_run=False))
    assert ("default", "c" * 40) in m.plan  # held plans stay after dry-run is turned off


def test_dry_run_off_drops_planned_items() -> None:
    m = model()
    m.apply(ev.EngineStateChanged(paused=False, dry_run=False, message="dry-run off"))
    assert m.plan == {} and m.take_changes().plan


def test_distribution_matrix() -> None:
    categories, instances, counts = model().distribution()
    assert categories == ["radarr", "sonarr"]
    assert instances == ["default", "seedbox", "offsite", "cloud"]
    assert counts[("radarr", "default")] == 2 and counts[("sonarr", "seedbox")] == 1
    assert ("radarr", "offsite") not in counts


def test_new_instance_appears() -> None:
    m = model()
    m.apply(ev.InstanceHealthChanged(health("new", HealthState.CONNECTING)))
    assert "new" in m.instance_names() and "new" in m.take_changes().instances


def test_filter_words() -> None:
    stalled, ignored = ROWS["default"][2], ROWS["seedbox"][1]
    assert matches(stalled, "pioneer") and matches(stalled, "state:stalled")
    assert matches(stalled, "removal")  # searches the engine's reason too
    assert matches(stalled, "cat:sonarr on:default") and not matches(stalled, "on:seedbox")
    assert matches(ignored, "tag:ignored") and not matches(ignored, "tag:imported")
    assert matches(stalled, "rule:stalled") and not matches(stalled, "bogus:value")
    assert matches(stalled, "tracker:example.org") and not matches(stalled, "tracker:other")
    assert matches(stalled, "!tracker:other")


def test_an_instance_going_down_and_coming_back_is_an_alert() -> None:
    m = model()
    assert m.take_changes().alerts == []  # the first report of a down instance is no news
    m.apply(ev.InstanceHealthChanged(health("default", HealthState.DOWN, error="refused")))
    assert m.take_changes().alerts == [("error", "Instance 'default' went down: refused")]
    m.apply(ev.InstanceHealthChanged(health("default", HealthState.UP)))
    assert m.take_changes().alerts == [("information", "Instance 'default' is back up.")]
