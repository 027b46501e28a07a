"""Snapshots of every view at 80×24 and 120×40, from a recorded stream with a frozen clock.

Update after an intended change with `pytest tests/tui --snapshot-update`, then look at the
report (or `qbitrr-tui screenshot`) before committing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from textual.pilot import Pilot

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
