"""How values look on screen (pure). Cells are Rich ``Text`` (never markup strings: torrent
names are full of brackets) or :class:`Cell`, which also sorts by its real value."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text

from qbitrr_tui.config.units import format_duration, format_rate, format_size
from qbitrr_tui.engine.events import ETA_UNKNOWN, TorrentRow
from qbitrr_tui.health import Health, HealthState

# Styles by meaning. With colour, problems are red; without (NO_COLOR, where Textual turns
# red into a dim grey, fainter than healthy rows) they are bold reverse video, warnings
# bold underlined, and a glyph beside the words says it too (✗ problem, ! attention).
_COLOUR = {
    "problem": "bold red",
    "warning": "yellow",
    "ok": "green",
    "info": "cyan",
    "note": "blue",
    "special": "magenta",
    "muted": "dim",
}
_NO_COLOUR = {
    "problem": "bold reverse",
    "warning": "bold underline",
    "ok": "",
    "info": "",
    "note": "",
    "special": "bold",
    "muted": "dim",
}
_palette = dict(_COLOUR)


def use_colour(colour: bool) -> None:
    """Chosen once per app from its ``no_color``."""
    _palette.clear()
    _palette.update(_COLOUR if colour else _NO_COLOUR)


def style(kind: str) -> str:
    """The style for a meaning (``problem``, ``warning``, ``ok``…) in the current palette."""
    return _palette.get(kind, "")


GLYPHS = {"problem": "✗ ", "warning": "! "}

STATE_KINDS = {
    HealthState.UP: "ok",
    HealthState.CONNECTING: "warning",
    HealthState.DOWN: "problem",
    HealthState.AUTH_FAILED: "problem",
    HealthState.DISABLED: "muted",
}

TORRENT_STATE_KINDS = {
    "downloading": "ok",
    "forcedDL": "ok",
    "uploading": "info",
    "stalledUP": "info",
    "forcedUP": "info",
    "stalledDL": "warning",
    "metaDL": "warning",
    "pausedDL": "muted",
    "pausedUP": "muted",
    "error": "problem",
    "missingFiles": "problem",
    "queuedDL": "muted",
    "checkingDL": "note",
    "checkingUP": "note",
    "checkingResumeData": "note",
}

RULE_KINDS = {
    "stalled": "warning",
    "slow": "warning",
    "young": "muted",
    "import": "info",
    "seeding": "ok",
    "seeding_done": "special",
    "failed": "problem",
    "errored": "problem",
    "missing_files": "problem",
    "content_lost": "problem",
    "free_space": "warning",
    "unwanted_files": "note",
    "ignored": "muted",
    "resume": "ok",
    "recheck": "note",
    "unregistered": "problem",
}


def rule_text(rule: str, reason: str) -> Text:
    """An engine reason, styled by its rule, with a glyph when it is a problem."""
    kind = RULE_KINDS.get(rule, "")
    return Text(GLYPHS.get(kind, "") + reason, style=style(kind))


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell that shows ``text`` and sorts by ``value``."""

    value: Any
    text: str
    style: str = ""
    # In the grouped table, the name cell also says its (instance, category) group, and
    # whether it is that group's header row: the table sorts inside groups by these.
    group: tuple[str, str] = ("", "")
    header: bool = False

    def __rich__(self) -> Text:
        return Text(self.text, style=self.style, no_wrap=True, overflow="ellipsis", end="")

    def __lt__(self, other: object) -> bool:
        if isinstance(other, Cell):
            return bool(self.value < other.value)
        return NotImplemented


def health_text(health: Health | None) -> Text:
    if health is None:
        return Text("unknown", style="dim")
    kind = STATE_KINDS.get(health.state, "")
    return Text(GLYPHS.get(kind, "") + health.state.value, style=style(kind))


def deadline_badge(health: Health | None, now: float) -> Text:
    """How late an instance's (or Arr's) data is, when it is: ``stale 45s`` while a read is
    still running (the age of the last good data), ``slow 7.2s`` when the last read took
    longer than its budget. Empty otherwise."""
    if health is None or not health.is_up:
        return Text("")
    if health.stale_since is not None:
        return Text(f"⧗ stale {since(max(0.0, now - health.stale_since))}", style=style("warning"))
    if health.slow is not None:
        return Text(f"⧗ slow {health.slow:.1f}s", style=style("warning"))
    return Text("")


def needs_tick(row: TorrentRow) -> bool:
    """Whether ``row``'s cells change with the clock alone (its reason counts down to a
    deadline): a table repaints those of its visible rows once a second."""
    return row.deadline is not None


def torrent_cells(
    row: TorrentRow,
    offline: str | None = None,
    optional: frozenset[str] = frozenset(),
    now: float | None = None,
) -> dict[str, Cell]:
    """Every column's cell for ``row``, by column key. ``offline`` (why and since when its
    instance is not live) greys the whole row and replaces the decision, whose countdowns
    would otherwise stand frozen and look live. ``now``: the time its countdown is shown
    at (the decision's text; its sort value is the reason without the number)."""
    cells = _live_cells(row, time.time() if now is None else now)
    if optional:  # the chosen ones only: 30k rows × five cells is memory and time
        cells.update(_optional_cells(row, optional))
    if offline is None:
        return cells
    dimmed = {k: Cell(c.value, c.text, "dim") for k, c in cells.items()}
    decision = cells["decision"]
    dimmed["decision"] = Cell(decision.value, f"✗ {row.instance} {offline}", "dim italic")
    return dimmed


def _eta_text(row: TorrentRow) -> str:
    return "" if row.eta >= ETA_UNKNOWN or row.progress >= 1 else format_duration(row.eta)


def _tags_text(row: TorrentRow) -> str:
    return ",".join(t.removeprefix("qBitrr-") for t in row.tags)


# What each column sorts by: the same value as its cell's (a unit test holds them equal),
# without building the cells; the table sorts 30,000 rows and draws only the visible ones.
_SORT_VALUES: dict[str, Callable[[TorrentRow], Any]] = {
    "name": lambda r: r.name.lower(),
    "instance": lambda r: r.instance,
    "category": lambda r: r.category,
    "state": lambda r: r.state,
    "progress": lambda r: r.progress,
    "decision": lambda r: (r.rule, r.reason),
    "size": lambda r: r.size,
    "ratio": lambda r: r.ratio,
    "eta": lambda r: 1 << 40 if r.eta >= ETA_UNKNOWN or r.progress >= 1 else r.eta,
    "tags": _tags_text,
    "down": lambda r: r.dlspeed,
    "up": lambda r: r.upspeed,
    "peers": lambda r: (r.seeds, r.peers),
    "added": lambda r: r.added_on,
    "tracker": lambda r: r.tracker,
}


def sort_value(row: TorrentRow, column: str) -> Any:
    """What ``column``'s cell for ``row`` sorts by (``torrent_cells(row)[column].value``)."""
    return _SORT_VALUES[column](row)


def sort_getter(column: str) -> Callable[[TorrentRow], Any]:
    """``sort_value`` for one column, as a function of the row (sorting 30,000 rows)."""
    return _SORT_VALUES[column]


def _live_cells(row: TorrentRow, now: float) -> dict[str, Cell]:
    eta = _eta_text(row)
    tags = _tags_text(row)
    return {
        "name": Cell(row.name.lower(), row.name, group=(row.instance, row.category)),
        "instance": Cell(row.instance, row.instance),
        "category": Cell(row.category, row.category),
        "state": Cell(row.state, row.state, style(TORRENT_STATE_KINDS.get(row.state, ""))),
        "progress": Cell(row.progress, done(row.progress)),
        "decision": _kind_cell(
            (row.rule, row.reason), row.reason_at(now), RULE_KINDS.get(row.rule, "")
        ),
        "size": Cell(row.size, format_size(row.size)),
        "ratio": Cell(row.ratio, f"{row.ratio:.2f}"),
        "eta": Cell(row.eta if eta else 1 << 40, eta),
        "tags": Cell(tags, tags, "dim"),
    }


def _optional_cells(row: TorrentRow, optional: frozenset[str]) -> dict[str, Cell]:
    cells = {}
    if "down" in optional:
        cells["down"] = Cell(row.dlspeed, rate(row.dlspeed))
    if "up" in optional:
        cells["up"] = Cell(row.upspeed, rate(row.upspeed))
    if "peers" in optional:
        cells["peers"] = Cell((row.seeds, row.peers), f"{row.seeds}/{row.peers}")
    if "added" in optional:
        cells["added"] = Cell(row.added_on, added(row.added_on))
    if "tracker" in optional:
        cells["tracker"] = Cell(row.tracker, row.tracker, "dim")
    return cells


def rate(value: int) -> str:
    """A speed (the header says ``/s``), blank when idle: a column of zeros would hide
    the torrents that move."""
    return format_size(value) if value > 0 else ""


def added(stamp: int) -> str:
    return time.strftime("%Y-%m-%d", time.localtime(stamp)) if stamp > 0 else ""


def _kind_cell(value: Any, text: str, kind: str) -> Cell:
    """A cell styled by meaning; problems and warnings carry their glyph too."""
    return Cell(value, GLYPHS.get(kind, "") + text, style(kind))


def done(progress: float) -> str:
    """``42.0%``, ``100%``: five cells at most."""
    return "100%" if progress >= 1 else f"{progress * 100:.1f}%"


def since(seconds: float) -> str:
    return format_duration(max(0.0, seconds))


def speed(value: float) -> str:
    return format_rate(value)
