"""The merged view's layout: one snapshot per torrent, only the fields snapshots use."""

from __future__ import annotations

import json

from qbitrr_tui.qbit.fetch import MaindataView
from qbitrr_tui.qbit.snapshot import FIELDS, TorrentSnapshot, torrent_fields_only

H = "a" * 40


def full_answer() -> bytes:
    torrent = {
        "name": "One",
        "category": "radarr",
        "tags": "x, y",
        "state": "stoppedUP",
        "progress": 1,
        "magnet_uri": "magnet:?xt=urn:btih:" + H,
        "infohash_v1": H,
        "time_active": 5,
        "save_path": "/data/radarr",
    }
    return json.dumps(
        {
            "rid": 1,
            "full_update": True,
            "torrents": {H: torrent},
            "categories": {"radarr": {"name": "radarr", "savePath": "/data"}},
            "tags": ["x", "y"],
            "server_state": {"connection_status": "connected", "free_space_on_disk": 7},
        }
    ).encode()


def test_a_torrent_keeps_only_snapshot_fields_as_it_is_parsed() -> None:
    data = json.loads(full_answer(), object_pairs_hook=torrent_fields_only)
    assert set(data["torrents"][H]) <= set(FIELDS) | {"hash"}
    assert "magnet_uri" not in data["torrents"][H] and data["torrents"][H]["name"] == "One"
    # Everything else is kept whole: the answer's top level, categories, server_state.
    assert data["tags"] == ["x", "y"] and data["rid"] == 1
    assert data["categories"]["radarr"] == {"name": "radarr", "savePath": "/data"}
    assert data["server_state"]["free_space_on_disk"] == 7


def test_view_holds_snapshots_replaced_only_when_a_kept_field_changes() -> None:
    view = MaindataView("seedbox")
    view.apply(json.loads(full_answer(), object_pairs_hook=torrent_fields_only))
    first = view.torrents[H]
    assert isinstance(first, TorrentSnapshot)
    assert (first.state, first.tags, first.save_path) == (
        "pausedUP",
        frozenset("xy"),
        "/data/radarr",
    )
    view.apply({"rid": 2, "torrents": {H: {"time_active": 6, "uploaded": 1}}})
    view.apply({"rid": 3, "torrents": {H: {"progress": 1, "state": "stoppedUP"}}})
    assert view.torrents[H] is first  # nothing it keeps changed
    view.apply({"rid": 4, "torrents": {H: {"state": "uploading", "upspeed": 10}}})
    second = view.torrents[H]
    assert second is not first and (second.state, second.upspeed, second.name) == (
        "uploading",
        10,
        "One",
    )
    view.apply_rows([{"hash": H.upper(), "state": "uploading", "upspeed": 10}])
    assert view.torrents[H] is second


def test_repeated_values_are_one_object() -> None:
    view = MaindataView("seedbox")
    rows = [
        {"hash": h * 40, "category": "".join(["rad", "arr"]), "tags": "a,b", "state": "uploading"}
        for h in "bc"
    ]
    view.apply_rows(rows)
    one, two = view.torrents["b" * 40], view.torrents["c" * 40]
    assert one.category is two.category and one.tags is two.tags and one.state is two.state
