"""The config editor driven from the keyboard only: no crash, no lost or reordered edit,
no stale status, no needless write (issue 17, D1 D2 D4 D9 D10)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events

from qbitrr_tui.tui.app import QbitrrApp
from qbitrr_tui.tui.screens.config_screen import ConfigScreen
from qbitrr_tui.tui.screens.confirm import ConfirmScreen
from qbitrr_tui.tui.screens.prompt import PromptScreen
from tests.tui.test_config_screen import app_for

THREE = (
    "# mine\n[Settings]\nDryRun = true\nLoopSleepTimer = 5\n\n"
    '[qBit]\nHost = "127.0.0.1"\nPort = 8080\n\n'
    '[qBit-two]\nHost = "127.0.0.1"\nPort = 8081\n\n'
    '[Radarr-Movies]\nURI = "http://127.0.0.1:7878"\nAPIKey = "k"\nCategory = "radarr"\n'
)


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(THREE)
    return path


def editor(app: QbitrrApp) -> ConfigScreen:
    assert isinstance(app.screen, ConfigScreen), type(app.screen).__name__
    return app.screen


def question(app: QbitrrApp) -> str:
    return str(app.screen.query_one("#question").content)


async def test_arrow_keys_visit_every_section_without_a_crash(config_file: Path) -> None:
    app = app_for(config_file)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("c")
        screen = editor(app)
        count = screen.query_one("#sections").option_count
        seen = [screen.current.id]
        for _ in range(count - 1):
            await pilot.press("down")
            await pilot.pause()
            seen.append(editor(app).current.id)
        assert len(set(seen)) == count  # every section reached, two with a Test row in a row
        await pilot.press(*["up"] * (count - 1))  # as fast as keys come
        await pilot.pause()
        assert editor(app).current.id == "Settings"
        assert screen.query_one("#field-LoopSleepTimer")
        assert app.is_running


async def test_f6_then_f2_rename_keep_the_editor_alive_and_name_the_section(
    config_file: Path,
) -> None:
    app = app_for(config_file)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("c", "down", "down")  # Settings, WebAPI, qBit
        await pilot.pause()
        screen = editor(app)
        assert screen.current.id == "qBit"
        await pilot.press("f6")  # off: the form is rebuilt in place
        await pilot.pause()
        assert "(disabled)" in str(screen.query_one("#sections").get_option_at_index(2).prompt)
        await pilot.press("f2")
        assert isinstance(app.screen, PromptScreen)
        assert question(app) == "New name for [qBit]:"  # markup used to eat "[qBit]"
        await pilot.press(*"-box", "enter")  # the cursor is at the end: this appends
        await pilot.pause()
        assert editor(app).current.id == "qBit-box"
        await pilot.press("f8")
        assert question(app) == "Remove [qBit-box] from the file?"
        await pilot.press("y")
        await pilot.pause()
        assert editor(app).current.id in ("Settings", "WebAPI")  # the section before it
    assert "[qBit-box]" not in config_file.read_text()  # nothing saved


async def test_keys_typed_in_a_burst_apply_in_order(config_file: Path) -> None:
    """⌫ then letters, all queued before the app runs any: ``3`` ⌫ ``abc`` is ``abc``."""
    app = app_for(config_file)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("c")
        field = editor(app).query_one("#field-LoopSleepTimer")
        field.focus()
        await pilot.press("end", "ctrl+u", "3")
        await pilot.pause()
        for key, char in (("backspace", None), ("a", "a"), ("b", "b"), ("c", "c")):
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()
        assert field.value == "abc"
        assert "✗" in str(editor(app).query_one("#error-LoopSleepTimer").content)


async def test_q_closes_dialogs_and_asks_before_leaving_unsaved_edits(config_file: Path) -> None:
    app = app_for(config_file)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("c")
        screen = editor(app)
        screen.query_one("#field-LoopSleepTimer").value = "9"
        await pilot.pause()
        screen.query_one("#sections").focus()
        await pilot.press("q")  # not in a text field: q means "leave", which asks
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("q")  # q in a dialog answers no: still editing
        assert app.screen is screen and app.is_running
        await pilot.press("question_mark")
        assert app.screen is screen  # the dashboard's keys are off in the editor
        await pilot.press("escape", "y")
        assert not isinstance(app.screen, ConfigScreen)
        await pilot.press("c")
        editor(app).query_one("#sections").focus()
        await pilot.press("q")  # no changes: q leaves at once
        assert not isinstance(app.screen, ConfigScreen) and app.is_running
    assert "LoopSleepTimer = 5" in config_file.read_text()


async def test_status_lists_every_problem_live_and_forgets_removed_sections(
    config_file: Path,
) -> None:
    app = app_for(config_file)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("c", "f4", "ctrl+u", *"Radarr-4K", "enter")
        await pilot.pause()
        await pilot.press("f4", "ctrl+u", *"Sonarr-TV", "enter")
        await pilot.pause()
        status = str(editor(app).query_one("#config-status").content)
        assert "2 problem(s)" in status  # both, before any save
        assert "[Radarr-4K] APIKey" in status and "[Sonarr-TV] APIKey" in status
        for _ in range(2):
            await pilot.press("f8", "y")
            await pilot.pause()
            if editor(app).current.id == "Settings":
                await pilot.press("up")  # the last section is the newest Arr's last table
                await pilot.pause()
        status = str(editor(app).query_one("#config-status").content)
        assert "APIKey" not in status


async def test_a_save_with_nothing_changed_writes_nothing(config_file: Path) -> None:
    app = app_for(config_file)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("c", "f4", "ctrl+u", *"Radarr-4K", "enter")
        await pilot.pause()
        await pilot.press("f8", "y")  # added then removed: the same file
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "No changes" in str(editor(app).query_one("#config-status").content)
    assert config_file.read_text() == THREE
    assert not (config_file.parent / "config.toml.bak").exists()


async def test_an_invalid_entry_survives_a_visit_to_another_section(config_file: Path) -> None:
    app = app_for(config_file)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("c")
        screen = editor(app)
        screen.query_one("#field-LoopSleepTimer").value = "15x"
        await pilot.pause()
        screen.query_one("#sections").focus()
        await pilot.press("down", "up")
        await pilot.pause()
        assert screen.query_one("#field-LoopSleepTimer").value == "15x"
        assert "✗" in str(screen.query_one("#error-LoopSleepTimer").content)
        await pilot.press("ctrl+s")
        assert "saving is disabled" in str(screen.query_one("#config-status").content)
    assert config_file.read_text() == THREE
