"""The operator's actions and details requests, through the engine: dry-run plans them,
otherwise they are sent as the executor sends its own; unknown torrents and impossible
requests are refused with a sentence. A fake qBittorrent side, no network."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from qbitrr_tui.config.model import Config, TrackerRule
from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.arrs import ArrFleet
from qbitrr_tui.engine.journal import Journal
from qbitrr_tui.engine.loop import Engine
from qbitrr_tui.engine.manual import NotPossible, actions_for
from qbitrr_tui.engine.model import TAG_IGNORED, TAG_MANUAL_PAUSED, ActionKind
from qbitrr_tui.engine.store import Store
from qbitrr_tui.qbit.webapi import QbitError
from tests.support.engine import drain
from tests.unit.rule_helpers import NOW, SETTINGS, arr, complete, queue, snap
from tests.unit.test_engine_cycle import Adapter, FakeQbits

DOWNLOADING = snap(hash="d" * 40)
DONE = complete(hash="e" * 40)


def engine_over(
    tmp_path: Path, qbits: FakeQbits, *, arr_config: Any = None, dry_run: bool | None = None
) -> Engine:
    """An engine over the fake ``qbits``, one cycle run and its events drained."""
    settings = replace(SETTINGS, data_folder=tmp_path)
    config = Config(path=None, settings=settings, arrs=(arr_config or arr(),))
    engine = Engine(
        config,
        qbits=qbits,
        arrs=ArrFleet((), clock=lambda: NOW),
        store=Store(tmp_path / "db"),
        clock=lambda: NOW,
        dry_run=dry_run,
    )
    engine.run_cycle()
    drain(engine)
    return engine


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    qbits = FakeQbits()
    qbits.torrents = (DOWNLOADING, DONE)
    engine = engine_over(tmp_path, qbits)
    yield engine
    engine.close()


def sent(engine: Engine) -> list[tuple[object, ...]]:
    qbits: Any = engine.manager
    result: list[tuple[object, ...]] = qbits.sent
    return result


def actions(engine: Engine) -> list[ev.ActionEvent]:
    return [e for e in drain(engine) if isinstance(e, ev.ActionEvent)]


def test_pause_is_sent_through_the_executor_and_reported_as_manual(engine: Engine) -> None:
    sent(engine).clear()
    wake = engine.handle(ev.ManualAction((DOWNLOADING.key, DONE.key), ev.ManualKind.PAUSE))
    assert wake  # a cycle follows at once, to show the effect
    assert sent(engine) == [
        ("pause", [DOWNLOADING.hash, DONE.hash]),
        ("add_tags", [DOWNLOADING.hash, DONE.hash], (TAG_MANUAL_PAUSED,)),
    ]
    events = actions(engine)
    assert [(e.outcome, e.rule, e.action.kind) for e in events] == [
        ("applied", "manual", ActionKind.PAUSE)
    ] * 2 + [("applied", "manual", ActionKind.ADD_TAGS)] * 2


def test_a_resume_by_hand_clears_the_remembered_pause(engine: Engine) -> None:
    sent(engine).clear()
    engine.handle(ev.ManualAction((DOWNLOADING.key,), ev.ManualKind.RESUME))
    assert sent(engine) == [
        ("resume", [DOWNLOADING.hash]),
        ("remove_tags", [DOWNLOADING.hash], (TAG_MANUAL_PAUSED,)),
    ]


def test_in_dry_run_an_action_is_planned_not_sent(engine: Engine) -> None:
    engine.handle(ev.SetDryRun(True))
    drain(engine)
    sent(engine).clear()
    engine.handle(ev.ManualAction((DONE.key,), ev.ManualKind.REMOVE))
    assert sent(engine) == []
    (event,) = actions(engine)
    assert (event.outcome, event.dry_run, event.action.describe()) == (
        "planned",
        True,
        "delete with files",
    )


class LostDelete(Adapter):
    """qBittorrent deletes the torrent, but the answer never arrives."""

    def delete(self, hashes: list[str], *, delete_files: bool) -> None:
        self.sent.append(("delete", hashes, delete_files))
        raise QbitError("timed out")


def test_a_removal_by_hand_is_journaled_and_read_back_not_resent(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    qbits: Any = engine.manager
    monkeypatch.setattr(qbits, "get_client", lambda name: LostDelete(qbits.sent))
    sent(engine).clear()
    engine.handle(ev.ManualAction((DOWNLOADING.key,), ev.ManualKind.REMOVE))
    (failed,) = actions(engine)
    assert failed.outcome == "failed" and "journal" in failed.error
    # Asked again before the journal knows: refused, not sent twice.
    engine.handle(ev.ManualAction((DOWNLOADING.key,), ev.ManualKind.REMOVE))
    (refused,) = actions(engine)
    assert "still open in the action journal" in refused.error
    assert sent(engine) == [("delete", [DOWNLOADING.hash], True)]
    (step,) = engine._cycle.journal.history(DOWNLOADING.key)  # what its History shows
    assert (step.action, step.attempts) == ("delete with files", 1)
    assert step.status.startswith("failed: timed out; retrying at ")
    # The open step survives a restart (a new journal on the same database) ...
    assert Journal(engine.store, lambda: NOW).busy() == {DOWNLOADING.key}
    # ... and the next cycle reads the torrent gone: confirmed, nothing sent again.
    qbits.torrents = (DONE,)
    engine.run_cycle()
    confirmed = [e for e in actions(engine) if e.key == DOWNLOADING.key]
    assert [(e.outcome, e.action.kind) for e in confirmed] == [("applied", ActionKind.DELETE)]
    assert "reading back" in confirmed[0].reason
    assert confirmed[0].rule == "manual"  # still the operator's, as the journal stored it
    assert sent(engine) == [("delete", [DOWNLOADING.hash], True)]
    assert engine._cycle.journal.busy() == set()
    engine.handle(ev.RequestDetails(DOWNLOADING.key))  # gone, but its journal is kept
    (answer,) = [e for e in drain(engine) if isinstance(e, ev.TorrentDetails)]
    assert [(s.action, s.status) for s in answer.journal] == [("delete with files", "confirmed")]


def test_protect_tags_and_reannounce_goes_to_the_adapter(engine: Engine) -> None:
    sent(engine).clear()
    engine.handle(ev.ManualAction((DONE.key,), ev.ManualKind.PROTECT))
    engine.handle(ev.ManualAction((DONE.key,), ev.ManualKind.REANNOUNCE))
    assert sent(engine) == [("add_tags", [DONE.hash], (TAG_IGNORED,)), ("reannounce", [DONE.hash])]


def test_an_unknown_torrent_and_a_missing_queue_record_are_refused(engine: Engine) -> None:
    sent(engine).clear()
    engine.handle(ev.ManualAction((("default", "f" * 40),), ev.ManualKind.RECHECK))
    engine.handle(ev.ManualAction((DONE.key,), ev.ManualKind.BLOCKLIST_SEARCH))
    refused = actions(engine)
    assert [e.outcome for e in refused] == ["failed", "failed"]
    assert "not a torrent the engine manages" in refused[0].error
    assert "no queue record" in refused[1].error
    assert sent(engine) == []  # never delete without blocklisting


def test_blocklist_search_steps_in_order() -> None:
    steps = actions_for(ev.ManualKind.BLOCKLIST_SEARCH, DONE, arr(), queue(7, media=(42,)))
    assert [a.kind for a in steps] == [ActionKind.BLOCKLIST, ActionKind.DELETE, ActionKind.SEARCH]
    with pytest.raises(NotPossible, match="not complete"):
        actions_for(ev.ManualKind.IMPORT, DOWNLOADING, arr(), None)
    with pytest.raises(NotPossible, match="no Arr manages"):
        actions_for(ev.ManualKind.IMPORT, DONE, None, None)


class ReadingAdapter:
    """Answers the three detail reads as qBittorrent would."""

    def properties(self, torrent_hash: str) -> dict[str, Any]:
        return {"peers": 3, "is_private": True}

    def files(self, torrent_hash: str) -> list[dict[str, Any]]:
        return [
            {"index": 0, "name": "a/movie.mkv", "size": 10, "progress": 1.0, "priority": 1},
            {"index": 1, "name": "a/sample.exe", "size": 1, "progress": 0.0, "priority": 0},
        ]

    def trackers(self, torrent_hash: str) -> list[dict[str, Any]]:
        return [{"url": "http://t.example/announce", "status": 4, "msg": "unregistered"}]


def test_details_answer_from_what_the_engine_knows(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine.manager, "get_client", lambda name: ReadingAdapter())
    assert engine.handle(ev.RequestDetails(DONE.key)) is False  # no cycle for a read
    (answer,) = [e for e in drain(engine) if isinstance(e, ev.TorrentDetails)]
    assert answer.key == DONE.key and answer.name == DONE.name
    general = dict(answer.general)
    assert general["Hash"] == DONE.hash and general["Instance"] == "default"
    assert general["Private"] == "yes" and general["Peers"] == "3"
    assert dict(answer.decision)["Rule"] == "import"
    assert [(f.name, f.kept) for f in answer.files] == [
        ("a/movie.mkv", True),
        ("a/sample.exe", False),
    ]
    (tracker,) = answer.trackers
    assert (tracker.status, tracker.message) == ("not working", "unregistered")
    missing = engine.handle(ev.RequestDetails(("default", "0" * 40)))
    assert missing is False
    (unknown,) = [e for e in drain(engine) if isinstance(e, ev.TorrentDetails)]
    assert "does not know" in unknown.error


def test_limits_by_hand_keep_the_share_limit_not_asked_and_dry_run_plans_them(
    engine: Engine,
) -> None:
    sent(engine).clear()
    limits = ev.Limits(ratio=2.0, upload=512_000)
    engine.handle(ev.ManualAction((DONE.key,), ev.ManualKind.SET_LIMITS, limits=limits))
    assert sent(engine) == [
        ("set_upload_limit", [DONE.hash], 512_000),
        ("set_share_limits", [DONE.hash], 2.0, DONE.seeding_time_limit),
    ]
    (event,) = actions(engine)
    assert (event.outcome, event.action.kind) == ("applied", ActionKind.SET_LIMITS)
    engine.handle(ev.SetDryRun(True))
    drain(engine)
    sent(engine).clear()
    engine.handle(ev.ManualAction((DONE.key,), ev.ManualKind.SET_LIMITS, limits=limits))
    assert sent(engine) == []
    assert [e.outcome for e in actions(engine)] == ["planned"]
    engine.handle(ev.ManualAction((DONE.key,), ev.ManualKind.SET_LIMITS))
    assert "no limit given" in actions(engine)[0].error


HNR_ROW = TrackerRule("tr.example.org", hit_and_run_mode="and", min_seed_ratio=1.0)
OWING = complete(hash="f" * 40, name="Owes.2021.mkv", tracker="https://tr.example.org/a", ratio=0.4)


class Deletes(Adapter):
    def delete(self, hashes: list[str], *, delete_files: bool) -> None:
        self.sent.append(("delete", hashes, delete_files))


def test_a_removal_by_hand_of_a_torrent_that_owes_its_tracker_asks_before_it_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    qbits = FakeQbits()
    qbits.torrents = (OWING, DONE)
    monkeypatch.setattr(qbits, "get_client", lambda name: Deletes(qbits.sent))
    engine = engine_over(tmp_path, qbits, arr_config=arr(trackers=(HNR_ROW,)), dry_run=False)
    try:
        qbits.sent.clear()
        both = (OWING.key, DONE.key)
        engine.handle(ev.ManualAction(both, ev.ManualKind.REMOVE))
        events = drain(engine)
        assert [
            e.key for e in events if isinstance(e, ev.ActionEvent) and e.outcome == "applied"
        ] == [
            DONE.key  # owes nothing: removed
        ]
        (held,) = [e for e in events if isinstance(e, ev.RemovalHeld)]
        assert (held.kind, held.keys, held.names) == (
            ev.ManualKind.REMOVE,
            (OWING.key,),
            ("Owes.2021.mkv",),
        )
        assert held.owed == ("HnR: ratio 0.40/1.00",)
        (refused,) = [e for e in events if isinstance(e, ev.ActionEvent) and e.key == OWING.key]
        assert refused.outcome == "failed" and "still owes its tracker" in refused.error
        assert qbits.sent == [("delete", [DONE.hash], True)]
        # Asked again, anyway: it goes.
        engine.handle(ev.ManualAction((OWING.key,), ev.ManualKind.REMOVE, anyway=True))
        assert [e.outcome for e in actions(engine)] == ["applied"]
        assert qbits.sent[-1] == ("delete", [OWING.hash], True)
    finally:
        engine.close()
