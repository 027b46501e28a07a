"""QbitManager against real qbittorrent-nox instances."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from qbitrr_tui.config.model import QbitInstanceConfig
from qbitrr_tui.health import Health, HealthState
from qbitrr_tui.qbit import read_strategy as reads
from qbitrr_tui.qbit.fetch import unsettled
from qbitrr_tui.qbit.manager import QbitManager
from qbitrr_tui.qbit.snapshot import snapshot_from_info
from qbitrr_tui.sandbox import content, versions
from qbitrr_tui.sandbox.qbit import QbitProcess

pytestmark = pytest.mark.integration


def cfg(name: str, proc: QbitProcess, **overrides: object) -> QbitInstanceConfig:
    values: dict[str, object] = {
        "host": "127.0.0.1",
        "port": proc.webui_port,
        "username": proc.username,
        "password": proc.password,
    }
    values.update(overrides)
    return QbitInstanceConfig(name=name, section=f"qBit-{name}", **values)  # type: ignore[arg-type]


def test_three_instances_fetched_and_attributed(
    qbits: dict[str, QbitProcess], content_dir: Path, qbittorrent_release: versions.Binary
) -> None:
    shared = content.make_sample(content_dir, "Cross.Seeded.2021.mkv")
    expected: dict[str, set[str]] = {}
    for name, proc in qbits.items():
        own = content.make_sample(content_dir / name, f"Only.On.{name}.mkv")
        content.add_seeding(proc, own, category="radarr")
        content.add_seeding(proc, shared, category="radarr")
        content.add_seeding(
            proc, content.make_sample(content_dir / name, "Unmanaged.mkv"), category="personal"
        )
        expected[name] = {own.info_hash, shared.info_hash}
    manager = QbitManager([cfg(n, p) for n, p in qbits.items()])
    try:
        healths = manager.refresh()
        assert [h.state for h in healths] == [HealthState.UP] * 3
        assert {h.version for h in healths} == {f"v{qbittorrent_release.version}"}
        fetched = manager.fetch(["radarr"])
        assert list(fetched) == ["default", "seedbox", "cloud"]  # config order
        for name, result in fetched.items():
            assert result.ok
            assert {s.hash for s in result.snapshots} == expected[name]
            assert {s.instance for s in result.snapshots} == {name}
            assert result.category_counts["personal"] == 1  # seen, not managed
        keys = [s.key for r in fetched.values() for s in r.snapshots if s.hash == shared.info_hash]
        assert sorted(keys) == sorted((n, shared.info_hash) for n in qbits)
        # A second fetch is a delta: same answer, built from the merged view.
        again = manager.fetch(["radarr"])
        assert {s.hash for s in again["seedbox"].snapshots} == expected["seedbox"]
        assert manager.get_healthy_instances() == ["default", "seedbox", "cloud"]
    finally:
        manager.close()


def test_killed_instance_goes_down_and_comes_back(
    qbits: dict[str, QbitProcess], private_instance: QbitProcess, content_dir: Path
) -> None:
    changes: list[Health] = []
    victim = private_instance
    sample = content.make_sample(content_dir, "Survivor.mkv")
    content.add_seeding(qbits["default"], sample, category="sonarr")
    clock = [1000.0]
    manager = QbitManager(
        [cfg("default", qbits["default"]), cfg("victim", victim)],
        categories={"sonarr": ""},
        on_health=changes.append,
        clock=lambda: clock[0],
    )
    try:
        manager.refresh()
        assert manager.get_healthy_instances() == ["default", "victim"]
        assert "sonarr" in victim.client().torrents_categories()  # ensured on connect
        victim.kill()
        fetched = manager.fetch(["sonarr"])
        assert manager.health("victim").state is HealthState.DOWN
        assert "cannot reach instance 'victim'" in (manager.health("victim").last_error or "")
        assert fetched["default"].ok and [s.hash for s in fetched["default"].snapshots] == [
            sample.info_hash
        ]
        # Back-off: not retried before 5 s have passed.
        assert manager.health("victim").next_attempt == 1005.0
        victim.start()
        victim.client().torrents_remove_categories(categories="sonarr")
        manager.refresh()
        assert manager.health("victim").state is HealthState.DOWN  # still backing off
        clock[0] += 5
        manager.refresh()
        assert manager.health("victim").state is HealthState.UP
        assert "sonarr" in victim.client().torrents_categories()  # re-ensured
        assert manager.fetch(["sonarr"])["victim"].ok
        states = [(h.name, h.state) for h in changes if h.name == "victim"]
        assert states == [
            ("victim", HealthState.CONNECTING),
            ("victim", HealthState.UP),
            ("victim", HealthState.DOWN),
            ("victim", HealthState.UP),
        ]
    finally:
        manager.close()


def test_restarted_instance_is_logged_into_again(private_instance: QbitProcess) -> None:
    manager = QbitManager([cfg("p", private_instance)])
    try:
        manager.refresh()
        assert manager.fetch(["radarr"])["p"].ok
        private_instance.restart()  # its sessions are gone: the next call gets a 403
        result = manager.fetch(["radarr"])["p"]
        assert result.ok and manager.health("p").state is HealthState.UP
    finally:
        manager.close()


def test_wrong_password_is_auth_failed(qbits: dict[str, QbitProcess]) -> None:
    manager = QbitManager([cfg("seedbox", qbits["seedbox"], password="wrong-password")])
    try:
        manager.refresh()
        health = manager.health("seedbox")
        assert health.state is HealthState.AUTH_FAILED
        assert health.last_error == (
            "login refused for instance 'seedbox': check UserName/Password"
        )
        assert manager.fetch(["radarr"])["seedbox"].error == "instance is auth_failed"
    finally:
        manager.close()


def test_disabled_instance_is_never_contacted() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    accepted: list[object] = []
    stop = threading.Event()

    def accept_loop() -> None:
        while not stop.is_set():
            try:
                accepted.append(listener.accept())
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept_loop)
    thread.start()
    off = QbitInstanceConfig(
        name="off", section="qBit-off", host="127.0.0.1", port=port, disabled=True
    )
    manager = QbitManager([off])
    try:
        manager.refresh()
        manager.fetch(["radarr"])
        manager.ensure_categories(["radarr"])
        assert manager.health("off").state is HealthState.DISABLED
        # Enabling it makes the manager try; disabling it again stops that.
        manager.set_enabled("off", True)
        assert manager.health("off").state is HealthState.CONNECTING
        manager.set_enabled("off", False)
        manager.refresh()
    finally:
        manager.close()
        stop.set()
        thread.join()
        listener.close()
    assert accepted == []


def test_set_enabled_at_runtime(qbits: dict[str, QbitProcess]) -> None:
    manager = QbitManager([cfg("cloud", qbits["cloud"])])
    try:
        manager.refresh()
        assert manager.set_enabled("cloud", False).state is HealthState.DISABLED
        assert manager.fetch(["x"])["cloud"].error == "instance is disabled"
        manager.set_enabled("cloud", True)
        manager.refresh()
        assert manager.health("cloud").state is HealthState.UP
        with pytest.raises(KeyError, match="no instance named 'nope'"):
            manager.set_enabled("nope", True)
    finally:
        manager.close()


def test_reads_between_full_reads(qbits: dict[str, QbitProcess], content_dir: Path) -> None:
    """Between full reads a torrent added already complete is seen on the very next read,
    whichever read the instance's version gets (qbit/read_strategy.py); torrents the engine changed
    are read again; a full read comes once a minute."""
    proc = qbits["seedbox"]
    seeding = content.make_sample(content_dir, "Complete.mkv")
    content.add_seeding(proc, seeding, category="radarr")
    # Settled, not only complete: one still being checked stays watched by the fast read.
    proc.wait_for_torrent(
        seeding.info_hash,
        lambda t: t["progress"] == 1 and not unsettled(snapshot_from_info("default", dict(t))),
    )
    clock = [5000.0]
    manager = QbitManager([cfg("seedbox", proc)], clock=lambda: clock[0], full_refresh_every=60)
    try:
        manager.refresh()
        delta = reads.strategy(manager.get_client("seedbox")) == reads.DELTA

        def fetch() -> dict[str, object]:
            clock[0] += 5
            return {s.hash: s for s in manager.fetch(["radarr"])["seedbox"].snapshots}

        def counts(endpoint: str) -> int:
            return manager.endpoint_counts()["seedbox"][f"GET {endpoint}"]

        assert set(fetch()) == {seeding.info_hash}  # first read: full
        assert set(fetch()) == {seeding.info_hash}  # nothing new
        if delta:  # every read is a maindata delta
            assert counts("sync/maindata") == 2 and counts("torrents/info") == 0
        else:  # a fast read: live speeds, and no torrent (none is incomplete; the list of
            # every incomplete one is LIST_EVERY seconds away)
            assert counts("sync/maindata") == 1 and counts("torrents/info") == 0
            assert counts("transfer/info") == 1
        server = manager.fetch(["radarr"])["seedbox"].server
        assert server.connection_status != "unknown" and server.free_space_on_disk > 0

        magnet = content.add_magnet(proc, "Incomplete", category="radarr")
        late = content.make_sample(content_dir / "late", "Added.Complete.mkv")
        content.add_seeding(proc, late, category="radarr")
        proc.wait_for_torrent(late.info_hash, lambda t: t["progress"] == 1)
        # Added already complete: seen now, not at the next full read a minute away.
        assert set(fetch()) == {seeding.info_hash, magnet, late.info_hash}

        proc.client().torrents_add_tags(tags="mine", torrent_hashes=seeding.info_hash)
        manager.mark_dirty("seedbox", [seeding.info_hash])
        assert "mine" in fetch()[seeding.info_hash].tags  # changed by "the engine": re-read

        full_reads = counts("sync/maindata")
        clock[0] += 60
        assert set(fetch()) == {seeding.info_hash, magnet, late.info_hash}  # the full read
        assert counts("sync/maindata") == full_reads + 1
    finally:
        manager.close()
