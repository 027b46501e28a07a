"""The verdicts before a delete with files (engine/safe_delete.py), without a network."""

from __future__ import annotations

from typing import Any, cast

from qbitrr_tui.engine.cross_seed import Holder, PathIndex
from qbitrr_tui.engine.model import Action, ActionKind, Rule
from qbitrr_tui.engine.plan import Planned
from qbitrr_tui.engine.safe_delete import SafeDelete, Verdict
from qbitrr_tui.qbit.adapter import InstanceAdapter

A, B = "a" * 40, "b" * 40


class Reads:
    """The reads judge() makes of an instance: torrents/info by hash, and files."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows

    def torrents_info(self, **filters: Any) -> list[dict[str, Any]]:
        wanted = set(str(filters.get("hashes", "")).split("|"))
        return [r for r in self.rows if r["hash"] in wanted]

    def files(self, info_hash: str) -> list[dict[str, Any]]:
        return [{"name": "Movie/movie.mkv"}]


def plan(info_hash: str) -> Planned:
    delete = Action(ActionKind.DELETE, delete_files=True)
    return Planned("default", info_hash, "Movie", "/dl/Movie", Rule.FAILED, "why", (delete,))


def judge(index: PathIndex, rows: list[dict[str, Any]]) -> dict[str, Verdict]:
    adapter = cast(InstanceAdapter, Reads(rows))
    return SafeDelete(lambda: 0.0).judge(adapter, [plan(A), plan(B)], index, lambda _: adapter)


ROW = {"hash": A, "name": "Movie", "save_path": "/dl", "content_path": "/dl/Movie"}


def test_an_instance_that_cannot_be_read_defers_the_deletion_of_what_is_still_there() -> None:
    verdicts = judge(PathIndex(unread={"seedbox": "timed out"}), [ROW])
    assert verdicts[A].defer.startswith(
        "deferred: cannot check for cross-seeds on instance 'seedbox' (timed out); "
        "set Disabled = true"
    )
    assert not verdicts[A].files
    assert verdicts[B] == Verdict(True)  # already gone: the request deletes nothing


def test_shared_data_is_kept_and_said_and_the_rest_deleted_with_files() -> None:
    other = Holder("seedbox", A, "Movie [cross]", "/dl", "/dl/Movie")
    verdicts = judge(PathIndex([other]), [ROW])
    assert verdicts[A] == Verdict(False, note="kept data: shared with Movie [cross] on seedbox")
    alone = judge(PathIndex([]), [ROW])
    assert alone[A] == Verdict(True)  # RecycleBin off (no settings): deleted with files
