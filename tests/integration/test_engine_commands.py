"""The engine thread obeys the dashboard's commands at once, between cycles."""

from __future__ import annotations

import time

import pytest

from qbitrr_tui.engine import events as ev
from tests.support.engine import next_event
from tests.support.testbed import Testbed, arr_spec, engine_thread

pytestmark = pytest.mark.integration


def test_commands_take_effect_at_once(testbed: Testbed) -> None:
    radarr = testbed.arr("Radarr")
    config = testbed.config(
        "default",
        "seedbox",
        arrs=[arr_spec(radarr, name="Movies")],
        settings={"LoopSleepTimer": 300, "DryRun": True},
    )
    with engine_thread(config) as engine:
        first = next_event(engine, ev.CycleFinished)
        assert first.cycle == 1 and first.dry_run
        assert "radarr" not in testbed.qbits["default"].client().torrents_categories()  # dry-run

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
        assert "radarr" in testbed.qbits["default"].client().torrents_categories()  # now it may

        engine.commands.put(ev.SetPaused(True))
        assert next_event(engine, ev.EngineStateChanged).paused
        with pytest.raises(AssertionError):
            next_event(engine, ev.CycleFinished, timeout=1.5)  # paused: no cycle
        engine.commands.put(ev.SetPaused(False))
        assert next_event(engine, ev.CycleFinished).paused is False
    assert not engine.running


def test_reload_adds_an_instance_without_restart(testbed: Testbed) -> None:
    with engine_thread(testbed.config("default", settings={"LoopSleepTimer": 300})) as engine:
        next_event(engine, ev.CycleFinished)
        testbed.config("default", "cloud", settings={"LoopSleepTimer": 300})  # rewrites the file
        engine.commands.put(ev.ReloadConfig())
        assert next_event(engine, ev.EngineStateChanged).message == "config reloaded"
        up = next_event(
            engine,
            ev.InstanceHealthChanged,
            where=lambda e: e.health.name == "cloud" and e.health.is_up,
        )
        assert up.health.version
        testbed.config_file.write_text("[qBit]\nPort = 99999\n")
        engine.commands.put(ev.ReloadConfig())
        bad = next_event(engine, ev.EngineStateChanged)
        assert "not reloaded" in bad.message
        assert engine.manager.names() == ["default", "cloud"]  # nothing lost
