"""SIGINT, SIGTERM and SIGHUP end the dashboard through its normal exit (engine stopped,
terminal restored, demo sandbox removed) with the conventional status 128 + signal number
(130, 143, 129). Ctrl-C typed at the dashboard is a key, not SIGINT: Textual answers it with
a hint to press the quit key."""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Callable
from typing import Any

LEAVE_ON = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class LeaveOnSignal:
    """Install with :meth:`install` while the app's loop runs; :meth:`remove` puts the
    previous handlers back (the demo's, which stop the sandbox)."""

    def __init__(self, leave: Callable[[int], None]) -> None:
        self._leave = leave
        self._previous: dict[int, Any] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return  # tests run the app off the main thread: signals are not theirs
        self._loop = asyncio.get_running_loop()
        for sig in LEAVE_ON:
            self._previous[sig] = signal.getsignal(sig)
            self._loop.add_signal_handler(sig, self._leave, 128 + sig)

    def remove(self) -> None:
        if self._loop is None:
            return
        for sig, previous in self._previous.items():
            self._loop.remove_signal_handler(sig)
            signal.signal(sig, previous)
        self._previous.clear()
        self._loop = None
