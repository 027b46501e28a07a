"""A qBitrr config means here what it meant to the qBitrr release that wrote it."""

from __future__ import annotations

from pathlib import Path

import pytest

from qbitrr_tui.config import ConfigError, parse_config
from qbitrr_tui.config.compat import config_version, read_stalled_delay
from qbitrr_tui.config.model import Config

ROOT = Path(__file__).resolve().parents[2]
ENV = {"QBITRR_DATA_FOLDER": "/tmp/qbitrr-test-data"}
ARR = '[Radarr-A]\nURI = "http://x"\nAPIKey = "k"\nCategory = "c"\n'


def load(text: str) -> Config:
    return parse_config(text, Path("config.toml"), ENV)


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load(text)
    return info.value.problems


@pytest.mark.parametrize(
    ("raw", "version"),
    [
        (None, None),
        ("5.14.4", (5, 14, 4)),
        ("5.9", (5, 9)),
        ("v5.14.6", (5, 14, 6)),
        ("5.14.4-1", (5, 14, 4)),
        (3, (0, 0, 3)),
        ("garbage", (0, 0, 1)),
        (True, (0, 0, 1)),
    ],
)
def test_config_version_as_qbitrr_reads_it(raw: object, version: object) -> None:
    assert config_version(raw) == version


@pytest.mark.parametrize(
    ("settings", "value", "seconds", "note"),
    [
        # qBitrr before 5.14.6: 0 = never remove, -1 = no grace
        ('ConfigVersion = "5.9"', "0", -1.0, "StalledDelay = 0: never remove (ConfigVersion 5.9"),
        ('ConfigVersion = "5.14.4"', "-1", 0.0, "StalledDelay = -1: remove once stalled"),
        ("ConfigVersion = 3", '"0m"', -1.0, "never remove (ConfigVersion 0.0.3 < 5.14.6)"),
        ('ConfigVersion = "5.9"', "-5", -1.0, None),  # never removed there either
        # 5.14.6 and later: as here
        ('ConfigVersion = "5.14.6"', "0", 0.0, None),
        ('ConfigVersion = "6.0"', "-1", -1.0, None),
        # no ConfigVersion: the reading that deletes nothing
        ("", "0", -1.0, "StalledDelay = 0: never remove (no Settings.ConfigVersion"),
        ("", "-1", -1.0, "StalledDelay = -1: never remove"),
        # other values mean the same everywhere
        ('ConfigVersion = "5.9"', "15", 900.0, None),
        ("", "15", 900.0, None),
    ],
)
def test_stalled_delay_sentinels_follow_config_version(
    settings: str, value: str, seconds: float, note: str | None
) -> None:
    config = load(f"[Settings]\n{settings}\n{ARR}[Radarr-A.Torrent]\nStalledDelay = {value}\n")
    assert config.arrs[0].torrent.stalled_delay == seconds
    notes = [w for w in config.warnings if "StalledDelay" in w]
    if note is None:
        assert notes == []
    else:
        assert len(notes) == 1 and note in notes[0], notes
        assert notes[0].startswith("config.toml:8: [Radarr-A.Torrent] StalledDelay = ")


@pytest.mark.parametrize(
    ("settings", "removed"),
    [('ConfigVersion = "5.9"', False), ("", False), ('ConfigVersion = "5.14.6"', True)],
)
def test_stalled_zero_from_old_qbitrr_is_never_removed_by_the_rules(
    settings: str, removed: bool
) -> None:
    """The S1 case end to end through decide(): a user who set 0 to keep stalled downloads
    (qBitrr before 5.14.6) never has them deleted, on the first cycle or later."""
    from qbitrr_tui.engine.policy import decide
    from tests.unit.rule_helpers import NOW, ctx, snap, stored

    section = ARR.replace('"c"', '"radarr"')
    text = f"[Settings]\n{settings}\n{section}"
    arr = load(text + "[Radarr-A.Torrent]\nStalledDelay = 0\n").arrs[0]
    torrent = snap(state="stalledDL", dlspeed=0)
    for since in (None, NOW - 10**6):
        decision, _ = decide(torrent, stored(stalled_since=since), ctx(arr=arr))
        assert ("delete" in [a.kind.value for a in decision.actions]) is removed


def test_read_stalled_delay_leaves_other_values() -> None:
    assert read_stalled_delay(30, 1800.0, (5, 9)) == (1800.0, None)


@pytest.mark.parametrize(
    ("key", "value", "seconds"),
    [
        ("MaximumETA", '"1M"', 30 * 86400.0),
        ("MaximumETA", '"1m"', 60.0),
        ("StalledDelay", '"1M"', 30 * 86400.0),
        ("StalledDelay", '"90s"', 90.0),  # exact here; qBitrr truncates to 1 minute
        ("IgnoreTorrentsYoungerThan", '"2H"', 7200.0),
    ],
)
def test_duration_suffixes_as_qbitrr(key: str, value: str, seconds: float) -> None:
    rules = load(f"{ARR}[Radarr-A.Torrent]\n{key} = {value}\n").arrs[0].torrent
    assert (
        getattr(
            rules,
            {"MaximumETA": "maximum_eta", "StalledDelay": "stalled_delay"}.get(
                key, "ignore_torrents_younger_than"
            ),
        )
        == seconds
    )


def test_max_seeding_time_month() -> None:
    text = f'{ARR}[Radarr-A.Torrent.SeedingMode]\nMaxSeedingTime = "1M"\n'
    assert load(text).arrs[0].torrent.seeding.max_seeding_time == 30 * 86400.0


@pytest.mark.parametrize(
    ("level", "ours"),
    [
        ("NOTICE", "INFO"),
        ("HNOTICE", "INFO"),
        ("SUCCESS", "INFO"),
        ("VERBOSE", "DEBUG"),
        ("CRITICAL", "ERROR"),
        ("trace", "TRACE"),
        ("Warning", "WARNING"),
    ],
)
def test_console_levels_qbitrr_registers(level: str, ours: str) -> None:
    config = load(f'[Settings]\nConsoleLevel = "{level}"\n')
    assert config.settings.log_level == ours
    if level.upper() != ours:
        assert f"{level} is read as {ours}" in config.warnings[0]


def test_qbitrr_level_in_the_environment() -> None:
    config = parse_config("", Path("c.toml"), {**ENV, "QBITRR_LOG_LEVEL": "notice"})
    assert config.settings.log_level == "INFO"


def test_port_as_a_string_and_hardlink() -> None:
    config = load(f'[QBit]\nPort = "8105"\n{ARR}importMode = "Hardlink"\n')
    assert config.instances[0].port == 8105
    assert config.arrs[0].import_mode == "Auto"
    assert "Hardlink is read as Auto (qBitrr reads Hardlink as Auto too)" in config.warnings[0]


def test_multi_line_inline_table_as_qbitrr_docs_write_it() -> None:
    text = (
        f"{ARR}[Radarr-A.EntrySearch]\nQualityProfileMappings = {{\n"
        '  "HD-1080p" = "Any",\n  "Ultra-HD" = "HD-720p"\n}\n'
    )
    config = load(text)
    assert config.arrs[0].category == "c"


@pytest.mark.parametrize(
    ("section", "kind"),
    [
        ("Sonarr", "Sonarr"),
        ("Radarr4K", "Radarr"),
        ("radarr-movies", "Radarr"),
        ("LIDARR", "Lidarr"),
        ("Animarr", "Sonarr"),
    ],
)
def test_bare_arr_sections_as_qbitrr_matches_them(section: str, kind: str) -> None:
    config = load(f'[{section}]\nURI = "http://x"\nAPIKey = "k"\nCategory = "c"\n')
    assert [(a.kind, a.name) for a in config.arrs] == [(kind, section)]


def test_readarr_is_reported_not_dropped() -> None:
    config = load('[Readarr-Books]\nManaged = true\nURI = "u"\nAPIKey = "k"\nCategory = "b"\n')
    assert config.arrs == ()
    assert config.warnings == (
        "config.toml:1: [Readarr-Books]: Readarr is not supported yet: this section is "
        "ignored, and its downloads are not looked after",
    )


def test_lower_case_settings_and_sub_tables_count() -> None:
    config = load(
        "[settings]\nDryRun = true\n"
        f"{ARR}[Radarr-A.torrent]\nStalledDelay = 20\n[Radarr-A.torrent.seedingmode]\n"
        'RemoveTorrent = 3\n[[Radarr-A.torrent.trackers]]\nURI = "t.example"\n'
    )
    assert config.settings.dry_run is True
    rules = config.arrs[0].torrent
    assert rules.stalled_delay == 1200.0
    assert rules.seeding.remove_torrent == 3
    assert rules.trackers[0].uri == "t.example"
    assert config.warnings == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[Settings]\nDryRun = true\n[settings]\nDryRun = false\n", "'Settings' and 'settings'"),
        (f"{ARR}[Radarr-A.Torrent]\n[Radarr-A.torrent]\n", "'Torrent' and 'torrent'"),
        (f"{ARR}[radarr-a]\n", "[radarr-a]: differs from [Radarr-A] only in case"),
    ],
)
def test_two_spellings_of_one_name_are_an_error(text: str, expected: str) -> None:
    found = problems(text)
    assert len(found) == 1 and expected in found[0], found


def test_instance_names_keep_the_seed_rule() -> None:
    config = load(
        '[qBit-Seedbox]\n[qBit]\n["qBit-日本"]\n["qBit-café"]\n["qBit-a.b"]\n[qBit-a_b]\n'
    )
    assert [i.name for i in config.instances] == [
        "seedbox",
        "default",
        "日本",
        "café",
        "a.b",
        "a_b",
    ]
    found = problems("[qBit-Box]\n[QBIT-box]\n")
    assert found == [
        "config.toml:2: [QBIT-box]: maps to instance name 'box', as [qBit-Box] does; "
        "rename one of them"
    ]


def test_defaults_that_differ_from_qbitrr_are_listed() -> None:
    config = load(f"{ARR}[Radarr-A.Torrent]\nMaximumETA = 3600\n")
    notes = "\n".join(config.notes)
    for key in (
        "ReSearch",
        "MaximumDeletablePercentage",
        "FileExtensionAllowlist",
        "FolderExclusionRegex",
        "FileNameExclusionRegex",
    ):
        assert f"{key} unset" in notes and "differs from qBitrr" in notes
    assert "MaximumETA" not in notes  # set in the file: nothing differs
    assert (
        "[Radarr-A.Torrent] MaximumDeletablePercentage unset: 0.99 here; differs from "
        "qBitrr: 0.95" in notes
    )


def test_check_config_explain_lists_the_differing_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from qbitrr_tui.cli import main

    monkeypatch.setenv("QBITRR_DATA_FOLDER", str(tmp_path))
    path = tmp_path / "config.toml"
    path.write_text(
        f'[Settings]\nConfigVersion = "5.9"\n{ARR}[Radarr-A.Torrent]\nStalledDelay = 0\n'
    )
    assert main(["check-config", "--config", str(path)]) == 0
    plain = capsys.readouterr()
    assert "differs from qBitrr" not in plain.out
    assert "StalledDelay = 0: never remove (ConfigVersion 5.9 < 5.14.6)" in plain.err
    assert main(["check-config", "--explain", "--config", str(path)]) == 0
    explained = capsys.readouterr().out
    assert (
        "[Radarr-A.Torrent] MaximumETA unset: 604800 s (7 days) here; differs from qBitrr: "
        "86400 s (1 day)" in explained
    )


def test_starter_config_pins_the_new_stalled_meaning() -> None:
    """A user who later sets StalledDelay = 0 in the starter config gets "no grace", as
    documented, with no ambiguity note."""
    text = (ROOT / "config.example.toml").read_text()
    assert 'ConfigVersion = "5.14.6"' in text
    edited = text.replace("StalledDelay = 15", "StalledDelay = 0", 1)
    config = load(edited)
    assert config.arrs[0].torrent.stalled_delay == 0.0
    assert not [w for w in config.warnings if "StalledDelay" in w]
