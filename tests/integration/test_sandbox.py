"""The sandbox starts real qbittorrent-nox instances that later tests rely on."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from qbitrr_tui.qbit.webapi import QbitAuthFailed, WebApiClient
from qbitrr_tui.sandbox import content
from qbitrr_tui.sandbox.qbit import QbitProcess, password_pbkdf2

pytestmark = pytest.mark.integration


def test_two_instances_seed_and_stall(qbits: dict[str, QbitProcess], content_dir: Path) -> None:
    a, b = qbits["default"], qbits["seedbox"]
    assert a.webui_port != b.webui_port and a.pid != b.pid
    sample = content.make_sample(content_dir, "Seed.Me.2020.mkv", size=128 * 1024)
    content.add_seeding(a, sample, category="radarr")
    magnet_hash = content.add_magnet(b, "Never Resolves", category="radarr")

    seeding = a.wait_for_torrent(
        sample.info_hash, lambda t: t["state"] in ("uploading", "stalledUP")
    )
    assert seeding["progress"] == 1 and seeding["category"] == "radarr"
    stuck = b.wait_for_torrent(magnet_hash, lambda t: t["state"] == "metaDL")
    assert stuck["progress"] == 0
    # Each instance holds only its own torrent.
    assert [t["hash"] for t in a.torrents()] == [sample.info_hash]
    assert [t["hash"] for t in b.torrents()] == [magnet_hash]


def test_stalled_and_slow_download_between_instances(
    qbits: dict[str, QbitProcess], content_dir: Path
) -> None:
    seeder, leecher = qbits["default"], qbits["cloud"]
    sample = content.make_sample(
        content_dir, "Slow.Show.S01", {"e01.mkv": 1024 * 1024}, piece_size=32 * 1024
    )
    content.add_seeding(seeder, sample, category="sonarr")
    seeder.wait_for_torrent(sample.info_hash, lambda t: t["progress"] == 1)
    content.add_downloading(leecher, seeder, sample, category="sonarr", upload_limit=64 * 1024)
    moving = leecher.wait_for_torrent(
        sample.info_hash, lambda t: t["state"] == "downloading" and t["progress"] > 0, timeout=30
    )
    assert moving["progress"] < 1  # limited to ~64 KiB/s, 1 MiB takes ~16 s

    stalled = content.add_stalled(
        leecher, content_dir / "gone", "Nobody.Has.It.mkv", category="sonarr"
    )
    info = leecher.wait_for_torrent(stalled.info_hash, lambda t: t["state"] == "stalledDL")
    assert info["progress"] == 0


def test_restart_on_same_port_keeps_torrents(
    private_instance: QbitProcess, content_dir: Path
) -> None:
    inst = private_instance
    sample = content.make_sample(content_dir, "Keep.Me.mkv")
    content.add_seeding(inst, sample, category="radarr")
    inst.wait_for_torrent(sample.info_hash)
    port, old_pid = inst.webui_port, inst.pid
    inst.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{inst.url}/api/v2/app/version", timeout=2)
    inst.start()
    assert inst.webui_port == port and inst.pid != old_pid
    assert inst.wait_for_torrent(sample.info_hash)["category"] == "radarr"


def test_non_default_password(private_instance: QbitProcess) -> None:
    inst = private_instance
    inst.set_password("s3cret-pass")
    with pytest.raises(QbitAuthFailed):
        WebApiClient("p", inst.url, "admin", "adminadmin").login()
    WebApiClient("p", inst.url, "admin", "s3cret-pass").login()  # no error: logged in


def test_password_hash_format() -> None:
    stored = password_pbkdf2("adminadmin", salt=b"0" * 16)
    assert stored.startswith("@ByteArray(MDAwMDAwMDAwMDAwMDAwMA==:") and stored.endswith(")")


def test_instances_die_with_their_parent(tmp_path: Path, qbittorrent_binary: str) -> None:
    """A killed parent (a dropped SSH session, a killed test run) leaves no qbittorrent-nox."""
    import os
    import signal
    import subprocess
    import sys
    import time

    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from qbitrr_tui.sandbox.qbit import Sandbox\n"
        f"sb = Sandbox(Path({str(tmp_path)!r}), binary={qbittorrent_binary!r})\n"
        "inst = sb.start_instance('orphan')\n"
        "print(inst.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        os.kill(child, 0)  # alive
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                os.kill(child, 0)
            except ProcessLookupError:
                return
            time.sleep(0.2)
        os.kill(child, signal.SIGKILL)
        raise AssertionError("qbittorrent-nox outlived its parent")
    finally:
        if parent.poll() is None:
            parent.kill()
