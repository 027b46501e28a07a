"""View 4: what the engine would do (dry-run) or holds back (deletion cap)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from qbitrr_tui.tui.format import RULE_STYLES
from qbitrr_tui.tui.view_model import DashboardModel, PlanItem

Key = tuple[str, str]


class PlanView(Vertical):
    """What the engine would do (dry-run) or holds back (deletion cap): mark and apply."""

    BINDINGS = [
        Binding(
            "space",
            "toggle_mark",
            "Mark",
            id="plan.mark",
            tooltip="Mark or unmark the highlighted torrent's plan",
        ),
        Binding(
            "a",
            "apply_marked",
            "Apply marked",
            id="plan.apply_marked",
            tooltip="Carry out the marked plans (asks first)",
        ),
        Binding(
            "A",
            "apply_all",
            "Apply all",
            id="plan.apply_all",
            tooltip="Carry out every plan shown (asks first)",
        ),
    ]

    class ApplyRequested(Message):
        def __init__(self, items: list[PlanItem]) -> None:
            super().__init__()
            self.items = items

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.items: dict[Key, PlanItem] = {}
        self.marked: set[Key] = set()

    def compose(self) -> ComposeResult:
        yield Static(id="plan-help")
        yield DataTable(id="plan-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#plan-table", DataTable)
        for key, label, width in (
            ("mark", "✓", 1),
            ("outcome", "Shown as", None),
            ("instance", "Instance", None),
            ("torrent", "Torrent", 28),
            ("actions", "Actions", 26),
            ("reason", "Why", None),
        ):
            table.add_column(label, key=key, width=width)

    def show(self, model: DashboardModel) -> None:
        self.items = dict(model.plan)
        self.marked &= set(self.items)
        table: DataTable[Text] = self.query_one("#plan-table", DataTable)
        keep = table.cursor_row
        table.clear()
        for key, item in self.items.items():
            why = "dry-run" if item.outcome == "planned" else "held (cap)"
            table.add_row(
                Text("✓" if key in self.marked else " ", style="bold green"),
                Text(why, style="cyan" if item.outcome == "planned" else "magenta"),
                Text(item.instance),
                Text(item.name),
                Text(", ".join(item.actions)),
                Text(item.reason, style=RULE_STYLES.get(item.rule, "")),
                key="\x1f".join(key),
            )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1), animate=False)
        count = len(self.items)
        help_text = (
            f" {count} torrent(s) with planned actions. space: mark · a: apply "
            "marked · A: apply all (each asks first)"
            if count
            else " Nothing planned. In dry-run, and when the deletion cap holds actions "
            "back, the engine's plan shows here."
        )
        self.query_one("#plan-help", Static).update(Text(help_text, style="dim"))

    def _highlighted(self) -> Key | None:
        table: DataTable[Text] = self.query_one("#plan-table", DataTable)
        if not table.row_count:
            return None
        value = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        instance, _, info_hash = value.partition("\x1f")
        return (instance, info_hash)

    def action_toggle_mark(self) -> None:
        key = self._highlighted()
        if key is None:
            return
        self.marked ^= {key}
        table: DataTable[Text] = self.query_one("#plan-table", DataTable)
        table.update_cell(
            "\x1f".join(key), "mark", Text("✓" if key in self.marked else " ", style="bold green")
        )

    def action_apply_marked(self) -> None:
        items = [self.items[k] for k in self.marked if k in self.items]
        if items:
            self.post_message(self.ApplyRequested(items))
        else:
            self.notify("Mark plans with space first, or press A to apply all.")

    def action_apply_all(self) -> None:
        if self.items:
            self.post_message(self.ApplyRequested(list(self.items.values())))
