"""The database tables (peewee models), bound to one database per :class:`Store`."""

from __future__ import annotations

from typing import Any

import peewee


def models(db: peewee.Database) -> tuple[Any, Any, Any, Any]:
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
        unregistered_since = peewee.FloatField(column_name="UnregisteredSince", null=True)
        unregistered_strikes = peewee.IntegerField(column_name="UnregisteredStrikes", default=0)
        unregistered_strike_at = peewee.FloatField(column_name="UnregisteredStrikeAt", null=True)
        unregistered_message = peewee.TextField(column_name="UnregisteredMessage", default="")
        strikes = peewee.IntegerField(column_name="Strikes", default=0)
        strike_progress = peewee.FloatField(column_name="StrikeProgress", default=0.0)
        strike_at = peewee.FloatField(column_name="StrikeAt", null=True)
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
