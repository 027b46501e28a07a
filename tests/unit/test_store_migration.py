"""A database of schema 2 (before strikes) is brought to the current schema in place: every
torrent's state and the action journal's rows survive the upgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from qbitrr_tui.engine.model import StoredState
from qbitrr_tui.engine.store import SCHEMA_VERSION, Store

ADDED_IN_3 = (
    "UnregisteredSince",
    "UnregisteredStrikes",
    "UnregisteredStrikeAt",
    "UnregisteredMessage",
    "Strikes",
    "StrikeProgress",
    "StrikeAt",
)


def _as_schema_2(path: Path) -> None:
    """Take the columns schema 3 added away again, as a schema-2 file has none of them."""
    with sqlite3.connect(path) as conn:
        for column in ADDED_IN_3:
            conn.execute(f'ALTER TABLE TorrentLibrary DROP COLUMN "{column}"')
        conn.execute("UPDATE Meta SET Value = '2' WHERE Key = 'schema_version'")


def test_schema_2_is_migrated_in_place_and_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "qbitrr.db"
    store = Store(path)
    key = ("default", "d" * 40)
    state = StoredState(first_seen=1.0, category="radarr", stalled_since=5.0, imported=True)
    store.save_states({key: state})
    store.ActionJournal.create(  # an open step: its answer was lost before the upgrade
        instance="default",
        hash="d" * 40,
        kind="delete",
        action="{}",
        state="sent",
        created=2.0,
        updated=2.0,
    )
    store.close()
    _as_schema_2(path)
    with sqlite3.connect(path) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(TorrentLibrary)")}
    assert not columns & set(ADDED_IN_3)

    upgraded = Store(path)
    assert upgraded.load_states() == {key: state}  # kept, not rebuilt
    later = state.with_changes(strikes=2)
    upgraded.save_states({key: later})
    assert upgraded.load_states() == {key: later}
    (step,) = upgraded.ActionJournal.select()
    assert (step.hash, step.state) == ("d" * 40, "sent")
    upgraded.close()
    with sqlite3.connect(path) as conn:
        (version,) = conn.execute("SELECT Value FROM Meta WHERE Key = 'schema_version'").fetchone()
    assert version == str(SCHEMA_VERSION)
