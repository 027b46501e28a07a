"""The README's metrics table lists exactly the metrics /metrics exposes."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.model import Action, ActionKind
from qbitrr_tui.health import Health, HealthState
from qbitrr_tui.qbit.fetch import ServerState
from qbitrr_tui.service.metrics import Metrics
from qbitrr_tui.tui.view_model import DashboardModel

README = Path(__file__).resolve().parents[2] / "README.md"


def exposed() -> set[str]:
    model = DashboardModel(["default"], ["Radarr-Movies"])
    metrics = Metrics(model, threading.Lock())
    events: list[ev.Event] = [
        ev.InstanceHealthChanged(Health("default", "h:1", HealthState.UP, 0.0, latency=0.01)),
        ev.ArrHealthChanged(
            Health("Radarr-Movies", "http://r", HealthState.UP, 0.0), "Radarr", "radarr", 2
        ),
        ev.InstanceStats("default", ServerState("connected", 10, 1, 2), {"radarr": 1}, {}, 0.01, 3),
        ev.ActionEvent(
            0.0, "default", "a" * 40, "M", Action(ActionKind.DELETE), "r", "", "held", False
        ),
        ev.CycleFinished(
            1, 0.0, 0.2, {"default": 3}, {"Radarr-Movies": 1}, 1, 1, 0.0, False, False
        ),
    ]
    for event in events:
        model.apply(event)
        metrics.observe(event)
    metrics.api_requests.labels("/metrics").inc()
    names = set()
    for family in text_string_to_metric_families(metrics.render().decode()):
        names.add(family.name + "_total" if family.type == "counter" else family.name)
    return names


def test_readme_lists_every_metric() -> None:
    text = README.read_text()
    section = text[text.index("### Prometheus metrics") : text.index("### Notifications")]
    documented = set(re.findall(r"^\| `(qbitrr_\w+)`", section, re.MULTILINE))
    assert documented == exposed()
