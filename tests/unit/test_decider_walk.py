"""The decider walks only what changed (engine/changes.py ``to_walk``): a decider that is
told what changed since the last read plans exactly what one that looks at every torrent
plans, cycle after cycle, whatever changes — and looks at far fewer."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from qbitrr_tui.arr.queue import QueueGroup
from qbitrr_tui.engine.decider import Decider
from qbitrr_tui.engine.guards import signature
from qbitrr_tui.engine.memory import TorrentMemory
from qbitrr_tui.engine.model import TAG_IMPORTED, TorrentKey
from qbitrr_tui.engine.owners import Queues
from qbitrr_tui.qbit.fetch import ViewChanges
from qbitrr_tui.qbit.snapshot import TorrentSnapshot
from tests.support.engine import fetched
from tests.unit.decider_rig import CONFIG, TrackerlessAdapter
from tests.unit.rule_helpers import NOW, arr, complete, queue, snap

RADARR = frozenset({"radarr"})


def h(n: int) -> str:
    return f"{n:040x}"


class WithFiles(TrackerlessAdapter):
    """Downloads have one file to keep and a sample to skip."""

    def files(self, torrent_hash: str) -> Any:
        return [{"index": 0, "name": "Movie.mkv"}, {"index": 1, "name": "sample.exe"}]


class Qbit:
    read_budget = 5.0

    def get_client(self, name: str) -> Any:
        return WithFiles()


class Reads:
    """One instance's reads, each saying what changed since the last (as qbit/fetch.py)."""

    def __init__(self) -> None:
        self.torrents: dict[str, TorrentSnapshot] = {}  # the same dict: one view
        self.version = 0

    def changes(self, torrents: list[TorrentSnapshot]) -> ViewChanges:
        new = {t.hash: t for t in torrents}
        hashes = frozenset(
            x for x in new.keys() | self.torrents.keys() if new.get(x) is not self.torrents.get(x)
        )
        since = self.version or None
        self.version += 1
        self.torrents.clear()
        self.torrents.update(new)
        return ViewChanges(since, self.version, hashes, self.torrents, RADARR)


class Side:
    def __init__(self, told: bool) -> None:
        self.memory = TorrentMemory()
        self.decider = Decider(self.memory, Qbit())  # type: ignore[arg-type]
        self.reads = Reads() if told else None
        self.looked = 0  # torrents looked at (walked or passed over), over all cycles
        self.size = 0
        walk = self.decider.changes.to_walk

        def counting(instance: str, changes: Any, **kw: Any) -> Any:
            visit = walk(instance, changes, **kw)
            self.looked += self.size if visit is None else len(visit)
            return visit

        self.decider.changes.to_walk = counting  # type: ignore[method-assign]

    def cycle(
        self,
        torrents: list[TorrentSnapshot],
        queues: Queues,
        now: float,
        dry_run: bool,
        imported: list[TorrentKey],
    ) -> list[tuple[Any, ...]]:
        result = fetched("default", *torrents)
        self.size = len(torrents)
        if self.reads is not None:
            result = replace(result, changes=self.reads.changes(torrents))
        plans, new = self.decider.decide_all(CONFIG, {"default": result}, queues, now)
        undone: list[TorrentKey] = [p.key for p in plans] if dry_run else []
        self.memory.commit(
            new,
            present={t.key for t in torrents},
            read={"default"},
            undone=undone,
            imported=imported,
            deleted=[],
            now=now,
        )
        if dry_run:  # as the cycle does: the plans dry-run recorded
            recorded = self.memory.planned(p.key for p in plans)
            self.memory.set_planned({p.key: signature(p) for p in plans if p.key not in recorded})
        return [(p.key, p.rule, p.reason, p.actions) for p in plans] + sorted(
            (k, repr(s)) for k, s in new.items()
        )


def group(n: int, *ids: int) -> QueueGroup:
    base = queue(*ids)
    return QueueGroup(h(n), tuple(replace(i, download_id=h(n)) for i in base.items))


def test_told_what_changed_it_plans_what_a_full_walk_plans() -> None:
    full, told = Side(told=False), Side(told=True)
    seeders = [complete(hash=h(n), tags={TAG_IMPORTED}) for n in range(40)]
    stalled = [snap(hash=h(100 + n), state="stalledDL", dlspeed=0, eta=8640000) for n in range(5)]
    done = [complete(hash=h(200 + n)) for n in range(3)]  # in the queue: to import
    magnet = snap(hash=h(300), state="metaDL", progress=0.0, dlspeed=0, eta=8640000)
    queues: dict[str, dict[str, QueueGroup]] = {
        arr().name: {t.hash: group(int(t.hash, 16), 7) for t in [*stalled, *done]}
    }
    torrents: list[TorrentSnapshot] = [*seeders, *stalled, *done, magnet]
    now = NOW

    def both(dry_run: bool = True, imported: tuple[TorrentKey, ...] = ()) -> set[str]:
        """One cycle of each; the hashes planned."""
        out = told.cycle(torrents, queues, now, dry_run, [*imported])
        assert out == full.cycle(torrents, queues, now, dry_run, [*imported])
        return {item[0][1] for item in out if len(item) == 4}

    for _ in range(3):  # first sight, then quiet
        both()
        now += 5
    torrents[45] = replace(torrents[45], progress=1.0, state="uploading", amount_left=0)
    both()
    del torrents[3]  # a seeder left; a new download came
    torrents.append(snap(hash=h(400), added_on=int(now)))
    both()
    now += 5
    queues[arr().name][h(401)] = group(401, 9)  # a record for a torrent yet to come
    torrents.append(snap(hash=h(401), state="stalledDL", dlspeed=0, added_on=int(now - 7200)))
    both()
    queues[arr().name][h(100)] = group(100, 8)  # a record's id changed
    both()
    settling = complete(hash=h(500), completion_on=int(now))  # imported once it settles
    queues[arr().name][h(500)] = group(500, 11)
    torrents.append(settling)
    planned = [h(500) in both() for _ in range(14) if (now := now + 5)]
    assert planned.index(True) == 11  # once ImportSettleTime (60 s) passed: its deadline
    both(imported=(("default", h(201)),))  # the journal read an import back
    both()
    for _ in range(3):  # the stalled countdowns end: their deadlines come
        now += 600
        both()
    both()
    before = told.looked, full.looked
    both()  # a quiet cycle: only the few kept plans that change the state are looked at
    assert told.looked - before[0] <= 8 and full.looked - before[1] == len(torrents)
    for side in (full, told):  # an approval: a kept plan comes again
        side.memory.forget_planned([("default", h(200))])
    both()
    for side in (full, told):  # a reload: every kept decision forgotten
        side.memory.forget_reusable()
    both()
    for side in (full, told):  # dry-run switched off: every plan is recorded again
        side.memory.forget_planned()
    for _ in range(3):
        now += 5
        both(dry_run=False)  # live: states are committed, kept plans planned every cycle
    assert told.looked < full.looked / 2
