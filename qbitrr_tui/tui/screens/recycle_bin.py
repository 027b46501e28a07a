"""`b`: the recycle bin — what was deleted with its files, how big, until when; `r` or enter
puts the highlighted entry back on its instance, in its category, with its data (through the
engine: engine/restore.py)."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from qbitrr_tui.config.units import format_size
from qbitrr_tui.engine import events as ev

_DATA = {"moved": "in the bin", "kept": "in place", "deleted": "deleted"}


class RecycleBinScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,b", "close", "Close", id="bin.close", tooltip="Back to the dashboard"),
        Binding(
            "r,enter",
            "restore",
            "Restore",
            id="bin.restore",
            tooltip="Put the highlighted torrent back on its instance, with its data",
        ),
    ]
    DEFAULT_CSS = """
    RecycleBinScreen { align: center middle; }
    RecycleBinScreen > Vertical {
        width: 96%; height: auto; max-height: 90%; border: thick $primary; background: $panel;
        padding: 0 1;
    }
    RecycleBinScreen DataTable { height: auto; max-height: 16; }
    """

    class Restore(Message):
        def __init__(self, key: tuple[str, str]) -> None:
            super().__init__()
            self.key = key

    def __init__(self, shown: ev.RecycleBinChanged | None) -> None:
        super().__init__()
        self.shown = shown

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(id="bin-title")
            yield DataTable(id="bin-table", cursor_type="row", zebra_stripes=True)
            yield Label(Text("r restore · esc close", style="dim"))

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, label in (
            ("name", "Name"),
            ("instance", "Instance"),
            ("category", "Category"),
            ("size", "Size"),
            ("data", "Data"),
            ("until", "Kept until"),
        ):
            table.add_column(label, key=key)
        self.show(self.shown)
        table.focus()

    def show(self, shown: ev.RecycleBinChanged | None) -> None:
        self.shown = shown
        rows = shown.rows if shown is not None else ()
        held = format_size(shown.held_bytes) if shown is not None else "0"
        self.query_one("#bin-title", Label).update(
            Text(f"Recycle bin: {_entries(len(rows))}, {held} of data held", style="bold")
            if shown is not None
            else Text("Recycle bin: not read yet (the engine reports it after a cycle)")
        )
        table = self.query_one(DataTable)
        table.clear()
        for row in reversed(rows):  # newest first
            table.add_row(
                Text(row.name),
                Text(row.instance),
                Text(row.category),
                Text(format_size(row.size), justify="right"),
                Text(_DATA.get(row.data, row.data)),
                Text(datetime.fromtimestamp(row.expires_at).strftime("%Y-%m-%d %H:%M")),
                key=f"{row.instance}\t{row.hash}",
            )

    def action_restore(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            self.notify("The recycle bin is empty", markup=False)
            return
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        instance, info_hash = str(row_key.value).split("\t", 1)
        self.post_message(self.Restore((instance, info_hash)))

    def action_close(self) -> None:
        self.dismiss(None)


def _entries(count: int) -> str:
    return "1 entry" if count == 1 else f"{count} entries"
