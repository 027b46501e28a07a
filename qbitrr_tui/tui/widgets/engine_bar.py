"""The one-line engine bar: cycle, timing, next cycle, instances up, PAUSED / DRY-RUN."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.widgets import Static

from qbitrr_tui.health import HealthState
from qbitrr_tui.tui.format import since
from qbitrr_tui.tui.view_model import EngineView, InstanceView


class EngineBar(Static):
    DEFAULT_CSS = """
    EngineBar { height: 1; width: 1fr; }
    """

    def show(self, engine: EngineView, instances: Mapping[str, InstanceView], now: float) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" qbitrr-tui ", style="bold reverse")
        if engine.paused:
            text.append(" ")
            text.append(" PAUSED ", style="bold black on yellow")
        if engine.dry_run:
            text.append(" ")
            text.append(" DRY-RUN ", style="bold black on cyan")
        enabled = [
            v
            for v in instances.values()
            if v.health is None or v.health.state is not HealthState.DISABLED
        ]
        up = sum(1 for v in enabled if v.health is not None and v.health.is_up)
        style = "green" if enabled and up == len(enabled) else "bold red"
        text.append(f"  {up}/{len(enabled)} up", style=style)
        if engine.cycle:
            text.append(f"  cycle {engine.cycle}")
            if engine.duration is not None:
                text.append(f" in {engine.duration:.2f}s", style="dim")
            text.append(f"  {engine.torrents} torrents")
        if engine.paused:
            text.append("  next: paused", style="dim")
        elif engine.next_cycle_at is not None:
            text.append(f"  next in {since(engine.next_cycle_at - now)}", style="dim")
        if engine.held:
            text.append(f"  {engine.held} held for approval", style="bold magenta")
        self.update(text)
