"""qbit/fetch.py hands out the same snapshot tuple (and counts) while no torrent of the
instance changed, and what the engine makes of it is kept as long (engine/memo.py)."""

from __future__ import annotations

from typing import Any

import pytest

from qbitrr_tui.engine.memo import SameInput
from qbitrr_tui.qbit import fetch
from qbitrr_tui.qbit.fetch import MaindataView

RADARR = frozenset({"radarr"})


def torrent(category: str = "radarr", **fields: Any) -> dict[str, Any]:
    return {"name": "x", "category": category, "state": "downloading", "progress": 0.5, **fields}


def test_the_same_tuple_while_nothing_changed() -> None:
    view = MaindataView("default")
    view.apply(
        {"rid": 1, "full_update": True, "torrents": {"a" * 40: torrent(), "b" * 40: torrent("tv")}}
    )
    first = view.snapshots(RADARR)
    assert [s.hash for s in first] == ["a" * 40]
    assert view.category_counts() == {"radarr": 1, "tv": 1}
    view.apply({"rid": 2, "torrents": {"a" * 40: {"availability": 1}}, "server_state": {"x": 1}})
    assert view.snapshots(RADARR) is first  # a field no snapshot keeps: nothing changed
    view.apply({"rid": 3, "torrents": {"a" * 40: {"progress": 0.6}}})
    second = view.snapshots(RADARR)
    assert second is not first and second[0].progress == 0.6


def test_a_new_or_removed_torrent_or_a_full_update_is_a_change() -> None:
    view = MaindataView("default")
    view.apply({"rid": 1, "full_update": True, "torrents": {"a" * 40: torrent()}})
    before = view.snapshots(RADARR)
    view.apply({"rid": 2, "torrents": {"c" * 40: torrent()}})
    assert len(view.snapshots(RADARR)) == 2
    view.apply({"rid": 3, "torrents_removed": ["a" * 40]})
    assert [s.hash for s in view.snapshots(RADARR)] == ["c" * 40]
    assert view.category_counts() == {"radarr": 1}
    view.apply_rows([], missing=["c" * 40])
    assert view.snapshots(RADARR) == () and view.category_counts() == {}
    view.apply({"rid": 4, "full_update": True, "torrents": {"a" * 40: torrent()}})
    again = view.snapshots(RADARR)
    assert again == before and again is not before
    view.reset()
    assert view.snapshots(RADARR) == ()


def test_same_input_makes_again_only_for_another_object() -> None:
    made: list[str] = []

    def make() -> int:
        made.append("x")
        return len(made)

    memo: SameInput[int] = SameInput()
    source = ["a"]
    assert memo.get("k", source, make) == 1
    assert memo.get("k", source, make) == 1
    assert memo.get("k", ["a"], make) == 2  # equal, not the same object
    assert memo.get("other", source, make) == 3


def test_the_changes_handed_out_and_when_they_are_not_known(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view = MaindataView("default")
    view.apply({"rid": 1, "full_update": True, "torrents": {"a" * 40: torrent()}})
    first = view.hand_out(RADARR)
    assert first.hashes is None and first.since is None  # the first: look at all
    view.apply({"rid": 2, "torrents": {"b" * 40: torrent("tv"), "a" * 40: {"progress": 0.7}}})
    view.apply({"rid": 3, "torrents_removed": ["b" * 40]})
    second = view.hand_out(RADARR)
    assert second.since == first.version and second.hashes == frozenset({"a" * 40, "b" * 40})
    assert view.hand_out(frozenset({"tv"})).hashes is None  # other categories: look at all
    monkeypatch.setattr(fetch, "JOURNAL_MIN", 0)
    for n in range(3):  # more changes than torrents: the journal is let go
        view.apply({"rid": 4 + n, "torrents": {"a" * 40: {"progress": n / 10}}})
    assert view.hand_out(frozenset({"tv"})).hashes is None
    view.apply({"rid": 9, "full_update": True, "torrents": {"a" * 40: torrent()}})
    assert view.hand_out(frozenset({"tv"})).hashes is None  # a full update: everything
