"""config/edit.py: tomlkit round trips that keep the user's file as it was."""

from __future__ import annotations

import difflib
import os
import stat
from pathlib import Path

import pytest

from qbitrr_tui.config import ConfigError, schema
from qbitrr_tui.config.edit import ConfigDocument, field_text, parse_field_text
from qbitrr_tui.errors import UserError

ROOT = Path(__file__).resolve().parents[2]


def field(fields: tuple[schema.Field, ...], key: str) -> schema.Field:
    return next(f for f in fields if f.key == key)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text((ROOT / "config.example.toml").read_text())
    return path


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_change_one_key_changes_one_line(example: Path) -> None:
    before = example.read_text()
    doc = ConfigDocument.load(example)
    port = field(schema.QBIT_FIELDS, "Port")
    doc.set(("qBit-seedbox",), port, parse_field_text(port, "9091"))
    backup = doc.save()
    after = example.read_text()
    assert changed_lines(before, after) == ["-Port = 8081", "+Port = 9091"]
    assert "# Accept a self-signed certificate" in after  # comments intact
    assert stat.S_IMODE(os.stat(example).st_mode) == 0o600
    assert backup is not None and backup.read_text() == before
    assert stat.S_IMODE(os.stat(backup).st_mode) == 0o600
    assert ConfigDocument.load(example).validate().instance("seedbox").port == 9091


def test_aliases_and_unknown_keys_survive(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[qBit]\nUser = "me"  # my login\nPass = "x"\nv5 = true\n[WebUI]\nPort = 1\n')
    doc = ConfigDocument.load(path)
    user = field(schema.QBIT_FIELDS, "UserName")
    assert doc.get(("qBit",), user) == "me"
    doc.set(("qBit",), user, "you")
    doc.save()
    text = path.read_text()
    assert 'User = "you"  # my login' in text and "UserName" not in text
    assert "v5 = true" in text and "[WebUI]" in text


@pytest.mark.parametrize(
    ("key", "text", "value"),
    [
        ("LoopSleepTimer", "10", 10),
        ("LoopSleepTimer", "90s", "90s"),
        ("FreeSpace", "50G", "50G"),
        ("FreeSpace", "-1", -1),
        ("DryRun", None, None),
        ("MaxDeletionsPerCycle", "", None),
        ("FailedCategory", "", ""),
    ],
)
def test_parse_field_text(key: str, text: str | None, value: object) -> None:
    spec = field(schema.SETTINGS_FIELDS, key)
    if text is None:
        with pytest.raises(TypeError):
            parse_field_text(spec, "true")
        return
    assert parse_field_text(spec, text) == value


@pytest.mark.parametrize(
    ("fields", "key", "text", "message"),
    [
        (schema.QBIT_FIELDS, "Port", "99999", "found 99999, expected an integer from 1 to 65535"),
        (schema.QBIT_FIELDS, "Port", "eighty", "found 'eighty', expected an integer"),
        (schema.SETTINGS_FIELDS, "LoopSleepTimer", "5x", "expected a duration"),
        (schema.TORRENT_FIELDS, "FolderExclusionRegex", "ok\n(bad", "bad regular expression"),
        (schema.TORRENT_FIELDS, "MaximumDeletablePercentage", "1.5", "from 0 to 1"),
    ],
)
def test_field_errors_are_check_configs(
    fields: tuple[schema.Field, ...], key: str, text: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        parse_field_text(field(fields, key), text)


def test_lists_edit_one_per_line(example: Path) -> None:
    doc = ConfigDocument.load(example)
    spec = field(schema.TORRENT_FIELDS, "FileExtensionAllowlist")
    value = doc.get(("Radarr-Movies", "Torrent"), spec)
    assert field_text(value).splitlines()[:2] == [".mkv", ".mp4"]
    doc.set(("Radarr-Movies", "Torrent"), spec, parse_field_text(spec, ".mkv\n.srt\n"))
    assert doc.validate().arrs[0].torrent.file_extension_allowlist == (".mkv", ".srt")


def test_add_rename_disable_remove(example: Path) -> None:
    doc = ConfigDocument.load(example)
    assert doc.add_instance("New", port=9999) == "qBit-New"
    doc.add_arr("Sonarr-Anime", category="anime")
    with pytest.raises(ConfigError, match=r"\[Sonarr-Anime\] APIKey: missing"):
        doc.validate()
    doc.set(("Sonarr-Anime",), field(schema.ARR_FIELDS, "APIKey"), "k" * 32)
    config = doc.validate()
    assert [i.name for i in config.instances][-1] == "new"
    assert config.arrs[-1].category == "anime" and config.arrs[-1].torrent.stalled_delay == 900
    doc.rename("qBit-seedbox", "qBit-box")
    names = [s.id for s in doc.sections()]
    assert "qBit-box" in names and "qBit-seedbox" not in names
    assert names.index("qBit-box") == names.index("qBit") + 1  # kept its place
    assert doc.validate().instance("box").port == 8081
    doc.set_enabled("qBit-box", False)
    doc.set_enabled("Radarr-Movies", False)
    config = doc.validate()
    assert config.instance("box").disabled and not config.arrs[0].managed
    doc.remove("qBit-cloud")
    assert "cloud" not in [i.name for i in doc.validate().instances]
    doc.save()
    text = example.read_text()
    assert "[qBit-New]" in text and "[Sonarr-Anime.Torrent.SeedingMode]" in text
    assert "# Accept a self-signed certificate" in text  # the renamed table's comment


def test_refuses_clashes_and_bad_names(example: Path) -> None:
    doc = ConfigDocument.load(example)
    with pytest.raises(UserError, match=r"\[qBit-seedbox\] exists already"):
        doc.add_instance("SEEDBOX")
    with pytest.raises(UserError, match="already the instance named 'default'"):
        doc.rename("qBit-cloud", "qBit-Default")
    with pytest.raises(UserError, match="exists already"):
        doc.add_arr("Radarr-Movies")
    with pytest.raises(UserError, match="Radarr-<Name>"):
        doc.add_arr("Plex-Home")
    with pytest.raises(UserError, match="letters, digits"):
        doc.add_instance("my box")
    with pytest.raises(UserError, match="same kind"):
        doc.rename("qBit-seedbox", "Radarr-X")


def test_save_refused_while_invalid(example: Path) -> None:
    before = example.read_text()
    doc = ConfigDocument.load(example)
    category = field(schema.ARR_FIELDS, "Category")
    doc.set(("Sonarr-TV",), category, "radarr")  # valid alone, a clash as a whole
    with pytest.raises(ConfigError, match="already the category of"):
        doc.save()
    assert example.read_text() == before
    assert not (example.parent / "config.toml.bak").exists()


def test_edits_land_in_tables_spelled_in_another_case(tmp_path: Path) -> None:
    """[settings] and [X.torrent] are the loader's Settings and Torrent: the editor must
    write into them, not add a second spelling the loader refuses."""
    path = tmp_path / "config.toml"
    path.write_text(
        '[settings]\nDryRun = true\n[Radarr-A]\nURI = "http://x"\nAPIKey = "k"\n'
        'Category = "c"\n[Radarr-A.torrent]\nstalleddelay = 20\n'
    )
    doc = ConfigDocument.load(path)
    doc.set(("Settings",), field(schema.SETTINGS_FIELDS, "LoopSleepTimer"), 9)
    doc.set(("Radarr-A", "Torrent"), field(schema.TORRENT_FIELDS, "StalledDelay"), 30)
    config = doc.validate()
    assert config.settings.loop_sleep_timer == 9.0
    assert config.arrs[0].torrent.stalled_delay == 1800.0
    assert "[Settings]" not in doc.text() and "[Radarr-A.Torrent]" not in doc.text()


def test_the_web_api_section_is_offered_and_written_on_demand(example: Path) -> None:
    doc = ConfigDocument.load(example)
    webapi = doc.section("WebAPI")
    assert [f.key for f in webapi.fields] == ["Enabled", "Host", "Port", "Token"]
    assert "Notifications" not in [s.id for s in doc.sections()]  # its URLs: edit the file
    doc.set(webapi.path, field(webapi.fields, "Enabled"), True)
    doc.set(webapi.path, field(webapi.fields, "Host"), "0.0.0.0")
    with pytest.raises(ConfigError, match="not a loopback address: set a Token"):
        doc.validate()
    doc.set(
        webapi.path, field(webapi.fields, "Token"), parse_field_text(webapi.fields[3], "tok-1234")
    )
    config = doc.validate()
    assert (config.webapi.enabled, config.webapi.host, config.webapi.token) == (
        True,
        "0.0.0.0",
        "tok-1234",
    )
    assert "[WebAPI]" in doc.text()
