"""View 1: a health panel per instance, the Arrs, and the distribution matrix."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.message import Message
from textual.widgets import Label

from qbitrr_tui.tui.view_model import DashboardModel
from qbitrr_tui.tui.widgets.instance_panel import InstancePanel, css_id
from qbitrr_tui.tui.widgets.small_tables import ArrTable, DistributionTable


class InstancesView(VerticalScroll):
    """Health panels (one per instance), the Arrs, and the distribution matrix."""

    BINDINGS = [
        # Its own arrows select panels (a scroll view would scroll with them).
        Binding(
            "down,j",
            "move(1)",
            "Next instance",
            show=False,
            id="instances.view_next",
            tooltip="Highlight the next instance",
        ),
        Binding(
            "up,k",
            "move(-1)",
            "Previous instance",
            show=False,
            id="instances.view_previous",
            tooltip="Highlight the previous instance",
        ),
        Binding(
            "enter",
            "open_selected",
            "Its torrents",
            show=False,
            id="instances.open",
            tooltip="Show the highlighted instance's torrents (view 2, its tab)",
        ),
    ]

    class Open(Message):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def action_move(self, step: int) -> None:
        self.move_selection(step)

    def action_open_selected(self) -> None:
        if self.selected_name is not None:
            self.post_message(self.Open(self.selected_name))

    def __init__(self, names: Iterable[str], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._names = list(names)
        self.selected = 0

    def compose(self) -> ComposeResult:
        with Grid(id="panels"):
            for name in self._names:
                yield InstancePanel(name)
        yield Label("Arrs", classes="section")
        yield ArrTable(id="arrs")
        yield Label("Managed torrents per category and instance", classes="section")
        yield DistributionTable(id="distribution")

    def on_mount(self) -> None:
        self._mark_selected()

    @property
    def selected_name(self) -> str | None:
        return self._names[self.selected] if self._names else None

    def move_selection(self, step: int) -> None:
        if self._names:
            self.selected = (self.selected + step) % len(self._names)
            self._mark_selected()

    @on(InstancePanel.Clicked)
    def _clicked(self, message: InstancePanel.Clicked) -> None:
        if message.name in self._names:
            self.selected = self._names.index(message.name)
            self._mark_selected()

    def _mark_selected(self) -> None:
        for index, panel in enumerate(self.query(InstancePanel)):
            panel.set_class(index == self.selected, "-selected")

    def ensure_panel(self, name: str) -> None:
        """An instance that appeared later (a config reload) gets its panel."""
        if name not in self._names:
            self._names.append(name)
            self.query_one("#panels", Grid).mount(InstancePanel(name))

    def set_instances(self, names: list[str]) -> None:
        """After a config change: panels for new instances, none for removed ones."""
        for name in names:
            self.ensure_panel(name)
        for name in [n for n in self._names if n not in names]:
            self._names.remove(name)
            self.query_one(f"#instance-{css_id(name)}", InstancePanel).remove()
        self.selected = min(self.selected, max(0, len(self._names) - 1))
        self._mark_selected()

    def show_instances(self, model: DashboardModel, names: Iterable[str], now: float) -> None:
        for name in names:
            self.ensure_panel(name)
            self.query_one(f"#instance-{css_id(name)}", InstancePanel).show(
                model.instances[name], now
            )
        self._mark_selected()

    def show_all(self, model: DashboardModel, now: float) -> None:
        self.show_instances(model, model.instances, now)
        self.query_one(ArrTable).show(model.arrs, now)
        self.query_one(DistributionTable).show(model)
