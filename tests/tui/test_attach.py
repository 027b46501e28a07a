"""`attach`: the dashboard drives a headless engine (a real `run --headless` process with
[WebAPI]) over the API, and leaving the dashboard leaves the engine running."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from qbitrr_tui.health import HealthState
from qbitrr_tui.sandbox import content
from qbitrr_tui.sandbox.arr_server import ArrStandIn
from qbitrr_tui.sandbox.configs import ArrSpec, sandbox_config_text
from qbitrr_tui.sandbox.qbit import QbitProcess, free_port
from qbitrr_tui.service.attach import RemoteLink
from qbitrr_tui.tui.app import QbitrrApp
from qbitrr_tui.tui.widgets.instance_panel import InstancePanel
from tests.integration.service_helpers import TOKEN, Client, api_section, headless_engine

pytestmark = pytest.mark.integration


async def test_attach_drives_a_headless_engine(
    qbits: dict[str, QbitProcess],
    arr_factory: Callable[..., ArrStandIn],
    tmp_path: Path,
    content_dir: Path,
) -> None:
    radarr = arr_factory("Radarr")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    sample = content.make_sample(content_dir, "Attach.Movie.mkv", size=10_000)
    content.add_seeding(qbits["default"], sample, category="radarr")
    path = tmp_path / "config.toml"
    path.write_text(
        sandbox_config_text(
            {"default": qbits["default"], "seedbox": qbits["seedbox"]},
            data_folder=tmp_path / "data",
            arrs=[ArrSpec("Radarr", "Movies", radarr.url, radarr.api_key, "radarr")],
            settings={"LoopSleepTimer": 300},
        )
        + api_section(port)
    )
    with headless_engine(path, port, tmp_path, stderr=subprocess.DEVNULL) as proc:
        api = Client(port)
        api.wait("/api/status", lambda s: s["engine"]["cycle"] >= 1)
        link = RemoteLink(base, TOKEN)
        fleet = link.fleet()
        assert fleet.instances == ("default", "seedbox") and fleet.arrs == ("Radarr-Movies",)
        app = QbitrrApp(
            link,
            instance_names=fleet.instances,
            arr_names=fleet.arrs,
            dry_run=fleet.dry_run,
            watch_terminal=False,
        )

        async def until(check: Callable[[], bool], what: str) -> None:
            deadline = time.monotonic() + 30
            while not check():
                assert time.monotonic() < deadline, what
                await pilot.pause(0.2)

        def state_of(name: str) -> HealthState | None:
            health = app.model.instances[name].health
            return health.state if health else None

        async with app.run_test(size=(120, 40)) as pilot:
            # The snapshot: both instances up, the torrent on `default`, the cycle count.
            await until(lambda: state_of("seedbox") is HealthState.UP, "seedbox up")
            await until(lambda: ("default", sample.info_hash) in app.model.torrents, "torrent")
            cycle = app.model.engine.cycle
            assert cycle >= 1
            panel = app.query_one("#instance-default", InstancePanel)
            assert str(panel.query_one("#info").content).startswith("up")

            await pilot.press("r")  # rescan: the remote engine runs a cycle (sleep is 300 s)
            await until(lambda: app.model.engine.cycle > cycle, "a cycle after r")

            await pilot.press("down")  # the second instance
            await pilot.press("t")
            await until(lambda: state_of("seedbox") is HealthState.DISABLED, "disabled")
            assert api.get("/api/status")["qbitInstances"]["seedbox"]["state"] == "disabled"
            await pilot.press("t")
            await until(lambda: state_of("seedbox") is HealthState.UP, "enabled again")

            await pilot.press("p")
            await until(lambda: app.model.engine.paused, "paused")
            assert api.get("/api/status")["engine"]["paused"] is True
            await pilot.press("p")
            await until(lambda: not app.model.engine.paused, "resumed")

        # Leaving the dashboard leaves the engine running.
        assert proc.poll() is None
        assert requests.get(f"{base}/health", timeout=5).status_code == 200
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 143  # 128 + SIGTERM, after a clean stop


def test_attach_to_nothing_is_one_clear_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    from qbitrr_tui.cli import main

    url = f"http://127.0.0.1:{free_port()}"
    assert main(["attach", url]) == 2
    assert capsys.readouterr().err == (
        f"qbitrr-tui: cannot reach the engine at {url}: connection refused or host unreachable\n"
    )
