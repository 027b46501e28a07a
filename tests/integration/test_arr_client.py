"""ArrClient against the Arr stand-in, which drives real sandbox qBittorrent instances."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from qbitrr_tui.arr.client import ArrAuthFailed, ArrClient, ArrError, ArrUnreachable
from qbitrr_tui.health import HealthState
from qbitrr_tui.sandbox import content
from qbitrr_tui.sandbox.arr_resources import map_state
from qbitrr_tui.sandbox.arr_server import ArrStandIn
from qbitrr_tui.sandbox.bulk import Mix, populate
from qbitrr_tui.sandbox.qbit import QbitProcess
from tests.conftest import arr_config

pytestmark = pytest.mark.integration
KINDS = ("Radarr", "Sonarr", "Lidarr")


def wait_command(client: ArrClient, command_id: int, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.command_status(command_id)
        if status.finished:
            return status.result
        time.sleep(0.05)
    raise AssertionError("command did not finish")


@pytest.mark.parametrize("kind", KINDS)
def test_status_import_search_for_each_kind(
    kind: str,
    arr_factory: Callable[..., ArrStandIn],
    qbits: dict[str, QbitProcess],
    content_dir: Path,
) -> None:
    arr = arr_factory(kind)
    client = ArrClient(arr_config(arr))
    status = client.system_status()
    assert status.app_name == kind and client.health.state is HealthState.UP
    assert client.health.version == status.version

    sample = content.make_sample(content_dir, f"{kind}.Release", {"a.mkv": 40_000, "b.flac": 20})
    arr.grab(
        "seedbox",
        title=sample.name,
        info_hash=sample.info_hash,
        torrent_bytes=sample.torrent_bytes,
        media_ids=[42],
        save_path=str(sample.content_root),
    )
    qbits["seedbox"].wait_for_torrent(sample.info_hash, lambda t: t["progress"] == 1)
    groups = client.queue_by_download()
    group = groups[sample.info_hash]
    assert group.media_ids == (42,) and group.title == sample.name
    assert group.items[0].status == "completed"
    assert group.items[0].tracked_state == "importPending"

    command = client.import_download(str(sample.content_path), sample.info_hash, "Copy")
    assert command.name == arr.kind.import_command and not command.finished
    assert wait_command(client, command.id) == "successful"
    assert (arr.library / sample.name / "a.mkv").stat().st_size == 40_000
    assert sample.info_hash not in client.queue_by_download()
    assert arr.history[-1]["eventType"] == "downloadFolderImported"
    posted = next(r.body for r in arr.requests if r.method == "POST")
    assert posted == {
        "name": arr.kind.import_command,
        "path": str(sample.content_path),
        "downloadClientId": sample.info_hash.upper(),
        "importMode": "Copy",
    }

    search = client.search([42, 43])
    assert wait_command(client, search.id) == "successful"
    assert arr.searches[-1] == {"name": arr.kind.search_command, "ids": [42, 43]}
    # The key travelled in the header, never in a URL.
    assert all(r.api_key == arr.api_key and "apikey" not in r.query for r in arr.requests)


def test_wrong_kind_is_named(arr_factory: Callable[..., ArrStandIn]) -> None:
    sonarr = arr_factory("Sonarr")
    config = arr_config(sonarr)
    client = ArrClient(
        type(config)(
            kind="Radarr",
            name="Radarr-Movies",
            uri=config.uri,
            api_key=config.api_key,
            category="radarr",
        )
    )
    with pytest.raises(ArrError, match=r"\[Radarr-Movies\] points at Sonarr .* not Radarr"):
        client.system_status()


def test_queue_paging_past_1000(
    arr_factory: Callable[..., ArrStandIn],
    qbits: dict[str, QbitProcess],
    tmp_path: Path,
) -> None:
    arr = arr_factory("Radarr")
    hashes = populate(qbits["cloud"], tmp_path / "bulk", ["radarr"], Mix(seeding=1203))["radarr"]
    for i, info_hash in enumerate(hashes):
        arr.add_records("cloud", info_hash, f"Movie {i}", [i + 1])
    client = ArrClient(arr_config(arr))
    items = client.queue()
    assert len(items) == 1203 and len({i.id for i in items}) == 1203
    pages = [r.query["page"] for r in arr.requests if r.path == "queue"]
    assert pages == [["1"], ["2"]]
    assert arr.requests[-1].query["pageSize"] == ["1000"]


def test_sonarr_season_pack_is_one_group(
    arr_factory: Callable[..., ArrStandIn],
    qbits: dict[str, QbitProcess],
    content_dir: Path,
) -> None:
    arr = arr_factory("Sonarr")
    magnet_hash = content.add_magnet(qbits["default"], "Show.S01.Pack", category="sonarr")
    # Just added, a magnet can be briefly queued or checking (seen under load): wait until
    # qBittorrent reports it looking for metadata, as the stand-in maps states.
    qbits["default"].wait_for_torrent(
        magnet_hash, lambda info: map_state(str(info["state"]))[1] == "warning"
    )
    ids = arr.add_records("default", magnet_hash, "Show.S01.Pack", [101, 102, 103])
    client = ArrClient(arr_config(arr))
    items = client.queue()
    assert len(items) == 3
    group = client.queue_by_download()[magnet_hash]
    assert group.ids == tuple(ids) and group.media_ids == (101, 102, 103)
    assert group.items[0].tracked_status == "warning"
    assert group.items[0].status_messages == (
        "qBittorrent cannot resolve magnet link with DHT disabled",
    )


def test_delete_with_blocklist_removes_from_client(
    arr_factory: Callable[..., ArrStandIn],
    qbits: dict[str, QbitProcess],
    content_dir: Path,
) -> None:
    arr = arr_factory("Sonarr")
    magnet_hash = content.add_magnet(qbits["seedbox"], "Dead.Pack", category="sonarr")
    ids = arr.add_records("seedbox", magnet_hash, "Dead.Pack", [7, 8])
    client = ArrClient(arr_config(arr))
    assert (
        client.delete_queue_item(
            ids[0], remove_from_client=True, blocklist=True, skip_redownload=True
        )
        is True
    )
    assert arr.blocklist[-1]["episodeIds"] == [7, 8]
    assert arr.searches == []  # skipRedownload: the engine searches itself
    assert qbits["seedbox"].torrents(torrent_hashes=magnet_hash) == []
    assert client.queue() == []
    # Already gone: a 404 is not an error.
    assert client.delete_queue_item(ids[1], remove_from_client=True, blocklist=True) is False
    delete = next(r for r in arr.requests if r.method == "DELETE")
    assert delete.query == {
        "removeFromClient": ["true"],
        "blocklist": ["true"],
        "skipRedownload": ["true"],
    }


def test_wrong_key_is_auth_failed(arr_factory: Callable[..., ArrStandIn]) -> None:
    arr = arr_factory("Lidarr")
    client = ArrClient(arr_config(arr, name="Lidarr-Music", api_key="not-the-key"))
    with pytest.raises(ArrAuthFailed):
        client.queue()
    assert client.health.state is HealthState.AUTH_FAILED
    assert client.health.last_error == ("Lidarr-Music refused the API key (HTTP 401): check APIKey")


def test_down_then_up_again(arr_factory: Callable[..., ArrStandIn]) -> None:
    arr = arr_factory("Radarr")
    slept: list[float] = []
    client = ArrClient(arr_config(arr, name="Radarr-Movies"), sleep=slept.append)
    client.system_status()
    arr.stop()
    with pytest.raises(ArrUnreachable, match="cannot reach Radarr-Movies"):
        client.queue()
    assert client.health.state is HealthState.DOWN
    assert slept == [0.5, 1.5]  # retried with back-off on the transport error
    arr.start()
    assert client.queue() == []
    assert client.health.state is HealthState.UP


@pytest.mark.parametrize("kind", KINDS)
def test_the_blocklist_newest_first_for_each_kind(
    kind: str, arr_factory: Callable[..., ArrStandIn], qbits: dict[str, QbitProcess]
) -> None:
    """What the journal reads back a lost blocklisting from (``/api/v1`` for Lidarr)."""
    arr = arr_factory(kind)
    client = ArrClient(arr_config(arr))
    for n in (1, 2):
        magnet = content.add_magnet(qbits["seedbox"], f"Gone.{kind}.{n}", category=arr.category)
        (record, *_) = arr.add_records("seedbox", magnet, f"Gone.{kind}.{n}", [60 + n])
        client.delete_queue_items(
            [record], remove_from_client=True, blocklist=True, skip_redownload=True
        )
        time.sleep(1.1)  # the entries' dates are to the second: newest first is then plain
    entries = client.blocklist()
    assert [e["sourceTitle"] for e in entries] == [f"Gone.{kind}.2", f"Gone.{kind}.1"]
    media = {"Radarr": "movieId", "Sonarr": "episodeIds", "Lidarr": "albumIds"}[kind]
    assert entries[0][media] in (62, [62])
    (request,) = [r for r in arr.requests if r.path == "blocklist"]
    assert request.query["sortDirection"] == ["descending"]
