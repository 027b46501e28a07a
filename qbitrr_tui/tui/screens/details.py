"""Enter on a torrent: everything about it, in six tabs (General, Decision, Files,
Trackers, Arr, History). ``esc`` goes back.

The screen opens at once with what the dashboard already knows (the row, this session's
actions); the extra reads (properties, files, trackers, the Arr's queue record) are asked
of the engine with ``RequestDetails`` and arrive as a ``TorrentDetails`` event, which the
app hands to :meth:`DetailsScreen.show_details`. The torrent actions keys work here on this
torrent (the bindings are the app's, see ``torrent_actions.py``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static, TabbedContent, TabPane

from qbitrr_tui.config.units import format_size
from qbitrr_tui.engine import events as ev
from qbitrr_tui.tui.torrent_commands import bindings as torrent_bindings
from qbitrr_tui.tui.widgets.help_first_footer import HelpFirstFooter

TABS = ("general", "decision", "files", "trackers", "arr", "history")
Key = tuple[str, str]


def pairs_table(pairs: Iterable[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for label, value in pairs:
        table.add_row(label, Text(value))
    return table


def row_pairs(row: ev.TorrentRow) -> list[tuple[str, str]]:
    """What the row alone says, until the engine's answer arrives."""
    return [
        ("Name", row.name),
        ("Hash", row.hash),
        ("Instance", row.instance),
        ("Category", row.category or "—"),
        ("State", row.state),
        ("Tags", ", ".join(row.tags) or "—"),
        ("Size", format_size(row.size)),
        ("Ratio", f"{row.ratio:.2f}"),
    ]


def files_table(files: Iterable[ev.FileDetail]) -> Table:
    table = Table(expand=True, box=None, header_style="bold")
    table.add_column("Kept", width=5, no_wrap=True)
    table.add_column("File", ratio=1, overflow="fold")
    table.add_column("Size", justify="right", no_wrap=True)
    table.add_column("Done", justify="right", no_wrap=True)
    for f in files:
        kept = Text("✓", "green") if f.kept else Text("skip", "dim")
        table.add_row(kept, f.name, format_size(f.size), f"{f.progress * 100:.0f}%")
    return table


def trackers_table(trackers: Iterable[ev.TrackerDetail]) -> Table:
    table = Table(expand=True, box=None, header_style="bold")
    table.add_column("Tracker", ratio=2, overflow="fold")
    table.add_column("Status", no_wrap=True)
    table.add_column("Message", ratio=1, overflow="fold")
    for t in trackers:
        style = "red" if t.status == "not working" else ""
        table.add_row(t.url, Text(t.status, style), t.message)
    return table


def history_table(events: Iterable[ev.ActionEvent]) -> Table:
    table = Table(expand=True, box=None, header_style="bold")
    table.add_column("Time", no_wrap=True)
    table.add_column("Outcome", no_wrap=True)
    table.add_column("Action", no_wrap=True)
    table.add_column("Why", ratio=1, overflow="fold")
    for e in events:
        why = f"{e.rule}: {e.reason}" + (f" — {e.error}" if e.error else "")
        table.add_row(
            time.strftime("%H:%M:%S", time.localtime(e.time)), e.outcome, e.action.describe(), why
        )
    return table


def journal_table(steps: Iterable[ev.JournalLine]) -> Table:
    """The torrent's steps in the action journal, each with its state."""
    table = Table(expand=True, box=None, header_style="bold", title_justify="left")
    table.add_column("Since", no_wrap=True)
    table.add_column("Step", no_wrap=True)
    table.add_column("State", ratio=1, overflow="fold")
    for step in steps:
        state = step.status
        style = "red" if state.startswith("failed") else ("green" if state == "confirmed" else "")
        tries = f" (sent {step.attempts}×)" if step.attempts > 1 else ""
        table.add_row(
            time.strftime("%H:%M:%S", time.localtime(step.created)),
            step.action,
            Text(state + tries, style),
        )
    return table


def history_view(journal: tuple[ev.JournalLine, ...], events: list[ev.ActionEvent]) -> Group:
    """The History tab: the journal's steps (exactly-once ones), then every action logged."""
    parts: list[RenderableType] = [Text("Action journal", "bold underline")]
    parts.append(
        journal_table(journal)
        if journal
        else Text("No imports, blocklistings, deletions or searches.", "dim")
    )
    parts.append(Text("\nActivity", "bold underline"))
    parts.append(
        history_table(events)
        if events
        else Text("No actions on this torrent since the dashboard started.", "dim")
    )
    return Group(*parts)


class DetailsScreen(Screen[None]):
    BINDINGS = [
        Binding(
            "escape,q", "app.pop_screen", "Back", id="details.back", tooltip="Back to the torrents"
        ),
        Binding(
            "left,h",
            "tab(-1)",
            "Tab ←",
            show=False,
            id="details.previous_tab",
            tooltip="The previous section",
        ),
        Binding(
            "right,l",
            "tab(1)",
            "Tab →",
            show=False,
            id="details.next_tab",
            tooltip="The next section",
        ),
        *torrent_bindings(),
    ]
    DEFAULT_CSS = """
    DetailsScreen #details-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    DetailsScreen #details-status { height: auto; padding: 0 1; color: $text-muted; }
    DetailsScreen #details-tabs { height: 1fr; }
    DetailsScreen TabPane { height: 1fr; padding: 0 1; }
    DetailsScreen TabPane > VerticalScroll { height: 1fr; }
    """

    def __init__(self, row: ev.TorrentRow, history: list[ev.ActionEvent]) -> None:
        super().__init__()
        self.key: Key = row.key
        self.row = row
        self._history = history
        self.details: ev.TorrentDetails | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(f"{self.row.name}  ({self.row.instance})"), id="details-title")
        yield Static("Reading properties, files and trackers…", id="details-status")
        with TabbedContent(id="details-tabs"):
            for name in TABS:
                with TabPane(name.capitalize(), id=f"tab-{name}"), VerticalScroll():
                    yield Static(id=f"body-{name}")
        yield HelpFirstFooter()

    def on_mount(self) -> None:
        why = self.row.reason_at(time.time())  # the countdown as the screen opens
        reason = [("Rule", self.row.rule or "—"), ("Reason", why or "—")]
        self._body("general").update(pairs_table(row_pairs(self.row)))
        self._body("decision").update(pairs_table(reason))
        for name in ("files", "trackers", "arr"):
            self._body(name).update(Text("…", "dim"))
        self.show_history(self._history)

    def _body(self, name: str) -> Static:
        return self.query_one(f"#body-{name}", Static)

    def show_details(self, details: ev.TorrentDetails) -> None:
        self.details = details
        self.show_history(self._history)
        status = self.query_one("#details-status", Static)
        if details.error:
            status.update(Text(details.error, "bold red"))
        else:
            status.update(f"{len(details.files)} file(s), {len(details.trackers)} tracker(s)")
        if details.general:
            self._body("general").update(pairs_table(details.general))
        if details.decision:
            self._body("decision").update(pairs_table(details.decision))
        self._body("files").update(
            files_table(details.files) if details.files else "No files read."
        )
        self._body("trackers").update(
            trackers_table(details.trackers) if details.trackers else "No trackers read."
        )
        self._body("arr").update(
            pairs_table(details.arr) if details.arr else "No Arr manages this category."
        )

    def show_history(self, events: list[ev.ActionEvent]) -> None:
        self._history = events
        journal = self.details.journal if self.details is not None else ()
        self._body("history").update(history_view(journal, events))

    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        current = (tabs.active or "tab-general").removeprefix("tab-")
        tabs.active = f"tab-{TABS[(TABS.index(current) + step) % len(TABS)]}"
