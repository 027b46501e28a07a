"""The one-line engine bar: PAUSED / DRY-RUN, instances up (and which are not), the torrents
shown, ↓/↑ across the instances that are up, the next cycle, the last one and how long it
took."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.widgets import Static

from qbitrr_tui.config.units import format_size
from qbitrr_tui.health import HealthState
from qbitrr_tui.tui.format import since, speed, style
from qbitrr_tui.tui.view_model import DashboardModel, Offline
from qbitrr_tui.tui.widgets.quiet import update_quietly


class EngineBar(Static):
    DEFAULT_CSS = """
    EngineBar { height: 1; width: 1fr; }
    """

    def show(self, model: DashboardModel, offline: Mapping[str, Offline], now: float) -> None:
        engine, instances = model.engine, model.instances
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" qbitrr-tui ", style="bold reverse")
        if engine.paused:
            text.append(" ")
            text.append(" ⏸ PAUSED ", style="bold black on yellow")
        if engine.dry_run:
            text.append(" ")
            text.append(" DRY-RUN ", style="bold black on cyan")
        enabled = [
            v
            for v in instances.values()
            if v.health is None or v.health.state is not HealthState.DISABLED
        ]
        up = sum(1 for v in enabled if v.health is not None and v.health.is_up)
        if enabled and up == len(enabled):
            text.append(f"  {up}/{len(enabled)} up", style=style("ok"))
        else:
            not_up = [
                f"{v.name} {v.health.state.value}"
                for v in enabled
                if v.health is not None and not v.health.is_up
            ]
            text.append("  ")
            text.append(f"✗ {up}/{len(enabled)} up", style=style("problem"))
            if not_up:
                text.append(f" ({', '.join(not_up)})", style="bold")
        live, stale = model.row_counts(offline)
        text.append(f"  {live} torrents")
        if stale:
            text.append(f" + {stale} offline", style="bold")
        servers = [
            v.stats.server
            for v in enabled
            if v.stats is not None and v.health is not None and v.health.is_up
        ]
        if servers:  # across the instances that are up (each panel has its own)
            down, up = sum(s.dl_speed for s in servers), sum(s.up_speed for s in servers)
            text.append(f"  ↓ {speed(down)} ↑ {speed(up)}")
        if engine.paused:
            text.append("  next: paused", style="dim")
        elif engine.next_cycle_at is not None:
            text.append(f"  next in {since(engine.next_cycle_at - now)}", style="dim")
        shown = model.recycle_bin
        if shown is not None and shown.rows:
            held = f", {format_size(shown.held_bytes)}" if shown.held_bytes else ""
            text.append(f"  bin {len(shown.rows)}{held}", style="dim")
        if engine.held:
            text.append(f"  ! {engine.held} held for approval", style=style("special"))
        if engine.cycle:
            text.append(f"  cycle {engine.cycle}", style="dim")
            if engine.duration is not None:
                text.append(f" took {engine.duration:.2f}s", style="dim")
        update_quietly(self, text)
