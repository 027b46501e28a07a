"""The rules that remove, repair or pause, end to end: real qbittorrent-nox, Arr stand-in."""

from __future__ import annotations

import shutil
from contextlib import closing

import pytest

from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.loop import Engine
from qbitrr_tui.qbit.snapshot import PAUSED_STATES, normalise_state
from qbitrr_tui.sandbox import content
from qbitrr_tui.sandbox.arr_server import ArrStandIn
from qbitrr_tui.sandbox.qbit import QbitProcess
from tests.support.engine import drain
from tests.support.testbed import Clock, Testbed, arr_spec


def is_stopped(state: str) -> bool:
    """Paused (4.x) or stopped (5.x), through the product's own normalisation."""
    return normalise_state(state) in PAUSED_STATES


pytestmark = pytest.mark.integration


def engine_for(
    testbed: Testbed,
    arr: ArrStandIn,
    *names: str,
    settings: dict[str, object] | None = None,
    clock: Clock | None = None,
    **torrent: object,
) -> closing[Engine]:
    """The engine over ``names`` (``default`` alone unless named) and ``[Radarr-Movies]``
    for ``arr``, stalled after 2 s."""
    return testbed.engine(
        *(names or ("default",)),
        arrs=[
            arr_spec(
                arr,
                name="Movies",
                torrent={"StalledDelay": "2s", "IgnoreTorrentsYoungerThan": 0, **torrent},
            )
        ],
        settings=settings,
        clock=clock or Clock(),
    )


def junk_download(
    testbed: Testbed,
    name: str,
    files: dict[str, int],
    *,
    upload_limit: int,
) -> content.Sample:
    """``default`` downloads ``files`` from ``cloud`` at about ``upload_limit`` B/s."""
    seeder, leecher = testbed.qbits["cloud"], testbed.qbits["default"]
    sample = content.make_sample(testbed.content_dir, name, files, piece_size=16 * 1024)
    content.add_seeding(seeder, sample, category="radarr")
    seeder.wait_for_torrent(sample.info_hash, lambda t: t["progress"] == 1)
    content.add_downloading(leecher, seeder, sample, category="radarr", upload_limit=upload_limit)
    leecher.wait_for_torrent(sample.info_hash, lambda t: t["state"] == "downloading")
    return sample


def priorities(proc: QbitProcess, sample: content.Sample) -> dict[str, int]:
    return {
        f["name"].split("/", 1)[1]: f["priority"]
        for f in proc.client().torrents_files(torrent_hash=sample.info_hash)
    }


def hashes(proc: QbitProcess) -> set[str]:
    return {t["hash"] for t in proc.torrents()}


def test_stalled_and_magnet_removed_after_grace_on_their_own_instance(testbed: Testbed) -> None:
    radarr = testbed.arr("Radarr")
    default, seedbox = testbed.qbits["default"], testbed.qbits["seedbox"]
    stalled = content.add_stalled(
        default, testbed.content_dir, "Nobody.Seeds.mkv", category="radarr"
    )
    magnet = content.add_magnet(default, "Unresolvable", category="radarr")
    default.wait_for_torrent(stalled.info_hash, lambda t: t["state"] == "stalledDL")
    record_ids = radarr.add_records("default", stalled.info_hash, "Nobody.Seeds", [21])
    record_ids += radarr.add_records("default", magnet, "Unresolvable", [22])
    # The same torrents on the seedbox: one ignored, one in a category we do not manage.
    seedbox.client().torrents_add(
        urls=f"magnet:?xt=urn:btih:{magnet}", category="radarr", tags="qBitrr-ignored"
    )
    content.add_torrent(seedbox, stalled.torrent_bytes, category="personal")
    clock = Clock()
    with engine_for(
        testbed, radarr, "default", "seedbox", clock=clock, StalledDelay="60s"
    ) as engine:
        engine.run_cycle()
        tags = {t["hash"]: t["tags"] for t in default.torrents()}
        assert "qBitrr-allowed_stalled" in tags[stalled.info_hash]  # in its grace
        assert hashes(default) == {stalled.info_hash, magnet}
        clock.offset += 61
        engine.run_cycle()
    assert hashes(default) == set()
    assert hashes(seedbox) == {magnet, stalled.info_hash}  # ignored / unmanaged: untouched
    deletes = [r for r in radarr.requests if r.method == "DELETE"]
    assert [d.path for d in deletes] == ["queue/bulk"]
    assert deletes[0].query["blocklist"] == ["true"]
    assert sorted(deletes[0].body["ids"]) == sorted(record_ids)
    assert len(radarr.blocklist) == 2
    searches = [r.body for r in radarr.requests if r.method == "POST"]
    assert len(searches) == 1 and searches[0]["name"] == "MoviesSearch"  # one batched search
    assert sorted(searches[0]["movieIds"]) == [21, 22]
    seedbox_tags = {t["hash"]: t["tags"] for t in seedbox.torrents()}
    assert seedbox_tags[magnet] == "qBitrr-ignored"  # its tags are never changed


def test_unwanted_files_are_deselected_while_downloading(testbed: Testbed) -> None:
    radarr = testbed.arr("Radarr")
    sample = junk_download(
        testbed,
        "Movie.2021",
        {
            "Movie.2021.mkv": 600_000,
            "Sample/movie-sample.mkv": 50_000,
            "setup.exe": 30_000,
            "Movie.2021.srt": 2_000,
        },
        upload_limit=20 * 1024,
    )
    with engine_for(testbed, radarr, "default") as engine:
        engine.run_cycle()
        engine.run_cycle()
        counts = engine.manager.endpoint_counts()["default"]
    assert priorities(testbed.qbits["default"], sample) == {
        "Movie.2021.mkv": 1,
        "Sample/movie-sample.mkv": 0,
        "setup.exe": 0,
        "Movie.2021.srt": 1,
    }
    assert counts["GET torrents/files"] == 1 and counts["POST torrents/filePrio"] == 1  # once


def test_errored_download_is_rechecked_once(testbed: Testbed) -> None:
    radarr = testbed.arr("Radarr")
    seeder, leecher = testbed.qbits["cloud"], testbed.qbits["default"]
    sample = content.make_sample(testbed.content_dir, "Broken.Movie", {"m.mkv": 300_000})
    content.add_seeding(seeder, sample, category="radarr")
    seeder.wait_for_torrent(sample.info_hash, lambda t: t["progress"] == 1)
    blocker = testbed.tmp_path / "blocker"
    blocker.write_text("a file where a folder should be")
    content.add_torrent(leecher, sample.torrent_bytes, category="radarr", save_path=blocker / "sub")
    content.connect_peer(leecher, seeder, sample.info_hash)
    leecher.wait_for_torrent(sample.info_hash, lambda t: t["state"] == "error", timeout=30)
    with engine_for(testbed, radarr) as engine:
        engine.run_cycle()
        engine.run_cycle()
        reasons = [e.reason for e in drain(engine) if isinstance(e, ev.ActionEvent)]
        rechecks = engine.manager.endpoint_counts()["default"]["POST torrents/recheck"]
    assert rechecks == 1
    assert reasons == ["errored: rechecking"]


def test_content_lost_after_import_is_removed_without_blocklist(testbed: Testbed) -> None:
    radarr = testbed.arr("Radarr")
    default = testbed.qbits["default"]
    sample = testbed.seeding(default, "Imported.Show", category="radarr", files={"e1.mkv": 50_000})
    radarr.add_records("default", sample.info_hash, sample.name, [31])
    with engine_for(testbed, radarr) as engine:
        engine.run_cycle()  # imported
        shutil.rmtree(sample.content_path)
        default.client().torrents_recheck(torrent_hashes=sample.info_hash)
        default.wait_for_torrent(
            sample.info_hash, lambda t: t["progress"] == 0 and t["state"] == "stalledDL"
        )
        engine.run_cycle()
    assert hashes(default) == set()
    assert radarr.blocklist == [] and [r for r in radarr.requests if r.method == "DELETE"] == []


def test_free_space_pauses_and_resumes(testbed: Testbed) -> None:
    radarr = testbed.arr("Radarr")
    default = testbed.qbits["default"]
    stalled = content.add_stalled(
        default, testbed.content_dir, "Big.Download.mkv", category="radarr", size=512 * 1024
    )
    default.wait_for_torrent(stalled.info_hash, lambda t: t["state"] == "stalledDL")
    with engine_for(
        testbed,
        radarr,
        settings={"FreeSpace": "100T", "FreeSpaceFolder": str(testbed.tmp_path)},
        StalledDelay=-1,
    ) as engine:
        engine.run_cycle()
        info = default.wait_for_torrent(stalled.info_hash, lambda t: is_stopped(t["state"]))
        assert "qBitrr-free_space_paused" in info["tags"]
        engine.run_cycle()  # stays paused, and AutoPauseResume does not fight it
        counts = engine.manager.endpoint_counts()["default"]
        assert counts["POST torrents/resume"] == counts["POST torrents/start"] == 0
        text = testbed.config_file.read_text().replace('FreeSpace = "100T"', 'FreeSpace = "-1"')
        assert engine.reload(text)
        engine.run_cycle()
    info = default.wait_for_torrent(stalled.info_hash, lambda t: not is_stopped(t["state"]))
    assert "qBitrr-free_space_paused" not in info["tags"]


def test_deletion_cap_holds_back_a_mass_deletion(testbed: Testbed) -> None:
    radarr = testbed.arr("Radarr")
    default = testbed.qbits["default"]
    stuck = [content.add_magnet(default, f"Mass.{i}", category="radarr") for i in range(3)]
    for i, info_hash in enumerate(stuck):
        radarr.add_records("default", info_hash, f"Mass.{i}", [40 + i])
    with engine_for(
        testbed,
        radarr,
        # ConfigVersion: 0 is "no grace" (without it, 0 reads as qBitrr's old "never")
        settings={"MaxDeletionsPerCycle": 2, "ConfigVersion": "5.14.6"},
        StalledDelay=0,
    ) as engine:
        first = engine.run_cycle()
        assert hashes(default) == set(stuck) and first.held == 9  # 3 torrents × 3 actions
        held = [e for e in drain(engine) if isinstance(e, ev.ActionEvent)]
        assert {e.outcome for e in held} == {"held"}
        assert radarr.blocklist == []
        rows = engine.store.recent_actions()
        assert {r.outcome for r in rows} == {"held"} and len(rows) == 9
        # The dashboard approves two of them: exactly those go.
        engine.handle(ev.ApplyPlanned(keys=(("default", stuck[0]), ("default", stuck[1]))))
        engine.run_cycle()
    assert hashes(default) == {stuck[2]}
    assert len(radarr.blocklist) == 2


def test_dry_run_plans_are_carried_out_once_dry_run_is_off(testbed: Testbed) -> None:
    """A plan made in dry-run must not be remembered as done: turning dry-run off acts."""
    radarr = testbed.arr("Radarr")
    sample = junk_download(
        testbed,
        "Junk.Release",
        {"movie.mkv": 400_000, "setup.exe": 20_000},
        upload_limit=10 * 1024,
    )
    with engine_for(testbed, radarr, settings={"DryRun": True}) as engine:
        engine.run_cycle()
        engine.run_cycle()
        assert engine.manager.endpoint_counts()["default"]["POST torrents/filePrio"] == 0
        engine.handle(ev.SetDryRun(False))
        engine.run_cycle()
        assert engine.manager.endpoint_counts()["default"]["POST torrents/filePrio"] == 1
    assert priorities(testbed.qbits["default"], sample) == {"movie.mkv": 1, "setup.exe": 0}
