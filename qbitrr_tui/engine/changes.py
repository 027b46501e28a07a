"""What changed since the last cycle for the decider, besides snapshots and stored states
(a snapshot's ``steady`` token and a state's identity say that much on their own).

The decider decides again only the torrents something changed for (engine/decider.py);
these are the inputs many torrents share, compared once per cycle rather than once per
torrent:

- an instance's **shared inputs** (the config, its network status, which Arrs were read,
  and whether any queue is stale): when they change, every torrent of the instance is
  decided again;
- its **free-space plan** (hash → pause / resume): the hashes whose action changed;
- the **Arr queue records** the rules read (their ids and media ids), over every Arr: the
  download ids whose records changed, came or went.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from qbitrr_tui.arr.queue import QueueGroup
from qbitrr_tui.qbit.fetch import ChangeCursor, ViewChanges

Records = tuple[tuple[int, ...], tuple[int, ...]]  # a download's record ids, media ids


class Changes:
    def __init__(self) -> None:
        self._cursor = ChangeCursor()  # the reads the decider saw
        self._revisit: dict[str, set[str]] = {}  # instance → hashes not passed over
        self._epoch: dict[str, int] = {}  # instance → TorrentMemory.epoch at its last walk
        self._shared: dict[str, Hashable] = {}
        self._space: dict[str, Mapping[str, str]] = {}
        self._queues: dict[str, tuple[Mapping[str, QueueGroup], dict[str, Records]]] = {}

    def to_walk(
        self,
        instance: str,
        changes: ViewChanges | None,
        *,
        walk_all: bool,
        epoch: int,
        extra: set[str],
    ) -> set[str] | None:
        """The hashes of ``instance`` to walk this cycle, or None for every torrent: those
        the read says changed, those not passed over last cycle (walked, or a kept plan
        planned again), and ``extra`` (this cycle's per-hash inputs, memory's marks).
        Every torrent after a read the decider missed, a full update, a change of shared
        inputs or of the memory's epoch, or a walk that did not end."""
        hashes = self._cursor.advance(instance, changes)
        revisit = self._revisit.pop(instance, None)
        seen, self._epoch[instance] = self._epoch.get(instance), epoch
        if walk_all or hashes is None or revisit is None or seen != epoch:
            return None
        return revisit | hashes | extra

    def looked_at(self, instance: str, hashes: set[str]) -> None:
        """The torrents not passed over in this walk: walked again next cycle."""
        self._revisit[instance] = hashes

    def shared_changed(self, instance: str, shared: Hashable) -> bool:
        """Whether ``instance``'s shared inputs differ from the last cycle's."""
        changed = self._shared.get(instance) != shared
        self._shared[instance] = shared
        return changed

    def space_changed(self, instance: str, space: Mapping[str, str]) -> set[str]:
        """The hashes whose free-space action is not the last cycle's."""
        before = self._space.get(instance, {})
        self._space[instance] = space
        if before == space:
            return set()
        return {h for h in before.keys() | space.keys() if before.get(h) != space.get(h)}

    def queues_changed(self, known: Mapping[str, Mapping[str, QueueGroup]]) -> set[str]:
        """The download ids whose queue records (as the rules read them) changed. An Arr's
        queue that is the same object as last cycle's (an unchanged read, arr/queue.py
        ``QueueRead``) is not looked into."""
        changed: set[str] = set()
        before, self._queues = self._queues, {}
        for name, groups in known.items():
            last = before.pop(name, None)
            if last is not None and last[0] is groups:
                self._queues[name] = last
                continue
            now = {download: (g.ids, g.media_ids) for download, g in groups.items()}
            self._queues[name] = (groups, now)
            old = last[1] if last is not None else {}
            if old != now:
                changed |= {d for d in old.keys() | now.keys() if old.get(d) != now.get(d)}
        for _, gone in before.values():  # an Arr no longer known: its downloads changed
            changed |= gone.keys()
        return changed
