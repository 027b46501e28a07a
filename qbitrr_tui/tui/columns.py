"""Column widths that share the terminal's width by priority (pure).

A layout is a list of steps taken in priority order until the width runs out: a step adds a
column at its width, or lets a flexible column (name, decision…) grow towards a width. What
is left at the end goes to the flexible columns by weight, so columns grow with the terminal
and the table is never wider than the screen (no horizontal scrollbar).
"""

from __future__ import annotations

from dataclasses import dataclass

from qbitrr_tui.config import schema

PADDING = 2  # DataTable's cell padding: one cell each side
MIN_CUT = 10


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int  # the width it is added at
    weight: int = 0  # share of the width left at the end (0: fixed)


@dataclass(frozen=True, slots=True)
class Grow:
    key: str
    to: int


Step = Column | Grow


def fit(
    steps: tuple[Step, ...],
    order: tuple[str, ...],
    width: int,
    *,
    skip: frozenset[str] = frozenset(),
) -> list[tuple[str, str, int]]:
    """(key, label, width) of the columns that fit in ``width`` cells, in display ``order``.
    The first column always shows, cut if it must."""
    widths: dict[str, int] = {}
    columns: dict[str, Column] = {}
    left = width
    for step in steps:
        if step.key in skip:
            continue
        if isinstance(step, Column):
            need = step.width + PADDING
            if need > left and step.weight and left - PADDING >= MIN_CUT:
                need = left  # a flexible column may come in narrower than it would like
            if need > left and columns:
                break
            columns[step.key] = step
            widths[step.key] = min(step.width, max(1, need - PADDING))
            left -= need
        elif step.key in widths and left > 0:
            grow = min(left, max(0, step.to - widths[step.key]))
            widths[step.key] += grow
            left -= grow
    weights = {k: c.weight for k, c in columns.items() if c.weight}
    total = sum(weights.values())
    if left > 0 and total:
        shares = {k: left * w // total for k, w in weights.items()}
        shares[max(weights, key=weights.__getitem__)] += left - sum(shares.values())
        for key, share in shares.items():
            widths[key] += share
    return [(k, columns[k].label, widths[k]) for k in order if k in columns]


# The torrent table: what a torrent is, what it is doing, and what the engine decided come
# first; the details follow as the width allows.
TORRENT_STEPS: tuple[Step, ...] = (
    Column("name", "Name", 20, weight=3),
    Column("state", "State", 11),
    Column("decision", "Decision", 24, weight=6),
    Column("progress", "Done", 5),
    Column("instance", "Instance", 8),
    Grow("name", 28),
    Grow("decision", 34),
    # Off until chosen (the column chooser, [UI] Columns); chosen, they come before the rest.
    Column("down", "↓/s", 9),
    Column("up", "↑/s", 9),
    Column("peers", "S/P", 7),
    Column("added", "Added", 10),
    Column("tracker", "Tracker", 12, weight=1),
    Column("category", "Category", 9),
    Grow("decision", 44),
    Grow("name", 34),
    Column("eta", "ETA", 7),
    Column("size", "Size", 9),
    Column("ratio", "Ratio", 5),
    Column("tags", "Tags", 14, weight=1),
)
TORRENT_ORDER = schema.TORRENT_COLUMNS  # the config's [UI] Columns name these
# What the chooser offers, with what each shows; the first is always shown.
TORRENT_COLUMNS: dict[str, str] = {
    "name": "Name",
    "instance": "Instance (on the All tab)",
    "category": "Category",
    "state": "State",
    "progress": "Done (progress)",
    "decision": "Decision (the engine's rule and reason)",
    "eta": "ETA",
    "size": "Size",
    "down": "↓ download speed",
    "up": "↑ upload speed",
    "peers": "Seeds/peers connected",
    "ratio": "Ratio",
    "added": "Added (date)",
    "tracker": "Tracker",
    "tags": "Tags",
}
OPTIONAL_COLUMNS = frozenset({"down", "up", "peers", "added", "tracker"})  # off by default

PLAN_STEPS: tuple[Step, ...] = (
    Column("mark", "✓", 1),
    Column("torrent", "Torrent", 20, weight=2),
    Column("actions", "Actions", 20, weight=2),
    Column("reason", "Why", 20, weight=4),
    Column("instance", "Instance", 8),
    Column("outcome", "Shown as", 10),
)
PLAN_ORDER = ("mark", "outcome", "instance", "torrent", "actions", "reason")

ACTIVITY_STEPS: tuple[Step, ...] = (
    Column("time", "Time", 8),
    Column("outcome", "Outcome", 11),
    Column("torrent", "Torrent", 18, weight=2),
    Column("action", "Action", 16, weight=2),
    Column("reason", "Why", 14, weight=4),
    Column("instance", "Instance", 8),
)
ACTIVITY_ORDER = ("time", "outcome", "instance", "torrent", "action", "reason")
