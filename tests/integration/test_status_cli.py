from __future__ import annotations

import json
from pathlib import Path

import pytest

from qbitrr_tui.cli import main
from qbitrr_tui.sandbox import content, versions
from qbitrr_tui.sandbox.configs import sandbox_config_text
from qbitrr_tui.sandbox.qbit import QbitProcess, free_port

pytestmark = pytest.mark.integration


def test_status_reports_arrs(
    qbits: dict[str, QbitProcess],
    tmp_path: Path,
    arr_factory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    radarr = arr_factory("Radarr")
    sonarr = arr_factory("Sonarr")
    content.add_magnet(qbits["default"], "Queued.Movie", category="radarr")
    radarr.add_records("default", qbits["default"].torrents()[0]["hash"], "Queued.Movie", [1])
    text = sandbox_config_text({"default": qbits["default"]})
    text += f'[Radarr-Movies]\nURI = "{radarr.url}"\nAPIKey = "{radarr.api_key}"\n'
    text += 'Category = "radarr"\n'
    text += f'[Sonarr-TV]\nURI = "{sonarr.url}"\nAPIKey = "wrong-key-123"\nCategory = "sonarr"\n'
    path = tmp_path / "config.toml"
    path.write_text(text)
    assert main(["status", "--json", "--config", str(path)]) == 1  # Sonarr refuses the key
    arrs = {a["name"]: a for a in json.loads(capsys.readouterr().out)["arrs"]}
    assert arrs["Radarr-Movies"]["state"] == "up" and arrs["Radarr-Movies"]["queue"] == 1
    assert arrs["Sonarr-TV"]["state"] == "auth_failed"
    assert "wrong-key-123" not in json.dumps(arrs)
    assert main(["status", "--config", str(path)]) == 1
    table = capsys.readouterr().out
    assert "Sonarr-TV" in table and "auth_failed" in table and "check APIKey" in table


def test_status_json_reports_each_instance(
    qbits: dict[str, QbitProcess],
    tmp_path: Path,
    content_dir: Path,
    capsys: pytest.CaptureFixture[str],
    qbittorrent_release: versions.Binary,
) -> None:
    content.add_seeding(
        qbits["seedbox"], content.make_sample(content_dir, "A.mkv"), category="radarr"
    )
    content.add_seeding(
        qbits["seedbox"], content.make_sample(content_dir, "B.mkv"), category="elsewhere"
    )
    text = sandbox_config_text(
        {"default": qbits["default"], "seedbox": qbits["seedbox"]},
        extra_instances={
            "gone": {"Host": "127.0.0.1", "Port": free_port()},
            "off": {"Host": "127.0.0.1", "Port": 9, "Disabled": True},
        },
    )
    text += '\n[Radarr-Movies]\nURI = "http://127.0.0.1:9"\nAPIKey = "k"\nCategory = "radarr"\n'
    text += "Managed = false\n"
    path = tmp_path / "config.toml"
    path.write_text(text)

    assert main(["status", "--json", "--config", str(path)]) == 1  # 'gone' is down
    report = json.loads(capsys.readouterr().out)
    inst = report["instances"]
    assert list(inst) == ["default", "seedbox", "gone", "off"]
    assert inst["default"]["alive"] is True and inst["default"]["state"] == "up"
    assert inst["default"]["version"] == f"v{qbittorrent_release.version}"
    assert inst["default"]["api_version"].count(".") >= 1  # e.g. 2.8.19, 2.16.2
    assert inst["seedbox"]["torrents"] == 0  # "radarr" is not managed here (Managed = false)
    assert inst["gone"] == {**inst["gone"], "alive": False, "state": "down", "torrents": None}
    assert "cannot reach instance 'gone'" in inst["gone"]["error"]
    assert inst["off"]["state"] == "disabled" and inst["off"]["error"] is None

    # Only the healthy ones: exit 0, and the table names every instance.
    path.write_text(sandbox_config_text({"default": qbits["default"]}))
    assert main(["status", "--config", str(path)]) == 0
    table = capsys.readouterr().out
    assert "INSTANCE" in table and "default" in table and " up " in table
