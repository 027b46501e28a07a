"""Which way of fetching torrents is cheapest? (issue: multi-instance manager)

Populates one sandbox qbittorrent-nox with N torrents over 5 categories (3 managed), then
runs each strategy for C cycles, 1 s apart, and reports per cycle: requests, bytes received,
qBittorrent CPU time (from /proc) and client-side time.

    .venv/bin/python -m bench.fetch_strategies --torrents 5000 --cycles 20
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from qbitrr_tui.qbit.adapter import InstanceAdapter
from qbitrr_tui.qbit.fetch import MaindataView
from qbitrr_tui.qbit.snapshot import snapshot_from_info
from qbitrr_tui.qbit.webapi import WebApiClient
from qbitrr_tui.sandbox import versions
from qbitrr_tui.sandbox.bulk import Mix, populate
from qbitrr_tui.sandbox.qbit import Sandbox

MANAGED = ("radarr", "sonarr", "lidarr")
ALL = (*MANAGED, "personal", "linux-isos")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def per_category(adapter: InstanceAdapter) -> Callable[[], int]:
    def run() -> int:
        snaps = []
        for cat in (*MANAGED, "failed", "recheck"):
            snaps += [snapshot_from_info("x", t) for t in adapter.torrents_info(category=cat)]
        return len(snaps)

    return run


def unfiltered(adapter: InstanceAdapter) -> Callable[[], int]:
    wanted = frozenset((*MANAGED, "failed", "recheck"))

    def run() -> int:
        return len(
            [
                snapshot_from_info("x", t)
                for t in adapter.torrents_info()
                if t.get("category") in wanted
            ]
        )

    return run


def maindata(adapter: InstanceAdapter) -> Callable[[], int]:
    view = MaindataView("x")
    wanted = frozenset((*MANAGED, "failed", "recheck"))

    def run() -> int:
        view.apply(adapter.maindata(view.rid))
        return len(view.snapshots(wanted))

    return run


def downloading_only(adapter: InstanceAdapter) -> Callable[[], int]:
    """Only the incomplete torrents (what a tiered design would poll every cycle)."""
    wanted = frozenset((*MANAGED, "failed", "recheck"))

    def run() -> int:
        return len(
            [
                snapshot_from_info("x", t)
                for t in adapter.torrents_info(filter="downloading")
                if t.get("category") in wanted
            ]
        )

    return run


def log_beacon(adapter: InstanceAdapter) -> Callable[[], int]:
    """The instance's log since the last message seen (qbit/read_strategy.py on 4.5)."""
    last = [-1]

    def run() -> int:
        ids = [m["id"] for m in adapter.log_since(last[0])]
        last[0] = max([last[0], *ids])
        return 0

    return run


def idle(adapter: InstanceAdapter) -> Callable[[], int]:
    """No request: qBittorrent's own background CPU, the baseline to subtract."""
    return lambda: 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--torrents", type=int, default=5000)
    parser.add_argument("--cycles", type=int, default=20)
    parser.add_argument("--qbittorrent", default="", help="a series of the matrix: 4.5, 5.1, 5.3")
    args = parser.parse_args()
    binary = versions.binary_for(args.qbittorrent) if args.qbittorrent else None
    per_cat = args.torrents // len(ALL)
    mix = Mix(
        seeding=int(per_cat * 0.8),
        paused=int(per_cat * 0.1),
        stuck=per_cat - int(per_cat * 0.8) - int(per_cat * 0.1),
    )
    with tempfile.TemporaryDirectory() as tmp, Sandbox(Path(tmp), binary=binary) as sb:
        inst = sb.start_instance("bench")
        started = time.monotonic()
        populate(inst, Path(tmp) / "content", ALL, mix)
        total = len(inst.torrents())
        print(
            f"populated {total} torrents in {time.monotonic() - started:.1f}s "
            f"(qbittorrent-nox {inst.client().app_version()})"
        )
        time.sleep(5)  # let checking/metadata settle
        print(
            f"{'strategy':<14} {'req/cycle':>9} {'KiB/cycle':>10} {'qbt CPU ms/cycle':>17} "
            f"{'client ms/cycle':>16} {'managed':>8}"
        )
        for label, make in (
            ("idle (none)", idle),
            ("per-category", per_category),
            ("unfiltered", unfiltered),
            ("maindata", maindata),
            ("downloading", downloading_only),
            ("log/main", log_beacon),
        ):
            client = WebApiClient("bench", inst.url, inst.username, inst.password)
            client.login()
            adapter = InstanceAdapter(
                client, client.get_text("app/version"), client.get_text("app/webapiVersion")
            )
            run = make(adapter)
            run()  # warm-up: the first maindata is a full list; count steady state only
            req0, bytes0 = client.requests_made, client.bytes_received
            cpu0 = cpu_seconds(inst.pid or 0)
            client_ms = []
            managed = 0
            for _ in range(args.cycles):
                t0 = time.perf_counter()
                managed = run()
                client_ms.append((time.perf_counter() - t0) * 1000)
                time.sleep(1)
            cycles = args.cycles
            qbt_ms = (cpu_seconds(inst.pid or 0) - cpu0) * 1000 / cycles
            print(
                f"{label:<14} {(client.requests_made - req0) / cycles:>9.1f} "
                f"{(client.bytes_received - bytes0) / cycles / 1024:>10.1f} "
                f"{qbt_ms:>17.1f} {statistics.median(client_ms):>16.1f} {managed:>8}"
            )
            client.close()


if __name__ == "__main__":
    main()
