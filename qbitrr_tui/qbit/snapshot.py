"""TorrentSnapshot: one torrent on one instance, as the rules see it.

qBittorrent 5 renamed ``pausedDL``/``pausedUP`` to ``stoppedDL``/``stoppedUP``; names are
normalised here, once, so nothing downstream cares about the major version.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
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
    total_size: int
    ratio: float
    eta: int
    added_on: int
    completion_on: int
    last_activity: int
    seeding_time: int
    availability: float
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

    @property
    def key(self) -> tuple[str, str]:
        return (self.instance, self.hash)

    @property
    def is_complete(self) -> bool:
        return self.progress >= 1.0 and self.amount_left == 0

    @property
    def is_paused(self) -> bool:
        return self.state in PAUSED_STATES


# Fields that move every second on their own (a seeding torrent's seeding time, a busy
# one's last activity): a change in them alone is no change to decide or publish on.
CLOCK_FIELDS = frozenset({"seeding_time", "last_activity"})
_steady = attrgetter(*(f.name for f in fields(TorrentSnapshot) if f.name not in CLOCK_FIELDS))


def same_but_clock(a: TorrentSnapshot, b: TorrentSnapshot) -> bool:
    """``a`` and ``b`` differ at most in :data:`CLOCK_FIELDS`."""
    return a is b or _steady(a) == _steady(b)


def _tags(raw: Any) -> frozenset[str]:
    if isinstance(raw, list):
        return frozenset(str(t).strip() for t in raw if str(t).strip())
    if not raw:
        return frozenset()
    return frozenset(t.strip() for t in str(raw).split(",") if t.strip())


def _int(raw: Any, default: int = 0) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return default


def _float(raw: Any, default: float = 0.0) -> float:
    try:
        return float(raw)
    except (TypeError, ValueError):
        return default


def snapshot_from_info(instance: str, info: dict[str, Any], info_hash: str = "") -> TorrentSnapshot:
    """Build a snapshot from a ``torrents/info`` item or a merged ``sync/maindata`` entry.

    Fields an older qBittorrent omits get neutral defaults, never an exception.
    """
    return TorrentSnapshot(
        instance=instance,
        hash=(info_hash or str(info.get("hash", ""))).lower(),
        name=str(info.get("name", "")),
        category=str(info.get("category") or ""),
        tags=_tags(info.get("tags")),
        state=normalise_state(str(info.get("state", "unknown"))),
        progress=_float(info.get("progress")),
        amount_left=_int(info.get("amount_left")),
        size=_int(info.get("size")),
        total_size=_int(info.get("total_size"), _int(info.get("size"))),
        ratio=_float(info.get("ratio")),
        eta=_int(info.get("eta"), ETA_UNKNOWN),
        added_on=_int(info.get("added_on")),
        completion_on=_int(info.get("completion_on"), -1),
        last_activity=_int(info.get("last_activity")),
        seeding_time=_int(info.get("seeding_time")),
        availability=_float(info.get("availability"), -1.0),
        content_path=str(info.get("content_path") or ""),
        save_path=str(info.get("save_path") or ""),
        dlspeed=_int(info.get("dlspeed")),
        upspeed=_int(info.get("upspeed")),
        ratio_limit=_float(info.get("ratio_limit"), -2.0),
        seeding_time_limit=_int(info.get("seeding_time_limit"), -2),
        up_limit=_int(info.get("up_limit"), -1),
        dl_limit=_int(info.get("dl_limit"), -1),
        tracker=str(info.get("tracker") or ""),
        num_seeds=_int(info.get("num_seeds")),
        tracker_error=bool(info.get("has_tracker_error")),
        tracker_warning=bool(info.get("has_tracker_warning")),
        num_leechs=_int(info.get("num_leechs")),
    )
