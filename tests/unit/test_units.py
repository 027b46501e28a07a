from __future__ import annotations

import pytest

from qbitrr_tui.config.units import format_duration, format_size, parse_duration, parse_size


@pytest.mark.parametrize(
    ("raw", "unit", "seconds"),
    [
        (90, "s", 90.0),
        (15, "m", 900.0),
        ("90s", "s", 90.0),
        ("30s", "m", 30.0),  # a suffix is taken exactly, not rounded to the key's minutes
        ("15m", "s", 900.0),
        ("2h", "s", 7200.0),
        ("1d", "m", 86400.0),
        ("1w", "s", 604800.0),
        ("1.5h", "s", 5400.0),
        (-1, "m", -1.0),
        ("-1", "s", -1.0),
        (0, "m", 0.0),
    ],
)
def test_parse_duration(raw: object, unit: str, seconds: float) -> None:
    assert parse_duration(raw, unit) == seconds


@pytest.mark.parametrize("raw", ["5x", "", "m", True, None, [1]])
def test_parse_duration_rejects(raw: object) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(raw)


@pytest.mark.parametrize(
    ("raw", "size"),
    [
        ("50G", 50 * 1024**3),
        ("512M", 512 * 1024**2),
        ("1.5T", int(1.5 * 1024**4)),
        ("10GiB", 10 * 1024**3),
        ("10GB", 10 * 1024**3),
        ("-1", -1),
        (-1, -1),
        (4096, 4096),
    ],
)
def test_parse_size(raw: object, size: int) -> None:
    assert parse_size(raw) == size


@pytest.mark.parametrize("raw", ["lots", "5X", True, None])
def test_parse_size_rejects(raw: object) -> None:
    with pytest.raises(ValueError, match="size"):
        parse_size(raw)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (45, "45s"),
        (60, "1m"),
        (90, "1m30s"),
        (960, "16m"),
        (3600, "1h"),
        (7500, "2h05m"),
        (86400, "1d"),
        (97200, "1d3h"),
        (-1, "∞"),
    ],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_format_size() -> None:
    assert format_size(0) == "0 B"
    assert format_size(1536 * 1024**2) == "1.5 GiB"
