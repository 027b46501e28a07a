"""The row publisher: projection, row reuse, and what changed or left."""

from __future__ import annotations

from dataclasses import replace

import pytest

from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine import publish
from qbitrr_tui.engine.memory import TorrentMemory
from qbitrr_tui.engine.publish import RowPublisher, project
from qbitrr_tui.qbit.snapshot import TorrentSnapshot
from tests.support.engine import fetched
from tests.unit.rule_helpers import complete, snap

A = complete(hash="a" * 40, tags={"z", "b"})
B = snap(hash="b" * 40, category="sonarr")


def decided(memory: TorrentMemory, torrent: TorrentSnapshot, rule: str, reason: str) -> None:
    record = memory.record(torrent.key)
    record.rule, record.reason = rule, reason


def updates(events: list[ev.Event]) -> list[ev.TorrentsUpdated]:
    return [e for e in events if isinstance(e, ev.TorrentsUpdated)]


def test_a_row_is_the_torrent_and_its_decision() -> None:
    row = project(A, "seeding", "imported; seeding")
    assert row.key == A.key and row.name == A.name and row.eta == A.eta
    assert row.tags == ("b", "z")  # sorted: the same tags make the same row
    assert (row.rule, row.reason) == ("seeding", "imported; seeding")


def test_first_publish_is_full_then_only_what_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    memory = TorrentMemory()
    publisher = RowPublisher(memory)
    decided(memory, A, "seeding", "ok")
    first = publisher.publish({"default": fetched("default", A, B)}, {"default": 7})
    stats, full = first
    assert isinstance(stats, ev.InstanceStats)
    assert stats.requests == 7 and stats.managed_counts == {"radarr": 1, "sonarr": 1}
    assert isinstance(full, ev.TorrentsUpdated) and full.full
    assert [(r.hash, r.rule) for r in full.rows] == [(A.hash, "seeding"), (B.hash, "")]

    # Same snapshot objects, same decisions: nothing to send, and no row is built again.
    built: list[str] = []
    real = publish.project

    def counting(
        t: TorrentSnapshot, rule: str, reason: str, deadline: float | None = None
    ) -> ev.TorrentRow:
        built.append(t.hash)
        return real(t, rule, reason, deadline)

    monkeypatch.setattr(publish, "project", counting)
    quiet = publisher.publish({"default": fetched("default", A, B)}, {})
    assert updates(quiet) == [] and built == []

    moved = replace(B, progress=0.75)
    decided(memory, A, "seeding", "ratio 2.00")
    changed = updates(publisher.publish({"default": fetched("default", A, moved)}, {}))
    assert len(changed) == 1 and not changed[0].full and changed[0].removed == ()
    assert built == [A.hash, B.hash]
    assert [(r.hash, r.reason, r.progress) for r in changed[0].rows] == [
        (A.hash, "ratio 2.00", A.progress),
        (B.hash, "", 0.75),
    ]


def test_a_torrent_that_left_is_removed() -> None:
    publisher = RowPublisher(TorrentMemory())
    publisher.publish({"default": fetched("default", A, B)}, {})
    (update,) = updates(publisher.publish({"default": fetched("default", A)}, {}))
    assert update.rows == () and update.removed == (B.hash,)


def test_an_instance_not_read_publishes_nothing_and_keeps_its_rows() -> None:
    publisher = RowPublisher(TorrentMemory())
    publisher.publish({"default": fetched("default", A)}, {})
    assert publisher.publish({"default": fetched("default", error="down")}, {}) == []
    assert updates(publisher.publish({"default": fetched("default", A)}, {})) == []


def test_a_rebuilt_equal_row_is_not_sent_and_a_swap_is_seen() -> None:
    """A snapshot made anew with the same fields builds an equal row: nothing is sent. One
    torrent leaving as another comes (the same count) is still a removal."""
    publisher = RowPublisher(TorrentMemory())
    publisher.publish({"default": fetched("default", A, B)}, {})
    assert updates(publisher.publish({"default": fetched("default", A, replace(B))}, {})) == []
    c = complete(hash="c" * 40)
    (update,) = updates(publisher.publish({"default": fetched("default", A, c)}, {}))
    assert [r.hash for r in update.rows] == [c.hash] and update.removed == (B.hash,)
    (update,) = updates(publisher.publish({"default": fetched("default", c)}, {}))
    assert update.rows == () and update.removed == (A.hash,)


def test_the_managed_counts_follow_a_torrent_that_moved_category() -> None:
    publisher = RowPublisher(TorrentMemory())
    publisher.publish({"default": fetched("default", A, B)}, {})
    (stats,) = publisher.publish({"default": fetched("default", A, B)}, {})  # kept as they are
    assert isinstance(stats, ev.InstanceStats) and stats.managed_counts == {
        "radarr": 1,
        "sonarr": 1,
    }
    moved = replace(B, category="radarr")
    stats, _ = publisher.publish({"default": fetched("default", A, moved)}, {})
    assert isinstance(stats, ev.InstanceStats) and stats.managed_counts == {"radarr": 2}
    stats, _ = publisher.publish({"default": fetched("default", A)}, {})
    assert isinstance(stats, ev.InstanceStats) and stats.managed_counts == {"radarr": 1}
