"""Whole engine cycles through injected ports: a fake qBittorrent side, hand-built
snapshots, a real store in a temporary folder; no network."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from qbitrr_tui.config.model import Config
from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.arrs import ArrFleet
from qbitrr_tui.engine.loop import Engine
from qbitrr_tui.engine.model import TAG_ALLOWED_SEEDING, TAG_IMPORTED
from qbitrr_tui.engine.store import Store
from qbitrr_tui.qbit.manager import InstanceFetch
from qbitrr_tui.qbit.snapshot import TorrentSnapshot
from tests.support.engine import drain, fetched
from tests.unit.rule_helpers import NOW, SETTINGS, arr, complete, snap

SEEDING = complete(hash="a" * 40, tags={TAG_IMPORTED, TAG_ALLOWED_SEEDING})
UNTAGGED = complete(hash="b" * 40, tags={TAG_IMPORTED})  # seeding: adds allowed_seeding
STUCK = snap(hash="c" * 40, state="metaDL", progress=0.0, dlspeed=0)


class FakeQbits:
    """The QbitPort: what fetch() returns is set by the test; writes are recorded."""

    full_refresh_every = 60.0
    import_settle_time = 0.0
    read_budget = 5.0
    read_timeout = 120.0
    free_space_folder = ""

    def __init__(self) -> None:
        self.torrents: tuple[TorrentSnapshot, ...] = ()
        self.sent: list[tuple[object, ...]] = []
        self.dirty: list[str] = []

    def refresh(self) -> None:
        pass

    def fetch(self, categories: Iterable[str]) -> dict[str, InstanceFetch]:
        return {"default": fetched("default", *self.torrents)}

    def mark_dirty(self, name: str, hashes: Iterable[str]) -> None:
        self.dirty += hashes

    def get_client(self, name: str) -> Any:
        return Adapter(self.sent)

    def requests_made(self) -> dict[str, int]:
        return {"default": 0}

    def set_enabled(self, name: str, enabled: bool) -> None:
        pass

    def ensure_categories(self, categories: object) -> None:
        pass

    def reconfigure(self, instances: object) -> None:
        pass

    def close(self) -> None:
        pass


class Adapter:
    """An instance's write adapter: every call is recorded, (method, *arguments). Tracker
    reads (before a deletion) answer "public, no trackers" and are not recorded."""

    lists_trackers = True
    flags_tracker_errors = True

    def __init__(self, sent: list[tuple[object, ...]]) -> None:
        self.sent = sent

    def torrents_with_trackers(self, hashes: str = "", **filters: Any) -> list[dict[str, Any]]:
        return [{"hash": h, "trackers": [], "private": False} for h in hashes.split("|") if h]

    def __getattr__(self, method: str) -> Any:
        return lambda *args: self.sent.append((method, *args))

    def torrents_info(self, **filters: object) -> list[dict[str, object]]:
        """The fresh read before a delete with files (engine/safe_delete.py): no instance
        behind this fake, so nothing is found and the delete goes as planned (the cross-seed
        and recycle-bin verdicts are tested in test_safe_delete and test_cross_seed)."""
        return []


@pytest.fixture
def qbits() -> FakeQbits:
    return FakeQbits()


@pytest.fixture
def engine(tmp_path: Path, qbits: FakeQbits) -> Iterator[Engine]:
    config = Config(path=None, settings=replace(SETTINGS, data_folder=tmp_path), arrs=(arr(),))
    engine = Engine(
        config,
        qbits=qbits,
        arrs=ArrFleet((), clock=lambda: NOW),  # no Arr client: nothing to reach
        store=Store(tmp_path / "db"),
        clock=lambda: NOW,
    )
    yield engine
    engine.close()


def of(kind: type[Any], events: list[ev.Event]) -> list[Any]:
    return [e for e in events if isinstance(e, kind)]


def test_rows_states_and_departures(engine: Engine, qbits: FakeQbits, tmp_path: Path) -> None:
    qbits.torrents = (SEEDING, STUCK)
    finished = engine.run_cycle()
    assert finished.torrents == 2 and finished.actions == 0
    (full,) = of(ev.TorrentsUpdated, drain(engine))
    assert full.full and [r.hash for r in full.rows] == [SEEDING.hash, STUCK.hash]
    assert full.rows[0].rule == "seeding"

    qbits.torrents = (SEEDING,)  # the stuck one left qBittorrent
    engine.run_cycle()
    (update,) = of(ev.TorrentsUpdated, drain(engine))
    assert update.rows == () and update.removed == (STUCK.hash,)
    assert engine.memory.get(STUCK.key) is None
    engine.store.close()
    assert set(Store(tmp_path / "db").load_states()) == {SEEDING.key}


def test_dry_run_plans_once_then_acts_when_switched_off(engine: Engine, qbits: FakeQbits) -> None:
    engine.handle(ev.SetDryRun(True))
    qbits.torrents = (UNTAGGED,)
    engine.run_cycle()
    planned = of(ev.ActionEvent, drain(engine))
    assert [(e.outcome, e.action.describe()) for e in planned] == [
        ("planned", f"add_tags {TAG_ALLOWED_SEEDING}")
    ]
    engine.run_cycle()
    assert of(ev.ActionEvent, drain(engine)) == []  # the same plan is not recorded again
    assert qbits.sent == []

    engine.handle(ev.SetDryRun(False))
    engine.run_cycle()
    applied = of(ev.ActionEvent, drain(engine))
    assert [e.outcome for e in applied] == ["applied"]
    assert qbits.sent == [("add_tags", [UNTAGGED.hash], (TAG_ALLOWED_SEEDING,))]
    assert qbits.dirty == [UNTAGGED.hash]  # read again next cycle
