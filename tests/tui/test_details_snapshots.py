"""Snapshots of each tab of a torrent's details, at 80×24 and 120×40, with the engine's
answer fed in (frozen clock and zone, as in test_snapshots.py)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.model import Action, ActionKind
from qbitrr_tui.tui.screens.details import TABS
from qbitrr_tui.tui.widgets.torrent_table import TorrentTable
from tests.tui.recorded import NOW, RecordedLink
from tests.tui.test_app import make
from tests.tui.test_snapshots import utc  # noqa: F401 (the fixture: local times in UTC)
from tests.tui.test_torrent_actions import details_for


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("tab", TABS)
def test_details_tab(snap_compare, tab: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    link = RecordedLink()
    app = make(link)

    async def run_before(pilot: Pilot[None]) -> None:
        app.drain()
        await pilot.press("2")
        key = app.query_one(TorrentTable).highlighted_key()
        assert key is not None
        name = app.model.torrents[key].name
        await pilot.press("enter")
        link.feed(
            [
                details_for(key, name),
                ev.ActionEvent(
                    NOW,
                    key[0],
                    key[1],
                    name,
                    Action(ActionKind.REANNOUNCE),
                    "manual",
                    "asked from the dashboard",
                    "applied",
                    False,
                ),
            ]
        )
        app.drain()
        app.clear_notifications()
        await pilot.press(*["right"] * TABS.index(tab))
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
