"""One config key's description (:class:`Field`) and the conversion of a raw TOML value.

Every conversion is range-checked: ``nan``, ``inf``, integers far past any sensible value and
numbers below a key's minimum are errors here, never overflows or busy loops later. A secret's
value is never repeated in an error, only its type.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from qbitrr_tui.config.regex_check import backtracking_risk
from qbitrr_tui.config.units import parse_duration, parse_size

Kind = Literal[
    "bool", "int", "float", "port", "str", "duration", "size", "choice", "regex_list", "str_list"
]

# Integers without their own bounds still fit the 32-bit fields qBittorrent keeps them in.
INT_LIMIT = 2**31 - 1
_FOUND_MAX = 60  # characters of a found value quoted back in an error


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    attr: str
    kind: Kind
    default: object
    help: str
    aliases: tuple[str, ...] = ()
    unit: str = "s"
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    required: bool = False
    secret: bool = False
    # (value qBitrr accepts, the choice it is read as, why) for values we read differently
    choice_aliases: tuple[tuple[str, str, str], ...] = ()

    def describe_type(self) -> str:
        """What the field expects, in the words error messages and docs use."""
        if self.kind == "duration":
            unit = "seconds" if self.unit == "s" else "minutes"
            if self.minimum is not None and self.maximum is not None:
                return (
                    f"a duration from {_num(self.minimum)}s to {_num(self.maximum)}s "
                    f'({unit}, or a string like "90s", "2m")'
                )
            if self.minimum is not None and self.minimum >= 0:
                return f'a duration ≥ {_num(self.minimum)}s ({unit}, or a string like "90s", "15m")'
            return f'a duration ({unit}, or a string like "90s", "15m", "2h"; -1 = never)'
        if self.kind == "size":
            return 'a size like "50G" or "512M" (-1 = off)'
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        if self.kind == "port":
            return "an integer from 1 to 65535"
        if self.kind in ("int", "float"):
            noun = "an integer" if self.kind == "int" else "a number"
            if self.minimum is not None and self.maximum is not None:
                return f"{noun} from {_num(self.minimum)} to {_num(self.maximum)}"
            if self.minimum is not None:
                return f"{noun} ≥ {_num(self.minimum)}"
            return noun
        if self.kind == "regex_list":
            return "a list of regular expressions"
        if self.kind == "str_list":
            return "a list of strings"
        if self.kind == "bool":
            return "true or false"
        return "a string"

    def choice_alias(self, raw: object) -> tuple[str, str, str] | None:
        """The ``(value, read as, why)`` entry ``raw`` matches, if it is an alias."""
        if isinstance(raw, str):
            for alias in self.choice_aliases:
                if raw.strip().lower() == alias[0].lower():
                    return alias
        return None


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def found_text(raw: object, *, secret: bool = False) -> str:
    """``raw`` as an error quotes it: bounded, control characters escaped, secrets hidden."""
    if secret:
        return _type_name(raw)
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, int) and abs(raw) > 10**18:
        return f"an integer of {len(str(abs(raw)))} digits"
    text = repr(raw)  # repr escapes control characters and terminal escapes
    if len(text) > _FOUND_MAX:
        text = text[: _FOUND_MAX - 1] + "…"
    return text


def _type_name(raw: object) -> str:
    if isinstance(raw, bool):
        return "a boolean"
    if isinstance(raw, int | float):
        return "a number"
    if isinstance(raw, str):
        return "a string"
    if isinstance(raw, list):
        return "a list"
    if isinstance(raw, dict):
        return "a table"
    return "a value"


def convert(field: Field, raw: object) -> object:
    """The typed value of ``raw`` for ``field``; ``ValueError("found …, expected …")``."""
    try:
        return _convert(field, raw)
    except ValueError as exc:
        # The units' own messages repeat what describe_type() says; keep only new detail.
        detail = f" ({exc})" if str(exc) and not str(exc).startswith("expected") else ""
        if field.secret:
            detail = ""  # a regex error or unit message could quote the value
        found = found_text(raw, secret=field.secret)
        raise ValueError(f"found {found}, expected {field.describe_type()}{detail}") from None


def _convert(field: Field, raw: object) -> object:
    kind = field.kind
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        raise ValueError("")
    if kind == "port":
        # qBitrr hands the port to its client as it is, so "8080" works there.
        if isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
            raw = int(raw.strip()) if len(raw.strip()) <= 5 else 0
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValueError("")
        _check_range(raw, 1, 65535)
        return raw
    if kind == "int":
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValueError("")
        low = -INT_LIMIT if field.minimum is None else field.minimum
        high = INT_LIMIT if field.maximum is None else field.maximum
        if not low <= raw <= high:
            if field.minimum is None and field.maximum is None:
                raise ValueError(f"beyond ±{INT_LIMIT}")
            raise ValueError("")
        return raw
    if kind == "float":
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise ValueError("")
        if isinstance(raw, int) and abs(raw) > 10**18:
            raise ValueError("far too large")
        value = float(raw)
        if not math.isfinite(value):
            raise ValueError("")  # nan compares false with every bound: refuse it outright
        _check_range(value, field.minimum, field.maximum)
        return value
    if kind == "str":
        if not isinstance(raw, str):
            raise ValueError("")
        return raw
    if kind == "duration":
        seconds = parse_duration(raw, field.unit)
        if field.minimum is not None and seconds < field.minimum:
            raise ValueError("")
        if field.maximum is not None and seconds > field.maximum:
            raise ValueError("")
        return seconds
    if kind == "size":
        return parse_size(raw)
    if kind == "choice":
        if (alias := field.choice_alias(raw)) is not None:
            return alias[1]
        if isinstance(raw, str):
            for choice in field.choices:
                if raw.strip().lower() == choice.lower():
                    return choice
        raise ValueError("")
    if kind in ("regex_list", "str_list"):
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            raise ValueError("")
        if kind == "regex_list":
            for item in raw:
                try:
                    re.compile(item)
                except (re.error, RecursionError, OverflowError) as exc:
                    message = getattr(exc, "msg", None) or type(exc).__name__
                    raise ValueError(
                        f"bad regular expression {found_text(item)}: {message}"
                    ) from None
                if why := backtracking_risk(item):
                    raise ValueError(
                        f"{found_text(item)} has {why}, which can take minutes on one file "
                        "name; rewrite it (a possessive a++ or an atomic (?>…) group is fast)"
                    )
        return tuple(raw)
    raise AssertionError(f"unknown field kind {kind}")


def _check_range(value: float, low: float | None, high: float | None) -> None:
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError("")
