"""What the engine remembers of each torrent between cycles: one record per (instance, hash).

A record holds the stored state (the part that also lives in the database), the decision
last shown for it, the decision that may be reused while nothing changes, the plan last
recorded in dry-run, and the snapshot its dashboard row was made of. A torrent that leaves
is forgotten with one :meth:`TorrentMemory.forget`, all of it at once: a new per-torrent
fact goes into :class:`TorrentRecord`, never into a dict of its own that someone must
remember to evict.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from qbitrr_tui.engine.model import Action, Decision, StoredState, TorrentKey
from qbitrr_tui.qbit.snapshot import TorrentSnapshot

Signature = tuple[str, ...]  # a plan's actions, described: "the same plan" in dry-run


def signature(actions: Sequence[Action]) -> Signature:
    return tuple(a.describe() for a in actions)


@dataclass(frozen=True, slots=True)
class Reusable:
    """A decision that followed from these very objects and inputs alone (see
    :mod:`qbitrr_tui.engine.decider` for when it may be reused), and how it was last
    planned (``final``: with what a stale Arr queue holds back taken out)."""

    steady: object  # the snapshot's token (qbit/snapshot.py): the same but for its clock
    stored: StoredState
    inputs: tuple[object, ...]
    decision: Decision  # decide()'s answer
    state: StoredState  # and the state it leaves (``stored`` itself when it changes none)
    queue: tuple[tuple[int, ...], tuple[int, ...]] | None
    final: Decision  # as planned
    signature: Signature  # final's actions, described (what dry-run records)
    destructive: bool  # final deletes: it goes through the deletion gate

    @classmethod
    def of(
        cls,
        steady: object,
        stored: StoredState,
        inputs: tuple[object, ...],
        decision: Decision,
        *,
        queue: tuple[tuple[int, ...], tuple[int, ...]] | None = None,
        state: StoredState | None = None,
    ) -> Reusable:
        state = stored if state is None else state
        sig, destructive = signature(decision.actions), decision.destructive
        return cls(steady, stored, inputs, decision, state, queue, decision, sig, destructive)

    def planned_as(self, final: Decision) -> Reusable:
        """The same decision, planned as ``final``."""
        return replace(
            self, final=final, signature=signature(final.actions), destructive=final.destructive
        )


@dataclass(slots=True)
class TorrentRecord:
    state: StoredState | None = None  # None until first decided (or loaded from the store)
    rule: str = ""  # the last decision, as the dashboard shows it
    reason: str = ""  # may hold a countdown (model.LEFT) that ends at ``deadline``
    deadline: float | None = None
    reusable: Reusable | None = None
    planned: Signature | None = None  # the plan last recorded as planned (dry-run)
    row_source: TorrentSnapshot | None = None  # the snapshot its published row was made of


class TorrentMemory:
    def __init__(self, states: Mapping[TorrentKey, StoredState] | None = None) -> None:
        self._records: dict[TorrentKey, TorrentRecord] = {
            key: TorrentRecord(state=state) for key, state in (states or {}).items()
        }
        self._counts: dict[str, int] = {}  # instance → its records
        self._shown: dict[str, set[str]] = {}  # instance → hashes whose shown decision changed
        # The decider walks only what changed (engine/changes.py): instance → hashes whose
        # state or plan changed here, and ``epoch`` moves when every kept one is forgotten.
        self._marked: dict[str, set[str]] = {}
        self.epoch = 0
        for instance, _ in self._records:
            self._counts[instance] = self._counts.get(instance, 0) + 1
        self.states: Mapping[TorrentKey, StoredState] = _States(self._records)

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, key: object) -> bool:
        return key in self._records

    def get(self, key: TorrentKey) -> TorrentRecord | None:
        return self._records.get(key)

    def record(self, key: TorrentKey) -> TorrentRecord:
        """The record of ``key``, made empty when there is none yet."""
        record = self._records.get(key)
        if record is None:
            record = self._records[key] = TorrentRecord()
            self._counts[key[0]] = self._counts.get(key[0], 0) + 1
        return record

    def show(self, key: TorrentKey, rule: str, reason: str, deadline: float | None) -> None:
        """The decision the dashboard shows for a torrent; the row publisher looks again at
        those that changed (:meth:`take_shown`)."""
        record = self.record(key)
        if record.rule != rule or record.reason != reason or record.deadline != deadline:
            record.rule, record.reason, record.deadline = rule, reason, deadline
            self._shown.setdefault(key[0], set()).add(key[1])

    def take_shown(self, instance: str) -> set[str]:
        """The hashes of ``instance`` whose shown decision changed since the last call."""
        return self._shown.pop(instance, set())

    def state(self, key: TorrentKey) -> StoredState | None:
        record = self._records.get(key)
        return record.state if record is not None else None

    def commit(
        self,
        new_states: dict[TorrentKey, StoredState],
        *,
        present: Collection[TorrentKey],
        read: Collection[str],
        undone: Iterable[TorrentKey],
        imported: Iterable[TorrentKey],
        deleted: Iterable[TorrentKey],
        now: float,
    ) -> set[TorrentKey]:
        """End a cycle: remember ``new_states`` as far as they were done, and forget the
        torrents that left; those keys are returned (and dropped from ``new_states``).

        A torrent whose planned actions were not carried out (``undone``: dry-run, held by
        the cap, failed) keeps only what was observed; an ``imported`` one is marked
        imported. Gone are the ``deleted`` ones and those of the instances ``read`` in
        full this cycle that are not ``present``.
        """
        for key in undone:
            new = new_states.get(key)
            if new is not None:
                known = self.state(key)
                observed = (known or StoredState(first_seen=new.first_seen)).observed_from(new)
                if observed is known:
                    del new_states[key]  # nothing new was seen: nothing to write
                else:
                    new_states[key] = observed
        for key in imported:
            state = new_states.get(key) or self.state(key)
            if state is not None:
                new_states[key] = state.with_changes(imported=True, import_requested_at=now)
        # Every torrent read has a record (the decider made it): an instance with as many
        # records as torrents read has none gone, and its records need no look.
        if isinstance(present, Present):
            read = [i for i in read if present.count(i) != self._counts.get(i, 0)]
        gone = {k for k in self._records if k[0] in read and k not in present} if read else set()
        gone.update(deleted)
        for key in gone:
            new_states.pop(key, None)
        for key, state in new_states.items():
            self.record(key).state = state
        self.mark(new_states)
        self.forget(gone)
        return gone

    def forget(self, keys: Iterable[TorrentKey]) -> None:
        """Everything about these torrents, at once."""
        for key in keys:
            if self._records.pop(key, None) is not None:
                self._counts[key[0]] -= 1

    def forget_reusable(self) -> None:
        """Decide every torrent afresh (the config changed: any decision may differ)."""
        for record in self._records.values():
            record.reusable = None
        self.epoch += 1

    def forget_planned(self, keys: Iterable[TorrentKey] | None = None) -> None:
        """Record every plan again (dry-run was switched), or those of ``keys`` (approved:
        their plans must reach the cycle again)."""
        if keys is None:
            self.epoch += 1
        for key in self._records if keys is None else keys:
            if (record := self._records.get(key)) is not None:
                record.planned = None
                self.mark((key,))

    def mark(self, keys: Iterable[TorrentKey]) -> None:
        """These torrents' kept decisions may no longer hold: the decider walks them."""
        for instance, info_hash in keys:
            self._marked.setdefault(instance, set()).add(info_hash)

    def take_marked(self, instance: str) -> set[str]:
        return self._marked.pop(instance, set())

    def planned(self, keys: Iterable[TorrentKey]) -> dict[TorrentKey, Signature]:
        """The plans last recorded for ``keys`` (those that have one)."""
        out: dict[TorrentKey, Signature] = {}
        for key in keys:
            record = self._records.get(key)
            if record is not None and record.planned is not None:
                out[key] = record.planned
        return out

    def set_planned(self, signatures: Mapping[TorrentKey, Signature]) -> None:
        for key, signature in signatures.items():
            self.record(key).planned = signature


class Present(Collection[TorrentKey]):
    """The torrents of a cycle's reads: counted per instance at once, their keys made only
    if someone looks one up (memory.commit does only when a count says a torrent left)."""

    def __init__(self, snapshots: Mapping[str, Sequence[TorrentSnapshot]]) -> None:
        self._snapshots = snapshots
        self._hashes: dict[str, set[str]] = {}

    def count(self, instance: str) -> int:
        return len(self._snapshots.get(instance, ()))

    def __contains__(self, key: object) -> bool:
        if not (isinstance(key, tuple) and len(key) == 2):
            return False
        instance, info_hash = key
        hashes = self._hashes.get(instance)
        if hashes is None:
            hashes = {t.hash for t in self._snapshots.get(instance, ())}
            self._hashes[instance] = hashes
        return info_hash in hashes

    def __iter__(self) -> Iterator[TorrentKey]:
        return (t.key for snapshots in self._snapshots.values() for t in snapshots)

    def __len__(self) -> int:
        return sum(len(s) for s in self._snapshots.values())


class _States(Mapping[TorrentKey, StoredState]):
    """The stored states, read-only, as a mapping (what the free-space plan reads)."""

    def __init__(self, records: dict[TorrentKey, TorrentRecord]) -> None:
        self._records = records

    def __getitem__(self, key: TorrentKey) -> StoredState:
        state = self._records[key].state
        if state is None:
            raise KeyError(key)
        return state

    def __iter__(self) -> Iterator[TorrentKey]:
        return (k for k, r in self._records.items() if r.state is not None)

    def __len__(self) -> int:
        return sum(1 for r in self._records.values() if r.state is not None)
