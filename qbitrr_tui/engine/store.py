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

from qbitrr_tui.engine.events import ActionEvent
from qbitrr_tui.engine.model import StoredState, TorrentKey
from qbitrr_tui.errors import UserError
from qbitrr_tui.logs import get_logger

log = get_logger("store")

SCHEMA_VERSION = 2  # 2: ActionJournal

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


def _models(db: peewee.Database) -> tuple[Any, Any, Any, Any]:
    """Model classes bound to ``db`` (one set per Store, so two stores never share)."""

    class Base(peewee.Model):
        class Meta:
            database = db

    class Meta(Base):
        key = peewee.CharField(primary_key=True, column_name="Key")
        value = peewee.TextField(column_name="Value")

        class Meta:
            table_name = "Meta"

    class TorrentLibrary(Base):
        hash = peewee.CharField(column_name="Hash")
        qbit_instance = peewee.CharField(column_name="QbitInstance")
        category = peewee.CharField(column_name="Category", default="")
        arr = peewee.CharField(column_name="ArrName", default="")
        allowed_seeding = peewee.BooleanField(column_name="AllowedSeeding", default=False)
        imported = peewee.BooleanField(column_name="Imported", default=False)
        allowed_stalled = peewee.BooleanField(column_name="AllowedStalled", default=False)
        free_space_paused = peewee.BooleanField(column_name="FreeSpacePaused", default=False)
        first_seen = peewee.FloatField(column_name="FirstSeen")
        stalled_since = peewee.FloatField(column_name="StalledSince", null=True)
        original_category = peewee.CharField(column_name="OriginalCategory", default="")
        import_requested_at = peewee.FloatField(column_name="ImportRequestedAt", null=True)
        files_checked = peewee.BooleanField(column_name="FilesChecked", default=False)
        recheck_requested_at = peewee.FloatField(column_name="RecheckRequestedAt", null=True)
        researched = peewee.BooleanField(column_name="Researched", default=False)
        last_state = peewee.CharField(column_name="LastState", default="")
        last_rule = peewee.CharField(column_name="LastRule", default="")
        last_reason = peewee.TextField(column_name="LastReason", default="")
        updated_at = peewee.FloatField(column_name="UpdatedAt")

        class Meta:
            table_name = "TorrentLibrary"
            indexes = ((("hash", "qbit_instance"), True),)

    class ActionLog(Base):
        time = peewee.FloatField(column_name="Time", index=True)
        instance = peewee.CharField(column_name="Instance")
        hash = peewee.CharField(column_name="Hash")
        name = peewee.TextField(column_name="Name", default="")
        action = peewee.CharField(column_name="Action")
        rule = peewee.CharField(column_name="Rule", default="")
        reason = peewee.TextField(column_name="Reason", default="")
        dry_run = peewee.BooleanField(column_name="DryRun", default=False)
        outcome = peewee.CharField(column_name="Outcome")
        error = peewee.TextField(column_name="Error", default="")

        class Meta:
            table_name = "ActionLog"

    class ActionJournal(Base):
        instance = peewee.CharField(column_name="Instance")
        hash = peewee.CharField(column_name="Hash")
        name = peewee.TextField(column_name="Name", default="")
        kind = peewee.CharField(column_name="Kind")
        action = peewee.TextField(column_name="Action")  # the Action's fields, as JSON
        content_path = peewee.TextField(column_name="ContentPath", default="")
        rule = peewee.CharField(column_name="Rule", default="")
        reason = peewee.TextField(column_name="Reason", default="")
        state = peewee.CharField(column_name="State", index=True)
        error = peewee.TextField(column_name="Error", default="")
        attempts = peewee.IntegerField(column_name="Attempts", default=0)
        retry_at = peewee.FloatField(column_name="RetryAt", null=True)
        created = peewee.FloatField(column_name="Created")
        updated = peewee.FloatField(column_name="Updated")

        class Meta:
            table_name = "ActionJournal"

    return Meta, TorrentLibrary, ActionLog, ActionJournal


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(
                f"cannot create the data folder {path.parent}: {exc.strerror}"
            ) from None
        try:
            self._open()
            current = self._version_ok()
        except peewee.DatabaseError:
            current = False  # not a database, or damaged: it is safe to rebuild
        if not current:
            self._rebuild()

    def _open(self) -> None:
        self.db = peewee.SqliteDatabase(
            str(self.path),
            check_same_thread=False,
            pragmas={"journal_mode": "wal", "synchronous": "normal", "busy_timeout": 5000},
        )
        self.Meta, self.TorrentLibrary, self.ActionLog, self.ActionJournal = _models(self.db)
        try:
            self.db.connect(reuse_if_open=True)
        except peewee.OperationalError as exc:
            raise UserError(f"cannot open the database {self.path}: {exc}") from None

    def _version_ok(self) -> bool:
        try:
            if not self.db.table_exists("Meta"):
                return not self.db.get_tables()  # a brand-new file is fine
            row = self.Meta.get_or_none(self.Meta.key == "schema_version")
            return row is not None and row.value == str(SCHEMA_VERSION)
        except peewee.DatabaseError:
            return False

    def _rebuild(self) -> None:
        log.warning(
            "database %s has another schema version (or is damaged): rebuilding it; "
            "state is re-read from qBittorrent tags",
            self.path,
        )
        self.db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
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
        """Upsert the changed rows and delete the removed ones, in one transaction."""
        self.ensure_schema()
        model = self.TorrentLibrary
        now = time.time()
        rows: list[dict[str, Any]] = []
        for (instance, info_hash), state in changed.items():
            row = {attr: getattr(state, attr) for attr in _STATE_FIELDS}
            row.update(hash=info_hash, qbit_instance=instance, updated_at=now)
            rows.append(row)
        removed = list(removed)
        with self.db.atomic():
            for start in range(0, len(rows), 500):
                (
                    model.insert_many(rows[start : start + 500])
                    .on_conflict(
                        conflict_target=[model.hash, model.qbit_instance],
                        preserve=[getattr(model, a) for a in (*_STATE_FIELDS, "updated_at")],
                    )
                    .execute()
                )
            for instance, info_hash in removed:
                model.delete().where(
                    (model.hash == info_hash) & (model.qbit_instance == instance)
                ).execute()

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
