from __future__ import annotations

from qbitrr_tui.arr.client import _command_status
from qbitrr_tui.arr.kinds import KINDS
from qbitrr_tui.arr.queue import group_by_download, queue_item_from_record


def test_queue_record_with_nulls_omitted() -> None:
    item = queue_item_from_record(KINDS["Sonarr"], {"id": 3, "downloadId": "ABCDEF"})
    assert (item.id, item.download_id, item.media_ids, item.status) == (3, "abcdef", (), "unknown")
    assert item.status_messages == ()


def test_status_messages_are_flattened() -> None:
    item = queue_item_from_record(
        KINDS["Radarr"],
        {
            "id": 1,
            "movieId": 9,
            "statusMessages": [
                {"title": "x.mkv", "messages": ["No files found are eligible for import"]},
                {"title": "Sample only"},
            ],
        },
    )
    assert item.media_ids == (9,)
    assert item.status_messages == ("No files found are eligible for import", "Sample only")


def test_season_pack_grouping_keeps_order_and_dedupes() -> None:
    sonarr = KINDS["Sonarr"]
    records = [{"id": i, "downloadId": "H1", "episodeId": 100 + i} for i in (1, 2, 3)]
    records.append({"id": 4, "downloadId": "H2", "episodeId": 200})
    records.append({"id": 5, "downloadId": "H1", "episodeId": 101})  # a duplicate episode
    groups = group_by_download(queue_item_from_record(sonarr, r) for r in records)
    assert groups["h1"].ids == (1, 2, 3, 5)
    assert groups["h1"].media_ids == (101, 102, 103)
    assert groups["h2"].media_ids == (200,)


def test_command_status_reading() -> None:
    status = _command_status(
        {"id": 7, "name": "MoviesSearch", "status": "completed", "result": "successful"}, ""
    )
    assert status.finished and status.succeeded
    queued = _command_status({"id": 8}, "DownloadedMoviesScan")
    assert (queued.name, queued.status, queued.finished) == (
        "DownloadedMoviesScan",
        "queued",
        False,
    )


def test_command_answer_may_be_a_list(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from qbitrr_tui.arr.client import ArrClient
    from qbitrr_tui.config.model import ArrConfig

    class Answer:
        def json(self) -> object:
            return [{"id": 12, "name": "EpisodeSearch", "status": "queued"}]

    client = ArrClient(
        ArrConfig(
            kind="Sonarr", name="Sonarr-TV", uri="http://127.0.0.1:9", api_key="k", category="tv"
        )
    )
    sent: list[object] = []

    def request(*args: object, **kwargs: object) -> Answer:
        sent.append(kwargs)
        return Answer()

    monkeypatch.setattr(client, "_request", request)
    status = client.search([5, 6])
    assert (status.id, status.name) == (12, "EpisodeSearch")
    assert sent == [{"json_body": {"name": "EpisodeSearch", "episodeIds": [5, 6]}}]
