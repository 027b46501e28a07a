"""The torrent table's cursor, keys and mouse over a virtual list of lines (RowOrder):
moving, paging, scrolling the cursor into view, keeping it on its torrent, selecting."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.scroll_view import ScrollView

from qbitrr_tui.tui.torrent_groups import Group, header_key, parse_header_key
from qbitrr_tui.tui.torrent_order import Item, Key, RowOrder
from qbitrr_tui.tui.widgets.table_keys import TABLE_KEYS
from qbitrr_tui.tui.widgets.torrent_lines import Layout

_SEP = "\x1f"


def row_key(key: Key) -> str:
    return f"{key[0]}{_SEP}{key[1]}"


def parse_row_key(value: str) -> Key:
    instance, _, info_hash = value.partition(_SEP)
    return (instance, info_hash)


class CursorTable(ScrollView, can_focus=True):
    """Line 0 is the column headers; line ``i + 1`` shows ``order.at(i)``."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("ctrl+home", "scroll_top", "Top", show=False),
        Binding("ctrl+end", "scroll_bottom", "Bottom", show=False),
        *TABLE_KEYS,
    ]

    class RowSelected(Message):
        """Enter (or a click) on the highlighted row."""

    class HeaderSelected(Message):
        """A click on a column's header."""

        def __init__(self, column: str) -> None:
            super().__init__()
            self.column = column

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._order = RowOrder()
        self.cursor_row = 0
        self.hover_row = -1  # the row under the mouse (-1: none), shown as DataTable does
        self.layout_columns: Layout = ()

    @property
    def row_count(self) -> int:
        """Lines under the header: torrents and group headers."""
        return len(self._order)

    def _visible(self) -> range:
        top = round(self.scroll_y)
        return range(top, min(len(self._order), top + max(0, self.size.height - 1)))

    def _window(self) -> list[Item | None]:
        return [self._order.at(i) for i in self._visible()]

    def _refresh_row(self, index: int | None) -> None:
        if index is not None and index in self._visible():
            self.refresh_line(index + 1)

    def _highlighted(self) -> Item | None:
        return self._order.at(self.cursor_row)

    def highlighted_key(self) -> Key | None:
        """The torrent under the cursor (None on a group's header row)."""
        item = self._highlighted()
        return item[1] if item is not None and not item[0] else None

    def highlighted_group(self) -> Group | None:
        item = self._highlighted()
        return item[1] if item is not None and item[0] else None

    # --- the cursor -----------------------------------------------------------------
    def _restore_cursor(self, key: Key | None, *, follow: bool = False) -> None:
        """Back onto ``key``'s row; with ``follow`` the view scrolls with it, so the row
        stays at the same height on screen when rows come or go above it."""
        index = self._order.index_of(key) if key is not None else None
        if index is None:
            self._sync_cursor()
            return
        if follow and index != self.cursor_row:
            top = round(self.scroll_y) + index - self.cursor_row
            self.scroll_to(y=max(0, top), animate=False, immediate=True)
        self.cursor_row = index

    def _sync_cursor(self) -> None:
        self.cursor_row = max(0, min(self.cursor_row, len(self._order) - 1))

    def move_cursor(self, *, row: int, scroll: bool = True) -> None:
        before = self.cursor_row
        self.cursor_row = max(0, min(row, len(self._order) - 1))
        if before != self.cursor_row:
            self._refresh_row(before)
            self._refresh_row(self.cursor_row)
        if scroll:
            self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        rows = max(1, self.size.height - 1)
        top = round(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + rows:
            self.scroll_to(y=self.cursor_row - rows + 1, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.move_cursor(row=self.cursor_row - max(1, self.size.height - 1))

    def action_page_down(self) -> None:
        self.move_cursor(row=self.cursor_row + max(1, self.size.height - 1))

    def action_scroll_top(self) -> None:
        self.move_cursor(row=0)

    def action_scroll_bottom(self) -> None:
        self.move_cursor(row=len(self._order) - 1)

    def action_select_cursor(self) -> None:
        if self._highlighted() is not None:
            self.post_message(self.RowSelected())

    def on_mouse_move(self, event: events.MouseMove) -> None:
        index = round(self.scroll_y) + event.y - 1
        self._hover(index if event.y > 0 and index < len(self._order) else -1)

    def on_leave(self, _: events.Leave) -> None:
        self._hover(-1)

    def _hover(self, index: int) -> None:
        if index != self.hover_row:
            self.hover_row = index
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            at = 0
            for key, _, width in self.layout_columns:
                at += width + 2
                if event.x < at:
                    self.post_message(self.HeaderSelected(key))
                    break
            return
        index = round(self.scroll_y) + event.y - 1
        if index >= len(self._order):
            return
        again = index == self.cursor_row
        self.move_cursor(row=index)
        if again:
            self.post_message(self.RowSelected())
        event.stop()

    # --- by the keys DataTable used (tests, tools) -----------------------------------
    def _find(self, value: str) -> int | None:
        group = parse_header_key(value)
        if group is not None:
            return self._order.header_index(group)
        return self._order.index_of(parse_row_key(value))

    def get_row_index(self, value: str) -> int:
        index = self._find(value)
        if index is None:
            raise KeyError(value)
        return index

    def ordered_keys(self) -> list[str]:
        """Every line's key in display order (a torrent's row key, a group's header key)."""
        items = (self._order.at(i) for i in range(len(self._order)))
        return [header_key(i[1]) if i[0] else row_key(i[1]) for i in items if i is not None]
