"""Database faults the engine survives: a lock held by another process, a dropped table,
a damaged file (issue 14, case 6 and the ones next to it)."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from qbitrr_tui.config.model import Config
from qbitrr_tui.engine.arrs import ArrFleet
from qbitrr_tui.engine.loop import Engine
from qbitrr_tui.engine.model import StoredState
from qbitrr_tui.engine.store import Store
from qbitrr_tui.logs import LOGGER_NAME
from tests.unit.rule_helpers import NOW, SETTINGS, arr, snap
from tests.unit.test_engine_cycle import FakeQbits

KEY = ("default", "e" * 40)


@pytest.fixture
def records() -> Iterator[list[logging.LogRecord]]:
    """The package's log records (its logger may not propagate: setup_logging)."""
    seen: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = seen.append  # type: ignore[method-assign,assignment]
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    yield seen
    logger.removeHandler(handler)


def test_a_held_write_lock_costs_a_cycle_not_the_engine(
    tmp_path: Path, records: list[logging.LogRecord]
) -> None:
    qbits = FakeQbits()
    qbits.torrents = (snap(hash="f" * 40),)
    config = Config(
        path=None,
        settings=replace(SETTINGS, data_folder=tmp_path, loop_sleep_timer=0),
        arrs=(arr(),),
    )
    store = Store(tmp_path / "qbitrr.db", busy_timeout=0.1)
    engine = Engine(config, qbits=qbits, arrs=ArrFleet((), clock=lambda: NOW), store=store)
    other = sqlite3.connect(tmp_path / "qbitrr.db", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process writing, for longer than we wait
        assert engine.run(cycles=1) == 1  # returns: the engine did not die
        locked = [r for r in records if "locked by another process" in r.getMessage()]
        assert locked and locked[0].exc_info is None  # one clear line, no traceback
        other.execute("ROLLBACK")
        engine.run_cycle()  # the retry, once the lock is gone
        assert ("default", "f" * 40) in store.load_states()
    finally:
        other.close()
        engine.close()


def test_a_dropped_table_is_created_again(tmp_path: Path) -> None:
    path = tmp_path / "qbitrr.db"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE ActionLog")
        conn.execute("DROP TABLE TorrentLibrary")
    store = Store(path)
    store.save_states({KEY: StoredState(first_seen=1.0)})
    assert store.recent_actions() == [] and KEY in store.load_states()
    store.close()


def test_a_damaged_file_is_moved_aside_not_deleted(tmp_path: Path) -> None:
    path = tmp_path / "qbitrr.db"
    garbage = b"this is not a database" * 100
    path.write_bytes(garbage)
    store = Store(path)
    store.save_states({KEY: StoredState(first_seen=1.0)})
    store.close()
    (aside,) = tmp_path.glob("qbitrr.db.corrupt-*")
    assert aside.read_bytes() == garbage
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
