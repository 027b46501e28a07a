"""No stale data (issue 17, D3 D5 D6): rows of an instance that stops being live are
greyed and say so, every count agrees, durations count on between events, and problems
stay the loudest text without colour."""

from __future__ import annotations

from dataclasses import replace

from qbitrr_tui.engine import events as ev
from qbitrr_tui.health import HealthState
from qbitrr_tui.tui import format as fmt
from qbitrr_tui.tui.app import QbitrrApp
from qbitrr_tui.tui.widgets.engine_bar import EngineBar
from qbitrr_tui.tui.widgets.small_tables import DistributionTable
from qbitrr_tui.tui.widgets.torrent_table import TorrentTable, row_key
from tests.tui.recorded import NOW, RecordedLink, health
from tests.tui.test_app import info_text, make


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


def make_live(link: RecordedLink, clock: Clock) -> QbitrrApp:
    return make(link, clock=clock)


def text_of(app: QbitrrApp, selector: str) -> str:
    return str(app.query_one(selector).render())


def decision(table: TorrentTable, instance: str, h: str) -> str:
    return table.get_cell(row_key((instance, h * 40)), "decision").text


async def test_rows_of_a_disabled_instance_are_greyed_and_counted_apart() -> None:
    link, clock = RecordedLink(), Clock()
    app = make_live(link, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        app.drain()
        await pilot.press("2")
        table = app.query_one(TorrentTable)
        assert "downloading 42%" in decision(table, "default", "a")
        assert "6 torrents" in text_of(app, "EngineBar")
        link.feed([ev.InstanceHealthChanged(health("default", HealthState.DISABLED, since=NOW))])
        clock.now = NOW + 130
        app.drain()
        await pilot.pause()
        greyed = table.get_cell(row_key(("default", "a" * 40)), "decision")
        assert greyed.text.startswith("✗ default disabled · last seen")  # not "downloading 42%"
        assert greyed.style.startswith("dim")
        assert "downloading" in decision(table, "seedbox", "f") or "import" in decision(
            table, "seedbox", "f"
        )  # other instances untouched
        bar = text_of(app, "EngineBar")
        count = text_of(app, "#torrent-count")
        assert "3 torrents + 3 offline" in bar  # header and list agree: 6 in all
        assert "6 of 6 torrents" in count
        assert "default (disabled, last seen 2m10s ago)" in count
        assert "offsite (down)" in count  # every offline instance is named
        distribution = app.query_one(DistributionTable)
        labels = [str(c.label) for c in distribution.columns.values()]
        assert "default ✗" in labels  # its counts are from when it was last seen
        assert str(distribution.get_cell("radarr", "total")) == "2"  # seedbox's 2 only
        await pilot.press("o")  # hide them
        await pilot.pause()
        assert table.row_count == 3 and "3 of their rows hidden" in text_of(app, "#torrent-count")
        await pilot.press("o")
        await pilot.pause()
        link.feed([ev.InstanceHealthChanged(health("default", HealthState.UP, since=NOW + 131))])
        app.drain()
        await pilot.pause()
        assert table.row_count == 6
        assert "downloading 42%" in decision(table, "default", "a")  # live again
        assert "default (" not in text_of(app, "#torrent-count")
        assert "3 offline" not in text_of(app, "EngineBar")


async def test_durations_count_on_without_new_events() -> None:
    link, clock = RecordedLink(), Clock()
    app = make_live(link, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        app.drain()
        assert "down 12m " in info_text(app, "offsite")
        assert "retry in 40s" in info_text(app, "offsite")
        clock.now = NOW + 30
        app.drain()  # no event arrived
        await pilot.pause()
        assert "down 13m " in info_text(app, "offsite")
        assert "retry in 10s" in info_text(app, "offsite")
        clock.now = NOW + 50
        app.drain()
        assert "retrying at the next cycle" in info_text(app, "offsite")
        # The engine reports the next, longer back-off: the panel says when.
        later = replace(health("offsite", HealthState.DOWN, error="refused"), next_attempt=NOW + 90)
        link.feed([ev.InstanceHealthChanged(later)])
        app.drain()
        assert "retry in 40s" in info_text(app, "offsite")


async def test_header_names_what_is_not_up_and_how_long_the_cycle_took() -> None:
    app = make_live(RecordedLink(), Clock())
    async with app.run_test(size=(160, 30)):
        app.drain()
        bar = text_of(app, "EngineBar")
        assert "✗ 2/3 up (offsite down)" in bar
        assert "cycle 42 took 0.31s" in bar


async def test_problems_are_the_loudest_text_without_colour(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_live(RecordedLink(), Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        app.drain()
        await pilot.pause()
        assert app.no_color
        state = fmt.health_text(health("offsite", HealthState.DOWN))
        assert str(state) == "✗ down" and "reverse" in str(state.style)
        assert "reverse" in fmt.style("problem") and "underline" in fmt.style("warning")
        bar = app.query_one(EngineBar).content
        assert any("reverse" in str(span.style) for span in bar.spans)  # type: ignore[union-attr]
    fmt.use_colour(True)
    assert "reverse" not in fmt.style("problem")
