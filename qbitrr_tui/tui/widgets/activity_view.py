"""View 3: the action log above the engine log."""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Log

from qbitrr_tui.engine.events import ActionEvent, LogLine
from qbitrr_tui.tui.columns import ACTIVITY_ORDER, ACTIVITY_STEPS
from qbitrr_tui.tui.format import GLYPHS, rule_text, style
from qbitrr_tui.tui.widgets.fitted_table import FittedTable

OUTCOME_KINDS = {"applied": "ok", "failed": "problem", "held": "special", "planned": "info"}


class ActivityView(Vertical):
    """The action log (planned / applied / failed / held) above the engine log."""

    MAX_ROWS = 1000

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._count = 0

    def compose(self) -> ComposeResult:
        yield Label("Actions", classes="section")
        yield FittedTable(ACTIVITY_STEPS, ACTIVITY_ORDER, id="actions")
        yield Label("Engine log", classes="section")
        yield Log(id="engine-log", max_lines=2000, auto_scroll=True)

    def add_actions(self, events: list[ActionEvent]) -> None:
        table = self.query_one("#actions", FittedTable)
        follow = not table.row_count or table.cursor_row >= table.row_count - 1
        for event in events[-self.MAX_ROWS :]:
            kind = OUTCOME_KINDS.get(event.outcome, "")
            outcome = GLYPHS.get(kind, "") + event.outcome + (" (dry-run)" if event.dry_run else "")
            reason = event.reason + (f" — {event.error}" if event.error else "")
            self._count += 1
            table.append(
                str(self._count),
                {
                    "time": Text(
                        time.strftime("%H:%M:%S", time.localtime(event.time)), style="dim"
                    ),
                    "outcome": Text(outcome, style=style(kind)),
                    "instance": Text(event.instance),
                    "torrent": Text(event.name),
                    "action": Text(event.action.describe()),
                    "reason": rule_text(event.rule, reason),
                },
            )
        table.drop_oldest(self.MAX_ROWS)
        # Follow new actions only when the cursor was on the newest one: someone reading
        # an older line keeps their place.
        if events and table.row_count and follow:
            table.move_cursor(row=table.row_count - 1, animate=False)

    def add_log(self, lines: list[LogLine]) -> None:
        log = self.query_one("#engine-log", Log)
        log.write_lines(
            f"{time.strftime('%H:%M:%S', time.localtime(line.time))} {line.level:<7} {line.message}"
            for line in lines
        )
