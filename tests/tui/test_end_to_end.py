"""The dashboard over a real engine, real qbittorrent-nox and an Arr stand-in: a download
completes, the engine imports it, and its row says so."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from qbitrr_tui.engine.loop import Engine
from qbitrr_tui.sandbox import content
from qbitrr_tui.sandbox.arr_server import ArrStandIn
from qbitrr_tui.sandbox.configs import ArrSpec, sandbox_config
from qbitrr_tui.sandbox.qbit import QbitProcess
from qbitrr_tui.tui.app import make_app
from qbitrr_tui.tui.widgets.torrent_table import TorrentTable

pytestmark = pytest.mark.integration


async def test_a_completing_download_shows_imported(
    qbits: dict[str, QbitProcess],
    arr_factory: Callable[..., ArrStandIn],
    tmp_path: Path,
    content_dir: Path,
) -> None:
    radarr = arr_factory("Radarr")
    seeder, leecher = qbits["seedbox"], qbits["default"]
    sample = content.make_sample(content_dir, "Completes.Soon.2024.mkv", size=400 * 1024)
    content.add_seeding(seeder, sample)
    seeder.wait_for_torrent(sample.info_hash, lambda t: t["progress"] == 1)
    radarr.grab(
        "default",
        title=sample.name,
        info_hash=sample.info_hash,
        torrent_bytes=sample.torrent_bytes,
        media_ids=[77],
        upload_peer=seeder,
    )
    seeder.client().torrents_set_upload_limit(limit=100 * 1024, torrent_hashes=sample.info_hash)
    config = sandbox_config(
        tmp_path / "c.toml",
        {"default": leecher, "seedbox": seeder},
        arrs=[ArrSpec("Radarr", "Movies", radarr.url, radarr.api_key, "radarr")],
        data_folder=tmp_path / "data",
        # The real default: the completion must be caught by the fast read, by hash.
        settings={"FullRefreshInterval": 60},
    )
    engine = Engine(config)
    app = make_app(config, engine, watch_terminal=False)
    key = ("default", sample.info_hash)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        table = app.query_one(TorrentTable)
        seen_downloading = False
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            await pilot.pause(0.5)
            row = app.model.torrents.get(key)
            if row is not None and row.progress < 1:
                seen_downloading = True
            if row is not None and row.rule == "seeding":
                break
        assert seen_downloading, "the download should have been seen in progress"
        row = app.model.torrents[key]
        assert "qBitrr-imported" in row.tags and row.reason.startswith("imported; seeding")
        assert key in table.keys
        shown = table.get_row(f"default\x1f{sample.info_hash}")
        assert any("imported; seeding" in str(cell.text) for cell in shown)
        assert any(
            e.key == key and e.action.kind.value == "import" and e.outcome == "applied"
            for e in app.model.activity
        )
    assert not engine.running  # leaving the app stopped the engine thread
    assert [
        b["downloadClientId"] for b in (r.body for r in radarr.requests if r.method == "POST")
    ] == [sample.info_hash.upper()]
