"""Keys that did nothing or the wrong thing, and views that were stale or too wide
(issue 17: D2 D7 D8 D11 D12 and the confusing parts of section 2)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.model import Action, ActionKind
from qbitrr_tui.health import HealthState
from qbitrr_tui.tui.screens.help import HelpScreen
from qbitrr_tui.tui.screens.sort_choice import SortChoiceScreen
from qbitrr_tui.tui.widgets.fitted_table import FittedTable
from qbitrr_tui.tui.widgets.instances_view import InstancesView
from qbitrr_tui.tui.widgets.torrent_table import TorrentTable
from tests.tui.recorded import NOW, ROWS, RecordedLink, health, row
from tests.tui.test_app import make


def toasts(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications]


def plain(renderable: object) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def count_line(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.query_one("#torrent-count").render())


async def test_help_shows_this_views_keys_and_the_filter_grammar_and_closes_on_q() -> None:
    app = make(RecordedLink())
    async with app.run_test(size=(100, 30)) as pilot:
        app.drain()
        await pilot.press("2", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(plain(s.content) for s in app.screen.query("Static").results())
        assert "In Torrents (2)" in shown and "Sort: choose the column" in shown
        assert "stalled (metaDL stalledDL)" in shown and "seeding_done" in shown
        await pilot.press("q")  # closes the help, does not quit
        assert not isinstance(app.screen, HelpScreen) and app.is_running
        for key in ("escape", "question_mark"):
            await pilot.press("question_mark", key)
            assert not isinstance(app.screen, HelpScreen) and app.is_running


async def test_r_while_paused_says_why_nothing_happens() -> None:
    link = RecordedLink()
    app = make(link)
    async with app.run_test(size=(100, 30)) as pilot:
        link.feed([ev.EngineStateChanged(paused=True, dry_run=True, message="engine paused")])
        app.drain()
        await pilot.press("r")
        assert link.sent() == []
        assert any("paused: no cycle runs. Press p" in t for t in toasts(app))
        assert "Engine: engine paused" in toasts(app)  # p and d say what changed


async def test_plan_reasons_are_current_and_the_cursor_stays_on_its_torrent() -> None:
    link = RecordedLink()
    app = make(link)
    extra = [
        ev.ActionEvent(
            NOW, inst, h * 40, name, Action(ActionKind.PAUSE), "stalled", "then", "planned", True
        )
        for inst, h, name in (("default", "c", "Pioneer"), ("default", "a", "Big.Buck"))
    ]
    link.feed(extra)
    async with app.run_test(size=(120, 40)) as pilot:
        app.drain()
        await pilot.press("4", "end")
        table = app.query_one("#plan-table", FittedTable)
        assert table.row_count == 3
        chosen = table.highlighted_key()
        assert chosen == "default\x1f" + "a" * 40
        now = row(
            "default", "Big.Buck", "radarr", "downloading", 0.5, "ok", "downloading 50%", h="a"
        )
        link.feed([ev.TorrentsUpdated("default", (now,))])
        app.drain()
        await pilot.pause()
        assert str(table.get_cell(chosen, "reason")) == "downloading 50%"  # not "then"
        link.feed([ev.TorrentsUpdated("seedbox", (), removed=("d" * 40,))])  # a row above leaves
        app.drain()
        await pilot.pause()
        assert table.row_count == 2 and table.highlighted_key() == chosen


@pytest.mark.parametrize("width", [60, 80, 120, 200])
async def test_tables_fit_the_screen_and_grow_with_it(width: int) -> None:
    app = make(RecordedLink())
    async with app.run_test(size=(width, 30)) as pilot:
        app.drain()
        for view in ("2", "3", "4"):
            await pilot.press(view)
            await pilot.pause()
            for table in app.screen.query("DataTable").results():
                if table.display and table.is_on_screen and table.columns:
                    used = sum(c.get_render_width(table) for c in table.columns.values())
                    assert used <= table.size.width, (view, width, used)
            torrents = app.query_one(TorrentTable)
            if view == "2":  # a cell of padding each side of each column
                used = sum(w + 2 for _, _, w in torrents.layout_columns)
                assert used <= torrents.size.width, (width, used)
        columns = {k: w for k, _, w in torrents.layout_columns}
        assert "decision" in columns
        if width >= 80:
            assert "instance" in columns  # the All tab says where each torrent is
        if width >= 120:
            assert "category" in columns and columns["name"] >= 28
        if width >= 200:
            assert columns["eta"] >= 7 and columns["tags"] >= 14 and columns["decision"] >= 60
        footer = [str(k.description) for k in app.screen.query("FooterKey").results()]
        assert footer[0] == "Help"  # never the one cut off


async def test_sort_from_the_keyboard_with_a_marker_and_table_keys() -> None:
    app = make(RecordedLink())
    async with app.run_test(size=(120, 40)) as pilot:
        app.drain()
        await pilot.press("2", "s")
        assert isinstance(app.screen, SortChoiceScreen)
        await pilot.press("end", "up")  # from Decision's row to Done
        await pilot.press("enter")
        table = app.query_one(TorrentTable)
        assert table.sort_columns[0] == "progress" and not table.sort_reverse
        labels = table.labels
        assert labels["progress"] == "Done ▲"
        await pilot.press("G")
        assert table.highlighted_key() in {("default", "b" * 40), ("seedbox", "f" * 40)}
        await pilot.press("g")
        assert table.cursor_row == 0
        await pilot.press("j", "j", "k")
        assert table.cursor_row == 1
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("1", "s")  # s in the Instances view no longer sorts the hidden list
        assert not isinstance(app.screen, SortChoiceScreen)


async def test_clicking_a_panel_selects_it_and_t_names_what_it_acts_on() -> None:
    link = RecordedLink()
    app = make(link)
    async with app.run_test(size=(120, 40)) as pilot:
        app.drain()
        await pilot.pause()
        await pilot.click("#instance-offsite", offset=(4, 1))
        await pilot.pause()
        assert app.query_one(InstancesView).selected_name == "offsite"
        await pilot.press("enter")  # its torrents
        from qbitrr_tui.tui.widgets.torrents_view import TorrentsView

        assert app.query_one(TorrentsView).instance == "offsite"
        await pilot.press("1", "up", "enter")
        assert app.query_one(TorrentsView).instance == "seedbox"
        await pilot.click("#tab-all")
        await pilot.pause()
        await pilot.press("2", "G", "t")  # All tab: the highlighted torrent's instance
        key = app.query_one(TorrentTable).highlighted_key()
        assert key is not None
        assert link.sent() == [ev.SetInstanceEnabled(key[0], False)]
        assert any(f"'{key[0]}' (the highlighted torrent's instance)" in t for t in toasts(app))


async def test_filter_errors_negation_and_state_groups() -> None:
    app = make(RecordedLink())
    async with app.run_test(size=(120, 40)) as pilot:
        app.drain()
        await pilot.press("2", "slash", *"state:stalled")
        table = app.query_one(TorrentTable)
        # stalled downloads (and no-metadata ones), not the stalledUP seeders
        assert {k[1][0] for k in table.keys} == {"c", "d", "e"}
        await pilot.press("ctrl+u", *"!pioneer")
        assert table.row_count == 5 and ("default", "c" * 40) not in table.keys
        await pilot.press("ctrl+u", *"state:foo")
        assert "unknown state 'foo'" in count_line(app)
        await pilot.press("ctrl+u", *"bogus:x")
        assert "unknown filter 'bogus:'" in count_line(app)
        await pilot.press("ctrl+u", *"on:default,seedbox")
        assert table.row_count == 6


async def test_palette_screenshot_lands_in_the_state_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    app = make(RecordedLink())
    async with app.run_test(size=(80, 24)) as pilot:
        app.drain()
        saved = app.deliver_screenshot()
        await pilot.pause()
        assert saved is not None and Path(saved).is_file()
        assert str(tmp_path) in saved
        assert any(saved in t for t in toasts(app))


async def test_applying_the_plan_reports_the_result() -> None:
    link = RecordedLink()
    app = make(link)
    async with app.run_test(size=(120, 40)) as pilot:
        app.drain()
        await pilot.press("4", "A", "y")
        link.sent()
        link.feed(
            [
                ev.ActionEvent(
                    NOW,
                    "seedbox",
                    "d" * 40,
                    ROWS["seedbox"][0].name,
                    Action(ActionKind.DELETE),
                    "stalled",
                    "r",
                    "applied",
                    False,
                )
            ]
        )
        app.drain()
        await pilot.pause()
        assert any("delete" in t and "Cosmos" in t for t in toasts(app))
        link.feed([ev.InstanceHealthChanged(health("seedbox", HealthState.UP))])


async def test_activity_search_by_instance_torrent_and_outcome_and_follow() -> None:
    from textual.widgets import Label

    from qbitrr_tui.tui.widgets.activity_view import ActivityView
    from qbitrr_tui.tui.widgets.fitted_table import FittedTable

    app = make(RecordedLink())
    async with app.run_test(size=(120, 40)) as pilot:
        app.drain()
        await pilot.press("3")
        view = app.query_one(ActivityView)
        table = view.query_one("#actions", FittedTable)
        events = list(view._events.values())
        assert table.row_count == len(events) > 2
        await pilot.press("slash", *"outcome:applied")
        await pilot.pause()
        applied = [e for e in events if e.outcome == "applied"]
        assert 0 < table.row_count == len(applied) < len(events)
        await pilot.press(*" on:seedbox")
        await pilot.pause()
        assert table.row_count == len([e for e in applied if e.instance == "seedbox"])
        await pilot.press("enter", "escape")
        assert table.row_count == len(events)
        await pilot.press("slash", *"bogus:x")
        await pilot.pause()
        title = str(view.query_one("#actions-title", Label).content)
        assert "not understood" in title
        await pilot.press("escape", "escape", "f")
        assert not view.follow
        assert "held (f follows)" in str(view.query_one("#actions-title", Label).content)
