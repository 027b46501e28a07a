"""Completion → import latency: torrents added already complete during the measured window.

A cross-seed or a re-add: every ``interval`` seconds one torrent whose data is already on
disk is added (skip_checking: complete at once) to a managed category, round-robin over the
instances and categories, and its Arr gets a queue record for it. Its completion time is
when qBittorrent accepted it. The import time is, for qbitrr-tui (dry-run), the time of its
"DRY-RUN would import '<name>'" log line; for qBitrr2 (live), when the Arr stand-in
received the import command naming its hash.
"""

from __future__ import annotations

import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from qbitrr_tui.sandbox import content
from qbitrr_tui.sandbox.arr_server import ArrStandIn
from qbitrr_tui.sandbox.qbit import QbitProcess

_PLANNED = re.compile(r"^(\S+ \S+) .*DRY-RUN would import '([^']+)'", re.MULTILINE)


@dataclass
class Added:
    name: str
    info_hash: str
    at: float


@dataclass
class Completions:
    instances: dict[str, QbitProcess]
    arrs: dict[str, tuple[ArrStandIn, str]]  # kind → (stand-in, category)
    folder: Path
    interval: float = 10.0
    tag: str = "x"
    added: list[Added] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> Completions:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(30)

    def _run(self) -> None:
        targets = [(n, k) for n in self.instances for k in self.arrs]
        i = 0
        while not self._stop.wait(self.interval):
            name, kind = targets[i % len(targets)]
            arr, category = self.arrs[kind]
            title = f"Late.{self.tag}.{i}.{name}.{category}.mkv"
            sample = content.make_sample(self.folder / f"{self.tag}-{i}", title, size=32 * 1024)
            at = time.time()  # complete once accepted: the latency is an upper bound
            content.add_seeding(self.instances[name], sample, category=category)
            self.added.append(Added(title, sample.info_hash, at))
            arr.add_records(name, sample.info_hash, title, [100_000 + i])
            i += 1


def latencies_from_log(added: list[Added], log_text: str) -> list[float | None]:
    planned: dict[str, float] = {}
    for m in _PLANNED.finditer(log_text):
        when = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S,%f").timestamp()
        planned.setdefault(m.group(2), when)
    return [(planned[a.name] - a.at) if a.name in planned else None for a in added]


def latencies_from_arrs(added: list[Added], arrs: list[ArrStandIn]) -> list[float | None]:
    sent: dict[str, float] = {}
    for arr in arrs:
        for command in list(arr.commands.values()):
            client_id = str(command.body.get("downloadClientId", "")).lower()
            if client_id and command.name == arr.kind.import_command:
                sent.setdefault(client_id, command.queued)
    return [(sent[a.info_hash] - a.at) if a.info_hash in sent else None for a in added]


def summarise(latencies: list[float | None]) -> dict[str, float | int | None]:
    seen = [x for x in latencies if x is not None]
    return {
        "added": len(latencies),
        "imported": len(seen),
        "p50_s": round(statistics.median(seen), 2) if seen else None,
        "max_s": round(max(seen), 2) if seen else None,
    }
