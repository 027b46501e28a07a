"""The decider's test rig: a decider with no qBittorrent to read, and one cycle of it
(``cycle`` is a fixture, taken into conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from qbitrr_tui.config.model import Config
from qbitrr_tui.engine.arrs import StaleQueue
from qbitrr_tui.engine.decider import Decider
from qbitrr_tui.engine.memory import TorrentMemory
from qbitrr_tui.engine.model import TAG_ALLOWED_SEEDING, TAG_IMPORTED
from qbitrr_tui.engine.owners import Queues
from qbitrr_tui.engine.plan import Planned
from qbitrr_tui.qbit.snapshot import TorrentSnapshot
from tests.support.engine import fetched
from tests.unit.rule_helpers import NOW, SETTINGS, arr, complete

CONFIG = Config(path=None, settings=SETTINGS, arrs=(arr(),))
KEY = ("default", "ab" * 20)


class NoQbit:
    """Decided torrents here are complete: no file list is ever read. The trackers of a
    torrent about to be deleted are (no trackers, public: nothing holds it back)."""

    read_budget = 5.0

    def get_client(self, name: str) -> Any:
        return TrackerlessAdapter()


class TrackerlessAdapter:
    lists_trackers = True
    flags_tracker_errors = True

    def torrents_with_trackers(self, hashes: str = "", **filters: Any) -> list[dict[str, Any]]:
        return [{"hash": h, "trackers": [], "private": False} for h in hashes.split("|") if h]

    def files(self, torrent_hash: str) -> Any:
        raise AssertionError("no file list expected")


Cycle = Callable[..., list[Planned]]


@pytest.fixture
def cycle() -> tuple[Decider, Cycle]:
    """A decider, and one cycle of it over some torrents (its states committed, as the
    engine does)."""
    memory = TorrentMemory()
    decider = Decider(memory, NoQbit())  # type: ignore[arg-type]

    def run(
        *torrents: TorrentSnapshot,
        queues: Queues | None = None,
        stale: dict[str, StaleQueue] | None = None,
        now: float = NOW,
        dry_run: bool = False,
        **read: Any,
    ) -> list[Planned]:
        result = fetched("default", *torrents, **read)
        queues = {arr().name: {}} if queues is None else queues
        plans, new = decider.decide_all(CONFIG, {"default": result}, queues, now, stale)
        keys = {t.key for t in torrents}
        undone = [p.key for p in plans] if dry_run else []  # dry-run: nothing was done
        memory.commit(
            new, present=keys, read={"default"}, undone=undone, imported=[], deleted=[], now=now
        )
        return plans

    return decider, run


def seeder() -> TorrentSnapshot:
    return complete(tags={TAG_IMPORTED, TAG_ALLOWED_SEEDING})


def settled(run: Cycle, decided: list[str]) -> TorrentSnapshot:
    """A seeding torrent whose decision is being reused (decide() calls forgotten)."""
    torrent = seeder()
    for _ in range(3):
        run(torrent)
    decided.clear()
    return torrent


def rule(decider: Decider) -> str:
    return decider.memory.record(KEY).rule
