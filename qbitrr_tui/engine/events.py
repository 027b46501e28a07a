"""Engine ↔ dashboard: small frozen dataclasses on two queues, nothing else crosses.

``Event``s flow out of the engine thread; ``Command``s flow in. The engine never imports
Textual; the dashboard never calls the engine's objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from qbitrr_tui.engine.manual_contract import (
    NO_LIMITS,
    FileDetail,
    JournalLine,
    Limits,
    ManualAction,
    ManualKind,
    RemovalHeld,
    RequestDetails,
    TorrentDetails,
    TrackerDetail,
)
from qbitrr_tui.engine.model import Action, Outcome, TorrentKey, reason_text
from qbitrr_tui.health import Health
from qbitrr_tui.qbit.fetch import ServerState
from qbitrr_tui.qbit.snapshot import ETA_UNKNOWN

# --- events out --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InstanceHealthChanged:
    health: Health


@dataclass(frozen=True, slots=True)
class ArrHealthChanged:
    health: Health
    kind: str
    category: str
    queue_size: int | None = None


@dataclass(frozen=True, slots=True)
class TorrentRow:
    """One torrent as the dashboard shows it, with the engine's decision."""

    instance: str
    hash: str
    name: str
    category: str
    state: str
    progress: float
    size: int
    ratio: float
    eta: int  # seconds; ETA_UNKNOWN when qBittorrent has no estimate
    tags: tuple[str, ...]
    dlspeed: int
    upspeed: int
    added_on: int
    rule: str
    reason: str
    seeds: int = 0  # connected
    peers: int = 0  # connected leechers
    tracker: str = ""  # the current tracker's host
    # The end of the countdown in ``reason`` (epoch seconds), where model.LEFT stands: the
    # row stays the same while it runs; whoever shows it fills it in (reason_at).
    deadline: float | None = None

    @property
    def key(self) -> TorrentKey:
        return (self.instance, self.hash)

    def reason_at(self, now: float) -> str:
        """The reason as it reads at ``now`` ("removal in 4m32s")."""
        return reason_text(self.reason, self.deadline, now)


@dataclass(frozen=True, slots=True)
class TorrentsUpdated:
    """The torrents of one instance that changed since the last event (``full``: all of
    them, replacing what was known), and the hashes that left."""

    instance: str
    rows: tuple[TorrentRow, ...]
    removed: tuple[str, ...] = ()
    full: bool = False


@dataclass(frozen=True, slots=True)
class InstanceStats:
    """Per cycle: what an instance reported besides its torrents."""

    instance: str
    server: ServerState
    category_counts: Mapping[str, int]
    managed_counts: Mapping[str, int]
    latency: float | None
    requests: int


@dataclass(frozen=True, slots=True)
class ActionEvent:
    """An action planned, applied, failed or held back (by the deletion cap)."""

    time: float
    instance: str
    hash: str
    name: str
    action: Action
    rule: str
    reason: str
    outcome: Outcome
    dry_run: bool
    error: str = ""

    @property
    def key(self) -> TorrentKey:
        return (self.instance, self.hash)


@dataclass(frozen=True, slots=True)
class CycleFinished:
    cycle: int
    started: float
    duration: float
    requests_per_instance: Mapping[str, int]
    requests_per_arr: Mapping[str, int]
    actions: int
    torrents: int
    next_cycle_at: float
    paused: bool
    dry_run: bool
    held: int = 0
    timings: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EngineStateChanged:
    paused: bool
    dry_run: bool
    message: str = ""


@dataclass(frozen=True, slots=True)
class LogLine:
    time: float
    level: str
    message: str


@dataclass(frozen=True, slots=True)
class BinRow:
    """One recycle-bin entry as the dashboard lists it."""

    instance: str
    hash: str
    name: str
    category: str
    size: int
    removed_at: float
    expires_at: float
    data: str  # "deleted" | "moved" | "kept" (in place)
    why: str

    @property
    def key(self) -> TorrentKey:
        return (self.instance, self.hash)


@dataclass(frozen=True, slots=True)
class RecycleBinChanged:
    """The recycle bin's entries, the bytes of data it holds, and what was just done."""

    rows: tuple[BinRow, ...]
    held_bytes: int
    message: str = ""


Event = (
    InstanceHealthChanged
    | ArrHealthChanged
    | TorrentsUpdated
    | InstanceStats
    | ActionEvent
    | CycleFinished
    | EngineStateChanged
    | LogLine
    | TorrentDetails
    | RemovalHeld
    | RecycleBinChanged
)

# --- commands in -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SetInstanceEnabled:
    name: str
    enabled: bool


@dataclass(frozen=True, slots=True)
class RescanNow:
    pass


@dataclass(frozen=True, slots=True)
class SetPaused:
    paused: bool


@dataclass(frozen=True, slots=True)
class SetDryRun:
    enabled: bool


@dataclass(frozen=True, slots=True)
class ReloadConfig:
    """Reload from the config file (``text`` None) or from the given TOML text."""

    text: str | None = None


@dataclass(frozen=True, slots=True)
class ApplyPlanned:
    """Carry out, for real and past the deletion cap, the planned actions of these
    torrents at the next cycle (which runs at once)."""

    keys: tuple[TorrentKey, ...]


@dataclass(frozen=True, slots=True)
class RestoreFromBin:
    """Put a recycle-bin entry back on its instance (engine/restore.py)."""

    instance: str
    hash: str


@dataclass(frozen=True, slots=True)
class Stop:
    pass


Command = (
    SetInstanceEnabled
    | RescanNow
    | SetPaused
    | SetDryRun
    | ReloadConfig
    | ApplyPlanned
    | RestoreFromBin
    | Stop
    | ManualAction
    | RequestDetails
)

# The contract, all of it: the dashboard imports these names, and nothing else of the engine
# (TorrentKey keys its rows; ETA_UNKNOWN is the "no estimate" eta).
__all__ = [
    "ETA_UNKNOWN",
    "NO_LIMITS",
    "ActionEvent",
    "ApplyPlanned",
    "ArrHealthChanged",
    "BinRow",
    "Command",
    "CycleFinished",
    "EngineStateChanged",
    "Event",
    "FileDetail",
    "InstanceHealthChanged",
    "InstanceStats",
    "JournalLine",
    "Limits",
    "LogLine",
    "ManualAction",
    "ManualKind",
    "RecycleBinChanged",
    "ReloadConfig",
    "RemovalHeld",
    "RequestDetails",
    "RescanNow",
    "RestoreFromBin",
    "SetDryRun",
    "SetInstanceEnabled",
    "SetPaused",
    "Stop",
    "TorrentDetails",
    "TorrentKey",
    "TorrentRow",
    "TorrentsUpdated",
    "TrackerDetail",
]
