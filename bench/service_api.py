"""The HTTP API at scale: a model of N torrents over 3 instances fed through the service's
own feed, then the median wall time of real loopback requests to each read endpoint, and
what the fan-out adds to the engine's event puts.

    .venv/bin/python -m bench.service_api --torrents 30000 --repeat 20
"""

from __future__ import annotations

import argparse
import queue
import statistics
import time

import requests

from qbitrr_tui.config.model import WebApiSettings
from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.fanout import EventFanOut
from qbitrr_tui.health import Health, HealthState
from qbitrr_tui.qbit.fetch import ServerState
from qbitrr_tui.service.feed import EventFeed
from qbitrr_tui.service.metrics import Metrics
from qbitrr_tui.service.server import Api, ApiServer
from qbitrr_tui.tui.view_model import DashboardModel

STATES = ("uploading", "stalledUP", "pausedUP", "downloading", "stalledDL", "metaDL")
CATEGORIES = ("radarr", "sonarr", "lidarr")
INSTANCES = ("default", "seedbox", "cloud")


def fleet_events(total: int) -> list[ev.Event]:
    out: list[ev.Event] = []
    per = total // len(INSTANCES)
    for name in INSTANCES:
        health = Health(name, "127.0.0.1:8080", HealthState.UP, 0.0, latency=0.01, version="5.1")
        rows = tuple(
            ev.TorrentRow(
                name,
                f"{name[:1]}{i:039x}",
                f"Release.{i}",
                CATEGORIES[i % 3],
                STATES[i % len(STATES)],
                1.0,
                10**9,
                1.0,
                0,
                (),
                0,
                0,
                0,
                "seeding",
                "ok",
            )
            for i in range(per)
        )
        counts = {c: sum(1 for r in rows if r.category == c) for c in CATEGORIES}
        out += [
            ev.InstanceHealthChanged(health),
            ev.InstanceStats(name, ServerState("connected", 10**12, 0, 0), counts, counts, 0.01, 1),
            ev.TorrentsUpdated(name, rows, full=True),
        ]
    out.append(ev.CycleFinished(1, 0.0, 1.0, {}, {}, 0, total, 0.0, False, False))
    return out


def median_ms(url: str, repeat: int) -> tuple[float, int]:
    times, size = [], 0
    with requests.Session() as session:
        for _ in range(repeat):
            started = time.perf_counter()
            response = session.get(url, timeout=60)
            times.append(time.perf_counter() - started)
            size = len(response.content)
    return statistics.median(times) * 1000, size


def fanout_cost(puts: int) -> tuple[float, float]:
    """µs per put on a plain queue and on a fan-out with one subscriber."""
    event = ev.RescanNow()
    plain: queue.Queue[object] = queue.Queue()
    started = time.perf_counter()
    for _ in range(puts):
        plain.put(event)
    base = (time.perf_counter() - started) / puts * 1e6
    fan = EventFanOut()
    fan.subscribe()
    started = time.perf_counter()
    for _ in range(puts):
        fan.put(event)  # type: ignore[arg-type]
    return base, (time.perf_counter() - started) / puts * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--torrents", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    source: queue.Queue[ev.Event] = queue.Queue()
    model = DashboardModel(INSTANCES)
    feed = EventFeed(source, model)
    metrics = Metrics(model, feed.lock)
    feed.listeners = (metrics.observe,)
    feed.start()
    events = fleet_events(args.torrents)
    started = time.perf_counter()
    for event in events:
        source.put(event)
    while feed.log.seq < len(events):
        time.sleep(0.01)
    print(f"feed: {args.torrents} torrents applied in {time.perf_counter() - started:.2f} s")
    server = ApiServer(Api(feed, queue.Queue(), metrics), WebApiSettings(True, port=0))
    server.start()
    base = f"http://127.0.0.1:{server.port}"
    print("| endpoint | median ms | bytes |\n| --- | ---: | ---: |")
    for path in (
        "/health",
        "/api/status",
        "/api/torrents/distribution",
        "/api/torrents/distribution?detail=1",
        "/api/torrents?limit=100",
        "/api/torrents?instance=seedbox&category=sonarr&state=stalledDL&limit=100",
        "/metrics",
        "/api/events?after=-1",
    ):
        repeat = 3 if "events" in path else args.repeat
        ms, size = median_ms(base + path, repeat)
        print(f"| `{path}` | {ms:.1f} | {size} |")
    server.stop()
    feed.stop()
    plain, fan = fanout_cost(200_000)
    print(f"event put: {plain:.2f} µs on a queue, {fan:.2f} µs with the fan-out (1 subscriber)")


if __name__ == "__main__":
    main()
