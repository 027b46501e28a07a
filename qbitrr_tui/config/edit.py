"""Edit config.toml in place with tomlkit: comments, ordering and keys we do not know survive.

The same schema and validator as `check-config`: a field's text is parsed with
:func:`parse_field_text` and checked with :func:`schema.convert`; before saving, the whole
document goes through :func:`parse_config`. Saving is atomic (temp file + rename), keeps a
backup of the previous file and sets mode 0600 (the file holds secrets). Used by the
dashboard's config screen, usable from tests or a future command.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit

from qbitrr_tui.config import schema
from qbitrr_tui.config.load import ConfigError, arr_kind_for_section, instance_name_for_section
from qbitrr_tui.config.load import parse_config as _parse_config
from qbitrr_tui.config.model import Config
from qbitrr_tui.config.schema import Field
from qbitrr_tui.errors import UserError

_NAME = re.compile(r"^[A-Za-z0-9_.\-]+$")


@dataclass(frozen=True, slots=True)
class Section:
    """One editable part of the config: a table path and the fields it holds."""

    path: tuple[str, ...]  # ("Radarr-Movies", "Torrent")
    label: str
    kind: str  # "settings" | "qbit" | "arr" | "torrent" | "seeding"
    fields: tuple[Field, ...]

    @property
    def id(self) -> str:
        return ".".join(self.path)

    @property
    def top(self) -> str:
        return self.path[0]


_FIELDS = {
    "settings": schema.SETTINGS_FIELDS,
    "qbit": schema.QBIT_FIELDS,
    "arr": schema.ARR_FIELDS,
    "torrent": schema.TORRENT_FIELDS,
    "seeding": schema.SEEDING_FIELDS,
}


def parse_field_text(field: Field, text: str) -> Any:
    """The TOML value for what a user typed into ``field`` (``None``: remove the key, so
    the default applies). Raises ValueError with the message check-config would print."""
    if field.kind == "bool":
        raise TypeError("booleans are not typed in")
    if field.kind in ("regex_list", "str_list"):
        value: Any = [line.strip() for line in text.splitlines() if line.strip()]
    else:
        stripped = text.strip()
        if not stripped:
            return "" if field.kind == "str" else None
        value = stripped
        if field.kind in ("int", "port"):
            value = _number(stripped, int)
        elif field.kind == "float" or (
            field.kind in ("duration", "size") and re.fullmatch(r"-?\d+(\.\d+)?", stripped)
        ):
            value = _number(stripped, float if "." in stripped else int)
    schema.convert(field, value)  # the same check check-config makes
    return value


def _number(text: str, kind: type) -> Any:
    try:
        return kind(text)
    except ValueError:
        return text  # convert() then says what was found and what is expected


def field_text(value: Any) -> str:
    """How a TOML value shows in a form field."""
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else str(value)
    return "" if value is None else str(value)


class ConfigDocument:
    def __init__(self, text: str, path: Path | None = None) -> None:
        self.path = path
        try:
            self.doc = tomlkit.parse(text)
        except tomlkit.exceptions.ParseError as exc:
            raise ConfigError([f"{path or '<config>'}: not valid TOML: {exc}"]) from None

    @classmethod
    def load(cls, path: Path) -> ConfigDocument:
        try:
            return cls(path.read_text(encoding="utf-8"), path)
        except OSError as exc:
            raise UserError(f"cannot read {path}: {exc.strerror}") from None

    def text(self) -> str:
        return tomlkit.dumps(self.doc)

    # --- sections --------------------------------------------------------------------
    def sections(self) -> list[Section]:
        out = [
            Section(("Settings",), "Settings", "settings", schema.SETTINGS_FIELDS),
            # [Notifications] is not offered: its URLs are a secret list, which the form
            # cannot mask yet; edit them in the file.
            Section(("WebAPI",), "Web API", "webapi", schema.WEBAPI_FIELDS),
        ]
        for name, value in self.doc.items():
            if not isinstance(value, dict):
                continue
            if (instance := instance_name_for_section(name)) is not None:
                off = " (disabled)" if self._flag(value, "Disabled") else ""
                out.append(
                    Section((name,), f"qBittorrent · {instance}{off}", "qbit", schema.QBIT_FIELDS)
                )
            elif arr_kind_for_section(name) is not None:
                off = " (unmanaged)" if self._flag(value, "Managed") is False else ""
                out.append(Section((name,), f"{name}{off}", "arr", schema.ARR_FIELDS))
                out.append(
                    Section(
                        (name, "Torrent"), "  › torrent rules", "torrent", schema.TORRENT_FIELDS
                    )
                )
                out.append(
                    Section(
                        (name, "Torrent", "SeedingMode"),
                        "  › seeding",
                        "seeding",
                        schema.SEEDING_FIELDS,
                    )
                )
        return out

    def section(self, section_id: str) -> Section:
        for section in self.sections():
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    @staticmethod
    def _flag(table: Any, key: str) -> Any:
        for name, value in table.items():
            if name.lower() == key.lower():
                return value
        return None

    def _table(self, path: tuple[str, ...], *, create: bool) -> Any:
        node: Any = self.doc
        for part in path:
            # the loader matches tables without regard to case: [settings], [X.torrent]
            spelled = next((str(k) for k in node if str(k).lower() == part.lower()), part)
            child = node.get(spelled)
            if child is None:
                if not create:
                    return None
                child = tomlkit.table()
                node[part] = child
            node = child
        return node

    def _key(self, table: Any, field: Field) -> str | None:
        """The key as the file spells it (a case variant or an alias), if present."""
        names = {n.lower() for n in (field.key, *field.aliases)}
        for name in table:
            if name.lower() in names:
                return str(name)
        return None

    # --- fields ----------------------------------------------------------------------
    def get(self, path: tuple[str, ...], field: Field) -> Any:
        """The value in the file, or None when the key is absent (the default applies)."""
        table = self._table(path, create=False)
        if table is None:
            return None
        key = self._key(table, field)
        if key is None:
            return None
        value = table[key]
        return value.unwrap() if hasattr(value, "unwrap") else value

    def set(self, path: tuple[str, ...], field: Field, value: Any) -> None:
        """Set (or with None, remove) one key; validates like check-config."""
        if value is not None:
            schema.convert(field, value)
        table = self._table(path, create=value is not None)
        if table is None:
            return
        key = self._key(table, field)
        if value is None:
            if key is not None:
                del table[key]
            return
        table[key or field.key] = value

    # --- instances and Arrs ----------------------------------------------------------
    def add_instance(self, name: str, *, host: str = "localhost", port: int = 8080) -> str:
        """Add ``[qBit-<name>]`` (``[qBit]`` for ``default``); returns the section name."""
        section = "qBit" if name.lower() == "default" else f"qBit-{name}"
        self._check_new(section, instance_name_for_section(section))
        table = tomlkit.table()
        table.update(
            {"Host": host, "Port": port, "UserName": "admin", "Password": "", "Disabled": False}
        )
        self.doc.add(tomlkit.nl())
        self.doc[section] = table
        return section

    def add_arr(self, section: str, *, category: str = "", uri: str = "") -> str:
        """Add ``[Radarr-<Name>]`` (or Sonarr/Lidarr) with its Torrent and SeedingMode."""
        if arr_kind_for_section(section) is None:
            raise UserError(
                f"{section!r}: an Arr section is named Radarr-<Name>, "
                "Sonarr-<Name> or Lidarr-<Name> (or Radarr, Sonarr, Lidarr alone)"
            )
        self._check_new(section, None)
        kind = arr_kind_for_section(section) or ""
        port = {"Radarr": 7878, "Sonarr": 8989, "Lidarr": 8686}[kind]
        table = tomlkit.table()
        table.update(
            {
                "Managed": True,
                "URI": uri or f"http://localhost:{port}",
                "APIKey": "",
                "Category": category or section.split("-", 1)[-1].lower(),
                "ReSearch": True,
                "importMode": "Auto",
            }
        )
        torrent = tomlkit.table()
        torrent.update({"StalledDelay": 15, "MaximumETA": 604800})
        seeding = tomlkit.table()
        seeding.update({"RemoveTorrent": -1})
        torrent["SeedingMode"] = seeding
        table["Torrent"] = torrent
        self.doc.add(tomlkit.nl())
        self.doc[section] = table
        return section

    def _check_new(self, section: str, instance: str | None) -> None:
        suffix = section.split("-", 1)[1] if "-" in section else section
        if not _NAME.match(suffix):
            raise UserError(f"{section!r}: use letters, digits, '.', '-' and '_' only")
        for existing in self.doc:
            if existing.lower() == section.lower():
                raise UserError(f"[{existing}] exists already")
            if instance is not None and instance_name_for_section(existing) == instance:
                raise UserError(f"[{existing}] is already the instance named '{instance}'")

    def rename(self, old: str, new: str) -> None:
        """Rename a top-level section, keeping its place, its keys and its sub-tables."""
        if old not in self.doc:
            raise KeyError(old)
        old_is_qbit = instance_name_for_section(old) is not None
        if old_is_qbit != (instance_name_for_section(new) is not None) or (
            not old_is_qbit and arr_kind_for_section(new) != arr_kind_for_section(old)
        ):
            raise UserError(f"[{old}] can only be renamed to a section of the same kind")
        self._check_new(new, instance_name_for_section(new))
        items = list(self.doc.body)
        rebuilt = tomlkit.document()
        for key, item in items:
            name = None if key is None else key.key
            if name == old:
                rebuilt.append(new, item)
            elif key is None:
                rebuilt.add(item)  # comments and blank lines between tables
            else:
                rebuilt.append(name, item)
        self.doc = rebuilt

    def remove(self, section: str) -> None:
        if section not in self.doc:
            raise KeyError(section)
        del self.doc[section]

    def set_enabled(self, section: str, enabled: bool) -> None:
        """Disable a qBittorrent instance (Disabled) or an Arr (Managed) without losing it."""
        if instance_name_for_section(section) is not None:
            self.set((section,), _field(schema.QBIT_FIELDS, "Disabled"), not enabled)
        else:
            self.set((section,), _field(schema.ARR_FIELDS, "Managed"), enabled)

    # --- validation and saving -------------------------------------------------------
    def validate(self) -> Config:
        """The config this document would load as; ConfigError lists every problem."""
        return _parse_config(self.text(), self.path)

    def save(self, path: Path | None = None) -> Path | None:
        """Validate, then write atomically (backup kept, mode 0600). Returns the backup."""
        target = path or self.path
        if target is None:
            raise UserError("no file to save to")
        self.validate()
        backup = write_atomically(target, self.text())
        self.path = target
        return backup


def describe_changes(old: Config, new: Config) -> list[str]:
    """What a save changed, in words for the dashboard (secret values never appear)."""
    lines: list[str] = []
    before = {i.name: i for i in old.instances}
    after = {i.name: i for i in new.instances}
    lines += [f"instance '{n}' added" for n in after if n not in before]
    lines += [f"instance '{n}' removed" for n in before if n not in after]
    for name in after.keys() & before.keys():
        if after[name] != before[name]:
            changed = _changed_fields(before[name], after[name], schema.QBIT_FIELDS)
            lines.append(f"instance '{name}': {', '.join(changed)} changed")
    arrs_before = {a.name: a for a in old.arrs}
    arrs_after = {a.name: a for a in new.arrs}
    lines += [f"{n} added" for n in arrs_after if n not in arrs_before]
    lines += [f"{n} removed" for n in arrs_before if n not in arrs_after]
    lines += [
        f"{n} changed"
        for n in arrs_after.keys() & arrs_before.keys()
        if arrs_after[n] != arrs_before[n]
    ]
    changed = _changed_fields(old.settings, new.settings, schema.SETTINGS_FIELDS)
    if changed:
        lines.append(f"Settings: {', '.join(changed)} changed")
    if old.keys != new.keys:
        lines.append("key bindings changed (they apply after a restart)")
    return sorted(lines) or ["nothing changed"]


def _changed_fields(old: object, new: object, fields: tuple[Field, ...]) -> list[str]:
    return [
        f.key
        for f in fields
        if hasattr(old, f.attr) and getattr(old, f.attr) != getattr(new, f.attr)
    ]


def _field(fields: tuple[Field, ...], key: str) -> Field:
    return next(f for f in fields if f.key == key)


def write_atomically(path: Path, text: str) -> Path | None:
    """Write ``text`` to ``path`` through a temp file and a rename, mode 0600; the previous
    file is kept as ``<name>.bak``. A crash leaves either the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    backup = None
    if path.exists():
        backup = path.with_name(path.name + ".bak")
        shutil.copy2(path, backup)
        os.chmod(backup, 0o600)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return backup
