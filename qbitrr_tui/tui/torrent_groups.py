"""The grouped torrent table's header rows (pure): one per (instance, category), saying
how many torrents it holds, how many download, and how fast.

``seedbox › radarr (12)`` · ``12 torrents, 3 downloading, ↓ 4.1 MiB/s``
"""

from __future__ import annotations

from collections.abc import Iterable

from qbitrr_tui.engine.events import TorrentRow
from qbitrr_tui.tui.columns import TORRENT_COLUMNS
from qbitrr_tui.tui.format import Cell, speed

Group = tuple[str, str]
HEADER_MARK = "\x1e"
DOWNLOADING = frozenset({"downloading", "forcedDL"})  # moving data now, not stalled


def group_of(row: TorrentRow) -> Group:
    return (row.instance, row.category)


def header_key(group: Group) -> str:
    return f"{HEADER_MARK}{group[0]}\x1f{group[1]}"


def parse_header_key(value: str) -> Group | None:
    if not value.startswith(HEADER_MARK):
        return None
    instance, _, category = value[1:].partition("\x1f")
    return (instance, category)


def header_cells(group: Group, rows: Iterable[TorrentRow], *, collapsed: bool) -> dict[str, Cell]:
    """The cells of a group's header row, for every column key."""
    rows = list(rows)
    downloading = sum(1 for r in rows if r.state in DOWNLOADING and r.progress < 1)
    rate = sum(r.dlspeed for r in rows)
    summary = f"{len(rows)} torrent{'s' * (len(rows) != 1)}, {downloading} downloading"
    if rate:
        summary += f", ↓ {speed(rate)}"
    mark = "▸" if collapsed else "▾"
    name = f"{mark} {group[0]} › {group[1] or '(no category)'} ({len(rows)})"
    cells = {key: Cell("", "", group=group, header=True) for key in TORRENT_COLUMNS}
    cells["name"] = Cell("", name, "bold", group=group, header=True)
    cells["decision"] = Cell("", summary, "bold", group=group, header=True)
    return cells
