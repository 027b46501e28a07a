"""The key names Textual can bind, as qbitrr_tui/config/key_names.txt lists them.

The config loader checks ``[Keys]`` against that file rather than importing Textual (the engine
loads configs and must not depend on the UI toolkit); tests/unit/test_config_key_names.py
keeps the file equal to what the pinned Textual knows. Regenerate after a Textual upgrade:
``.venv/bin/python -m tests.support.key_names``.
"""

from __future__ import annotations

import string
from pathlib import Path

from textual.keys import Keys, _character_to_key

FILE = Path(__file__).resolve().parents[2] / "qbitrr_tui" / "config" / "key_names.txt"
HEADER = (
    "# Key names Textual can bind (textual.keys), for checking [Keys] without importing "
    "Textual.\n# Regenerate: .venv/bin/python -m tests.support.key_names\n"
)


def textual_key_names() -> list[str]:
    named = {key.value for key in Keys}
    named |= {_character_to_key(char) for char in string.printable if char.isprintable()}
    return sorted(named)


if __name__ == "__main__":
    FILE.write_text(HEADER + "\n".join(textual_key_names()) + "\n")
