"""Every action exactly once, under faults: a fault-injecting proxy in front of a real
qbittorrent-nox and the Arr stand-in, and the end state asserted (issue 14, cases 1–3)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.loop import Engine
from qbitrr_tui.sandbox import content
from qbitrr_tui.sandbox.arr_server import ArrStandIn
from qbitrr_tui.sandbox.configs import ArrSpec, sandbox_config
from qbitrr_tui.sandbox.proxy import Fault, Proxy
from qbitrr_tui.sandbox.qbit import QbitProcess
from tests.support.engine import drain

pytestmark = pytest.mark.integration


class Rig:
    """``default`` and a Radarr stand-in, each behind its own proxy; engines made on demand."""

    def __init__(self, tmp_path: Path, qbit: QbitProcess, radarr: ArrStandIn) -> None:
        self.tmp_path, self.qbit, self.radarr = tmp_path, qbit, radarr
        self.qbit_proxy = Proxy("qbit", f"http://127.0.0.1:{qbit.webui_port}").start()
        self.arr_proxy = Proxy("radarr", radarr.url).start()

    def online(self, timeout: float = 30.0) -> None:
        """Wait until qBittorrent no longer reports "disconnected" (5.x does for a while
        after it starts): the removal rules wait for the network, rightly."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.qbit.client().sync_maindata()["server_state"]
            if state.get("connection_status") != "disconnected":
                return
            time.sleep(0.5)
        raise AssertionError("qBittorrent stayed disconnected")

    def close(self) -> None:
        self.qbit_proxy.stop()
        self.arr_proxy.stop()

    def engine(self, settings: Mapping[str, object] | None = None) -> Engine:
        spec = ArrSpec(
            "Radarr",
            "Movies",
            self.arr_proxy.url,
            self.radarr.api_key,
            self.radarr.category,
            # "1s", not 0: a file without ConfigVersion reads 0 as "never remove" (qBitrr's rule)
            torrent={"StalledDelay": "1s", "IgnoreTorrentsYoungerThan": 0, "ReSearchStalled": True},
        )
        instance = {
            "Host": "127.0.0.1",
            "Port": self.qbit_proxy.port,
            "UserName": self.qbit.username,
            "Password": self.qbit.password,
        }
        config = sandbox_config(
            self.tmp_path / "c.toml",
            {},
            extra_instances={"default": instance},
            arrs=[spec],
            settings=settings,
            data_folder=self.tmp_path / "data",
        )
        return Engine(config)

    def cycles(self, count: int, *, restart_after: int | None = None) -> list[ev.Event]:
        """``count`` cycles, on a new engine after cycle ``restart_after``."""
        events: list[ev.Event] = []
        engine = self.engine()
        try:
            for n in range(1, count + 1):
                engine.run_cycle()
                events += drain(engine)
                if n == restart_after:
                    engine.close()
                    engine = self.engine()
        finally:
            engine.close()
        return events

    def journal(self) -> list[tuple[str, str]]:
        with sqlite3.connect(self.tmp_path / "data" / "qbitrr.db") as conn:
            return conn.execute("SELECT Kind, State FROM ActionJournal ORDER BY Id").fetchall()


@pytest.fixture
def rig(
    qbits: dict[str, QbitProcess], arr_factory: Callable[..., ArrStandIn], tmp_path: Path
) -> Iterator[Rig]:
    made = Rig(tmp_path, qbits["default"], arr_factory("Radarr"))
    yield made
    made.close()


def stalled_magnet(rig: Rig, name: str) -> str:
    added = time.time()
    magnet = content.add_magnet(rig.qbit, name, category="radarr")
    rig.qbit.wait_for_torrent(magnet, lambda t: t["state"] in ("metaDL", "stalledDL"))
    rig.online()
    time.sleep(max(0.0, added + 2.0 - time.time()))  # stalled longer than StalledDelay
    rig.radarr.add_records("default", magnet, name, [31])
    return magnet


def read_back(events: list[ev.Event]) -> list[str]:
    return [
        e.action.kind.value
        for e in events
        if isinstance(e, ev.ActionEvent) and "confirmed by reading back" in e.reason
    ]


def outcomes(events: list[ev.Event]) -> list[tuple[str, str]]:
    return [(e.action.kind.value, e.outcome) for e in events if isinstance(e, ev.ActionEvent)]


def test_lost_delete_is_finished_later_without_blocklisting_twice(rig: Rig) -> None:
    """Case 1: blocklisted, then the torrents/delete never reached qBittorrent."""
    magnet = stalled_magnet(rig, "Nobody.Seeds.1")
    rig.qbit_proxy.inject(Fault("drop", match="POST /api/v2/torrents/delete"))
    rig.cycles(1)
    assert rig.qbit.torrents(torrent_hashes=magnet)  # the delete was lost
    assert len(rig.radarr.blocklist) == 1
    assert rig.radarr.records == {}  # so no decision would remove it any more

    events = rig.cycles(2, restart_after=1)  # and the engine restarts in between

    assert rig.qbit.torrents(torrent_hashes=magnet) == []
    assert rig.qbit_proxy.count("POST /api/v2/torrents/delete") == 1  # it reached it once
    assert len(rig.radarr.blocklist) == 1
    assert [r.path for r in rig.radarr.requests if r.method == "DELETE"] == ["queue/bulk"]
    assert outcomes(events) == [("delete", "applied")]  # read back as still there: sent again
    assert {state for _, state in rig.journal()} == {"confirmed"}


def test_lost_blocklist_answer_is_read_back_then_the_torrent_deleted(rig: Rig) -> None:
    """Case 2: the Arr blocklisted, but every answer to DELETE /queue/bulk was lost."""
    magnet = stalled_magnet(rig, "Nobody.Seeds.2")
    rig.arr_proxy.inject(Fault("lose_answer", match="DELETE /api/v3/queue/bulk", times=3))
    events = rig.cycles(1)
    assert rig.qbit.torrents(torrent_hashes=magnet)  # never delete without blocklisting
    (failed,) = [e for e in events if isinstance(e, ev.ActionEvent)]
    assert failed.outcome == "failed" and "journal" in failed.error  # as the Activity shows it
    assert sorted(rig.journal()) == [
        ("blocklist", "failed"),
        ("delete", "pending"),
        ("search", "pending"),
    ]

    events = rig.cycles(2)

    assert rig.qbit.torrents(torrent_hashes=magnet) == []
    assert len(rig.radarr.blocklist) == 1
    assert rig.qbit_proxy.count("POST /api/v2/torrents/delete") == 1
    assert read_back(events) == ["blocklist"]
    assert len(rig.radarr.searches) == 1  # searched again once, after the blocklisting
    assert {state for _, state in rig.journal()} == {"confirmed"}


def test_lost_import_answer_is_not_sent_again_even_after_a_restart(
    rig: Rig, content_dir: Path
) -> None:
    """Case 3: the Arr received DownloadedMoviesScan; its answer was lost."""
    sample = content.make_sample(content_dir, "Done.Movie.2021.mkv", size=32 * 1024)
    content.add_seeding(rig.qbit, sample, category="radarr")
    rig.qbit.wait_for_torrent(
        sample.info_hash, lambda t: t["state"] in ("uploading", "stalledUP", "queuedUP")
    )
    rig.radarr.add_records("default", sample.info_hash, sample.name, [41])
    rig.arr_proxy.inject(Fault("lose_answer", match="POST /api/v3/command"))

    events = rig.cycles(3, restart_after=1)

    scans = [
        c
        for c in rig.radarr.commands.values()
        if c.name == "DownloadedMoviesScan"
        and c.body.get("downloadClientId") == sample.info_hash.upper()
    ]
    assert len(scans) == 1
    assert read_back(events) == ["import"]
    (torrent,) = rig.qbit.torrents(torrent_hashes=sample.info_hash)
    assert "qBitrr-imported" in torrent["tags"]
    assert rig.journal() == [("import", "confirmed")]


def test_a_hung_arr_holds_up_only_itself_and_nothing_is_removed_on_its_stale_queue(
    rig: Rig,
) -> None:
    """Case 5: an Arr that accepts and never answers (its queue read hangs)."""
    magnet = stalled_magnet(rig, "Nobody.Seeds.5")
    engine = rig.engine()
    engine.arrs.read_budget = 1.0
    rig.arr_proxy.inject(Fault("hang", match="GET /api/v3/queue"))
    try:
        slow = [engine.run_cycle(), engine.run_cycle()]  # the second: read still running
        assert rig.qbit.torrents(torrent_hashes=magnet)  # stale queue: nothing destructive
        reason = engine.memory.record(("default", magnet)).reason
        assert "Radarr-Movies's queue not read yet" in reason  # the decision says why
        rig.arr_proxy.release()
        deadline = time.monotonic() + 20  # the hung read ends (reset, retried): live again
        while rig.qbit.torrents(torrent_hashes=magnet) and time.monotonic() < deadline:
            engine.run_cycle()
            time.sleep(0.3)
    finally:
        rig.arr_proxy.release()
        engine.close()
    assert [f.torrents for f in slow] == [1, 1]  # qBittorrent was read all along
    assert max(f.duration for f in slow) < 3.0  # not the Arr's 30 s read timeout
    assert rig.qbit.torrents(torrent_hashes=magnet) == []
    assert len(rig.radarr.blocklist) == 1


def test_a_hung_instance_holds_up_only_itself(
    qbits: dict[str, QbitProcess], arr_factory: Callable[..., ArrStandIn], tmp_path: Path
) -> None:
    """Case 4: one of two instances accepts and never answers (as when SIGSTOPped)."""
    radarr = arr_factory("Radarr")
    proxies = {
        name: Proxy(name, f"http://127.0.0.1:{qbits[name].webui_port}").start()
        for name in ("default", "seedbox")
    }
    content.add_magnet(qbits["default"], "Healthy.One", category="radarr")
    instances = {
        name: {
            "Host": "127.0.0.1",
            "Port": proxy.port,
            "UserName": qbits[name].username,
            "Password": qbits[name].password,
        }
        for name, proxy in proxies.items()
    }
    config = sandbox_config(
        tmp_path / "c.toml",
        {},
        extra_instances=instances,
        arrs=[ArrSpec("Radarr", "Movies", radarr.url, radarr.api_key, radarr.category)],
        data_folder=tmp_path / "data",
    )
    engine = Engine(config)
    engine.manager.read_budget = 1.0  # type: ignore[attr-defined]  # 5 s by default
    try:
        engine.run_cycle()  # both connected and read
        proxies["seedbox"].inject(Fault("hang", match="", times=-1))
        hung = [engine.run_cycle() for _ in range(3)]
        read = [{n for n, c in e.requests_per_instance.items() if c} for e in hung]
    finally:
        for proxy in proxies.values():
            proxy.release()
            proxy.stop()
        engine.close()
    assert max(f.duration for f in hung) < 3.0  # not the 15-20 s of a read timeout
    assert [f.torrents for f in hung] == [1, 1, 1]  # the healthy instance, every cycle
    assert all("default" in who for who in read)
