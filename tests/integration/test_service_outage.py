"""An instance, then an Arr, that die and come back: the API shows it, /metrics too, and
Apprise delivers one message when each goes down and one when it is back, not one per
cycle."""

from __future__ import annotations

import contextlib
import time
from dataclasses import replace
from pathlib import Path

import pytest

from qbitrr_tui.config.model import NotificationSettings
from qbitrr_tui.sandbox.arr_server import ArrStandIn
from qbitrr_tui.sandbox.qbit import QbitProcess
from tests.integration.service_helpers import AppriseTarget, Client, engine_with_service
from tests.support.testbed import arr_spec, engine_config

pytestmark = pytest.mark.integration


def test_outage_shows_in_status_and_is_notified_once(
    private_instance: QbitProcess, tmp_path: Path
) -> None:
    radarr = ArrStandIn(
        "Radarr", api_key="outage-key-1234", qbits={"default": private_instance},
        library=tmp_path / "lib",
    )  # fmt: skip
    config = engine_config(
        tmp_path,
        {"default": private_instance},
        arrs=[arr_spec(radarr.start(), name="Movies")],
        settings={"LoopSleepTimer": 1},
    )
    with AppriseTarget() as target, contextlib.ExitStack() as cleanup:
        cleanup.callback(radarr.stop)
        config = replace(config, notifications=NotificationSettings(urls=(target.url,)))
        with engine_with_service(config) as (_engine, service):
            assert service.port is not None
            api = Client(service.port)
            api.wait("/api/status", lambda s: s["qbit"]["alive"] is True)
            assert api.get("/health/ready")["ready"] is True

            private_instance.kill()
            down = api.wait("/api/status", lambda s: s["qbit"]["alive"] is False)
            assert down["qbit"]["state"] == "down" and down["qbit"]["last_error"]
            assert down["qbit"]["next_retry"] > time.time() - 1
            assert down["ready"] is False
            assert api.call("GET", "/health/ready").status_code == 503
            assert api.call("GET", "/health").status_code == 200  # the process is alive
            metrics = api.call("GET", "/metrics").text
            assert 'qbitrr_instance_up{instance="default"} 0.0' in metrics
            assert 'qbitrr_instance_state{instance="default",state="down"} 1.0' in metrics

            # Several cycles (and retries) while it is down: still one message.
            cycle = down["engine"]["cycle"]
            api.wait("/api/status", lambda s: s["engine"]["cycle"] >= cycle + 3)
            private_instance.start()
            api.wait("/api/status", lambda s: s["qbit"]["alive"] is True, timeout=60)
            api.wait("/api/status", lambda s: s["engine"]["cycle"] >= cycle + 5)

            radarr.stop()
            arr = api.wait("/api/status", lambda s: s["arrs"][0]["alive"] is False)["arrs"][0]
            assert arr["state"] == "down" and arr["last_error"]
            assert 'qbitrr_arr_up{arr="Radarr-Movies"} 0.0' in api.call("GET", "/metrics").text
            cycle = api.get("/api/status")["engine"]["cycle"]
            api.wait("/api/status", lambda s: s["engine"]["cycle"] >= cycle + 3)
            radarr.start()
            api.wait("/api/status", lambda s: s["arrs"][0]["alive"] is True, timeout=60)
            api.wait("/api/status", lambda s: s["engine"]["cycle"] >= cycle + 6)
    titles = target.titles()
    assert titles == [
        "qbitrr-tui: instance 'default' is down",
        "qbitrr-tui: instance 'default' is back up",
        "qbitrr-tui: Radarr-Movies is down",
        "qbitrr-tui: Radarr-Movies is back up",
    ], titles
    assert "down" in str(target.received[0]["message"])
    assert target.received[0]["type"] == "failure"
