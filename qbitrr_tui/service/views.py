"""The API's JSON documents, built from the dashboard's own view model.

Pure functions of a :class:`DashboardModel`, so the API and the dashboard cannot disagree
about what the engine said. The caller holds the model's lock.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from qbitrr_tui.engine import events as ev
from qbitrr_tui.health import Health
from qbitrr_tui.tui.view_model import ArrView, DashboardModel, InstanceView

UNCATEGORIZED = "uncategorized"  # what qBitrr calls torrents without a category
MAX_PAGE = 1000


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def _health_fields(health: Health | None) -> dict[str, Any]:
    if health is None:
        return {
            "alive": False,
            "state": "unknown",
            "version": None,
            "last_error": None,
            "since": None,
            "next_retry": None,
        }
    return {
        "alive": health.is_up,
        "state": health.state.value,
        "version": health.version,
        "last_error": health.last_error,
        "since": health.since,
        "next_retry": None if health.is_up else health.next_attempt,
    }


def instance_status(view: InstanceView) -> dict[str, Any]:
    health, stats = view.health, view.stats
    host, _, port = (health.address if health else "").rpartition(":")
    out = _health_fields(health)
    out.update(
        webapi=health.api_version if health else None,
        host=host or None,
        port=int(port) if port.isdigit() else None,
        torrents=sum(stats.category_counts.values()) if stats else None,
        managed_torrents=sum(stats.managed_counts.values()) if stats else None,
        latency_ms=_ms(health.latency if health else None),
        download_speed=stats.server.dl_speed if stats else None,
        upload_speed=stats.server.up_speed if stats else None,
        free_space=stats.server.free_space_on_disk if stats else None,
    )
    return out


def arr_status(view: ArrView) -> dict[str, Any]:
    out = _health_fields(view.health)
    out.update(
        name=view.name,
        kind=view.kind,
        category=view.category,
        uri=view.health.address if view.health else None,
        queue=view.queue_size,
    )
    return out


def is_ready(model: DashboardModel) -> bool:
    """Ready: at least one instance is up (the config was loaded, or nothing would run)."""
    return any(v.health is not None and v.health.is_up for v in model.instances.values())


def status(model: DashboardModel) -> dict[str, Any]:
    instances = {name: instance_status(view) for name, view in model.instances.items()}
    default = instances.get("default") or next(iter(instances.values()), None)
    e = model.engine
    return {
        "qbit": default,  # the default instance, as qBitrr's single-instance API had it
        "qbitInstances": instances,
        "arrs": [arr_status(view) for view in model.arrs.values()],
        "engine": {
            "cycle": e.cycle,
            "last_cycle_seconds": e.duration,
            "next_cycle_at": e.next_cycle_at,
            "torrents": e.torrents,
            "held": e.held,
            "dry_run": e.dry_run,
            "paused": e.paused,
            "message": e.message,
        },
        "ready": is_ready(model),
    }


def live_instances(model: DashboardModel) -> list[InstanceView]:
    return [
        v for v in model.instances.values() if v.health and v.health.is_up and v.stats is not None
    ]


def distribution(model: DashboardModel) -> dict[str, Any]:
    """``{"distribution": {category: {instance: count}}}`` as the multi-instance guide has
    it: every torrent of every instance that is up, by category (all categories, not only
    managed ones)."""
    live = live_instances(model)
    table: dict[str, dict[str, int]] = {}
    for view in live:
        assert view.stats is not None
        for category, count in view.stats.category_counts.items():
            table.setdefault(category or UNCATEGORIZED, {})[view.name] = count
    for by_instance in table.values():
        for view in live:
            by_instance.setdefault(view.name, 0)
    return {"distribution": table}


def distribution_detail(
    rows: Iterable[ev.TorrentRow], up: Collection[str]
) -> dict[str, dict[str, dict[str, int]]]:
    """``{category: {instance: {state: count}}}`` of the managed torrents on ``up``."""
    states: dict[str, dict[str, dict[str, int]]] = {}
    for row in rows:
        if row.instance not in up:
            continue
        by_state = states.setdefault(row.category or UNCATEGORIZED, {}).setdefault(row.instance, {})
        by_state[row.state] = by_state.get(row.state, 0) + 1
    return states


def torrent(row: ev.TorrentRow, now: float | None = None) -> dict[str, Any]:
    """One row as JSON: ``reason`` with its countdown as it stands at ``now`` (the time of
    the answer), ``reason_template`` and ``deadline`` to count it down without asking."""
    return {
        "instance": row.instance,
        "hash": row.hash,
        "name": row.name,
        "category": row.category,
        "state": row.state,
        "progress": row.progress,
        "size": row.size,
        "ratio": row.ratio,
        "eta": row.eta,
        "tags": list(row.tags),
        "dlspeed": row.dlspeed,
        "upspeed": row.upspeed,
        "added_on": row.added_on,
        "rule": row.rule,
        "reason": row.reason_at(time.time() if now is None else now),
        "reason_template": row.reason,
        "deadline": row.deadline,
    }


def torrents(all_rows: Iterable[ev.TorrentRow], query: Mapping[str, str]) -> dict[str, Any]:
    """The managed torrents, filtered by ``instance``, ``category``, ``rule``, ``state``
    (exact), sorted by (instance, name), paged by ``offset`` and ``limit``. Rows are
    frozen: the caller copies the list under the lock and calls this outside it."""
    wanted = {k: query[k] for k in ("instance", "category", "rule", "state") if query.get(k)}
    rows = [
        r for r in all_rows if all(getattr(r, field) == value for field, value in wanted.items())
    ]
    rows.sort(key=lambda r: (r.instance, r.name.lower(), r.hash))
    offset = _int_param(query, "offset", 0, 0, len(rows))
    limit = _int_param(query, "limit", 100, 1, MAX_PAGE)
    return {
        "total": len(rows),
        "offset": offset,
        "limit": limit,
        "torrents": [
            torrent(r, now) for now in (time.time(),) for r in rows[offset : offset + limit]
        ],
    }


def activity(model: DashboardModel, since: float) -> dict[str, Any]:
    return {
        "activity": [
            {
                "time": e.time,
                "instance": e.instance,
                "hash": e.hash,
                "name": e.name,
                "action": e.action.describe(),
                "kind": e.action.kind.value,
                "rule": e.rule,
                "reason": e.reason,
                "outcome": e.outcome,
                "dry_run": e.dry_run,
                "error": e.error,
            }
            for e in model.activity
            if e.time > since
        ]
    }


def plan(model: DashboardModel) -> dict[str, Any]:
    return {
        "plan": [
            {
                "instance": item.instance,
                "hash": item.hash,
                "name": item.name,
                "rule": item.rule,
                "reason": item.reason,
                "outcome": item.outcome,
                "actions": list(item.actions),
            }
            for item in model.plan.values()
        ]
    }


class BadParameter(ValueError):
    """A query parameter that is not what the endpoint takes (HTTP 400)."""


def _int_param(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(f"{name} must be a whole number, not {raw!r}") from None
    return max(low, min(high, value))


def float_param(query: Mapping[str, str], name: str, default: float) -> float:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise BadParameter(f"{name} must be a number, not {raw!r}") from None
