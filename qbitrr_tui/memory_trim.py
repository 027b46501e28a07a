"""Give the memory a big answer or a cycle freed back to the system (glibc's ``malloc_trim``).

A first read of 10,000 torrents parses a 15 MiB answer and the first cycle decides 30,000
torrents; most of what they allocate is freed, but glibc keeps the freed blocks in its heap,
so the process stayed at its first-pass size for good (186 MiB at 3 × 10k, flat for the
whole run; bench/RESULTS-issue21.md, "Where the 3 × 10k peak RSS comes from"). Trimming after
each large answer is parsed and after each cycle held it at 134 MiB (peak 144), at no CPU
cost the benchmark could see. Elsewhere (musl, macOS) there is nothing to call: a no-op.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable

LARGE = 1 << 20  # bytes of an answer worth trimming after (a full read, not a delta)


def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # no glibc
        return None
    return trim


_TRIM = _malloc_trim()
available = _TRIM is not None


def trim() -> None:
    """Return the heap's free memory to the system, where the C library can."""
    if _TRIM is not None:
        _TRIM(0)
