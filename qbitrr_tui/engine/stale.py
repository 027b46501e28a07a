"""Nothing destructive on a stale Arr queue (pure).

An Arr not read this cycle (slow past ArrReadBudget, or failing) keeps its last good queue,
marked stale (:class:`~qbitrr_tui.engine.arrs.StaleQueue`): the decider still finds a
torrent's queue records in it, so a torrent is never taken for "in no Arr's queue" just
because its Arr did not answer. But a queue that may have changed since is no ground for
anything that cannot be undone or that the Arr must do: no blocklisting, deletion, search or
import is decided from it. The torrent's decision says so, with when the queue was last read.
"""

from __future__ import annotations

import time
from dataclasses import replace

from qbitrr_tui.engine.model import ActionKind, Decision

ON_STALE_QUEUE = frozenset(
    {ActionKind.DELETE, ActionKind.BLOCKLIST, ActionKind.SEARCH, ActionKind.IMPORT}
)


def stale_note(arr: str, read_at: float | None, now: float) -> str:
    """How a decision names a stale queue: ``Radarr's queue is stale, last read at 21:04:05``
    (the date too from a day before). The text stays the same while the queue does: it
    is an input of every decision of the Arr's torrents (engine/changes.py), and an age
    counting up in it would make them all new each cycle. The Arr's panel counts the age."""
    if read_at is None:
        return f"{arr}'s queue not read yet"
    shape = (
        "%H:%M:%S" if time.localtime(read_at)[:3] == time.localtime(now)[:3] else "%Y-%m-%d %H:%M"
    )
    return f"{arr}'s queue is stale, last read at {time.strftime(shape, time.localtime(read_at))}"


def needs_fresh_queue(decision: Decision) -> bool:
    """Whether ``decision`` does something only a fresh queue may ground."""
    return any(a.kind in ON_STALE_QUEUE for a in decision.actions)


def hold_on_stale(decision: Decision, note: str) -> Decision:
    """``decision`` with nothing destructive left in it, and its text saying why."""
    kept = tuple(a for a in decision.actions if a.kind not in ON_STALE_QUEUE)
    if len(kept) == len(decision.actions):
        return replace(decision, reason=f"{decision.reason} ({note})")
    return replace(
        decision,
        reason=f"{decision.reason}; held: {note}, nothing destructive on it",
        actions=kept,
    )
