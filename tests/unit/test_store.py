from __future__ import annotations

import sqlite3
from pathlib import Path

from qbitrr_tui.engine.model import StoredState
from qbitrr_tui.engine.store import _STATE_FIELDS, ActionLogEntry, Store


def test_round_trip_and_the_documented_queries(tmp_path: Path) -> None:
    path = tmp_path / "qbitrr.db"
    store = Store(path)
    states = {
        ("default", "a" * 40): StoredState(
            first_seen=1.0,
            category="radarr",
            imported=True,
            allowed_seeding=True,
            arr="Radarr-Movies",
        ),
        ("seedbox", "a" * 40): StoredState(first_seen=2.0, category="radarr", stalled_since=5.0),
        ("seedbox", "b" * 40): StoredState(first_seen=3.0, category="sonarr"),
    }
    store.save_states(states)
    store.save_states(
        {("seedbox", "b" * 40): states[("seedbox", "b" * 40)].with_changes(imported=True)}
    )
    store.close()

    reopened = Store(path)
    loaded = reopened.load_states()
    assert loaded[("default", "a" * 40)] == states[("default", "a" * 40)]
    assert loaded[("seedbox", "b" * 40)].imported is True
    reopened.save_states({}, removed=[("seedbox", "a" * 40)])
    assert ("seedbox", "a" * 40) not in reopened.load_states()
    reopened.close()

    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert (
            len(conn.execute("SELECT Hash, QbitInstance FROM TorrentLibrary LIMIT 10;").fetchall())
            == 2
        )
        assert dict(
            conn.execute(
                "SELECT QbitInstance, COUNT(*) FROM TorrentLibrary GROUP BY QbitInstance;"
            ).fetchall()
        ) == {"default": 1, "seedbox": 1}
        rows = conn.execute(
            "SELECT Hash, Category, QbitInstance, AllowedSeeding, Imported FROM "
            "TorrentLibrary ORDER BY rowid DESC LIMIT 20;"
        ).fetchall()
        assert ("b" * 40, "sonarr", "seedbox", 0, 1) in rows
        try:
            conn.execute(
                "INSERT INTO TorrentLibrary (Hash, QbitInstance, FirstSeen, UpdatedAt) "
                "VALUES (?, 'default', 0, 0)",
                ("a" * 40,),
            )
            raise AssertionError("(Hash, QbitInstance) must be unique")
        except sqlite3.IntegrityError:
            pass


def test_schema_mismatch_rebuilds(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "qbitrr.db"
    store = Store(path)
    store.save_states({("default", "c" * 40): StoredState(first_seen=1.0)})
    store.close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE Meta SET Value = '0' WHERE Key = 'schema_version'")
    rebuilt = Store(path)
    assert rebuilt.load_states() == {}
    rebuilt.close()


def test_garbage_file_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "qbitrr.db"
    path.write_bytes(b"this is not a database" * 100)
    store = Store(path)
    store.save_states({("default", "d" * 40): StoredState(first_seen=1.0)})
    assert len(store.load_states()) == 1
    store.close()


def test_action_log(tmp_path: Path) -> None:
    store = Store(tmp_path / "qbitrr.db")
    store.log_actions(
        [
            ActionLogEntry(
                time=1.0,
                instance="seedbox",
                hash="e" * 40,
                name="X",
                action="delete with files",
                rule="stalled",
                reason="stalled 16m > StalledDelay 15m",
                dry_run=True,
                outcome="planned",
            )
        ]
    )
    [entry] = store.recent_actions()
    assert (entry.instance, entry.dry_run, entry.outcome) == ("seedbox", True, "planned")
    store.close()


def test_every_stored_state_field_has_a_column(tmp_path: Path) -> None:
    store = Store(tmp_path / "qbitrr.db")
    try:
        columns = set(store.TorrentLibrary._meta.fields)
    finally:
        store.close()
    assert len(_STATE_FIELDS) == 23 and set(_STATE_FIELDS) <= columns
