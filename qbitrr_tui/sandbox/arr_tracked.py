"""What the Arr stand-in knows of its downloads' torrents, read from their qBittorrents.

A real Arr answers its queue from the downloads it tracks and reads its download clients
again on a schedule (about a minute), in the background, not while an API caller waits.
With ``refresh_interval`` 0 (tests) every answer reads qBittorrent live; with more
(benchmarks) the first answer reads it and later ones use what was last read, while a
read is started in the background once it is older than that, so the stand-in's own load
does not count against the engine that asks.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Collection, Mapping
from typing import Any

from qbitrr_tui.sandbox.qbit import QbitProcess

Info = dict[str, Any]  # one torrent as qBittorrent's torrents/info gives it


class TrackedDownloads:
    def __init__(
        self, qbits: Mapping[str, QbitProcess], category: str, refresh_interval: float
    ) -> None:
        self.qbits = qbits
        self.category = category
        self.refresh_interval = refresh_interval
        self._read: dict[str, tuple[float, list[Info]]] = {}  # instance → (when, torrents)
        self._refreshing: set[str] = set()  # instances being read again in the background
        self._lock = threading.Lock()

    def live(self, wanted: Collection[tuple[str, str]]) -> dict[tuple[str, str], Info]:
        """The torrents of ``wanted`` (instance, lower-case hash) that their instance has."""
        found: dict[tuple[str, str], Info] = {}
        for instance in {i for i, _ in wanted}:
            proc = self.qbits.get(instance)
            if proc is None or not proc.running:
                continue
            infos = self._torrents(instance, proc)
            for info in infos or ():
                key = (instance, str(info["hash"]).lower())
                if key in wanted:
                    found[key] = dict(info)
        return found

    def _torrents(self, instance: str, proc: QbitProcess) -> list[Info] | None:
        last = self._read.get(instance)
        if last is None or self.refresh_interval <= 0:
            return self._read_now(instance, proc)
        if time.monotonic() - last[0] >= self.refresh_interval:
            self._read_later(instance, proc)
        return last[1]

    def _read_now(self, instance: str, proc: QbitProcess) -> list[Info] | None:
        """The category's torrents on ``instance`` now (and kept); None when unreadable."""
        try:
            # The whole category in one call: a hash list can outgrow a URL.
            torrents = proc.client().torrents_info(category=self.category)
        except Exception:
            return None
        infos = [dict(t) for t in torrents]
        self._read[instance] = (time.monotonic(), infos)
        return infos

    def _read_later(self, instance: str, proc: QbitProcess) -> None:
        """Read ``instance`` again in the background, one read at a time."""
        with self._lock:
            if instance in self._refreshing:
                return
            self._refreshing.add(instance)

        def read() -> None:
            try:
                self._read_now(instance, proc)
            finally:
                with self._lock:
                    self._refreshing.discard(instance)

        threading.Thread(target=read, daemon=True, name=f"arr-refresh-{instance}").start()
