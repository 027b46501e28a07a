"""The engine's plain data: what a rule sees, what it decides, what is remembered.

All frozen: these cross from the engine thread to the dashboard inside events.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from operator import attrgetter
from typing import Literal

from qbitrr_tui.arr.queue import QueueGroup
from qbitrr_tui.config.model import ArrConfig, Settings, TrackerRule
from qbitrr_tui.config.units import format_duration

TorrentKey = tuple[str, str]
"""``(instance, hash)``: what every cache, database row, batch and dashboard row is keyed by
(the same hash on two instances is two torrents)."""

Outcome = Literal["planned", "applied", "failed", "held"]
"""What became of one action: planned (dry-run), applied, failed, or held (deletion cap)."""

TAG_IGNORED = "qBitrr-ignored"
TAG_IMPORTED = "qBitrr-imported"
TAG_ALLOWED_SEEDING = "qBitrr-allowed_seeding"
TAG_ALLOWED_STALLED = "qBitrr-allowed_stalled"
TAG_FREE_SPACE_PAUSED = "qBitrr-free_space_paused"
TAG_ALL_FILES_EXCLUDED = "qBitrr-all_files_excluded"
TAG_MANUAL_PAUSED = "qBitrr-manual_paused"  # paused by hand: AutoPauseResume leaves it


class ActionKind(StrEnum):
    """What can be done to a torrent; the order here is the order they are flushed in."""

    RESUME = "resume"
    PAUSE = "pause"
    RECHECK = "recheck"
    REANNOUNCE = "reannounce"  # asked by hand only (engine/manual.py sends it)
    SET_CATEGORY = "set_category"
    ADD_TAGS = "add_tags"
    REMOVE_TAGS = "remove_tags"
    SET_LIMITS = "set_limits"
    FILE_PRIORITY = "file_priority"
    IMPORT = "import"
    BLOCKLIST = "blocklist"  # delete the Arr queue record(s) with blocklist=true
    DELETE = "delete"
    SEARCH = "search"


DESTRUCTIVE = frozenset({ActionKind.DELETE, ActionKind.BLOCKLIST})


@dataclass(frozen=True, slots=True)
class Action:
    kind: ActionKind
    tags: tuple[str, ...] = ()
    category: str = ""
    delete_files: bool = True
    upload_limit: int = -1  # bytes/s, -1 unlimited
    download_limit: int = -1
    file_ids: tuple[int, ...] = ()
    queue_ids: tuple[int, ...] = ()
    media_ids: tuple[int, ...] = ()
    arr: str = ""  # the Arr this action talks to (import, blocklist, search)
    # SET_LIMITS by hand: share limits, both or neither (-2 the global one, -1 none)
    ratio_limit: float | None = None
    seeding_time_limit: int | None = None  # minutes, as qBittorrent takes it

    def describe(self) -> str:
        kind = self.kind.value
        if self.kind in (ActionKind.ADD_TAGS, ActionKind.REMOVE_TAGS):
            return f"{kind} {','.join(self.tags)}"
        if self.kind is ActionKind.SET_CATEGORY:
            return f"{kind} {self.category}"
        if self.kind is ActionKind.DELETE:
            return "delete with files" if self.delete_files else "delete (keep files)"
        if self.kind is ActionKind.FILE_PRIORITY:
            return f"skip {len(self.file_ids)} file(s)"
        return kind


class Rule(StrEnum):
    """The rule that decided a torrent: shown in the dashboard, stored in the database."""

    OK = "ok"
    """Nothing to do: downloading, complete, or its state needs no action."""
    IGNORED = "ignored"
    """Tagged ``qBitrr-ignored``: no automatic action of any kind."""
    RESUME = "resume"
    """Paused before it finished: resumed (AutoPauseResume)."""
    IMPORT = "import"
    """Complete: its Arr is told to import it (after ImportSettleTime)."""
    SEEDING = "seeding"
    """Imported and seeding within its limits."""
    SEEDING_DONE = "seeding_done"
    """Imported and past its seeding goal: removed (RemoveTorrent)."""
    FAILED = "failed"
    """Moved to the failed category by the user: blocklisted and removed."""
    RECHECK = "recheck"
    """Moved to the recheck category: rechecked, then moved back."""
    FREE_SPACE = "free_space"
    """Paused or resumed to keep the free-space floor."""
    MISSING_FILES = "missing_files"
    """qBittorrent reports missing files: rechecked."""
    CONTENT_LOST = "content_lost"
    """Imported, then found incomplete: rechecked."""
    ERRORED = "errored"
    """In qBittorrent's error state: rechecked."""
    UNWANTED_FILES = "unwanted_files"
    """Files excluded by extension or name; removed when every file is."""
    STALLED = "stalled"
    """Stalled past StalledDelay: blocklisted and removed."""
    YOUNG = "young"
    """Stalled but younger than IgnoreTorrentsYoungerThan: left alone for now."""
    SLOW = "slow"
    """ETA past MaximumETA: blocklisted and removed."""
    UNREGISTERED = "unregistered"
    """Its tracker says it is unregistered: removed, tagged or moved (UnregisteredAction)."""


LEFT = "{left}"
"""In a reason, where the time left until its ``wait_until`` goes: the reason stays the same
text while the countdown runs, and whoever shows it fills it in (:func:`reason_text`)."""


def reason_text(reason: str, deadline: float | None, now: float) -> str:
    """``reason`` as it reads at ``now``: its countdown filled in ("4m32s")."""
    if deadline is None or LEFT not in reason:
        return reason
    return reason.replace(LEFT, format_duration(max(0.0, deadline - now)))


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome for one torrent: the rule that spoke, why, and what to do.

    ``wait_until``: the end of the countdown its reason shows (where :data:`LEFT` is).
    ``valid_until``: until when the same inputs give the same decision (set by
    ``policy.decide``): the first time a rule's comparison with the clock would flip —
    ``math.inf`` when no rule read the clock, ``now`` when it must be decided again next
    cycle (a removal held back by a hit-and-run policy, which reads the seeding time)."""

    rule: Rule
    reason: str
    actions: tuple[Action, ...] = ()
    wait_until: float | None = None
    valid_until: float = 0.0

    @property
    def destructive(self) -> bool:
        return any(a.kind in DESTRUCTIVE for a in self.actions)

    def reason_at(self, now: float) -> str:
        return reason_text(self.reason, self.wait_until, now)


class Horizon:
    """The earliest time at which one of a decision's comparisons with the clock flips."""

    __slots__ = ("at",)

    def __init__(self) -> None:
        self.at = math.inf

    def until(self, at: float) -> None:
        self.at = min(self.at, at)


@dataclass(frozen=True, slots=True)
class StoredState:
    """What the engine remembers of one (instance, hash) between cycles and restarts."""

    first_seen: float
    category: str = ""  # as last seen (to restore it after the recheck category)
    arr: str = ""
    imported: bool = False
    allowed_seeding: bool = False
    allowed_stalled: bool = False
    free_space_paused: bool = False
    stalled_since: float | None = None
    original_category: str = ""
    import_requested_at: float | None = None
    files_checked: bool = False
    recheck_requested_at: float | None = None
    researched: bool = False
    last_state: str = ""
    last_rule: str = ""
    last_reason: str = ""
    # Strikes (engine/strikes.py): observations that survive restarts.
    unregistered_since: float | None = None
    unregistered_strikes: int = 0
    unregistered_strike_at: float | None = None
    unregistered_message: str = ""
    strikes: int = 0  # stalled / slow (StrikesBeforeRemoval)
    strike_progress: float = 0.0  # progress at the last strike (recovery = more than this)
    strike_at: float | None = None

    def with_changes(self, **changes: object) -> StoredState:
        """This state with ``changes``; the same object when they change nothing (so an
        unchanged torrent keeps its identity, which the engine's decision cache relies on)."""
        if all(getattr(self, name) == value for name, value in changes.items()):
            return self
        return replace(self, **changes)  # type: ignore[arg-type]

    def differs_from(self, other: StoredState) -> bool:
        """Worth writing to the database: anything but the reason's wording changed (a
        countdown such as "removal in 3m" changes every cycle; the rule and state do not)."""
        return self is not other and _stored_fields(self) != _stored_fields(other)

    def observed_from(self, new: StoredState) -> StoredState:
        """This state with only the observations of ``new`` (what was seen, not what was
        done): for a torrent whose planned actions were not carried out (dry-run, held by
        the cap, failed), so nothing is remembered as done that was not. ``self`` itself
        when nothing observed is new: a dry-run plan made again each cycle neither writes
        its state again nor gives it a new identity (the decision cache compares by it)."""
        observed = replace(
            self,
            first_seen=new.first_seen,
            category=new.category,
            arr=new.arr,
            stalled_since=new.stalled_since,
            unregistered_since=new.unregistered_since,
            unregistered_strikes=new.unregistered_strikes,
            unregistered_strike_at=new.unregistered_strike_at,
            unregistered_message=new.unregistered_message,
            strikes=new.strikes,
            strike_progress=new.strike_progress,
            strike_at=new.strike_at,
            last_state=new.last_state,
            last_rule=new.last_rule,
            last_reason=new.last_reason,
        )
        return observed if observed.differs_from(self) else self


_stored_fields = attrgetter(*(f.name for f in fields(StoredState) if f.name != "last_reason"))


@dataclass(frozen=True, slots=True)
class RuleContext:
    """Everything a rule may look at besides the torrent and its stored state."""

    now: float
    settings: Settings
    arr: ArrConfig | None = None  # the Arr owning the torrent's category
    queue: QueueGroup | None = None  # that Arr's queue records for this download
    arr_up: bool = False
    instance_connected: bool = True  # qBittorrent's own network status
    free_space_action: str = ""  # "pause" | "resume" | "" (decided per instance)
    excluded_files: tuple[int, ...] | None = None  # file ids to skip, once files are known
    all_files_excluded: bool = False
    # Tracker rows for this torrent's instance and Arr (merged), and what is known of its
    # trackers beyond the snapshot's one URL (engine/rules/hnr.py)
    trackers: tuple[TrackerRule, ...] = ()
    tracker_urls: tuple[str, ...] = ()
    private: bool | None = None
    # Where the rules note when their answer would change with time alone (see before()).
    horizon: Horizon = field(default_factory=Horizon, compare=False, repr=False)

    def before(self, at: float) -> bool:
        """``now < at``, noting ``at`` as a time this decision may change. A rule compares
        the clock only through this (or :meth:`until`): a decision is reused until then."""
        if self.now < at:
            self.horizon.until(at)
            return True
        return False

    def until(self, at: float) -> None:
        """Note that the decision may change at ``at`` (e.g. a seeding time reached)."""
        self.horizon.until(max(at, self.now))
