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
    return _walk(list(tree), outer=None)


def _walk(items: list[Any], *, outer: list[int] | None) -> str | None:
    """``outer``: inside a repeat, the characters its body must match at its top level."""
    for op, arg in items:
        name = str(op)
        if name in _REPEATS:
            low, high, sub = arg
            repeats = high > 1
            variable = low != high or _can_repeat(list(sub))
            if repeats and outer is not None and variable and not _separated(list(sub), outer):
                return "a repeat nested inside another repeat"
            if repeats and _ambiguous_branch(list(sub)):
                return "a repeated alternation whose branches can match alike"
            inner = _literals(list(sub)) if repeats else outer
            if found := _walk(list(sub), outer=inner if repeats else outer):
                return found
            continue
        for sub in _children(name, arg):
            if found := _walk(sub, outer=outer):
                return found
    return None


def _literals(items: list[Any]) -> list[int]:
    """The characters ``items`` must match at its top level (groups looked into)."""
    out: list[int] = []
    for op, arg in items:
        if str(op) == "LITERAL":
            out.append(int(arg))
        elif str(op) == "SUBPATTERN":
            out += _literals(list(arg[3]))
    return out


def _separated(inner: list[Any], outer: list[int]) -> bool:
    """Whether a character the outer body must match cannot be matched by the inner repeat:
    then each outer round is split at that character and there is one way to match
    (``(?:\\.\\w+)+``, ``(a+b)+``), so the nesting is harmless."""
    if len(inner) != 1:
        return False
    return any(not _may_match(inner[0], char) for char in outer)


def _may_match(item: Any, char: int) -> bool:
    """Whether one-character ``item`` may match ``char`` (either case; True when unsure)."""
    op, arg = str(item[0]), item[1]
    variants = {char, ord(chr(char).lower()), ord(chr(char).upper())}
    if op == "LITERAL":
        return int(arg) in variants
    if op == "NOT_LITERAL":  # [^a] matches neither a nor, ignoring case, A
        return int(arg) != char
    if op != "IN":
        return True  # ANY, groups, anything else: assume it may
    negate = bool(arg) and str(arg[0][0]) == "NEGATE"
    members = arg[1:] if negate else arg
    if negate:  # [^…] may match the character itself whenever … does not hold it
        return not any(_in_member(m, char) for m in members)
    return any(_in_member(m, c) for m in members for c in variants)


def _in_member(member: Any, char: int) -> bool:
    op, arg = str(member[0]), member[1]
    if op == "LITERAL":
        return int(arg) == char
    if op == "RANGE":
        return int(arg[0]) <= char <= int(arg[1])
    if op == "CATEGORY":
        text, category = chr(char), str(arg)
        tests = {
            "CATEGORY_DIGIT": text.isdecimal(),
            "CATEGORY_SPACE": text.isspace(),
            "CATEGORY_WORD": text.isalnum() or text == "_",
        }
        for base, result in tests.items():
            if category == base:
                return result
            if category == base.replace("CATEGORY_", "CATEGORY_NOT_"):
                return not result
    return True  # unknown member: assume it matches


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
