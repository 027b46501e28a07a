"""A slow or stale instance (or Arr) says so on its panel instead of looking frozen
(issue 14): "stale 45s" while a read is still running, with the age of its last good data;
"slow 7.2s" when its last read overran its budget."""

from __future__ import annotations

from rich.text import Text

from qbitrr_tui.engine import events as ev
from qbitrr_tui.health import Health, HealthState
from qbitrr_tui.tui.widgets.small_tables import ArrTable
from tests.tui.recorded import NOW, RecordedLink, health
from tests.tui.test_app import info_text
from tests.tui.test_live_data import Clock, make_live


def arr_state(app: object, name: str) -> str:
    table = app.query_one(ArrTable)  # type: ignore[attr-defined]
    cell = table.get_cell(name, "state")
    assert isinstance(cell, Text)
    return cell.plain


async def test_an_instance_still_reading_shows_stale_then_slow_then_nothing() -> None:
    link, clock = RecordedLink(), Clock()
    app = make_live(link, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")  # the Instances view
        app.drain()
        assert "stale" not in info_text(app, "seedbox") and "slow" not in info_text(app, "seedbox")
        up = health("seedbox", HealthState.UP, port=8081)
        link.feed([ev.InstanceHealthChanged(up.read_late(6.1, NOW - 45))])
        app.drain()
        await pilot.pause()
        assert "⧗ stale 45s" in info_text(app, "seedbox")
        clock.now = NOW + 10  # no new event: the age counts on
        app.drain()
        await pilot.pause()
        assert "⧗ stale 55s" in info_text(app, "seedbox")
        link.feed([ev.InstanceHealthChanged(up.read_late(7.2, None))])  # the read came, late
        app.drain()
        await pilot.pause()
        assert "⧗ slow 7.2s" in info_text(app, "seedbox")
        assert "stale" not in info_text(app, "seedbox")
        link.feed([ev.InstanceHealthChanged(up)])  # a read within its budget
        app.drain()
        await pilot.pause()
        assert "⧗" not in info_text(app, "seedbox")
        assert "⧗" not in info_text(app, "default")  # the others never said so


async def test_a_stale_arr_says_so_in_the_arr_table() -> None:
    link, clock = RecordedLink(), Clock()
    app = make_live(link, clock)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("2")
        app.drain()
        await pilot.pause()
        assert "⧗" not in arr_state(app, "Radarr-Movies")
        radarr = Health(
            "Radarr-Movies", "http://127.0.0.1:7878", HealthState.UP, NOW - 600, version="6.0.3"
        )
        late = ev.ArrHealthChanged(radarr.read_late(12.0, NOW - 20), "Radarr", "radarr", None)
        link.feed([late])
        app.drain()
        await pilot.pause()
        assert "⧗ stale 20s" in arr_state(app, "Radarr-Movies")
        assert "4" in str(app.query_one(ArrTable).get_cell("Radarr-Movies", "queue"))
