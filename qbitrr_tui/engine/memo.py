"""What the engine makes from an instance's snapshots each cycle, kept while they are the
same object: qbit/fetch.py hands out the same tuple while no torrent of the instance
changed, so a quiet cycle at 30,000 torrents makes none of these again."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class SameInput(Generic[V]):
    def __init__(self) -> None:
        self._kept: dict[Hashable, tuple[object, V]] = {}

    def get(self, key: Hashable, source: object, make: Callable[[], V]) -> V:
        """``make()`` for ``key``, unless it was last made from this very ``source``."""
        kept = self._kept.get(key)
        if kept is not None and kept[0] is source:
            return kept[1]
        if len(self._kept) > 64:  # keys of instances or configs long gone
            self._kept.clear()
        value = make()
        self._kept[key] = (source, value)
        return value
