"""`b`: the recycle bin, its size in the engine bar, and restoring from it (issue 20)."""

from __future__ import annotations

from qbitrr_tui.engine import events as ev
from qbitrr_tui.tui.screens.recycle_bin import RecycleBinScreen
from qbitrr_tui.tui.widgets.engine_bar import EngineBar
from tests.tui.recorded import NOW, RecordedLink
from tests.tui.test_app import make

GIB = 1024**3
ROWS = (
    ev.BinRow(
        "default", "a" * 40, "Old.Movie", "radarr", 2 * GIB, NOW - 50, NOW + 86000, "moved", ""
    ),
    ev.BinRow("seedbox", "b" * 40, "New.Show", "sonarr", GIB, NOW - 5, NOW + 86400, "deleted", ""),
)


async def test_b_lists_the_bin_with_sizes_and_r_restores_the_highlighted_entry() -> None:
    link = RecordedLink()
    app = make(link)
    async with app.run_test(size=(100, 30)) as pilot:
        link.feed([ev.RecycleBinChanged(ROWS, 2 * GIB)])
        app.drain()
        assert "bin 2, 2.0 GiB" in str(app.query_one(EngineBar).render())
        await pilot.press("b")
        assert isinstance(app.screen, RecycleBinScreen)
        title = str(app.screen.query_one("#bin-title").render())
        assert "2 entries, 2.0 GiB of data held" in title
        await pilot.press("r")  # newest first: New.Show
        await pilot.pause()
        assert link.sent() == [ev.RestoreFromBin("seedbox", "b" * 40)]

        link.feed([ev.RecycleBinChanged(ROWS[:1], 2 * GIB, "restored New.Show to instance")])
        app.drain()
        await pilot.pause()
        assert app.screen.query_one("#bin-table").row_count == 1  # the open view follows
        assert any("restored New.Show" in str(n.message) for n in app._notifications)
        await pilot.press("escape")
        assert not isinstance(app.screen, RecycleBinScreen) and app.is_running
