"""Acting on torrents from the keyboard: the highlighted torrent, the marked ones
(``space``), or the one whose details are open. Every action is a ``ManualAction`` command
that the engine carries out (its dry-run and executor apply); destructive ones ask first,
naming the torrents, their instances and each step. Copying the hash or name is the only
thing done here (OSC 52, which works over SSH).
"""

from __future__ import annotations

from collections.abc import Iterator

from textual import on
from textual.app import SystemCommand
from textual.screen import Screen

from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.events import ManualKind
from qbitrr_tui.tui.limits_form import HELP as LIMITS_HELP
from qbitrr_tui.tui.limits_form import parse_limits
from qbitrr_tui.tui.remembered import RememberedUI
from qbitrr_tui.tui.screens.confirm import ConfirmScreen
from qbitrr_tui.tui.screens.details import DetailsScreen
from qbitrr_tui.tui.screens.prompt import PromptScreen
from qbitrr_tui.tui.torrent_commands import (
    BY_ID,
    COMMANDS,
    CONFIRM,
    LISTED,
    TorrentCommand,
    anyway_question,
    confirmation,
)
from qbitrr_tui.tui.widgets.torrents_view import TorrentsView

Key = tuple[str, str]


class TorrentActions(RememberedUI):
    """The torrent actions of the app (a base class, as DashboardActions is)."""

    def _targets(self) -> list[ev.TorrentRow]:
        """The open details' torrent, else the marked torrents, else the highlighted one."""
        screen = self.screen
        if isinstance(screen, DetailsScreen):
            keys: list[Key] = [screen.key]
        else:
            table = self._main(TorrentsView).table
            keys = sorted(table.marked) or [k for k in [table.highlighted_key()] if k]
        return [self.model.torrents[k] for k in keys if k in self.model.torrents]

    def action_torrent_command(self, command_id: str) -> None:
        command = BY_ID[command_id]
        rows = self._targets()
        if not rows:
            self.notify("No torrent is highlighted or marked.", severity="warning")
            return
        if command.kind is None:
            self._copy(command, rows)
        elif command.kind is ManualKind.SET_CATEGORY:
            self._ask_category(rows)
        elif command.kind is ManualKind.SET_LIMITS:
            self._ask_limits(rows)
        elif command.kind in CONFIRM:
            self._confirm(command.kind, rows)
        else:
            self._send_manual(command.kind, rows)

    def _copy(self, command: TorrentCommand, rows: list[ev.TorrentRow]) -> None:
        what = "hash" if command.id == "torrent.copy_hash" else "name"
        text = "\n".join(r.hash if what == "hash" else r.name for r in rows)
        self.copy_to_clipboard(text)
        self.notify(f"Copied the {what} of {len(rows)} torrent(s) to the clipboard.")

    def _ask_category(self, rows: list[ev.TorrentRow]) -> None:
        def answered(category: str | None) -> None:
            if category:
                self._send_manual(ManualKind.SET_CATEGORY, rows, category)

        question = f"Move {len(rows)} torrent(s) to which category?"
        self.push_screen(PromptScreen(question, rows[0].category), answered)

    def _ask_limits(self, rows: list[ev.TorrentRow], text: str = "") -> None:
        def answered(answer: str | None) -> None:
            if not answer:
                return
            try:
                limits = parse_limits(answer)
            except ValueError as exc:
                self.notify(str(exc), severity="error")
                self._ask_limits(rows, answer)  # ask again, with what was typed
                return
            self._send_manual(ManualKind.SET_LIMITS, rows, limits=limits)

        question = f"Limits for {len(rows)} torrent(s):"
        self.push_screen(PromptScreen(question, text, placeholder=LIMITS_HELP), answered)

    def _confirm(self, kind: ManualKind, rows: list[ev.TorrentRow]) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._send_manual(kind, rows)

        settings = self.config.settings if self.config is not None else None
        question = confirmation(kind, rows, self.model.engine.dry_run, settings)
        self.push_screen(ConfirmScreen(question), answered)

    def _send_manual(
        self,
        kind: ManualKind,
        rows: list[ev.TorrentRow],
        category: str = "",
        limits: ev.Limits = ev.NO_LIMITS,
    ) -> None:
        self._ask_engine(ev.ManualAction(tuple(r.key for r in rows), kind, category, limits))

    def _ask_engine(self, action: ev.ManualAction) -> None:
        self.send(action)
        self._main(TorrentsView).table.clear_marks()
        mode = " (dry-run: planned only)" if self.model.engine.dry_run else ""
        self.notify(f"Asked the engine: {action.kind.value} {len(action.keys)} torrent(s){mode}…")

    def _ask_anyway(self, held: list[ev.RemovalHeld]) -> None:
        """A removal by hand the engine kept because the torrents still owe their tracker:
        say what they owe, and remove them anyway only if asked to (no by default)."""
        for removal in held:

            def answered(yes: bool | None, removal: ev.RemovalHeld = removal) -> None:
                if yes:
                    self._ask_engine(ev.ManualAction(removal.keys, removal.kind, anyway=True))

            question = anyway_question(removal, self.model.engine.dry_run)
            self.push_screen(ConfirmScreen(question, yes="Remove anyway (y)"), answered)

    def _report_manual(self, events: list[ev.ActionEvent], held: list[ev.RemovalHeld]) -> None:
        """What became of the operator's actions: one toast per drain (the removals kept
        for their tracker are asked about instead)."""
        asked = {key for removal in held for key in removal.keys}
        manual = [e for e in events if e.rule == "manual" and e.key not in asked]
        if not manual:
            return
        failed = [e for e in manual if e.outcome == "failed"]
        planned = [e for e in manual if e.outcome == "planned"]
        done = len(manual) - len(failed) - len(planned)
        lines = [
            f"{'✗' if e.outcome == 'failed' else '✓'} {e.outcome} {e.action.describe()}: {e.name}"
            + (f" — {e.error}" if e.error else "")
            for e in manual[:LISTED]
        ]
        if len(manual) > LISTED:
            lines.append(f"… and {len(manual) - LISTED} more")
        self.notify(
            "\n".join(lines),
            title=f"By hand: {done} done, {len(planned)} planned (dry-run), {len(failed)} failed"
            if planned
            else f"By hand: {done} done, {len(failed)} failed",
            severity="error" if failed else "information",
            timeout=8,
        )

    # --- details ---------------------------------------------------------------------
    @on(TorrentsView.OpenDetails)
    def _open_details(self, message: TorrentsView.OpenDetails) -> None:
        row = self.model.torrents.get(message.key)
        if row is None:
            return
        self.push_screen(DetailsScreen(row, self.model.history(row.key)))
        self.send(ev.RequestDetails(row.key))

    def _show_details(
        self, answers: list[ev.TorrentDetails], activity: list[ev.ActionEvent]
    ) -> None:
        screen = self.screen
        if not isinstance(screen, DetailsScreen):
            return
        for answer in answers:
            if answer.key == screen.key:
                screen.show_details(answer)
        if any(e.key == screen.key for e in activity):
            screen.show_history(self.model.history(screen.key))
            self.send(ev.RequestDetails(screen.key))  # its journal steps moved on too

    def torrent_system_commands(self, screen: Screen[object]) -> Iterator[SystemCommand]:
        """A palette entry per torrent action, and one to open the details."""
        for command in COMMANDS:
            key = self.keymap.get(command.id, command.key)
            yield SystemCommand(
                f"{command.title} ({key})",
                command.tooltip,
                lambda c=command.id: self.action_torrent_command(c),
            )
        yield SystemCommand(
            "Show problems (filter @problems)",
            "Only the torrents that need a human: stalled, slow, errored, missing files",
            self.action_show_problems,
        )
        yield SystemCommand(
            "Choose columns (f2)",
            "The torrent table's columns: speeds, seeds/peers, added, tracker… (kept in [UI])",
            self.action_choose_columns,
        )
        yield SystemCommand(
            "Torrent details (enter)",
            "Everything about the highlighted torrent: files, trackers, Arr, history",
            self.action_open_details,
        )

    def action_choose_columns(self) -> None:
        self.action_view("torrents")
        self._main(TorrentsView).action_choose_columns()

    def action_show_problems(self) -> None:
        self.action_view("torrents")
        self._main(TorrentsView).set_filter("@problems")

    def action_open_details(self) -> None:
        key = self._main(TorrentsView).table.highlighted_key()
        if key is None:
            self.notify("No torrent is highlighted (view 2).", severity="warning")
            return
        self._open_details(TorrentsView.OpenDetails(key))
