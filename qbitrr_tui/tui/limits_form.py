"""``L`` on torrents: their limits, typed on one line (pure parsing here).

``ratio=2 seed=7d up=500K down=2M``: any of the four, in any order. ``none`` lifts a
limit; ``global`` (ratio and seed) goes back to the instance's own. A size is per second.
Bad input is one sentence naming the word, never a traceback.
"""

from __future__ import annotations

import math

from qbitrr_tui.config.units import parse_duration, parse_size
from qbitrr_tui.engine.events import Limits

HELP = "ratio=2 seed=7d up=500K down=2M  (none lifts one; global: the instance's own)"
RATE_MAX = 2**31 - 1  # qBittorrent keeps a torrent's rate limit in 32 bits


def parse_limits(text: str) -> Limits:
    values: dict[str, float | int] = {}
    for word in text.split():
        key, equals, value = word.partition("=")
        key, value = key.lower(), value.strip().lower()
        if not equals or not value:
            raise ValueError(f"{word!r}: write it as name=value, e.g. {HELP}")
        if key in values:
            raise ValueError(f"{key} is given twice")
        if key == "ratio":
            values[key] = _ratio(value)
        elif key in ("seed", "seeding"):
            values["seed"] = _minutes(value)
        elif key in ("up", "down"):
            values[key] = _rate(key, value)
        else:
            raise ValueError(f"unknown limit {key!r}; the limits are ratio, seed, up and down")
    if not values:
        raise ValueError(f"no limit given; e.g. {HELP}")
    return Limits(
        ratio=float(values["ratio"]) if "ratio" in values else None,
        seeding_minutes=int(values["seed"]) if "seed" in values else None,
        upload=int(values["up"]) if "up" in values else None,
        download=int(values["down"]) if "down" in values else None,
    )


def _special(value: str) -> int | None:
    return {"none": -1, "global": -2}.get(value)


def _ratio(value: str) -> float:
    special = _special(value)
    if special is not None:
        return special
    try:
        ratio = float(value)
    except ValueError:
        raise ValueError(f"ratio={value}: expected a number such as 2 or 1.5") from None
    if not math.isfinite(ratio) or not 0 <= ratio <= 9998:
        raise ValueError(f"ratio={value}: expected a number from 0 to 9998")
    return round(ratio, 2)


def _minutes(value: str) -> int:
    special = _special(value)
    if special is not None:
        return special
    try:
        seconds = parse_duration(value, "m")
    except ValueError as exc:
        raise ValueError(f"seed={value}: {exc}") from None
    if seconds < 0:
        raise ValueError(f"seed={value}: use none to lift the limit")
    return max(1, round(seconds / 60)) if seconds else 0


def _rate(key: str, value: str) -> int:
    if value in ("none", "0"):
        return 0  # qBittorrent: 0 is unlimited
    try:
        rate = parse_size(value)
    except ValueError as exc:
        raise ValueError(f"{key}={value}: {exc}") from None
    if not 0 < rate <= RATE_MAX:
        raise ValueError(f"{key}={value}: expected a rate such as 500K or 2M (per second)")
    return rate
