"""Config files that point at sandbox instances (for tests, the demo and benchmarks)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qbitrr_tui.config import Config, parse_config
from qbitrr_tui.sandbox.qbit import QbitProcess


@dataclass(frozen=True, slots=True)
class ArrSpec:
    """One Arr section: kind (Radarr/Sonarr/Lidarr), name, URI, key, category, extras."""

    kind: str
    name: str
    uri: str
    api_key: str
    category: str
    settings: Mapping[str, object] = field(default_factory=dict)
    torrent: Mapping[str, object] = field(default_factory=dict)
    seeding: Mapping[str, object] = field(default_factory=dict)


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return str(value)


def _section(title: str, values: Mapping[str, object]) -> list[str]:
    return [f"[{title}]", *(f"{k} = {_value(v)}" for k, v in values.items()), ""]


def sandbox_config_text(
    instances: Mapping[str, QbitProcess],
    *,
    arrs: Sequence[ArrSpec] = (),
    settings: Mapping[str, object] | None = None,
    data_folder: Path | None = None,
    extra_instances: Mapping[str, Mapping[str, object]] | None = None,
    trackers: Mapping[str, Sequence[Mapping[str, object]]] | None = None,
) -> str:
    """TOML for ``instances`` (config name → process; ``default`` becomes ``[qBit]``);
    ``trackers``: ``[[<table>.Trackers]]`` rows by table (``qBit``, ``Radarr-Movies.Torrent``)."""
    # Tests read every torrent every cycle unless they set FullRefreshInterval themselves
    # (the tests of the fast read, the demo and the benchmarks use the real default).
    base: dict[str, object] = {
        "LoopSleepTimer": 1,
        "IgnoreTorrentsYoungerThan": 0,
        "ImportSettleTime": 0,
        "FullRefreshInterval": 0,
    }

    if data_folder is not None:
        base["DataFolder"] = str(data_folder)
    base.update(settings or {})
    lines = _section("Settings", base)
    for name, proc in instances.items():
        title = "qBit" if name == "default" else f"qBit-{name}"
        lines += _section(
            title,
            {
                "Host": "127.0.0.1",
                "Port": proc.webui_port,
                "UserName": proc.username,
                "Password": proc.password,
            },
        )
    for name, values in (extra_instances or {}).items():
        lines += _section("qBit" if name == "default" else f"qBit-{name}", values)
    for arr in arrs:
        title = f"{arr.kind}-{arr.name}"
        lines += _section(
            title, {"URI": arr.uri, "APIKey": arr.api_key, "Category": arr.category, **arr.settings}
        )
        lines += _section(f"{title}.Torrent", dict(arr.torrent))
        lines += _section(f"{title}.Torrent.SeedingMode", dict(arr.seeding))
    for table, rows in (trackers or {}).items():
        for row in rows:
            lines += [f"[[{table}.Trackers]]", *_section("", row)[1:]]
    return "\n".join(lines)


def sandbox_config(path: Path, instances: Mapping[str, QbitProcess], **kwargs: object) -> Config:
    """Write the TOML to ``path`` and load it (so tests go through the real loader)."""
    text = sandbox_config_text(instances, **kwargs)  # type: ignore[arg-type]
    path.write_text(text)
    return parse_config(text, path, env={})
