"""Deleting with files, safely, against real qbittorrent-nox (issue 20): data another
torrent uses is kept (cross-seeds, on any instance), the recycle bin keeps what was deleted
and gives it back, is purged after its days, and never holds two entries for one removal."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from qbitrr_tui.config import Config
from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.loop import Engine
from qbitrr_tui.engine.recycle_bin import DAY, RecycleBin
from qbitrr_tui.engine.restore import RestoreFailed, restore_command
from qbitrr_tui.sandbox import content
from qbitrr_tui.sandbox.arr_server import ArrStandIn
from qbitrr_tui.sandbox.configs import sandbox_config
from qbitrr_tui.sandbox.proxy import Fault, Proxy
from qbitrr_tui.sandbox.qbit import QbitProcess
from tests.support.engine import drain
from tests.support.testbed import Clock, arr_spec

pytestmark = pytest.mark.integration

SEEDING = ("uploading", "stalledUP", "queuedUP")
FILES = {"movie.mkv": 48 * 1024, "subs/movie.en.srt": 2 * 1024}


def online(proc: QbitProcess, timeout: float = 30.0) -> None:
    """5.x reports "disconnected" for a while after it starts; removals wait for it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = proc.client().sync_maindata()["server_state"]
        if state.get("connection_status") != "disconnected":
            return
        time.sleep(0.5)
    raise AssertionError("qBittorrent stayed disconnected")


def seed(proc: QbitProcess, sample: content.Sample, category: str) -> None:
    content.add_seeding(proc, sample, category=category)
    proc.wait_for_torrent(sample.info_hash, lambda t: t["progress"] == 1 and t["state"] in SEEDING)


def fail(proc: QbitProcess, info_hash: str) -> None:
    """Move it to the failed category: the engine removes it with its files."""
    client = proc.client()
    if "failed" not in client.torrents_categories():
        client.torrents_create_category(name="failed")
    client.torrents_set_category(category="failed", torrent_hashes=info_hash)


def reasons(events: list[ev.Event]) -> list[str]:
    return [
        f"{e.outcome}: {e.reason} {e.error}".rstrip()
        for e in events
        if isinstance(e, ev.ActionEvent) and e.hash
    ]


def test_a_cross_seeded_pair_on_two_instances_keeps_its_data_when_one_is_removed(
    qbits: dict[str, QbitProcess], tmp_path: Path, content_dir: Path
) -> None:
    default, seedbox = qbits["default"], qbits["seedbox"]
    sample = content.make_sample(content_dir, "Shared.Movie.2020", FILES)
    seed(default, sample, "radarr")
    seed(seedbox, sample, "cross-seed")  # not a category the engine manages: still seen
    online(default)
    config = sandbox_config(
        tmp_path / "c.toml",
        {"default": default, "seedbox": seedbox},
        data_folder=tmp_path / "data",
        settings={"RecycleBin": True},
    )
    engine = Engine(config)
    try:
        fail(default, sample.info_hash)
        engine.run_cycle()
        events = drain(engine)
    finally:
        engine.close()

    assert default.torrents(torrent_hashes=sample.info_hash) == []  # the torrent is removed
    assert (sample.content_path / "movie.mkv").stat().st_size == 48 * 1024  # its data is not
    assert seedbox.torrents(torrent_hashes=sample.info_hash)[0]["progress"] == 1
    said = reasons(events)
    assert any(
        r.startswith("applied") and "kept data: shared with Shared.Movie.2020 on seedbox" in r
        for r in said
    ), said
    (entry,) = RecycleBin(tmp_path / "data").entries()  # restorable, its data in place
    assert entry.data == "kept" and entry.held_bytes() == 0 and entry.torrent_file


def test_a_recycled_torrent_is_restored_with_its_data_and_category_then_purged_in_time(
    qbits: dict[str, QbitProcess],
    arr_factory: Callable[..., ArrStandIn],
    tmp_path: Path,
    content_dir: Path,
) -> None:
    proc = qbits["default"]
    radarr = arr_factory("Radarr")
    sample = content.make_sample(content_dir, "Recycled.Movie.2021", FILES)
    seed(proc, sample, "radarr")
    online(proc)
    config = sandbox_config(
        tmp_path / "c.toml",
        {"default": proc},
        arrs=[arr_spec(radarr)],
        data_folder=tmp_path / "data",
        settings={"RecycleBin": True, "RecycleBinMoveData": True, "RecycleBinDays": 2},
    )
    clock = Clock()
    engine = Engine(config, clock=clock)
    recycle = RecycleBin(tmp_path / "data")
    key = ("default", sample.info_hash)
    try:
        engine.run_cycle()
        engine.handle(ev.ManualAction((key,), ev.ManualKind.REMOVE))
        said = reasons(drain(engine))
        assert any("data moved to the recycle bin for 2 days" in r for r in said), said
        assert proc.torrents(torrent_hashes=sample.info_hash) == []
        assert not sample.content_path.exists()  # moved, not deleted:
        (entry,) = recycle.entries()
        assert Path(entry.moved_to, "movie.mkv").stat().st_size == 48 * 1024
        assert (entry.category, entry.content_path) == ("radarr", str(sample.content_path))
        assert entry.torrent_file and recycle.torrent_path(entry).stat().st_size > 0
        engine.run_cycle()
        (shown,) = [e for e in drain(engine) if isinstance(e, ev.RecycleBinChanged)]
        assert [r.hash for r in shown.rows] == [sample.info_hash]
        assert shown.held_bytes == sample.total_size

        # Back through the engine, as the dashboard's bin view asks for it.
        engine.handle(ev.RestoreFromBin(*key))
        (answer,) = [e for e in drain(engine) if isinstance(e, ev.RecycleBinChanged)]
        assert answer.message.startswith("restored Recycled.Movie.2021"), answer.message
        assert answer.rows == () and answer.held_bytes == 0
        back = proc.wait_for_torrent(
            sample.info_hash, lambda t: t["progress"] == 1 and t["state"] in SEEDING
        )
        assert back["category"] == "radarr" and "qBitrr-ignored" in back["tags"]
        assert (sample.content_path / "movie.mkv").stat().st_size == 48 * 1024

        # Removed again; RecycleBinDays later the bin is emptied, data too.
        proc.client().torrents_remove_tags(tags="qBitrr-ignored", torrent_hashes=key[1])
        engine.run_cycle()
        engine.handle(ev.ManualAction((key,), ev.ManualKind.REMOVE))
        (entry,) = recycle.entries()
        clock.offset = 1.9 * DAY
        engine.run_cycle()
        assert recycle.entries() == [entry]  # not yet
        clock.offset = 2.1 * DAY
        engine.run_cycle()
        assert recycle.entries() == []
        assert not Path(entry.moved_to).exists() and not sample.content_path.exists()
        shown = [e for e in drain(engine) if isinstance(e, ev.RecycleBinChanged)][-1]
        assert shown.rows == () and shown.held_bytes == 0
    finally:
        engine.close()


@pytest.fixture
def proxied(qbits: dict[str, QbitProcess]) -> Iterator[Proxy]:
    proc = qbits["default"]
    proxy = Proxy("qbit", f"http://127.0.0.1:{proc.webui_port}").start()
    yield proxy
    proxy.stop()


def bin_config_through(proxied: Proxy, proc: QbitProcess, tmp_path: Path) -> Config:
    """A config whose instance 'default' is reached through the fault proxy, with the
    recycle bin on and moving data."""
    instance = {
        "Host": "127.0.0.1",
        "Port": proxied.port,
        "UserName": proc.username,
        "Password": proc.password,
    }
    return sandbox_config(
        tmp_path / "c.toml",
        {},
        extra_instances={"default": instance},
        data_folder=tmp_path / "data",
        settings={"RecycleBin": True, "RecycleBinMoveData": True},
    )


@pytest.mark.parametrize(
    ("fault", "lost"),
    [
        ("lose_answer", "POST /api/v2/torrents/delete"),  # done; read back as done
        ("drop", "POST /api/v2/torrents/delete"),  # not done: sent again, the entry reused
        ("lose_answer", "GET /api/v2/torrents/export"),  # nothing recorded: tried again
    ],
)
def test_a_lost_answer_on_the_delete_or_the_export_makes_one_bin_entry(
    qbits: dict[str, QbitProcess],
    proxied: Proxy,
    tmp_path: Path,
    content_dir: Path,
    fault: str,
    lost: str,
) -> None:
    proc = qbits["default"]
    sample = content.make_sample(content_dir, "Lost.Answer.2022", FILES)
    seed(proc, sample, "radarr")
    online(proc)

    def engine() -> Engine:
        return Engine(bin_config_through(proxied, proc, tmp_path))

    proxied.inject(Fault(fault, match=lost))  # type: ignore[arg-type]
    fail(proc, sample.info_hash)
    first = engine()
    try:
        first.run_cycle()
        said = reasons(drain(first))
    finally:
        first.close()
    assert any(r.startswith("failed") for r in said), said
    second = engine()  # a restart in between
    try:
        second.run_cycle()
        second.run_cycle()
    finally:
        second.close()

    assert proc.torrents(torrent_hashes=sample.info_hash) == []
    bin_root = tmp_path / "data" / "recycle-bin"
    assert [p.name for p in bin_root.glob("*/*")] == [sample.info_hash]  # one entry
    (entry,) = RecycleBin(tmp_path / "data").entries()
    assert entry.data == "moved" and entry.torrent_file
    assert Path(entry.moved_to, "movie.mkv").stat().st_size == 48 * 1024
    assert proxied.count("GET /api/v2/torrents/export") == (2 if "export" in lost else 1)


def test_without_move_data_the_files_go_and_the_record_stays_and_restore_cli_puts_it_back(
    qbits: dict[str, QbitProcess], tmp_path: Path, content_dir: Path
) -> None:
    proc = qbits["default"]
    sample = content.make_sample(content_dir, "Plain.Bin.2023", FILES)
    seed(proc, sample, "radarr")
    magnet = content.add_magnet(proc, "No.Metadata.2023", category="radarr")
    proc.wait_for_torrent(magnet, lambda t: t["state"] in ("metaDL", "stalledDL"))
    online(proc)
    config = sandbox_config(
        tmp_path / "c.toml",
        {"default": proc},
        data_folder=tmp_path / "data",
        settings={"RecycleBin": True},
    )
    engine = Engine(config)
    try:
        fail(proc, sample.info_hash)
        fail(proc, magnet)
        engine.run_cycle()
        said = reasons(drain(engine))
    finally:
        engine.close()
    assert sum("in the recycle bin for 7 days" in r for r in said) == 2, said
    # deleted by qBittorrent, as asked (in the background: 5.1 answered before it was gone)
    deadline = time.monotonic() + 30
    while sample.content_path.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not sample.content_path.exists()
    recycle = RecycleBin(tmp_path / "data")
    by_hash = {e.hash: e for e in recycle.entries()}
    assert by_hash[sample.info_hash].torrent_file and by_hash[sample.info_hash].data == "deleted"
    no_meta = by_hash[magnet]  # no metadata, no .torrent: its magnet link is kept instead
    assert not no_meta.torrent_file and no_meta.magnet.startswith(f"magnet:?xt=urn:btih:{magnet}")
    assert "kept its magnet link" in no_meta.export_note

    said_back = restore_command(config, sample.info_hash[:10], "", dry_run=False)
    assert said_back.startswith("restored Plain.Bin.2023 to instance 'default'")
    assert "downloads again" in said_back
    (back,) = proc.torrents(torrent_hashes=sample.info_hash)
    assert back["category"] == "failed" and "qBitrr-ignored" in back["tags"]
    assert restore_command(config, magnet, "default", dry_run=False).endswith("alone")
    proc.wait_for_torrent(magnet)
    assert recycle.entries() == []


def test_a_lost_answer_to_the_restore_is_not_added_twice(
    qbits: dict[str, QbitProcess], proxied: Proxy, tmp_path: Path, content_dir: Path
) -> None:
    proc = qbits["default"]
    sample = content.make_sample(content_dir, "Restore.Lost.2024", FILES)
    seed(proc, sample, "radarr")
    online(proc)
    config = bin_config_through(proxied, proc, tmp_path)
    engine = Engine(config)
    try:
        fail(proc, sample.info_hash)
        engine.run_cycle()
    finally:
        engine.close()
    assert proc.torrents(torrent_hashes=sample.info_hash) == []
    proxied.inject(Fault("lose_answer", match="POST /api/v2/torrents/add"))
    with pytest.raises(RestoreFailed, match=r"did not take Restore\.Lost\.2024 back"):
        restore_command(config, sample.info_hash, "", dry_run=False)
    said = restore_command(config, sample.info_hash, "", dry_run=False)
    assert (
        said == "Restore.Lost.2024 is back on instance 'default' already; its bin entry is removed"
    )
    assert proxied.count("POST /api/v2/torrents/add") == 1
    assert RecycleBin(tmp_path / "data").entries() == []
    proc.wait_for_torrent(sample.info_hash, lambda t: t["progress"] == 1)
    assert (sample.content_path / "movie.mkv").stat().st_size == 48 * 1024
