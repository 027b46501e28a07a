"""What changed between cycles for the decider (engine/changes.py), and the tracker reads
that make a torrent walked again (engine/tracker_watch.py)."""

from __future__ import annotations

from typing import Any

from qbitrr_tui.engine.changes import Changes
from qbitrr_tui.engine.tracker_watch import TrackerWatch
from tests.unit.rule_helpers import queue
from tests.unit.test_unregistered import Adapter, plan, subject


def test_shared_inputs_change_when_any_part_does() -> None:
    changes = Changes()
    assert changes.shared_changed("a", ("config", True))  # first sight
    assert not changes.shared_changed("a", ("config", True))
    assert changes.shared_changed("b", ("config", True))  # per instance
    assert changes.shared_changed("a", ("config", False))


def test_free_space_changes_are_the_hashes_whose_action_differs() -> None:
    changes = Changes()
    assert changes.space_changed("a", {"h1": "pause"}) == {"h1"}
    assert changes.space_changed("a", {"h1": "pause"}) == set()
    assert changes.space_changed("a", {"h1": "resume", "h2": "pause"}) == {"h1", "h2"}
    assert changes.space_changed("a", {}) == {"h1", "h2"}
    assert changes.space_changed("b", {}) == set()


def test_queue_changes_are_what_the_rules_read_of_the_records() -> None:
    """New record objects with the same ids are no change; another id, media id, a record
    leaving or a download moving to another Arr's queue is."""
    changes = Changes()
    assert changes.queues_changed({"R": {"h1": queue(7)}}) == {"h1"}
    assert changes.queues_changed({"R": {"h1": queue(7)}}) == set()
    assert changes.queues_changed({"R": {"h1": queue(7, 8)}, "S": {}}) == {"h1"}
    assert changes.queues_changed({"R": {"h1": queue(7, 8, media=(43,))}}) == {"h1"}
    assert changes.queues_changed({"S": {"h1": queue(7, 8, media=(43,))}}) == {"h1"}
    assert changes.queues_changed({"S": {}}) == {"h1"}


def test_a_tracker_read_marks_the_torrent_fresh_on_its_own_instance_once() -> None:
    """The gate's reads happen after an instance's walk: they must reach that instance's
    next walk, not another instance's."""
    h = "8" * 40
    adapter: Any = Adapter({h: {"trackers": [], "private": True}})
    watch = TrackerWatch()
    watch.gate(adapter, [plan(h)], {h: subject(h)}, 0.0)
    assert watch.take_fresh("seedbox") == set()
    assert watch.take_fresh("default") == {("default", h)}
    assert watch.take_fresh("default") == set()
    watch.gate(adapter, [plan(h)], {h: subject(h)}, 1000.0)
    watch.forget([("default", h)])
    assert watch.take_fresh("default") == set()
