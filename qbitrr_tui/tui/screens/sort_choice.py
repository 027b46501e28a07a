"""`s` in the torrent list: choose the sort column from the keyboard (the table has a row
cursor, so there is no "column under the cursor"). The current column is marked with its
direction; choosing it again reverses the order."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class SortChoiceScreen(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape,q,s", "cancel", "Cancel", id="sort.cancel", tooltip="Keep the order")
    ]
    DEFAULT_CSS = """
    SortChoiceScreen { align: center middle; }
    SortChoiceScreen > Vertical {
        width: 40; height: auto; max-height: 90%; border: thick $primary; background: $panel;
        padding: 0 1;
    }
    SortChoiceScreen OptionList { height: auto; max-height: 14; }
    """

    def __init__(self, columns: list[tuple[str, str]], current: str, reverse: bool) -> None:
        super().__init__()
        self.columns, self.current, self.reverse = columns, current, reverse

    def compose(self) -> ComposeResult:
        options = []
        for key, label in self.columns:
            prompt = Text(label)
            if key == self.current:
                prompt.append(" ▼ (again: ▲)" if self.reverse else " ▲ (again: ▼)", style="bold")
            options.append(Option(prompt, id=key))
        with Vertical():
            yield Label(Text("Sort the torrents by", style="bold"))
            yield OptionList(*options, id="sort-columns")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        keys = [key for key, _ in self.columns]
        if self.current in keys:
            options.highlighted = keys.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
