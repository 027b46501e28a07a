"""View 2: tabs per instance (plus All), a filter, and the torrent table."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Static, Tab, Tabs

from qbitrr_tui.engine.events import TorrentRow
from qbitrr_tui.tui.view_model import DashboardModel, matches
from qbitrr_tui.tui.widgets.instance_panel import css_id
from qbitrr_tui.tui.widgets.torrent_table import TorrentTable

ALL = "all"
Key = tuple[str, str]


class TorrentsView(Vertical):
    """Tabs per instance (plus All), a filter, and the torrent table."""

    BINDINGS = [
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            show=False,
            id="torrents.clear_filter",
            tooltip="Clear the filter and show every torrent",
        ),
        Binding(
            "s",
            "cycle_sort",
            "Sort",
            id="torrents.sort",
            tooltip="Sort by the column under the cursor (again: reverse)",
        ),
    ]

    class Shown(Message):
        """The visible set changed (tab or filter)."""

    def __init__(self, names: Iterable[str], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._names = list(names)
        self.instance = ALL
        self.query_text = ""

    def compose(self) -> ComposeResult:
        yield Tabs(
            Tab("All", id=f"tab-{ALL}"),
            *(Tab(n, id=f"tab-{css_id(n)}") for n in self._names),
            id="instance-tabs",
        )
        yield Input(
            placeholder="filter: words, state:stalled, cat:radarr, rule:import, tag:…", id="filter"
        )
        yield TorrentTable(id="torrents")
        yield Static(id="torrent-count")

    @property
    def table(self) -> TorrentTable:
        return self.query_one(TorrentTable)

    def shows(self, row: TorrentRow) -> bool:
        return self.instance in (ALL, row.instance) and (
            not self.query_text or matches(row, self.query_text)
        )

    def rebuild(self, model: DashboardModel) -> None:
        rows = [row for row in model.torrents.values() if self.shows(row)]
        self.table.rebuild(rows)
        self._count(model)

    def apply(self, model: DashboardModel, changed: set[Key], removed: set[Key]) -> None:
        rows = []
        gone = set(removed)
        shown = self.table.keys
        for key in changed:
            row = model.torrents.get(key)
            if row is None:
                continue
            if self.shows(row):
                rows.append(row)
            elif key in shown:
                gone.add(key)
        if not self.table.apply(rows, gone):
            self.table.rebuild(r for r in model.torrents.values() if self.shows(r))
        self._count(model)

    def _count(self, model: DashboardModel) -> None:
        shown = self.table.row_count
        total = len(model.torrents)
        scope = "all instances" if self.instance == ALL else f"instance '{self.instance}'"
        text = f" {shown} of {total} torrents · {scope}"
        if self.query_text:
            text += f" · filter: {self.query_text}"
        self.query_one("#torrent-count", Static).update(Text(text, style="dim"))

    def set_instances(self, names: list[str]) -> None:
        for name in names:
            self.add_tab(name)
        for name in [n for n in self._names if n not in names]:
            self._names.remove(name)
            self.query_one(Tabs).remove_tab(f"tab-{css_id(name)}")

    def add_tab(self, name: str) -> None:
        if name not in self._names:
            self._names.append(name)
            self.query_one(Tabs).add_tab(Tab(name, id=f"tab-{css_id(name)}"))

    @on(Tabs.TabActivated)
    def _tab(self, event: Tabs.TabActivated) -> None:
        tab_id = event.tab.id or ""
        wanted = tab_id.removeprefix("tab-")
        self.instance = next((n for n in self._names if css_id(n) == wanted), ALL)
        self.post_message(self.Shown())

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self.query_text = event.value.strip()
        self.post_message(self.Shown())

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.table.focus()

    @on(Input.Blurred, "#filter")
    def _filter_left(self, event: Input.Blurred) -> None:
        # The box takes three lines: it shows only while used or holding a filter.
        event.input.set_class(bool(event.input.value), "-active")

    def focus_filter(self) -> None:
        filter_input = self.query_one("#filter", Input)
        filter_input.add_class("-active")
        filter_input.focus()

    def action_clear_filter(self) -> None:
        filter_input = self.query_one("#filter", Input)
        filter_input.value = ""
        filter_input.remove_class("-active")
        self.table.focus()

    def action_cycle_sort(self) -> None:
        table = self.table
        column = table.ordered_columns[table.cursor_column].key.value if table.row_count else None
        table.sort_by(column or "name")

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        self.table.sort_by(event.column_key.value or "name")
