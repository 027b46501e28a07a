"""`qbitrr-tui run --headless`: the engine alone, its events as log lines (systemd, Docker).

SIGINT and SIGTERM stop it cleanly after the current step; it then exits with the
conventional 128 + signal number (130, 143), so a supervisor can tell a stop it asked for
from a run that ended by itself (exit 0, e.g. after --cycles). contrib's systemd unit lists
143 in SuccessExitStatus.
"""

from __future__ import annotations

import logging
import queue
import signal
from types import FrameType
from typing import assert_never

from qbitrr_tui.config import Config
from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.fanout import EventFanOut
from qbitrr_tui.engine.loop import Engine
from qbitrr_tui.logs import get_logger

log = get_logger("run")


def describe(event: ev.Event) -> tuple[str, str] | None:
    """(level, line) for an event worth a log line in headless mode."""
    match event:
        case ev.InstanceHealthChanged(health=h):
            detail = f": {h.last_error}" if h.last_error else ""
            version = f" (qBittorrent {h.version})" if h.version and h.is_up else ""
            level = "INFO" if h.state.value in ("up", "connecting", "disabled") else "WARNING"
            return level, f"instance '{h.name}' is {h.state.value}{version}{detail}"
        case ev.ArrHealthChanged(health=h, queue_size=None):
            detail = f": {h.last_error}" if h.last_error else ""
            return ("INFO" if h.is_up else "WARNING"), f"{h.name} is {h.state.value}{detail}"
        case ev.ActionEvent(outcome="planned" | "held"):
            prefix = "DRY-RUN would" if event.outcome == "planned" else "HELD"
            return "INFO", (
                f"{prefix} {event.action.describe()} '{event.name}' on instance "
                f"'{event.instance}' ({event.rule}: {event.reason})"
            )
        case ev.CycleFinished():
            requests = sum(event.requests_per_instance.values()) + sum(
                event.requests_per_arr.values()
            )
            return "DEBUG", (
                f"cycle {event.cycle} done in {event.duration:.2f}s: "
                f"{event.torrents} torrents, {event.actions} actions, "
                f"{requests} requests"
            )
        case (
            ev.ArrHealthChanged()
            | ev.ActionEvent()
            | ev.TorrentsUpdated()
            | ev.InstanceStats()
            | ev.EngineStateChanged()
            | ev.LogLine()
            | ev.TorrentDetails()
            | ev.RemovalHeld()
            | ev.RecycleBinChanged()
        ):
            return None
        case _:
            assert_never(event)


def run_headless(config: Config, *, cycles: int | None = None, dry_run: bool = False) -> int:
    """The engine's one loop (:meth:`Engine.run`) in this thread, its events logged, and the
    optional service ([WebAPI], [Notifications]) reading a copy of every event."""
    from qbitrr_tui.service.run import start_service

    events = EventFanOut()
    engine = Engine(config, events=events, dry_run=True if dry_run else None)
    try:
        service = start_service(config, events, engine.commands, dry_run=engine.dry_run)
    except BaseException:
        engine.close()
        raise

    stopped_by: list[int] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        # No logging here: the signal may land inside a log write of this same thread, and
        # the file's writer refuses a reentrant call (a traceback in the log). Said below.
        stopped_by.append(signum)
        engine.handle(ev.Stop())

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    mode = "dry-run (nothing is changed)" if engine.dry_run else "live"
    log.info(
        "engine starting: %d instance(s), %d Arr(s), %s",
        len(config.instances),
        len(config.managed_arrs),
        mode,
    )
    done = 0
    try:
        done = engine.run(cycles, tick=lambda: _drain(events))
        if stopped_by:
            name = signal.Signals(stopped_by[0]).name
            log.info("received %s: stopping after the current step", name)
    except Exception as exc:
        if service is not None:
            service.engine_error(f"the engine stopped on an error: {exc!r}")
        raise
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if service is not None:
            service.stop()
        engine.close()
        _drain(events)
    log.info("engine stopped after %d cycle(s)", done)
    return 128 + stopped_by[0] if stopped_by else 0


def _drain(events: queue.Queue[ev.Event]) -> None:
    while True:
        try:
            event = events.get_nowait()
        except queue.Empty:
            return
        described = describe(event)
        if described:
            level, line = described
            log.log(logging.getLevelName(level), "%s", line)
