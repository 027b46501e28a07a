"""A torrent's details and the operator's actions, against real qbittorrent-nox and an Arr
stand-in: what the dashboard's Details screen and action keys rely on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.loop import Engine
from qbitrr_tui.sandbox import content
from qbitrr_tui.sandbox.arr_server import ArrStandIn
from qbitrr_tui.sandbox.configs import sandbox_config
from qbitrr_tui.sandbox.qbit import QbitProcess
from tests.integration.test_engine import seeded, spec
from tests.integration.test_health_rules import engine_for, is_stopped
from tests.support.engine import drain

pytestmark = pytest.mark.integration


def test_details_are_read_for_the_opened_torrent_and_actions_go_through_the_engine(
    qbits: dict[str, QbitProcess],
    arr_factory: Callable[..., ArrStandIn],
    tmp_path: Path,
    content_dir: Path,
) -> None:
    radarr = arr_factory("Radarr")
    proc = qbits["default"]
    sample = seeded(proc, content_dir, "Details.Movie.2021.mkv", "radarr")
    radarr.add_records("default", sample.info_hash, sample.name, [21])
    config = sandbox_config(
        tmp_path / "c.toml",
        {"default": proc},
        arrs=[spec(radarr)],
        data_folder=tmp_path / "data",
    )
    engine = Engine(config, dry_run=True)
    key = ("default", sample.info_hash)
    try:
        engine.run_cycle()
        drain(engine)
        assert engine.handle(ev.RequestDetails(key)) is False
        (details,) = [e for e in drain(engine) if isinstance(e, ev.TorrentDetails)]
        assert details.error == ""
        general = dict(details.general)
        assert general["Hash"] == sample.info_hash and general["Category"] == "radarr"
        assert general["Private"] in ("yes", "no", "unknown")
        assert [f.name for f in details.files] == [sample.name] and details.files[0].kept
        assert details.trackers  # DHT/PeX/LSD at least
        arr = dict(details.arr)
        assert (
            arr["Arr"] == "Radarr-Test" and arr["Title"] == sample.name and arr["Media ids"] == "21"
        )

        # Dry-run: planned, nothing sent.
        engine.handle(ev.ManualAction((key,), ev.ManualKind.PROTECT))
        planned = [e for e in drain(engine) if isinstance(e, ev.ActionEvent)]
        assert [(e.outcome, e.rule) for e in planned] == [("planned", "manual")]
        assert "qBitrr-ignored" not in proc.torrents(torrent_hashes=sample.info_hash)[0]["tags"]

        engine.handle(ev.SetDryRun(False))
        engine.handle(ev.ManualAction((key,), ev.ManualKind.PROTECT))
        applied = [e for e in drain(engine) if isinstance(e, ev.ActionEvent)]
        assert [(e.outcome, e.rule) for e in applied] == [("applied", "manual")]
        assert "qBitrr-ignored" in proc.torrents(torrent_hashes=sample.info_hash)[0]["tags"]
        engine.handle(ev.ManualAction((key,), ev.ManualKind.REANNOUNCE))
        (reannounced,) = [e for e in drain(engine) if isinstance(e, ev.ActionEvent)]
        assert reannounced.outcome == "applied"
    finally:
        engine.close()


def test_a_pause_by_hand_outlasts_auto_pause_resume_and_a_resume_by_hand_clears_it(
    qbits: dict[str, QbitProcess],
    arr_factory: Callable[..., ArrStandIn],
    tmp_path: Path,
    content_dir: Path,
) -> None:
    radarr = arr_factory("Radarr")
    proc = qbits["default"]
    stalled = content.add_stalled(
        proc, content_dir, "Paused.By.Hand.mkv", category="radarr", size=256 * 1024
    )
    proc.wait_for_torrent(stalled.info_hash, lambda t: t["state"] == "stalledDL")
    engine = engine_for(tmp_path, {"default": proc}, radarr, StalledDelay=-1)
    key = ("default", stalled.info_hash)
    try:
        engine.handle(ev.SetDryRun(False))
        engine.run_cycle()
        drain(engine)
        engine.handle(ev.ManualAction((key,), ev.ManualKind.PAUSE))
        info = proc.wait_for_torrent(stalled.info_hash, lambda t: is_stopped(t["state"]))
        assert "qBitrr-manual_paused" in info["tags"]
        engine.run_cycle()
        engine.run_cycle()  # AutoPauseResume would resume an incomplete paused download
        counts = engine.manager.endpoint_counts()["default"]
        assert counts["POST torrents/resume"] == counts["POST torrents/start"] == 0
        assert is_stopped(proc.torrents(torrent_hashes=stalled.info_hash)[0]["state"])
        engine.handle(ev.ManualAction((key,), ev.ManualKind.RESUME))
        info = proc.wait_for_torrent(stalled.info_hash, lambda t: not is_stopped(t["state"]))
        assert "qBitrr-manual_paused" not in info["tags"]
    finally:
        engine.close()
