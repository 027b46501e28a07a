from __future__ import annotations

import json
import logging

import pytest

from qbitrr_tui.config.model import QbitInstanceConfig
from qbitrr_tui.health import Health, HealthState, backoff_delay
from qbitrr_tui.qbit.fetch import MaindataView
from qbitrr_tui.qbit.manager import QbitManager
from qbitrr_tui.qbit.snapshot import normalise_state, snapshot_from_info
from qbitrr_tui.qbit.webapi import base_url
from tests.unit.fake_qbittorrent import DATA, FakeQbit5


@pytest.mark.parametrize(
    ("state", "normal"),
    [
        ("stoppedDL", "pausedDL"),
        ("stoppedUP", "pausedUP"),
        ("pausedDL", "pausedDL"),
        ("stalledDL", "stalledDL"),
        ("metaDL", "metaDL"),
    ],
)
def test_state_normalisation(state: str, normal: str) -> None:
    assert normalise_state(state) == normal


def test_qbittorrent5_payload_normalised() -> None:
    data = json.loads((DATA / "qbittorrent5_maindata.json").read_text())
    view = MaindataView("seedbox")
    view.apply(data)
    snaps = {s.hash[0]: s for s in view.snapshots(frozenset({"radarr"}))}
    assert set(snaps) == {"a", "b"}  # the uncategorised torrent is not managed
    assert snaps["a"].state == "pausedDL" and snaps["a"].is_paused and not snaps["a"].is_complete
    assert snaps["b"].state == "pausedUP" and snaps["b"].is_complete
    assert snaps["b"].tags == frozenset({"qBitrr-imported", "private"})
    assert snaps["b"].key == ("seedbox", "b" * 40)
    server = view.server_state()
    assert (server.connection_status, server.free_space_on_disk) == ("connected", 52428800000)


def test_qbittorrent5_endpoints_through_the_manager() -> None:
    with FakeQbit5() as fake:
        inst = QbitInstanceConfig(
            name="v5", section="qBit-v5", host="127.0.0.1", port=fake.port, password="pw"
        )
        manager = QbitManager([inst])
        try:
            manager.refresh()
            health = manager.health("v5")
            assert (health.state, health.version, health.api_version) == (
                HealthState.UP,
                "v5.0.2",
                "2.11.2",
            )
            fetched = manager.fetch(["radarr"])["v5"]
            assert {s.state for s in fetched.snapshots} == {"pausedDL", "pausedUP"}
            adapter = manager.get_client("v5")
            assert adapter.major_version == 5
            adapter.pause(["a" * 40, "b" * 40])
            adapter.resume(["a" * 40])
        finally:
            manager.close()
        assert fake.paths()[-2:] == ["torrents/stop", "torrents/start"]
        assert fake.requests[-2][2]["hashes"] == ["a" * 40 + "|" + "b" * 40]
        # No version probe before each call: exactly one of each.
        assert fake.paths().count("app/webapiVersion") == 1


def test_maindata_deltas_merge() -> None:
    view = MaindataView("x")
    view.apply(
        {
            "rid": 1,
            "full_update": True,
            "torrents": {
                "h1": {"name": "one", "category": "c", "state": "downloading", "progress": 0.5},
                "h2": {"name": "two", "category": "c", "state": "uploading", "progress": 1},
            },
        }
    )
    first = {s.hash: s for s in view.snapshots(frozenset({"c"}))}
    view.apply({"rid": 2, "torrents": {"h1": {"progress": 0.75}}, "torrents_removed": ["h2"]})
    second = {s.hash: s for s in view.snapshots(frozenset({"c"}))}
    assert view.rid == 2
    assert set(second) == {"h1"}
    assert second["h1"].progress == 0.75 and second["h1"].name == "one"
    assert second["h1"] is not first["h1"]
    view.apply({"rid": 3})
    assert view.snapshots(frozenset({"c"}))[0] is second["h1"]  # unchanged: reused


def test_backoff_doubles_to_five_minutes() -> None:
    assert [backoff_delay(n) for n in range(1, 9)] == [5, 10, 20, 40, 80, 160, 300, 300]
    health = Health(name="a", address="x:1", state=HealthState.UP, since=0)
    down = health.failed(HealthState.DOWN, "boom", now=100)
    assert (down.since, down.next_attempt, down.failures) == (100, 105, 1)
    again = down.failed(HealthState.DOWN, "boom", now=105)
    assert (again.since, again.next_attempt) == (100, 115)
    assert not again.due(114) and again.due(115)


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("localhost", 8080, "http://localhost:8080"),
        ("https://box.example", 443, "https://box.example:443"),
        ("http://10.0.0.2:9999/qbt/", 8080, "http://10.0.0.2:8080/qbt"),
    ],
)
def test_base_url(host: str, port: int, url: str) -> None:
    assert base_url(host, port) == url


def test_snapshot_tolerates_missing_fields() -> None:
    snap = snapshot_from_info("x", {"hash": "ABC"})
    assert snap.hash == "abc" and snap.state == "unknown" and snap.eta == 8640000


def test_an_untested_version_is_warned_about_once(caplog: pytest.LogCaptureFixture) -> None:
    with FakeQbit5(version="v6.0.0", api_version="2.99.0") as fake:
        inst = QbitInstanceConfig(
            name="v6", section="qBit-v6", host="127.0.0.1", port=fake.port, password="pw"
        )
        manager = QbitManager([inst])
        try:
            with caplog.at_level(logging.WARNING, logger="qbitrr_tui"):
                manager.refresh()
                manager.set_enabled("v6", False)
                manager.set_enabled("v6", True)
                manager.refresh()  # connects again: no second warning
            assert manager.health("v6").state is HealthState.UP
        finally:
            manager.close()
    warnings = [r.getMessage() for r in caplog.records if "not been tested" in r.getMessage()]
    assert warnings == [
        "instance 'v6' runs qBittorrent v6.0.0 (Web API 2.99.0), which qbitrr-tui has not been "
        "tested with (tested: 4.5, 5.1 and 5.3); it carries on, but report anything odd"
    ]
