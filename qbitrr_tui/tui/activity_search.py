"""The Activity view's search (pure): every word must match. ``on:seedbox`` the instance,
``outcome:failed`` (or ``is:failed``) the outcome, ``!word`` negates; a bare word searches
the torrent's name, the action and the reason (the error too)."""

from __future__ import annotations

from collections.abc import Callable

from qbitrr_tui.engine.events import ActionEvent

OUTCOMES = ("planned", "applied", "failed", "held")
Test = Callable[[ActionEvent], bool]


def parse(query: str) -> tuple[list[Test], list[str]]:
    """The tests of ``query`` and what was not understood (one sentence each)."""
    tests: list[Test] = []
    errors: list[str] = []
    for word in query.split():
        negate = word[:1] == "!" and len(word) > 1
        term = (word[1:] if negate else word).lower()
        name, colon, value = term.partition(":")
        test: Test
        if not colon:
            test = _text(term)
        elif name in ("on", "instance") and value:
            test = _instance(value)
        elif name in ("outcome", "is") and value in OUTCOMES:
            test = _outcome(value)
        else:
            errors.append(
                f"'{word}' is not understood (on:<instance>, outcome:{'|'.join(OUTCOMES)})"
            )
            continue
        tests.append(_negated(test) if negate else test)
    return tests, errors


def _text(needle: str) -> Test:
    return lambda e: (
        needle in e.name.lower()
        or needle in e.action.describe().lower()
        or needle in e.reason.lower()
        or needle in e.error.lower()
        or needle in e.rule.lower()
    )


def _instance(value: str) -> Test:
    return lambda e: value in e.instance.lower()


def _outcome(value: str) -> Test:
    return lambda e: e.outcome == value


def _negated(test: Test) -> Test:
    return lambda e: not test(e)


def matches(tests: list[Test], event: ActionEvent) -> bool:
    return all(test(event) for test in tests)
