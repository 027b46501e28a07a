"""Where a problem is (file:line, section, key) and how names are shown in messages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# A hostile file could make a hundred thousand lines; a real qBitrr file has ~150 keys we
# ignore. Problems and ignored keys are listed up to these counts, other warnings always.
MAX_PROBLEMS = 50
MAX_IGNORED = 300
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def shown(name: str) -> str:
    """``name`` safe to print: control characters and terminal escapes made visible."""
    return CONTROL.sub(lambda m: repr(m.group())[1:-1], name)


class LineIndex:
    """Where each table header and key stands in the file, to point problems at a line."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]+\"|'[^']+')\s*=")

    def __init__(self, text: str) -> None:
        self.lines: dict[tuple[str, int, str], int] = {}
        counts: dict[str, int] = {}
        table, occurrence = "", 0
        for number, line in enumerate(text.splitlines(), start=1):
            header = self._HEADER.match(line)
            if header:
                table = re.sub(r"\s*\.\s*", ".", header.group(2).replace('"', "").replace("'", ""))
                occurrence = counts.get(table, 0)
                counts[table] = occurrence + 1
                self.lines.setdefault((table, occurrence, ""), number)
                continue
            key = self._KEY.match(line)
            if key:
                self.lines.setdefault((table, occurrence, key.group(1).strip("\"'")), number)

    def find(self, table: str, key: str = "", occurrence: int = 0) -> int | None:
        found = self.lines.get((table, occurrence, key)) or self.lines.get((table, occurrence, ""))
        if found is None:
            # a value where a section was expected: ``Torrent = 5`` inside its parent
            parent, _, leaf = table.rpartition(".")
            found = self.lines.get((parent, 0, leaf))
        return found


@dataclass
class Collector:
    source: str
    index: LineIndex
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ignored: int = 0  # "unknown … ignored" warnings so far

    def where(self, table: str, key: str = "", occurrence: int = 0) -> str:
        line = self.index.find(table, key, occurrence)
        location = f"{self.source}:{line}" if line else self.source
        label = f"[{shown(table)}]" + (f" {shown(key)}" if key else "")
        return f"{location}: {label}"

    def error(self, table: str, key: str, message: str, occurrence: int = 0) -> None:
        self.problems.append(f"{self.where(table, key, occurrence)}: {message}")

    def warn(self, table: str, key: str, message: str, occurrence: int = 0) -> None:
        self.warnings.append(f"{self.where(table, key, occurrence)}: {message}")

    def ignore(self, table: str, key: str, what: str, occurrence: int = 0) -> None:
        """A key or section we do not use: a warning, up to MAX_IGNORED of them."""
        self.ignored += 1
        if self.ignored <= MAX_IGNORED:
            self.warn(table, key, f"unknown {what} ignored", occurrence)

    def final_warnings(self) -> tuple[str, ...]:
        more = self.ignored - MAX_IGNORED
        tail = [f"{self.source}: … and {more} more unknown keys ignored"] if more > 0 else []
        return (*self.warnings, *tail)

    def final_problems(self) -> list[str]:
        more = len(self.problems) - MAX_PROBLEMS
        if more <= 0:
            return self.problems
        return [*self.problems[:MAX_PROBLEMS], f"{self.source}: … and {more} more problems"]


def child(
    data: Mapping[str, Any], name: str, table: str, out: Collector, *, report: bool = True
) -> tuple[str, Any]:
    """``(actual key, value)`` of ``name`` in ``data`` matched without regard to case
    (``("", None)`` if absent); two spellings of it are an error (unless ``report`` is
    False: the caller's field check reports it)."""
    matches = [key for key in data if key.lower() == name.lower()]
    if len(matches) > 1 and report:
        spelled = " and ".join(f"'{shown(m)}'" for m in matches)
        out.error(table, matches[1], f"{spelled} are the same name; keep one")
    if not matches:
        return "", None
    return matches[0], data[matches[0]]
