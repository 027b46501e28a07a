from __future__ import annotations

from pathlib import Path

import pytest

from qbitrr_tui.config import ConfigError, parse_config
from qbitrr_tui.config.load import instance_name_for_section
from qbitrr_tui.config.schema import AUDIO_EXTENSIONS, VIDEO_EXTENSIONS

ROOT = Path(__file__).resolve().parents[2]
NO_ENV: dict[str, str] = {"QBITRR_DATA_FOLDER": "/tmp/qbitrr-test-data"}


def load(text: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return parse_config(text, Path("config.toml"), env if env is not None else NO_ENV)


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load(text)
    return info.value.problems


def test_example_config_is_valid_and_complete() -> None:
    config = load((ROOT / "config.example.toml").read_text())
    assert [i.name for i in config.instances] == ["default", "seedbox", "cloud"]
    assert [i.name for i in config.enabled_instances] == ["default", "seedbox"]
    assert [a.kind for a in config.arrs] == ["Radarr", "Sonarr", "Lidarr"]
    assert config.settings.dry_run is True
    assert config.warnings == ()
    radarr = config.arrs[0]
    assert radarr.torrent.seeding.max_seeding_time == 14 * 86400
    assert radarr.torrent.trackers[0].uri == "tracker.example.org"
    assert radarr.torrent.trackers[0].max_seeding_time == 30 * 86400


def test_packaged_starter_is_the_example() -> None:
    packaged = ROOT / "qbitrr_tui" / "config" / "example.toml"
    assert packaged.read_text() == (ROOT / "config.example.toml").read_text()


def test_defaults() -> None:
    config = load("")
    s = config.settings
    assert (s.loop_sleep_timer, s.ignore_torrents_younger_than, s.import_settle_time) == (
        5.0,
        180.0,
        60.0,
    )
    assert s.dry_run is False
    assert s.free_space == -1
    assert (s.failed_category, s.recheck_category, s.max_deletions_per_cycle) == (
        "failed",
        "recheck",
        10,
    )
    assert s.db_path == Path("/tmp/qbitrr-test-data/qbitrr.db")
    assert config.instances == ()


def test_arr_defaults_per_kind() -> None:
    config = load(
        """
[Settings]
IgnoreTorrentsYoungerThan = "5m"
[Radarr-A]
URI = "http://x"
APIKey = "k1"
Category = "radarr"
[Lidarr-B]
URI = "http://y"
APIKey = "k2"
Category = "lidarr"
"""
    )
    radarr, lidarr = config.arrs
    assert radarr.torrent.file_extension_allowlist == VIDEO_EXTENSIONS
    assert lidarr.torrent.file_extension_allowlist == AUDIO_EXTENSIONS
    assert radarr.torrent.stalled_delay == 900.0
    assert radarr.torrent.ignore_torrents_younger_than == 300.0  # inherited from Settings
    assert radarr.torrent.folder_exclusion_regex  # the defaults apply
    assert radarr.import_mode == "Auto"
    assert config.managed_categories == ("radarr", "lidarr", "failed", "recheck")


def test_aliases_and_env_overrides() -> None:
    config = load(
        """
[Settings]
ConsoleLevel = "DEBUG"
DataFolder = "/srv/qbitrr"
[qBit-Seedbox]
User = "me"
Pass = "hunter22"
Port = 9090
""",
        env={"QBITRR_LOG_LEVEL": "trace"},
    )
    inst = config.instances[0]
    assert (inst.name, inst.username, inst.password, inst.port) == (
        "seedbox",
        "me",
        "hunter22",
        9090,
    )
    assert config.settings.log_level == "TRACE"
    assert config.settings.data_folder == Path("/srv/qbitrr")
    assert "hunter22" not in repr(config)


def test_env_data_folder_wins() -> None:
    config = load('[Settings]\nDataFolder = "/a"\n', env={"QBITRR_DATA_FOLDER": "/b"})
    assert config.settings.data_folder == Path("/b")


@pytest.mark.parametrize(
    ("section", "name"),
    [
        ("qBit", "default"),
        ("qBit-Seedbox", "seedbox"),
        ("qBit-cloud", "cloud"),
        ("Radarr-x", None),
        ("qBittorrent", None),
    ],
)
def test_instance_name_mapping(section: str, name: str | None) -> None:
    assert instance_name_for_section(section) == name


def test_durations_in_their_units() -> None:
    config = load(
        """
[Radarr-A]
URI = "http://x"
APIKey = "k"
Category = "c"
[Radarr-A.Torrent]
StalledDelay = "30s"
MaximumETA = "2h"
[Radarr-A.Torrent.SeedingMode]
MaxSeedingTime = 3600
"""
    )
    rules = config.arrs[0].torrent
    assert rules.stalled_delay == 30.0  # taken exactly (qBitrr would truncate to 1 minute)
    assert rules.maximum_eta == 7200.0
    assert rules.seeding.max_seeding_time == 3600.0
    config = load(
        '[Radarr-A]\nURI="x"\nAPIKey="k"\nCategory="c"\n[Radarr-A.Torrent]\nStalledDelay = 15\n'
    )
    assert config.arrs[0].torrent.stalled_delay == 900.0


def test_every_problem_reported_at_once_with_lines() -> None:
    found = problems(
        """[Settings]
LoopSleepTimer = "5x"
FreeSpace = "lots"

[qBit]
Port = 99999
Disabled = "no"
"""
    )
    assert found == [
        "config.toml:2: [Settings] LoopSleepTimer: found '5x', expected a duration ≥ 1s "
        '(seconds, or a string like "90s", "15m") (unknown unit \'x\'; units: s, m, h, d, w, '
        "M = 30 days)",
        "config.toml:3: [Settings] FreeSpace: found 'lots', expected a size like \"50G\" or "
        '"512M" (-1 = off)',
        "config.toml:6: [qBit] Port: found 99999, expected an integer from 1 to 65535",
        "config.toml:7: [qBit] Disabled: found 'no', expected true or false",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[qBit]\nPort = 0\n", "[qBit] Port: found 0, expected an integer from 1 to 65535"),
        ('[qBit]\nPort = "80x"\n', "[qBit] Port: found '80x'"),
        ("[qBit]\n[qBit-Default]\n", "[qBit-Default]: maps to instance name 'default', as [qBit]"),
        ("[qBit-A]\n[qBit-a]\n", "[qBit-a]: maps to instance name 'a', as [qBit-A]"),
        ('[Radarr-A]\nAPIKey = "k"\nCategory = "c"\n', "[Radarr-A] URI: missing"),
        ('[Radarr-A]\nURI = "u"\nCategory = "c"\n', "[Radarr-A] APIKey: missing"),
        ('[Radarr-A]\nURI = "u"\nAPIKey = "k"\n', "[Radarr-A] Category: missing"),
        (
            '[Radarr-A]\nURI="u"\nAPIKey="k"\nCategory="c"\n[Sonarr-B]\nURI="u"\nAPIKey="k"\n'
            'Category="c"\n',
            "[Sonarr-B] Category: 'c' is already the category of [Radarr-A]",
        ),
        (
            '[Radarr-A]\nURI="u"\nAPIKey="k"\nCategory="failed"\n',
            "[Radarr-A] Category: 'failed' is also Settings.FailedCategory",
        ),
        (
            '[Settings]\nRecheckCategory="tv"\n[Sonarr-A]\nURI="u"\nAPIKey="k"\nCategory="tv"\n',
            "[Sonarr-A] Category: 'tv' is also Settings.RecheckCategory",
        ),
        (
            '[Radarr-A]\nURI="u"\nAPIKey="k"\nCategory="c"\n[Radarr-A.Torrent]\n'
            'FileNameExclusionRegex = ["(x"]\n',
            "bad regular expression '(x'",
        ),
        (
            '[Radarr-A]\nURI="u"\nAPIKey="k"\nCategory="c"\n[Radarr-A.Torrent]\n'
            "MaximumDeletablePercentage = 2\n",
            "expected a number from 0 to 1",
        ),
        (
            '[Radarr-A]\nURI="u"\nAPIKey="k"\nCategory="c"\n[Radarr-A.Torrent.SeedingMode]\n'
            "RemoveTorrent = 7\n",
            "expected an integer from -1 to 4",
        ),
        (
            '[Radarr-A]\nURI="u"\nAPIKey="k"\nCategory="c"\nimportMode="Symlink"\n',
            "expected one of Auto, Move, Copy",
        ),
        ('[Settings]\nLogLevel = "LOUD"\n', "expected one of TRACE, DEBUG"),
        ("Settings = 3\n", "expected a section [Settings]"),
        ("[qBit\n", "not valid TOML"),
    ],
)
def test_each_validation_error(text: str, expected: str) -> None:
    found = problems(text)
    assert len(found) == 1, found
    assert expected in found[0]


def test_unmanaged_arr_may_be_incomplete() -> None:
    config = load("[Radarr-Old]\nManaged = false\n")
    assert config.arrs[0].managed is False
    assert config.managed_arrs == ()


def test_qbitrr_format_with_extra_sections_loads_with_warnings() -> None:
    text = """
[Settings]
ConsoleLevel = "INFO"
Logging = true
CompletedDownloadFolder = "/data/torrents"
FreeSpace = "10G"
FreeSpaceFolder = "/data"
NoInternetSleepTimer = 15
LoopSleepTimer = 5
SearchLoopDelay = -1
FailedCategory = "failed"
RecheckCategory = "recheck"
Tagless = false
IgnoreTorrentsYoungerThan = 180
PingURLS = ["one.one.one.one", "dns.google.com"]
FFprobeAutoUpdate = true

[WebUI]
Host = "0.0.0.0"
Port = 6969
Token = ""

[qBit]
Disabled = false
Host = "localhost"
Port = 8105
UserName = "admin"
Password = "supersecret"

[Radarr-1080]
Managed = true
URI = "http://localhost:7878"
APIKey = "abcdef0123456789"
Category = "radarr-1080"
ReSearch = true
importMode = "Auto"
RssSyncTimer = 1
RefreshDownloadsTimer = 1
ArrErrorCodesToBlocklist = ["Not an upgrade for existing movie file(s)"]

[Radarr-1080.EntrySearch]
SearchMissing = true
Unmonitored = false

[Radarr-1080.EntrySearch.Ombi]
SearchOmbiRequests = false

[Radarr-1080.Torrent]
CaseSensitiveMatches = false
FolderExclusionRegex = ["\\\\bextras?\\\\b", "\\\\bsamples?\\\\b"]
FileNameExclusionRegex = ["\\\\bsample\\\\b"]
FileExtensionAllowlist = [".mp4", ".mkv", ".sub", ".ass", ".srt", ".!qB", ".parts"]
AutoDelete = false
IgnoreTorrentsYoungerThan = 180
MaximumETA = 604800
MaximumDeletablePercentage = 0.99
DoNotRemoveSlow = true
StalledDelay = 15
ReSearchStalled = false

[Radarr-1080.Torrent.SeedingMode]
DownloadRateLimitPerTorrent = -1
UploadRateLimitPerTorrent = -1
MaxUploadRatio = -1
MaxSeedingTime = -1
RemoveTorrent = -1
RemoveDeadTrackers = false
RemoveTrackerWithMessage = ["skipping tracker announce (unreachable)"]

[[Radarr-1080.Torrent.Trackers]]
Name = "Rarbg-2810"
Priority = 1
URI = "udp://9.rarbg.com:2810/announce"
MaximumETA = 18000
DownloadRateLimit = -1
UploadRateLimit = -1
MaxUploadRatio = 2
MaxSeedingTime = -1
AddTrackerIfMissing = false
RemoveIfExists = false
SuperSeedMode = false
AddTags = ["qBitrr-Rarbg", "Movies and TV"]
"""
    config = load(text)
    assert config.instances[0].port == 8105
    assert config.arrs[0].category == "radarr-1080"
    assert config.arrs[0].torrent.do_not_remove_slow is True
    assert config.arrs[0].torrent.trackers[0].maximum_eta == 18000
    assert config.settings.free_space == 10 * 1024**3
    warned = "\n".join(config.warnings)
    for name in (
        "[WebUI]",
        "[Radarr-1080.EntrySearch]",
        "PingURLS",
        "RemoveDeadTrackers",
        "AddTrackerIfMissing",
        "AutoDelete",
        "RssSyncTimer",
    ):
        assert name in warned
    assert "supersecret" not in warned and "abcdef0123456789" not in warned


def test_configuration_reference_is_current() -> None:
    from qbitrr_tui.config.reference import render

    committed = (ROOT / "docs" / "configuration.md").read_text()
    assert committed == render(), "run `make docs` to regenerate docs/configuration.md"


def test_keys_section() -> None:
    config = load('[Keys]\nrescan = "f5"\nquit = "ctrl+q"\n')
    assert config.keys == (("rescan", "f5"), ("quit", "ctrl+q"))
    found = problems('[Keys]\nlaunch = "x"\nrescan = 5\n')
    assert "[Keys] launch: unknown action" in found[0]
    assert "[Keys] rescan: found 5" in found[1]


def test_ui_table_is_read_and_checked() -> None:
    config = load(
        '[UI]\nColumns = ["name", "down", "up"]\nSort = "-size"\nView = "torrents"\n'
        'Theme = "nord"\nBell = true\n'
    )
    assert config.ui.columns == ("name", "down", "up")
    assert (config.ui.sort, config.ui.view, config.ui.theme, config.ui.bell) == (
        "-size",
        "torrents",
        "nord",
        True,
    )
    assert load("").ui.columns[:3] == ("name", "instance", "category")
    bad = problems('[UI]\nColumns = ["name", "speed"]\nSort = "colour"\nView = "graphs"\n')
    assert len(bad) == 3
    assert any("[UI] Columns: unknown column 'speed'" in p for p in bad)
    assert any("[UI] Sort: unknown column 'colour'" in p for p in bad)
    assert any("[UI] View: found 'graphs'" in p for p in bad)
