"""Moving around a table as in less and htop: Home/End and g/G for the first and last row
(DataTable's own Home/End scroll sideways), j/k for down/up, PgUp/PgDn by a page."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

TABLE_KEYS: list[Binding | tuple[str, str] | tuple[str, str, str]] = [
    Binding(
        "home,g",
        "scroll_top",
        "First row",
        show=False,
        id="table.first",
        tooltip="Go to the first row",
    ),
    Binding(
        "end,G",
        "scroll_bottom",
        "Last row",
        show=False,
        id="table.last",
        tooltip="Go to the last row",
    ),
    Binding("j", "cursor_down", "Down", show=False, id="table.down", tooltip="Next row"),
    Binding("k", "cursor_up", "Up", show=False, id="table.up", tooltip="Previous row"),
]


def cursor_row_key(table: DataTable[Any]) -> str | None:
    """The key of the row under ``table``'s cursor, or None (no rows)."""
    if not table.row_count:
        return None
    try:
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    except RowDoesNotExist:
        return None
