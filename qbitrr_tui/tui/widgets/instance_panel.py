"""One health panel per qBittorrent instance."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Sparkline, Static

from qbitrr_tui.health import HealthState
from qbitrr_tui.tui.format import deadline_badge, health_text, since, speed, style
from qbitrr_tui.tui.view_model import InstanceView
from qbitrr_tui.tui.widgets.quiet import update_quietly


class InstancePanel(Vertical):
    """Name, address, state (for how long), version, latency, error, torrents per managed
    category, speeds, and a sparkline of recent download speed."""

    DEFAULT_CSS = """
    InstancePanel { height: auto; border: round $panel-lighten-2; padding: 0 1; }
    InstancePanel.-selected { border: round $accent; }
    InstancePanel > Static { height: auto; }
    InstancePanel > Horizontal { height: 1; }
    InstancePanel Sparkline { height: 1; width: 1fr; }
    InstancePanel #speed-label { width: auto; color: $text-muted; }
    InstancePanel > Horizontal.-empty { display: none; }
    """

    class Clicked(Message):
        """A click selects the panel: the mouse can choose what ``t`` acts on."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def on_click(self) -> None:
        self.post_message(self.Clicked(self.instance_name))

    def __init__(self, name: str) -> None:
        super().__init__(id=f"instance-{css_id(name)}")
        self.instance_name = name
        self.border_title = name

    def compose(self) -> ComposeResult:
        yield Static(id="info")
        # What the graph plots, and over which window, beside it.
        with Horizontal(classes="-empty", id="speed-row"):
            yield Static(id="speed-label")
            yield Sparkline([], id="speed")

    def show(self, view: InstanceView, now: float) -> None:
        health = view.health
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append_text(health_text(health))
        if health is not None:
            text.append(f" {since(now - health.since)}", style="dim")
            if badge := deadline_badge(health, now):
                text.append(" ").append_text(badge)
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
                text.append("  ✗ no network", style=style("problem"))
            text.append("\n")
            counts = "  ".join(f"{c} {n}" for c, n in sorted(stats.managed_counts.items()))
            text.append(counts or "no managed torrents", style="" if counts else "dim")
        elif health is not None and health.state is HealthState.DISABLED:
            text.append("not contacted while disabled (t enables it)", style="dim")
        elif health is not None and health.last_error:
            text.append(health.last_error, style=style("problem"))
            text.append("\n" + next_try(health.next_attempt, now), style="dim")
        else:
            text.append("waiting for the first cycle", style="dim")
        update_quietly(self.query_one("#info", Static), text)
        live = health is not None and health.is_up and len(view.download) > 1
        self.query_one("#speed-row").set_class(not live, "-empty")
        if live:
            samples = list(view.download)
            self.query_one(Sparkline).data = samples
            label = f"↓ {len(samples)} cycles ≤{speed(max(samples))} "
            update_quietly(self.query_one("#speed-label", Static), label)


def next_try(at: float | None, now: float) -> str:
    """When a down instance is tried again; the engine reports each new back-off."""
    if at is None or at <= now:
        return "retrying at the next cycle"
    return f"retry in {since(at - now)}"


def css_id(name: str) -> str:
    """A widget id part for an instance name: valid for Textual (ASCII letters, digits,
    ``-``, ``_``) and one-to-one, so ``日本``, ``café``, ``a.b`` and ``a_b`` all work and
    never collide: ``_`` doubles, any other character becomes ``_<hex>_``."""
    return "".join(
        ch
        if (ch.isascii() and ch.isalnum()) or ch == "-"
        else "__"
        if ch == "_"
        else f"_{ord(ch):x}_"
        for ch in name
    )
