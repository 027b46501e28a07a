"""What the Arr stand-in knows of its downloads' torrents, read from their qBittorrents.

A real Arr answers its queue from the downloads it tracks and reads its download clients
again on a schedule (about a minute), in the background, whether or not anybody asks for
its queue. With ``refresh_interval`` 0 (tests) every answer reads qBittorrent live; with
more (benchmarks) a poller reads every instance that often from :meth:`start` to
:meth:`stop`, and answers use what was last read — so the stand-in costs qBittorrent the
same whichever engine runs, and however often it asks (an engine that never reads the
queue does not spare qBittorrent the Arr's reads).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Collection, Mapping
from typing import Any

from qbitrr_tui.sandbox.qbit import QbitProcess

Info = dict[str, Any]  # one torrent as qBittorrent's torrents/info gives it
READ_AT = "sandbox_read_at"  # added to each: when the stand-in read it (time.time())


class TrackedDownloads:
    def __init__(
        self, qbits: Mapping[str, QbitProcess], category: str, refresh_interval: float
    ) -> None:
        self.qbits = qbits
        self.category = category
        self.refresh_interval = refresh_interval
        self._read: dict[str, list[Info]] = {}  # instance → its torrents at the last read
        self._stopping = threading.Event()
        self._poller: threading.Thread | None = None

    def start(self) -> None:
        """Start reading every instance each ``refresh_interval`` (none when it is 0)."""
        if self.refresh_interval <= 0 or self._poller is not None:
            return
        self._stopping.clear()
        self._poller = threading.Thread(
            target=self._poll, daemon=True, name=f"arr-refresh-{self.category}"
        )
        self._poller.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._poller is not None:
            self._poller.join(timeout=60)
            self._poller = None

    def _poll(self) -> None:
        while True:
            for instance, proc in list(self.qbits.items()):
                if proc.running and not self._stopping.is_set():
                    self._read_now(instance, proc)
            if self._stopping.wait(self.refresh_interval):
                return

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
        return last

    def _read_now(self, instance: str, proc: QbitProcess) -> list[Info] | None:
        """The category's torrents on ``instance`` now (and kept); None when unreadable."""
        try:
            # The whole category in one call: a hash list can outgrow a URL.
            torrents = proc.client().torrents_info(category=self.category)
        except Exception:
            return None
        now = time.time()
        infos = [{**t, READ_AT: now} for t in torrents]
        self._read[instance] = infos
        return infos
