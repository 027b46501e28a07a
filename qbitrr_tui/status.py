"""`qbitrr-tui status`: probe every configured instance once, concurrently, and report."""

from __future__ import annotations

import json
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from qbitrr_tui.arr.client import ArrClient, ArrError
from qbitrr_tui.config.model import ArrConfig, Config
from qbitrr_tui.health import HealthState
from qbitrr_tui.qbit.manager import QbitManager


def probe_arr(arr: ArrConfig) -> dict[str, Any]:
    client = ArrClient(arr, timeout=(3.05, 10.0), sleep=lambda _: None)
    queue: int | None = None
    try:
        client.system_status()
        queue = len(client.queue())
    except ArrError:
        pass  # the health says what went wrong
    finally:
        client.close()
    health = client.health
    return {
        "name": arr.name,
        "kind": arr.kind,
        "uri": arr.uri,
        "alive": health.is_up,
        "state": health.state.value,
        "version": health.version,
        "error": health.last_error,
        "queue": queue,
    }


def collect_status(config: Config, *, call_timeout: float = 10.0) -> dict[str, Any]:
    """``{"instances": {name: {...}}, "arrs": [...]}`` as documented in the README."""
    # one shot: wait for the whole call timeout, not the per-cycle read budget
    manager = QbitManager(config.instances, call_timeout=call_timeout, read_budget=call_timeout)
    pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="status-arr")
    arr_futures = [pool.submit(probe_arr, arr) for arr in config.managed_arrs]
    try:
        manager.refresh()
        fetched = manager.fetch(config.managed_categories)
        instances: dict[str, Any] = {}
        for health in manager.get_all_instances():
            result = fetched.get(health.name)
            counted = result is not None and result.ok
            instances[health.name] = {
                "alive": health.is_up,
                "state": health.state.value,
                "host": manager.config(health.name).host,
                "port": manager.config(health.name).port,
                "version": health.version,
                "api_version": health.api_version,
                "error": health.last_error,
                "torrents": len(result.snapshots) if counted and result else None,
                "latency_ms": round(health.latency * 1000, 1) if health.latency else None,
            }
        arrs = [future.result() for future in arr_futures]
    finally:
        manager.close()
        pool.shutdown(wait=False, cancel_futures=True)
    return {"instances": instances, "arrs": arrs}


def status_exit_code(report: dict[str, Any]) -> int:
    """0 when every enabled instance (and Arr) is up, 1 otherwise."""
    instances_ok = all(
        item["alive"]
        for item in report["instances"].values()
        if item["state"] != HealthState.DISABLED.value
    )
    arrs_ok = all(item["alive"] for item in report["arrs"])
    return 0 if instances_ok and arrs_ok else 1


def _version_text(version: str | None, api_version: str | None) -> str:
    if not version:
        return "-"
    return f"{version} (API {api_version})" if api_version else version


def render_status(report: dict[str, Any]) -> str:
    rows: list[tuple[str, ...]] = [
        ("INSTANCE", "ADDRESS", "STATE", "VERSION", "TORRENTS", "LATENCY", "LAST ERROR")
    ]
    for name, item in report["instances"].items():
        rows.append(
            (
                name,
                f"{item['host']}:{item['port']}",
                item["state"],
                _version_text(item["version"], item["api_version"]),
                "-" if item["torrents"] is None else str(item["torrents"]),
                "-" if item["latency_ms"] is None else f"{item['latency_ms']:.0f} ms",
                item["error"] or "",
            )
        )
    if not report["instances"]:
        return "no qBittorrent instances are configured"
    lines = _table(rows)
    if report["arrs"]:
        arr_rows: list[tuple[str, ...]] = [
            ("ARR", "URI", "STATE", "VERSION", "QUEUE", "LAST ERROR")
        ]
        for item in report["arrs"]:
            arr_rows.append(
                (
                    item["name"],
                    item["uri"],
                    item["state"],
                    item["version"] or "-",
                    "-" if item["queue"] is None else str(item["queue"]),
                    item["error"] or "",
                )
            )
        lines += ["", *_table(arr_rows)]
    return "\n".join(lines)


def _table(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2)
