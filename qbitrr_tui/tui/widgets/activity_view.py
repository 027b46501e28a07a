"""View 3: the action log above the engine log. ``/`` searches the actions (by instance,
torrent, outcome: activity_search.py), ``esc`` clears the search, ``f`` follows new lines
or holds the place (both logs)."""

from __future__ import annotations

import time

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Log

from qbitrr_tui.engine.events import ActionEvent, LogLine
from qbitrr_tui.tui import activity_search
from qbitrr_tui.tui.columns import ACTIVITY_ORDER, ACTIVITY_STEPS
from qbitrr_tui.tui.format import GLYPHS, rule_text, style
from qbitrr_tui.tui.widgets.fitted_table import FittedTable

OUTCOME_KINDS = {"applied": "ok", "failed": "problem", "held": "special", "planned": "info"}


class ActivityView(Vertical):
    """The action log (planned / applied / failed / held) above the engine log."""

    BINDINGS = [
        Binding(
            "f",
            "toggle_follow",
            "Follow",
            id="activity.follow",
            tooltip="Follow new lines, or hold the place to read",
        ),
        Binding(
            "escape",
            "clear_search",
            "Clear search",
            show=False,
            id="activity.clear_search",
            tooltip="Show every action again",
        ),
    ]
    DEFAULT_CSS = """
    ActivityView #activity-search { display: none; height: 1; border: none; padding: 0 1; }
    ActivityView.-searching #activity-search { display: block; }
    """
    MAX_ROWS = 1000

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._count = 0
        self.follow = True
        self._events: dict[str, ActionEvent] = {}  # every row kept, shown or not
        self._tests: list[activity_search.Test] = []
        self._query = ""

    def compose(self) -> ComposeResult:
        yield Label("Actions", classes="section", id="actions-title")
        yield Input(placeholder="on:<instance> outcome:failed word …", id="activity-search")
        yield FittedTable(ACTIVITY_STEPS, ACTIVITY_ORDER, id="actions")
        yield Label("Engine log", classes="section")
        yield Log(id="engine-log", max_lines=2000, auto_scroll=True)

    def _title(self, shown: int | None = None) -> None:
        text = Text("Actions")
        if self._query:
            text.append(f" · {shown} matching {self._query!r}")
        text.append(" · following" if self.follow else " · held (f follows)", style="dim")
        self.query_one("#actions-title", Label).update(text)

    def on_mount(self) -> None:
        self._title()

    def add_actions(self, events: list[ActionEvent]) -> None:
        table = self.query_one("#actions", FittedTable)
        # Follow only from the newest line: someone reading an older one keeps their place.
        at_end = not table.row_count or table.cursor_row >= table.row_count - 1
        for event in events[-self.MAX_ROWS :]:
            self._count += 1
            key = str(self._count)
            self._events[key] = event
            if activity_search.matches(self._tests, event):
                table.append(key, _cells(event))
        while len(self._events) > self.MAX_ROWS:
            del self._events[next(iter(self._events))]
        table.drop_oldest(self.MAX_ROWS)
        if events and table.row_count and self.follow and at_end:
            table.move_cursor(row=table.row_count - 1, animate=False)
        if self._query:
            self._title(table.row_count)

    def action_toggle_follow(self) -> None:
        self.follow = not self.follow
        self.query_one("#engine-log", Log).auto_scroll = self.follow
        table = self.query_one("#actions", FittedTable)
        if self.follow and table.row_count:
            table.move_cursor(row=table.row_count - 1, animate=False)
        self._title(table.row_count)

    def open_search(self) -> None:
        self.add_class("-searching")
        self.query_one("#activity-search", Input).focus()

    def action_clear_search(self) -> None:
        search = self.query_one("#activity-search", Input)
        search.value = ""
        self.remove_class("-searching")
        self.query_one("#actions", FittedTable).focus()

    @on(Input.Changed, "#activity-search")
    def _search(self, event: Input.Changed) -> None:
        tests, errors = activity_search.parse(event.value)
        self._tests, self._query = tests, event.value.strip()
        table = self.query_one("#actions", FittedTable)
        table.replace_rows(
            (key, _cells(e)) for key, e in self._events.items() if activity_search.matches(tests, e)
        )
        self._title(table.row_count)
        if errors:
            self.query_one("#actions-title", Label).update(Text(errors[0], style="bold red"))

    @on(Input.Submitted, "#activity-search")
    def _keep(self) -> None:
        self.query_one("#actions", FittedTable).focus()

    def add_log(self, lines: list[LogLine]) -> None:
        log = self.query_one("#engine-log", Log)
        log.write_lines(
            f"{time.strftime('%H:%M:%S', time.localtime(line.time))} {line.level:<7} {line.message}"
            for line in lines
        )


def _cells(event: ActionEvent) -> dict[str, Text]:
    kind = OUTCOME_KINDS.get(event.outcome, "")
    outcome = GLYPHS.get(kind, "") + event.outcome + (" (dry-run)" if event.dry_run else "")
    reason = event.reason + (f" — {event.error}" if event.error else "")
    return {
        "time": Text(time.strftime("%H:%M:%S", time.localtime(event.time)), style="dim"),
        "outcome": Text(outcome, style=style(kind)),
        "instance": Text(event.instance),
        "torrent": Text(event.name),
        "action": Text(event.action.describe()),
        "reason": rule_text(event.rule, reason),
    }
