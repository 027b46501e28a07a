"""Which downloads fit in the free space (pure, per instance).

Downloads are walked in queue order (oldest first) against the free space minus the
threshold; each that fits takes what it still needs from the budget. Those that do not fit
are paused; those we paused that fit again are resumed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from qbitrr_tui.engine.model import TAG_FREE_SPACE_PAUSED, TAG_IGNORED, StoredState
from qbitrr_tui.qbit.snapshot import TorrentSnapshot


def free_space_plan(
    torrents: Sequence[TorrentSnapshot],
    states: Mapping[tuple[str, str], StoredState],
    free_bytes: int,
    threshold: int,
) -> dict[str, str]:
    """hash → "pause" | "resume" for the downloads whose free-space state must change."""
    if threshold < 0 or free_bytes < 0:
        return {}
    budget = free_bytes - threshold
    plan: dict[str, str] = {}
    downloads = sorted(
        (t for t in torrents if not t.is_complete and TAG_IGNORED not in t.tags),
        key=lambda t: (t.added_on, t.hash),
    )
    for torrent in downloads:
        state = states.get(torrent.key)
        ours = TAG_FREE_SPACE_PAUSED in torrent.tags or bool(state and state.free_space_paused)
        if torrent.is_paused and not ours:
            continue  # paused by the user: it takes no space and is not ours to resume
        if torrent.amount_left <= budget:
            budget -= torrent.amount_left
            if ours:
                plan[torrent.hash] = "resume"
        elif not ours:
            plan[torrent.hash] = "pause"
    return plan
