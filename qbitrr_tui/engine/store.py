"""The database: SQLite (WAL) through peewee, at ``<DataFolder>/qbitrr.db``.

``TorrentLibrary`` remembers each (instance, hash); ``ActionLog`` every action planned or
applied; ``ActionJournal`` each side-effecting step from intent to confirmation
(:mod:`qbitrr_tui.engine.journal`). A schema version is kept; on a mismatch the file is
rebuilt (no migrations): it is safe to delete, since the durable facts also live in
qBittorrent tags.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import peewee
from playhouse.migrate import SqliteMigrator, migrate

from qbitrr_tui.engine.events import ActionEvent
from qbitrr_tui.engine.model import StoredState, TorrentKey
from qbitrr_tui.engine.tables import models
from qbitrr_tui.errors import UserError
from qbitrr_tui.logs import get_logger

log = get_logger("store")

SCHEMA_VERSION = 3  # 2: ActionJournal; 3: strikes in TorrentLibrary
# Versions from which every later one only added columns with defaults: migrated in place.
ADDITIVE_FROM = frozenset({"2"})

# Every StoredState attribute is a TorrentLibrary field of the same name
# (tests/unit/test_store.py checks it).
_STATE_FIELDS = tuple(f.name for f in fields(StoredState))


@dataclass(frozen=True, slots=True)
class ActionLogEntry:
    time: float
    instance: str
    hash: str
    name: str
    action: str
    rule: str
    reason: str
    dry_run: bool
    outcome: str
    error: str = ""

    @classmethod
    def of(cls, event: ActionEvent) -> ActionLogEntry:
        return cls(
            time=event.time,
            instance=event.instance,
            hash=event.hash,
            name=event.name,
            action=event.action.describe(),
            rule=event.rule,
            reason=event.reason,
            dry_run=event.dry_run,
            outcome=event.outcome,
            error=event.error,
        )


def is_locked(exc: BaseException) -> bool:
    """Another connection holds the lock (past busy_timeout): wait and retry, not rebuild."""
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class Store:
    def __init__(self, path: Path, *, busy_timeout: float = 5.0) -> None:
        self.path = path
        self.busy_timeout = busy_timeout  # seconds a write waits for another's lock
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(
                f"cannot create the data folder {path.parent}: {exc.strerror}"
            ) from None
        damaged = False
        try:
            self._open()
            current = self._version_ok()
        except peewee.OperationalError as exc:
            if is_locked(exc):
                raise UserError(f"the database {path} is locked by another process") from None
            current, damaged = False, True
        except peewee.DatabaseError:
            current, damaged = False, True  # not a database, or damaged: kept aside, rebuilt
        if not current:
            self._rebuild(damaged)
        self.ensure_schema()

    def _open(self) -> None:
        self.db = peewee.SqliteDatabase(
            str(self.path),
            check_same_thread=False,
            # busy_timeout first: switching to WAL may itself wait for a lock
            pragmas={
                "busy_timeout": int(self.busy_timeout * 1000),
                "journal_mode": "wal",
                "synchronous": "normal",
            },
        )
        self.Meta, self.TorrentLibrary, self.ActionLog, self.ActionJournal = models(self.db)
        try:
            self.db.connect(reuse_if_open=True)
        except peewee.OperationalError as exc:
            raise UserError(f"cannot open the database {self.path}: {exc}") from None

    def _version_ok(self) -> bool:
        if not self.db.table_exists("Meta"):
            return not self.db.get_tables()  # a brand-new file is fine
        row = self.Meta.get_or_none(self.Meta.key == "schema_version")
        if row is not None and row.value in ADDITIVE_FROM:
            self._add_missing_columns(int(row.value))
            return True
        return row is not None and row.value == str(SCHEMA_VERSION)

    def _add_missing_columns(self, version: int) -> None:
        """From a version whose successors only added columns (each with a default): add
        them in place, so the action journal's open steps and every torrent's state and
        strikes survive the upgrade (a rebuild would forget them)."""
        migrator = SqliteMigrator(self.db)
        with self.db.atomic():
            for table in self.tables:
                name = table._meta.table_name
                if not self.db.table_exists(name):
                    continue  # ensure_schema creates it
                have = {c.name for c in self.db.get_columns(name)}
                for field in table._meta.sorted_fields:
                    if field.column_name not in have:
                        migrate(migrator.add_column(name, field.column_name, field))
            self.Meta.replace(key="schema_version", value=str(SCHEMA_VERSION)).execute()
        log.info(
            "database %s: schema %d brought to %d in place", self.path, version, SCHEMA_VERSION
        )

    def _rebuild(self, damaged: bool) -> None:
        """A new, empty database; a damaged file is moved aside (``.corrupt-<time>``) for
        whoever wants to look at it, one of another schema version is deleted."""
        self.db.close()
        aside = Path(f"{self.path}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
        log.warning(
            "database %s %s: rebuilding it; state is re-read from qBittorrent tags",
            self.path,
            f"is damaged (kept as {aside.name})" if damaged else "has another schema version",
        )
        for suffix in ("", "-wal", "-shm"):
            old = Path(f"{self.path}{suffix}")
            if damaged and old.exists():
                old.rename(f"{aside}{suffix}")
            else:
                old.unlink(missing_ok=True)
        self._open()
        self._create()

    def _create(self) -> None:
        with self.db.atomic():
            self.db.create_tables(self.tables)
            self.Meta.replace(key="schema_version", value=str(SCHEMA_VERSION)).execute()

    @property
    def tables(self) -> list[Any]:
        return [self.Meta, self.TorrentLibrary, self.ActionLog, self.ActionJournal]

    def ensure_schema(self) -> None:
        """Create any table that went missing (``DROP TABLE`` by hand): rebuilt, not a crash."""
        present = set(self.db.get_tables())
        missing = [t for t in self.tables if t._meta.table_name not in present]
        if missing and present:
            log.warning(
                "database %s lacks %s: creating it again",
                self.path,
                ", ".join(t._meta.table_name for t in missing),
            )
        if missing:
            self._create()

    def close(self) -> None:
        self.db.close()

    # --- TorrentLibrary --------------------------------------------------------------
    def load_states(self) -> dict[TorrentKey, StoredState]:
        self.ensure_schema()
        states: dict[TorrentKey, StoredState] = {}
        model = self.TorrentLibrary
        for row in model.select().dicts().iterator():
            values = {attr: row[attr] for attr in _STATE_FIELDS}
            values["first_seen"] = float(values["first_seen"])
            states[(row["qbit_instance"], row["hash"])] = StoredState(**values)
        return states

    def save_states(
        self, changed: Mapping[TorrentKey, StoredState], removed: Iterable[TorrentKey] = ()
    ) -> None:
        """Upsert the changed rows and delete the removed ones, in one transaction.

        Through sqlite3's ``executemany`` with one statement, not peewee's query builder:
        the first cycle saves every torrent, and building 30,000 rows' SQL in Python cost
        several seconds and tens of MiB at the process's peak (bench/RESULTS-issue21.md)."""
        self.ensure_schema()
        upsert, delete = self._state_sql()
        now = time.time()
        rows = (
            (*(getattr(state, attr) for attr in _STATE_FIELDS), key[1], key[0], now)
            for key, state in changed.items()
        )
        # sqlite3's errors as peewee's (a locked database is a peewee.OperationalError
        # to the engine loop), as peewee's own calls raise them.
        wrapper = getattr(peewee, "__exception_wrapper__")  # noqa: B009 (not in its stubs)
        with self.db.atomic(), wrapper:
            cursor = self.db.cursor()  # type: ignore[no-untyped-call]
            cursor.executemany(upsert, rows)
            cursor.executemany(delete, ((h, i) for i, h in removed))

    def _state_sql(self) -> tuple[str, str]:
        """The upsert and the delete of TorrentLibrary rows, from the model's columns."""
        fields_of = self.TorrentLibrary._meta.fields
        table = self.TorrentLibrary._meta.table_name
        names = [fields_of[a].column_name for a in (*_STATE_FIELDS, "hash", "qbit_instance")]
        names.append(fields_of["updated_at"].column_name)
        key = (fields_of["hash"].column_name, fields_of["qbit_instance"].column_name)
        updates = ", ".join(f'"{c}" = excluded."{c}"' for c in names if c not in key)
        columns = ", ".join(f'"{c}"' for c in names)
        marks = ", ".join("?" for _ in names)
        upsert = (
            f'INSERT INTO "{table}" ({columns}) VALUES ({marks}) '
            f'ON CONFLICT ("{key[0]}", "{key[1]}") DO UPDATE SET {updates}'
        )
        delete = f'DELETE FROM "{table}" WHERE "{key[0]}" = ? AND "{key[1]}" = ?'
        return upsert, delete

    # --- ActionLog -------------------------------------------------------------------
    def log_actions(self, entries: Iterable[ActionLogEntry]) -> None:
        rows = [asdict(e) for e in entries]
        if not rows:
            return
        self.ensure_schema()
        with self.db.atomic():
            for start in range(0, len(rows), 500):
                self.ActionLog.insert_many(rows[start : start + 500]).execute()

    def recent_actions(self, limit: int = 200) -> list[ActionLogEntry]:
        self.ensure_schema()
        query = self.ActionLog.select().order_by(self.ActionLog.id.desc()).limit(limit).dicts()
        return [ActionLogEntry(**{k: v for k, v in row.items() if k != "id"}) for row in query]
