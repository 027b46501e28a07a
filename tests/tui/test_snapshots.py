"""Snapshots of every view at 80×24 and 120×40, from a recorded stream with a frozen clock.

Update after an intended change with `pytest tests/tui --snapshot-update`, then look at the
report (or `qbitrr-tui screenshot`) before committing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from qbitrr_tui.tui.app import QbitrrApp
from qbitrr_tui.tui.format import use_colour
from tests.tui.recorded import RecordedLink
from tests.tui.test_app import make


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Activity times are local times: freeze the zone too."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize(
    "view", ["1", "2", "3", "4"], ids=["instances", "torrents", "activity", "plan"]
)
def test_view(snap_compare, view: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = make(RecordedLink())

    async def run_before(pilot: Pilot[None]) -> None:
        app.drain()
        await pilot.press(view)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def _app_with_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> QbitrrApp:
    monkeypatch.chdir(tmp_path)  # the editor's title shows the path: keep it the same
    path = Path("config.toml")
    path.write_text(
        "[Settings]\nDryRun = true\nLoopSleepTimer = 5\n\n"
        '[qBit]\nHost = "127.0.0.1"\nPort = 8080\nUserName = "admin"\nPassword = "x"\n\n'
        '[Radarr-Movies]\nURI = "http://127.0.0.1:7878"\nAPIKey = "k"\nCategory = "radarr"\n'
    )
    app = make(RecordedLink())
    app.config_path = str(path)
    return app


# Screens beyond the four views: each pressed into from the dashboard, frozen as above.
SCENES = {
    "help-torrents": ["2", "question_mark"],
    "confirm-dry-run-off": ["d"],
    "plan-marked": ["4", "space"],
    "filter-open": ["2", "slash", *"state:stalled !pioneer", "enter"],  # no blinking cursor
    "filter-error": ["2", "slash", *"state:foo", "enter"],
    "grouped": ["2", "v"],
    "sort-choice": ["2", "s"],
    "column-choice": ["2", "f2"],
}


@pytest.mark.parametrize("scene", list(SCENES))
def test_scene(snap_compare, scene: str) -> None:  # type: ignore[no-untyped-def]
    app = make(RecordedLink())

    async def run_before(pilot: Pilot[None]) -> None:
        app.drain()
        await pilot.press(*SCENES[scene])
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


@pytest.mark.parametrize("view", ["1", "2"], ids=["instances", "torrents"])
def test_wide_200x60(snap_compare, view: str) -> None:  # type: ignore[no-untyped-def]
    app = make(RecordedLink())

    async def run_before(pilot: Pilot[None]) -> None:
        app.drain()
        await pilot.press(view)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(200, 60), run_before=run_before)


@pytest.mark.parametrize("view", ["1", "2"], ids=["instances", "torrents"])
def test_no_color(snap_compare, monkeypatch: pytest.MonkeyPatch, view: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    app = make(RecordedLink())

    async def run_before(pilot: Pilot[None]) -> None:
        app.drain()
        await pilot.press(view)
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)
    finally:
        use_colour(True)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_config_editor(  # type: ignore[no-untyped-def]
    snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    app = _app_with_config(tmp_path, monkeypatch)

    async def run_before(pilot: Pilot[None]) -> None:
        app.drain()
        await pilot.press("c", "down", "down")  # Settings, WebAPI, qBit
        await pilot.pause()
        app.screen.query_one("#field-Port").value = "99999"  # an error shows beside it
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_every_column_chosen(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """↓/↑, seeds/peers, added and tracker as the width allows (f2, then enter)."""
    from qbitrr_tui.tui.columns import TORRENT_COLUMNS
    from qbitrr_tui.tui.widgets.torrent_table import TorrentTable

    app = make(RecordedLink())

    async def run_before(pilot: Pilot[None]) -> None:
        app.drain()
        await pilot.press("2")
        app.query_one(TorrentTable).choose_columns(tuple(TORRENT_COLUMNS))
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
