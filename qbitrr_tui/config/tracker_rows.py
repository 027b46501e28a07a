"""``[[…Trackers]]`` rows: read, validated and turned into :class:`TrackerRule` s.

The same reader serves ``[[qBit.Trackers]]`` / ``[[qBit-<Name>.Trackers]]`` (an instance's
rows) and ``[[<Arr>.Torrent.Trackers]]``. A qBitrr file from before 5.9.2 may hold
``HitAndRunMode = true`` with ``HitAndRunClearMode = "or"``: read as qBitrr's own migration
reads it (``gen_config/migrations.py``), with a warning saying so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from qbitrr_tui.config import schema
from qbitrr_tui.config.model import TrackerRule
from qbitrr_tui.config.report import Collector, child

ReadFields = Callable[..., dict[str, Any]]


def read_tracker_rows(
    parent: Mapping[str, Any], parent_table: str, out: Collector, read_fields: ReadFields
) -> tuple[TrackerRule, ...]:
    """The rows under ``parent``'s ``Trackers`` key, highest Priority first (ties keep
    file order, so the first of equals wins as in qBitrr)."""
    key, rows = child(parent, "Trackers", parent_table, out)
    table = f"{parent_table}.{key or 'Trackers'}"
    if rows is None:
        return ()
    if isinstance(rows, dict):  # [X.Trackers]: point at that header
        out.error(table, "", "write each tracker as a [[…Trackers]] row (two brackets)")
        return ()
    if not isinstance(rows, list):
        out.error(parent_table, key, "expected [[…Trackers]] rows, found a value")
        return ()
    trackers: list[TrackerRule] = []
    for occurrence, row in enumerate(rows):
        if not isinstance(row, dict):
            out.error(parent_table, key, "expected [[…Trackers]] rows, found a value")
            break
        values = _legacy_hnr(row, table, out, occurrence)
        fields = read_fields(values, schema.TRACKER_FIELDS, table, out, occurrence=occurrence)
        if "uri" in fields:
            trackers.append(TrackerRule(**fields))
    trackers.sort(key=lambda t: -t.priority)
    return tuple(trackers)


def _legacy_hnr(row: dict[str, Any], table: str, out: Collector, occurrence: int) -> dict[str, Any]:
    mode_key, mode = child(row, "HitAndRunMode", table, out, report=False)
    clear_key, clear = child(row, "HitAndRunClearMode", table, out, report=False)
    if not isinstance(mode, bool) and not clear_key:
        return row
    row = dict(row)
    row.pop(clear_key, None)
    if isinstance(mode, bool):
        resolved = "disabled"
        if mode:
            text = clear.strip().lower() if isinstance(clear, str) else ""
            resolved = text if text in ("and", "or") else "and"
        row[mode_key] = resolved
        out.warn(
            table,
            mode_key,
            f'{str(mode).lower()} (qBitrr before 5.9.2) is read as "{resolved}"',
            occurrence,
        )
    return row
