"""The read chosen each cycle (qbit/read_strategy.py), against a scripted instance."""

from __future__ import annotations

from typing import Any, cast

from qbitrr_tui.qbit import read_strategy as reads
from qbitrr_tui.qbit.adapter import InstanceAdapter, version_tuple
from qbitrr_tui.qbit.fetch import MaindataView
from qbitrr_tui.qbit.read_strategy import BY_HASH_BATCH, LIST_EVERY
from qbitrr_tui.qbit.webapi import QbitRequestError


class Instance:
    """Answers like qBittorrent: torrents by hash, a log, maindata deltas (not computed:
    every call answers all torrents, which is all these tests need)."""

    def __init__(self, api_version: str) -> None:
        self.api_version = api_version
        self.incremental_maindata = version_tuple(api_version) >= (2, 9)
        self.torrents: dict[str, dict[str, Any]] = {}
        self.log: list[dict[str, Any]] = [{"id": 0}, {"id": 1}]
        self.calls: list[str] = []
        self.log_refused = False
        self.asked: list[set[str]] = []  # the hashes of each by-hash read

    def maindata(self, rid: int) -> dict[str, Any]:
        self.calls.append("maindata")
        return {"rid": rid + 1, "full_update": True, "torrents": dict(self.torrents)}

    def torrents_info(self, **filters: Any) -> list[dict[str, Any]]:
        self.calls.append("info:" + ("hashes" if "hashes" in filters else filters["filter"]))
        if "hashes" in filters:
            wanted = set(filters["hashes"].split("|"))
            self.asked.append(wanted)
            return [{"hash": h, **t} for h, t in self.torrents.items() if h in wanted]
        return [
            {"hash": h, **t}
            for h, t in self.torrents.items()
            if t["progress"] < 1 and t["state"] != "error"
        ]

    def transfer_info(self) -> dict[str, Any]:
        self.calls.append("transfer")
        return {"connection_status": "connected"}

    def log_since(self, last_known_id: int) -> list[dict[str, Any]]:
        self.calls.append("log")
        if self.log_refused:
            raise QbitRequestError("HTTP 403", 403)
        return [m for m in self.log if m["id"] > last_known_id]

    def add(self, info_hash: str, *, progress: float, state: str) -> None:
        self.torrents[info_hash] = {"progress": progress, "state": state, "category": "radarr"}
        self.log.append({"id": self.log[-1]["id"] + 1})

    def cycle(self, view: MaindataView, now: float, grace: float = 0.0) -> str:
        self.calls.clear()
        return reads.read(
            cast(InstanceAdapter, self), view, now=now, full_every=60, log_grace=grace
        )


def test_tiered_reads_fully_when_the_log_moves() -> None:
    qbit = Instance("2.8.19")
    view = MaindataView("default")
    assert qbit.cycle(view, 0) == "full"  # the first read; learns where the log is
    assert qbit.cycle(view, 5) == "fast"
    assert qbit.calls == ["log", "transfer"]  # nothing incomplete to read
    qbit.add("a" * 40, progress=1.0, state="stalledUP")  # added complete: logged
    assert qbit.cycle(view, 10) == "full"
    assert "a" * 40 in view.torrents
    assert qbit.cycle(view, 15) == "fast"  # the log is quiet again
    assert qbit.cycle(view, 69) == "fast"
    assert qbit.cycle(view, 70) == "full"  # a minute after the last full read


def test_tiered_brings_the_full_read_forward_only_as_far_as_an_import_needs() -> None:
    """With ImportSettleTime 30 a torrent added complete between two looks at the log is
    imported 30 s after it completed at the earliest: the full read is made in the last
    cycle before then, not at once; with the default 60 (= FullRefreshInterval) the read
    due anyway comes in time and none is added."""
    qbit = Instance("2.8.19")
    view = MaindataView("default")
    qbit.cycle(view, 0, grace=30)
    qbit.cycle(view, 5, grace=30)
    qbit.add("a" * 40, progress=1.0, state="stalledUP")  # after the look at 5: logged
    kinds = {now: qbit.cycle(view, now, grace=30) for now in range(10, 95, 5)}
    # it completed after 5, so its import is due after 35: the cycle at 30 is the last one
    # before (the next, at 35, would see it on time only if nothing slipped); the minute's
    # full read then counts from 30
    assert [n for n, kind in kinds.items() if kind == "full"] == [30, 90]
    assert "a" * 40 in view.torrents

    qbit = Instance("2.8.19")
    view = MaindataView("default")
    qbit.cycle(view, 0, grace=60)
    for when in (7, 23, 41):  # three additions, each logged
        qbit.cycle(view, when - 2, grace=60)
        qbit.add(f"{when:040x}", progress=1.0, state="stalledUP")
    kinds = {now: qbit.cycle(view, now, grace=60) for now in range(45, 125, 5)}
    assert [n for n, kind in kinds.items() if kind == "full"] == [60, 120]


def test_tiered_watches_unsettled_torrents_by_hash() -> None:
    qbit = Instance("2.8.19")
    view = MaindataView("default")
    qbit.add("c" * 40, progress=1.0, state="checkingResumeData")  # complete, still loading
    qbit.add("e" * 40, progress=0.2, state="error")  # incomplete outside filter=downloading
    qbit.cycle(view, 0)
    for now in (5, 10):  # watched cycle after cycle, not only once
        assert qbit.cycle(view, now) == "fast"
        assert qbit.calls == ["log", "info:hashes", "transfer"]
    qbit.torrents["c" * 40]["state"] = "stalledUP"
    qbit.torrents["e" * 40].update(progress=1.0, state="stalledUP")  # a recheck completed it
    qbit.cycle(view, 15)
    assert view.torrents["c" * 40].state == view.torrents["e" * 40].state == "stalledUP"
    qbit.cycle(view, 20)
    assert qbit.calls == ["log", "transfer"]  # settled: no longer watched
    qbit.cycle(view, 30)
    assert qbit.calls == ["log", "info:downloading", "transfer"]  # the list, every 30 s


def test_tiered_without_the_log_keeps_the_fast_read() -> None:
    qbit = Instance("2.8.19")
    qbit.log_refused = True
    view = MaindataView("default")
    assert qbit.cycle(view, 0) == "full"
    assert qbit.cycle(view, 5) == "fast"
    assert qbit.calls == ["transfer"]  # the log asked once, then not again


def test_tiered_reads_magnets_without_metadata_only_with_the_list() -> None:
    """4.x: of the incomplete torrents, those that have their metadata are read every
    cycle (by hash); a magnet still fetching it cannot complete before it has it, and is
    read with the list of every incomplete torrent, every LIST_EVERY seconds."""
    qbit = Instance("2.8.19")
    view = MaindataView("default")
    magnets = [f"{i:040x}" for i in range(300)]
    for magnet in magnets:
        qbit.add(magnet, progress=0.0, state="metaDL")
    qbit.add("d" * 40, progress=0.4, state="downloading")
    qbit.cycle(view, 0)
    assert qbit.cycle(view, 5) == "fast"
    assert qbit.calls == ["log", "info:hashes", "transfer"] and qbit.asked[-1] == {"d" * 40}
    qbit.torrents[magnets[0]].update(state="downloading", progress=0.01)  # it got metadata
    qbit.torrents["d" * 40].update(state="stalledUP", progress=1.0)  # finished
    qbit.cycle(view, 10)
    assert view.torrents["d" * 40].progress == 1.0  # seen at once
    assert view.torrents[magnets[0]].state == "metaDL"  # not yet: read with the list
    qbit.cycle(view, 15)
    assert qbit.calls == ["log", "transfer"]
    qbit.cycle(view, 5 + LIST_EVERY)
    assert qbit.calls == ["log", "info:downloading", "transfer"]
    assert view.torrents[magnets[0]].state == "downloading"
    qbit.cycle(view, 10 + LIST_EVERY)  # now read every cycle, by hash
    assert qbit.calls == ["log", "info:hashes", "transfer"] and qbit.asked[-1] == {magnets[0]}

    # More than a batch with metadata: one list a cycle is cheaper than the batches.
    for magnet in magnets[: BY_HASH_BATCH + 1]:
        qbit.torrents[magnet].update(state="stalledDL")
    qbit.cycle(view, 15 + 2 * LIST_EVERY)
    qbit.cycle(view, 20 + 2 * LIST_EVERY)
    assert qbit.calls == ["log", "info:downloading", "transfer"]


def test_incremental_instances_read_a_delta_every_cycle() -> None:
    qbit = Instance("2.11.4")
    view = MaindataView("default")
    for now in (0, 5, 10):
        assert qbit.cycle(view, now) == "delta"
        assert qbit.calls == ["maindata"]
    qbit.add("b" * 40, progress=1.0, state="stalledUP")
    view.dirty.add("b" * 40)  # the engine changed it: read by hash too (limits are not signalled)
    qbit.cycle(view, 15)
    assert qbit.calls == ["maindata", "info:hashes"] and "b" * 40 in view.torrents
