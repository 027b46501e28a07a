"""Which downloads fit in the free space (pure, per instance).

Downloads are walked in queue order (oldest first) against the free space minus the
threshold; each that fits takes what it still needs from the budget. Those that do not fit
are paused; those we paused that fit again are resumed. With FreeSpace off, everything it
paused is resumed.
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
    downloads = sorted(
        (t for t in torrents if not t.is_complete and TAG_IGNORED not in t.tags),
        key=lambda t: (t.added_on, t.hash),
    )

    def ours(torrent: TorrentSnapshot) -> bool:
        state = states.get(torrent.key)
        return TAG_FREE_SPACE_PAUSED in torrent.tags or bool(state and state.free_space_paused)

    if threshold < 0:
        return {t.hash: "resume" for t in downloads if ours(t)}
    if free_bytes < 0:
        return {}  # free space unknown this cycle: change nothing
    budget = free_bytes - threshold
    plan: dict[str, str] = {}
    for torrent in downloads:
        paused_by_us = ours(torrent)
        if torrent.is_paused and not paused_by_us:
            continue  # paused by the user: it takes no space and is not ours to resume
        if torrent.amount_left <= budget:
            budget -= torrent.amount_left
            if paused_by_us:
                plan[torrent.hash] = "resume"
        elif not paused_by_us:
            plan[torrent.hash] = "pause"
    return plan
