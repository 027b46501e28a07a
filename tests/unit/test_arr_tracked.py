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


def test_an_old_read_is_answered_at_once_and_read_again_in_the_background() -> None:
    qbit = SlowQbit()
    tracked = TrackedDownloads({"a": qbit}, "radarr", 0.5)  # type: ignore[dict-item]
    wanted = {("a", "aa"), ("a", "bb")}
    assert tracked.live(wanted).keys() == {("a", "aa")}  # the first answer reads
    time.sleep(0.55)
    qbit.hashes, qbit.slow = ["bb"], True
    for _ in range(3):  # the read hangs: the caller does not wait, and one read runs
        assert tracked.live(wanted).keys() == {("a", "aa")}
    wait_for(lambda: qbit.reads == 2)
    qbit.gate.set()
    wait_for(lambda: tracked.live(wanted).keys() == {("a", "bb")})
    assert qbit.reads == 2
