"""View 2: tabs per instance (plus All), a filter, and the torrent table."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static, Tab, Tabs

from qbitrr_tui.engine.events import TorrentRow
from qbitrr_tui.tui.columns import TORRENT_COLUMNS
from qbitrr_tui.tui.format import style
from qbitrr_tui.tui.screens.column_choice import ColumnChoiceScreen
from qbitrr_tui.tui.screens.sort_choice import SortChoiceScreen
from qbitrr_tui.tui.torrent_commands import bindings as torrent_bindings
from qbitrr_tui.tui.torrent_filter import Filter, parse
from qbitrr_tui.tui.view_model import DashboardModel, Offline
from qbitrr_tui.tui.widgets.instance_panel import css_id
from qbitrr_tui.tui.widgets.text_input import OrderedInput
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
            tooltip="Choose the sort column (the same again: reverse)",
        ),
        Binding(
            "v",
            "toggle_grouped",
            "Group",
            id="torrents.group",
            tooltip="Group the torrents by instance and category (enter folds a group)",
        ),
        Binding(
            "o",
            "toggle_offline",
            "Offline rows",
            id="torrents.offline",
            tooltip="Show or hide the greyed rows of instances that are down or disabled",
        ),
        Binding(
            "f2",
            "choose_columns",
            "Columns",
            show=False,
            id="torrents.columns",
            tooltip="Choose the columns (kept in the config's [UI] table)",
        ),
        Binding(
            "space",
            "toggle_mark",
            "Mark",
            show=False,
            id="torrents.mark",
            tooltip="Mark or unmark the highlighted torrent (actions act on the marked ones)",
        ),
        *torrent_bindings(),
    ]

    class Shown(Message):
        """The visible set changed (tab or filter)."""

    class OpenDetails(Message):
        """Enter on a torrent: open its details."""

        def __init__(self, key: Key) -> None:
            super().__init__()
            self.key = key

    class LayoutChosen(Message):
        """The operator chose columns or a sort: the app keeps them in [UI]."""

        def __init__(self, columns: tuple[str, ...] | None, sort: str | None) -> None:
            super().__init__()
            self.columns = columns
            self.sort = sort

    class GroupingChanged(Message):
        def __init__(self, grouped: bool) -> None:
            super().__init__()
            self.grouped = grouped

    def __init__(self, names: Iterable[str], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._names = list(names)
        self.instance = ALL
        self.query_text = ""
        self.filter: Filter = parse("")
        self.hide_offline = False
        self._model: DashboardModel | None = None

    def compose(self) -> ComposeResult:
        yield Tabs(
            Tab("All", id=f"tab-{ALL}"),
            *(Tab(n, id=f"tab-{css_id(n)}") for n in self._names),
            id="instance-tabs",
        )
        yield OrderedInput(
            placeholder="filter: words  !word  state:stalled  cat:radarr  rule:seeding  on:a,b",
            id="filter",
        )
        yield TorrentTable(id="torrents")
        yield Static(id="torrent-count")

    @property
    def table(self) -> TorrentTable:
        return self.query_one(TorrentTable)

    def shows(self, row: TorrentRow) -> bool:
        if self.hide_offline and row.instance in self.table.offline:
            return False
        return self.instance in (ALL, row.instance) and (not self.query_text or self.filter(row))

    def set_offline(self, model: DashboardModel, offline: dict[str, Offline]) -> None:
        """Grey (or hide) the rows of instances that stopped being live, and bring them
        back when they are; only the rows of instances whose status changed are touched."""
        table = self.table
        if offline == table.offline:
            return
        changed = {
            name
            for name in set(offline) | set(table.offline)
            if offline.get(name) != table.offline.get(name)
        }
        membership = set(offline) ^ set(table.offline)
        table.offline = dict(offline)
        if self.hide_offline and membership:
            self.rebuild(model)
            return
        rows = [r for r in model.torrents.values() if r.instance in changed and self.shows(r)]
        if not table.apply(rows, ()):
            self.rebuild(model)
            return
        self._count(model)

    def rebuild(self, model: DashboardModel) -> None:
        rows = [row for row in model.torrents.values() if self.shows(row)]
        self.table.clock = model.clock  # countdowns are shown at the view's time
        self.table.rebuild(rows)
        self._count(model)

    def apply(self, model: DashboardModel, changed: set[Key], removed: set[Key]) -> None:
        self.table.clock = model.clock
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

    def _count(self, model: DashboardModel, now: float | None = None) -> None:
        self._model = model  # the count line is redrawn when a group folds
        offline = self.table.offline
        shown = self.table.torrent_rows
        total = len(model.torrents)
        scope = "all instances" if self.instance == ALL else f"instance '{self.instance}'"
        text = Text(f" {shown} of {total} torrents · {scope}", style="dim")
        if not total and not any(v.health and v.health.is_up for v in model.instances.values()):
            text.append("  · no instance is reachable yet: see 1 (Instances) or c (Config)")
        if self.query_text:
            text.append(f" · filter: {self.query_text}", style="dim")
        for error in self.filter.errors:
            text.append(f"  ✗ {error}: left out", style=style("problem"))
        if offline:
            _, stale = model.row_counts(offline)
            now = model.clock() if now is None else now
            names = ", ".join(f"{n} ({o.describe(now)})" for n, o in sorted(offline.items()))
            text.append("  ✗ offline: ", style="bold")
            text.append(names)
            if stale:
                how = "hidden" if self.hide_offline else "greyed"
                text.append(f" · {stale} of their rows {how} (o)", style="dim")
        self.query_one("#torrent-count", Static).update(text)

    def set_instances(self, names: list[str]) -> None:
        for name in names:
            self.add_tab(name)
        for name in [n for n in self._names if n not in names]:
            self._names.remove(name)
            self.query_one(Tabs).remove_tab(f"tab-{css_id(name)}")

    def open_tab(self, name: str) -> None:
        """Show ``name``'s tab (Enter on an instance panel)."""
        if name in self._names:
            self.query_one(Tabs).active = f"tab-{css_id(name)}"

    def add_tab(self, name: str) -> None:
        if name not in self._names:
            self._names.append(name)
            self.query_one(Tabs).add_tab(Tab(name, id=f"tab-{css_id(name)}"))

    @on(Tabs.TabActivated)
    def _tab(self, event: Tabs.TabActivated) -> None:
        tab_id = event.tab.id or ""
        wanted = tab_id.removeprefix("tab-")
        self.instance = next((n for n in self._names if css_id(n) == wanted), ALL)
        # On one instance's tab its name in every row says nothing: the width goes elsewhere.
        table = self.table
        table.hidden_columns = frozenset() if self.instance == ALL else frozenset({"instance"})
        table.relayout()
        self.post_message(self.Shown())

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self.query_text = event.value.strip()
        self.filter = parse(self.query_text)
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

    def set_filter(self, text: str) -> None:
        """Show only what ``text`` matches (a saved filter from the palette)."""
        filter_input = self.query_one("#filter", Input)
        filter_input.value = text
        filter_input.set_class(bool(text), "-active")
        self.table.focus()

    def action_clear_filter(self) -> None:
        filter_input = self.query_one("#filter", Input)
        filter_input.value = ""
        filter_input.remove_class("-active")
        self.table.focus()

    def tick(self, model: DashboardModel, now: float) -> None:
        """Once a second: the "last seen 2m ago" in the count line counts on, and so do
        the countdowns on screen."""
        self.table.tick()
        if self.table.offline:
            self._count(model, now)

    def action_toggle_grouped(self) -> None:
        table = self.table
        table.set_grouped(not table.grouped)
        self.post_message(self.GroupingChanged(table.grouped))

    @on(TorrentTable.RowSelected)
    def _row_selected(self) -> None:
        group = self.table.highlighted_group()
        if group is not None:
            self.table.toggle_group(group)
            if self._model is not None:
                self._count(self._model)
            return
        key = self.table.highlighted_key()
        if key is not None:
            self.post_message(self.OpenDetails(key))

    def action_toggle_mark(self) -> None:
        key = self.table.highlighted_key()
        if key is not None:
            self.table.toggle_mark(key)
            self.table.action_cursor_down()

    def action_toggle_offline(self) -> None:
        self.hide_offline = not self.hide_offline
        self.post_message(self.Shown())

    def action_cycle_sort(self) -> None:
        table = self.table
        columns = [(key, label) for key, label, _ in table.layout_columns]

        def chosen(column: str | None) -> None:
            if column:
                table.sort_by(column)
                self.post_message(self.LayoutChosen(None, table.sort_spec))

        self.app.push_screen(
            SortChoiceScreen(columns, table.sort_columns[0], table.sort_reverse), chosen
        )

    @on(TorrentTable.HeaderSelected)
    def _header(self, event: TorrentTable.HeaderSelected) -> None:
        self.table.sort_by(event.column)
        self.post_message(self.LayoutChosen(None, self.table.sort_spec))

    def action_choose_columns(self) -> None:
        table = self.table

        def chosen(columns: tuple[str, ...] | None) -> None:
            if columns is not None:
                table.choose_columns(columns)
                self.post_message(self.LayoutChosen(columns, None))

        shown = frozenset(TORRENT_COLUMNS) - table.unchosen_columns
        self.app.push_screen(ColumnChoiceScreen(shown), chosen)
