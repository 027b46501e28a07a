"""The row publisher when the read says what changed (qbit/fetch.py ``hand_out``): only
those torrents, and those whose shown decision changed, are looked at."""

from __future__ import annotations

from typing import Any

import pytest

from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine import publish
from qbitrr_tui.engine.memory import TorrentMemory
from qbitrr_tui.engine.publish import RowPublisher
from qbitrr_tui.qbit.fetch import MaindataView
from qbitrr_tui.qbit.reads import InstanceFetch
from qbitrr_tui.qbit.snapshot import TorrentSnapshot

MANAGED = frozenset({"radarr", "sonarr"})
A, B, C = "a" * 40, "b" * 40, "c" * 40


def torrent(category: str = "radarr", **fields: Any) -> dict[str, Any]:
    return {"name": "x", "category": category, "state": "downloading", "progress": 0.5, **fields}


def read(view: MaindataView, data: dict[str, Any] | None = None) -> dict[str, InstanceFetch]:
    """One cycle's read of the instance, as qbit/reads.py hands it out."""
    if data is not None:
        view.apply(data)
    fetch = InstanceFetch("default", view.snapshots(MANAGED), changes=view.hand_out(MANAGED))
    return {"default": fetch}


def rows_of(events: list[ev.Event]) -> tuple[list[str], tuple[str, ...]]:
    updates = [e for e in events if isinstance(e, ev.TorrentsUpdated)]
    if not updates:
        return [], ()
    (update,) = updates
    return [r.hash for r in update.rows], update.removed


@pytest.fixture
def looked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The torrents whose row the publisher looked at."""
    seen: list[str] = []
    real = RowPublisher._row

    def counting(self: RowPublisher, t: TorrentSnapshot, old: Any) -> Any:
        seen.append(t.hash)
        return real(self, t, old)

    monkeypatch.setattr(publish.RowPublisher, "_row", counting)
    return seen


def test_only_what_changed_is_looked_at(looked: list[str]) -> None:
    view, memory = MaindataView("default"), TorrentMemory()
    publisher = RowPublisher(memory)
    full = {A: torrent(), B: torrent("sonarr"), C: torrent("other")}
    assert rows_of(
        publisher.publish(read(view, {"rid": 1, "full_update": True, "torrents": full}), {})
    )[0] == [A, B]
    looked.clear()
    assert rows_of(publisher.publish(read(view, {"rid": 2}), {})) == ([], ())
    assert looked == []  # nothing changed: nothing looked at
    events = publisher.publish(read(view, {"rid": 3, "torrents": {B: {"progress": 0.7}}}), {})
    assert rows_of(events) == ([B], ()) and looked == [B]
    looked.clear()
    memory.show(("default", A), "stalled", "removal in 4m", 1000.0)  # the decider moved on
    (row,) = [
        r
        for e in publisher.publish(read(view), {})
        if isinstance(e, ev.TorrentsUpdated)
        for r in e.rows
    ]
    assert (row.hash, row.reason, row.deadline) == (A, "removal in 4m", 1000.0) and looked == [A]


def test_a_torrent_that_left_or_moved_out_is_removed_and_one_in_is_added() -> None:
    view = MaindataView("default")
    publisher = RowPublisher(TorrentMemory())
    publisher.publish(
        read(view, {"rid": 1, "full_update": True, "torrents": {A: torrent(), B: torrent()}}), {}
    )
    events = publisher.publish(read(view, {"rid": 2, "torrents_removed": [A]}), {})
    assert rows_of(events) == ([], (A,))
    events = publisher.publish(read(view, {"rid": 3, "torrents": {B: {"category": "other"}}}), {})
    assert rows_of(events) == ([], (B,))
    events = publisher.publish(read(view, {"rid": 4, "torrents": {C: torrent("sonarr")}}), {})
    assert rows_of(events) == ([C], ())
    (stats,) = [e for e in publisher.publish(read(view), {}) if isinstance(e, ev.InstanceStats)]
    assert stats.managed_counts == {"sonarr": 1}


def test_a_missed_read_or_a_full_update_looks_at_every_torrent(looked: list[str]) -> None:
    view = MaindataView("default")
    publisher = RowPublisher(TorrentMemory())
    publisher.publish(
        read(view, {"rid": 1, "full_update": True, "torrents": {A: torrent(), B: torrent()}}), {}
    )
    read(view, {"rid": 2, "torrents": {A: {"progress": 0.9}}})  # a read the publisher missed
    looked.clear()
    events = publisher.publish(read(view, {"rid": 3}), {})
    assert sorted(looked) == [A, B] and rows_of(events) == ([A], ())  # all looked at, A changed
    looked.clear()
    full = {"rid": 4, "full_update": True, "torrents": {B: torrent()}}
    events = publisher.publish(read(view, full), {})
    assert looked == [B] and rows_of(events) == ([], (A,))


def test_a_new_view_of_the_instance_is_looked_at_whole(looked: list[str]) -> None:
    """A reconnected instance gets a new view, whose versions start again."""
    publisher = RowPublisher(TorrentMemory())
    old = MaindataView("default")
    for rid in (1, 2, 3):
        publisher.publish(read(old, {"rid": rid, "torrents": {A: torrent(progress=rid / 10)}}), {})
    new = MaindataView("default")
    new.apply({"rid": 1, "full_update": True, "torrents": {B: torrent()}})
    new.apply({"rid": 2, "torrents": {B: {"progress": 0.6}}})
    new.apply({"rid": 3, "torrents": {B: {"progress": 0.7}}})
    new.hand_out(MANAGED)  # at the version the publisher last saw of the old view
    assert new.version == old.version
    looked.clear()
    assert rows_of(publisher.publish(read(new), {})) == ([B], (A,))
