"""`?`: every key, what it does, and where the config and logs live."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding(
            "escape,q,question_mark", "dismiss", "Close", id="help.close", tooltip="Close the help"
        )
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 84; max-width: 95%; height: 80%; border: thick $primary; background: $panel;
        padding: 0 1;
    }
    """

    def __init__(self, keys: list[tuple[str, str, str]], footer: str) -> None:
        super().__init__()
        self.keys = keys
        self.footer = footer

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_header=True, header_style="bold")
        table.add_column("Key", no_wrap=True)
        table.add_column("Action", no_wrap=True)
        table.add_column("What it does")
        for key, description, tooltip in self.keys:
            table.add_row(Text(key, style="bold"), description, tooltip)
        with VerticalScroll():
            yield Static(Text("qbitrr-tui — keys", style="bold"))
            yield Static(table)
            yield Static(Text(self.footer, style="dim"))
