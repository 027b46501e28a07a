"""Events survive the trip through JSON, and a snapshot rebuilds the same state."""

from __future__ import annotations

import json
import threading

import pytest

from qbitrr_tui.service import views
from qbitrr_tui.service.codec import DecodeError, decode, encode
from qbitrr_tui.service.event_log import EventLog, snapshot
from qbitrr_tui.tui.view_model import DashboardModel
from tests.tui.recorded import stream


def test_every_recorded_event_round_trips() -> None:
    events = stream(dry_run=True)
    kinds = {type(e).__name__ for e in events}
    assert {"InstanceHealthChanged", "TorrentsUpdated", "ActionEvent", "CycleFinished"} <= kinds
    for event in events:
        assert decode(json.loads(json.dumps(encode(event)))) == event


def test_unknown_types_are_refused() -> None:
    with pytest.raises(DecodeError):
        decode({"__t": "Popen", "args": ["rm"]})
    with pytest.raises(DecodeError):
        decode({"__e": "Signals", "v": 9})


def test_a_snapshot_rebuilds_the_same_state() -> None:
    source = DashboardModel(["default", "seedbox", "offsite", "cloud"], dry_run=True)
    source.apply_all(stream(dry_run=True))
    copy = DashboardModel(["default", "seedbox", "offsite", "cloud"])
    copy.apply_all(decode(json.loads(json.dumps([encode(e) for e in snapshot(source)]))))
    assert views.status(copy) == views.status(source)
    assert views.distribution(copy) == views.distribution(source)
    up = {v.name for v in views.live_instances(source)}
    assert views.distribution_detail(copy.torrents.values(), up) == views.distribution_detail(
        source.torrents.values(), up
    )
    assert copy.torrents == source.torrents
    assert views.plan(copy) == views.plan(source)


def test_the_log_says_when_a_client_fell_behind() -> None:
    events = stream(dry_run=False)
    log = EventLog(threading.Lock(), keep=5)
    with log.lock:
        log.append(events[:3])
        assert log.after(-1) is None  # nothing yet: a snapshot
        assert log.after(1) == events[1:3] and log.after(3) == []
        log.append(events[3:10])
        assert log.after(1) is None  # some are gone: a snapshot
        assert log.after(log.seq - 2) == events[8:10]
        assert log.after(log.seq + 5) is None  # the server restarted


def test_the_engines_own_enums_round_trip() -> None:
    """The engine emits Rule members (the recorded stream above uses plain strings)."""
    from qbitrr_tui.engine import events as ev
    from qbitrr_tui.engine.model import Action, ActionKind, Rule

    event = ev.ActionEvent(
        1.0, "default", "a" * 40, "Movie", Action(ActionKind.DELETE), Rule.STALLED, "why",
        "applied", False, "",
    )  # fmt: skip
    back = decode(json.loads(json.dumps(encode(event))))
    assert back == event and isinstance(back.rule, Rule)


def test_a_removal_held_for_its_tracker_round_trips() -> None:
    from qbitrr_tui.engine import events as ev

    held = ev.RemovalHeld(
        ev.ManualKind.REMOVE, (("seedbox", "a" * 40),), ("Movie",), ("HnR: ratio 0.40/1.00",)
    )
    assert decode(json.loads(json.dumps(encode(held)))) == held
