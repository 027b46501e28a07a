"""Read config.toml, validate every key against the schema, and build a :class:`Config`.

Every problem is reported at once, one line each, naming the file, the line, the section and
the key, what was found and what was expected. Unknown keys and sections are warnings, so a
real qBitrr config (with its WebUI, EntrySearch, … sections) loads. Sections and keys are
matched without regard to case; two names that differ only in case are an error naming both.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qbitrr_tui.config import compat, schema
from qbitrr_tui.config.keys import read_keys
from qbitrr_tui.config.model import (
    ArrConfig,
    Config,
    NotificationSettings,
    QbitInstanceConfig,
    SeedingMode,
    Settings,
    TorrentRules,
    WebApiSettings,
)
from qbitrr_tui.config.report import CONTROL, Collector, LineIndex, child, shown
from qbitrr_tui.config.schema import Field
from qbitrr_tui.config.source import ConfigError, parse_toml, read_config_file
from qbitrr_tui.config.tracker_rows import read_tracker_rows
from qbitrr_tui.config.ui_table import read_ui

__all__ = [
    "ConfigError",
    "arr_kind_for_section",
    "instance_name_for_section",
    "load_config",
    "parse_config",
]

# qBitrr takes any section matching (rad|son|lid|read)arr.* as an Arr (arss/manager.py), and
# migrates its old Animarr sections to Sonarr.
_ARR_SECTION = re.compile(r"^(rad|son|lid|read|anim)arr", re.IGNORECASE)
_ARR_KINDS = {"rad": "Radarr", "son": "Sonarr", "lid": "Lidarr", "anim": "Sonarr"}
_QBIT_SECTION = re.compile(r"^qBit(?:-(.*))?$", re.IGNORECASE | re.DOTALL)


def instance_name_for_section(section: str) -> str | None:
    """``qBit`` → ``default``; ``qBit-Seedbox`` → ``seedbox``; ``qBit-`` → ``""`` (an
    error for the loader); anything else → None."""
    match = _QBIT_SECTION.match(section)
    if not match:
        return None
    suffix = match.group(1)
    if suffix is None:
        return "default"
    return suffix.strip().lower()


def arr_kind_for_section(section: str) -> str | None:
    """``Radarr-Movies``, ``Radarr``, ``radarr4k`` → ``Radarr``; a Readarr or any other
    section → None."""
    match = _ARR_SECTION.match(section)
    if not match:
        return None
    return _ARR_KINDS.get(match.group(1).lower())


def is_readarr_section(section: str) -> bool:
    return section.lower().startswith("readarr")


def _read_fields(
    data: Mapping[str, Any],
    fields: tuple[Field, ...],
    table: str,
    out: Collector,
    *,
    occurrence: int = 0,
    subtables: tuple[str, ...] = (),
    check_required: bool = True,
) -> dict[str, Any]:
    """Typed values by attribute name for the keys present in ``data`` (defaults are the
    dataclasses'); unknown keys warn, bad values, a key given twice (``Port`` and ``port``,
    ``Password`` and ``Pass``) and missing required keys are problems."""
    names = schema.field_names(fields)
    values: dict[str, Any] = {}
    given: dict[str, str] = {}
    bad: set[str] = set()  # reported already: not "missing" as well
    for key, raw in data.items():
        if key.lower() in subtables:
            continue
        spec = names.get(key.lower())
        if spec is None:
            if isinstance(raw, dict):
                out.ignore(f"{table}.{key}", "", "section")
            else:
                out.ignore(table, key, "key", occurrence)
            continue
        if spec.attr in given:
            out.error(
                table,
                key,
                f"{shown(given[spec.attr])} and {shown(key)} both set {spec.key}; keep one",
                occurrence,
            )
            continue
        given[spec.attr] = key
        try:
            values[spec.attr] = schema.convert(spec, raw)
        except ValueError as exc:
            out.error(table, key, str(exc), occurrence)
            bad.add(spec.attr)
            continue
        if (alias := spec.choice_alias(raw)) is not None:
            out.warn(table, key, f"{alias[0]} is read as {alias[1]} ({alias[2]})", occurrence)
    for spec in fields:
        # a present but bad value is reported already, not as missing too
        if check_required and spec.required and spec.attr not in bad and not values.get(spec.attr):
            out.error(table, spec.key, f"missing: {spec.help}", occurrence)
    return {k: v for k, v in values.items() if v is not None}


def _as_table(value: object, table: str, out: Collector) -> Mapping[str, Any] | None:
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    out.error(table, "", f"expected a section [{shown(table)}], found a value")
    return None


def _read_settings(
    data: Mapping[str, Any], table: str, out: Collector, env: Mapping[str, str]
) -> tuple[Settings, compat.Version | None]:
    data = dict(data)
    version_key, version_raw = child(data, "ConfigVersion", table, out)
    data.pop(version_key, None)
    values = _read_fields(data, schema.SETTINGS_FIELDS, table, out)
    env_level = env.get("QBITRR_LOG_LEVEL")
    if env_level:
        level_field = schema.field_names(schema.SETTINGS_FIELDS)["loglevel"]
        try:
            values["log_level"] = schema.convert(level_field, env_level)
        except ValueError as exc:
            out.problems.append(f"environment: QBITRR_LOG_LEVEL: {exc}")
    if values.get("failed_category", "failed") == values.get("recheck_category", "recheck"):
        out.error(table, "RecheckCategory", "is the same as FailedCategory; pick another")
    configured = values.pop("data_folder", "")
    folder = env.get("QBITRR_DATA_FOLDER") or configured
    if not folder:
        from qbitrr_tui.paths import default_data_dir

        data_folder = default_data_dir()
    else:
        data_folder = Path(os.path.expanduser(folder))
    return Settings(data_folder=data_folder, **values), compat.config_version(version_raw)


def _read_instance(
    section: str, name: str, data: Mapping[str, Any], out: Collector
) -> QbitInstanceConfig:
    values = _read_fields(data, schema.QBIT_FIELDS, section, out, subtables=("trackers",))
    values["trackers"] = read_tracker_rows(data, section, out, _read_fields)
    if _has_credentials(values.get("host", "")):
        out.error(
            section,
            "Host",
            "holds a user name or password; put them in UserName and "
            "Password, and only the address in Host",
        )
    return QbitInstanceConfig(name=name, section=section, **values)


def _has_credentials(address: str) -> bool:
    """``http://user:pass@host`` or ``user@host``: credentials that screens would show."""
    authority = address.split("://", 1)[-1].split("/", 1)[0]
    return "@" in authority


def _read_arr(
    section: str,
    kind: str,
    *,
    data: Mapping[str, Any],
    settings: Settings,
    version: compat.Version | None,
    out: Collector,
) -> ArrConfig:
    # An unmanaged Arr may be half filled in: it is never contacted.
    managed = child(data, "Managed", section, out, report=False)[1] is not False
    values = _read_fields(
        data, schema.ARR_FIELDS, section, out, subtables=("torrent",), check_required=managed
    )
    if _has_credentials(values.get("uri", "")):
        out.error(section, "URI", "holds a user name or password; the API key is enough")
    torrent_key, torrent_raw = child(data, "Torrent", section, out)
    torrent_table = f"{section}.{torrent_key or 'Torrent'}"
    torrent_data = _as_table(torrent_raw, torrent_table, out) or {}
    tvalues = _read_fields(
        torrent_data,
        schema.TORRENT_FIELDS,
        torrent_table,
        out,
        subtables=("seedingmode", "trackers"),
    )
    stalled_key, stalled_raw = child(torrent_data, "StalledDelay", torrent_table, out, report=False)
    if "stalled_delay" in tvalues:
        seconds, note = compat.read_stalled_delay(stalled_raw, tvalues["stalled_delay"], version)
        tvalues["stalled_delay"] = seconds
        if note:
            out.warnings.append(f"{out.where(torrent_table, stalled_key)} {note}")
    tvalues.setdefault("file_extension_allowlist", schema.default_extensions(kind))
    tvalues.setdefault("ignore_torrents_younger_than", settings.ignore_torrents_younger_than)
    for spec in schema.TORRENT_FIELDS:
        if spec.kind == "regex_list" and spec.attr not in tvalues:
            tvalues[spec.attr] = spec.default
    seeding_key, seeding_raw = child(torrent_data, "SeedingMode", torrent_table, out)
    seeding_table = f"{torrent_table}.{seeding_key or 'SeedingMode'}"
    seeding_data = _as_table(seeding_raw, seeding_table, out) or {}
    seeding = SeedingMode(**_read_fields(seeding_data, schema.SEEDING_FIELDS, seeding_table, out))
    trackers = read_tracker_rows(torrent_data, torrent_table, out, _read_fields)
    rules = TorrentRules(seeding=seeding, trackers=trackers, **tvalues)
    return ArrConfig(kind=kind, name=section, torrent=rules, **values)


def parse_config(
    text: str, path: Path | None = None, env: Mapping[str, str] | None = None
) -> Config:
    """Validate ``text``; raise :class:`ConfigError` listing every problem."""
    env = os.environ if env is None else env
    source = str(path) if path else "<config>"
    data = parse_toml(text, source)
    out = Collector(source=source, index=LineIndex(text))

    settings_key, settings_raw = child(data, "Settings", "", out)
    settings_table = settings_key or "Settings"
    settings_data = _as_table(settings_raw, settings_table, out) or {}
    settings, version = _read_settings(settings_data, settings_table, out, env)
    keys_key, keys_raw = child(data, "Keys", "", out)
    keys = read_keys(keys_raw, keys_key or "Keys", out)

    instances: list[QbitInstanceConfig] = []
    arrs: list[ArrConfig] = []
    seen_instances: dict[str, str] = {}
    seen_arrs: dict[str, str] = {}
    webapi_key, webapi_raw = child(data, "WebAPI", "", out)
    webapi = _read_webapi(webapi_raw, webapi_key or "WebAPI", out)
    notify_key, notify_raw = child(data, "Notifications", "", out)
    notifications = _read_notifications(notify_raw, notify_key or "Notifications", out)
    ui_key, ui_raw = child(data, "UI", "", out)
    ui_table = _as_table(ui_raw, ui_key or "UI", out) if ui_raw is not None else None
    ui_values = _read_fields(ui_table, schema.UI_FIELDS, ui_key or "UI", out) if ui_table else {}
    ui = read_ui(ui_values, ui_key or "UI", out)
    own_sections = (settings_key, keys_key, webapi_key, notify_key, ui_key)
    for section, value in data.items():
        if section in own_sections or section.lower() in (
            "settings",
            "keys",
            "webapi",
            "notifications",
            "ui",
        ):
            continue
        if (name := instance_name_for_section(section)) is not None:
            if (table := _as_table(value, section, out)) is None:
                continue
            if not name:
                out.error(section, "", "an instance section needs a name after 'qBit-'")
                continue
            if CONTROL.search(section):
                out.error(section, "", "the name holds control characters; rename it")
                continue
            inst = _read_instance(section, name, table, out)
            if name in seen_instances:
                out.error(
                    section,
                    "",
                    f"maps to instance name '{shown(name)}', as "
                    f"[{shown(seen_instances[name])}] does; rename one of them",
                )
                continue
            seen_instances[name] = section
            instances.append(inst)
        elif (kind := arr_kind_for_section(section)) is not None:
            if (table := _as_table(value, section, out)) is None:
                continue
            if CONTROL.search(section):
                out.error(section, "", "the name holds control characters; rename it")
                continue
            if (other := seen_arrs.get(section.lower())) is not None:
                out.error(section, "", f"differs from [{shown(other)}] only in case; rename one")
                continue
            seen_arrs[section.lower()] = section
            arrs.append(
                _read_arr(section, kind, data=table, settings=settings, version=version, out=out)
            )
            out.notes.extend(compat.default_differences(shown(section), table))
        elif is_readarr_section(section):
            managed = isinstance(value, dict) and child(value, "Managed", section, out)[1] is True
            out.warn(
                section,
                "",
                "Readarr is not supported yet: this section is ignored"
                + (", and its downloads are not looked after" if managed else ""),
            )
        else:
            out.ignore(section, "", "section")

    _check_categories(arrs, settings, out)
    if out.problems:
        raise ConfigError(out.final_problems())
    return Config(
        path=path,
        settings=settings,
        instances=tuple(instances),
        arrs=tuple(arrs),
        warnings=out.final_warnings(),
        keys=keys,
        notes=tuple(out.notes),
        webapi=webapi,
        notifications=notifications,
        ui=ui,
    )


def _read_webapi(value: object, table_name: str, out: Collector) -> WebApiSettings:
    """``[WebAPI]``; a public address without a Token is refused, not merely warned of."""
    if value is None or (table := _as_table(value, table_name, out)) is None:
        return WebApiSettings()
    webapi = WebApiSettings(**_read_fields(table, schema.WEBAPI_FIELDS, table_name, out))
    if webapi.enabled and not webapi.loopback and not webapi.token:
        out.error(
            table_name,
            "Host",
            f"{webapi.host!r} is not a loopback address: set a Token, or listen on 127.0.0.1",
        )
    return webapi


def _read_notifications(value: object, table_name: str, out: Collector) -> NotificationSettings:
    if value is None or (table := _as_table(value, table_name, out)) is None:
        return NotificationSettings()
    values = _read_fields(table, schema.NOTIFICATION_FIELDS, table_name, out)
    for event in values.get("events", ()):
        if event not in schema.NOTIFY_EVENTS:
            known = ", ".join(schema.NOTIFY_EVENTS)
            out.error(table_name, "Events", f"unknown event {event!r}; expected {known}")
    return NotificationSettings(**values)


def _check_categories(arrs: list[ArrConfig], settings: Settings, out: Collector) -> None:
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
                f"{arr.category!r} is already the category of [{shown(owners[arr.category])}]; "
                "each Arr needs its own",
            )
        else:
            owners[arr.category] = arr.name
    managed = set(owners) | set(reserved)
    for arr in arrs:
        target = arr.torrent.unregistered_category
        moves = arr.managed and arr.torrent.unregistered_action == "category"
        if moves and (target in managed or not target):
            out.error(
                f"{arr.name}.Torrent",
                "UnregisteredCategory",
                f"{target!r} is managed here; pick a category outside every Arr's "
                "(moved torrents are left alone there)",
            )


def load_config(path: Path, env: Mapping[str, str] | None = None) -> Config:
    """Read and validate the file at ``path``."""
    return parse_config(read_config_file(path), path, env)
