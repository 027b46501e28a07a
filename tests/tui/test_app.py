"""Pilot tests: keys in, commands out, widgets showing what the engine says."""

from __future__ import annotations

from collections.abc import Callable

from qbitrr_tui.engine import events as ev
from qbitrr_tui.health import HealthState
from qbitrr_tui.tui.app import QbitrrApp
from qbitrr_tui.tui.screens.confirm import ConfirmScreen
from qbitrr_tui.tui.screens.help import HelpScreen
from qbitrr_tui.tui.widgets.instance_panel import InstancePanel
from qbitrr_tui.tui.widgets.torrent_table import TorrentTable
from tests.tui.recorded import ROWS, RecordedLink, clock, health, row, stream

INSTANCES = ["default", "seedbox", "offsite", "cloud"]


def make(
    link: RecordedLink,
    *,
    dry_run: bool = True,
    keymap: dict[str, str] | None = None,
    clock: Callable[[], float] = clock,
) -> QbitrrApp:
    link.feed(stream(dry_run=dry_run))
    return QbitrrApp(
        link,
        instance_names=INSTANCES,
        arr_names=["Radarr-Movies", "Sonarr-TV"],
        dry_run=dry_run,
        clock=clock,
        keymap=keymap,
        watch_terminal=False,
    )


def info_text(app: QbitrrApp, name: str) -> str:
    panel = app.query_one(f"#instance-{name}", InstancePanel)
    return str(panel.query_one("#info").content)


async def test_toggle_instance_sends_the_command_and_shows_disabled() -> None:
    link = RecordedLink()
    app = make(link)
    async with app.run_test(size=(100, 30)) as pilot:
        app.drain()
        assert link.started
        assert "up" in info_text(app, "seedbox")
        await pilot.press("down")  # highlight the second instance
        await pilot.press("t")
        assert link.sent() == [ev.SetInstanceEnabled("seedbox", False)]
        link.feed([ev.InstanceHealthChanged(health("seedbox", HealthState.DISABLED))])
        app.drain()
        await pilot.pause()
        assert info_text(app, "seedbox").startswith("disabled")
        await pilot.press("t")  # and back on
        assert link.sent() == [ev.SetInstanceEnabled("seedbox", True)]
    assert link.stopped  # leaving the app stops the engine


async def test_r_rescans_and_p_pauses() -> None:
    link = RecordedLink()
    app = make(link)
    async with app.run_test(size=(100, 30)) as pilot:
        app.drain()
        await pilot.press("r", "p")
        assert link.sent() == [ev.RescanNow(), ev.SetPaused(True)]


async def test_filter_narrows_the_table() -> None:
    link = RecordedLink()
    app = make(link)
    async with app.run_test(size=(120, 40)) as pilot:
        app.drain()
        await pilot.press("2")
        table = app.query_one(TorrentTable)
        assert table.row_count == 6
        await pilot.press("slash", *"state:metadl", "enter")
        assert table.row_count == 2
        assert {k[1][0] for k in table.keys} == {"d", "e"}
        await pilot.press("escape")
        assert table.row_count == 6


async def test_instance_tab_shows_only_that_instance() -> None:
    link = RecordedLink()
    app = make(link)
    async with app.run_test(size=(120, 40)) as pilot:
        app.drain()
        await pilot.press("2")
        await pilot.click("#tab-seedbox")
        await pilot.pause()
        assert {k[0] for k in app.query_one(TorrentTable).keys} == {"seedbox"}


async def test_dry_run_off_asks_first() -> None:
    link = RecordedLink()
    app = make(link, dry_run=True)
    async with app.run_test(size=(100, 30)) as pilot:
        app.drain()
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert link.sent() == []
        await pilot.press("d", "y")
        assert link.sent() == [ev.SetDryRun(False)]


async def test_dry_run_on_does_not_ask() -> None:
    link = RecordedLink()
    app = make(link, dry_run=False)
    async with app.run_test(size=(100, 30)) as pilot:
        app.drain()
        await pilot.press("d")
        assert not isinstance(app.screen, ConfirmScreen)
        assert link.sent() == [ev.SetDryRun(True)]


async def test_plan_apply_asks_and_sends_the_hashes_shown() -> None:
    link = RecordedLink()
    app = make(link)
    async with app.run_test(size=(120, 40)) as pilot:
        app.drain()
        await pilot.press("4", "space", "a")
        assert isinstance(app.screen, ConfirmScreen)
        assert "deleting 1" in str(app.screen.query_one("#question").content)
        await pilot.press("y")
        assert link.sent() == [ev.ApplyPlanned(keys=(("seedbox", "d" * 40),))]
        await pilot.press("A", "n")  # apply all, then cancel: nothing sent
        assert link.sent() == []


async def test_cursor_stays_on_its_torrent_across_updates() -> None:
    link = RecordedLink()
    app = make(link)
    async with app.run_test(size=(120, 40)) as pilot:
        app.drain()
        await pilot.press("2", "down", "down")
        table = app.query_one(TorrentTable)
        before = table.highlighted_key()
        newcomer = row(
            "default",
            "Aaa.First.Alphabetically",
            "radarr",
            "downloading",
            0.1,
            "ok",
            "downloading 10%",
            h="9",
        )
        moved = row(
            "seedbox",
            ROWS["seedbox"][2].name,
            "radarr",
            "uploading",
            1.0,
            "seeding",
            "imported; seeding",
            h="f",
        )
        link.feed(
            [ev.TorrentsUpdated("default", (newcomer,)), ev.TorrentsUpdated("seedbox", (moved,))]
        )
        app.drain()
        await pilot.pause()
        assert table.row_count == 7
        assert table.highlighted_key() == before


async def test_keys_can_be_remapped_from_the_config() -> None:
    link = RecordedLink()
    app = make(link, keymap={"rescan": "f5"})
    async with app.run_test(size=(100, 30)) as pilot:
        app.drain()
        await pilot.press("r")
        assert link.sent() == []
        await pilot.press("f5")
        assert link.sent() == [ev.RescanNow()]
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert ("f5", "Rescan") in [(k, d) for k, d, _ in app.screen.keys]


async def test_every_binding_has_an_id_and_a_tooltip() -> None:
    app = make(RecordedLink())
    bindings = [b for b in app.BINDINGS if not isinstance(b, tuple)]
    assert bindings and all(b.id and b.tooltip for b in bindings)  # type: ignore[union-attr]


async def test_updates_keep_flowing_while_a_dialog_is_open() -> None:
    link = RecordedLink()
    app = make(link)
    async with app.run_test(size=(100, 30)) as pilot:
        app.drain()
        await pilot.press("d")  # the confirmation dialog is now the current screen
        assert isinstance(app.screen, ConfirmScreen)
        link.feed([ev.InstanceHealthChanged(health("seedbox", HealthState.DISABLED))])
        app.drain()  # must reach the dashboard's widgets, not the dialog's
        await pilot.press("n")
        assert info_text(app, "seedbox").startswith("disabled")


async def test_typing_q_in_the_filter_does_not_quit() -> None:
    link = RecordedLink()
    app = make(link)
    async with app.run_test(size=(120, 40)) as pilot:
        app.drain()
        await pilot.press("slash", *"sequel")
        await pilot.pause()
        assert app.is_running and not link.stopped
        assert app.query_one("#filter").value == "sequel"
        await pilot.press("escape", "q")  # outside a text field, q quits
        await pilot.pause()
        assert not app.is_running


async def test_no_color_is_honoured(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    app = make(RecordedLink())
    async with app.run_test(size=(100, 30)) as pilot:
        app.drain()
        await pilot.pause()
        assert app.no_color
        svg = app.export_screenshot()
    # The instance states are still told apart in words, not only by colour.
    assert "up" in svg and "down" in svg and "disabled" in svg
