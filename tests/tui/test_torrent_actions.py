"""Details on enter and the torrent actions (issue 18): the command each key sends, the
question a destructive one asks, marks, copying, the palette, and the engine's answers."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

from qbitrr_tui.config import Config
from qbitrr_tui.config.model import UISettings
from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.events import ManualKind
from qbitrr_tui.engine.model import Action, ActionKind
from qbitrr_tui.tui.app import QbitrrApp
from qbitrr_tui.tui.screens.confirm import ConfirmScreen
from qbitrr_tui.tui.screens.details import DetailsScreen
from qbitrr_tui.tui.screens.help import HelpScreen
from qbitrr_tui.tui.screens.prompt import PromptScreen
from qbitrr_tui.tui.torrent_commands import COMMANDS
from qbitrr_tui.tui.widgets.torrent_table import TorrentTable
from tests.tui.recorded import NOW, RecordedLink
from tests.tui.test_app import make
from tests.unit.rule_helpers import SETTINGS

DETAILS_FILES = (
    ev.FileDetail(0, "Movie/movie.mkv", 2_000_000_000, 0.42, 1),
    ev.FileDetail(1, "Movie/sample.exe", 1_000, 0.0, 0),
)


JOURNAL = (
    ev.JournalLine(NOW - 600, NOW - 590, "blocklist in Radarr-Movies", "confirmed", 1),
    ev.JournalLine(
        NOW - 300,
        NOW - 60,
        "import into Radarr-Movies",
        "failed: timed out; retrying at 12:05:00",
        3,
    ),
)


def plain(renderable: object) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def toasts(app: QbitrrApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def highlighted(app: QbitrrApp) -> tuple[str, str]:
    key = app.query_one(TorrentTable).highlighted_key()
    assert key is not None
    return key


@asynccontextmanager
async def on_torrents(
    link: RecordedLink, *, dry_run: bool = True
) -> AsyncIterator[tuple[QbitrrApp, Pilot[None], tuple[str, str]]]:
    """The app on view 2, drained, the first torrent highlighted, the commands so far read."""
    app = make(link, dry_run=dry_run)
    async with app.run_test(size=(100, 30)) as pilot:
        app.drain()
        await pilot.press("2")
        key = highlighted(app)
        link.sent()
        yield app, pilot, key


def manual(link: RecordedLink) -> list[ev.ManualAction]:
    return [c for c in link.sent() if isinstance(c, ev.ManualAction)]


def details_for(key: tuple[str, str], name: str) -> ev.TorrentDetails:
    return ev.TorrentDetails(
        key,
        name,
        general=(("Name", name), ("Hash", key[1]), ("Save path", "/downloads/radarr")),
        decision=(("Rule", "ok"), ("Reason", "downloading 42%, ETA 12m"), ("MaximumETA", "1w")),
        files=DETAILS_FILES,
        trackers=(ev.TrackerDetail("udp://tracker.example:1337", "working", "", 12, 3),),
        arr=(("Arr", "Radarr-Movies"), ("Title", "Big Buck Bunny"), ("Status", "downloading")),
        journal=JOURNAL,
    )


async def test_enter_opens_the_details_and_asks_the_engine_for_that_torrent_only() -> None:
    link = RecordedLink()
    async with on_torrents(link) as (app, pilot, key):
        await pilot.press("enter")
        assert isinstance(app.screen, DetailsScreen) and app.screen.key == key
        assert link.sent() == [ev.RequestDetails(key)]
        name = app.model.torrents[key].name
        link.feed([details_for(key, name)])
        app.drain()
        await pilot.pause()
        files = plain(app.screen.query_one("#body-files", Static).content)
        assert "Movie/movie.mkv" in files and "skip" in files
        trackers = plain(app.screen.query_one("#body-trackers", Static).content)
        assert "udp://tracker.example:1337" in trackers
        await pilot.press("escape")
        assert not isinstance(app.screen, DetailsScreen) and app.is_running


SIMPLE = [
    c
    for c in COMMANDS
    if c.kind
    in (
        ManualKind.PAUSE,
        ManualKind.RESUME,
        ManualKind.RECHECK,
        ManualKind.REANNOUNCE,
        ManualKind.PROTECT,
        ManualKind.IMPORT,
    )
]


@pytest.mark.parametrize("command", SIMPLE, ids=[c.id for c in SIMPLE])
async def test_each_plain_action_sends_its_command_at_once(command) -> None:  # type: ignore[no-untyped-def]
    link = RecordedLink()
    async with on_torrents(link) as (app, pilot, key):
        await pilot.press(command.key)
        assert manual(link) == [ev.ManualAction((key,), command.kind)]
        assert any("dry-run: planned only" in t for t in toasts(app))


DESTRUCTIVE = [
    c
    for c in COMMANDS
    if c.kind
    in (
        ManualKind.REMOVE,
        ManualKind.BLOCKLIST_SEARCH,
        ManualKind.UNPROTECT,
    )
]


@pytest.mark.parametrize("command", DESTRUCTIVE, ids=[c.id for c in DESTRUCTIVE])
async def test_destructive_actions_ask_naming_torrents_instances_and_steps(command) -> None:  # type: ignore[no-untyped-def]
    link = RecordedLink()
    async with on_torrents(link) as (app, pilot, key):
        row = app.model.torrents[key]
        link.sent()
        await pilot.press(command.key)
        assert isinstance(app.screen, ConfirmScreen)
        question = app.screen.question
        assert row.name in question and f"({row.instance})" in question
        assert "Steps, per torrent:" in question and "1. " in question
        assert "Dry-run is on: the engine will record this as planned" in question
        await pilot.press("n")
        assert manual(link) == []
        await pilot.press(command.key, "y")
        assert manual(link) == [ev.ManualAction((key,), command.kind)]


async def test_blocklist_names_every_step() -> None:
    async with on_torrents(RecordedLink(), dry_run=False) as (app, pilot, _):
        await pilot.press("x")
        question = app.screen.question  # type: ignore[attr-defined]
        assert "blocklist the release" in question and "search for the media again" in question
        assert "This is done for real." in question


@pytest.mark.parametrize(
    ("bin_on", "move", "said"),
    [
        (False, False, "2. delete the torrent and its files from qBittorrent"),
        (True, False, "its .torrent stays in the recycle bin for 3 day(s) (b: restore"),
        (True, True, "its files move into the recycle bin for 3 day(s) (b: restore)"),
    ],
)
async def test_the_question_says_where_the_files_go(bin_on: bool, move: bool, said: str) -> None:
    settings = replace(SETTINGS, recycle_bin=bin_on, recycle_bin_days=3, recycle_bin_move_data=move)
    async with on_torrents(RecordedLink(), dry_run=False) as (app, pilot, _):
        app.config = Config(None, settings)
        await pilot.press("x")
        question = app.screen.question  # type: ignore[attr-defined]
        assert said in question
        assert "Files another torrent also uses (a cross-seed) are kept." in question
        await pilot.press("n")
        await pilot.press("X")
        question = app.screen.question  # type: ignore[attr-defined]
        assert said.split(". ", 1)[-1] in question and "(no blocklisting)" in question


async def test_marked_torrents_are_acted_on_together_and_unmarked_after() -> None:
    link = RecordedLink()
    async with on_torrents(link) as (app, pilot, first):
        await pilot.press("space")
        second = highlighted(app)
        await pilot.press("space")
        assert app.query_one(TorrentTable).marked == {first, second}
        await pilot.press("K")
        (sent,) = manual(link)
        assert set(sent.keys) == {first, second} and sent.kind is ManualKind.RECHECK
        assert app.query_one(TorrentTable).marked == set()


async def test_change_category_asks_for_the_name() -> None:
    link = RecordedLink()
    async with on_torrents(link) as (app, pilot, key):
        await pilot.press("C")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("ctrl+u", *"radarr-done", "enter")
        assert manual(link) == [ev.ManualAction((key,), ManualKind.SET_CATEGORY, "radarr-done")]


async def test_copy_hash_and_name_use_the_clipboard(monkeypatch: pytest.MonkeyPatch) -> None:
    link = RecordedLink()
    copied: list[str] = []
    monkeypatch.setattr(QbitrrApp, "copy_to_clipboard", lambda self, text: copied.append(text))
    async with on_torrents(link) as (app, pilot, key):
        await pilot.press("y", "Y")
        assert copied == [key[1], app.model.torrents[key].name]
        assert manual(link) == []  # copying is the dashboard's own: no command


async def test_actions_work_from_the_details_on_that_torrent() -> None:
    link = RecordedLink()
    async with on_torrents(link) as (app, pilot, _):
        await pilot.press("j")
        key = highlighted(app)
        await pilot.press("enter")
        link.sent()
        await pilot.press("P")
        assert manual(link) == [ev.ManualAction((key,), ManualKind.PAUSE)]


async def test_the_outcome_is_told_and_shows_in_the_history() -> None:
    link = RecordedLink()
    async with on_torrents(link) as (app, pilot, key):
        await pilot.press("enter")
        name = app.model.torrents[key].name
        link.feed(
            [
                ev.ActionEvent(
                    NOW,
                    key[0],
                    key[1],
                    name,
                    Action(ActionKind.PAUSE),
                    "manual",
                    "asked from the dashboard",
                    "planned",
                    True,
                )
            ]
        )
        app.drain()
        await pilot.pause()
        assert any(f"planned pause: {name}" in t for t in toasts(app))
        history = plain(app.screen.query_one("#body-history", Static).content)
        assert "planned" in history and "pause" in history
        link.feed([details_for(key, name)])
        app.drain()
        await pilot.pause()
        history = plain(app.screen.query_one("#body-history", Static).content)
        assert "blocklist in Radarr-Movies" in history and "confirmed" in history
        assert "failed: timed out; retrying at 12:05:00 (sent 3×)" in history
        # an action on the open torrent reads its details (and journal) again
        assert link.sent()[-1] == ev.RequestDetails(key)


async def test_the_palette_offers_every_torrent_action() -> None:
    app = make(RecordedLink())
    async with app.run_test(size=(100, 30)):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for command in COMMANDS:
            assert f"{command.title} ({command.key})" in titles
        assert "Torrent details (enter)" in titles


async def test_the_problems_filter_shows_only_what_needs_a_human() -> None:
    app = make(RecordedLink())
    async with app.run_test(size=(100, 30)) as pilot:
        app.drain()
        app.action_show_problems()
        await pilot.pause()
        shown = {app.model.torrents[k].rule for k in app.query_one(TorrentTable).keys}
        assert shown and shown <= {"stalled", "slow", "errored", "missing_files"}


def test_every_dashboard_binding_id_is_accepted_by_keys_in_the_config() -> None:
    """The app's own bindings and the torrent actions (on the table and in the details):
    each id can be remapped in [Keys], all at once, without a clash."""
    from pathlib import Path
    from string import ascii_lowercase

    from qbitrr_tui.config.load import parse_config
    from qbitrr_tui.tui.widgets.torrents_view import TorrentsView

    torrent = [*DetailsScreen.BINDINGS, *TorrentsView.BINDINGS]
    ids = sorted(
        {b.id for b in QbitrrApp.BINDINGS if not isinstance(b, tuple) and b.id}
        | {
            b.id
            for b in torrent
            if not isinstance(b, tuple) and b.id and b.id.startswith("torrent.")
        }
    )
    assert {c.id for c in COMMANDS} <= set(ids) and "rescan" in ids
    keys = [f"{mod}+{c}" for mod in ("alt", "ctrl") for c in ascii_lowercase]
    text = "[Keys]\n" + "".join(f'"{i}" = "{k}"\n' for i, k in zip(ids, keys, strict=False))
    config = parse_config(text, Path("c.toml"), {})
    assert sorted(dict(config.keys)) == ids


async def test_a_torrent_action_can_be_remapped_from_the_config() -> None:
    link = RecordedLink()
    app = make(link, keymap={"torrent.pause": "f6"})
    async with app.run_test(size=(100, 30)) as pilot:
        app.drain()
        await pilot.press("2")
        key = highlighted(app)
        link.sent()
        await pilot.press("P")
        assert manual(link) == []
        await pilot.press("f6")
        assert manual(link) == [ev.ManualAction((key,), ManualKind.PAUSE)]
        await pilot.press("question_mark")  # the help names the key the user chose
        assert isinstance(app.screen, HelpScreen)
        said = " ".join(plain(s.content) for s in app.screen.query(Static).results())
        assert "f6 U" in said and "P U" not in said, said


async def test_a_refused_blocklisting_and_a_failed_import_are_toasts_and_ring_the_bell() -> None:
    link = RecordedLink()
    async with on_torrents(link) as (app, pilot, key):
        app.config = Config(path=None, settings=SETTINGS, ui=replace(UISettings(), bell=True))
        rang: list[bool] = []
        app.bell = lambda: rang.append(True)  # type: ignore[method-assign]
        name = app.model.torrents[key].name

        def failed(kind: ActionKind, rule: str, error: str) -> ev.ActionEvent:
            action = Action(kind, arr="Radarr-Movies")
            return ev.ActionEvent(
                NOW, key[0], key[1], name, action, rule, "", "failed", False, error
            )

        link.feed(
            [
                failed(ActionKind.BLOCKLIST, "stalled", "HTTP 500"),
                failed(ActionKind.IMPORT, "import", "path not found"),
                failed(ActionKind.IMPORT, "manual", "told by its own toast"),
            ]
        )
        app.drain()
        await pilot.pause()
        said = toasts(app)
        assert any(
            t.startswith("Radarr-Movies refused to blocklist 1 torrent(s):") and "HTTP 500" in t
            for t in said
        )
        assert any(
            t.startswith("Radarr-Movies could not import 1 torrent(s):") and "path not found" in t
            for t in said
        )
        assert rang == [True]  # once per drain


async def test_limits_are_asked_on_one_line_and_bad_input_is_one_clear_line() -> None:
    link = RecordedLink()
    async with on_torrents(link) as (app, pilot, key):
        await pilot.press("L")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"ratio=lots", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)  # asked again, with what was typed
        assert any("ratio=lots: expected a number" in t for t in toasts(app))
        assert manual(link) == []
        answer = app.screen.query_one("#answer")
        answer.value = "ratio=2 up=1M"  # type: ignore[attr-defined]
        await pilot.press("enter")
        limits = ev.Limits(ratio=2.0, upload=1024**2)
        assert manual(link) == [ev.ManualAction((key,), ManualKind.SET_LIMITS, limits=limits)]
