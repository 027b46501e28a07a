"""The torrent table: rows keyed by (instance, hash), diff-applied, never rebuilt per tick.

Only cells whose value changed are updated; new rows are added by key; the table is sorted
only when a row was added or a value in a sort column changed; a rebuild happens only when
the set of visible rows is replaced (another tab, another filter), the terminal crosses the
narrow/wide width, or many rows leave at once (removing rows one by one is O(n) each). The
cursor stays on its row throughout.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from rich.text import Text
from textual import events
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowDoesNotExist

from qbitrr_tui.engine.events import TorrentRow
from qbitrr_tui.tui.columns import (
    OPTIONAL_COLUMNS,
    TORRENT_COLUMNS,
    TORRENT_ORDER,
    TORRENT_STEPS,
    fit,
)
from qbitrr_tui.tui.format import Cell, needs_tick, torrent_cells
from qbitrr_tui.tui.torrent_groups import (
    Group,
    group_of,
    header_cells,
    header_key,
    parse_header_key,
)
from qbitrr_tui.tui.view_model import Offline
from qbitrr_tui.tui.widgets.table_keys import TABLE_KEYS, cursor_row_key

Key = tuple[str, str]
Layout = tuple[tuple[str, str, int], ...]
REBUILD_WHEN_REMOVING = 500
_SEP = "\x1f"


def row_key(key: Key) -> str:
    return f"{key[0]}{_SEP}{key[1]}"


def parse_row_key(value: str) -> Key:
    instance, _, info_hash = value.partition(_SEP)
    return (instance, info_hash)


class TorrentTable(DataTable[Cell]):
    BINDINGS = TABLE_KEYS
    # Never wider than the screen: the columns share the width (columns.py).
    DEFAULT_CSS = """
    TorrentTable { height: 1fr; overflow-x: hidden; scrollbar-size-vertical: 1; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self._cells: dict[Key, dict[str, Cell]] = {}
        self.layout_columns: Layout = ()
        self.sort_columns: tuple[str, ...] = ("category", "name")
        self.sort_reverse = False
        self.offline: dict[str, Offline] = {}  # instance → why its rows are not live
        self.hidden_columns: frozenset[str] = frozenset()  # by the view (one instance's tab)
        self.unchosen_columns: frozenset[str] = OPTIONAL_COLUMNS  # by the column chooser
        self._optional: frozenset[str] = frozenset()  # the optional columns chosen
        self.grouped = False
        self.collapsed: set[Group] = set()
        self._rows: dict[Key, TorrentRow] = {}
        self._headers: dict[Group, dict[str, Cell]] = {}
        self.marked: set[Key] = set()  # space: what the torrent actions act on
        self.clock: Callable[[], float] = time.time  # the view's (a test's fake one)

    def cells(self, row: TorrentRow) -> dict[str, Cell]:
        offline = self.offline.get(row.instance)
        label = offline.row_label() if offline else None
        cells = torrent_cells(row, label, self._optional, self.clock())
        if self.marked and row.key in self.marked:
            name = cells["name"]
            cells["name"] = Cell(name.value, f"● {name.text}", "bold", name.group)
        return cells

    def tick_countdowns(self) -> None:
        """Once a second: the decisions of the shown rows that count down to a deadline."""
        if not any(k == "decision" for k, _, _ in self.layout_columns):
            return
        for key, row in self._rows.items():
            if needs_tick(row) and self._shown(key) and key in self._cells:
                self._cells[key] = cells = self.cells(row)
                self.update_cell(row_key(key), "decision", cells["decision"])

    def toggle_mark(self, key: Key) -> None:
        """Mark or unmark a torrent (its name shows ●)."""
        self.marked ^= {key}
        self._repaint(key)

    def clear_marks(self) -> None:
        marked, self.marked = self.marked, set()
        for key in marked:
            self._repaint(key)

    def _repaint(self, key: Key) -> None:
        row = self._rows.get(key)
        if row is None or not self._shown(key):
            return
        self._cells[key] = cells = self.cells(row)
        if any(k == "name" for k, _, _ in self.layout_columns):
            self.update_cell(row_key(key), "name", cells["name"])

    def on_mount(self) -> None:
        self._set_layout(self._layout_for(self.size.width or self.app.size.width))

    def on_resize(self, event: events.Resize) -> None:
        self.relayout(event.size.width)

    def relayout(self, width: int | None = None) -> None:
        """Fit the columns to ``width`` (the table's own by default); rebuild if they moved."""
        layout = self._layout_for(width or self.size.width or self.app.size.width)
        if layout != self.layout_columns:
            self._set_layout(layout)
            self._readd(self.highlighted_key())

    def _layout_for(self, width: int) -> Layout:
        # One cell for the vertical scrollbar, shown or not, so rows never shift sideways.
        skip = self.hidden_columns | self.unchosen_columns
        return tuple(fit(TORRENT_STEPS, TORRENT_ORDER, width - 1, skip=skip))

    def choose_columns(self, shown: Iterable[str]) -> None:
        """Show these columns (as the width allows); the name always shows."""
        unchosen = frozenset(TORRENT_COLUMNS) - {"name", *shown}
        if unchosen == self.unchosen_columns:
            return
        self.unchosen_columns = unchosen
        self._optional = OPTIONAL_COLUMNS - unchosen
        self._cells = {key: self.cells(row) for key, row in self._rows.items()}
        self._set_layout(self._layout_for(self.size.width or self.app.size.width))
        self._readd(self.highlighted_key())

    def _set_layout(self, layout: Layout) -> None:
        self.clear(columns=True)
        self.layout_columns = layout
        for key, label, width in layout:
            self.add_column(self._label(key, label), key=key, width=width)

    @property
    def keys(self) -> set[Key]:
        return set(self._cells)

    @property
    def torrent_rows(self) -> int:
        """Torrents on screen: group headers and folded groups' torrents not counted."""
        return self.row_count - (len(self._headers) if self.grouped else 0)

    def _highlighted_value(self) -> str | None:
        return cursor_row_key(self)

    def highlighted_key(self) -> Key | None:
        """The torrent under the cursor (None on a group's header row)."""
        value = self._highlighted_value()
        if not value or parse_header_key(value) is not None:
            return None
        return parse_row_key(value)

    def highlighted_group(self) -> Group | None:
        value = self._highlighted_value()
        return parse_header_key(value) if value else None

    def _shown(self, key: Key) -> bool:
        return not self.grouped or group_of(self._rows[key]) not in self.collapsed

    def _add(self, key: Key, cells: dict[str, Cell]) -> None:
        self.add_row(*(cells[k] for k, _, _ in self.layout_columns), key=row_key(key))

    def _add_header(self, group: Group) -> None:
        cells = self._headers[group]
        self.add_row(*(cells[k] for k, _, _ in self.layout_columns), key=header_key(group))

    def _readd(self, keep: Key | None) -> None:
        self.clear()
        if self.grouped:
            self._headers = {}
            for group in sorted({group_of(r) for r in self._rows.values()}):
                self._headers[group] = self._header(group)
                self._add_header(group)
        for key, cells in self._cells.items():
            if self._shown(key):
                self._add(key, cells)
        self._sort()
        self._restore_cursor(keep)

    def _header(self, group: Group) -> dict[str, Cell]:
        members = (r for r in self._rows.values() if group_of(r) == group)
        return header_cells(group, members, collapsed=group in self.collapsed)

    def rebuild(self, rows: Iterable[TorrentRow]) -> None:
        """Show exactly ``rows`` (a new tab or filter); the cursor stays on its torrent if
        it is still shown."""
        keep = self.highlighted_key()
        self._rows = {row.key: row for row in rows}
        self._cells = {key: self.cells(row) for key, row in self._rows.items()}
        self._readd(keep)

    def set_grouped(self, grouped: bool) -> None:
        """Rows grouped by instance and category under a header each, or one flat list."""
        if grouped != self.grouped:
            self.grouped = grouped
            self._readd(self.highlighted_key())

    def toggle_group(self, group: Group) -> None:
        """Collapse or expand a group; the cursor stays on its header."""
        self.collapsed ^= {group}
        self._readd(None)
        if header_key(group) in self.rows:
            self.move_cursor(row=self.get_row_index(header_key(group)), animate=False)

    def apply(self, changed: Iterable[TorrentRow], removed: Iterable[Key]) -> bool:
        """Apply a diff; returns False when a rebuild is cheaper (the caller rebuilds)."""
        removed = [k for k in removed if k in self._cells]
        if len(removed) > REBUILD_WHEN_REMOVING:
            return False
        keep = self.highlighted_key()
        needs_sort = False
        touched: set[Group] = set()
        for key in removed:
            touched.add(group_of(self._rows[key]))
            if self._shown(key):
                self.remove_row(row_key(key))
            del self._cells[key], self._rows[key]
        for row in changed:
            cells = self.cells(row)
            old = self._cells.get(row.key)
            before = self._rows.get(row.key)
            if before is not None and group_of(before) != group_of(row):
                if self._shown(row.key):
                    self.remove_row(row_key(row.key))  # moved to another category
                touched.add(group_of(before))
                old = None
            self._cells[row.key], self._rows[row.key] = cells, row
            touched.add(group_of(row))
            if old is None:
                if self._shown(row.key):
                    self._add(row.key, cells)
                    needs_sort = True
                continue
            if not self._shown(row.key):
                continue
            for column, _, _ in self.layout_columns:
                cell = cells[column]
                if cell != old[column]:
                    self.update_cell(row_key(row.key), column, cell)
                    needs_sort = needs_sort or column in self.sort_columns
        if self.grouped:
            needs_sort = self._refresh_headers(touched) or needs_sort
        if needs_sort:
            self._sort()
        if removed or needs_sort:
            self._restore_cursor(keep)
        return True

    def _refresh_headers(self, groups: set[Group]) -> bool:
        """Update the headers of ``groups``; True when a header came or went."""
        present = {group_of(r) for r in self._rows.values()} if groups else set()
        moved = False
        for group in groups:
            if group not in present:
                if self._headers.pop(group, None) is not None:
                    self.remove_row(header_key(group))
                    moved = True
                continue
            cells, old = self._header(group), self._headers.get(group)
            self._headers[group] = cells
            if old is None:
                self._add_header(group)
                moved = True
                continue
            for column, _, _ in self.layout_columns:
                if cells[column] != old[column]:
                    self.update_cell(header_key(group), column, cells[column])
        return moved

    def _label(self, key: str, label: str) -> Text:
        """A header, with ▲ or ▼ on the sort column."""
        if self.sort_columns and self.sort_columns[0] == key:
            return Text(label + (" ▼" if self.sort_reverse else " ▲"), style="bold")
        return Text(label)

    @property
    def sort_spec(self) -> str:
        """The sort as ``[UI] Sort`` keeps it: the column, ``-`` first when reversed."""
        return ("-" if self.sort_reverse else "") + (self.sort_columns or ("name",))[0]

    def set_sort(self, spec: str) -> None:
        """The sort ``[UI] Sort`` kept (``-size``: by size, reversed)."""
        column = spec.removeprefix("-")
        self.sort_columns = (column, "name") if column != "name" else ("name",)
        self.sort_reverse = spec.startswith("-")
        for key, label, _ in self.layout_columns:
            self.columns[ColumnKey(key)].label = self._label(key, label)
        self._sort()

    def sort_by(self, column: str) -> None:
        """Sort by ``column``; asking again for the same column reverses the order."""
        if self.sort_columns and self.sort_columns[0] == column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_columns = (column, "name") if column != "name" else ("name",)
            self.sort_reverse = False
        for key, label, _ in self.layout_columns:
            self.columns[ColumnKey(key)].label = self._label(key, label)
        self.refresh()
        keep = self.highlighted_key()
        self._sort()
        self._restore_cursor(keep)

    def _sort(self) -> None:
        # Only by the columns on screen: a narrow terminal may not show the category.
        shown = {k for k, _, _ in self.layout_columns}
        columns = [c for c in self.sort_columns if c in shown] or ["name"]
        if not self.row_count:
            return
        if not self.grouped:
            self.sort(*columns, reverse=self.sort_reverse)
            return
        # Groups in their order, each header first, then the group's rows in the chosen
        # order (a reverse sort reverses only inside groups).
        rank = {group: i for i, group in enumerate(sorted(self._headers))}
        sign = -1 if self.sort_reverse else 1
        header_first = 1 if self.sort_reverse else 0

        def key(cells: tuple[Cell, ...]) -> tuple[object, ...]:
            name = cells[0]
            if name.header:
                return (sign * rank.get(name.group, 0), header_first)
            return (sign * rank.get(name.group, 0), 1 - header_first, *cells[1:])

        self.sort("name", *columns, key=key, reverse=self.sort_reverse)

    def _restore_cursor(self, key: Key | None) -> None:
        if key is None or key not in self._cells:
            return
        try:
            index = self.get_row_index(row_key(key))
        except RowDoesNotExist:
            return
        if index != self.cursor_row:
            self.move_cursor(row=index, animate=False, scroll=False)
