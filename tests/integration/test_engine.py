"""The engine against real qbittorrent-nox instances and Arr stand-ins."""

from __future__ import annotations

import sqlite3

import pytest

from qbitrr_tui.engine import events as ev
from qbitrr_tui.sandbox import content
from qbitrr_tui.sandbox.arr_server import ArrStandIn
from qbitrr_tui.sandbox.qbit import QbitProcess
from tests.support.engine import drain
from tests.support.testbed import SEEDING, Clock, Testbed, arr_spec, sandbox_engine

pytestmark = pytest.mark.integration


def imports(arr: ArrStandIn) -> list[dict[str, object]]:
    return [
        r.body
        for r in arr.requests
        if r.method == "POST" and r.body.get("name") == arr.kind.import_command
    ]


def test_single_qbit_section_imports_once(testbed: Testbed) -> None:
    radarr = testbed.arr("Radarr")
    sample = testbed.seeding("default", "Done.Movie.2020.mkv", category="radarr")
    radarr.add_records("default", sample.info_hash, sample.name, [11])
    with testbed.engine("default", arrs=[radarr]) as engine:
        first = engine.run_cycle()
        assert first.torrents == 1
        assert imports(radarr) == [
            {
                "name": "DownloadedMoviesScan",
                "path": str(sample.content_root),  # single file: folder
                "downloadClientId": sample.info_hash.upper(),
                "importMode": "Auto",
            }
        ]
        tags = testbed.qbits["default"].torrents(torrent_hashes=sample.info_hash)[0]["tags"]
        assert "qBitrr-imported" in tags
        engine.run_cycle()
        engine.run_cycle()
        assert len(imports(radarr)) == 1  # never twice
        events = drain(engine)
        applied = [e for e in events if isinstance(e, ev.ActionEvent) and e.outcome == "applied"]
        assert {e.action.kind.value for e in applied} >= {"import", "add_tags"}
        rows = [e for e in events if isinstance(e, ev.TorrentsUpdated)]
        assert rows[0].full and rows[0].rows[0].key == ("default", sample.info_hash)
    with sqlite3.connect(testbed.database) as conn:
        assert conn.execute(
            "SELECT Hash, QbitInstance, Imported FROM TorrentLibrary"
        ).fetchall() == [(sample.info_hash, "default", 1)]


def test_two_instances_tags_land_on_the_owner(testbed: Testbed) -> None:
    sonarr = testbed.arr("Sonarr")
    default, seedbox = testbed.qbits["default"], testbed.qbits["seedbox"]
    on_default = testbed.seeding(default, "Show.S01E01.mkv", category="sonarr", folder="a")
    on_seedbox = testbed.seeding(seedbox, "Show.S01E02.mkv", category="sonarr", folder="b")
    shared = content.make_sample(testbed.content_dir / "c", "Show.S01E03.mkv", size=20_000)
    for proc in (default, seedbox):
        content.add_seeding(proc, shared, category="sonarr")
        proc.wait_for_torrent(  # checked: no import while qBittorrent is checking
            shared.info_hash, lambda t: t["progress"] == 1 and t["state"] in SEEDING
        )
    with testbed.engine("default", "seedbox", arrs=[sonarr]) as engine:
        engine.run_cycle()
    assert sorted(b["downloadClientId"] for b in imports(sonarr)) == sorted(
        [
            on_default.info_hash.upper(),
            on_seedbox.info_hash.upper(),
            shared.info_hash.upper(),
            shared.info_hash.upper(),
        ]
    )
    default_tags = {t["hash"]: t["tags"] for t in default.torrents()}
    seedbox_tags = {t["hash"]: t["tags"] for t in seedbox.torrents()}
    assert on_seedbox.info_hash not in default_tags
    assert "qBitrr-imported" in default_tags[on_default.info_hash]
    assert "qBitrr-imported" in seedbox_tags[on_seedbox.info_hash]
    assert "qBitrr-imported" in default_tags[shared.info_hash]
    assert "qBitrr-imported" in seedbox_tags[shared.info_hash]
    with sqlite3.connect(testbed.database) as conn:
        rows = conn.execute("SELECT Hash, QbitInstance FROM TorrentLibrary").fetchall()
        assert sorted(rows) == sorted(
            [
                (on_default.info_hash, "default"),
                (on_seedbox.info_hash, "seedbox"),
                (shared.info_hash, "default"),
                (shared.info_hash, "seedbox"),
            ]
        )


def test_killed_instance_does_not_stop_the_others(
    testbed: Testbed, private_instance: QbitProcess
) -> None:
    radarr = testbed.arr("Radarr")
    victim = private_instance
    clock = Clock()
    instances = {**testbed.instances("default"), "victim": victim}
    with sandbox_engine(testbed.tmp_path, instances, arrs=[radarr], clock=clock) as engine:
        engine.run_cycle()
        victim.kill()
        survivor = testbed.seeding("default", "Survivor.mkv", category="radarr")
        cycle = engine.run_cycle()
        assert engine.manager.health("victim").state.value == "down"
        assert [b["downloadClientId"] for b in imports(radarr)] == [survivor.info_hash.upper()]
        assert cycle.requests_per_instance["default"] > 0
        victim.start()
        late = testbed.seeding(victim, "Late.mkv", category="radarr", folder="late")
        clock.offset += 10  # past the back-off
        engine.run_cycle()
        assert engine.manager.health("victim").state.value == "up"
        assert late.info_hash.upper() in [b["downloadClientId"] for b in imports(radarr)]


def test_dry_run_sends_nothing_and_restart_imports_once(testbed: Testbed) -> None:
    radarr = testbed.arr("Radarr")
    seedbox = testbed.qbits["seedbox"]
    sample = testbed.seeding(seedbox, "Planned.Movie.mkv", category="radarr")
    stuck = content.add_magnet(seedbox, "Stuck.Movie", category="radarr")
    radarr.add_records("seedbox", stuck, "Stuck.Movie", [3])
    with testbed.engine(
        "seedbox",
        arrs=[arr_spec(radarr, torrent={"StalledDelay": 0})],
        settings={"DryRun": True, "ConfigVersion": "5.14.6"},  # 0 = no grace, as since 5.14.6
    ) as engine:
        engine.run_cycle()
        engine.run_cycle()
        counts = engine.manager.endpoint_counts()["seedbox"]
        mutating = {
            k: v for k, v in counts.items() if k.startswith("POST") and k != "POST auth/login"
        }
        assert mutating == {}
        assert [r.method for r in radarr.requests if r.method != "GET"] == []
        planned = [e for e in drain(engine) if isinstance(e, ev.ActionEvent)]
        assert {e.outcome for e in planned} == {"planned"}
        assert {(e.hash, e.action.kind.value) for e in planned} == {
            (sample.info_hash, "import"),
            (stuck, "blocklist"),
            (stuck, "delete"),
            (stuck, "search"),
        }
    with sqlite3.connect(testbed.database) as conn:
        logged = conn.execute("SELECT Action, Outcome, DryRun FROM ActionLog").fetchall()
    assert ("import", "planned", 1) in logged and len(logged) == 4  # once, not every cycle
    assert seedbox.torrents(torrent_hashes=stuck)  # still there

    for _ in range(2):  # live now, and once more after a restart: one import in all
        with testbed.engine("seedbox", arrs=[radarr]) as live:
            live.run_cycle()
    assert [b["downloadClientId"] for b in imports(radarr)] == [sample.info_hash.upper()]


def test_unchanged_torrents_are_not_decided_again(
    testbed: Testbed, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between full reads a seeding, imported torrent is the same snapshot: its decision is
    reused; once it changes (here: the user tags it ignored) it is decided again."""
    from qbitrr_tui.engine import decider as decider_module
    from qbitrr_tui.engine import policy

    radarr = testbed.arr("Radarr")
    sample = testbed.seeding("default", "Quiet.Seed.mkv", category="radarr")
    decided: list[str] = []
    real_decide = policy.decide

    def counting(torrent, stored, ctx):  # type: ignore[no-untyped-def]
        decided.append(torrent.hash)
        return real_decide(torrent, stored, ctx)

    monkeypatch.setattr(decider_module, "decide", counting)
    clock = Clock()
    with testbed.engine(
        "default",
        arrs=[radarr],
        settings={"FullRefreshInterval": 60},
        clock=clock,
    ) as engine:
        for _ in range(3):  # import, then tags settle: seeding
            engine.run_cycle()
        assert engine.memory.record(("default", sample.info_hash)).rule == "seeding"
        decided.clear()
        engine.run_cycle()
        engine.run_cycle()
        assert decided == []  # nothing about it changed: no decision recomputed
        testbed.qbits["default"].client().torrents_add_tags(
            tags="qBitrr-ignored", torrent_hashes=sample.info_hash
        )
        clock.offset += 61  # the next full read sees the tag
        engine.run_cycle()
        assert decided == [sample.info_hash]
        assert engine.memory.record(("default", sample.info_hash)).rule == "ignored"
