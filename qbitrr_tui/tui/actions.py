"""What the dashboard's keys do: commands to the engine, views, dialogs, the palette.

A base class of the app (app.py keeps the layout and the drain), so each file has one job.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol, TypeVar

import platformdirs
from textual import on
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher

from qbitrr_tui.config import ConfigError
from qbitrr_tui.config.edit import describe_changes
from qbitrr_tui.config.model import Config
from qbitrr_tui.engine import events as ev
from qbitrr_tui.errors import UserError
from qbitrr_tui.health import HealthState
from qbitrr_tui.paths import APP_NAME
from qbitrr_tui.tui import keys
from qbitrr_tui.tui.preferences import Preferences, save_preferences
from qbitrr_tui.tui.screens.config_screen import ConfigScreen
from qbitrr_tui.tui.screens.confirm import ConfirmScreen
from qbitrr_tui.tui.screens.help import HelpScreen
from qbitrr_tui.tui.screens.recycle_bin import RecycleBinScreen
from qbitrr_tui.tui.view_model import DashboardModel, PlanItem
from qbitrr_tui.tui.widgets.activity_view import ActivityView
from qbitrr_tui.tui.widgets.instances_view import InstancesView
from qbitrr_tui.tui.widgets.plan_view import PlanView
from qbitrr_tui.tui.widgets.torrents_view import ALL, TorrentsView

VIEWS = ("instances", "torrents", "activity", "plan")
W = TypeVar("W", bound=Widget)


class EngineLink(Protocol):
    """What the dashboard needs of an engine: two queues, start and stop."""

    events: queue.Queue[ev.Event]
    commands: queue.Queue[ev.Command]

    def start(self) -> None: ...

    def stop(self, timeout: float = 30.0) -> None: ...


def screenshot_dir() -> Path:
    """Where the palette's Screenshot goes: the state folder (a server has no Downloads)."""
    return Path(platformdirs.user_state_dir(APP_NAME)) / "screenshots"


class DashboardActions(App[None]):
    """The dashboard's actions; the app sets the attributes below."""

    link: EngineLink
    model: DashboardModel
    config: Config | None
    keymap: dict[str, str]
    config_path: str
    _main_screen: Screen[object]

    _applying: set[tuple[str, str]]
    preferences: Preferences
    preferences_path: Path | None

    def _report_applied(self, events: list[ev.ActionEvent]) -> None:
        """After the operator applied the plan: say what was done and what failed."""
        done = [e for e in events if e.key in self._applying and e.outcome == "applied"]
        failed = [e for e in events if e.key in self._applying and e.outcome == "failed"]
        if not (done or failed):
            return
        self._applying -= {e.key for e in done + failed}
        lines = [f"✓ {e.action.describe()}: {e.name}" for e in done]
        lines += [f"✗ {e.action.describe()}: {e.name} — {e.error}" for e in failed]
        self.notify(
            "\n".join(lines[:8]) + (f"\n… and {len(lines) - 8} more" if len(lines) > 8 else ""),
            title=f"Plan applied: {len(done)} done, {len(failed)} failed",
            severity="error" if failed else "information",
            timeout=10,
        )

    def _main(self, kind: type[W]) -> W:
        """A widget of the dashboard's own screen. ``App.query_one`` searches the current
        screen, which is a modal while one is open; the drain must still find its widgets."""
        return self._main_screen.query_one(kind)

    # --- commands out ----------------------------------------------------------------
    def send(self, command: ev.Command) -> None:
        self.link.commands.put(command)

    def _target_instance(self) -> tuple[str | None, str]:
        """The instance ``t`` acts on in the current view, and how to name that choice."""
        view = self._main(ContentSwitcher).current
        if view == "torrents":
            torrents = self._main(TorrentsView)
            if torrents.instance != ALL:
                return torrents.instance, "this tab's instance"
            key = torrents.table.highlighted_key()
            return (key[0], "the highlighted torrent's instance") if key else (None, "")
        if view == "plan":
            key = self._main(PlanView).highlighted()
            return (key[0], "the highlighted plan's instance") if key else (None, "")
        name = self._main(InstancesView).selected_name
        where = "the highlighted panel" if view == "instances" else "selected in view 1"
        return name, where

    def action_toggle_instance(self) -> None:
        name, which = self._target_instance()
        if name is None or name not in self.model.instances:
            self.notify("No instance is highlighted.", severity="warning")
            return
        health = self.model.instances[name].health
        enable = health is not None and health.state is HealthState.DISABLED
        self.send(ev.SetInstanceEnabled(name, enable))
        self.notify(f"{'Enabling' if enable else 'Disabling'} instance '{name}' ({which})…")

    def action_select_instance(self, step: int) -> None:
        if self._main(ContentSwitcher).current == "instances":
            self._main(InstancesView).move_selection(step)

    def action_rescan(self) -> None:
        if self.model.engine.paused:
            # The engine runs no cycle while paused, not even one asked for.
            self.notify(
                "The engine is paused: no cycle runs. Press p to resume.", severity="warning"
            )
            return
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
        if name == "instances":
            # Focus leaves the hidden views, so their keys (s, space…) do not act unseen.
            self._main(InstancesView).focus()
        elif name == "torrents":
            self._main(TorrentsView).table.focus()
        elif name == "plan":
            self._main(PlanView).query_one("#plan-table").focus()
        elif name == "activity":
            self._main(ActivityView).query_one("#actions").focus()

    def action_filter(self) -> None:
        """``/`` searches the view it is pressed in: Activity has its own search."""
        if self._main(ContentSwitcher).current == "activity":
            self._main(ActivityView).open_search()
            return
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

    def action_recycle_bin(self) -> None:
        self.push_screen(RecycleBinScreen(self.model.recycle_bin))

    @on(RecycleBinScreen.Restore)
    def _restore_from_bin(self, message: RecycleBinScreen.Restore) -> None:
        self.send(ev.RestoreFromBin(*message.key))
        self.notify("Restoring from the recycle bin…")

    def action_help(self) -> None:
        where = f"Config: {self.config_path}" if self.config_path else ""
        view = self._main(ContentSwitcher).current or "instances"
        self.push_screen(
            HelpScreen(keys.describe(self.keymap), where, view=view, keymap=self.keymap)
        )

    @on(InstancesView.Open)
    def _open_instance(self, message: InstancesView.Open) -> None:
        self.action_view("torrents")
        self._main(TorrentsView).open_tab(message.name)

    @on(TorrentsView.Shown)
    def _torrents_shown(self) -> None:
        self._main(TorrentsView).rebuild(self.model)

    @on(TorrentsView.GroupingChanged)
    def _grouping_changed(self, message: TorrentsView.GroupingChanged) -> None:
        self.preferences.grouped = message.grouped
        save_preferences(self.preferences_path, self.preferences)
        self.notify(
            "Torrents grouped by instance and category"
            if message.grouped
            else "Torrents in one list"
        )

    @on(PlanView.ApplyRequested)
    def _apply_plan(self, message: PlanView.ApplyRequested) -> None:
        items: list[PlanItem] = message.items
        destructive = sum(1 for i in items if any(a.startswith("delete") for a in i.actions))
        # Name the torrents and what will be done to each: this is the approval.
        listed = [f"  {item.name}: {', '.join(item.actions)}" for item in items[:6]]
        if len(items) > 6:
            listed.append(f"  … and {len(items) - 6} more")
        question = (
            f"Carry out the plan for {len(items)} torrent(s) now, for real"
            + (f", deleting {destructive}" if destructive else "")
            + "?\n"
            + "\n".join(listed)
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.send(ev.ApplyPlanned(tuple(item.key for item in items)))
                self._applying |= {item.key for item in items}
                when = "when you resume (p)" if self.model.engine.paused else "now"
                self.notify(f"Applying the plan for {len(items)} torrent(s) {when}…")

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
        yield from self.torrent_system_commands(screen)

    def torrent_system_commands(self, screen: Screen[object]) -> Iterator[SystemCommand]:
        """The torrent actions' palette entries (torrent_actions.py)."""
        return iter(())

    def deliver_screenshot(
        self,
        filename: str | None = None,
        path: str | None = None,
        time_format: str | None = None,
    ) -> str | None:
        """The palette's Screenshot: an SVG in the state folder, and a toast naming it."""
        folder = Path(path) if path else screenshot_dir()
        name = filename or time.strftime("qbitrr-tui-%Y%m%d-%H%M%S.svg")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / name
            target.write_text(self.export_screenshot(), encoding="utf-8")
        except OSError as exc:
            self.notify(f"Screenshot not saved: {exc}", severity="error")
            return None
        self.notify(f"Screenshot saved to {target}", title="Screenshot", timeout=8)
        return str(target)
