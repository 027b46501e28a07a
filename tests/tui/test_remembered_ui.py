"""[UI] in the config: the column chooser, the sort, the last view and the theme are written
back to the file (the rest of it kept, comments included) and applied at the next start."""

from __future__ import annotations

from pathlib import Path

import pytest

from qbitrr_tui.config import load_config
from qbitrr_tui.tui.app import QbitrrApp, make_app
from qbitrr_tui.tui.screens.column_choice import ColumnChoiceScreen
from qbitrr_tui.tui.screens.sort_choice import SortChoiceScreen
from qbitrr_tui.tui.widgets.torrent_table import TorrentTable
from tests.tui.recorded import RecordedLink, stream


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        "# my config\n[Settings]\nDryRun = true\n\n"
        '[qBit]\nHost = "127.0.0.1"\nPort = 8080\n\n'
        + "".join(
            f'[qBit-{name}]\nHost = "127.0.0.1"\nPort = {port}\n\n'
            for name, port in (("seedbox", 8081), ("offsite", 8082), ("cloud", 8083))
        )
    )
    return path


def app_for(path: Path) -> QbitrrApp:
    link = RecordedLink()
    link.feed(stream())
    return make_app(load_config(path, env={}), link, watch_terminal=False, preferences=None)


def shown(app: QbitrrApp) -> list[str]:
    return [key for key, _, _ in app.query_one(TorrentTable).layout_columns]


async def test_chosen_columns_sort_view_and_theme_are_kept_in_the_config(
    config_file: Path,
) -> None:
    app = app_for(config_file)
    async with app.run_test(size=(160, 40)) as pilot:
        app.drain()
        await pilot.press("2")
        assert "down" not in shown(app)
        await pilot.press("f2")
        assert isinstance(app.screen, ColumnChoiceScreen)
        await pilot.press("down", "down", "space")  # untick State
        for _ in range(5):
            await pilot.press("down")
        await pilot.press("space", "down", "space")  # tick ↓ and ↑
        await pilot.press("enter")
        assert "down" in shown(app) and "up" in shown(app) and "state" not in shown(app)
        await pilot.press("s")
        assert isinstance(app.screen, SortChoiceScreen)
        app.screen.dismiss("size")
        await pilot.pause()
        await pilot.press("s")
        app.screen.dismiss("size")  # again: reversed
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()
    text = config_file.read_text()
    assert text.startswith("# my config\n")  # the rest of the file is kept
    config = load_config(config_file, env={})
    assert "state" not in config.ui.columns and {"down", "up"} <= set(config.ui.columns)
    assert (config.ui.sort, config.ui.view, config.ui.theme) == ("-size", "torrents", "nord")

    again = app_for(config_file)
    async with again.run_test(size=(160, 40)) as pilot:
        again.drain()
        await pilot.pause()
        table = again.query_one(TorrentTable)
        assert again.query_one("#views").current == "torrents"  # type: ignore[attr-defined]
        assert "down" in shown(again) and "state" not in shown(again)
        assert (table.sort_columns[0], table.sort_reverse) == ("size", True)
        assert again.theme == "nord"


async def test_a_config_that_cannot_be_written_is_one_warning(config_file: Path) -> None:
    app = app_for(config_file)
    async with app.run_test(size=(120, 40)) as pilot:
        app.drain()
        config_file.write_text("[Settings\n")  # broken behind the dashboard's back
        await pilot.press("3")
        await pilot.pause()
        warnings = [str(n.message) for n in app._notifications if n.severity == "warning"]
        assert any(w.startswith(f"[UI] not saved in {config_file}: ") for w in warnings)
    assert config_file.read_text() == "[Settings\n"
