"""The Engine: one loop that scans every instance, decides, acts, records and publishes — and
listens to the dashboard between cycles.

What one cycle does, step by step: :mod:`qbitrr_tui.engine.cycle`.

:meth:`Engine.run` is the one loop, for the dashboard's thread and for ``run --headless``:
a cycle, then ``LoopSleepTimer`` waiting on the command queue (so a command takes effect at
once). A cycle that raises is logged and the loop goes on (a database locked by another
process is one warning line, and the next cycle is the retry). ``run_cycle()`` can also be
called directly (tests).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from typing import assert_never

import peewee

from qbitrr_tui.config import Config, ConfigError, parse_config
from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.arrs import ArrFleet
from qbitrr_tui.engine.cycle import Cycle
from qbitrr_tui.engine.details import read_details
from qbitrr_tui.engine.manual import ManualActions
from qbitrr_tui.engine.memory import TorrentMemory
from qbitrr_tui.engine.model import TorrentKey
from qbitrr_tui.engine.ports import QbitPort
from qbitrr_tui.engine.store import Store, is_locked
from qbitrr_tui.health import Health
from qbitrr_tui.logs import get_logger
from qbitrr_tui.qbit.manager import QbitManager

log = get_logger("engine")


class Engine:
    """The engine and its ports. ``qbits``, ``arrs`` and ``store`` are made from the config
    unless given; an injected ``qbits`` reports instance health to whatever its maker
    chose (the default one reports it as ``InstanceHealthChanged`` events)."""

    def __init__(
        self,
        config: Config,
        *,
        events: queue.Queue[ev.Event] | None = None,
        commands: queue.Queue[ev.Command] | None = None,
        clock: Callable[[], float] = time.time,
        dry_run: bool | None = None,
        store: Store | None = None,
        qbits: QbitPort | None = None,
        arrs: ArrFleet | None = None,
    ) -> None:
        self.config = config
        self.events: queue.Queue[ev.Event] = events if events is not None else queue.Queue()
        self.commands: queue.Queue[ev.Command] = commands if commands is not None else queue.Queue()
        self.clock = clock
        self.dry_run = config.settings.dry_run if dry_run is None else dry_run
        self.paused = False
        self.store = store or Store(config.settings.db_path)
        self.memory = TorrentMemory(self.store.load_states())
        self.manager: QbitPort = qbits or QbitManager(
            config.instances,
            categories=self._wanted_categories(),
            clock=clock,
            on_health=self._on_instance_health,
            full_refresh_every=config.settings.full_refresh_interval,
            import_settle_time=config.settings.import_settle_time,
            free_space_folder=config.settings.free_space_folder,
            on_first_read=self._first_read_landed,
        )
        self.arrs = arrs or ArrFleet(config.managed_arrs, clock=clock)
        self._set_budgets()
        self._cycle = Cycle(self.manager, self.arrs, self.store, self.memory, clock, self._emit)
        self._cycle.executor.safe_delete.settings = config.settings  # before the first cycle
        self._manual = ManualActions(
            qbits=self.manager,
            arrs=self.arrs,
            memory=self.memory,
            store=self.store,
            executor=self._cycle.executor,
            trackers=self._cycle.decider.trackers,
            clock=clock,
            emit=self._emit,
        )
        self._approved: set[TorrentKey] = set()  # ApplyPlanned, for the next cycle
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------
    def start(self) -> None:
        """Run :meth:`run` in the engine thread (the dashboard)."""
        self._thread = threading.Thread(target=self.run, name="engine", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the current step and release everything."""
        self._stop.set()
        self.commands.put(ev.Stop())
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        self.close()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def close(self) -> None:
        self._manual.close()
        self.manager.close()
        self._cycle.close()
        self.arrs.close()
        self.store.close()

    def run(self, cycles: int | None = None, *, tick: Callable[[], None] | None = None) -> int:
        """Cycle (unless paused) and wait, until stopped or after ``cycles`` cycles; the
        number of cycles run. A cycle that raises is logged, and the loop goes on: one bad
        cycle must not end the engine. ``tick`` runs after every cycle and every wait."""
        done = 0
        while not self._stop.is_set():
            if not self.paused:
                try:
                    self.run_cycle()
                except peewee.OperationalError as exc:
                    if not is_locked(exc):
                        log.exception("engine cycle failed")
                    else:  # another process holds the database: the next cycle retries
                        log.warning(
                            "the database %s is locked by another process (%s); the cycle "
                            "is retried, and every step it sent is in the action journal",
                            self.store.path,
                            exc,
                        )
                except Exception:  # a bug must not kill the engine silently
                    log.exception("engine cycle failed")
                done += 1
                if tick is not None:
                    tick()
                if cycles is not None and done >= cycles:
                    break
            self.wait_between_cycles()
            if tick is not None:
                tick()
        return done

    def wait_between_cycles(self) -> None:
        """Wait LoopSleepTimer on the command queue; a command may end the wait early."""
        deadline = self.clock() + self.config.settings.loop_sleep_timer
        while not self._stop.is_set():
            remaining = deadline - self.clock()
            if remaining <= 0:
                return
            try:
                command = self.commands.get(timeout=min(remaining, 1.0))
            except queue.Empty:
                continue
            if self.handle(command):
                return

    # --- commands --------------------------------------------------------------------
    def handle(self, command: ev.Command) -> bool:
        """Apply one command; True when the next cycle should start now."""
        match command:
            case ev.Stop():
                self._stop.set()
                return True
            case ev.RescanNow():
                return True
            case ev.SetInstanceEnabled(name, enabled):
                self._set_enabled(name, enabled)
                return True
            case ev.SetPaused(paused):
                self.paused = paused
                self._state_changed("engine paused" if paused else "engine resumed")
                return not paused
            case ev.SetDryRun(enabled):
                self.dry_run = enabled
                self.memory.forget_planned()
                self.manager.ensure_categories(self._wanted_categories())
                self._state_changed(f"dry-run {'on' if enabled else 'off'}")
                return True
            case ev.ApplyPlanned(keys):
                self._approved |= set(keys)
                self.memory.forget_planned(keys)  # a kept plan recorded before comes again
                return True
            case ev.ReloadConfig(text):
                self.reload(text)
                return True
            case ev.ManualAction() | ev.RequestDetails():
                return self._operator(command)
            case ev.RestoreFromBin(instance, info_hash):
                self._emit(
                    self._cycle.bin.restore(
                        self.manager,
                        self.config.settings,
                        (instance, info_hash),
                        dry_run=self.dry_run,
                    )
                )
                return True
            case _:
                assert_never(command)

    def _set_enabled(self, name: str, enabled: bool) -> None:
        try:
            self.manager.set_enabled(name, enabled)
        except KeyError as exc:
            log.warning("%s", exc.args[0])

    def _operator(self, command: ev.ManualAction | ev.RequestDetails) -> bool:
        """The operator's own requests (engine/manual.py, engine/details.py)."""
        if isinstance(command, ev.RequestDetails):
            self._emit(read_details(self._manual, self.config, command.key))
            return False
        self._manual.run(command, self.config, dry_run=self.dry_run)
        return True  # read the torrents again, to show the effect

    def _state_changed(self, message: str) -> None:
        log.info("%s", message)
        self._emit(ev.EngineStateChanged(self.paused, self.dry_run, message))

    def reload(self, text: str | None = None) -> bool:
        """Apply a new config without a restart; a bad one is reported and changes nothing."""
        path = self.config.path
        try:
            if text is None:
                if path is None:
                    raise ConfigError(["no config file to reload from"])
                text = path.read_text(encoding="utf-8")
            config = parse_config(text, path)
        except (ConfigError, OSError) as exc:
            log.error("config not reloaded: %s", exc)
            self._state_changed("config not reloaded: it has problems (see the log)")
            return False
        self.config = config
        self.memory.forget_reusable()  # rules or settings may have changed
        self.manager.reconfigure(config.instances)
        self.manager.full_refresh_every = config.settings.full_refresh_interval
        self.manager.import_settle_time = config.settings.import_settle_time
        self.manager.free_space_folder = config.settings.free_space_folder
        self._set_budgets()
        self.manager.ensure_categories(self._wanted_categories())
        self.arrs.configure(config.managed_arrs)
        self._state_changed("config reloaded")
        return True

    def _set_budgets(self) -> None:
        """The deadlines from the config (at start and on every reload)."""
        settings = self.config.settings
        self.manager.read_budget = settings.instance_read_budget
        self.manager.read_timeout = settings.instance_read_timeout
        self.arrs.read_budget = settings.arr_read_budget

    def _wanted_categories(self) -> dict[str, str]:
        """The categories every instance must have; none in dry-run, which creates nothing."""
        if self.dry_run:
            return {}
        moved_to = [  # UnregisteredAction = "category" needs its category to exist
            a.torrent.unregistered_category
            for a in self.config.managed_arrs
            if a.torrent.unregistered_action == "category"
        ]
        return dict.fromkeys((*self.config.managed_categories, *moved_to), "")

    # --- events ----------------------------------------------------------------------
    def _emit(self, event: ev.Event) -> None:
        self.events.put(event)

    def _on_instance_health(self, health: Health) -> None:
        self._emit(ev.InstanceHealthChanged(health))

    def _first_read_landed(self, name: str) -> None:
        """An instance's first whole read finished in the background: cycle now, so its
        torrents are decided and shown without waiting out LoopSleepTimer."""
        log.debug("instance '%s': its first read finished late; the next cycle starts now", name)
        self.commands.put(ev.RescanNow())

    # --- the cycle -------------------------------------------------------------------
    def run_cycle(self) -> ev.CycleFinished:
        """One cycle now (see :mod:`qbitrr_tui.engine.cycle`)."""
        approved, self._approved = self._approved, set()
        return self._cycle.run(
            self.config, dry_run=self.dry_run, paused=self.paused, approved=approved
        )
