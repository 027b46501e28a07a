"""Durations and sizes as users write them in the config, and back as people read them.

Durations are read exactly as qBitrr's own parser reads them (``duration_config.py``): the
suffixes ``s m h d w`` in either case, except ``M`` (capital), which is a month of 30 days.
One difference, kept on purpose: a suffixed string is taken exactly, where qBitrr truncates
a minute key to whole minutes (``StalledDelay = "90s"`` is 90 s here, 1 minute there). Every
number is range-checked here, so ``nan``, ``inf`` or a 400-digit
integer is a clear error rather than an overflow deeper in.
"""

from __future__ import annotations

import math
import re

_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
MONTH = 30 * 86400  # qBitrr's "M"
_SIZE_UNITS = {"": 1, "B": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4, "P": 1024**5}
_NUMBER = r"(-?\d{1,20}(?:\.\d{1,20})?)"
_DURATION_RE = re.compile(rf"^{_NUMBER}\s*([A-Za-z]?)$")
_SIZE_RE = re.compile(rf"^{_NUMBER}\s*([KMGTP]?)(?:I?B)?$", re.IGNORECASE)
_MAX_TEXT = 32  # longer strings are not durations or sizes; bounds the regex work too

MAX_DURATION = 100 * 365 * 86400.0  # a century: more is a typo, and it keeps floats exact
MAX_SIZE = 1024**6  # an exbibyte

DURATION_EXPECTED = 'expected a duration such as 90, "90s", "15m", "2h", "1d", "1w", "1M"'
SIZE_EXPECTED = 'expected a size such as "50G" or "512M", or -1 for off'


def parse_duration(raw: object, unit: str = "s") -> float:
    """Seconds from a number in ``unit`` (``"s"`` or ``"m"``) or a string like ``"15m"``.

    A negative value means "never" and is returned as ``-1`` whatever its unit. Raises
    ``ValueError`` for anything else, including ``nan``, ``inf`` and values past a century.
    """
    number, suffix = _split(raw, _DURATION_RE, DURATION_EXPECTED)
    suffix = suffix or unit
    if suffix == "M":
        seconds_per = MONTH
    elif suffix.lower() in _DURATION_UNITS:
        seconds_per = _DURATION_UNITS[suffix.lower()]
    else:
        raise ValueError(f"unknown unit {suffix!r}; units: s, m, h, d, w, M = 30 days")
    if number < 0:
        return -1.0
    seconds = number * seconds_per
    if seconds > MAX_DURATION:
        raise ValueError("more than a century")
    return seconds


def parse_size(raw: object) -> int:
    """Bytes from ``"50G"``, ``"512M"``, ``"1.5T"`` (binary multiples) or a plain number of
    bytes; ``-1`` (or any negative) means "off"."""
    number, suffix = _split(raw, _SIZE_RE, SIZE_EXPECTED)
    if number < 0:
        return -1
    size = number * _SIZE_UNITS[(suffix or "").upper()]
    if size > MAX_SIZE:
        raise ValueError("more than an exbibyte")
    return int(size)


def _split(raw: object, pattern: re.Pattern[str], expected: str) -> tuple[float, str | None]:
    """The number ``raw`` holds and its suffix (None for a bare TOML number)."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return _finite(raw, expected), None
    if isinstance(raw, str):
        text = raw.strip()
        match = pattern.match(text) if len(text) <= _MAX_TEXT else None
        if match:
            return float(match.group(1)), match.group(2)
    raise ValueError(expected)


def _finite(raw: int | float, expected: str) -> float:
    """``raw`` as a float, refusing nan, ±inf and integers too large for a float."""
    if isinstance(raw, int):
        if abs(raw) > 10**18:
            raise ValueError("far too large")
        return float(raw)
    if not math.isfinite(raw):
        raise ValueError(expected)
    return raw


def format_duration(seconds: float) -> str:
    """``16m``, ``2h05m``, ``3d4h``, ``45s``: short, for reasons and tables."""
    if math.isnan(seconds):
        return "?"
    if seconds < 0 or math.isinf(seconds):
        return "∞"
    total = round(seconds)
    if total < 60:
        return f"{total}s"
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return f"{minutes}m" if secs == 0 or minutes >= 10 else f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h" if minutes == 0 else f"{hours}h{minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d" if hours == 0 else f"{days}d{hours}h"


def format_size(num_bytes: float) -> str:
    """``1.4 GiB``, ``512 MiB``, ``0 B``."""
    if num_bytes < 0 or math.isnan(num_bytes):
        return "off"
    value = float(num_bytes)
    for suffix in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or suffix == "TiB":
            return f"{value:.0f} {suffix}" if suffix == "B" else f"{value:.1f} {suffix}"
        value /= 1024
    raise AssertionError("unreachable")


def format_rate(bytes_per_second: float) -> str:
    """``1.2 MiB/s``; ``-`` for nothing moving."""
    if bytes_per_second <= 0:
        return "-"
    return f"{format_size(bytes_per_second)}/s"
