"""The periodic look for "unregistered" answers (engine/trackers.py ``TrackerScan``): what
each Web API generation is asked, how often, and in which order on 4.x."""

from __future__ import annotations

from typing import Any, cast

from qbitrr_tui.engine.trackers import SCAN_BURST, SCAN_RATE, TrackerScan
from qbitrr_tui.qbit.adapter import InstanceAdapter
from tests.unit.rule_helpers import NOW, arr, snap

URL = "http://t.example.org/announce"
UNREG_45 = {"url": URL, "status": 4, "msg": "Unregistered torrent"}  # 4.5.2 and 5.1.0
UNREG_53 = {"url": URL, "status": 5, "msg": "Unregistered torrent", "updating": False}


class ScanAdapter:
    """An instance of a given Web API generation, counting its tracker requests."""

    def __init__(self, *, lists: bool, flags: bool) -> None:
        self.lists_trackers = lists
        self.flags_tracker_errors = flags
        self.requests: list[tuple[str, str]] = []

    def torrents_with_trackers(self, **filters: str) -> list[dict[str, Any]]:
        self.requests.append(("info", filters.get("hashes") or filters.get("category", "")))
        wanted = filters.get("hashes", "").split("|")
        return [{"hash": h, "trackers": [UNREG_53]} for h in wanted if h]

    def trackers(self, torrent_hash: str) -> list[dict[str, Any]]:
        self.requests.append(("trackers", torrent_hash))
        return [UNREG_45]


def torrents(count: int, first: int = 0, **fields: Any) -> list[Any]:
    return [snap(hash=f"{i + first:040x}", **fields) for i in range(count)]


def test_each_generation_is_asked_only_what_it_cannot_tell() -> None:
    # 4.x: only torrents with no working tracker (empty ``tracker``), each once an interval.
    old = ScanAdapter(lists=False, flags=False)
    scan = TrackerScan()
    quiet = torrents(3, tracker=URL)
    suspects = torrents(SCAN_BURST + 2, first=100)
    read = scan.scan(old, quiet + suspects, {"radarr"}, now=NOW, interval=600)  # type: ignore[arg-type]
    assert len(read) == len(old.requests) == SCAN_BURST
    later = NOW + 2 / SCAN_RATE
    read = scan.scan(old, quiet + suspects, {"radarr"}, now=later, interval=600)  # type: ignore[arg-type]
    assert set(read) == {t.hash for t in suspects[SCAN_BURST:]}  # the rest; the others wait
    assert scan.scan(old, suspects, {"radarr"}, now=later + 60, interval=600) == {}  # type: ignore[arg-type]
    assert TrackerScan.clean(old, quiet[0]) and not TrackerScan.clean(old, suspects[0])  # type: ignore[arg-type]

    # 2.11.7+: only the torrents sync/maindata flags, in one request.
    new = ScanAdapter(lists=True, flags=True)
    flagged = torrents(2, tracker=URL, tracker_error=True)
    read = TrackerScan().scan(new, flagged + quiet, {"radarr"}, now=NOW, interval=600)  # type: ignore[arg-type]
    assert set(read) == {t.hash for t in flagged} and len(new.requests) == 1

    # 5.0/5.1: no flags, one request per category.
    mid = ScanAdapter(lists=True, flags=False)
    scan = TrackerScan()
    scan.scan(mid, quiet, {"radarr"}, now=NOW, interval=600)  # type: ignore[arg-type]
    scan.scan(mid, quiet, {"radarr"}, now=NOW + 5, interval=600)  # type: ignore[arg-type]
    assert mid.requests == [("info", "radarr")]


def test_on_4x_the_reads_are_budgeted_in_time_not_per_cycle() -> None:
    """Many torrents that never reached a tracker: the faster the cycles, the more a
    per-cycle cap sent. Over ten minutes of 0.2 s cycles the scan sends the burst and
    SCAN_RATE a second, no more."""
    old = ScanAdapter(lists=False, flags=False)
    scan = TrackerScan()
    suspects = torrents(1000)
    minutes = 10
    for step in range(minutes * 60 * 5):
        scan.scan(old, suspects, {"radarr"}, now=NOW + step * 0.2, interval=600)  # type: ignore[arg-type]
    assert len(old.requests) <= SCAN_BURST + minutes * 60 * SCAN_RATE
    assert len(old.requests) >= minutes * 60 * SCAN_RATE - 1  # and it does use the budget


def test_on_4x_strikes_due_and_new_suspects_go_first() -> None:
    old = ScanAdapter(lists=False, flags=False)
    scan = TrackerScan()
    stuck = torrents(SCAN_BURST)  # never reached a tracker
    scan.scan(old, stuck, {"radarr"}, now=NOW, interval=600)  # type: ignore[arg-type]
    more = torrents(SCAN_BURST, first=100)
    refilled = NOW + SCAN_BURST / SCAN_RATE
    scan.scan(old, stuck + more, {"radarr"}, now=refilled, interval=600)  # type: ignore[arg-type]
    assert [h for _, h in old.requests[SCAN_BURST:]] == [t.hash for t in more]  # none again

    # An interval later both groups are due. The one whose last read said "unregistered"
    # goes first (its next strike is due), then those never read before.
    gone = stuck[3]
    fresh = snap(hash="f" * 40)
    old.requests.clear()
    later = NOW + 700
    read = scan.scan(
        old,  # type: ignore[arg-type]
        [*stuck, *more, fresh],
        {"radarr"},
        now=later,
        interval=600,
        first={gone.key},
    )
    order = [h for _, h in old.requests]
    assert order[:2] == [gone.hash, fresh.hash] and len(read) == SCAN_BURST

    # A torrent seen with a working tracker again is a new suspect when it loses it: read
    # before the torrents read long ago.
    back = stuck[5]
    working = [*(t for t in stuck if t is not back), snap(hash=back.hash, tracker=URL)]
    scan.scan(old, working, {"radarr"}, now=later + 1, interval=600)  # type: ignore[arg-type]
    old.requests.clear()
    scan.scan(old, [*stuck, *more, fresh], {"radarr"}, now=later + 1 + 4 / SCAN_RATE, interval=600)  # type: ignore[arg-type]
    assert old.requests[0][1] == back.hash


def test_the_watch_scans_first_what_last_said_unregistered() -> None:
    """engine/tracker_watch.py keeps which torrents' last scan found the tracker's
    "unregistered" answer, with the Arr's phrases, and hands them to the scan first."""
    from qbitrr_tui.engine.tracker_watch import TrackerWatch

    class Mixed(ScanAdapter):
        def trackers(self, torrent_hash: str) -> list[dict[str, Any]]:
            self.requests.append(("trackers", torrent_hash))
            gone = torrent_hash == suspects[-1].hash
            return [UNREG_45 if gone else {**UNREG_45, "msg": "Connection refused"}]

    old = cast(InstanceAdapter, Mixed(lists=False, flags=False))
    watch = TrackerWatch()
    suspects = torrents(SCAN_BURST)  # read in order; the last one is gone from its tracker
    more = torrents(SCAN_BURST, first=100)
    by_category = {"radarr": arr()}
    watch.read_instance(old, "default", suspects, by_category, now=NOW, interval=600)
    refilled = NOW + SCAN_BURST / SCAN_RATE
    watch.read_instance(old, "default", suspects + more, by_category, now=refilled, interval=600)
    requests = cast(Mixed, old).requests
    requests.clear()
    later = refilled + 600
    look = watch.read_instance(
        old, "default", suspects + more, by_category, now=later, interval=600
    )
    assert requests[0] == ("trackers", suspects[-1].hash) and len(look.read) == SCAN_BURST
