"""The health of one instance (or one Arr): a small state machine with back-off."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

BACKOFF_START = 5.0
BACKOFF_MAX = 300.0


class HealthState(StrEnum):
    CONNECTING = "connecting"
    UP = "up"
    DOWN = "down"
    AUTH_FAILED = "auth_failed"
    DISABLED = "disabled"


def backoff_delay(failures: int) -> float:
    """5 s after the first failure, doubling, at most 5 min."""
    if failures <= 0:
        return 0.0
    return float(min(BACKOFF_MAX, BACKOFF_START * 2 ** (failures - 1)))


@dataclass(frozen=True, slots=True)
class Health:
    """What is known of one endpoint right now; a new object on every change."""

    name: str
    address: str  # host:port (or the Arr's URI), never credentials
    state: HealthState
    since: float  # when it entered this state (epoch seconds)
    last_error: str | None = None
    latency: float | None = None  # seconds, of the last call
    version: str | None = None
    api_version: str | None = None
    failures: int = 0
    next_attempt: float | None = None
    # Deadlines: how long the last read took (or the one still running has taken) when that
    # was past its budget, else None; and while the data is stale (a read still running),
    # when it was last read whole. The dashboard's "slow 7.2s" and "stale 45s".
    slow: float | None = None
    stale_since: float | None = None

    @property
    def is_up(self) -> bool:
        return self.state is HealthState.UP

    def moved_to(self, state: HealthState, now: float, **changes: object) -> Health:
        """This health in ``state``; ``since`` changes only when the state does."""
        since = self.since if state is self.state else now
        return replace(self, state=state, since=since, **changes)  # type: ignore[arg-type]

    def failed(self, state: HealthState, error: str, now: float) -> Health:
        failures = self.failures + 1
        return self.moved_to(
            state,
            now,
            last_error=error,
            failures=failures,
            next_attempt=now + backoff_delay(failures),
        )

    def read_late(self, slow: float | None, stale_since: float | None) -> Health:
        """This health with its deadline marks (see ``slow`` and ``stale_since``)."""
        return replace(self, slow=slow, stale_since=stale_since)

    def due(self, now: float) -> bool:
        """Whether a connection attempt should be made now."""
        if self.state in (HealthState.UP, HealthState.DISABLED):
            return False
        return self.next_attempt is None or now >= self.next_attempt
