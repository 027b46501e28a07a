"""Builders for engine unit tests: hand-made fetch results and plans, no network."""

from __future__ import annotations

from qbitrr_tui.engine.model import Action, ActionKind, Rule
from qbitrr_tui.engine.plan import Planned
from qbitrr_tui.qbit.fetch import ServerState
from qbitrr_tui.qbit.manager import InstanceFetch
from qbitrr_tui.qbit.snapshot import TorrentSnapshot

DELETE = (Action(ActionKind.BLOCKLIST, queue_ids=(1,), arr="Radarr"), Action(ActionKind.DELETE))
PAUSE = (Action(ActionKind.PAUSE),)


def fetched(
    name: str, *torrents: TorrentSnapshot, connection: str = "connected", error: str | None = None
) -> InstanceFetch:
    """One instance's read, as QbitManager.fetch() returns it."""
    return InstanceFetch(
        name,
        torrents,
        server=ServerState(connection_status=connection),
        category_counts={"radarr": len(torrents)},
        error=error,
    )


def planned(
    hash_: str, actions: tuple[Action, ...] = DELETE, *, instance: str = "default"
) -> Planned:
    return Planned(instance, hash_, f"name-{hash_[:4]}", "/dl/x", Rule.STALLED, "why", actions)
