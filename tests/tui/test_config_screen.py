"""The config screen: validated as you type, masked secrets, add and save, live reload."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from qbitrr_tui.config import load_config
from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.loop import Engine
from qbitrr_tui.sandbox import versions
from qbitrr_tui.sandbox.configs import sandbox_config
from qbitrr_tui.sandbox.qbit import QbitProcess
from qbitrr_tui.tui.app import QbitrrApp, make_app
from qbitrr_tui.tui.screens.config_screen import ConfigScreen
from qbitrr_tui.tui.screens.confirm import ConfirmScreen
from tests.tui.recorded import RecordedLink

SECRET = "hunter2-very-secret"


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        "# my config\n[Settings]\nDryRun = true\nLoopSleepTimer = 5\n\n"
        f'[qBit]\nHost = "127.0.0.1"\nPort = 8080\nUserName = "admin"\nPassword = "{SECRET}"\n'
    )
    return path


def app_for(path: Path, link: RecordedLink | None = None) -> QbitrrApp:
    return make_app(load_config(path, env={}), link or RecordedLink(), watch_terminal=False)


async def open_section(pilot, app: QbitrrApp, section: str) -> ConfigScreen:  # type: ignore[no-untyped-def]
    await pilot.press("c")
    screen = app.screen
    assert isinstance(screen, ConfigScreen)
    options = screen.query_one("#sections")
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    options.highlighted = ids.index(section)
    await pilot.pause()
    return screen


async def test_invalid_port_shows_the_error_and_blocks_save(config_file: Path) -> None:
    before = config_file.read_text()
    app = app_for(config_file)
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await open_section(pilot, app, "qBit")
        port = screen.query_one("#field-Port")
        port.value = "99999"
        await pilot.pause()
        error = str(screen.query_one("#error-Port").content)
        assert error == "✗ found 99999, expected an integer from 1 to 65535"
        await pilot.press("ctrl+s")
        assert config_file.read_text() == before  # refused
        assert "saving is disabled" in str(screen.query_one("#config-status").content)
        port.value = "8090"
        await pilot.pause()
        assert str(screen.query_one("#error-Port").content) == ""
        await pilot.press("ctrl+s")
        assert "Port = 8090" in config_file.read_text()


async def test_secrets_are_masked_until_revealed(config_file: Path) -> None:
    app = app_for(config_file)
    async with app.run_test(size=(110, 40)) as pilot:
        await open_section(pilot, app, "qBit")
        assert SECRET not in app.export_screenshot()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert SECRET in app.export_screenshot()  # the check above can fail
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert SECRET not in app.export_screenshot()


async def test_add_an_instance_and_save(config_file: Path) -> None:
    link = RecordedLink()
    app = app_for(config_file, link)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("c", "f3")
        await pilot.press(*"new", "enter")
        screen = app.screen
        assert isinstance(screen, ConfigScreen) and screen.current.id == "qBit-new"
        screen.query_one("#field-Port").value = "9091"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [c for c in link.sent() if isinstance(c, ev.ReloadConfig)] == [ev.ReloadConfig()]
        text = config_file.read_text()
        assert "# my config" in text and "[qBit-new]" in text and "Port = 9091" in text
        assert [i.name for i in load_config(config_file, env={}).instances] == ["default", "new"]
        assert (config_file.parent / "config.toml.bak").exists()


async def test_leaving_with_unsaved_changes_asks(config_file: Path) -> None:
    app = app_for(config_file)
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await open_section(pilot, app, "Settings")
        screen.query_one("#field-LoopSleepTimer").value = "9"
        await pilot.pause()
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app.screen is screen
        await pilot.press("escape", "y")
        assert not isinstance(app.screen, ConfigScreen)
    assert "LoopSleepTimer = 5" in config_file.read_text()  # nothing written


@pytest.mark.integration
async def test_saved_instance_is_connected_without_restart(
    qbits: dict[str, QbitProcess],
    tmp_path: Path,
    qbittorrent_release: versions.Binary,
) -> None:
    path = tmp_path / "c.toml"
    config = sandbox_config(
        path,
        {"default": qbits["default"]},
        data_folder=tmp_path / "d",
        settings={"LoopSleepTimer": 60},
    )
    engine = Engine(config)
    app = make_app(config, engine, watch_terminal=False)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("c", "f3", *"cloud", "enter")
        screen = app.screen
        assert isinstance(screen, ConfigScreen)
        screen.query_one("#field-Host").value = "127.0.0.1"
        screen.query_one("#field-Port").value = str(qbits["cloud"].webui_port)
        screen.query_one("#field-Password").value = qbits["cloud"].password
        await pilot.pause()
        await pilot.press("f5")  # test connection, in a worker
        deadline = time.monotonic() + 15
        result = screen.query_one("#test-result")
        while time.monotonic() < deadline and "connected" not in str(result.content):
            await pilot.pause(0.2)
        assert f"connected: qBittorrent v{qbittorrent_release.version}" in str(result.content)
        await pilot.press("ctrl+s", "escape")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            await pilot.pause(0.3)
            health = app.model.instances.get("cloud")
            if health and health.health and health.health.is_up:
                break
        assert app.model.instances["cloud"].health.is_up  # type: ignore[union-attr]
        assert engine.manager.names() == ["default", "cloud"]
        assert app.query_one("#instance-cloud")  # the dashboard shows the new panel


async def test_web_api_section_edits_masks_its_token_and_cannot_be_renamed(
    config_file: Path,
) -> None:
    app = app_for(config_file)
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await open_section(pilot, app, "WebAPI")
        screen.query_one("#field-Token").value = "api-token-9876"
        screen.query_one("#field-Port").value = "7001"
        await pilot.pause()
        assert "api-token-9876" not in app.export_screenshot()
        await pilot.press("f2")  # rename: refused for a fixed section
        await pilot.pause()
        assert isinstance(app.screen, ConfigScreen) and screen.current.id == "WebAPI"
        await pilot.press("ctrl+s")
        await pilot.pause()
    webapi = load_config(config_file, env={}).webapi
    assert (webapi.port, webapi.token, webapi.enabled) == (7001, "api-token-9876", False)
