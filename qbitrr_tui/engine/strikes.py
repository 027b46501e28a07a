"""Strikes: a signal that must be seen again and again, a check apart, before it counts.
Pure; the counts live in :class:`StoredState` (so in the database, and survive restarts).

- Unregistered: each tracker check that finds the tracker's "unregistered" answer is a
  strike (at most one per TrackerCheckInterval); a check that finds the torrent registered
  again, or working, clears them. At least :data:`UNREGISTERED_MIN_STRIKES` are needed.
- Stalled and slow (``StrikesBeforeRemoval``): each grace that ends with the download still
  stalled (or still slow) is a strike and starts the next grace; the download is removed at
  the last strike. Progress past the progress of the last strike is a recovery and clears
  the count; a download that only flaps between stalled and moving keeps it.
"""

from __future__ import annotations

from qbitrr_tui.engine.model import StoredState

UNREGISTERED_MIN_STRIKES = 2
# A check counts as a new strike when at least this share of the interval has passed
# (cycles do not start exactly an interval apart).
_STRIKE_SPACING = 0.9


def unregistered_target(strikes_before_removal: int) -> int:
    return max(UNREGISTERED_MIN_STRIKES, strikes_before_removal)


def observe_unregistered(
    stored: StoredState, message: str | None, *, now: float, interval: float
) -> StoredState:
    """``stored`` after a tracker check: ``message`` is the tracker's "unregistered" answer,
    "" when the check found none, None when the torrent was not checked."""
    if message is None:
        return stored
    if not message:
        return stored.with_changes(
            unregistered_since=None,
            unregistered_strikes=0,
            unregistered_strike_at=None,
            unregistered_message="",
        )
    last = stored.unregistered_strike_at
    strike = last is None or now - last >= interval * _STRIKE_SPACING
    return stored.with_changes(
        unregistered_since=stored.unregistered_since or now,
        unregistered_strikes=stored.unregistered_strikes + (1 if strike else 0),
        unregistered_strike_at=now if strike else last,
        unregistered_message=message,
    )


def confirmed_unregistered(stored: StoredState) -> bool:
    """The tracker said so at least twice, a check apart: nothing is owed to it any more."""
    return stored.unregistered_strikes >= UNREGISTERED_MIN_STRIKES


RECOVERY = 0.01  # progress (a share of the size) past the last strike that counts as recovery


def settle(stored: StoredState, progress: float, complete: bool) -> StoredState:
    """Clear the stalled/slow strikes of a download that recovered: it completed, or moved
    on by more than :data:`RECOVERY` since its last strike."""
    if stored.strikes and (complete or progress >= stored.strike_progress + RECOVERY):
        return stored.with_changes(strikes=0, strike_progress=0.0, strike_at=None)
    return stored


def struck(stored: StoredState, progress: float, now: float) -> StoredState:
    """``stored`` with one more stalled/slow strike."""
    return stored.with_changes(strikes=stored.strikes + 1, strike_progress=progress, strike_at=now)
