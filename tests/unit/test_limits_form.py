"""The limits line (L on torrents): four optional limits, one clear sentence when wrong."""

from __future__ import annotations

import pytest

from qbitrr_tui.engine.events import Limits
from qbitrr_tui.tui.limits_form import parse_limits


def test_each_limit_and_the_words_none_and_global() -> None:
    assert parse_limits("ratio=1.5 seed=7d up=500K down=2M") == Limits(
        ratio=1.5, seeding_minutes=7 * 24 * 60, upload=500 * 1024, download=2 * 1024**2
    )
    assert parse_limits("RATIO=none seed=global up=none") == Limits(
        ratio=-1, seeding_minutes=-2, upload=0
    )
    assert parse_limits("seed=90") == Limits(seeding_minutes=90)  # minutes, as qBittorrent


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "no limit given"),
        ("ratio", "write it as name=value"),
        ("ratio=lots", "ratio=lots: expected a number"),
        ("ratio=nan", "expected a number from 0 to 9998"),
        ("speed=1M", "unknown limit 'speed'"),
        ("up=fast", "up=fast: expected a size"),
        ("up=3T", "expected a rate such as 500K"),
        ("seed=-5", "use none to lift the limit"),
        ("ratio=1 ratio=2", "ratio is given twice"),
    ],
)
def test_bad_input_is_one_sentence(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=None) as info:
        parse_limits(text)
    message = str(info.value)
    assert says in message and "\n" not in message
