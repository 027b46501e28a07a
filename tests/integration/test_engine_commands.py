"""The engine thread obeys the dashboard's commands at once, between cycles."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.loop import Engine
from qbitrr_tui.sandbox.arr_server import ArrStandIn
from qbitrr_tui.sandbox.configs import ArrSpec, sandbox_config
from qbitrr_tui.sandbox.qbit import QbitProcess
from tests.support.engine import next_event

pytestmark = pytest.mark.integration


def test_commands_take_effect_at_once(
    qbits: dict[str, QbitProcess],
    arr_factory: Callable[..., ArrStandIn],
    tmp_path: Path,
) -> None:
    radarr = arr_factory("Radarr")
    config = sandbox_config(
        tmp_path / "c.toml",
        {"default": qbits["default"], "seedbox": qbits["seedbox"]},
        arrs=[ArrSpec("Radarr", "Movies", radarr.url, radarr.api_key, "radarr")],
        data_folder=tmp_path / "data",
        settings={"LoopSleepTimer": 300, "DryRun": True},
    )
    engine = Engine(config)
    engine.start()
    try:
        first = next_event(engine, ev.CycleFinished)
        assert first.cycle == 1 and first.dry_run
        assert "radarr" not in qbits["default"].client().torrents_categories()  # dry-run

        started = time.monotonic()
        engine.commands.put(ev.RescanNow())
        second = next_event(engine, ev.CycleFinished)
        assert second.cycle == 2 and time.monotonic() - started < 10  # not after 300 s

        engine.commands.put(ev.SetInstanceEnabled("seedbox", False))
        health = next_event(
            engine, ev.InstanceHealthChanged, where=lambda e: e.health.name == "seedbox"
        )
        assert health.health.state.value == "disabled"
        third = next_event(engine, ev.CycleFinished)
        assert "seedbox" in third.requests_per_instance
        assert third.requests_per_instance["seedbox"] == 0

        engine.commands.put(ev.SetDryRun(False))
        state = next_event(engine, ev.EngineStateChanged)
        assert not state.dry_run and state.message == "dry-run off"
        next_event(engine, ev.CycleFinished)
        assert "radarr" in qbits["default"].client().torrents_categories()  # now it may

        engine.commands.put(ev.SetPaused(True))
        assert next_event(engine, ev.EngineStateChanged).paused
        with pytest.raises(AssertionError):
            next_event(engine, ev.CycleFinished, timeout=1.5)  # paused: no cycle
        engine.commands.put(ev.SetPaused(False))
        assert next_event(engine, ev.CycleFinished).paused is False
    finally:
        engine.stop()
    assert not engine.running


def test_reload_adds_an_instance_without_restart(
    qbits: dict[str, QbitProcess],
    tmp_path: Path,
) -> None:
    path = tmp_path / "c.toml"
    config = sandbox_config(
        path,
        {"default": qbits["default"]},
        data_folder=tmp_path / "d",
        settings={"LoopSleepTimer": 300},
    )
    engine = Engine(config)
    engine.start()
    try:
        next_event(engine, ev.CycleFinished)
        sandbox_config(
            path,
            {"default": qbits["default"], "cloud": qbits["cloud"]},
            data_folder=tmp_path / "d",
            settings={"LoopSleepTimer": 300},
        )
        engine.commands.put(ev.ReloadConfig())
        assert next_event(engine, ev.EngineStateChanged).message == "config reloaded"
        up = next_event(
            engine,
            ev.InstanceHealthChanged,
            where=lambda e: e.health.name == "cloud" and e.health.is_up,
        )
        assert up.health.version
        path.write_text("[qBit]\nPort = 99999\n")
        engine.commands.put(ev.ReloadConfig())
        bad = next_event(engine, ev.EngineStateChanged)
        assert "not reloaded" in bad.message
        assert engine.manager.names() == ["default", "cloud"]  # nothing lost
    finally:
        engine.stop()
