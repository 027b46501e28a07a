"""The engine's one loop and its commands, with no instance configured (no network)."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from qbitrr_tui.config.model import Config
from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.headless import run_headless
from qbitrr_tui.engine.loop import Engine
from qbitrr_tui.logs import LOGGER_NAME
from tests.unit.rule_helpers import SETTINGS


def config(tmp_path: Path) -> Config:
    return Config(path=None, settings=replace(SETTINGS, data_folder=tmp_path, loop_sleep_timer=0))


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    ticks = itertools.count(1_700_000_000, 100)  # every wait is over at once
    engine = Engine(config(tmp_path), clock=lambda: float(next(ticks)))
    yield engine
    engine.close()


@pytest.fixture
def logged() -> Iterator[list[str]]:
    """The package's log messages (its logger may not propagate: setup_logging)."""
    lines: list[str] = []
    handler = logging.Handler(logging.INFO)
    handler.emit = lambda record: lines.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger(LOGGER_NAME)
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lines
    logger.removeHandler(handler)
    logger.setLevel(level)


def failing_every(n: int) -> Any:
    calls: list[int] = []

    def run_cycle(self: Engine | None = None) -> None:
        calls.append(1)
        if (len(calls) - 1) % n == 0:  # the first, and every n-th after it
            raise RuntimeError("a bug in a cycle")

    run_cycle.calls = calls  # type: ignore[attr-defined]
    return run_cycle


def test_one_bad_cycle_does_not_end_the_loop(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, logged: list[str]
) -> None:
    cycle = failing_every(2)
    monkeypatch.setattr(engine, "run_cycle", cycle)
    ticks: list[int] = []
    assert engine.run(cycles=3, tick=lambda: ticks.append(1)) == 3
    assert len(cycle.calls) == 3
    assert logged.count("engine cycle failed") == 2  # cycles 1 and 3
    assert len(ticks) == 5  # after each cycle and each wait between them


def test_headless_survives_a_bad_cycle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, logged: list[str]
) -> None:
    cycle = failing_every(1)  # every cycle fails
    monkeypatch.setattr(Engine, "run_cycle", cycle)
    assert run_headless(config(tmp_path), cycles=2) == 0
    assert len(cycle.calls) == 2
    assert logged.count("engine cycle failed") == 2
    assert logged[-1] == "engine stopped after 2 cycle(s)"


def test_stop_ends_the_loop(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    def stop_after_one(self: Engine | None = None) -> None:
        engine.handle(ev.Stop())  # as headless's signal handler does

    monkeypatch.setattr(engine, "run_cycle", stop_after_one)
    assert engine.run() == 1 and engine.stopping


def test_a_paused_engine_runs_no_cycle(engine: Engine) -> None:
    assert engine.handle(ev.SetPaused(True)) is False
    waits: list[int] = []

    def wait() -> None:  # the third wait is ended by a Stop
        waits.append(1)
        if len(waits) == 3:
            engine.handle(ev.Stop())

    engine.wait_between_cycles = wait  # type: ignore[method-assign]
    assert engine.run() == 0 and len(waits) == 3
    assert engine.events.get_nowait() == ev.EngineStateChanged(True, False, "engine paused")


def test_approvals_go_to_the_next_cycle_only(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[set[tuple[str, str]]] = []

    def run(config: Config, **kwargs: Any) -> None:
        seen.append(set(kwargs["approved"]))

    monkeypatch.setattr(engine._cycle, "run", run)
    assert engine.handle(ev.ApplyPlanned((("default", "a" * 40),))) is True
    engine.run_cycle()
    engine.run_cycle()
    assert seen == [{("default", "a" * 40)}, set()]


def test_an_approval_brings_a_recorded_plan_to_the_next_cycle(engine: Engine) -> None:
    """The decider does not plan again a kept plan dry-run recorded (engine/decider.py):
    approving the torrent forgets the record, so its plan comes and goes ahead."""
    approved, other = ("default", "a" * 40), ("default", "b" * 40)
    for key in (approved, other):
        engine.memory.record(key).planned = ("pause",)
    engine.handle(ev.ApplyPlanned((approved,)))
    assert engine.memory.planned([approved, other]) == {other: ("pause",)}


def test_switching_dry_run_records_every_plan_again(engine: Engine) -> None:
    engine.memory.record(("default", "a" * 40)).planned = ("pause",)
    engine.handle(ev.SetDryRun(True))
    assert engine.dry_run and engine.memory.planned([("default", "a" * 40)]) == {}


def test_the_time_budgets_come_from_the_config_and_a_reload(engine: Engine, tmp_path: Path) -> None:
    assert (engine.manager.read_budget, engine.arrs.read_budget) == (5.0, 10.0)
    text = (
        f'[Settings]\nDataFolder = "{tmp_path}"\nInstanceReadBudget = "20s"\n'
        "InstanceReadTimeout = 300\nArrReadBudget = 15\nActBudget = 30\n"
    )
    assert engine.reload(text)
    assert (engine.manager.read_budget, engine.manager.read_timeout) == (20.0, 300.0)
    assert engine.arrs.read_budget == 15.0
    assert engine.config.settings.act_budget == 30.0  # read by every cycle
    assert not engine.reload(text.replace("ActBudget = 30", "ActBudget = 3600"))  # > 600 s
    assert engine.config.settings.act_budget == 30.0
