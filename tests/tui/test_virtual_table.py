"""The torrent table draws only the rows on screen (issue 21): far down in 30,000 rows it
shows the right ones, an update to a row off screen repaints nothing, and the cursor stays
on its torrent (at the same height) when rows come and go above it."""

from __future__ import annotations

import queue
from dataclasses import dataclass, field, replace

from textual import events

from qbitrr_tui.engine import events as ev
from qbitrr_tui.health import Health, HealthState
from qbitrr_tui.tui.app import QbitrrApp
from qbitrr_tui.tui.widgets.torrent_table import TorrentTable
from tests.tui.recorded import clock


@dataclass
class Link:
    events: queue.Queue[ev.Event] = field(default_factory=queue.Queue)
    commands: queue.Queue[ev.Command] = field(default_factory=queue.Queue)

    def start(self) -> None:
        pass

    def stop(self, timeout: float = 30.0) -> None:
        pass


def torrent(i: int, name: str | None = None) -> ev.TorrentRow:
    return ev.TorrentRow(
        instance="box",
        hash=f"{i:040d}",
        name=name or f"Release.{i:05d}",
        category="radarr",
        state="uploading",
        progress=1.0,
        size=i,
        ratio=1.0,
        eta=ev.ETA_UNKNOWN,
        tags=(),
        dlspeed=0,
        upspeed=0,
        added_on=0,
        rule="seeding",
        reason="seeding",
    )


def started(count: int) -> tuple[QbitrrApp, Link]:
    link = Link()
    link.events.put(ev.InstanceHealthChanged(Health("box", "127.0.0.1:1", HealthState.UP, 0)))
    rows = tuple(torrent(i) for i in range(count))
    link.events.put(ev.TorrentsUpdated("box", rows, full=True))
    return QbitrrApp(link, instance_names=["box"], clock=clock, watch_terminal=False), link


def screen_names(table: TorrentTable) -> list[str]:
    """The names on the table's screen lines, top to bottom (line 0 is the header)."""
    lines = [table.render_line(y).text for y in range(1, table.size.height)]
    return [line.split()[0] for line in lines if line.strip()]


async def test_far_down_in_30000_rows_the_right_rows_show() -> None:
    app, _ = started(30_000)
    async with app.run_test(size=(100, 30)) as pilot:
        app.drain()
        await pilot.press("2", "end")
        table = app.query_one(TorrentTable)
        assert table.row_count == 30_000
        assert table.highlighted_key() == ("box", f"{29_999:040d}")
        names = screen_names(table)
        assert names[-1] == "Release.29999"
        assert names == [f"Release.{i:05d}" for i in range(30_000 - len(names), 30_000)]
        await pilot.press("pageup", "pageup")
        top = names[0]
        index = table.cursor_row
        assert table.highlighted_key() == ("box", f"{index:040d}")
        assert screen_names(table)[0] < top  # the view followed the cursor up
        await pilot.press("home")
        assert screen_names(table)[0] == "Release.00000"


async def test_an_update_off_screen_repaints_nothing() -> None:
    app, link = started(2_000)
    async with app.run_test(size=(100, 30)) as pilot:
        app.drain()
        await pilot.press("2")
        await pilot.pause()
        table = app.query_one(TorrentTable)
        refreshes: list[object] = []
        real = table.refresh

        def counted(*regions: object, **kwargs: bool) -> TorrentTable:
            refreshes.append(regions)
            return real(*regions, **kwargs)  # type: ignore[arg-type]

        table.refresh = counted  # type: ignore[method-assign]
        far = replace(torrent(1_500), reason="seeding until 2.50")
        link.events.put(ev.TorrentsUpdated("box", (far,)))
        app.drain()
        assert refreshes == []
        assert table.get_cell(f"box\x1f{far.hash}", "decision").text == "seeding until 2.50"
        near = replace(torrent(3), reason="seeding until 2.50")
        link.events.put(ev.TorrentsUpdated("box", (near,)))
        app.drain()
        assert refreshes
        assert "seeding until 2.50" in table.render_line(1 + 3).text


async def test_the_cursor_stays_on_its_torrent_when_rows_come_and_go_above() -> None:
    app, link = started(500)
    async with app.run_test(size=(100, 30)) as pilot:
        app.drain()
        await pilot.press("2")
        table = app.query_one(TorrentTable)
        for _ in range(240):
            table.action_cursor_down()
        await pilot.pause()
        key = table.highlighted_key()
        assert key == ("box", f"{240:040d}")
        height = table.cursor_row - round(table.scroll_y)
        before = screen_names(table)
        above = tuple(torrent(1_000 + i, name=f"Aaa.{i}") for i in range(7))
        gone = tuple(f"{i:040d}" for i in range(3))
        link.events.put(ev.TorrentsUpdated("box", above, removed=gone))
        app.drain()
        await pilot.pause()
        assert table.highlighted_key() == key
        assert table.cursor_row == 240 + 7 - 3
        assert table.cursor_row - round(table.scroll_y) == height
        assert screen_names(table) == before  # the same rows, where they were


async def test_the_mouse_picks_rows_sorts_by_a_header_and_scrolls() -> None:
    app, _ = started(300)
    async with app.run_test(size=(100, 30)) as pilot:
        app.drain()
        await pilot.press("2")
        table = app.query_one(TorrentTable)
        await pilot.click(TorrentTable, offset=(5, 4))  # the header is line 0
        assert table.cursor_row == 3
        assert table.highlighted_key() == ("box", f"{3:040d}")
        await pilot.click(TorrentTable, offset=(5, 0))  # Name's header: by name
        await pilot.pause()
        assert table.sort_columns[0] == "name"
        await pilot.click(TorrentTable, offset=(5, 0))  # again: reversed
        await pilot.pause()
        assert table.sort_reverse and table.highlighted_key() == ("box", f"{3:040d}")
        assert screen_names(table)[0] == "Release.00299"
        wheel = events.MouseScrollDown(table, 5, 5, 0, 1, 0, False, False, False)
        table.post_message(wheel)
        await pilot.pause()
        assert table.scroll_y > 0
        assert screen_names(table)[0] == f"Release.{299 - round(table.scroll_y):05d}"


def background(table: TorrentTable, y: int) -> object:
    """The background of screen line ``y``'s first cell."""
    style = next(iter(table.render_line(y))).style
    return style.bgcolor if style is not None else None


async def test_the_row_under_the_mouse_is_shown_as_datatable_shows_it() -> None:
    app, _ = started(300)
    async with app.run_test(size=(100, 30)) as pilot:
        app.drain()
        await pilot.press("2")
        table = app.query_one(TorrentTable)
        zebra = [background(table, y) for y in (4, 5)]
        await pilot.hover(TorrentTable, offset=(5, 4))
        await pilot.pause()
        assert table.hover_row == 3 and table.cursor_row == 0
        hovered = table.get_component_rich_style("datatable--hover").bgcolor
        assert hovered is not None and hovered not in zebra
        assert background(table, 4) == hovered
        assert background(table, 5) == zebra[1]
        await pilot.hover(TorrentTable, offset=(5, 0))  # the header: no row
        await pilot.pause()
        assert table.hover_row == -1
        assert background(table, 4) == zebra[0]
