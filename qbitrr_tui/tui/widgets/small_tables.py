"""Small tables rebuilt when they change: the Arrs, and the category × instance matrix."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.widgets import DataTable

from qbitrr_tui.tui.format import deadline_badge, health_text, since, style
from qbitrr_tui.tui.view_model import ArrView, DashboardModel


class ArrTable(DataTable[Text]):
    DEFAULT_CSS = "ArrTable { height: auto; max-height: 8; overflow-x: hidden; }"
    _shown: list[tuple[str, tuple[Text, ...]]] | None = None

    def on_mount(self) -> None:
        self.cursor_type = "none"
        for key, label in (
            ("arr", "Arr"),
            ("state", "State"),
            ("category", "Category"),
            ("queue", "Queue"),
            ("version", "Version"),
            ("error", "Last error"),
        ):
            self.add_column(label, key=key)

    def show(self, arrs: Mapping[str, ArrView], now: float) -> None:
        rows = [(arr.name, self._cells(arr, now)) for arr in arrs.values()]
        if rows == self._shown:
            return  # unchanged: a rebuild each second would lay the screen out for nothing
        self._shown = rows
        self.clear()
        for name, cells in rows:
            self.add_row(*cells, key=name)

    @staticmethod
    def _cells(arr: ArrView, now: float) -> tuple[Text, ...]:
        state = health_text(arr.health)
        if arr.health is not None:
            state.append(f" {since(now - arr.health.since)}", style="dim")
            if badge := deadline_badge(arr.health, now):
                state.append(" ").append_text(badge)
        return (
            Text(arr.name),
            state,
            Text(arr.category),
            Text("-" if arr.queue_size is None else str(arr.queue_size)),
            Text((arr.health.version if arr.health else None) or "-", style="dim"),
            Text((arr.health.last_error if arr.health else None) or "", style=style("problem")),
        )


class DistributionTable(DataTable[Text]):
    """How many managed torrents each instance holds in each category."""

    DEFAULT_CSS = "DistributionTable { height: auto; max-height: 10; overflow-x: hidden; }"
    _shown: tuple[object, ...] | None = None

    def on_mount(self) -> None:
        self.cursor_type = "none"

    def show(self, model: DashboardModel) -> None:
        categories, instances, counts = model.distribution()
        # An offline instance's counts are from when it was last seen: marked, greyed and
        # left out of the total, like its rows in the torrent list.
        offline = model.offline()
        shown = (categories, instances, counts, frozenset(offline))
        if shown == self._shown:
            return  # unchanged: a rebuild each second would lay the screen out for nothing
        self._shown = shown
        self.clear(columns=True)
        self.add_column("Category", key="category")
        for name in instances:
            self.add_column(f"{name} ✗" if name in offline else name, key=name)
        self.add_column("Total", key="total")
        for category in categories:
            row = [counts.get((category, name), 0) for name in instances]
            live = sum(n for n, name in zip(row, instances, strict=True) if name not in offline)
            self.add_row(
                Text(category),
                *(
                    Text(str(n), style="dim" if not n or name in offline else "")
                    for n, name in zip(row, instances, strict=True)
                ),
                Text(str(live), style="bold"),
                key=category,
            )
