"""A small keyed table whose columns share the width by priority (columns.py) and are
fitted again on resize: the plan and the action log. It keeps its rows' cells by column,
so a new fit re-adds them without asking anyone."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import events
from textual.widgets import DataTable

from qbitrr_tui.tui.columns import Step, fit
from qbitrr_tui.tui.widgets.table_keys import TABLE_KEYS, cursor_row_key

Cells = dict[str, Text]


class FittedTable(DataTable[Text]):
    BINDINGS = TABLE_KEYS
    DEFAULT_CSS = """
    FittedTable { overflow-x: hidden; scrollbar-size-vertical: 1; }
    """

    def __init__(self, steps: tuple[Step, ...], order: tuple[str, ...], **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.steps, self.order = steps, order
        self.layout_columns: tuple[tuple[str, str, int], ...] = ()
        self._rows: dict[str, Cells] = {}

    def on_mount(self) -> None:
        self._fit(self.size.width or self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        layout = tuple(fit(self.steps, self.order, width - 1))
        if layout == self.layout_columns:
            return
        keep = self.highlighted_key()
        self.layout_columns = layout
        self.clear(columns=True)
        for key, label, column_width in layout:
            self.add_column(label, key=key, width=column_width)
        for key, cells in self._rows.items():
            self._add(key, cells)
        self.select_key(keep)

    def _add(self, key: str, cells: Cells) -> None:
        for cell in cells.values():
            cell.no_wrap, cell.overflow = True, "ellipsis"  # a cut text says it is cut
        self.add_row(*(cells.get(k, Text("")) for k, _, _ in self.layout_columns), key=key)

    def highlighted_key(self) -> str | None:
        return cursor_row_key(self)

    def select_key(self, key: str | None) -> None:
        """Put the cursor back on ``key``'s row (if it is still there)."""
        if key is None or key not in self._rows:
            return
        index = self.get_row_index(key)
        if index != self.cursor_row:
            self.move_cursor(row=index, animate=False)

    def replace_rows(self, rows: Iterable[tuple[str, Cells]]) -> None:
        """Show exactly ``rows``; the cursor stays on its row if that row is still shown,
        else on the row now at its place."""
        keep, at = self.highlighted_key(), self.cursor_row
        self._rows = dict(rows)
        self.clear()
        for key, cells in self._rows.items():
            self._add(key, cells)
        if keep in self._rows:
            self.select_key(keep)
        elif self.row_count:
            self.move_cursor(row=min(at, self.row_count - 1), animate=False)

    def append(self, key: str, cells: Cells) -> None:
        self._rows[key] = cells
        self._add(key, cells)

    def drop_oldest(self, keep: int) -> None:
        while len(self._rows) > keep:
            key = next(iter(self._rows))
            del self._rows[key]
            self.remove_row(key)

    def set_cell(self, key: str, column: str, value: Text) -> None:
        self._rows[key][column] = value
        if any(k == column for k, _, _ in self.layout_columns):
            self.update_cell(key, column, value)
