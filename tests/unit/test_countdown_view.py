"""A countdown crosses as a deadline (TorrentRow.deadline) and is filled in where it is
shown: the dashboard's cells, the service's JSON, the event codec."""

from __future__ import annotations

from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.model import LEFT
from qbitrr_tui.service import views
from qbitrr_tui.service.codec import decode, encode
from qbitrr_tui.tui.format import needs_tick, torrent_cells

NOW = 1_700_000_000.0


def row(reason: str, deadline: float | None) -> ev.TorrentRow:
    return ev.TorrentRow(
        "default", "ab" * 20, "Movie", "radarr", "metaDL", 0.0, 1, 0.0, 8_640_000, (), 0, 0,
        int(NOW - 600), "stalled", reason, deadline=deadline,
    )  # fmt: skip


def test_the_dashboard_counts_down_from_the_deadline() -> None:
    counting = row(f"no metadata, removal in {LEFT}", NOW + 272)
    assert needs_tick(counting)
    assert torrent_cells(counting, now=NOW)["decision"].text.endswith("removal in 4m32s")
    later = torrent_cells(counting, now=NOW + 60)["decision"]
    assert later.text.endswith("removal in 3m32s")
    # Sorting by decision does not move the row as it counts down.
    assert later.value == torrent_cells(counting, now=NOW)["decision"].value
    assert torrent_cells(counting, now=NOW + 999)["decision"].text.endswith("removal in 0s")
    plain = row("complete", None)
    assert not needs_tick(plain) and torrent_cells(plain, now=NOW)["decision"].text.endswith(
        "complete"
    )


def test_the_service_says_the_countdown_and_the_deadline() -> None:
    out = views.torrent(row(f"no metadata, removal in {LEFT}", NOW + 90), NOW)
    assert out["reason"] == "no metadata, removal in 1m30s"
    assert out["reason_template"] == "no metadata, removal in {left}"
    assert out["deadline"] == NOW + 90


def test_a_row_with_a_deadline_crosses_the_codec() -> None:
    sent = ev.TorrentsUpdated("default", (row(f"import in {LEFT}", NOW + 5),))
    assert decode(encode(sent)) == sent
