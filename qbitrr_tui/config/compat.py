"""Reading a qBitrr config as the qBitrr release that wrote it reads it.

qBitrr's code, not its docs, is the reference. Where qBitrr itself changed a key's meaning,
its own migration is followed: ``StalledDelay``'s sentinels ``0`` and ``-1`` were swapped in
qBitrr 5.14.6, and files with an older ``Settings.ConfigVersion`` keep their old meaning.
Where our default differs from qBitrr's, :func:`default_differences` says so.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

Version = tuple[int, ...]

# qBitrr 5.14.6 swapped StalledDelay's sentinels: before it 0 = never remove and -1 = no
# grace (removed once stalled, past IgnoreTorrentsYoungerThan); from it, as here, -1 = never
# remove and 0 = no grace.
STALLED_SWAP = (5, 14, 6)
_LEGACY_VERSIONS = {1: (0, 0, 1), 2: (0, 0, 2), 3: (0, 0, 3), 4: (0, 0, 4)}
_VERSION_RE = re.compile(r"^\s*v?(\d{1,6}(?:\.\d{1,6}){0,3})")
_MINUTES = {"s": 1 / 60, "m": 1, "h": 60, "d": 1440, "w": 10080}
_QBITRR_DURATION = re.compile(r"^(-?\d{1,20})([smhdwSHDWM]?)$")


def config_version(raw: object) -> Version | None:
    """``Settings.ConfigVersion`` as qBitrr reads it (``None`` when the key is absent).

    Integers are its legacy numbering (3 → 0.0.3); anything unreadable is 0.0.1, as there.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        return (0, 0, 1)
    if isinstance(raw, int):
        return _LEGACY_VERSIONS.get(raw, (0, 0, raw) if 0 <= raw < 10**6 else (0, 0, 1))
    match = _VERSION_RE.match(raw) if isinstance(raw, str) else None
    if not match:
        return (0, 0, 1)
    return tuple(int(part) for part in match.group(1).split("."))


def version_text(version: Version) -> str:
    return ".".join(str(part) for part in version)


def qbitrr_minutes(raw: object) -> int | None:
    """The whole minutes qBitrr's own parser makes of ``raw`` (None if it would fall back)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if math.isfinite(raw) and abs(raw) < 1e18 else None
    if not isinstance(raw, str) or len(raw.strip()) > 32:
        return None
    match = _QBITRR_DURATION.match(raw.strip())
    if not match:
        try:
            number = float(raw)
        except ValueError:
            return None
        return int(number) if math.isfinite(number) and abs(number) < 1e18 else None
    suffix = match.group(2) or "m"
    minutes = int(match.group(1)) * (43200 if suffix == "M" else _MINUTES[suffix.lower()])
    return 1 if 0 < minutes < 1 else int(minutes)


def read_stalled_delay(
    raw: object, seconds: float, version: Version | None
) -> tuple[float, str | None]:
    """StalledDelay's seconds as the writer of the file meant them, and a note on the reading.

    ``seconds`` is the value read with today's meaning (-1 = never remove, 0 = no grace).
    Only the sentinels 0 and -1 depend on the version; a note (``"= 0: never remove (…)"``,
    to follow the key's name) says which reading was taken.
    """
    sentinel = qbitrr_minutes(raw)
    if sentinel not in (0, -1):
        return seconds, None
    shown = f"= {sentinel}"
    if version is None:
        # Without ConfigVersion the file may be ours (-1 = never) or an old qBitrr's
        # (0 = never): either way the reading that deletes nothing is the one taken.
        return -1.0, (
            f"{shown}: never remove (no Settings.ConfigVersion, so the reading that deletes "
            'nothing is taken; add ConfigVersion = "5.14.6" to read 0 as no grace)'
        )
    if version >= STALLED_SWAP:
        return seconds, None
    why = f"ConfigVersion {version_text(version)} < {version_text(STALLED_SWAP)}"
    if sentinel == 0:
        return -1.0, f"{shown}: never remove ({why})"
    return 0.0, f"{shown}: remove once stalled, no grace ({why})"


# (table in an Arr section, key, our default in words, qBitrr's default in words)
DEFAULTS: tuple[tuple[str, str, str, str], ...] = (
    ("", "ReSearch", "true", "false"),
    ("Torrent", "MaximumETA", "604800 s (7 days)", "86400 s (1 day)"),
    ("Torrent", "MaximumDeletablePercentage", "0.99", "0.95"),
    ("Torrent", "FileExtensionAllowlist", "video (Radarr/Sonarr) or audio (Lidarr)", "all"),
    ("Torrent", "FolderExclusionRegex", "5 patterns (extras, samples, …)", "none"),
    ("Torrent", "FileNameExclusionRegex", "5 patterns (sample, trailer, …)", "none"),
)


def default_differences(section: str, data: Mapping[str, Any]) -> list[str]:
    """One line for each key an Arr section leaves unset whose default differs from qBitrr's."""
    lines: list[str] = []
    for table, key, ours, theirs in DEFAULTS:
        scope = _child(data, table) if table else data
        if scope is not None and _child(scope, key, table=False) is not None:
            continue
        where = f"[{section}.{table}]" if table else f"[{section}]"
        lines.append(f"{where} {key} unset: {ours} here; differs from qBitrr: {theirs}")
    return lines


def _child(data: Mapping[str, Any], key: str, *, table: bool = True) -> Any:
    for name, value in data.items():
        if name.lower() == key.lower() and (isinstance(value, dict) or not table):
            return value
    return None
