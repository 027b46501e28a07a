"""The reads made for the operator — a torrent's details, the queue record a blocklisting by
hand needs — each waited for at most a deadline.

They run on a small pool of their own, so a hung qBittorrent or Arr holds up the engine
thread (and with it every other instance's cycle) no longer than the deadline: the engine
answers with what it has and names what did not answer. The call itself goes on in the
background until its own timeout; its answer, if it ever comes, is dropped. A read that had
not started by the deadline (the pool busy with hung calls) never starts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

T = TypeVar("T")


class LateAnswer(Exception):
    """No answer within the deadline (the message says how long was waited)."""


class OperatorReads:
    def __init__(self, workers: int = 4) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="operator-read")

    def start(self, call: Callable[[], T]) -> Future[T]:
        return self._pool.submit(call)

    @staticmethod
    def outcome(future: Future[T], until: float, waited: float) -> T:
        """The call's result (or its exception) if it ends by ``until`` (time.monotonic);
        LateAnswer otherwise. ``waited``: the deadline in seconds, for the message."""
        try:
            return future.result(timeout=max(0.0, until - time.monotonic()))
        except (FutureTimeout, CancelledError):
            future.cancel()
            raise LateAnswer(f"no answer within {waited:g}s") from None

    def within(self, seconds: float, call: Callable[[], T]) -> T:
        """One call, waited for at most ``seconds``."""
        return self.outcome(self.start(call), time.monotonic() + seconds, seconds)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
