"""Reading back the effect of a journaled step (:mod:`qbitrr_tui.engine.journal`): from
this cycle's reads of qBittorrent and the Arr queues, and an Arr's recent commands."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from qbitrr_tui.arr.queue import QueueGroup
from qbitrr_tui.engine.model import Action, ActionKind, TorrentKey

Commands = Callable[[str], Sequence[Mapping[str, Any]] | None]
"""An Arr's recent commands (``GET /command``), or None when it cannot be read now."""


class Effects:
    """Is a step's effect there? True, False, or None when that side was not read."""

    def __init__(
        self,
        present: Mapping[str, set[str]],
        queues: Mapping[str, Mapping[str, QueueGroup]],
        commands: Commands,
        arrs: Collection[str],
    ) -> None:
        self.arrs = arrs  # the Arrs configured now
        self.present = present
        self.queues = queues
        self.commands = commands
        self._commands: dict[str, Sequence[Mapping[str, Any]] | None] = {}

    def _recent(self, arr: str) -> Sequence[Mapping[str, Any]] | None:
        if arr not in self._commands:
            self._commands[arr] = self.commands(arr)  # one read per Arr per cycle, if needed
        return self._commands[arr]

    def done(self, key: TorrentKey, action: Action) -> bool | None:
        instance, info_hash = key
        if instance not in self.present:
            return None
        if action.kind is ActionKind.DELETE:
            return info_hash not in self.present[instance]
        if action.kind is ActionKind.BLOCKLIST:
            queue = self.queues.get(action.arr)
            return None if queue is None else info_hash not in queue
        recent = self._recent(action.arr)
        if recent is None:
            return None
        return any(_same_command(action, info_hash, c) for c in recent)


def _same_command(action: Action, info_hash: str, command: Mapping[str, Any]) -> bool:
    body = command.get("body")
    body = body if isinstance(body, Mapping) else {}
    if action.kind is ActionKind.IMPORT:
        return str(body.get("downloadClientId", "")).lower() == info_hash.lower() and str(
            command.get("name", "")
        ).startswith("Downloaded")
    ids = {i for v in body.values() if isinstance(v, list) for i in v if isinstance(i, int)}
    return (
        bool(action.media_ids)
        and set(action.media_ids) <= ids
        and "Search" in str(command.get("name", ""))
    )
