"""Drawing one line of the torrent table (header or row) as a Strip, the way Textual's
DataTable draws it: a cell of padding either side of each column, the cell's own style over
the row's (zebra stripe or cursor), the rest of the line in the row's style."""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from qbitrr_tui.tui.format import Cell

Layout = tuple[tuple[str, str, int], ...]


@lru_cache(maxsize=256)
def parse_style(text: str) -> Style:
    return Style.parse(text) if text else Style.null()


def fitted(text: str, width: int, mark: str = "…") -> tuple[str, int]:
    """``text`` in at most ``width`` cells (cut, ending with ``mark``), and the cells left."""
    if width <= 0:
        return ("", 0)
    if text.isascii() and text.isprintable():
        if len(text) <= width:
            return (text, width - len(text))
        return (text[: width - len(mark)] + mark, 0)
    cells = cell_len(text)
    if cells <= width:
        return (text, width - cells)
    return (set_cell_size(text, width - len(mark)) + mark, 0)


def line(
    cells: dict[str, Cell] | dict[str, tuple[str, str]],
    layout: Layout,
    row_style: Style,
    width: int,
    *,
    row: int,
    over: Style | None = None,
) -> Strip:
    """Line ``row`` (-1: the header): ``cells`` by column key (a Cell, or a header's
    (label, style)). ``over`` goes over the cells' own styles (the cursor's colour, as in
    DataTable). Each cell carries its row and column as meta, as DataTable's do."""
    segments = []
    used = 0
    for column, (key, _, column_width) in enumerate(layout):
        cell = cells[key]
        text, style = (cell.text, cell.style) if isinstance(cell, Cell) else cell
        base = row_style + Style.from_meta({"row": row, "column": column})
        cell_style = base + parse_style(style)
        if over is not None:
            cell_style += over
        used += column_width + 2
        if not text:
            segments.append(Segment(" " * (column_width + 2), base))
            continue
        pad = Segment(" ", base)
        # Headers are cut short (a sort mark that does not fit is left out), cells end "…".
        shown, left = fitted(text, column_width, "" if row < 0 else "…")
        segments += (pad, Segment(shown, cell_style))
        # The cells past the text in the row's style, not the text's (as Rich pads).
        segments.append(Segment(" " * (left + 1), base) if left else pad)
    if used < width:
        rest = Style.from_meta({"row": row, "column": 0, "out_of_bounds": True})
        segments.append(Segment(" " * (width - used), row_style + rest))
    return Strip(segments, max(used, width)).crop(0, width)
