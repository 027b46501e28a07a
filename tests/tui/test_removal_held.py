"""A removal by hand the engine kept because the torrent still owes its tracker: the
dashboard says what is owed and removes it only if asked again (no by default)."""

from __future__ import annotations

from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.events import ManualKind
from qbitrr_tui.engine.model import Action, ActionKind
from qbitrr_tui.tui.screens.confirm import ConfirmScreen
from tests.tui.recorded import NOW, RecordedLink
from tests.tui.test_torrent_actions import manual, on_torrents, toasts

OWED = "HnR: ratio 0.40/1.00"


def kept(key: tuple[str, str], name: str) -> list[ev.Event]:
    """What the engine says when it keeps the removal: the refusal and the question."""
    refusal = ev.ActionEvent(
        NOW,
        key[0],
        key[1],
        name,
        Action(ActionKind.DELETE),
        "manual",
        "asked from the dashboard",
        "failed",
        False,
        f"remove not done: held, it still owes its tracker: {OWED}",
    )
    return [refusal, ev.RemovalHeld(ManualKind.REMOVE, (key,), (name,), (OWED,))]


async def test_a_kept_removal_says_what_is_owed_and_goes_only_when_asked_again() -> None:
    link = RecordedLink()
    async with on_torrents(link, dry_run=False) as (app, pilot, key):
        row = app.model.torrents[key]
        await pilot.press("X", "y")
        assert manual(link) == [ev.ManualAction((key,), ManualKind.REMOVE)]
        link.feed(kept(key, row.name))
        app.drain()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        question = app.screen.question
        assert f"{row.name}  ({row.instance}): {OWED}" in question
        assert "still owe their tracker" in question and "Remove them anyway?" in question
        assert not any("failed" in t for t in toasts(app))  # asked, not also a toast
        await pilot.press("enter")  # the focused button is No
        assert manual(link) == []
        link.feed(kept(key, row.name))
        app.drain()
        await pilot.pause()
        await pilot.press("y")
        assert manual(link) == [ev.ManualAction((key,), ManualKind.REMOVE, anyway=True)]
