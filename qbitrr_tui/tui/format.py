"""How values look on screen (pure). Cells are Rich ``Text`` (never markup strings: torrent
names are full of brackets) or :class:`Cell`, which also sorts by its real value."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text

from qbitrr_tui.config.units import format_duration, format_rate, format_size
from qbitrr_tui.engine.events import ETA_UNKNOWN, TorrentRow
from qbitrr_tui.health import Health, HealthState

STATE_STYLES = {
    HealthState.UP: "bold green",
    HealthState.CONNECTING: "bold yellow",
    HealthState.DOWN: "bold red",
    HealthState.AUTH_FAILED: "bold magenta",
    HealthState.DISABLED: "dim",
}

TORRENT_STATE_STYLES = {
    "downloading": "green",
    "forcedDL": "green",
    "uploading": "cyan",
    "stalledUP": "cyan",
    "forcedUP": "cyan",
    "stalledDL": "yellow",
    "metaDL": "yellow",
    "pausedDL": "dim",
    "pausedUP": "dim",
    "error": "bold red",
    "missingFiles": "bold red",
    "queuedDL": "dim",
    "checkingDL": "blue",
    "checkingUP": "blue",
    "checkingResumeData": "blue",
}

RULE_STYLES = {
    "stalled": "yellow",
    "slow": "yellow",
    "young": "dim",
    "import": "cyan",
    "seeding": "green",
    "seeding_done": "magenta",
    "failed": "red",
    "errored": "red",
    "missing_files": "red",
    "content_lost": "red",
    "free_space": "yellow",
    "unwanted_files": "blue",
    "ignored": "dim",
    "resume": "green",
    "recheck": "blue",
}

# Column layouts: (key, label, width or None for auto). The decision is the point of the
# table: it comes right after what the torrent is doing, before the details. Below
# NARROW_WIDTH columns the layout keeps name, state, done and decision on screen.
NARROW_WIDTH = 110
WIDE_COLUMNS: tuple[tuple[str, str, int | None], ...] = (
    ("name", "Name", 34),
    ("instance", "Instance", None),
    ("category", "Category", None),
    ("state", "State", 11),
    ("progress", "Done", 6),
    ("decision", "Decision", 44),
    ("size", "Size", None),
    ("ratio", "Ratio", None),
    ("eta", "ETA", None),
    ("tags", "Tags", None),
)
NARROW_COLUMNS: tuple[tuple[str, str, int | None], ...] = (
    ("name", "Name", 22),
    ("state", "State", 11),
    ("progress", "Done", 6),
    ("decision", "Decision", 40),
    ("category", "Category", None),
    ("instance", "Instance", None),
    ("size", "Size", None),
    ("ratio", "Ratio", None),
    ("eta", "ETA", None),
    ("tags", "Tags", None),
)


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell that shows ``text`` and sorts by ``value``."""

    value: Any
    text: str
    style: str = ""

    def __rich__(self) -> Text:
        return Text(self.text, style=self.style, no_wrap=True, end="")

    def __lt__(self, other: object) -> bool:
        if isinstance(other, Cell):
            return bool(self.value < other.value)
        return NotImplemented


def health_text(health: Health | None) -> Text:
    if health is None:
        return Text("unknown", style="dim")
    return Text(health.state.value, style=STATE_STYLES.get(health.state, ""))


def torrent_cells(row: TorrentRow) -> dict[str, Cell]:
    """Every column's cell for ``row``, by column key."""
    eta = "" if row.eta >= ETA_UNKNOWN or row.progress >= 1 else format_duration(row.eta)
    tags = ",".join(t.removeprefix("qBitrr-") for t in row.tags)
    return {
        "name": Cell(row.name.lower(), row.name),
        "instance": Cell(row.instance, row.instance),
        "category": Cell(row.category, row.category),
        "state": Cell(row.state, row.state, TORRENT_STATE_STYLES.get(row.state, "")),
        "progress": Cell(row.progress, f"{row.progress * 100:5.1f}%"),
        "decision": Cell((row.rule, row.reason), _decision(row), RULE_STYLES.get(row.rule, "")),
        "size": Cell(row.size, format_size(row.size)),
        "ratio": Cell(row.ratio, f"{row.ratio:.2f}"),
        "eta": Cell(row.eta if eta else 1 << 40, eta),
        "tags": Cell(tags, tags, "dim"),
    }


def _decision(row: TorrentRow) -> str:
    """The engine's reason; the rule shows as its colour (the reason names it already)."""
    return row.reason


def since(seconds: float) -> str:
    return format_duration(max(0.0, seconds))


def speed(value: float) -> str:
    return format_rate(value)
