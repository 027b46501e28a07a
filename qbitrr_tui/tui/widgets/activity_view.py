"""View 3: the action log above the engine log."""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Label, Log

from qbitrr_tui.engine.events import ActionEvent, LogLine
from qbitrr_tui.tui.format import RULE_STYLES


class ActivityView(Vertical):
    """The action log (planned / applied / failed / held) above the engine log."""

    MAX_ROWS = 1000

    def compose(self) -> ComposeResult:
        yield Label("Actions", classes="section")
        yield DataTable(id="actions", cursor_type="row", zebra_stripes=True)
        yield Label("Engine log", classes="section")
        yield Log(id="engine-log", max_lines=2000, auto_scroll=True)

    def on_mount(self) -> None:
        table = self.query_one("#actions", DataTable)
        for key, label, width in (
            ("time", "Time", 8),
            ("outcome", "Outcome", None),
            ("instance", "Instance", None),
            ("torrent", "Torrent", 30),
            ("action", "Action", 24),
            ("reason", "Why", None),
        ):
            table.add_column(label, key=key, width=width)

    def add_actions(self, events: list[ActionEvent]) -> None:
        table: DataTable[Text] = self.query_one("#actions", DataTable)
        for event in events[-self.MAX_ROWS :]:
            outcome_style = {
                "applied": "green",
                "failed": "bold red",
                "held": "magenta",
                "planned": "cyan",
            }.get(event.outcome, "")
            outcome = event.outcome + (" (dry-run)" if event.dry_run else "")
            reason = event.reason + (f" — {event.error}" if event.error else "")
            table.add_row(
                Text(time.strftime("%H:%M:%S", time.localtime(event.time)), style="dim"),
                Text(outcome, style=outcome_style),
                Text(event.instance),
                Text(event.name),
                Text(event.action.describe()),
                Text(reason, style=RULE_STYLES.get(event.rule, "")),
            )
        while table.row_count > self.MAX_ROWS:
            table.remove_row(next(iter(table.rows)))
        if events and table.row_count:
            table.move_cursor(row=table.row_count - 1, animate=False)

    def add_log(self, lines: list[LogLine]) -> None:
        log = self.query_one("#engine-log", Log)
        log.write_lines(
            f"{time.strftime('%H:%M:%S', time.localtime(line.time))} {line.level:<7} {line.message}"
            for line in lines
        )
