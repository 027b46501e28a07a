"""A torrent's details and the operator's actions, against real qbittorrent-nox and an Arr
stand-in: what the dashboard's Details screen and action keys rely on."""

from __future__ import annotations

import pytest

from qbitrr_tui.engine import events as ev
from qbitrr_tui.sandbox import content
from tests.integration.test_health_rules import engine_for, is_stopped
from tests.support.engine import drain
from tests.support.testbed import Testbed

pytestmark = pytest.mark.integration


def test_details_are_read_for_the_opened_torrent_and_actions_go_through_the_engine(
    testbed: Testbed,
) -> None:
    radarr = testbed.arr("Radarr")
    proc = testbed.qbits["default"]
    sample = testbed.seeding(proc, "Details.Movie.2021.mkv", category="radarr")
    radarr.add_records("default", sample.info_hash, sample.name, [21])
    key = ("default", sample.info_hash)
    with testbed.engine("default", arrs=[radarr], dry_run=True) as engine:
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


def test_a_pause_by_hand_outlasts_auto_pause_resume_and_a_resume_by_hand_clears_it(
    testbed: Testbed,
) -> None:
    radarr = testbed.arr("Radarr")
    proc = testbed.qbits["default"]
    stalled = content.add_stalled(
        proc, testbed.content_dir, "Paused.By.Hand.mkv", category="radarr", size=256 * 1024
    )
    proc.wait_for_torrent(stalled.info_hash, lambda t: t["state"] == "stalledDL")
    key = ("default", stalled.info_hash)
    with engine_for(testbed, radarr, StalledDelay=-1) as engine:
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
