"""The cross-seed check (engine/cross_seed.py): which torrents share a deleted torrent's data."""

from __future__ import annotations

import threading

import pytest

from qbitrr_tui.engine.cross_seed import Holder, PathIndex, shared_with
from qbitrr_tui.qbit.webapi import QbitError

TARGET = Holder("default", "a" * 40, "Movie.2020", "/data/torrents", "/data/torrents/Movie.2020")


def index(*holders: Holder, unread: dict[str, str] | None = None) -> PathIndex:
    return PathIndex([TARGET, *holders], dict(unread or {}))


def no_files(holder: Holder) -> list[str]:
    raise AssertionError(f"files of {holder.name} read, but no candidate needed them")


def test_the_same_content_path_on_another_instance_is_shared_without_reading_files() -> None:
    other = Holder(
        "seedbox", "a" * 40, "Movie.2020", "/data/torrents", "/data/torrents/Movie.2020/"
    )
    assert shared_with(TARGET, index(other), no_files) == (other, "same content path")


def test_neighbours_in_the_same_save_path_are_not_candidates() -> None:
    others = (
        Holder(
            "default",
            "b" * 40,
            "Movie.2020.Extras",
            "/data/torrents",
            "/data/torrents/Movie.2020.Extras",
        ),
        Holder("default", "c" * 40, "Other", "/data/torrents", "/data/torrents/Other"),
    )
    assert shared_with(TARGET, index(*others), no_files) is None


def test_a_torrent_without_a_root_folder_shares_only_when_a_file_is_the_same() -> None:
    # A multi-file torrent added without its root folder: its content path is the save path.
    flat = Holder("seedbox", "d" * 40, "Pack", "/data/torrents", "/data/torrents")
    files = {
        TARGET.hash: ["/data/torrents/Movie.2020/movie.mkv"],
        flat.hash: ["/data/torrents/Other/x.mkv"],
    }
    assert shared_with(TARGET, index(flat), lambda h: files[h.hash]) is None
    files[flat.hash].append("/data/torrents/Movie.2020/movie.mkv")
    assert shared_with(TARGET, index(flat), lambda h: files[h.hash]) == (flat, "shared files")


def test_files_that_cannot_be_read_count_as_shared() -> None:
    flat = Holder("seedbox", "d" * 40, "Pack", "/data/torrents", "/data/torrents")

    def broken(holder: Holder) -> list[str]:
        raise QbitError("instance 'seedbox' timed out")

    found = shared_with(TARGET, index(flat), broken)
    assert found is not None and found[0] == flat and "timed out" in found[1]


@pytest.mark.parametrize("windows", ["D:\\torrents\\Movie.2020", "D:/torrents/Movie.2020/"])
def test_paths_compare_across_slash_styles(windows: str) -> None:
    target = Holder("default", "a" * 40, "M", "D:/torrents", "D:/torrents/Movie.2020")
    other = Holder("seedbox", "e" * 40, "M", "D:\\torrents", windows)
    assert shared_with(target, PathIndex([target, other]), no_files) is not None


def test_torrents_inside_a_flat_torrent_are_read_only_when_its_files_are_under_them() -> None:
    flat = Holder("default", "f" * 40, "Pack", "/data/torrents", "/data/torrents")
    inside = (
        Holder("default", "1" * 40, "Movie.2020", "/data/torrents", "/data/torrents/Movie.2020"),
        Holder("default", "2" * 40, "Other", "/data/torrents", "/data/torrents/Other"),
    )
    read: list[str] = []
    files = {
        flat.hash: ["/data/torrents/Other/a.mkv"],
        inside[1].hash: ["/data/torrents/Other/a.mkv"],
    }

    def reading(holder: Holder) -> list[str]:
        read.append(holder.name)
        return files.get(holder.hash, [])

    found = shared_with(flat, PathIndex([flat, *inside]), reading)
    assert found == (inside[1], "shared files")
    assert read == ["Pack", "Other"]  # Movie.2020 holds none of Pack's files: not read


def test_an_instance_that_hangs_is_unread_and_the_others_are_read() -> None:
    from typing import Any, cast

    from qbitrr_tui.engine.cross_seed import build_index
    from qbitrr_tui.qbit.adapter import InstanceAdapter

    release = threading.Event()

    class Rows:
        def __init__(self, hang: bool) -> None:
            self.hang = hang

        def torrents_info(self, **filters: Any) -> list[dict[str, Any]]:
            if self.hang:
                release.wait(5)
            return [{"hash": "c" * 40, "name": "X", "save_path": "/d", "content_path": "/d/X"}]

    def adapter_of(name: str) -> InstanceAdapter:
        return cast(InstanceAdapter, Rows(hang=name == "hung"))

    try:
        index = build_index(["default", "hung"], adapter_of, None, budget=0.2)
    finally:
        release.set()
    assert [h.instance for h in index.holders] == ["default"]
    assert index.unread == {"hung": "no answer within 0.2s"}
