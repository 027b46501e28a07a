from __future__ import annotations

import pytest

from qbitrr_tui.config.units import format_duration, format_size, parse_duration, parse_size


@pytest.mark.parametrize(
    ("raw", "unit", "seconds"),
    [
        (90, "s", 90.0),
        (15, "m", 900.0),
        ("90s", "s", 90.0),
        ("30s", "m", 30.0),  # a suffix is taken exactly (qBitrr truncates to whole minutes)
        ("90s", "m", 90.0),
        ("0s", "m", 0.0),
        (2.5, "m", 150.0),
        ("1M", "s", 30 * 86400.0),  # capital M is a month in qBitrr, not a minute
        ("1M", "m", 30 * 86400.0),
        ("1m", "s", 60.0),
        ("2H", "s", 7200.0),
        ("1W", "s", 604800.0),
        (" 15 m ", "s", 900.0),
        ("-5m", "m", -1.0),
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


@pytest.mark.parametrize("raw", ["5x", "", "m", True, None, [1], "15min", "1" + "0" * 40])
def test_parse_duration_rejects(raw: object) -> None:
    with pytest.raises(ValueError, match=r"duration|unit"):
        parse_duration(raw)


@pytest.mark.parametrize(
    "raw",
    [float("nan"), float("inf"), float("-inf"), 10**400, 1e300, "9999999999999999M", "4000000d"],
)
@pytest.mark.parametrize("unit", ["s", "m"])
def test_parse_duration_refuses_non_finite_and_huge(raw: object, unit: str) -> None:
    """nan used to pass every check (and hang the loop); huge ints raised OverflowError."""
    with pytest.raises(ValueError):
        parse_duration(raw, unit)


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
    "raw", [float("nan"), float("inf"), 1e400, 10**400, "9" * 400 + "P", "99999999999999P"]
)
def test_parse_size_refuses_non_finite_and_huge(raw: object) -> None:
    with pytest.raises(ValueError):
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
        (float("nan"), "?"),
    ],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_format_size() -> None:
    assert format_size(0) == "0 B"
    assert format_size(1536 * 1024**2) == "1.5 GiB"
