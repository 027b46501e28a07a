"""An Arr's queue read: an answer with the bytes of the last one is not parsed again, and
an unchanged queue is the last read itself (arr/client.py ``read_queue``, engine/changes.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from qbitrr_tui.arr.client import ArrClient
from qbitrr_tui.arr.kinds import KINDS
from qbitrr_tui.arr.queue import QueueGroup, group_by_download, queue_item_from_record
from qbitrr_tui.config.model import ArrConfig
from qbitrr_tui.engine.changes import Changes
from qbitrr_tui.sandbox.arr_resources import Record, queue_resource
from qbitrr_tui.sandbox.arr_tracked import READ_AT


class Answer:
    """A queue page as the Arr sends it; counts how often it is parsed."""

    parsed = 0

    def __init__(self, body: dict[str, Any]) -> None:
        self.content = json.dumps(body).encode()

    def json(self) -> Any:
        Answer.parsed += 1
        return json.loads(self.content)


class Queue:
    """An Arr's queue of ``records``, answered in pages of ``size``."""

    def __init__(self, records: list[dict[str, Any]], size: int) -> None:
        self.records, self.size = records, size

    def request(self, method: str, path: str, *, params: dict[str, Any]) -> Answer:
        assert (method, path) == ("GET", "queue")
        start = (params["page"] - 1) * self.size
        page = self.records[start : start + self.size]
        return Answer({"page": params["page"], "totalRecords": len(self.records), "records": page})


def record(n: int, status: str = "downloading") -> dict[str, Any]:
    return {"id": n, "downloadId": f"{n:040x}".upper(), "movieId": n, "status": status}


@pytest.fixture
def arr(monkeypatch: pytest.MonkeyPatch) -> tuple[ArrClient, Queue]:
    config = ArrConfig(kind="Radarr", name="Radarr-1", uri="http://127.0.0.1:9", api_key="k")
    client = ArrClient(config)
    queue = Queue([record(n) for n in range(1, 6)], size=2)  # three pages: 2 + 2 + 1
    monkeypatch.setattr(client, "_request", queue.request)
    monkeypatch.setattr(client, "_json", lambda response: response.json())
    monkeypatch.setattr(client, "requests_made", 0)
    monkeypatch.setattr(Answer, "parsed", 0)
    return client, queue


def test_an_unchanged_queue_is_the_last_read_and_is_not_parsed_again(
    arr: tuple[ArrClient, Queue],
) -> None:
    client, _ = arr
    first = client.read_queue()
    assert [i.id for i in first.items] == [1, 2, 3, 4, 5] and Answer.parsed == 3
    assert client.read_queue() is first
    assert client.queue_by_download() is first.groups
    assert Answer.parsed == 3  # every page read again, none parsed


def test_only_a_changed_page_is_parsed_and_the_groups_are_new(
    arr: tuple[ArrClient, Queue],
) -> None:
    client, queue = arr
    first = client.read_queue()
    queue.records[2] = record(3, status="completed")  # page 2
    second = client.read_queue()
    assert Answer.parsed == 4
    assert second is not first and second.groups is not first.groups
    assert second.pages[0] is first.pages[0] and second.pages[2] is first.pages[2]
    assert second.groups[f"{3:040x}"].items[0].status == "completed"


def test_a_queue_that_shrinks_or_grows_is_read_whole(arr: tuple[ArrClient, Queue]) -> None:
    client, queue = arr
    client.read_queue()
    del queue.records[4]  # the third page is gone; the first two say a new total
    assert [i.id for i in client.queue()] == [1, 2, 3, 4]
    queue.records += [record(6), record(7)]
    assert [i.id for i in client.queue()] == [1, 2, 3, 4, 6, 7]
    queue.records.clear()
    assert client.read_queue().groups == {}


def groups(*records: dict[str, Any]) -> dict[str, QueueGroup]:
    return group_by_download(queue_item_from_record(KINDS["Radarr"], r) for r in records)


class Untouchable(dict[str, QueueGroup]):
    def items(self) -> Any:
        raise AssertionError("an Arr's unchanged queue was looked into")


def test_changes_skip_a_queue_that_is_the_same_object() -> None:
    changes = Changes()
    queue = Untouchable()
    changes._queues["Radarr-1"] = (queue, {})  # as a first look would leave it
    assert changes.queues_changed({"Radarr-1": queue}) == set()


def test_changes_name_the_downloads_whose_records_came_went_or_changed() -> None:
    changes = Changes()
    a, b = record(1), record(2)
    assert changes.queues_changed({"R": groups(a, b)}) == {f"{1:040x}", f"{2:040x}"}
    assert changes.queues_changed({"R": groups(a, b)}) == set()  # equal, another object
    assert changes.queues_changed({"R": groups(a, {**b, "movieId": 9})}) == {f"{2:040x}"}
    assert changes.queues_changed({"R": groups(a)}) == {f"{2:040x}"}
    assert changes.queues_changed({"S": groups(a)}) == {f"{1:040x}"}  # R gone, S came


def test_the_stand_in_answers_the_same_row_until_it_reads_its_client_again() -> None:
    """A real Arr reckons a download's estimated completion when it refreshes its clients,
    so its queue answers the same bytes between refreshes."""
    row = Record(1, "AB" * 20, "default", "Movie", {"movieId": 1}, added=0.0)
    info = {"state": "downloading", "size": 10, "amount_left": 5, "eta": 60, READ_AT: 1000.0}
    first = queue_resource("Radarr", row, info)
    assert first["estimatedCompletionTime"] == "1970-01-01T00:17:40Z"  # read at + eta
    assert queue_resource("Radarr", row, info) == first
