"""Torrents grouped by instance and category (issue 17): a header per group with its counts
and speed, folding with enter, sorting and filtering inside groups, remembered across
runs, and no visible stall at 30,000 rows."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from qbitrr_tui.engine import events as ev
from qbitrr_tui.tui.app import QbitrrApp
from qbitrr_tui.tui.torrent_groups import header_key
from qbitrr_tui.tui.widgets.torrent_table import TorrentTable
from tests.tui.recorded import ROWS, RecordedLink, clock, row, stream
from tests.tui.test_app import INSTANCES


def make_grouped(link: RecordedLink, preferences: Path | None = None) -> QbitrrApp:
    link.feed(stream())
    return QbitrrApp(
        link,
        instance_names=INSTANCES,
        dry_run=True,
        clock=clock,
        watch_terminal=False,
        preferences=preferences,
    )


def order(table: TorrentTable) -> list[str]:
    return table.ordered_keys()


async def test_groups_have_headers_fold_and_keep_their_order(tmp_path: Path) -> None:
    link = RecordedLink()
    prefs = tmp_path / "dashboard.json"
    app = make_grouped(link, prefs)
    async with app.run_test(size=(120, 40)) as pilot:
        app.drain()
        await pilot.press("2", "v")
        table = app.query_one(TorrentTable)
        rows = order(table)
        groups = [
            ("default", "radarr"),
            ("default", "sonarr"),
            ("seedbox", "radarr"),
            ("seedbox", "sonarr"),
        ]
        assert [r for r in rows if r.startswith("\x1e")] == [header_key(g) for g in groups]
        # Every torrent sits under its own group's header.
        current = None
        for value in rows:
            if value.startswith("\x1e"):
                current = tuple(value[1:].split("\x1f"))
                continue
            instance, info_hash = value.split("\x1f")
            category = next(r.category for r in ROWS[instance] if r.hash == info_hash)
            assert current == (instance, category)
        header = table.get_cell(header_key(("default", "radarr")), "decision").text
        assert header.startswith("2 torrents, 1 downloading")
        # Sorting reverses inside groups, never the groups.
        table.sort_by("name")
        table.sort_by("name")
        assert [r for r in order(table) if r.startswith("\x1e")] == [header_key(g) for g in groups]
        # enter on a header folds the group, again unfolds it
        table.move_cursor(row=table.get_row_index(header_key(("seedbox", "radarr"))))
        await pilot.press("enter")
        assert table.row_count == 4 + 6 - 2  # seedbox's 2 radarr torrents folded away
        assert "4 of 6 torrents" in str(app.query_one("#torrent-count").render())
        assert (
            "▸ seedbox › radarr (2)"
            in table.get_cell(header_key(("seedbox", "radarr")), "name").text
        )
        # updates into a folded group change its header, not the table's rows
        faster = replace(ROWS["seedbox"][0], dlspeed=4_300_000, state="downloading")
        link.feed([ev.TorrentsUpdated("seedbox", (faster,))])
        app.drain()
        await pilot.pause()
        assert "↓ 4.1 MiB/s" in table.get_cell(header_key(("seedbox", "radarr")), "decision").text
        await pilot.press("enter")
        assert table.row_count == 10
        # a new category makes a new group; the filter applies inside groups
        newcomer = row("default", "Zzz", "lidarr", "downloading", 0.1, "ok", "downloading", h="9")
        link.feed([ev.TorrentsUpdated("default", (newcomer,))])
        app.drain()
        await pilot.pause()
        assert header_key(("default", "lidarr")) in [r for r in order(table)]
        await pilot.press("slash", *"cat:sonarr", "enter")
        assert {r for r in order(table) if r.startswith("\x1e")} == {
            header_key(("default", "sonarr")),
            header_key(("seedbox", "sonarr")),
        }
    assert '"grouped": true' in prefs.read_text()
    again = make_grouped(RecordedLink(), prefs)
    async with again.run_test(size=(120, 40)):
        again.drain()
        assert again.query_one(TorrentTable).grouped  # remembered


async def test_thirty_thousand_rows_grouped_without_a_stall() -> None:
    link = RecordedLink()
    app = make_grouped(link)
    rows = [
        replace(
            r,
            hash=f"{i:040x}",
            instance=f"inst{i % 3}",
            category=("radarr", "sonarr", "lidarr")[(i // 3) % 3],
        )
        for i, r in enumerate(
            row("x", f"Torrent.{i:05d}", "c", "downloading", 0.5, "ok", "downloading", h="0")
            for i in range(30_000)
        )
    ]
    async with app.run_test(size=(120, 40)) as pilot:
        app.drain()
        await pilot.press("2")
        table = app.query_one(TorrentTable)
        for name in ("inst0", "inst1", "inst2"):
            link.feed(
                [ev.TorrentsUpdated(name, tuple(r for r in rows if r.instance == name), full=True)]
            )
        started = time.perf_counter()
        app.drain()
        first_paint = time.perf_counter() - started
        started = time.perf_counter()
        table.set_grouped(True)
        grouping = time.perf_counter() - started
        assert table.row_count == 30_000 + 9 + 6 + 4  # and the recorded stream's 6 in 4 groups
        changed = tuple(
            replace(r, progress=0.75, reason="downloading 75%")
            for r in rows[:300]
            if r.instance == "inst0"
        )
        link.feed([ev.TorrentsUpdated("inst0", changed)])
        started = time.perf_counter()
        app.drain()
        tick = time.perf_counter() - started
        await pilot.pause()
    print(f"30k rows: first paint {first_paint:.2f}s, grouping {grouping:.2f}s, tick {tick:.3f}s")
    assert tick < 0.5  # a live update must not stall the dashboard
    assert grouping < 10
