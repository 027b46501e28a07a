"""Read config.toml, validate every key against the schema, and build a :class:`Config`.

Every problem is reported at once, one line each, naming the file, the line, the section and
the key, what was found and what was expected. Unknown keys and sections are warnings, so a
real qBitrr config (with its WebUI, EntrySearch, … sections) loads.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qbitrr_tui.config import schema
from qbitrr_tui.config.model import (
    ArrConfig,
    Config,
    NotificationSettings,
    QbitInstanceConfig,
    SeedingMode,
    Settings,
    TorrentRules,
    TrackerRule,
    WebApiSettings,
)
from qbitrr_tui.config.schema import Field
from qbitrr_tui.errors import UserError

_ARR_SECTION = re.compile(r"^(Radarr|Sonarr|Lidarr)-(.+)$", re.IGNORECASE)
_QBIT_SECTION = re.compile(r"^qBit(?:-(.*))?$", re.IGNORECASE)


class ConfigError(UserError):
    """The config has problems; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"config has {count} {noun}:\n" + "\n".join(problems))


def instance_name_for_section(section: str) -> str | None:
    """``qBit`` → ``default``; ``qBit-Seedbox`` → ``seedbox``; anything else → None."""
    match = _QBIT_SECTION.match(section)
    if not match:
        return None
    suffix = match.group(1)
    if suffix is None:
        return "default"
    return suffix.strip().lower()


def arr_kind_for_section(section: str) -> str | None:
    """``Radarr-Movies`` → ``Radarr``; anything else → None."""
    match = _ARR_SECTION.match(section)
    if not match:
        return None
    return match.group(1).capitalize()


class _LineIndex:
    """Where each table header and key stands in the file, to point problems at a line."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]+\")\s*=")

    def __init__(self, text: str) -> None:
        self.lines: dict[tuple[str, int, str], int] = {}
        counts: dict[str, int] = {}
        table, occurrence = "", 0
        for number, line in enumerate(text.splitlines(), start=1):
            header = self._HEADER.match(line)
            if header:
                table = header.group(2).replace('"', "")
                occurrence = counts.get(table, 0)
                counts[table] = occurrence + 1
                self.lines.setdefault((table, occurrence, ""), number)
                continue
            key = self._KEY.match(line)
            if key:
                self.lines.setdefault((table, occurrence, key.group(1).strip('"')), number)

    def find(self, table: str, key: str = "", occurrence: int = 0) -> int | None:
        return self.lines.get((table, occurrence, key)) or self.lines.get((table, occurrence, ""))


@dataclass
class _Collector:
    source: str
    index: _LineIndex
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def _where(self, table: str, key: str, occurrence: int) -> str:
        line = self.index.find(table, key, occurrence)
        location = f"{self.source}:{line}" if line else self.source
        label = f"[{table}]" + (f" {key}" if key else "")
        return f"{location}: {label}"

    def error(self, table: str, key: str, message: str, occurrence: int = 0) -> None:
        self.problems.append(f"{self._where(table, key, occurrence)}: {message}")

    def warn(self, table: str, key: str, message: str, occurrence: int = 0) -> None:
        self.warnings.append(f"{self._where(table, key, occurrence)}: {message}")


def _read_fields(
    data: Mapping[str, Any],
    fields: tuple[Field, ...],
    table: str,
    out: _Collector,
    *,
    occurrence: int = 0,
    subtables: tuple[str, ...] = (),
    check_required: bool = True,
) -> dict[str, Any]:
    """Typed values by attribute name for the keys present in ``data`` (defaults are the
    dataclasses'); unknown keys warn, bad values and missing required keys are problems."""
    names = schema.field_names(fields)
    values: dict[str, Any] = {}
    for key, raw in data.items():
        if key in subtables:
            continue
        spec = names.get(key.lower())
        if spec is None:
            if isinstance(raw, dict):
                out.warn(table, "", f"unknown section [{table}.{key}] ignored", occurrence)
            else:
                out.warn(table, key, "unknown key ignored", occurrence)
            continue
        try:
            values[spec.attr] = schema.convert(spec, raw)
        except ValueError as exc:
            out.error(table, key, str(exc), occurrence)
    for spec in fields:
        if check_required and spec.required and not values.get(spec.attr):
            out.error(table, spec.key, f"missing: {spec.help}", occurrence)
    return {k: v for k, v in values.items() if v is not None}


def _as_table(value: object, table: str, out: _Collector) -> Mapping[str, Any] | None:
    if isinstance(value, dict):
        return value
    out.error(table, "", f"expected a section [{table}], found a value {value!r}")
    return None


def _read_settings(data: Mapping[str, Any], out: _Collector, env: Mapping[str, str]) -> Settings:
    values = _read_fields(data, schema.SETTINGS_FIELDS, "Settings", out)
    env_level = env.get("QBITRR_LOG_LEVEL")
    if env_level:
        if env_level.upper() in schema.LOG_LEVELS:
            values["log_level"] = env_level.upper()
        else:
            out.problems.append(
                f"environment: QBITRR_LOG_LEVEL: found {env_level!r}, expected one of "
                + ", ".join(schema.LOG_LEVELS)
            )
    configured = values.pop("data_folder", "")
    folder = env.get("QBITRR_DATA_FOLDER") or configured
    if not folder:
        from qbitrr_tui.paths import default_data_dir

        data_folder = default_data_dir()
    else:
        data_folder = Path(os.path.expanduser(folder))
    return Settings(data_folder=data_folder, **values)


def _read_instance(section: str, data: Mapping[str, Any], out: _Collector) -> QbitInstanceConfig:
    name = instance_name_for_section(section) or section.lower()
    values = _read_fields(data, schema.QBIT_FIELDS, section, out)
    return QbitInstanceConfig(name=name, section=section, **values)


def _read_arr(
    section: str, kind: str, data: Mapping[str, Any], settings: Settings, out: _Collector
) -> ArrConfig:
    # An unmanaged Arr may be half filled in: it is never contacted.
    managed = next((v for k, v in data.items() if k.lower() == "managed"), True) is not False
    values = _read_fields(
        data, schema.ARR_FIELDS, section, out, subtables=("Torrent",), check_required=managed
    )
    torrent_table = f"{section}.Torrent"
    torrent_data = _as_table(data.get("Torrent", {}), torrent_table, out) or {}
    tvalues = _read_fields(
        torrent_data,
        schema.TORRENT_FIELDS,
        torrent_table,
        out,
        subtables=("SeedingMode", "Trackers"),
    )
    tvalues.setdefault("file_extension_allowlist", schema.default_extensions(kind))
    tvalues.setdefault("ignore_torrents_younger_than", settings.ignore_torrents_younger_than)
    for spec in schema.TORRENT_FIELDS:
        if spec.kind == "regex_list" and spec.attr not in tvalues:
            tvalues[spec.attr] = spec.default
    seeding_table = f"{torrent_table}.SeedingMode"
    seeding_data = _as_table(torrent_data.get("SeedingMode", {}), seeding_table, out) or {}
    seeding = SeedingMode(**_read_fields(seeding_data, schema.SEEDING_FIELDS, seeding_table, out))
    trackers: list[TrackerRule] = []
    tracker_rows = torrent_data.get("Trackers", [])
    tracker_table = f"{torrent_table}.Trackers"
    if not isinstance(tracker_rows, list):
        out.error(torrent_table, "Trackers", "expected [[…Trackers]] rows")
        tracker_rows = []
    for occurrence, row in enumerate(tracker_rows):
        if not isinstance(row, dict):
            out.error(tracker_table, "", "expected a table row", occurrence)
            continue
        fields = _read_fields(row, schema.TRACKER_FIELDS, tracker_table, out, occurrence=occurrence)
        if "uri" in fields:
            trackers.append(TrackerRule(**fields))
    trackers.sort(key=lambda t: -t.priority)
    rules = TorrentRules(seeding=seeding, trackers=tuple(trackers), **tvalues)
    return ArrConfig(kind=kind, name=section, torrent=rules, **values)


def parse_config(
    text: str, path: Path | None = None, env: Mapping[str, str] | None = None
) -> Config:
    """Validate ``text``; raise :class:`ConfigError` listing every problem."""
    env = os.environ if env is None else env
    source = str(path) if path else "<config>"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{source}: not valid TOML: {exc}"]) from None
    out = _Collector(source=source, index=_LineIndex(text))

    settings_data = _as_table(data.get("Settings", {}), "Settings", out) or {}
    settings = _read_settings(settings_data, out, env)

    instances: list[QbitInstanceConfig] = []
    arrs: list[ArrConfig] = []
    seen_names: dict[str, str] = {}
    keys = _read_keys(data.get("Keys", {}), out)
    webapi = _read_webapi(data.get("WebAPI", {}), out)
    notifications = _read_notifications(data.get("Notifications", {}), out)
    for section, value in data.items():
        if section in ("Settings", "Keys", "WebAPI", "Notifications"):
            continue
        if instance_name_for_section(section) is not None:
            if (table := _as_table(value, section, out)) is None:
                continue
            inst = _read_instance(section, table, out)
            if not inst.name:
                out.error(section, "", "an instance section needs a name after 'qBit-'")
                continue
            if inst.name in seen_names:
                out.error(
                    section,
                    "",
                    f"maps to instance name '{inst.name}', as [{seen_names[inst.name]}] does; "
                    "rename one of them",
                )
                continue
            seen_names[inst.name] = section
            instances.append(inst)
        elif (kind := arr_kind_for_section(section)) is not None:
            if (table := _as_table(value, section, out)) is not None:
                arrs.append(_read_arr(section, kind, table, settings, out))
        else:
            out.warn(section, "", "unknown section ignored")

    _check_categories(arrs, settings, out)
    if out.problems:
        raise ConfigError(out.problems)
    return Config(
        path=path,
        settings=settings,
        instances=tuple(instances),
        arrs=tuple(arrs),
        warnings=tuple(out.warnings),
        keys=keys,
        webapi=webapi,
        notifications=notifications,
    )


def _read_webapi(value: object, out: _Collector) -> WebApiSettings:
    """``[WebAPI]``; a public address without a Token is refused, not merely warned of."""
    if (table := _as_table(value, "WebAPI", out)) is None:
        return WebApiSettings()
    webapi = WebApiSettings(**_read_fields(table, schema.WEBAPI_FIELDS, "WebAPI", out))
    if webapi.enabled and not webapi.loopback and not webapi.token:
        out.error(
            "WebAPI",
            "Host",
            f"{webapi.host!r} is not a loopback address: set a Token, or listen on 127.0.0.1",
        )
    return webapi


def _read_notifications(value: object, out: _Collector) -> NotificationSettings:
    if (table := _as_table(value, "Notifications", out)) is None:
        return NotificationSettings()
    values = _read_fields(table, schema.NOTIFICATION_FIELDS, "Notifications", out)
    for event in values.get("events", ()):
        if event not in schema.NOTIFY_EVENTS:
            known = ", ".join(schema.NOTIFY_EVENTS)
            out.error("Notifications", "Events", f"unknown event {event!r}; expected {known}")
    return NotificationSettings(**values)


def _read_keys(value: object, out: _Collector) -> tuple[tuple[str, str], ...]:
    """``[Keys]``: dashboard action id → key, e.g. ``rescan = "f5"``."""
    if (table := _as_table(value, "Keys", out)) is None:
        return ()
    keys: list[tuple[str, str]] = []
    for action, key in table.items():
        if action not in schema.KEY_ACTIONS:
            known = ", ".join(schema.KEY_ACTIONS)
            out.error("Keys", action, f"unknown action; expected one of {known}")
        elif not isinstance(key, str) or not key.strip():
            out.error("Keys", action, f'found {key!r}, expected a key name such as "f5"')
        else:
            keys.append((action, key.strip()))
    return tuple(keys)


def _check_categories(arrs: list[ArrConfig], settings: Settings, out: _Collector) -> None:
    owners: dict[str, str] = {}
    reserved = {
        settings.failed_category: "Settings.FailedCategory",
        settings.recheck_category: "Settings.RecheckCategory",
    }
    for arr in arrs:
        if not arr.managed or not arr.category:
            continue
        if arr.category in reserved:
            out.error(
                arr.name,
                "Category",
                f"{arr.category!r} is also {reserved[arr.category]}; pick another category",
            )
        elif arr.category in owners:
            out.error(
                arr.name,
                "Category",
                f"{arr.category!r} is already the category of [{owners[arr.category]}]; "
                "each Arr needs its own",
            )
        else:
            owners[arr.category] = arr.name


def load_config(path: Path, env: Mapping[str, str] | None = None) -> Config:
    """Read and validate the file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"config file not found: {path}") from None
    except OSError as exc:
        raise UserError(f"cannot read config file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise UserError(f"config file {path} is not UTF-8 text") from None
    return parse_config(text, path, env)
