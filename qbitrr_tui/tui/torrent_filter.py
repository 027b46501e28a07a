"""The torrent filter's grammar (pure): words narrow, ``!`` negates, commas mean "or".

``pioneer``           the name or the engine's reason contains it
``state:stalled``     a state group (stalled = stalled downloads) or a state name
``cat:radarr``        the category contains it       ``tag:ignored``  a tag contains it
``rule:stalled``      the engine's rule (see RULES)  ``on:seedbox``   the instance
``tracker:example``   the current tracker's host contains it
``!word``, ``-word``  everything but that            ``on:vpn,seedbox``  either
``@problems``         a saved filter (see SAVED)

An unknown field, state or rule is an error the view shows; the term is then left out,
never silently matching nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from qbitrr_tui.engine.events import TorrentRow

STATE_GROUPS: dict[str, frozenset[str]] = {
    "stalled": frozenset({"stalledDL", "metaDL"}),
    "downloading": frozenset({"downloading", "forcedDL", "metaDL", "stalledDL"}),
    "seeding": frozenset({"uploading", "stalledUP", "forcedUP"}),
    "paused": frozenset({"pausedDL", "pausedUP", "stoppedDL", "stoppedUP"}),
    "queued": frozenset({"queuedDL", "queuedUP"}),
    "checking": frozenset({"checkingDL", "checkingUP", "checkingResumeData"}),
    "errored": frozenset({"error", "missingFiles"}),
}
STATES = (
    "downloading",
    "forcedDL",
    "metaDL",
    "stalledDL",
    "queuedDL",
    "pausedDL",
    "stoppedDL",
    "checkingDL",
    "uploading",
    "forcedUP",
    "stalledUP",
    "queuedUP",
    "pausedUP",
    "stoppedUP",
    "checkingUP",
    "checkingResumeData",
    "moving",
    "error",
    "missingFiles",
    "allocating",
    "unknown",
)
RULES = (
    "ok",
    "young",
    "stalled",
    "slow",
    "import",
    "seeding",
    "seeding_done",
    "errored",
    "recheck",
    "missing_files",
    "free_space",
    "unwanted_files",
    "ignored",
    "failed",
    "resume",
    "content_lost",
    "unregistered",
)
FIELDS = {
    "state": "state",
    "cat": "category",
    "category": "category",
    "rule": "rule",
    "tag": "tag",
    "on": "instance",
    "instance": "instance",
    "tracker": "tracker",
}

Test = Callable[[TorrentRow], bool]


@dataclass(frozen=True, slots=True)
class Filter:
    tests: tuple[Test, ...]
    errors: tuple[str, ...]

    def __call__(self, row: TorrentRow) -> bool:
        return all(test(row) for test in self.tests)


SAVED = {
    # What needs a human: stuck, too slow, errored or missing files (REPORT.md §3.10).
    "@problems": "rule:stalled,slow,errored,missing_files,unregistered",
}


def parse(query: str) -> Filter:
    tests: list[Test] = []
    errors: list[str] = []
    words = " ".join(SAVED.get(w.lower(), w) for w in query.split()).split()
    for word in words:
        negate = word[:1] in ("!", "-") and len(word) > 1
        term = word[1:] if negate else word
        try:
            test = _term(term)
        except ValueError as exc:
            errors.append(str(exc))
            continue
        tests.append(_negated(test) if negate else test)
    return Filter(tuple(tests), tuple(errors))


def _negated(test: Test) -> Test:
    return lambda row: not test(row)


def _term(term: str) -> Test:
    name, colon, value = term.partition(":")
    if not colon:
        needle = term.lower()
        return lambda r: needle in r.name.lower() or needle in r.reason.lower()
    field = FIELDS.get(name.lower())
    if field is None:
        raise ValueError(f"unknown filter '{name}:' (use state:, cat:, rule:, tag:, on:, tracker:)")
    values = [v.lower() for v in value.split(",") if v]
    if not values:
        raise ValueError(f"'{name}:' needs a value")
    if field == "state":
        wanted: set[str] = set()
        for v in values:
            group = STATE_GROUPS.get(v)
            named = {s for s in STATES if v in s.lower()}
            if not group and not named:
                raise ValueError(
                    f"unknown state '{v}' (groups: {', '.join(STATE_GROUPS)}; or a state name)"
                )
            wanted |= group or named
        return lambda r: r.state in wanted
    if field == "rule":
        for v in values:
            if v not in RULES:
                raise ValueError(f"unknown rule '{v}' (rules: {', '.join(RULES)})")
        rules = set(values)
        return lambda r: r.rule in rules
    if field == "tag":
        return lambda r: any(v in t.lower() for t in r.tags for v in values)
    return lambda r: any(v in str(getattr(r, field)).lower() for v in values)
