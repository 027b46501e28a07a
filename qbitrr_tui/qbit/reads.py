"""Reading one instance: its read this cycle (which one is chosen from its version in
read_strategy.py), its health moved with the outcome, and what one read hands the engine."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from qbitrr_tui.health import HealthState
from qbitrr_tui.logs import get_logger, trace
from qbitrr_tui.qbit import read_strategy
from qbitrr_tui.qbit.adapter import InstanceAdapter
from qbitrr_tui.qbit.fetch import ServerState, ViewChanges
from qbitrr_tui.qbit.instance import HealthBook, Instance
from qbitrr_tui.qbit.snapshot import TorrentSnapshot
from qbitrr_tui.qbit.webapi import QbitAuthFailed, QbitError, QbitRequestError

log = get_logger("qbit")


@dataclass(frozen=True, slots=True)
class InstanceFetch:
    """One instance's torrents this cycle (or why there are none)."""

    name: str
    snapshots: tuple[TorrentSnapshot, ...] = ()
    server: ServerState = field(default_factory=ServerState)
    category_counts: Mapping[str, int] = field(default_factory=dict)
    error: str | None = None
    latency: float | None = None
    # Free bytes at the FreeSpaceFolder on the instance's own disk (Web API ≥ 2.15.2);
    # None when the instance cannot say, and the folder is then read locally.
    free_space_at_folder: int | None = None
    changes: ViewChanges | None = None  # since the instance's last read (None: look at all)

    @property
    def ok(self) -> bool:
        return self.error is None


def read_instance(
    inst: Instance,
    categories: frozenset[str],
    *,
    health: HealthBook,
    clock: Callable[[], float],
    full_refresh_every: float,
    import_settle_time: float = 0.0,
    free_space_folder: str,
    read_budget: float,
) -> InstanceFetch:
    """One instance's torrents of ``categories``: a full read when due, else the fast one;
    its health moves with the outcome (up, with ``slow`` past ``read_budget``, or down)."""
    name = inst.config.name
    adapter = inst.adapter
    if adapter is None:
        return InstanceFetch(name, error="not connected")
    view = inst.view
    started = clock()
    try:
        read_strategy.read(
            adapter,
            view,
            now=started,
            full_every=full_refresh_every,
            log_grace=import_settle_time,
        )
        free_at_folder = free_space_at_folder(adapter, free_space_folder)
    except QbitAuthFailed as exc:
        health.failed(inst, HealthState.AUTH_FAILED, str(exc))
        return InstanceFetch(name, error=str(exc))
    except (QbitError, ValueError) as exc:
        health.failed(inst, HealthState.DOWN, str(exc))
        return InstanceFetch(name, error=str(exc))
    snapshots = view.snapshots(categories)

    trace(log, "Retrieved %d torrents from instance '%s'", len(snapshots), name)
    latency = adapter.client.last_latency
    now = clock()
    took = now - started
    inst.last_good = now
    up = inst.health.moved_to(HealthState.UP, now, latency=latency)
    health.set(inst, up.read_late(took if took > read_budget else None, None))
    return InstanceFetch(
        name,
        snapshots=snapshots,
        server=inst.view.server_state(),
        category_counts=inst.view.category_counts(),
        latency=latency,
        free_space_at_folder=free_at_folder,
        changes=inst.view.hand_out(categories),
    )


def free_space_at_folder(adapter: InstanceAdapter, folder: str) -> int | None:
    """The instance's own view of FreeSpaceFolder: right for a remote instance, whose
    disk is not ours. A path the instance does not have answers 4xx: None."""
    if not folder or not adapter.has_free_space_at_path:
        return None
    try:
        return adapter.free_space_at(folder)
    except QbitRequestError:
        return None
