"""The operator's side of the contract: actions asked from the dashboard, and the details
of one torrent asked for and answered. Plain frozen data, re-exported by ``events``.

A :class:`ManualAction` goes through the engine like its own plans do (dry-run records it
as planned; the executor sends it), so the dashboard never writes to qBittorrent itself.
:class:`RequestDetails` asks for the extra reads (properties, files, trackers, the Arr
queue record) of the one torrent the operator opened; :class:`TorrentDetails` answers,
with the torrent's steps in the action journal. :class:`RemovalHeld` says which torrents a
removal by hand did not remove because they still owe their tracker.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from qbitrr_tui.engine.model import TorrentKey


class ManualKind(StrEnum):
    """What the operator can ask for, in the palette's order."""

    PAUSE = "pause"
    RESUME = "resume"
    RECHECK = "recheck"
    REANNOUNCE = "reannounce"
    PROTECT = "protect"
    UNPROTECT = "unprotect"
    IMPORT = "import"
    SET_CATEGORY = "set_category"
    REMOVE = "remove"  # delete the torrent and its files, no blocklisting
    BLOCKLIST_SEARCH = "blocklist_search"  # blocklist in the Arr, delete, search again
    SET_LIMITS = "set_limits"  # ratio, seeding time, ↓/↑ rate (each optional)

    @property
    def destructive(self) -> bool:
        return self in (ManualKind.REMOVE, ManualKind.BLOCKLIST_SEARCH)


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-torrent limits asked by hand; None leaves that limit as it is."""

    ratio: float | None = None  # -1: none, -2: the instance's global limit
    seeding_minutes: int | None = None  # -1: none, -2: global
    upload: int | None = None  # bytes/s; 0: unlimited
    download: int | None = None


NO_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class ManualAction:
    """Do ``kind`` to these torrents now, through the engine's dry-run and executor."""

    keys: tuple[TorrentKey, ...]
    kind: ManualKind
    category: str = ""  # SET_CATEGORY only
    limits: Limits = NO_LIMITS  # SET_LIMITS only
    # REMOVE, BLOCKLIST_SEARCH: even those that still owe their tracker (RemovalHeld)
    anyway: bool = False


@dataclass(frozen=True, slots=True)
class RemovalHeld:
    """A removal asked by hand that was not done for these torrents because each still owes
    its tracker — an unmet HitAndRunMode policy, or a private torrent no row lets go — as
    the engine would not remove them either. The dashboard shows what is owed and asks
    whether to remove them anyway (the same ManualAction with ``anyway``)."""

    kind: ManualKind
    keys: tuple[TorrentKey, ...]
    names: tuple[str, ...]
    owed: tuple[str, ...]  # what each still owes ("HnR: ratio 0.40/1.00")


@dataclass(frozen=True, slots=True)
class RequestDetails:
    """Read the details of one torrent (answered with :class:`TorrentDetails`)."""

    key: TorrentKey


@dataclass(frozen=True, slots=True)
class FileDetail:
    index: int
    name: str
    size: int
    progress: float
    priority: int  # 0: skipped

    @property
    def kept(self) -> bool:
        return self.priority != 0


@dataclass(frozen=True, slots=True)
class TrackerDetail:
    url: str
    status: str
    message: str
    peers: int
    seeds: int


@dataclass(frozen=True, slots=True)
class JournalLine:
    """One action-journal step of a torrent, as its History shows it."""

    created: float
    updated: float
    action: str  # Action.describe()
    status: str  # pending, sent, confirmed, abandoned, "failed: why; retrying at …"
    attempts: int


Pairs = tuple[tuple[str, str], ...]
"""(label, value) lines, in order: what a details section shows."""


@dataclass(frozen=True, slots=True)
class TorrentDetails:
    """One torrent, in full. ``error`` says what could not be read (the rest may still be
    filled from what the engine already knew)."""

    key: TorrentKey
    name: str
    general: Pairs = ()
    decision: Pairs = ()
    files: tuple[FileDetail, ...] = ()
    trackers: tuple[TrackerDetail, ...] = ()
    arr: Pairs = ()
    journal: tuple[JournalLine, ...] = ()  # oldest first; closed steps stay a week
    error: str = ""
