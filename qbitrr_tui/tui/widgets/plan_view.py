"""View 4: what the engine would do (dry-run) or holds back (deletion cap)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from qbitrr_tui.tui.columns import PLAN_ORDER, PLAN_STEPS
from qbitrr_tui.tui.format import rule_text, style
from qbitrr_tui.tui.view_model import DashboardModel, PlanItem
from qbitrr_tui.tui.widgets.fitted_table import FittedTable

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
        yield FittedTable(PLAN_STEPS, PLAN_ORDER, id="plan-table")

    @property
    def table(self) -> FittedTable:
        return self.query_one(FittedTable)

    def show(self, model: DashboardModel) -> None:
        """The plan as it stands now: each torrent's reason is its current one (this is
        where actions are approved), and the cursor stays on its torrent."""
        self.items = dict(model.plan)
        self.marked &= set(self.items)
        rows = []
        for key, item in self.items.items():
            current = model.torrents.get(key)
            now = model.clock()
            rule, reason = (
                (current.rule, current.reason_at(now)) if current else (item.rule, item.reason)
            )
            why = "dry-run" if item.outcome == "planned" else "held (cap)"
            rows.append(
                (
                    plan_key(key),
                    {
                        "mark": self._mark(key),
                        "outcome": Text(
                            why, style=style("info" if item.outcome == "planned" else "special")
                        ),
                        "instance": Text(item.instance),
                        "torrent": Text(item.name),
                        "actions": Text(", ".join(item.actions)),
                        "reason": rule_text(rule, reason),
                    },
                )
            )
        self.table.replace_rows(rows)
        count = len(self.items)
        help_text = (
            f" {count} torrent(s) with planned actions. space: mark · a: apply "
            "marked · A: apply all (each asks first)"
            if count
            else " Nothing planned. In dry-run, and when the deletion cap holds actions "
            "back, the engine's plan shows here."
        )
        self.query_one("#plan-help", Static).update(Text(help_text, style="dim"))

    def _mark(self, key: Key) -> Text:
        return Text("✓" if key in self.marked else " ", style="bold")

    def highlighted(self) -> Key | None:
        value = self.table.highlighted_key()
        if not value:
            return None
        instance, _, info_hash = value.partition("\x1f")
        return (instance, info_hash)

    def action_toggle_mark(self) -> None:
        key = self.highlighted()
        if key is None:
            return
        self.marked ^= {key}
        self.table.set_cell(plan_key(key), "mark", self._mark(key))

    def action_apply_marked(self) -> None:
        items = [self.items[k] for k in self.marked if k in self.items]
        if items:
            self.post_message(self.ApplyRequested(items))
        else:
            self.notify("Mark plans with space first, or press A to apply all.")

    def action_apply_all(self) -> None:
        if self.items:
            self.post_message(self.ApplyRequested(list(self.items.values())))


def plan_key(key: Key) -> str:
    return "\x1f".join(key)
