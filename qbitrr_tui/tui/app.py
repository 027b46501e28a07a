"""The Textual dashboard. It drains the engine's event queue on a timer into the view model,
applies only the differences to widgets inside one ``batch_update()``, and sends commands
back on the command queue. It never calls the engine's objects, and the engine never
imports Textual.
"""

from __future__ import annotations

import queue
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from textual.app import ComposeResult
from textual.notifications import SeverityLevel
from textual.widgets import ContentSwitcher

from qbitrr_tui.config.model import Config
from qbitrr_tui.tui import keys
from qbitrr_tui.tui.actions import EngineLink
from qbitrr_tui.tui.alerts import arr_alerts
from qbitrr_tui.tui.format import use_colour
from qbitrr_tui.tui.preferences import load_preferences, preferences_path
from qbitrr_tui.tui.screens.recycle_bin import RecycleBinScreen
from qbitrr_tui.tui.signals import LeaveOnSignal
from qbitrr_tui.tui.torrent_actions import TorrentActions
from qbitrr_tui.tui.view_model import DashboardModel
from qbitrr_tui.tui.widgets.activity_view import ActivityView
from qbitrr_tui.tui.widgets.engine_bar import EngineBar
from qbitrr_tui.tui.widgets.help_first_footer import HelpFirstFooter
from qbitrr_tui.tui.widgets.instances_view import InstancesView
from qbitrr_tui.tui.widgets.plan_view import PlanView
from qbitrr_tui.tui.widgets.torrents_view import TorrentsView

DRAIN_INTERVAL = 0.25
TICK_INTERVAL = 1.0
MAX_EVENTS_PER_DRAIN = 20_000


class QbitrrApp(TorrentActions):
    CSS_PATH = "app.tcss"
    TITLE = "qbitrr-tui"
    BINDINGS = [*keys.bindings()]

    def __init__(
        self,
        link: EngineLink,
        *,
        instance_names: Iterable[str],
        arr_names: Iterable[str] = (),
        dry_run: bool = False,
        keymap: dict[str, str] | None = None,
        clock: Callable[[], float] = time.time,
        config_path: str = "",
        watch_terminal: bool = True,
        preferences: Path | None = None,
    ) -> None:
        super().__init__()
        use_colour(not self.no_color)
        self.link = link
        self.clock = clock
        self.model = DashboardModel(instance_names, arr_names, clock=clock, dry_run=dry_run)
        self.config: Config | None = None
        self.keymap = dict(keymap or {})
        self.config_path = config_path
        self.watch_terminal = watch_terminal
        self._engine_started = False
        self._last_tick = 0.0
        self.preferences_path = preferences
        self.preferences = load_preferences(preferences)
        self._applying: set[tuple[str, str]] = set()
        self._signals = LeaveOnSignal(lambda code: self.exit(return_code=code))

    # --- layout ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        names = self.model.instance_names()
        yield EngineBar(id="engine-bar")
        with ContentSwitcher(initial="instances", id="views"):
            yield InstancesView(names, id="instances")
            yield TorrentsView(names, id="torrents")
            yield ActivityView(id="activity")
            yield PlanView(id="plan")
        yield HelpFirstFooter()

    # The dashboard's own actions: on another screen (help, a dialog, the config editor)
    # they are off, so that screen's keys win — ``q`` closes a dialog or leaves the editor
    # (asking first when there are unsaved changes) instead of quitting the app.
    _DASHBOARD_ACTIONS = frozenset(
        [*(b.action.split("(")[0] for b in keys.bindings()), "select_instance"]
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in self._DASHBOARD_ACTIONS and self._on_other_screen())

    def _on_other_screen(self) -> bool:
        main = getattr(self, "_main_screen", None)
        return main is not None and self.screen is not main

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every message is plain text: they name sections (``[qBit]``), torrents and
        errors, whose brackets Rich markup would eat."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def on_mount(self) -> None:
        self._main_screen = self.screen
        if self.keymap:
            self.set_keymap(self.keymap)
        self._main(TorrentsView).table.grouped = self.preferences.grouped
        if self.config is not None:
            self.apply_ui(self.config.ui)
        self._paint_all()
        self.set_interval(DRAIN_INTERVAL, self.drain)
        if self.watch_terminal and not self.is_headless:
            self.set_interval(2.0, self._check_terminal)
        self.link.start()
        self._engine_started = True
        self._signals.install()

    def on_unmount(self) -> None:
        self._signals.remove()
        if self._engine_started:
            self.link.stop()
            self._engine_started = False

    def _check_terminal(self) -> None:
        """Over SSH, a dropped connection leaves no terminal: leave instead of hanging."""
        stdin = sys.__stdin__
        if stdin is None or stdin.closed or not stdin.isatty():
            self.exit()

    # --- the drain -------------------------------------------------------------------
    def drain(self) -> None:
        """Move pending events into the model and paint what changed."""
        if not self.is_running:
            return  # shutting down: the screens are being pruned; a timer may still fire
        events = self.link.events
        for _ in range(MAX_EVENTS_PER_DRAIN):
            try:
                self.model.apply(events.get_nowait())
            except queue.Empty:
                break
        self.paint()

    def paint(self) -> None:
        changes = self.model.take_changes()
        now = self.clock()
        # Durations ("down 6s", "retry in 4s", "last seen 2m ago") count on between events.
        tick = now - self._last_tick >= TICK_INTERVAL
        if tick:
            self._last_tick = now
        offline = self.model.offline()
        with self.batch_update():
            self._main(EngineBar).show(self.model, offline, now)
            instances = self._main(InstancesView)
            if changes.instances:
                for name in changes.instances:
                    self._main(TorrentsView).add_tab(name)
            if changes.arrs or changes.instances or tick:
                instances.show_all(self.model, now)
            torrents = self._main(TorrentsView)
            if changes.reset:
                torrents.table.offline = offline
                torrents.rebuild(self.model)
            else:
                torrents.set_offline(self.model, offline)
                if changes.torrents or changes.removed:
                    torrents.apply(self.model, changes.torrents, changes.removed)
            if tick:
                torrents.tick(self.model, now)
            activity = self._main(ActivityView)
            if changes.activity:
                activity.add_actions(changes.activity)
            if changes.log:
                activity.add_log(changes.log)
            # The plan is where actions are approved: its reasons follow the torrents'.
            if changes.plan or not changes.torrents.isdisjoint(self.model.plan):
                self._main(PlanView).show(self.model)
        if changes.recycle_bin and isinstance(self.screen, RecycleBinScreen):
            self.screen.show(self.model.recycle_bin)
        for message in changes.messages:
            self.notify(f"Engine: {message}")
        alerts = changes.alerts + arr_alerts(changes.activity)
        for severity, alert in alerts:
            self.notify(alert, severity="error" if severity == "error" else "information")
        bell = self.config is not None and self.config.ui.bell
        if bell and any(severity == "error" for severity, _ in alerts):
            self.bell()  # [UI] Bell: a human is needed
        self._report_applied(changes.activity)
        self._report_manual(changes.activity, changes.held)
        self._ask_anyway(changes.held)
        if changes.details or changes.activity:
            self._show_details(changes.details, changes.activity)

    def _paint_all(self) -> None:
        now = self.clock()
        self._main(EngineBar).show(self.model, self.model.offline(), now)
        self._main(InstancesView).show_all(self.model, now)
        self._main(TorrentsView).rebuild(self.model)
        self._main(PlanView).show(self.model)


def make_app(config: Config, link: EngineLink, **kwargs: object) -> QbitrrApp:
    """The one factory for ``main()`` and the tests."""
    kwargs.setdefault("preferences", preferences_path())
    app = QbitrrApp(
        link,
        instance_names=[i.name for i in config.instances],
        arr_names=[a.name for a in config.managed_arrs],
        dry_run=config.settings.dry_run,
        keymap=dict(config.keys),
        config_path=str(config.path or ""),
        **kwargs,  # type: ignore[arg-type]
    )
    app.config = config
    return app
