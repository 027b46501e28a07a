"""config/key_names.txt is exactly the key names the pinned Textual can bind."""

from __future__ import annotations

from qbitrr_tui.config.keys import KEY_NAMES
from tests.support.key_names import textual_key_names


def test_the_key_name_list_matches_textual() -> None:
    assert sorted(KEY_NAMES) == textual_key_names(), (
        "regenerate: .venv/bin/python -m tests.support.key_names"
    )
