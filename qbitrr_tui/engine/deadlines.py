"""When each reused decision must be made again: a heap of deadlines (engine clock).

The decider keeps a decision while its inputs are unchanged (engine/decider.py) and puts
its ``valid_until`` here; at the start of each cycle :meth:`Deadlines.due` hands back the
torrents whose deadline has passed, in time order, and only those lose their kept decision
for the passage of time. A torrent decided again gets a new deadline; the old heap entry
is left in place and skipped when it comes up (a lazy delete: only the newest counts).
"""

from __future__ import annotations

import heapq
import math

from qbitrr_tui.engine.model import TorrentKey


class Deadlines:
    def __init__(self) -> None:
        self._heap: list[tuple[float, TorrentKey]] = []
        self._at: dict[TorrentKey, float] = {}  # the one deadline that counts, per torrent

    def __len__(self) -> int:
        return len(self._at)

    def set(self, key: TorrentKey, at: float) -> None:
        """``key``'s decision holds until ``at`` (``math.inf``: until its inputs change)."""
        if math.isinf(at):
            self._at.pop(key, None)
            return
        self._at[key] = at
        heapq.heappush(self._heap, (at, key))
        if len(self._heap) > 4 * len(self._at) + 64:
            self._compact()

    def discard(self, key: TorrentKey) -> None:
        self._at.pop(key, None)

    def due(self, now: float) -> list[TorrentKey]:
        """The torrents whose deadline is ``now`` or before (each once)."""
        out: list[TorrentKey] = []
        heap = self._heap
        while heap and heap[0][0] <= now:
            at, key = heapq.heappop(heap)
            if self._at.get(key) == at:
                del self._at[key]
                out.append(key)
        return out

    def clear(self) -> None:
        self._heap.clear()
        self._at.clear()

    def _compact(self) -> None:
        """Drop the entries superseded by a newer deadline (bounded memory)."""
        self._heap = [(at, key) for key, at in self._at.items()]
        heapq.heapify(self._heap)
