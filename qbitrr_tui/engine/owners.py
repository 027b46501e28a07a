"""Which Arr owns a torrent this cycle, its queue records for it, and whether its queue is
fresh enough to act on (one lookup table per cycle, for the decider)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from qbitrr_tui.arr.queue import QueueGroup
from qbitrr_tui.config.model import ArrConfig
from qbitrr_tui.engine.arrs import StaleQueue
from qbitrr_tui.engine.stale import stale_note
from qbitrr_tui.qbit.snapshot import TorrentSnapshot

Queues = Mapping[str, Mapping[str, QueueGroup]]  # Arr name → download id → its records


class Owners:
    def __init__(
        self,
        arrs: Sequence[ArrConfig],
        queues: Queues,
        stale: Mapping[str, StaleQueue],
        now: float,
    ) -> None:
        self.by_category = {a.category: a for a in arrs}
        self.by_name = {a.name: a for a in arrs}
        self.queues = queues
        # Every managed Arr not read this cycle: its last good queue (stale) if it has one.
        self.unread = {a.name: stale.get(a.name) for a in arrs if a.name not in queues}
        self.known = {**queues, **{n: q.groups for n, q in stale.items() if n in self.unread}}
        self.notes = {
            name: stale_note(name, q.read_at if q is not None else None, now)
            for name, q in self.unread.items()
        }
        self._any_note = "; ".join(self.notes.values())

    def owner(self, torrent: TorrentSnapshot) -> tuple[ArrConfig | None, QueueGroup | None]:
        arr = self.by_category.get(torrent.category)
        if arr is not None:
            groups = self.known.get(arr.name)
            return arr, groups.get(torrent.hash) if groups is not None else None
        # The failed or recheck category: whichever Arr has the download in its queue.
        for name, groups in self.known.items():
            if torrent.hash in groups:
                return self.by_name[name], groups[torrent.hash]
        return None, None

    def stale(self, arr: ArrConfig | None) -> str:
        """Why nothing destructive may be decided for a torrent of ``arr`` ("" when it
        may): that Arr was not read this cycle; for a torrent of no Arr's, any was not."""
        if arr is None:
            return self._any_note
        return self.notes.get(arr.name, "")

    def is_up(self, arr: ArrConfig | None) -> bool:
        """Its queue was read this cycle."""
        return arr is not None and arr.name in self.queues
