"""The engine's own work in a quiet cycle, in-process, with no network: decide, remember and
publish 3 × N hand-built snapshots (80 % seeding, 10 % paused, 10 % stuck magnets — half of
them in their StalledDelay grace, counting down, and in the Arr's queue, whose records are
new objects every read), the same snapshot objects every cycle, as between two full reads,
the clock 5 s further each cycle. CPU time per cycle
(``time.process_time``, so other load on the machine counts less than in bench.scale), and
with ``--memory`` what the engine holds after the cycles (tracemalloc, snapshots included).

    .venv/bin/python -m bench.engine_cycle --torrents 10000 --cycles 12
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from qbitrr_tui.arr.queue import QueueGroup, QueueItem
from qbitrr_tui.config.model import ArrConfig, Config, QbitInstanceConfig, Settings
from qbitrr_tui.engine import decider as decider_module
from qbitrr_tui.engine.executor import Executed
from qbitrr_tui.engine.journal import Reconciled
from qbitrr_tui.engine.loop import Engine
from qbitrr_tui.engine.model import TAG_ALLOWED_SEEDING, TAG_ALLOWED_STALLED, TAG_IMPORTED
from qbitrr_tui.qbit.fetch import ServerState
from qbitrr_tui.qbit.manager import InstanceFetch
from qbitrr_tui.qbit.snapshot import TorrentSnapshot, snapshot_from_info
from qbitrr_tui.qbit.webapi import QbitError

NOW = 1_700_000_000.0
INSTANCES = ("default", "seedbox", "cloud")
RECORD = ("warning", "downloading", "warning", (), "")  # status … output path
TAGS = f"{TAG_IMPORTED}, {TAG_ALLOWED_SEEDING}"


def torrents(instance: str, count: int) -> tuple[TorrentSnapshot, ...]:
    out = []
    for i in range(count):
        info: dict[str, Any] = {
            "name": f"Movie.{i}.mkv",
            "category": "radarr",
            "size": 1000,
            "added_on": int(NOW - 86400),
            "content_path": f"/dl/Movie.{i}.mkv",
        }
        if i % 10 < 9:  # complete: seeding, or paused after seeding
            state = "uploading" if i % 10 < 8 else "pausedUP"
            info.update(state=state, progress=1.0, tags=TAGS, completion_on=int(NOW - 3600))
        elif (i // 10) % 2:  # a magnet stuck without metadata for a day
            info.update(state="metaDL", progress=0.0, amount_left=1000)
        else:  # one stuck for 10 minutes: in its grace (StalledDelay 15 min), in the queue
            info.update(
                state="metaDL",
                progress=0.0,
                amount_left=1000,
                added_on=int(NOW - 600),
                tags=TAG_ALLOWED_STALLED,
            )
        out.append(snapshot_from_info(instance, info, f"{instance[:2]}{i:038x}"))
    return tuple(out)


def queue(fetched: dict[str, InstanceFetch]) -> dict[str, QueueGroup]:
    """The Arr's queue as one read gives it: new record objects for the magnets in grace."""
    return {
        t.hash: QueueGroup(
            t.hash,
            (QueueItem(n, t.hash, t.name, "warning", "downloading", "warning", (), "", (n,), ""),),
        )
        for f in fetched.values()
        for n, t in enumerate(f.snapshots)
        if t.added_on > NOW - 3600
    }


class NoQbit:
    """No instance to ask for file lists or trackers (none is needed here)."""

    read_budget = 5.0

    def get_client(self, name: str) -> Any:
        raise QbitError(f"no instance '{name}' in this benchmark")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--torrents", type=int, default=10_000, help="per instance (3)")
    parser.add_argument("--cycles", type=int, default=12)
    parser.add_argument("--memory", action="store_true")
    args = parser.parse_args()
    settings = Settings(data_folder=Path(tempfile.mkdtemp(prefix="qbitrr-bench-")))
    arr = ArrConfig(kind="Radarr", name="Radarr", uri="http://r", api_key="k", category="radarr")
    # Configured (the decider asks for each one's adapter), never connected: nothing is sent.
    instances = tuple(
        QbitInstanceConfig(name=n, section=f"qBit-{n}", host="127.0.0.1", port=9, password="x")
        for n in INSTANCES
    )
    config = Config(path=None, settings=settings, arrs=(arr,), instances=instances)
    engine = Engine(config, clock=lambda: NOW)
    fetched = {
        name: InstanceFetch(name, torrents(name, args.torrents), ServerState("connected"))
        for name in INSTANCES
    }
    cycle = engine._cycle
    cycle.decider.qbits = NoQbit()  # type: ignore[assignment]
    calls = [0]
    real = decider_module.decide  # type: ignore[attr-defined]

    def counting(*a: Any) -> Any:
        calls[0] += 1
        return real(*a)

    decider_module.decide = counting  # type: ignore[attr-defined,assignment]
    decided, walked = [], []
    if args.memory:
        tracemalloc.start()
    times = []
    for n in range(args.cycles):
        now = NOW + 5 * n
        gc.collect()
        calls[0] = 0
        start = time.process_time()
        queues = {arr.name: queue(fetched)}
        plans, new = cycle.decider.decide_all(config, fetched, queues, now)
        cycle._remember(fetched, plans, [], Executed(), Reconciled(), new, now)
        cycle.publisher.publish(fetched, {})
        times.append(time.process_time() - start)
        decided.append(calls[0])
        walked.append(cycle.decider.walked)
        while not engine.events.empty():
            engine.events.get_nowait()
    engine.close()
    if args.memory:
        held, _ = tracemalloc.get_traced_memory()
        print(f"held after {args.cycles} cycles: {held / 2**20:.1f} MiB (snapshots included)")
        for stat in tracemalloc.take_snapshot().statistics("lineno")[:15]:
            frame = stat.traceback[0]
            where = f"{frame.filename}:{frame.lineno}"
            print(f"  {stat.size / 2**20:6.2f} MiB {stat.count:7d}  {where}")
        return
    steady = times[3:]
    print(
        f"3 × {args.torrents}: first cycle {times[0] * 1000:.0f} ms, then a quiet cycle "
        f"{statistics.median(steady) * 1000:.0f} ms median ({min(steady) * 1000:.0f}–"
        f"{max(steady) * 1000:.0f}); decide() calls per cycle: {decided}; torrents walked: {walked}"
    )


if __name__ == "__main__":
    main()
