"""The operator's reads are waited for at most their deadline; one that had not started by
then (the pool busy with hung calls) never starts; errors come back as raised."""

from __future__ import annotations

import threading
import time

import pytest

from qbitrr_tui.engine.operator_reads import LateAnswer, OperatorReads


def test_an_answer_within_the_deadline_is_returned_and_an_error_raised() -> None:
    reads = OperatorReads(workers=1)
    try:
        assert reads.within(1.0, lambda: 42) == 42
        with pytest.raises(ZeroDivisionError):
            reads.within(1.0, lambda: 1 // 0)
    finally:
        reads.close()


def test_a_hung_call_is_given_up_at_the_deadline_and_what_waited_behind_it_never_runs() -> None:
    reads = OperatorReads(workers=1)
    release = threading.Event()
    ran: list[str] = []
    try:
        start = time.monotonic()
        with pytest.raises(LateAnswer, match=r"no answer within 0\.2s"):
            reads.within(0.2, lambda: release.wait(10))  # holds the only worker
        with pytest.raises(LateAnswer):
            reads.within(0.2, lambda: ran.append("queued"))  # behind it: never started
        took = time.monotonic() - start
        release.set()
        assert reads.within(1.0, lambda: "free again") == "free again"
    finally:
        release.set()
        reads.close()
    assert took < 1.0
    assert ran == []  # cancelled before it started
