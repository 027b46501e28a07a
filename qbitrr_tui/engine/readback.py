"""Reading back the effect of a journaled step (:mod:`qbitrr_tui.engine.journal`): from
this cycle's reads of qBittorrent and the Arr queues, an Arr's recent commands, and its
blocklist.

A download gone from the Arr's queue is not proof that it was blocklisted (it may have been
removed by hand, or imported): a blocklisting is confirmed only when the Arr's blocklist
(``GET blocklist``, newest first) has an entry made since the step was written, for the
same release title or the same media. Its entries carry no download id (the OpenAPI
``BlocklistResource`` has ``sourceTitle``, ``date``, ``movieId``/``episodeIds``/``albumIds``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from qbitrr_tui.arr.queue import QueueGroup
from qbitrr_tui.engine.model import Action, ActionKind, TorrentKey

Commands = Callable[[str], Sequence[Mapping[str, Any]] | None]
"""An Arr's recent commands (``GET /command``), or None when it cannot be read now."""
Blocklist = Commands  # an Arr's newest blocklist entries, or None when it cannot be read now
CLOCK_SLACK = 300.0  # seconds: the Arr's clock and ours may differ a little


class Effects:
    """Is a step's effect there? True, False, or None when that side was not read."""

    def __init__(
        self,
        present: Mapping[str, set[str]],
        queues: Mapping[str, Mapping[str, QueueGroup]],
        commands: Commands,
        arrs: Collection[str],
        blocklist: Blocklist = lambda arr: None,
    ) -> None:
        self.arrs = arrs  # the Arrs configured now
        self.present = present
        self.queues = queues
        self.commands = commands
        self.blocklist = blocklist
        self._read: dict[tuple[str, str], Sequence[Mapping[str, Any]] | None] = {}

    def _once(self, what: str, arr: str) -> Sequence[Mapping[str, Any]] | None:
        """One read of each list per Arr per cycle, and only when a step needs it."""
        if (what, arr) not in self._read:
            read = self.commands if what == "commands" else self.blocklist
            self._read[what, arr] = read(arr)
        return self._read[what, arr]

    def _recent(self, arr: str) -> Sequence[Mapping[str, Any]] | None:
        return self._once("commands", arr)

    def blocklisted(
        self, arr: str, title: str, media: Collection[int], since: float
    ) -> bool | None:
        """Has ``arr`` blocklisted this release (its title or media) since ``since``?"""
        entries = self._once("blocklist", arr)
        if entries is None:
            return None
        return any(_same_blocklisting(e, title, media, since) for e in entries)

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


def _same_blocklisting(
    entry: Mapping[str, Any], title: str, media: Collection[int], since: float
) -> bool:
    try:
        made = datetime.fromisoformat(str(entry.get("date", "")).replace("Z", "+00:00"))
    except ValueError:
        return False
    if made.timestamp() < since - CLOCK_SLACK:
        return False
    ids = {entry.get("movieId"), *(entry.get("episodeIds") or ()), *(entry.get("albumIds") or ())}
    same_title = str(entry.get("sourceTitle", "")).casefold() == title.casefold()
    return same_title or bool(ids & set(media))
