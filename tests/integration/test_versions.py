"""What differs between qBittorrent releases, checked on each real release of the matrix.

Nothing here names a release's state or string: each test asks the instance what it is (its
Web API version) and checks that the product does the right thing for it.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import requests

from qbitrr_tui.config.model import QbitInstanceConfig
from qbitrr_tui.health import HealthState
from qbitrr_tui.qbit.adapter import InstanceAdapter, version_tuple
from qbitrr_tui.qbit.manager import QbitManager
from qbitrr_tui.qbit.snapshot import PAUSED_STATES, normalise_state, snapshot_from_info
from qbitrr_tui.qbit.webapi import WebApiClient
from qbitrr_tui.sandbox import content
from qbitrr_tui.sandbox.qbit import QbitProcess
from tests.integration.test_qbit_manager import cfg

pytestmark = pytest.mark.integration


def adapter_for(proc: QbitProcess) -> InstanceAdapter:
    client = WebApiClient(proc.name, proc.url, proc.username, proc.password)
    return InstanceAdapter(
        client, client.get_text("app/version"), client.get_text("app/webapiVersion")
    )


def instance_config(proc: QbitProcess, **overrides: object) -> QbitInstanceConfig:
    return cfg(proc.name, proc, **overrides)


def stop_and_wait(proc: QbitProcess, adapter: InstanceAdapter, info_hash: str) -> dict[str, Any]:
    proc.wait_for_torrent(info_hash)  # a stop sent before the torrent is added is lost
    adapter.pause([info_hash])
    return proc.wait_for_torrent(info_hash, lambda t: normalise_state(t["state"]) in PAUSED_STATES)


def test_pause_and_resume_use_the_instances_own_endpoints(
    qbits: dict[str, QbitProcess], content_dir: Path
) -> None:
    proc = qbits["default"]
    adapter = adapter_for(proc)
    stalled = content.add_stalled(proc, content_dir / "gone", "Pause.Me.mkv", category="radarr")
    proc.wait_for_torrent(stalled.info_hash)

    info = stop_and_wait(proc, adapter, stalled.info_hash)
    assert snapshot_from_info(proc.name, info).is_paused
    adapter.resume([stalled.info_hash])
    proc.wait_for_torrent(
        stalled.info_hash, lambda t: normalise_state(t["state"]) not in PAUSED_STATES
    )
    sent = adapter.client.endpoint_counts
    v5 = version_tuple(adapter.api_version) >= (2, 11)
    assert sent["POST torrents/stop"] == (1 if v5 else 0)
    assert sent["POST torrents/pause"] == (0 if v5 else 1)
    assert sent["POST torrents/start" if v5 else "POST torrents/resume"] == 1
    # Every one of those got a success answer: a 404 would have raised.


def test_filters_select_the_same_torrents_on_every_version(
    qbits: dict[str, QbitProcess], content_dir: Path
) -> None:
    proc = qbits["seedbox"]
    adapter = adapter_for(proc)
    running = content.add_stalled(proc, content_dir / "a", "Running.mkv", category="radarr")
    stopped = content.add_stalled(proc, content_dir / "b", "Stopped.mkv", category="radarr")
    seeding = content.make_sample(content_dir / "c", "Seeding.mkv")
    content.add_seeding(proc, seeding, category="radarr")
    stop_and_wait(proc, adapter, stopped.info_hash)
    proc.wait_for_torrent(seeding.info_hash, lambda t: t["progress"] == 1)

    def hashes(name: str) -> set[str]:
        return {t["hash"] for t in adapter.torrents_info(filter=name)}

    assert hashes("stopped") == {stopped.info_hash}
    active = hashes("running")
    assert running.info_hash in active and stopped.info_hash not in active
    # The fast read relies on this: incomplete torrents, stopped ones included.
    assert hashes("downloading") == {running.info_hash, stopped.info_hash}
    with pytest.raises(ValueError, match="unknown torrents/info filter"):
        adapter.torrents_info(filter="paused_or_whatever")  # would match everything on 5.x
    assert adapter.client.endpoint_counts["GET torrents/info"] == 3  # the bad one never sent


def test_share_limits_are_accepted_and_applied(
    qbits: dict[str, QbitProcess], content_dir: Path
) -> None:
    proc = qbits["cloud"]
    adapter = adapter_for(proc)
    sample = content.make_sample(content_dir, "Limited.mkv")
    content.add_seeding(proc, sample, category="radarr")
    proc.wait_for_torrent(sample.info_hash)
    adapter.set_share_limits([sample.info_hash], 1.5, 90)  # HTTP 400 on 5.3 without the extras
    info = proc.wait_for_torrent(sample.info_hash, lambda t: t["ratio_limit"] == 1.5)
    assert info["seeding_time_limit"] == 90


def test_free_space_is_read_on_the_instances_own_disk(
    qbits: dict[str, QbitProcess], tmp_path: Path
) -> None:
    proc = qbits["default"]
    adapter = adapter_for(proc)
    manager = QbitManager([instance_config(proc)], free_space_folder=str(tmp_path))
    try:
        manager.refresh()
        fetched = manager.fetch(["radarr"])[proc.name]
        asked = manager.endpoint_counts()[proc.name]["GET app/getFreeSpaceAtPath"]
    finally:
        manager.close()
    assert fetched.ok
    if adapter.has_free_space_at_path:
        ours = shutil.disk_usage(tmp_path).free
        assert fetched.free_space_at_folder is not None
        assert abs(fetched.free_space_at_folder - ours) < 512 * 1024**2
        assert asked == 1
    else:
        assert fetched.free_space_at_folder is None  # the engine then reads the folder itself
        assert asked == 0


def test_api_key_logs_in_where_the_instance_has_keys(qbits: dict[str, QbitProcess]) -> None:
    proc = qbits["cloud"]  # shared: the key it gets here is deleted again at the end
    session = requests.Session()
    session.headers["Referer"] = proc.url
    session.post(
        f"{proc.url}/api/v2/auth/login",
        data={"username": proc.username, "password": proc.password},
        timeout=5,
    )
    created = session.post(f"{proc.url}/api/v2/app/rotateAPIKey", timeout=5)
    has_keys = created.status_code == 200
    key = created.json()["apiKey"] if has_keys else "qbt_NotAKeyThisVersionKnows0000"

    # The key alone, with a wrong password beside it: the key is what is used.
    manager = QbitManager([instance_config(proc, api_key=key, password="wrong")])
    wrong = QbitManager([instance_config(proc, api_key="qbt_" + "x" * 28)])
    try:
        health = manager.refresh()[0]
        refused = wrong.refresh()[0]
        if has_keys:
            assert health.state is HealthState.UP, health.last_error
            assert manager.fetch(["radarr"])[proc.name].ok
            counts = manager.endpoint_counts()[proc.name]
            assert counts["POST auth/login"] == 0  # no session: the key is sent each time
        else:
            assert health.state is HealthState.AUTH_FAILED
            assert "API key" in (health.last_error or "")
        assert refused.state is HealthState.AUTH_FAILED
        assert "qbt_" not in (refused.last_error or "") and key not in (health.last_error or "")
    finally:
        manager.close()
        wrong.close()
        if has_keys:  # leave the shared instance as it was: password only
            deleted = session.post(f"{proc.url}/api/v2/app/deleteAPIKey", timeout=5)
            assert deleted.ok, (deleted.status_code, deleted.text)
