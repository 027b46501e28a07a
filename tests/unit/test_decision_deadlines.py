"""Decisions valid until a deadline (engine/deadlines.py, decider.py): a torrent is decided
again only when its inputs change or the time its decision holds until has come. Driven by
the testbed's fake clock (real time plus an offset the test moves)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from qbitrr_tui.config.model import Config, SeedingMode
from qbitrr_tui.engine import policy
from qbitrr_tui.engine.deadlines import Deadlines
from qbitrr_tui.engine.decider import Decider
from qbitrr_tui.engine.memory import TorrentMemory
from qbitrr_tui.engine.model import (
    LEFT,
    TAG_ALLOWED_SEEDING,
    TAG_ALLOWED_STALLED,
    TAG_IMPORTED,
    Rule,
)
from qbitrr_tui.engine.owners import Queues
from qbitrr_tui.engine.plan import Planned
from qbitrr_tui.engine.publish import RowPublisher
from qbitrr_tui.qbit.snapshot import TorrentSnapshot, merged
from tests.support.engine import fetched
from tests.support.testbed import Clock
from tests.unit.decider_rig import TrackerlessAdapter
from tests.unit.rule_helpers import SETTINGS, arr, complete, queue, snap

KEY = ("default", "ab" * 20)
Run = Callable[..., list[Planned]]


class Adapter(TrackerlessAdapter):
    def files(self, torrent_hash: str) -> Any:
        return []  # not known yet


class Qbit:
    read_budget = 5.0

    def get_client(self, name: str) -> Any:
        return Adapter()


class Engine:
    """A decider and its row publisher over one instance, one cycle per run()."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.clock = Clock()
        self.memory = TorrentMemory()
        self.decider = Decider(self.memory, Qbit())  # type: ignore[arg-type]
        self.rows = RowPublisher(self.memory)
        self.published: list[Any] = []

    def run(self, *torrents: TorrentSnapshot, queues: Queues | None = None) -> list[Planned]:
        now = self.clock()
        result = fetched("default", *torrents)
        queues = {arr().name: {}} if queues is None else queues
        plans, new = self.decider.decide_all(self.config, {"default": result}, queues, now)
        keys = {t.key for t in torrents}
        self.memory.commit(
            new, present=keys, read={"default"}, undone=[], imported=[], deleted=[], now=now
        )
        self.published = self.rows.publish({"default": result}, {})
        return plans

    def later(self, seconds: float) -> None:
        self.clock.offset += seconds


def engine(**torrent: Any) -> Engine:
    return Engine(Config(path=None, settings=SETTINGS, arrs=(arr(**torrent),)))


def magnet(e: Engine, age: float) -> TorrentSnapshot:
    """A stuck magnet (no metadata) added ``age`` seconds ago, tagged as in its grace."""
    added = int(e.clock() - age)
    tags = {TAG_ALLOWED_STALLED}
    return snap(state="metaDL", progress=0.0, added_on=added, eta=8_640_000, tags=tags)


def test_a_stuck_magnet_is_not_decided_again_before_its_deadline_and_removed_at_it(
    decided: list[str],
) -> None:
    e = engine()  # StalledDelay 900 s
    torrent = magnet(e, 600)  # 300 s of grace left
    queues = {arr().name: {torrent.hash: queue()}}
    e.run(torrent, queues=queues)  # first sight: its stalled_since is remembered
    e.run(torrent, queues=queues)
    record = e.memory.record(KEY)
    assert record.rule == Rule.STALLED and record.reason == f"no metadata, removal in {LEFT}"
    assert record.deadline == torrent.added_on + 900
    decided.clear()
    for _ in range(5):
        e.later(50)
        assert e.run(torrent, queues=queues) == []
    assert decided == []  # 250 s later: the same decision, not made again
    e.later(60)  # past the grace
    plans = e.run(torrent, queues=queues)
    assert decided == [torrent.hash]
    removal = ["remove_tags qBitrr-allowed_stalled", "blocklist", "delete with files", "search"]
    assert [a.describe() for a in plans[0].actions] == removal


def test_a_changed_input_decides_again_at_once(decided: list[str]) -> None:
    e = engine()
    torrent = magnet(e, 600)
    e.run(torrent)
    e.run(torrent)
    decided.clear()
    e.run(torrent, queues={arr().name: {torrent.hash: queue()}})  # its Arr queued it
    e.run(replace(torrent, state="downloading", progress=0.1))  # it moves again
    assert decided == [torrent.hash] * 2
    assert e.memory.record(KEY).rule == Rule.STALLED  # "moving again: grace ended"


def test_a_config_reload_decides_everything_again(decided: list[str]) -> None:
    e = engine()
    torrent = magnet(e, 600)
    seeder = complete(hash="cd" * 20, tags={TAG_IMPORTED, TAG_ALLOWED_SEEDING})
    for _ in range(3):
        e.run(torrent, seeder)
    decided.clear()
    e.run(torrent, seeder)
    assert decided == []
    e.memory.forget_reusable()  # what the engine does on a reload (engine/loop.py)
    e.run(torrent, seeder)
    assert sorted(decided) == sorted([torrent.hash, seeder.hash])


def test_a_seeding_time_limit_is_its_own_deadline(decided: list[str]) -> None:
    """seeding_time moves every second without a decision made again, until the limit."""
    e = engine(seeding=SeedingMode(max_seeding_time=3600, remove_torrent=2))
    seeder = complete(tags={TAG_IMPORTED, TAG_ALLOWED_SEEDING}, seeding_time=3000)
    e.run(seeder)
    e.run(seeder)
    assert e.memory.record(KEY).rule == Rule.SEEDING
    decided.clear()
    for step in range(1, 6):  # 500 s of seeding, the snapshot's seeding time current
        e.later(100)
        e.run(merged(seeder, {"seeding_time": 3000 + 100 * step}) or seeder)
    assert decided == []
    e.later(100)
    plans = e.run(replace(seeder, seeding_time=3600))
    assert decided == [seeder.hash] and e.memory.record(KEY).rule == Rule.SEEDING_DONE
    assert "delete with files" in [a.describe() for a in plans[0].actions]


def test_a_countdown_is_published_once_as_a_deadline() -> None:
    """The row does not change while its countdown runs; the view fills the number in."""
    e = engine()
    torrent = complete(completion_on=int(e.clock() - 10))  # ImportSettleTime 60 s
    e.run(torrent)
    (update,) = [p for p in e.published if hasattr(p, "rows")]
    (row,) = update.rows
    assert row.reason == f"complete; import in {LEFT} (ImportSettleTime)"
    assert row.deadline == torrent.completion_on + 60
    assert row.reason_at(row.deadline - 42) == "complete; import in 42s (ImportSettleTime)"
    for _ in range(3):
        e.later(10)
        e.run(torrent)
        assert [p for p in e.published if hasattr(p, "rows")] == []  # nothing changed


def test_the_deadline_heap_hands_back_each_due_torrent_once_newest_deadline_only() -> None:
    heap = Deadlines()
    a, b, c = ("i", "a"), ("i", "b"), ("i", "c")
    heap.set(a, 10.0)
    heap.set(b, 5.0)
    heap.set(c, 20.0)
    heap.set(a, 30.0)  # decided again: only the newest counts
    heap.set(c, float("inf"))  # now valid until its inputs change
    assert heap.due(4.0) == []
    assert heap.due(10.0) == [b]
    assert heap.due(25.0) == []
    assert heap.due(30.0) == [a]
    assert len(heap) == 0


def test_no_rule_compares_the_clock_behind_the_deadlines_back() -> None:
    """A comparison with ctx.now outside ctx.before()/until() would make a kept decision
    wrong when its time comes (a stalled download never removed): rules only stamp it."""
    rules = Path(policy.__file__).parent / "rules"
    compared = re.compile(r"ctx\.now\s*[<>]|[<>]=?\s*ctx\.now|ctx\.now\s*-|-\s*ctx\.now")
    offending = [
        f"{path.name}:{n}: {line.strip()}"
        for path in sorted(rules.glob("*.py"))
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if compared.search(line)
    ]
    assert offending == []
