"""sandbox/arr_tracked.py: the Arr stand-in answers from what it last read, as a real Arr."""

from __future__ import annotations

import threading
import time
from typing import Any

from qbitrr_tui.sandbox.arr_tracked import TrackedDownloads


class SlowQbit:
    """An instance whose torrents/info waits for ``gate`` once ``slow`` is set."""

    running = True

    def __init__(self) -> None:
        self.hashes = ["aa"]
        self.slow = False
        self.gate = threading.Event()
        self.reads = 0

    def client(self) -> SlowQbit:
        return self

    def torrents_info(self, category: str) -> list[dict[str, Any]]:
        self.reads += 1
        if self.slow:
            assert self.gate.wait(10)
        return [{"hash": h.upper(), "category": category} for h in self.hashes]


def wait_for(condition: Any) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_live_reads_every_answer_when_no_interval() -> None:
    qbit = SlowQbit()
    tracked = TrackedDownloads({"a": qbit}, "radarr", 0.0)  # type: ignore[dict-item]
    assert tracked.live({("a", "aa")}).keys() == {("a", "aa")}
    qbit.hashes = ["bb"]
    assert tracked.live({("a", "aa"), ("a", "bb")}).keys() == {("a", "bb")}
    assert qbit.reads == 2


def test_a_poller_reads_on_its_schedule_whether_asked_or_not() -> None:
    """As a real Arr: its download clients are read every interval from start to stop,
    nobody asking; answers use the last read and never wait for a hung one."""
    qbit = SlowQbit()
    tracked = TrackedDownloads({"a": qbit}, "radarr", 0.2)  # type: ignore[dict-item]
    tracked.start()
    try:
        wait_for(lambda: qbit.reads >= 3)  # nobody asked
        wanted = {("a", "aa"), ("a", "bb")}
        assert tracked.live(wanted).keys() == {("a", "aa")}
        qbit.hashes, qbit.slow = ["bb"], True
        wait_for(lambda: qbit.slow and qbit.reads >= 4)
        for _ in range(3):  # the read hangs: answers do not wait, nor read again
            assert tracked.live(wanted).keys() == {("a", "aa")}
        qbit.gate.set()
        wait_for(lambda: tracked.live(wanted).keys() == {("a", "bb")})
    finally:
        tracked.stop()
    stopped = qbit.reads
    time.sleep(0.5)
    assert qbit.reads == stopped  # stop() ends the reads
