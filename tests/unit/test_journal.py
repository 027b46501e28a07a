"""The action journal on its own: intents, marks, reading back, and a restart in between."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qbitrr_tui.arr.queue import QueueGroup
from qbitrr_tui.engine.journal import Journal
from qbitrr_tui.engine.model import Action, ActionKind
from qbitrr_tui.engine.store import Store
from tests.support.engine import fetched, planned
from tests.unit.rule_helpers import HASH, NOW, snap

REMOVAL = (
    Action(ActionKind.BLOCKLIST, queue_ids=(7,), arr="Radarr"),
    Action(ActionKind.DELETE),
    Action(ActionKind.SEARCH, media_ids=(5,), arr="Radarr"),
)
IMPORT = (Action(ActionKind.IMPORT, arr="Radarr"),)
PRESENT = {"default": fetched("default", snap())}
GONE = {"default": fetched("default")}
IN_QUEUE = {"Radarr": {HASH: QueueGroup(HASH, ())}}
ARRS = ("Radarr",)


def no_commands(arr: str) -> Sequence[Mapping[str, Any]]:
    return []


def scanned(arr: str) -> Sequence[Mapping[str, Any]]:
    return [{"name": "DownloadedMoviesScan", "body": {"downloadClientId": HASH.upper()}}]


def journal(tmp_path: Path) -> Journal:
    return Journal(Store(tmp_path / "qbitrr.db"), lambda: NOW)


def kinds(plans: list[Any]) -> list[list[str]]:
    return [[a.kind.value for a in p.actions] for p in plans]


def test_a_failed_blocklisting_is_read_back_before_anything_is_sent_again(
    tmp_path: Path,
) -> None:
    j = journal(tmp_path)
    plan = planned(HASH, REMOVAL)
    j.begin([plan])
    j.mark([(plan, REMOVAL[0])], "sent")
    j.mark([(plan, REMOVAL[0])], "failed", "answer lost")
    assert j.busy() == {plan.key}

    # The Arr was not read: nothing is done on what is not known (no delete either).
    assert kinds(j.reconcile(PRESENT, {}, no_commands, ARRS).plans) == []
    # Still in the queue: the blocklisting did not happen; all three are due again.
    assert kinds(j.reconcile(PRESENT, IN_QUEUE, no_commands, ARRS).plans) == [
        ["blocklist", "delete", "search"]
    ]
    # Gone from the queue, and the blocklist cannot be read: not known yet, nothing sent.
    assert kinds(j.reconcile(PRESENT, {"Radarr": {}}, no_commands, ARRS).plans) == []
    # Gone, and in the Arr's blocklist since: it did; only the deletion and the search left.
    done = j.reconcile(PRESENT, {"Radarr": {}}, no_commands, ARRS, blocklist=listed(5))
    assert kinds(done.plans) == [["delete", "search"]]
    assert [e.action.kind.value for e in done.events] == ["blocklist"]


def test_a_download_gone_from_the_queue_but_not_blocklisted_is_not_searched_again(
    tmp_path: Path,
) -> None:
    """Removed from the queue some other way (by hand): the blocklisting can no longer be
    sent, and a search would grab the same release; the stalled torrent is still deleted."""
    older = listed(5, at=NOW - 3600)  # the same movie, blocklisted an hour before
    other = listed(6)  # another movie, just now
    for n, entries in enumerate((older, other)):
        (tmp_path / str(n)).mkdir()
        j = journal(tmp_path / str(n))
        plan = planned(HASH, REMOVAL)
        j.begin([plan])
        j.mark([(plan, REMOVAL[0])], "sent")
        j.mark([(plan, REMOVAL[0])], "failed", "answer lost")
        done = j.reconcile(PRESENT, {"Radarr": {}}, no_commands, ARRS, blocklist=entries)
        assert kinds(done.plans) == [["delete"]]
        assert j.busy() == {plan.key}  # the deletion is still open until read back
        j.store.close()


def listed(movie: int, at: float = NOW) -> Any:
    """An Arr's blocklist with one entry for ``movie``, made at ``at``."""
    date = datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    entry = {"id": 1, "movieId": movie, "sourceTitle": "Some.Release", "date": date}
    return lambda arr: [entry]


def test_open_steps_survive_a_restart_and_a_found_import_is_not_sent_again(
    tmp_path: Path,
) -> None:
    first = journal(tmp_path)
    plan = planned(HASH, IMPORT)
    first.begin([plan])
    first.mark([(plan, IMPORT[0])], "sent")  # and the process died here
    first.store.close()

    again = journal(tmp_path)
    assert again.busy() == {plan.key}
    found = again.reconcile(PRESENT, {}, scanned, ARRS)
    assert found.imported == {plan.key}
    assert kinds(found.plans) == [["add_tags"]]  # qBitrr-imported, nothing else
    assert again.busy() == set()


def test_an_import_not_found_is_sent_again_and_one_whose_torrent_left_is_dropped(
    tmp_path: Path,
) -> None:
    j = journal(tmp_path)
    plan = planned(HASH, IMPORT)
    j.begin([plan])
    j.mark([(plan, IMPORT[0])], "failed", "HTTP 500")
    assert kinds(j.reconcile(PRESENT, {}, no_commands, ARRS).plans) == [["import"]]
    assert j.reconcile(GONE, {}, no_commands, ARRS).plans == []
    assert j.busy() == set()


def test_a_deleted_torrent_confirms_its_deletion(tmp_path: Path) -> None:
    j = journal(tmp_path)
    plan = planned(HASH, REMOVAL)
    j.begin([plan])
    j.mark([(plan, REMOVAL[0])], "confirmed")
    j.mark([(plan, REMOVAL[1])], "failed", "reset")
    result = j.reconcile(GONE, {"Radarr": {}}, no_commands, ARRS)
    assert result.deleted == {plan.key}
    assert kinds(result.plans) == [["search"]]


def test_a_step_whose_arr_left_the_config_is_dropped(tmp_path: Path) -> None:
    j = journal(tmp_path)
    j.begin([planned(HASH, IMPORT)])
    assert j.reconcile(PRESENT, {}, scanned, ()).plans == []
    assert j.busy() == set()  # the torrent is decided again


def test_a_step_deferred_before_sending_backs_off_too(tmp_path: Path) -> None:
    """A delete held back before it is sent (e.g. cross-seeds cannot be checked) fails
    without an attempt: it must not be tried again every cycle."""
    j = journal(tmp_path)
    plan = planned(HASH, (Action(ActionKind.DELETE, delete_files=True),))
    j.begin([plan])
    waits = []
    for _ in range(4):
        j.mark([(plan, plan.actions[0])], "failed", "deferred: cannot check for cross-seeds")
        (step,) = j._steps.values()
        assert step.attempts == 0 and step.retry_at is not None
        waits.append(step.retry_at - NOW)
    assert waits == [0.0, 1.0, 3.0, 7.0]
