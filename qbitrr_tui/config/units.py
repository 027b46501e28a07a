"""Durations and sizes as users write them in the config, and back as people read them."""

from __future__ import annotations

import math
import re

_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_SIZE_UNITS = {"": 1, "B": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4, "P": 1024**5}
_DURATION_RE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*([smhdw]?)\s*$", re.IGNORECASE)
_SIZE_RE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*([KMGTP]?)(?:I?B)?\s*$", re.IGNORECASE)


def parse_duration(raw: object, unit: str = "s") -> float:
    """Seconds from an integer in ``unit`` (``"s"`` or ``"m"``) or a string like ``"15m"``.

    A negative number means "never" and is returned as ``-1`` whatever its unit. A string
    with its own suffix is taken exactly (``"30s"`` stays 30 seconds under a minutes key).
    """
    if isinstance(raw, bool):
        raise ValueError('expected a duration such as 90, "90s", "15m", "2h", "1d"')
    if isinstance(raw, int | float):
        if raw < 0:
            return -1.0
        return float(raw) * _DURATION_UNITS[unit]
    if isinstance(raw, str):
        match = _DURATION_RE.match(raw)
        if match:
            number = float(match.group(1))
            if number < 0:
                return -1.0
            suffix = (match.group(2) or unit).lower()
            return number * _DURATION_UNITS[suffix]
    raise ValueError('expected a duration such as 90, "90s", "15m", "2h", "1d"')


def parse_size(raw: object) -> int:
    """Bytes from ``"50G"``, ``"512M"``, ``"1.5T"`` (binary multiples) or a plain number of
    bytes; ``-1`` (or any negative) means "off"."""
    if isinstance(raw, bool):
        raise ValueError('expected a size such as "50G" or "512M", or -1 for off')
    if isinstance(raw, int | float):
        return -1 if raw < 0 else int(raw)
    if isinstance(raw, str):
        match = _SIZE_RE.match(raw)
        if match:
            number = float(match.group(1))
            if number < 0:
                return -1
            return int(number * _SIZE_UNITS[match.group(2).upper()])
    raise ValueError('expected a size such as "50G" or "512M", or -1 for off')


def format_duration(seconds: float) -> str:
    """``16m``, ``2h05m``, ``3d4h``, ``45s``: short, for reasons and tables."""
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
    if num_bytes < 0:
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
