"""Refuse regular expressions that can backtrack for minutes on one file name.

The engine matches the exclusion regexes with Python's ``re`` on every file of every torrent;
a pattern such as ``(a+)+$`` took 19 s on one 28-letter name. Such blow-ups need a repeat
nested inside another repeat (or a repeated alternation whose branches can start alike), so
those shapes are refused at load, by name, with the pattern quoted. Linear-time rewrites
(``a+$``) and every pattern qBitrr ships are accepted.
"""

from __future__ import annotations

import importlib
from typing import Any

_parser: Any = importlib.import_module("re._parser")  # the tree re.compile builds
_REPEATS = {"MAX_REPEAT", "MIN_REPEAT"}


def backtracking_risk(pattern: str) -> str | None:
    """Why ``pattern`` can take exponential time, or None when it cannot."""
    try:
        tree = _parser.parse(pattern)
    except Exception:  # re.compile() reports the syntax error itself
        return None
    return _walk(list(tree), inside_repeat=False)


def _walk(items: list[Any], *, inside_repeat: bool) -> str | None:
    for op, arg in items:
        name = str(op)
        if name in _REPEATS:
            low, high, sub = arg
            repeats = high > 1
            if repeats and inside_repeat and (low != high or _can_repeat(list(sub))):
                return "a repeat nested inside another repeat"
            if repeats and _ambiguous_branch(list(sub)):
                return "a repeated alternation whose branches can match alike"
            if found := _walk(list(sub), inside_repeat=inside_repeat or repeats):
                return found
            continue
        for sub in _children(name, arg):
            if found := _walk(sub, inside_repeat=inside_repeat):
                return found
    return None


def _can_repeat(items: list[Any]) -> bool:
    """Whether ``items`` matches a variable amount of text (so nesting multiplies paths)."""
    low, high = _parser.SubPattern(_parser.State(), items).getwidth()
    return bool(low != high)


def _children(name: str, arg: Any) -> list[list[Any]]:
    if name == "SUBPATTERN":
        return [list(arg[3])]
    if name == "BRANCH":
        return [list(branch) for branch in arg[1]]
    if name in ("ASSERT", "ASSERT_NOT"):
        return [list(arg[1])]
    if name == "GROUPREF_EXISTS":
        return [list(part) for part in arg[1:] if part is not None]
    return []  # literals, classes, atomic groups and possessive repeats cannot blow up


def _ambiguous_branch(items: list[Any]) -> bool:
    """A repeated group of alternatives where two can start with the same character."""
    for op, arg in items:
        name = str(op)
        if name == "SUBPATTERN":
            return _ambiguous_branch(list(arg[3]))
        if name == "BRANCH":
            firsts = [_first_literal(list(branch)) for branch in arg[1]]
            known = [f for f in firsts if f is not None]
            return len(known) != len(firsts) or len(set(known)) != len(known)
    return False


def _first_literal(items: list[Any]) -> int | None:
    """The character a branch must start with, or None when it can start with several."""
    if not items:
        return None
    op, arg = items[0]
    if str(op) == "LITERAL":
        return int(arg)
    if str(op) == "SUBPATTERN":
        return _first_literal(list(arg[3]))
    return None
