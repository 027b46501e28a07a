"""Moving around a table as in less and htop: Home/End and g/G for the first and last row
(DataTable's own Home/End scroll sideways), j/k for down/up, PgUp/PgDn by a page."""

from __future__ import annotations

from textual.binding import Binding

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
