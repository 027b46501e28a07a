"""Dashboard at scale: first snapshot of N torrents, then steady-state updates with 1 % of
rows changed, measured around the app's own drain (events → view model → widgets), headless,
with the Torrents view visible (the expensive one); then the process's CPU while idle.

    .venv/bin/python -m bench.dashboard --torrents 30000 --updates 20
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import queue
import random
import statistics
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from qbitrr_tui.engine import events as ev
from qbitrr_tui.health import Health, HealthState
from qbitrr_tui.tui.app import QbitrrApp
from qbitrr_tui.tui.widgets.torrent_table import TorrentTable

STATES = ("uploading", "stalledUP", "pausedUP", "downloading", "stalledDL", "metaDL")
CATEGORIES = ("radarr", "sonarr", "lidarr")


@dataclass
class Link:
    events: queue.Queue[ev.Event] = field(default_factory=queue.Queue)
    commands: queue.Queue[ev.Command] = field(default_factory=queue.Queue)

    def start(self) -> None:
        pass

    def stop(self, timeout: float = 30.0) -> None:
        pass


def rows(instance: str, count: int, rng: random.Random) -> list[ev.TorrentRow]:
    out = []
    for i in range(count):
        state = rng.choice(STATES)
        done = state in ("uploading", "stalledUP", "pausedUP")
        out.append(
            ev.TorrentRow(
                instance=instance,
                hash=f"{instance}{i:08d}".ljust(40, "0")[:40],
                name=f"Some.Release.Name.{i:05d}.2024.1080p.WEB-DL.x264-GROUP",
                category=rng.choice(CATEGORIES),
                state=state,
                progress=1.0 if done else rng.random(),
                size=rng.randrange(10**8, 10**10),
                ratio=rng.random() * 3,
                eta=rng.randrange(60, 10**5),
                tags=("qBitrr-imported",) if done else (),
                dlspeed=0,
                upspeed=0,
                added_on=0,
                rule="seeding" if done else "ok",
                reason="imported; seeding (ratio 1.20/2.00)" if done else "downloading 40%",
            )
        )
    return out


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def run(total: int, updates: int, instances: int, idle: float) -> dict[str, object]:
    rng = random.Random(7)
    link = Link()
    names = [f"inst{n}" for n in range(instances)]
    app = QbitrrApp(link, instance_names=names, watch_terminal=False)
    per = total // instances
    data = {name: rows(name, per, rng) for name in names}
    rss_before = rss_mib()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("2")
        for name in names:
            link.events.put(ev.InstanceHealthChanged(Health(name, "x:1", HealthState.UP, 0)))
            link.events.put(ev.TorrentsUpdated(name, tuple(data[name]), full=True))
        gc.collect()
        started = time.perf_counter()
        app.drain()
        first = time.perf_counter() - started
        await pilot.pause()
        times = []
        for _ in range(updates):
            for name in names:
                changed = []
                for row in rng.sample(data[name], max(1, per // 100)):
                    changed.append(
                        replace(row, progress=min(1.0, row.progress + 0.01), ratio=row.ratio + 0.01)
                    )
                link.events.put(ev.TorrentsUpdated(name, tuple(changed)))
            started = time.perf_counter()
            app.drain()
            times.append(time.perf_counter() - started)
            await pilot.pause()
        shown = app.query_one(TorrentTable).row_count
        # Idle: no events, the app's own timers and drain loop only (process CPU, all threads).
        cpu_before, wall_before = time.process_time(), time.perf_counter()
        await asyncio.sleep(idle)
        idle_cpu = (time.process_time() - cpu_before) / (time.perf_counter() - wall_before)
    return {
        "torrents": total,
        "shown": shown,
        "first_s": first,
        "update_ms_median": statistics.median(times) * 1000,
        "update_ms_min": min(times) * 1000,
        "update_ms_max": max(times) * 1000,
        "rss_mib": rss_mib(),
        "rss_growth_mib": rss_mib() - rss_before,
        "idle_cpu_percent": idle_cpu * 100,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--torrents", type=int, default=30000)
    parser.add_argument("--instances", type=int, default=3)
    parser.add_argument("--updates", type=int, default=20)
    parser.add_argument("--idle", type=float, default=20.0, help="seconds of idle measured")
    args = parser.parse_args()
    result = asyncio.run(run(args.torrents, args.updates, args.instances, args.idle))
    print(f"torrents {result['torrents']} (shown {result['shown']})")
    print(f"first snapshot applied: {result['first_s']:.2f} s")
    print(
        f"steady-state update, 1% of rows changed: median {result['update_ms_median']:.1f} ms "
        f"(min {result['update_ms_min']:.1f} – max {result['update_ms_max']:.1f})"
    )
    print(f"process RSS: {result['rss_mib']:.0f} MiB")
    print(f"idle CPU with all rows loaded: {result['idle_cpu_percent']:.1f} % of a core")


if __name__ == "__main__":
    main()
