"""``[UI]``: what the dashboard remembers between runs (columns, sort, last view, theme) and
its bell. The loader reads the fields (schema.UI_FIELDS); this checks the column names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qbitrr_tui.config import schema
from qbitrr_tui.config.model import UISettings
from qbitrr_tui.config.report import Collector


def read_ui(values: Mapping[str, Any], table: str, out: Collector) -> UISettings:
    known = ", ".join(schema.TORRENT_COLUMNS)
    for column in values.get("columns", ()):
        if column not in schema.TORRENT_COLUMNS:
            out.error(table, "Columns", f"unknown column {column!r}; expected {known}")
    sort = str(values.get("sort", "category"))
    if sort.removeprefix("-") not in schema.TORRENT_COLUMNS:
        out.error(table, "Sort", f"unknown column {sort!r}; expected {known}")
    return UISettings(**values)
