"""Instance names the config accepts work in the dashboard too: non-ASCII letters and names
that differ only in punctuation crashed it (widget ids were built from names; issue 15)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from qbitrr_tui.engine import events as ev
from qbitrr_tui.health import HealthState
from qbitrr_tui.tui.app import QbitrrApp
from qbitrr_tui.tui.widgets.instance_panel import InstancePanel, css_id
from tests.tui.recorded import RecordedLink, health

NAMES = ["日本", "café", "a.b", "a_b", "a-b", "default"]
TEXTUAL_ID = re.compile(r"[A-Za-z_\-][A-Za-z0-9_\-]*")


@given(st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=8, unique=True))
def test_widget_ids_are_valid_and_one_to_one(names: list[str]) -> None:
    ids = [f"instance-{css_id(name)}" for name in names]
    assert all(TEXTUAL_ID.fullmatch(i) for i in ids)
    assert len(set(ids)) == len(ids)


async def test_every_name_gets_its_own_panel_and_its_own_updates() -> None:
    link = RecordedLink()
    app = QbitrrApp(
        link,
        instance_names=NAMES,
        arr_names=["Radarr-Movies"],
        dry_run=True,
        watch_terminal=False,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        link.feed([ev.InstanceHealthChanged(health(name, HealthState.UP)) for name in NAMES])
        link.feed([ev.InstanceHealthChanged(health("a.b", HealthState.DOWN, error="refused"))])
        app.drain()
        await pilot.pause()
        panels = {p.instance_name: p for p in app.query(InstancePanel)}
        assert sorted(panels) == sorted(NAMES)
        for name, panel in panels.items():
            first = str(panel.query_one("#info").content).splitlines()[0]
            assert ("down" in first) == (name == "a.b") and "refused" not in first, (name, first)
        await pilot.press("down", "down", "down")  # moving between them crashes nothing
        assert app.is_running
