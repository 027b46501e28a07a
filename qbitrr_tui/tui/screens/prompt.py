"""Ask for one line of text; dismisses with the text, or None when cancelled (esc)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from qbitrr_tui.tui.widgets.text_input import OrderedInput


class PromptScreen(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel", tooltip="Close without an answer")
    ]
    DEFAULT_CSS = """
    PromptScreen { align: center middle; }
    PromptScreen > Vertical {
        width: 64; max-width: 90%; height: auto; border: thick $primary; background: $panel;
        padding: 1 2;
    }
    PromptScreen Label { width: 1fr; margin-bottom: 1; }
    """

    def __init__(self, question: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.question, self.value, self.placeholder = question, value, placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            # Text, not markup: "New name for [qBit]:" must keep its brackets.
            yield Label(Text(self.question), id="question")
            yield OrderedInput(
                self.value, placeholder=self.placeholder, id="answer", select_on_focus=False
            )

    def on_mount(self) -> None:
        # The cursor goes to the end, nothing selected: typing "4K" after "Radarr-" appends.
        answer = self.query_one("#answer", Input)
        answer.focus()
        answer.cursor_position = len(answer.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
