"""The Textual dashboard. It drains the engine's event queue on a timer into the view model,
applies only the differences to widgets inside one ``batch_update()``, and sends commands
back on the command queue. It never calls the engine's objects, and the engine never
imports Textual.
"""

from __future__ import annotations

import queue
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Protocol, TypeVar

from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Footer

from qbitrr_tui.config import ConfigError
from qbitrr_tui.config.edit import describe_changes
from qbitrr_tui.config.model import Config
from qbitrr_tui.engine import events as ev
from qbitrr_tui.errors import UserError
from qbitrr_tui.health import HealthState
from qbitrr_tui.tui import keys
from qbitrr_tui.tui.screens.config_screen import ConfigScreen
from qbitrr_tui.tui.screens.confirm import ConfirmScreen
from qbitrr_tui.tui.screens.help import HelpScreen
from qbitrr_tui.tui.signals import LeaveOnSignal
from qbitrr_tui.tui.view_model import DashboardModel, PlanItem
from qbitrr_tui.tui.widgets.activity_view import ActivityView
from qbitrr_tui.tui.widgets.engine_bar import EngineBar
from qbitrr_tui.tui.widgets.instances_view import InstancesView
from qbitrr_tui.tui.widgets.plan_view import PlanView
from qbitrr_tui.tui.widgets.torrents_view import ALL, TorrentsView

DRAIN_INTERVAL = 0.25
MAX_EVENTS_PER_DRAIN = 20_000
VIEWS = ("instances", "torrents", "activity", "plan")
W = TypeVar("W", bound=Widget)


class EngineLink(Protocol):
    """What the dashboard needs of an engine: two queues, start and stop."""

    events: queue.Queue[ev.Event]
    commands: queue.Queue[ev.Command]

    def start(self) -> None: ...

    def stop(self, timeout: float = 30.0) -> None: ...


class QbitrrApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "qbitrr-tui"
    BINDINGS = [
        *keys.bindings(),
        Binding(
            "down,j",
            "select_instance(1)",
            "Next instance",
            show=False,
            id="instances.next",
            tooltip="Highlight the next instance",
        ),
        Binding(
            "up,k",
            "select_instance(-1)",
            "Previous instance",
            show=False,
            id="instances.previous",
            tooltip="Highlight the previous instance",
        ),
    ]

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
    ) -> None:
        super().__init__()
        self.link = link
        self.clock = clock
        self.model = DashboardModel(instance_names, arr_names, clock=clock, dry_run=dry_run)
        self.config: Config | None = None
        self.keymap = dict(keymap or {})
        self.config_path = config_path
        self.watch_terminal = watch_terminal
        self._engine_started = False
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
        yield Footer()

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

    def _main(self, kind: type[W]) -> W:
        """A widget of the dashboard's own screen. ``App.query_one`` searches the current
        screen, which is a modal while one is open; the drain must still find its widgets."""
        return self._main_screen.query_one(kind)

    def on_mount(self) -> None:
        self._main_screen = self.screen
        if self.keymap:
            self.set_keymap(self.keymap)
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
        with self.batch_update():
            self._main(EngineBar).show(self.model.engine, self.model.instances, now)
            instances = self._main(InstancesView)
            if changes.instances:
                instances.show_instances(self.model, sorted(changes.instances), now)
                for name in changes.instances:
                    self._main(TorrentsView).add_tab(name)
            if changes.arrs or changes.instances:
                instances.show_all(self.model, now)
            torrents = self._main(TorrentsView)
            if changes.reset:
                torrents.rebuild(self.model)
            elif changes.torrents or changes.removed:
                torrents.apply(self.model, changes.torrents, changes.removed)
            activity = self._main(ActivityView)
            if changes.activity:
                activity.add_actions(changes.activity)
            if changes.log:
                activity.add_log(changes.log)
            if changes.plan:
                self._main(PlanView).show(self.model)

    def _paint_all(self) -> None:
        now = self.clock()
        self._main(EngineBar).show(self.model.engine, self.model.instances, now)
        self._main(InstancesView).show_all(self.model, now)
        self._main(TorrentsView).rebuild(self.model)
        self._main(PlanView).show(self.model)

    # --- commands out ----------------------------------------------------------------
    def send(self, command: ev.Command) -> None:
        self.link.commands.put(command)

    def _target_instance(self) -> str | None:
        view = self._main(ContentSwitcher).current
        if view == "torrents":
            torrents = self._main(TorrentsView)
            if torrents.instance != ALL:
                return torrents.instance
            key = torrents.table.highlighted_key()
            return key[0] if key else None
        return self._main(InstancesView).selected_name

    def action_toggle_instance(self) -> None:
        name = self._target_instance()
        if name is None:
            self.notify("No instance is highlighted.", severity="warning")
            return
        health = self.model.instances[name].health
        enable = health is not None and health.state is HealthState.DISABLED
        self.send(ev.SetInstanceEnabled(name, enable))
        self.notify(f"{'Enabling' if enable else 'Disabling'} instance '{name}'…")

    def action_select_instance(self, step: int) -> None:
        if self._main(ContentSwitcher).current == "instances":
            self._main(InstancesView).move_selection(step)

    def action_rescan(self) -> None:
        self.send(ev.RescanNow())
        self.notify("Rescanning now…")

    def action_pause(self) -> None:
        self.send(ev.SetPaused(not self.model.engine.paused))

    def action_dry_run(self) -> None:
        if not self.model.engine.dry_run:
            self.send(ev.SetDryRun(True))
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.send(ev.SetDryRun(False))

        self.push_screen(
            ConfirmScreen(
                "Turn dry-run off? The engine will then change torrents for real: import, "
                "delete, blocklist and search again."
            ),
            answered,
        )

    def action_view(self, name: str) -> None:
        if name not in VIEWS:
            return
        self._main(ContentSwitcher).current = name
        if name == "torrents":
            self._main(TorrentsView).table.focus()
        elif name == "plan":
            self._main(PlanView).query_one("#plan-table").focus()
        elif name == "activity":
            self._main(ActivityView).query_one("#actions").focus()

    def action_filter(self) -> None:
        self.action_view("torrents")
        self._main(TorrentsView).focus_filter()

    def action_config(self) -> None:
        if not self.config_path:
            self.notify("There is no config file to edit.", severity="warning")
            return
        try:
            screen = ConfigScreen(Path(self.config_path))
        except (UserError, ConfigError) as exc:
            self.notify(f"Cannot edit the config: {exc}", severity="error")
            return
        self.push_screen(screen)

    @on(ConfigScreen.Saved)
    def _config_saved(self, message: ConfigScreen.Saved) -> None:
        """Reload the engine from the saved file and say what changed."""
        self.send(ev.ReloadConfig())
        changes = describe_changes(self.config, message.config) if self.config else []
        self.config = message.config
        names = [i.name for i in message.config.instances]
        self._main(InstancesView).set_instances(names)
        self._main(TorrentsView).set_instances(names)
        for name in [n for n in self.model.instances if n not in names]:
            del self.model.instances[name]
        backup = f" (previous file kept as {message.backup.name})" if message.backup else ""
        self.notify(
            "Saved and reloaded" + backup + ":\n" + "\n".join(changes),
            title="Configuration",
            timeout=8,
        )

    def action_help(self) -> None:
        where = f"Config: {self.config_path}" if self.config_path else ""
        self.push_screen(HelpScreen(keys.describe(self.keymap), where))

    @on(TorrentsView.Shown)
    def _torrents_shown(self) -> None:
        self._main(TorrentsView).rebuild(self.model)

    @on(PlanView.ApplyRequested)
    def _apply_plan(self, message: PlanView.ApplyRequested) -> None:
        items: list[PlanItem] = message.items
        destructive = sum(1 for i in items if any(a.startswith("delete") for a in i.actions))
        question = (
            f"Carry out the plan for {len(items)} torrent(s) now, for real"
            + (f", deleting {destructive}" if destructive else "")
            + "?"
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.send(ev.ApplyPlanned(tuple(item.key for item in items)))
                self.notify(f"Applying the plan for {len(items)} torrent(s)…")

        self.push_screen(ConfirmScreen(question), answered)

    def get_system_commands(self, screen: Screen[object]) -> Iterator[SystemCommand]:
        """The command palette offers every action."""
        yield from super().get_system_commands(screen)
        for key, description, tooltip in keys.describe(self.keymap):
            action = next((b.action for b in keys.bindings() if b.description == description), None)
            if action and description != "Quit":
                yield SystemCommand(
                    f"{description} ({key})", tooltip, lambda a=action: self.run_action(a)
                )


def make_app(config: Config, link: EngineLink, **kwargs: object) -> QbitrrApp:
    """The one factory for ``main()`` and the tests."""
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
