"""The notifier's de-duplication: one message per outage, per held episode, per failure."""

from __future__ import annotations

from qbitrr_tui.config.schema import NOTIFY_EVENTS
from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.model import Action, ActionKind, Outcome
from qbitrr_tui.health import Health, HealthState
from qbitrr_tui.service.notify import Deduper, Message


def health(name: str, state: HealthState, error: str | None = None) -> Health:
    return Health(name, "127.0.0.1:1", state, 0.0, last_error=error, version="5.1.0")


def cycle(n: int) -> ev.CycleFinished:
    return ev.CycleFinished(n, 0.0, 0.1, {}, {}, 0, 0, 0.0, False, False)


def action(outcome: Outcome, kind: ActionKind, info_hash: str = "a" * 40) -> ev.ActionEvent:
    return ev.ActionEvent(
        0.0, "default", info_hash, "Movie", Action(kind), "stalled", "why", outcome, False, "boom"
    )


def events_of(messages: list[Message]) -> list[str]:
    return [m.event for m in messages]


def test_one_message_per_instance_outage() -> None:
    d = Deduper(NOTIFY_EVENTS)
    up = ev.InstanceHealthChanged(health("seedbox", HealthState.UP))
    assert d.observe(up) == []  # first contact is not news
    down = ev.InstanceHealthChanged(health("seedbox", HealthState.DOWN, "refused"))
    first = d.observe(down)
    assert events_of(first) == ["instance_down"] and "refused" in first[0].body
    for _ in range(5):
        assert d.observe(down) == []  # every retry reports down again: still one message
    auth = ev.InstanceHealthChanged(health("seedbox", HealthState.AUTH_FAILED, "403"))
    assert d.observe(auth) == []  # still the same outage
    back = d.observe(up)
    assert events_of(back) == ["instance_up"] and "5.1.0" in back[0].body
    assert d.observe(up) == []
    assert events_of(d.observe(down)) == ["instance_down"]  # a new outage is news


def test_disabling_a_down_instance_ends_its_outage_quietly() -> None:
    d = Deduper(NOTIFY_EVENTS)
    d.observe(ev.InstanceHealthChanged(health("x", HealthState.DOWN)))
    assert d.observe(ev.InstanceHealthChanged(health("x", HealthState.DISABLED))) == []
    assert d.observe(ev.InstanceHealthChanged(health("x", HealthState.UP))) == []


def test_arr_outage_and_the_event_filter() -> None:
    d = Deduper(("arr_down",))
    down = ev.ArrHealthChanged(health("Radarr-Movies", HealthState.DOWN), "Radarr", "radarr")
    up = ev.ArrHealthChanged(health("Radarr-Movies", HealthState.UP), "Radarr", "radarr", 3)
    assert [m.title for m in d.observe(down)] == ["qbitrr-tui: Radarr-Movies is down"]
    assert d.observe(down) == []
    assert d.observe(up) == []  # arr_up is not wanted
    assert d.observe(ev.InstanceHealthChanged(health("i", HealthState.DOWN))) == []


def test_held_deletions_once_per_episode() -> None:
    d = Deduper(NOTIFY_EVENTS)
    for n in (1, 2, 3):  # held three cycles running
        d.observe(action("held", ActionKind.DELETE, "a" * 40))
        d.observe(action("held", ActionKind.BLOCKLIST, "a" * 40))
        d.observe(action("held", ActionKind.DELETE, "b" * 40))
        messages = d.observe(cycle(n))
        assert events_of(messages) == (["deletions_held"] if n == 1 else [])
        if n == 1:
            assert "2 torrent(s) would be deleted on instance 'default'" in messages[0].body
    assert d.observe(cycle(5)) == []  # nothing held: the episode is over
    d.observe(action("held", ActionKind.DELETE))
    assert events_of(d.observe(cycle(6))) == ["deletions_held"]


def test_failures_are_told_once_until_they_succeed() -> None:
    d = Deduper(NOTIFY_EVENTS)
    d.observe(action("failed", ActionKind.IMPORT))
    d.observe(action("failed", ActionKind.PAUSE, "c" * 40))
    messages = d.observe(cycle(1))
    assert events_of(messages) == ["import_failed", "action_failed"]
    assert "import 'Movie' on instance 'default': boom" in messages[0].body
    d.observe(action("failed", ActionKind.IMPORT))
    assert d.observe(cycle(2)) == []  # the same failure again
    d.observe(action("applied", ActionKind.IMPORT))
    d.observe(action("failed", ActionKind.IMPORT))
    assert events_of(d.observe(cycle(3))) == ["import_failed"]


def test_many_failures_make_one_message() -> None:
    d = Deduper(NOTIFY_EVENTS)
    for i in range(8):
        d.observe(action("failed", ActionKind.DELETE, f"{i:040d}"))
    (message,) = d.observe(cycle(1))
    assert message.title == "qbitrr-tui: 8 action(s) failed" and "… and 3 more" in message.body


def test_engine_error() -> None:
    assert events_of(Deduper(NOTIFY_EVENTS).engine_error("boom")) == ["engine_error"]
    assert Deduper(()).engine_error("boom") == []
