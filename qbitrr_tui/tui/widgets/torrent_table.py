"""The torrent table: a virtual table that draws only the rows on screen.

It holds the rows in order (``torrent_order.RowOrder``: keys sorted by value, moved with
bisect on a change, grouped by instance and category) and turns a row into cells only when
the row is drawn (cached by the row object: a changed torrent is a new row object). Nothing
per row is a widget or a reactive, so 30,000 rows cost a list of keys; an update to rows off
screen repaints nothing. The look is Textual's DataTable's (its component classes).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, KeysView

from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.strip import Strip

from qbitrr_tui.engine.events import TorrentRow
from qbitrr_tui.tui.columns import (
    OPTIONAL_COLUMNS,
    TORRENT_COLUMNS,
    TORRENT_ORDER,
    TORRENT_STEPS,
    fit,
)
from qbitrr_tui.tui.format import Cell, needs_tick, torrent_cells
from qbitrr_tui.tui.torrent_groups import Group, header_cells
from qbitrr_tui.tui.torrent_order import Item, Key
from qbitrr_tui.tui.view_model import Offline
from qbitrr_tui.tui.widgets.torrent_cursor import CursorTable, parse_row_key, row_key
from qbitrr_tui.tui.widgets.torrent_lines import Layout, line

__all__ = ["TorrentTable", "parse_row_key", "row_key"]

_CACHED_ROWS = 4096  # cells kept for rows drawn lately (a screen is ~50)


class TorrentTable(CursorTable):
    COMPONENT_CLASSES = {
        "datatable--header",
        "datatable--cursor",
        "datatable--even-row",
        "datatable--odd-row",
        "datatable--hover",
    }
    # DataTable's look. Never wider than the screen: the columns share the width (columns.py).
    DEFAULT_CSS = """
    TorrentTable {
        height: 1fr; overflow-x: hidden; scrollbar-size-vertical: 1;
        background: $surface; color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .datatable--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .datatable--header { background-tint: $foreground 5%; }
        }
        &:dark > .datatable--even-row { background: $surface-darken-1 40%; }
        & > .datatable--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .datatable--header { background: ansi_bright_blue; color: ansi_default; }
        & > .datatable--even-row { background: $surface-lighten-1 50%; }
        & > .datatable--hover { background: $block-hover-background; }
        & > .datatable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._cells: dict[Key, tuple[TorrentRow, dict[str, Cell]]] = {}
        self._headers: dict[Group, dict[str, Cell]] = {}
        self.sort_columns: tuple[str, ...] = ("category", "name")
        self.sort_reverse = False
        self._offline: dict[str, Offline] = {}  # instance → why its rows are not live
        self.hidden_columns: frozenset[str] = frozenset()  # by the view (one instance's tab)
        self.unchosen_columns: frozenset[str] = OPTIONAL_COLUMNS  # by the column chooser
        self._optional: frozenset[str] = frozenset()  # the optional columns chosen
        self.marked: set[Key] = set()  # space: what the torrent actions act on
        self.clock: Callable[[], float] = time.time  # the view's (a test's fake one)

    # --- what a row shows -----------------------------------------------------------
    @property
    def offline(self) -> dict[str, Offline]:
        """Instance → why its rows are not live (they are greyed)."""
        return self._offline

    @offline.setter
    def offline(self, offline: dict[str, Offline]) -> None:
        if offline != self._offline:
            self._cells.clear()  # cached by row object: the same rows now look different
        self._offline = offline

    def cells(self, row: TorrentRow) -> dict[str, Cell]:
        cached = self._cells.get(row.key)
        if cached is not None and cached[0] is row:
            return cached[1]
        offline = self.offline.get(row.instance)
        label = offline.row_label() if offline else None
        cells = torrent_cells(row, label, self._optional, self.clock())
        if self.marked and row.key in self.marked:
            name = cells["name"]
            cells["name"] = Cell(name.value, f"● {name.text}", "bold", name.group)
        if len(self._cells) >= _CACHED_ROWS:
            self._cells.clear()
        self._cells[row.key] = (row, cells)
        return cells

    def _header(self, group: Group) -> dict[str, Cell]:
        cells = self._headers.get(group)
        if cells is None:
            collapsed = group in self._order.collapsed
            cells = header_cells(group, self._order.members(group), collapsed=collapsed)
            self._headers[group] = cells
        return cells

    def _item_cells(self, item: Item) -> dict[str, Cell]:
        header, key = item
        return self._header(key) if header else self.cells(self._order.rows[key])

    # --- drawing --------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            return self._header_line(width)
        index = round(self.scroll_y) + y - 1
        item = self._order.at(index)
        if item is None:
            return Strip.blank(width, self.rich_style)
        zebra = "datatable--odd-row" if index % 2 else "datatable--even-row"
        style = self.get_component_rich_style(zebra)
        over = None
        if index == self.cursor_row:
            cursor = self.get_component_rich_style("datatable--cursor")
            style += cursor
            over = Style(color=cursor.color)  # the cursor's colour wins over the cell's
        elif index == self.hover_row:
            style += self.get_component_rich_style("datatable--hover")
        return line(self._item_cells(item), self.layout_columns, style, width, row=index, over=over)

    def _header_line(self, width: int) -> Strip:
        labels = {key: self._label(key, label) for key, label, _ in self.layout_columns}
        style = self.get_component_rich_style("datatable--header")
        return line(labels, self.layout_columns, style, width, row=-1)

    def _label(self, key: str, label: str) -> tuple[str, str]:
        """A header, with ▲ or ▼ on the sort column."""
        if self.sort_columns and self.sort_columns[0] == key:
            return (label + (" ▼" if self.sort_reverse else " ▲"), "bold")
        return (label, "")

    @property
    def labels(self) -> dict[str, str]:
        return {key: self._label(key, label)[0] for key, label, _ in self.layout_columns}

        return [self._order.at(i) for i in self._visible()]

    def _sync_size(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._order) + 1)
        self.cursor_row = max(0, min(self.cursor_row, len(self._order) - 1))

    def tick(self) -> None:
        """Once a second: redraw the visible rows whose cells count down by themselves."""
        rows = self._order.rows
        due = [i for i in self._window() if i and not i[0] and needs_tick(rows[i[1]])]
        for _, key in due:
            self._cells.pop(key, None)
        if due:
            self.refresh()

    # --- layout ---------------------------------------------------------------------
    def on_mount(self) -> None:
        self.layout_columns = self._layout_for(self.size.width or self.app.size.width)
        self._apply_sort()

    def on_resize(self, event: events.Resize) -> None:
        self.relayout(event.size.width)
        self._sync_size()

    def relayout(self, width: int | None = None) -> None:
        """Fit the columns to ``width`` (the table's own by default)."""
        layout = self._layout_for(width or self.size.width or self.app.size.width)
        if layout != self.layout_columns:
            self.layout_columns = layout
            self._apply_sort()
            self.refresh()

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
        self._cells.clear()
        self.relayout()
        self.refresh()

    # --- rows -----------------------------------------------------------------------
    @property
    def keys(self) -> KeysView[Key]:
        return self._order.rows.keys()

    @property
    def torrent_rows(self) -> int:
        """Torrents on screen: group headers and folded groups' torrents not counted."""
        return self._order.torrents_shown

    @property
    def grouped(self) -> bool:
        return self._order.grouped

    @grouped.setter
    def grouped(self, grouped: bool) -> None:
        self._order.set_grouped(grouped)

    @property
    def collapsed(self) -> set[Group]:
        return self._order.collapsed

    def rebuild(self, rows: Iterable[TorrentRow]) -> None:
        """Show exactly ``rows`` (a new tab or filter); the cursor stays on its torrent if
        it is still shown."""
        keep = self.highlighted_key()
        self._order.replace(rows)
        self._cells.clear()
        self._headers.clear()
        self._sync_size()
        self._restore_cursor(keep)
        self.refresh()

    def apply(self, changed: Iterable[TorrentRow], removed: Iterable[Key]) -> bool:
        """Apply a diff (always cheap enough: returns True). The cursor stays on its torrent
        and, when it was on screen, at the same height; nothing repaints unless a row on
        screen changed or moved."""
        changed = list(changed)
        keep, seen = self.highlighted_key(), self.cursor_row in self._visible()
        before = self._window()
        touched = self._order.update(changed, removed)
        for group in touched:
            self._headers.pop(group, None)
        self._sync_size()
        self._restore_cursor(keep, follow=seen)
        after = self._window()
        keys = {row.key for row in changed}
        if before != after or any(
            item is not None and (item[1] in touched if item[0] else item[1] in keys)
            for item in after
        ):
            self.refresh()
        return True

    def set_grouped(self, grouped: bool) -> None:
        """Rows grouped by instance and category under a header each, or one flat list."""
        if grouped != self.grouped:
            keep = self.highlighted_key()
            self._order.set_grouped(grouped)
            self._sync_size()
            self._restore_cursor(keep)
            self.refresh()

    def toggle_group(self, group: Group) -> None:
        """Collapse or expand a group; the cursor stays on its header."""
        self._order.toggle(group)
        self._headers.pop(group, None)
        self._sync_size()
        index = self._order.header_index(group)
        if index is not None:
            self.move_cursor(row=index)
        self.refresh()

    def toggle_mark(self, key: Key) -> None:
        """Mark or unmark a torrent (its name shows ●)."""
        self.marked ^= {key}
        self._cells.pop(key, None)
        self._refresh_row(self._order.index_of(key))

    def clear_marks(self) -> None:
        marked, self.marked = self.marked, set()
        for key in marked:
            self._cells.pop(key, None)
        self.refresh()

    # --- sorting --------------------------------------------------------------------
    @property
    def sort_spec(self) -> str:
        """The sort as ``[UI] Sort`` keeps it: the column, ``-`` first when reversed."""
        return ("-" if self.sort_reverse else "") + (self.sort_columns or ("name",))[0]

    def set_sort(self, spec: str) -> None:
        """The sort ``[UI] Sort`` kept (``-size``: by size, reversed)."""
        column = spec.removeprefix("-")
        self.sort_columns = (column, "name") if column != "name" else ("name",)
        self.sort_reverse = spec.startswith("-")
        self._apply_sort()

    def sort_by(self, column: str) -> None:
        """Sort by ``column``; asking again for the same column reverses the order."""
        if self.sort_columns and self.sort_columns[0] == column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_columns = (column, "name") if column != "name" else ("name",)
            self.sort_reverse = False
        self._apply_sort()

    def _apply_sort(self) -> None:
        # Only by the columns on screen: a narrow terminal may not show the category.
        shown = {k for k, _, _ in self.layout_columns}
        columns = tuple(c for c in self.sort_columns if c in shown) or ("name",)
        keep = self.highlighted_key()
        self._order.set_sort(columns, self.sort_reverse)
        self._restore_cursor(keep)
        self.refresh()

    # --- cells by the keys DataTable used (tests) ------------------------------------
    def get_cell(self, value: str, column: str) -> Cell:
        """The cell in ``column`` of the line keyed ``value`` (row_key or header_key)."""
        item = self._order.at(self.get_row_index(value))
        assert item is not None
        return self._item_cells(item)[column]

    def get_row(self, value: str) -> list[Cell]:
        """The cells on screen of the line keyed ``value``."""
        item = self._order.at(self.get_row_index(value))
        assert item is not None
        cells = self._item_cells(item)
        return [cells[key] for key, _, _ in self.layout_columns]
