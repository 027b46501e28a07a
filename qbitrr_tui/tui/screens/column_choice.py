"""The column chooser (htop's F2 Setup, k9s custom columns): tick the torrent table's
columns with ``space``, ``enter`` keeps them (they are written to ``[UI] Columns``), ``esc``
leaves them as they were. The name always shows; the rest show as the width allows."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList
from textual.widgets.selection_list import Selection

from qbitrr_tui.tui.columns import TORRENT_COLUMNS


class ColumnChoiceScreen(ModalScreen[tuple[str, ...] | None]):
    BINDINGS = [
        Binding("escape,q", "cancel", "Cancel", id="columns.cancel", tooltip="Keep the columns"),
        Binding(
            "enter",
            "keep",
            "Keep",
            priority=True,
            id="columns.keep",
            tooltip="Show the ticked columns",
        ),
    ]
    DEFAULT_CSS = """
    ColumnChoiceScreen { align: center middle; }
    ColumnChoiceScreen > Vertical {
        width: 50; height: auto; max-height: 90%; border: thick $primary; background: $panel;
        padding: 0 1;
    }
    ColumnChoiceScreen SelectionList { height: auto; max-height: 16; }
    """

    def __init__(self, shown: frozenset[str]) -> None:
        super().__init__()
        self.shown = shown

    def compose(self) -> ComposeResult:
        choices = [
            Selection(label, key, key in self.shown)
            for key, label in TORRENT_COLUMNS.items()
            if key != "name"
        ]
        with Vertical():
            yield Label(Text("Columns · space ticks, enter keeps, esc cancels", style="bold"))
            yield SelectionList[str](*choices, id="column-choices")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_keep(self) -> None:
        chosen = set(self.query_one(SelectionList).selected)
        self.dismiss(tuple(k for k in TORRENT_COLUMNS if k == "name" or k in chosen))

    def action_cancel(self) -> None:
        self.dismiss(None)
