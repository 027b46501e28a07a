"""TorrentSnapshot: one torrent on one instance, as the rules see it.

qBittorrent 5 renamed ``pausedDL``/``pausedUP`` to ``stoppedDL``/``stoppedUP``; names are
normalised here, once, so nothing downstream cares about the major version.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from functools import partial
from operator import attrgetter
from typing import Any
from urllib.parse import urlsplit

ETA_UNKNOWN = 8_640_000  # qBittorrent's "no estimate" ETA (100 days, in seconds)

# qBittorrent 5 name → the one name used everywhere else.
_STATE_ALIASES = {"stoppedDL": "pausedDL", "stoppedUP": "pausedUP"}

DOWNLOADING_STATES = frozenset(
    {
        "downloading",
        "stalledDL",
        "metaDL",
        "forcedMetaDL",
        "forcedDL",
        "queuedDL",
        "checkingDL",
        "allocating",
        "pausedDL",
    }
)
PAUSED_STATES = frozenset({"pausedDL", "pausedUP"})


def normalise_state(state: str) -> str:
    return _STATE_ALIASES.get(state, state)


def tracker_host(url: str) -> str:
    if not url:
        return ""
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


@dataclass(frozen=True, slots=True)
class TorrentSnapshot:
    instance: str
    hash: str
    name: str
    category: str
    tags: frozenset[str]
    state: str
    progress: float
    amount_left: int
    size: int
    ratio: float
    eta: int
    added_on: int
    completion_on: int
    seeding_time: int
    content_path: str
    save_path: str
    dlspeed: int
    upspeed: int
    ratio_limit: float
    seeding_time_limit: int
    up_limit: int
    dl_limit: int
    tracker: str
    num_seeds: int
    # qBittorrent ≥ 5.1 (Web API 2.11.7) flags trackers that answer with an error or a
    # warning; older versions do not say (False).
    tracker_error: bool = False
    tracker_warning: bool = False
    num_leechs: int = 0  # peers connected (leechers), for the dashboard's Seeds/Peers
    # Which version of the torrent this is, but for its clock fields: every new snapshot
    # gets a new token (dataclasses.replace too), but merged() hands on the token when only
    # CLOCK_FIELDS moved. So the same token means "the same but for the clock".
    steady: object = field(default_factory=object, init=False, compare=False, repr=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.instance, self.hash)

    @property
    def is_complete(self) -> bool:
        return self.progress >= 1.0 and self.amount_left == 0

    @property
    def is_paused(self) -> bool:
        return self.state in PAUSED_STATES


# --- from qBittorrent's fields ---------------------------------------------------------
# Each kept field: the snapshot attribute it fills and how its value is read. qBittorrent
# sends ~50 fields per torrent; only these are kept (every reader is in engine/ and tui/,
# through the snapshot). Repeated strings (category, state, save path, tracker, tag sets)
# are shared between torrents: 30,000 torrents hold a handful of distinct values.

# Values most torrents share (complete, no ratio, no limit, no estimate): one object each.
_FLOATS = {v: v for v in (0.0, 1.0, -1.0, -2.0)}
_INTS = {ETA_UNKNOWN: ETA_UNKNOWN}
_TAG_SETS: dict[str, frozenset[str]] = {}
_NO_TAGS: frozenset[str] = frozenset()

# Fields that move every second on their own (a seeding torrent's seeding time; last
# activity is not kept at all): a change in them alone is no change to decide or publish on.
CLOCK_FIELDS = frozenset({"seeding_time"})
_STEADY_FIELDS = tuple(
    f.name for f in fields(TorrentSnapshot) if f.name not in CLOCK_FIELDS and f.compare
)
_steady = attrgetter(*_STEADY_FIELDS)


def same_but_clock(a: TorrentSnapshot, b: TorrentSnapshot) -> bool:
    """``a`` and ``b`` differ at most in :data:`CLOCK_FIELDS`: at once when they carry the
    same ``steady`` token (only the clock moved between them), else field by field."""
    return a.steady is b.steady or _steady(a) == _steady(b)


def _int(raw: Any, default: int = 0) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return default
    return _INTS.get(value, value)


def _float(raw: Any, default: float = 0.0) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return default
    return _FLOATS.get(value, value)


def _shared(raw: Any) -> str:
    return sys.intern(str(raw or ""))


def _tags(raw: Any) -> frozenset[str]:
    if isinstance(raw, list):
        return frozenset(str(t).strip() for t in raw if str(t).strip())
    if not raw:
        return _NO_TAGS  # frozenset() is a new object each call (216 bytes per torrent)
    text = str(raw)
    tags = _TAG_SETS.get(text)
    if tags is None:
        if len(_TAG_SETS) >= 4096:  # an unusual library: forget, never grow without bound
            _TAG_SETS.clear()
        tags = _TAG_SETS[text] = frozenset(t.strip() for t in text.split(",") if t.strip())
    return tags


def _state(raw: Any) -> str:
    return sys.intern(normalise_state(str(raw)))


FIELDS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "name": ("name", str),
    "category": ("category", _shared),
    "tags": ("tags", _tags),
    "state": ("state", _state),
    "progress": ("progress", _float),
    "amount_left": ("amount_left", _int),
    "size": ("size", _int),
    "ratio": ("ratio", _float),
    "eta": ("eta", partial(_int, default=ETA_UNKNOWN)),
    "added_on": ("added_on", _int),
    "completion_on": ("completion_on", partial(_int, default=-1)),
    "seeding_time": ("seeding_time", _int),
    "content_path": ("content_path", lambda raw: str(raw or "")),
    "save_path": ("save_path", _shared),
    "dlspeed": ("dlspeed", _int),
    "upspeed": ("upspeed", _int),
    "ratio_limit": ("ratio_limit", partial(_float, default=-2.0)),
    "seeding_time_limit": ("seeding_time_limit", partial(_int, default=-2)),
    "up_limit": ("up_limit", partial(_int, default=-1)),
    "dl_limit": ("dl_limit", partial(_int, default=-1)),
    "tracker": ("tracker", _shared),
    "num_seeds": ("num_seeds", _int),
    "num_leechs": ("num_leechs", _int),
    "has_tracker_error": ("tracker_error", bool),
    "has_tracker_warning": ("tracker_warning", bool),
}

# What a field qBittorrent did not send reads as (an older version omits some).
_MISSING: dict[str, Any] = {
    "name": "",
    "category": "",
    "tags": _NO_TAGS,
    "state": "unknown",
    "progress": 0.0,
    "amount_left": 0,
    "size": 0,
    "ratio": 0.0,
    "eta": ETA_UNKNOWN,
    "added_on": 0,
    "completion_on": -1,
    "seeding_time": 0,
    "content_path": "",
    "save_path": "",
    "dlspeed": 0,
    "upspeed": 0,
    "ratio_limit": -2.0,
    "seeding_time_limit": -2,
    "up_limit": -1,
    "dl_limit": -1,
    "tracker": "",
    "num_seeds": 0,
    "num_leechs": 0,
    "tracker_error": False,
    "tracker_warning": False,
}


def _lower(text: str) -> str:
    return text if text.islower() else text.lower()  # the same string object when it can


def snapshot_from_info(instance: str, info: dict[str, Any], info_hash: str = "") -> TorrentSnapshot:
    """Build a snapshot from a ``torrents/info`` item or a ``sync/maindata`` entry.

    Fields an older qBittorrent omits get neutral defaults, never an exception.
    """
    values = dict(_MISSING)
    for raw_name, raw in info.items():
        spec = FIELDS.get(raw_name)
        if spec is not None:
            values[spec[0]] = spec[1](raw)
    return TorrentSnapshot(
        instance=instance, hash=_lower(info_hash or str(info.get("hash", ""))), **values
    )


def merged(snapshot: TorrentSnapshot, info: dict[str, Any]) -> TorrentSnapshot | None:
    """``snapshot`` with the fields of a delta (or a re-read row) applied; None when none of
    the fields it keeps changed."""
    changes: dict[str, Any] = {}
    for raw_name, raw in info.items():
        spec = FIELDS.get(raw_name)
        if spec is not None:
            value = spec[1](raw)
            if getattr(snapshot, spec[0]) != value:
                changes[spec[0]] = value
    if not changes:
        return None
    new = replace(snapshot, **changes)  # a new token: a change to decide and publish on
    if CLOCK_FIELDS.issuperset(changes):
        object.__setattr__(new, "steady", snapshot.steady)  # only the clock moved
    return new


def kept(info: dict[str, Any]) -> bool:
    """Whether an entry carries any field a snapshot keeps."""
    return any(name in FIELDS for name in info)


# Fields only a torrent object has (never the answer's top level, server_state or a
# category): an object with one of them is a torrent, and is kept with FIELDS alone.
_TORRENT_ONLY = (frozenset(FIELDS) - {"name", "category", "tags"}) | {
    "magnet_uri",
    "infohash_v1",
    "infohash_v2",
    "time_active",
    "uploaded",
    "downloaded",
    "uploaded_session",
    "downloaded_session",
    "num_complete",
    "num_incomplete",
    "last_activity",
    "seen_complete",
}
_KEPT_RAW = frozenset(FIELDS) | {"hash"}


def torrent_fields_only(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A ``json.loads`` object hook: a torrent object keeps only the fields a snapshot is
    made of, as it is parsed (a full answer for 30,000 torrents would otherwise hold
    ~50 fields of each, at once); any other object is kept whole."""
    if any(name in _TORRENT_ONLY for name, _ in pairs):
        return {name: value for name, value in pairs if name in _KEPT_RAW}
    return dict(pairs)
