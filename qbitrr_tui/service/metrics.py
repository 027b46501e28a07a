"""Prometheus ``/metrics``: gauges read from the view model at scrape time, counters and
the cycle histogram fed by engine events. Labels ``instance``, ``arr``, ``category``,
``state``, ``kind``, ``outcome``, ``endpoint``; never one series per torrent."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector

from qbitrr_tui.engine import events as ev
from qbitrr_tui.health import HealthState
from qbitrr_tui.service.views import UNCATEGORIZED
from qbitrr_tui.tui.view_model import DashboardModel

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
CYCLE_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)


class Metrics:
    def __init__(self, model: DashboardModel, lock: threading.Lock) -> None:
        # No *_created series: they double the counters and say nothing a dashboard uses.
        disable_created_metrics()  # type: ignore[no-untyped-call]
        # A registry of our own: two services in one process (tests) never collide, and
        # the default process/GC collectors stay out of a product's metrics.
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.cycle_seconds = Histogram(
            "qbitrr_engine_cycle_duration_seconds",
            "Wall time of one engine cycle.",
            buckets=CYCLE_BUCKETS,
            registry=r,
        )
        self.actions = Counter(
            "qbitrr_actions",
            "Actions by kind and outcome (planned, applied, failed, held).",
            ["kind", "outcome"],
            registry=r,
        )
        self.api_requests = Counter(
            "qbitrr_api_requests", "Requests to this API by endpoint.", ["endpoint"], registry=r
        )
        self.qbit_requests = Counter(
            "qbitrr_instance_requests",
            "Requests the engine made to each qBittorrent instance.",
            ["instance"],
            registry=r,
        )
        self.arr_requests = Counter(
            "qbitrr_arr_requests",
            "Requests the engine made to each Arr.",
            ["arr"],
            registry=r,
        )
        r.register(_ModelCollector(model, lock))

    def observe(self, event: ev.Event) -> None:
        if isinstance(event, ev.CycleFinished):
            self.cycle_seconds.observe(event.duration)
            for name, count in event.requests_per_instance.items():
                self.qbit_requests.labels(name).inc(max(count, 0))
            for name, count in event.requests_per_arr.items():
                self.arr_requests.labels(name).inc(max(count, 0))
        elif isinstance(event, ev.ActionEvent):
            self.actions.labels(event.action.kind.value, event.outcome).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)


class _ModelCollector(Collector):
    """What the engine last said, read under the feed's lock at each scrape."""

    def __init__(self, model: DashboardModel, lock: threading.Lock) -> None:
        self.model = model
        self.lock = lock

    def describe(self) -> list[Metric]:
        return []  # collected fresh at each scrape; nothing to check at registration

    def collect(self) -> Iterator[Metric]:
        with self.lock:
            yield from self._instances()
            yield from self._arrs()
            yield from self._engine()

    def _instances(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "qbitrr_instance_up", "1 when the instance answers.", labels=["instance"]
        )
        state = GaugeMetricFamily(
            "qbitrr_instance_state",
            "1 for the state the instance is in.",
            labels=["instance", "state"],
        )
        latency = GaugeMetricFamily(
            "qbitrr_instance_latency_seconds", "Latency of the last call.", labels=["instance"]
        )
        total = GaugeMetricFamily(
            "qbitrr_instance_torrents",
            "Torrents on the instance by category (all categories).",
            labels=["instance", "category"],
        )
        managed = GaugeMetricFamily(
            "qbitrr_torrents",
            "Torrents the engine manages, by category and state.",
            labels=["instance", "category", "state"],
        )
        down = GaugeMetricFamily(
            "qbitrr_instance_download_bytes_per_second", "Download speed.", labels=["instance"]
        )
        upl = GaugeMetricFamily(
            "qbitrr_instance_upload_bytes_per_second", "Upload speed.", labels=["instance"]
        )
        free = GaugeMetricFamily(
            "qbitrr_instance_free_space_bytes",
            "Free space qBittorrent reports.",
            labels=["instance"],
        )
        for name, view in self.model.instances.items():
            health, stats = view.health, view.stats
            up.add_metric([name], 1.0 if health and health.is_up else 0.0)
            for s in HealthState:
                state.add_metric([name, s.value], 1.0 if health and health.state is s else 0.0)
            if health and health.latency is not None:
                latency.add_metric([name], health.latency)
            if stats is not None and health is not None and health.is_up:
                for category, count in stats.category_counts.items():
                    total.add_metric([name, category or UNCATEGORIZED], count)
                down.add_metric([name], stats.server.dl_speed)
                upl.add_metric([name], stats.server.up_speed)
                if stats.server.free_space_on_disk >= 0:
                    free.add_metric([name], stats.server.free_space_on_disk)
        counts: dict[tuple[str, str, str], int] = {}
        for row in self.model.torrents.values():
            key = (row.instance, row.category or UNCATEGORIZED, row.state)
            counts[key] = counts.get(key, 0) + 1
        for labels, count in sorted(counts.items()):
            managed.add_metric(list(labels), count)
        yield from (up, state, latency, total, managed, down, upl, free)

    def _arrs(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("qbitrr_arr_up", "1 when the Arr answers.", labels=["arr"])
        queue = GaugeMetricFamily(
            "qbitrr_arr_queue_size", "Records in the Arr's download queue.", labels=["arr"]
        )
        for name, view in self.model.arrs.items():
            up.add_metric([name], 1.0 if view.health and view.health.is_up else 0.0)
            if view.queue_size is not None:
                queue.add_metric([name], view.queue_size)
        yield from (up, queue)

    def _engine(self) -> Iterator[Metric]:
        e = self.model.engine
        yield GaugeMetricFamily("qbitrr_engine_cycle", "Cycles run so far.", value=e.cycle)
        yield GaugeMetricFamily("qbitrr_engine_paused", "1 when paused.", value=float(e.paused))
        yield GaugeMetricFamily(
            "qbitrr_engine_dry_run", "1 in dry-run (nothing is changed).", value=float(e.dry_run)
        )
        yield GaugeMetricFamily(
            "qbitrr_deletions_held",
            "Torrents whose deletion the last cycle held back (MaxDeletionsPerCycle).",
            value=e.held,
        )
        plan = GaugeMetricFamily(
            "qbitrr_plan_items",
            "Torrents waiting in the plan: planned (dry-run) or held (deletion cap).",
            labels=["outcome"],
        )
        counts = {"planned": 0, "held": 0}
        for item in self.model.plan.values():
            counts[item.outcome] = counts.get(item.outcome, 0) + 1
        for outcome, count in counts.items():
            plan.add_metric([outcome], count)
        yield plan
