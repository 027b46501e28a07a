"""``[Keys]``: the dashboard's key remaps, checked so every action keeps one key of its own.

A key Textual cannot name (``ctrl+banana``), two actions on one key, or a key that takes
quit's are errors naming both actions: Textual would otherwise let one silently win.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from qbitrr_tui.config import schema
from qbitrr_tui.config.field import found_text
from qbitrr_tui.config.report import Collector, shown

_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
# Textual's key names, from a list kept equal to textual.keys by a test: the engine loads
# configs too, and must not import the UI toolkit.
KEY_NAMES = frozenset(
    line
    for line in resources.files(__package__).joinpath("key_names.txt").read_text().splitlines()
    if line and not line.startswith("#")
)


def valid_key(key: str) -> bool:
    """Whether Textual can bind ``key`` (``"f5"``, ``"ctrl+r"``, ``"q"``, ``"slash"``)."""
    *modifiers, name = key.split("+") if key != "+" else ["+"]
    if not name or any(m.lower() not in _MODIFIERS for m in modifiers):
        return False
    if len(name) == 1:
        return name.isprintable()
    return name.lower() in KEY_NAMES or "+".join((*modifiers, name)).lower() in KEY_NAMES


def read_keys(value: Any, table: str, out: Collector) -> tuple[tuple[str, str], ...]:
    """``[Keys]``: dashboard action id → key, e.g. ``rescan = "f5"``."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        out.error(table, "", f"expected a section [{shown(table)}], found a value")
        return ()
    keys: list[tuple[str, str]] = []
    for action, key in value.items():
        if action not in schema.KEY_ACTIONS:
            known = ", ".join(schema.KEY_ACTIONS)
            out.error(table, action, f"unknown action; expected one of {known}")
        elif not isinstance(key, str) or not key.strip():
            out.error(table, action, f'found {found_text(key)}, expected a key name such as "f5"')
        elif bad := [k for k in key.split(",") if not valid_key(k.strip())]:
            out.error(
                table,
                action,
                f"{found_text(bad[0].strip())} is not a key name Textual knows "
                '(e.g. "f5", "ctrl+r", "r", "slash")',
            )
        else:
            keys.append((action, key.strip()))
    _check_clashes(dict(keys), table, out)
    return tuple(keys)


def _check_clashes(remaps: dict[str, str], table: str, out: Collector) -> None:
    """Two actions on one key (after remapping) are an error naming both."""
    owner: dict[str, str] = {}
    for action, default in schema.KEY_ACTIONS.items():
        for part in remaps.get(action, default).split(","):
            key = part.strip()
            if (other := owner.get(key)) is not None and key:
                first, second = (other, action) if other in remaps else (action, other)
                out.error(
                    table,
                    first if first in remaps else second,
                    f"{shown(key)!r} is the key of both {first} and {second}; give each its own",
                )
                continue
            owner[key] = action
