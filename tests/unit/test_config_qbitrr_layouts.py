"""Our fixture for each layout of qBitrr's config (tests/data/qbitrr_layouts) loads, and
means key by key what it meant to the qBitrr release it stands for."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pytest

from qbitrr_tui.config import parse_config
from qbitrr_tui.config.model import Config

ROOT = Path(__file__).resolve().parents[2]
LAYOUTS = ROOT / "tests" / "data" / "qbitrr_layouts"
CORPUS = sorted(LAYOUTS.glob("*.toml"))
ENV = {"QBITRR_DATA_FOLDER": "/tmp/qbitrr-test-data"}


@functools.cache
def corpus_config(path: Path) -> Config:
    """Each fixture parsed once for every test that reads it (tomlkit is slow)."""
    return parse_config(path.read_text("utf-8"), path, ENV)


def test_corpus_is_there() -> None:
    """One fixture per layout of qBitrr's config.example.toml since 2021 (see its README),
    plus the shapes of configs posted in qBitrr's issues and shown in its docs."""
    names = {p.stem for p in CORPUS}
    assert len(names) >= 39, "tests/data/qbitrr_layouts holds one fixture per qBitrr layout"
    assert {"2021-12-15-first-toml", "v2.0.0", "v3.2.2", "v5.5.0", "v5.9.2", "v5.14.0"} <= names
    assert {"issue-bare-sections", "docs-multiline-inline-tables"} <= names
    for path in CORPUS:
        head = path.read_text("utf-8").splitlines()[0]
        assert head.startswith("# qbitrr-tui test fixture: stands for"), path.name


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_every_qbitrr_example_loads(path: Path) -> None:
    config = corpus_config(path)
    assert config.instances, "its [qBit] section is an instance"
    assert {a.kind for a in config.arrs} >= {"Radarr", "Sonarr"}
    text = path.read_text("utf-8")
    if "[Readarr" in text:
        assert any("Readarr is not supported yet" in w for w in config.warnings)
    else:
        assert not any("Readarr" in w for w in config.warnings)
    # Without ConfigVersion the reading that deletes nothing is taken (never remove).
    if "ConfigVersion" not in text:
        assert all(a.torrent.stalled_delay != 0.0 for a in config.arrs)


def test_old_layouts_read_notice_hardlink_and_a_string_port_as_qbitrr_does() -> None:
    old = corpus_config(LAYOUTS / "v2.0.0.toml")
    assert old.settings.log_level == "INFO"
    assert any("NOTICE is read as INFO" in w for w in old.warnings)
    hard = corpus_config(LAYOUTS / "v3.2.2.toml")
    assert {a.import_mode for a in hard.arrs} == {"Auto"}
    assert any("Hardlink is read as Auto" in w for w in hard.warnings)
    first = corpus_config(LAYOUTS / "2021-12-15-first-toml.toml")
    assert [i.port for i in first.instances] == [18105]
    assert {a.category for a in first.arrs} == {"films-hd", "films-uhd", "series", "cartoons"}


def test_bare_sections_from_qbitrr_issues() -> None:
    config = corpus_config(LAYOUTS / "issue-bare-sections.toml")
    assert [(a.kind, a.name) for a in config.arrs] == [("Sonarr", "Sonarr"), ("Radarr", "Radarr4K")]
    assert config.settings.log_level == "DEBUG"  # from the lower-case [settings]
    assert config.arrs[0].torrent.seeding.remove_torrent == 3  # [Sonarr.torrent.seedingmode]
    assert any("[Readarr]: Readarr is not supported yet" in w for w in config.warnings)


# --- the corpus read key by key as qBitrr reads it ------------------------------------
_PER_SECOND = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def _qbitrr_seconds(raw: object) -> float:
    """qBitrr's own reading of a seconds key (duration_config.py), for whole numbers and
    suffixed strings ("M" is 30 days, the other suffixes any case); its "-1" (or any
    negative) means never, as ours."""
    if isinstance(raw, str):
        number, suffix = int(raw.strip().rstrip("smhdwSMHDW") or 0), raw.strip()[-1:]
        per = 2592000 if suffix == "M" else _PER_SECOND.get(suffix.lower(), 1)
        seconds = float(number * per)
    else:
        seconds = float(raw)  # type: ignore[arg-type]
    return -1.0 if seconds < 0 else seconds


def _qbitrr_stalled_delay(raw: object, config_version: object) -> float:
    """StalledDelay (minutes, or a suffixed string) as a qBitrr before 5.14.6 reads it, in
    our terms (seconds; -1 never remove, 0 remove once stalled): 0 was never and -1 no
    grace there. A file without ConfigVersion gets the reading that deletes nothing."""
    text = str(raw).strip()
    number = int(text.rstrip("smhdwSMHDW"))
    if number == 0:
        return -1.0
    if number == -1:
        return 0.0 if config_version is not None else -1.0
    if number < 0:
        return -1.0
    return _qbitrr_seconds(text if text[-1].isalpha() else f"{text}m")


def _table(parent: dict[str, Any], name: str) -> Any:
    """A sub-table or key by name in any case, as qBitrr's reading of sections is."""
    for key, value in parent.items():
        if key.lower() == name.lower():
            return value
    return {}


def _arr_tables(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (name, value)
        for name, value in data.items()
        if isinstance(value, dict) and re.match("(rad|son|lid)arr", name, re.IGNORECASE)
    ]


def _check_settings(data: dict[str, Any], config: Config) -> None:
    settings = _table(data, "Settings")
    for key, attr in (
        ("LoopSleepTimer", "loop_sleep_timer"),
        ("IgnoreTorrentsYoungerThan", "ignore_torrents_younger_than"),
    ):
        if key in settings:
            assert getattr(config.settings, attr) == _qbitrr_seconds(settings[key]), key
    if "ConsoleLevel" in settings:
        level = settings["ConsoleLevel"].upper()
        assert config.settings.log_level == {"NOTICE": "INFO"}.get(level, level)
    qbit = _table(data, "qBit")
    if "Port" in qbit:
        assert config.instances[0].port == int(qbit["Port"])  # a string in the first layout


def _check_torrent(name: str, torrent: dict[str, Any], rules: Any, version: object) -> None:
    for key, attr in (
        ("MaximumETA", "maximum_eta"),
        ("IgnoreTorrentsYoungerThan", "ignore_torrents_younger_than"),
    ):
        if key in torrent:
            assert getattr(rules, attr) == _qbitrr_seconds(torrent[key]), (name, key)
    if "MaximumDeletablePercentage" in torrent:
        assert rules.maximum_deletable_percentage == torrent["MaximumDeletablePercentage"]
    if "StalledDelay" in torrent:
        expected = _qbitrr_stalled_delay(torrent["StalledDelay"], version)
        assert rules.stalled_delay == expected, (name, torrent["StalledDelay"], version)
    seeding = _table(torrent, "SeedingMode")
    for key, attr in (("RemoveTorrent", "remove_torrent"), ("MaxUploadRatio", "max_upload_ratio")):
        if key in seeding:
            assert getattr(rules.seeding, attr) == seeding[key], (name, key)
    if "MaxSeedingTime" in seeding:
        assert rules.seeding.max_seeding_time == _qbitrr_seconds(seeding["MaxSeedingTime"])
    rows = _table(torrent, "Trackers")
    if isinstance(rows, list):  # [[...Torrent.Trackers]] rows, or an empty inline array
        assert len(rules.trackers) == len(rows), name


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_each_example_means_what_its_release_meant(path: Path) -> None:
    import tomlkit

    data = tomlkit.parse(path.read_text("utf-8")).unwrap()
    config = corpus_config(path)
    arrs = {a.name: a for a in config.arrs}
    _check_settings(data, config)
    version = _table(data, "Settings").get("ConfigVersion")
    # Every ConfigVersion in the corpus (3, "5.8.8" … "5.14.4") is before 5.14.6.
    numbers = tuple(int(n) for n in re.findall(r"\d+", str(version)))
    assert version is None or numbers < (5, 14, 6)
    for name, table in _arr_tables(data):
        arr = arrs[name]
        assert arr.category == _table(table, "Category")
        assert arr.managed is table.get("Managed", True)
        mode = table.get("importMode", "Auto")
        assert arr.import_mode == ("Auto" if mode == "Hardlink" else mode)
        _check_torrent(name, _table(table, "Torrent"), arr.torrent, version)
