"""One health panel per qBittorrent instance."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Sparkline, Static

from qbitrr_tui.health import HealthState
from qbitrr_tui.tui.format import health_text, since, speed
from qbitrr_tui.tui.view_model import InstanceView


class InstancePanel(Vertical):
    """Name, address, state (for how long), version, latency, error, torrents per managed
    category, speeds, and a sparkline of recent download speed."""

    DEFAULT_CSS = """
    InstancePanel { height: auto; border: round $panel-lighten-2; padding: 0 1; }
    InstancePanel.-selected { border: round $accent; }
    InstancePanel > Static { height: auto; }
    InstancePanel > Sparkline { height: 1; margin-top: 0; }
    InstancePanel > Sparkline.-empty { display: none; }
    """

    def __init__(self, name: str) -> None:
        super().__init__(id=f"instance-{css_id(name)}")
        self.instance_name = name
        self.border_title = name

    def compose(self) -> ComposeResult:
        yield Static(id="info")
        yield Sparkline([], id="speed", classes="-empty")

    def show(self, view: InstanceView, now: float) -> None:
        health = view.health
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append_text(health_text(health))
        if health is not None:
            text.append(f" {since(now - health.since)}", style="dim")
            text.append(f"  {health.address}")
            if health.version:
                text.append(f"  {health.version}", style="dim")
                if health.api_version:
                    text.append(f" API {health.api_version}", style="dim")
        text.append("\n")
        stats = view.stats
        if stats is not None and health is not None and health.is_up:
            latency = f"{stats.latency * 1000:.0f} ms" if stats.latency is not None else "-"
            text.append(
                f"↓ {speed(stats.server.dl_speed)}  ↑ {speed(stats.server.up_speed)}"
                f"  latency {latency}"
            )
            if stats.server.connection_status == "disconnected":
                text.append("  no network", style="bold red")
            text.append("\n")
            counts = "  ".join(f"{c} {n}" for c, n in sorted(stats.managed_counts.items()))
            text.append(counts or "no managed torrents", style="" if counts else "dim")
        elif health is not None and health.state is HealthState.DISABLED:
            text.append("disabled: never contacted (t enables it)", style="dim")
        elif health is not None and health.last_error:
            text.append(health.last_error, style="red")
            if health.next_attempt and health.next_attempt > now:
                text.append(f"\nretry in {since(health.next_attempt - now)}", style="dim")
        else:
            text.append("waiting for the first cycle", style="dim")
        self.query_one("#info", Static).update(text)
        sparkline = self.query_one(Sparkline)
        live = health is not None and health.is_up and len(view.download) > 1
        sparkline.set_class(not live, "-empty")
        if live:
            sparkline.data = list(view.download)


def css_id(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
