"""Every call to one instance goes through here, the one place that knows its API version.

What differs, from qBittorrent's WebAPI_Changelog.md and checked against real 4.5.2 (Web API
2.8.19), 5.1.0 (2.11.4) and 5.3.0 (2.16.2) in tests/integration/test_versions.py:

- 2.11 (5.0): ``torrents/pause``/``resume`` became ``stop``/``start`` (the old names answer
  404); ``pausedDL/UP`` became ``stoppedDL/UP`` (normalised in snapshot.py); the
  ``torrents/info`` filters ``paused``/``resumed`` became ``stopped``/``running``. An unknown
  filter is not refused: it silently matches *every* torrent, so filters are checked here.
- 2.12: ``torrents/setShareLimits`` requires ``shareLimitAction``; 2.15.3 (5.2) also
  ``shareLimitsMode`` (HTTP 400 without them).
- 2.15.2 (5.2): ``app/getFreeSpaceAtPath``: free space on the instance's own disk at a path.
- 2.8.14 (4.4): ``torrents/export`` (the .torrent of a torrent with metadata; 409 without):
  4.5, 5.1 and 5.3 all have it. ``torrents/add`` answers ``Fails.`` (200) on 4.x and 409
  (5.x) when nothing was added; it is checked by reading the torrent back.
- ``torrents/info`` lists each torrent's trackers with ``includeTrackers=true`` and says
  ``private``: checked on 5.1.0 (2.11.4) and 5.3.0; 4.5.2 has neither (there:
  ``torrents/trackers`` and ``torrents/properties``' ``is_private``, one torrent each).
- 2.9 (4.6): ``sync/maindata`` deltas are computed from what changed (qBittorrent tracks
  updated torrents), not by serialising every torrent and comparing: see qbit/read_strategy.py.

Hashes are sent in one request per action (``|``-joined), never one request per torrent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from qbitrr_tui.qbit.snapshot import torrent_fields_only
from qbitrr_tui.qbit.webapi import QbitRequestError, WebApiClient


def version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.lstrip("v").split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def _hashes(hashes: Iterable[str]) -> str:
    return "|".join(hashes)


INCREMENTAL_MAINDATA_API = (2, 9)
STOP_API = (2, 11)
EXPORT_API = (2, 8, 14)
SHARE_LIMIT_ACTION_API = (2, 12)
FREE_SPACE_AT_PATH_API = (2, 15, 2)
SHARE_LIMITS_MODE_API = (2, 15, 3)
INCLUDE_TRACKERS_API = (2, 11, 4)
TRACKER_ERROR_FLAGS_API = (2, 11, 7)
# The newest Web API the engine was checked against; a newer one gets a warning.
NEWEST_KNOWN_API = (2, 16, 2)
OLDEST_KNOWN_API = (2, 8)
TESTED_RELEASES = "4.5, 5.1 and 5.3"

# ``torrents/info`` filters by name on every version; the two renamed in 5.0 are asked for
# by their 5.x name and translated for older instances.
_COMMON_FILTERS = frozenset(
    {
        "all",
        "downloading",
        "seeding",
        "completed",
        "active",
        "inactive",
        "stalled",
        "stalled_uploading",
        "stalled_downloading",
        "errored",
        "checking",
        "moving",
    }
)
_V4_FILTER_NAMES = {"stopped": "paused", "running": "resumed"}


def known_api(api_version: str) -> bool:
    """Whether the engine was checked against this Web API version's series."""
    version = version_tuple(api_version)
    return OLDEST_KNOWN_API <= version[:2] <= NEWEST_KNOWN_API[:2]


class InstanceAdapter:
    def __init__(self, client: WebApiClient, app_version: str, api_version: str) -> None:
        self.client = client
        self.app_version = app_version
        self.api_version = api_version
        self._api = version_tuple(api_version)
        self._v5_api = self._api >= STOP_API

    @property
    def major_version(self) -> int:
        return version_tuple(self.app_version)[0] if self.app_version else 0

    # reads ----------------------------------------------------------------------------
    def maindata(self, rid: int) -> dict[str, Any]:
        # rid 0 is a full answer: all of it is built before the first byte is sent.
        wait = self.client.full_read_timeout if rid == 0 else None
        data = self.client.get_json(
            "sync/maindata",
            rid=rid,
            read_timeout=wait,
            object_pairs_hook=torrent_fields_only,
            large=rid == 0,
        )
        if not isinstance(data, dict):
            raise ValueError("sync/maindata did not answer an object")
        return data

    @property
    def incremental_maindata(self) -> bool:
        """Whether a ``sync/maindata`` delta costs the instance what changed, not every
        torrent (qBittorrent ≥ 4.6)."""
        return self._api >= INCREMENTAL_MAINDATA_API

    def log_since(self, last_known_id: int) -> list[dict[str, Any]]:
        """The instance's ordinary log messages (a torrent added, finished, removed …)
        newer than ``last_known_id`` (-1: all it keeps)."""
        data = self.client.get_json(
            "log/main",
            normal="true",
            info="false",
            warning="false",
            critical="false",
            last_known_id=last_known_id,
        )
        return data if isinstance(data, list) else []

    def torrents_info(self, **filters: Any) -> list[dict[str, Any]]:
        """``filter=`` takes the 5.x names (``stopped``, ``running``) on every version; any
        other unknown name is a programming error, never sent (it would match all)."""
        if "filter" in filters:
            name = str(filters["filter"])
            if name not in _COMMON_FILTERS and name not in _V4_FILTER_NAMES:
                raise ValueError(f"unknown torrents/info filter {name!r}")
            filters["filter"] = name if self._v5_api else _V4_FILTER_NAMES.get(name, name)
        data = self.client.get_json("torrents/info", **filters)
        return data if isinstance(data, list) else []

    @property
    def has_free_space_at_path(self) -> bool:
        return self._api >= FREE_SPACE_AT_PATH_API

    def free_space_at(self, path: str) -> int | None:
        """Free bytes at ``path`` on the instance's own disk; None before Web API 2.15.2."""
        if not self.has_free_space_at_path:
            return None
        text = self.client.get_text("app/getFreeSpaceAtPath", path=path)
        try:
            return int(text)
        except ValueError:
            return None

    def transfer_info(self) -> dict[str, Any]:
        """Speeds and ``connection_status``: the same keys as maindata's server_state."""
        data = self.client.get_json("transfer/info")
        return data if isinstance(data, dict) else {}

    def files(self, torrent_hash: str) -> list[dict[str, Any]]:

        data = self.client.get_json("torrents/files", hash=torrent_hash)
        return data if isinstance(data, list) else []

    def properties(self, torrent_hash: str) -> dict[str, Any]:
        data = self.client.get_json("torrents/properties", hash=torrent_hash)
        return data if isinstance(data, dict) else {}

    @property
    def lists_trackers(self) -> bool:
        """``torrents/info`` takes ``includeTrackers`` and says ``private``."""
        return self._api >= INCLUDE_TRACKERS_API

    @property
    def flags_tracker_errors(self) -> bool:
        """``sync/maindata`` says ``has_tracker_error`` (snapshot ``tracker_error``)."""
        return self._api >= TRACKER_ERROR_FLAGS_API

    def torrents_with_trackers(self, **filters: Any) -> list[dict[str, Any]]:
        """``torrents/info`` with each torrent's ``trackers`` (only when lists_trackers)."""
        if not self.lists_trackers:
            raise ValueError("this Web API version cannot list trackers with torrents/info")
        return self.torrents_info(includeTrackers="true", **filters)

    def trackers(self, torrent_hash: str) -> list[dict[str, Any]]:
        data = self.client.get_json("torrents/trackers", hash=torrent_hash)
        return data if isinstance(data, list) else []

    @property
    def can_export(self) -> bool:
        return self._api >= EXPORT_API

    def export(self, torrent_hash: str) -> bytes:
        """The .torrent file (Web API ≥ 2.8.14; QbitError when there is no metadata yet)."""
        return self.client.request("GET", "torrents/export", params={"hash": torrent_hash}).content

    def categories(self) -> dict[str, Any]:
        data = self.client.get_json("torrents/categories")
        return data if isinstance(data, dict) else {}

    # writes ---------------------------------------------------------------------------
    def pause(self, hashes: Sequence[str]) -> None:
        self.client.post(
            "torrents/stop" if self._v5_api else "torrents/pause", {"hashes": _hashes(hashes)}
        )

    def resume(self, hashes: Sequence[str]) -> None:
        self.client.post(
            "torrents/start" if self._v5_api else "torrents/resume", {"hashes": _hashes(hashes)}
        )

    def recheck(self, hashes: Sequence[str]) -> None:
        self.client.post("torrents/recheck", {"hashes": _hashes(hashes)})

    def reannounce(self, hashes: Sequence[str]) -> None:
        self.client.post("torrents/reannounce", {"hashes": _hashes(hashes)})

    def delete(self, hashes: Sequence[str], *, delete_files: bool) -> None:
        self.client.post(
            "torrents/delete",
            {"hashes": _hashes(hashes), "deleteFiles": "true" if delete_files else "false"},
        )

    def add_torrent(
        self,
        *,
        torrent_file: bytes | None,
        magnet: str,
        save_path: str,
        category: str,
        tags: Sequence[str],
    ) -> None:
        """Add one torrent (its .torrent, else its magnet) at ``save_path``, as the files
        were laid out (``contentLayout=Original``), started: qBittorrent checks the data
        that is already there."""
        data = {
            "savepath": save_path,
            "category": category,
            "tags": ",".join(tags),
            "contentLayout": "Original",
            "autoTMM": "false",
        }
        if torrent_file is None:
            data["urls"] = magnet
            files = None
        else:
            files = {"torrents": ("restore.torrent", torrent_file, "application/x-bittorrent")}
        answer = self.client.request("POST", "torrents/add", data=data, files=files)
        if answer.text.strip() == "Fails.":
            raise QbitRequestError(f"instance '{self.client.name}' refused to add it", 200)

    def add_tags(self, hashes: Sequence[str], tags: Sequence[str]) -> None:
        self.client.post("torrents/addTags", {"hashes": _hashes(hashes), "tags": ",".join(tags)})

    def remove_tags(self, hashes: Sequence[str], tags: Sequence[str]) -> None:
        self.client.post("torrents/removeTags", {"hashes": _hashes(hashes), "tags": ",".join(tags)})

    def set_category(self, hashes: Sequence[str], category: str) -> None:
        self.client.post("torrents/setCategory", {"hashes": _hashes(hashes), "category": category})

    def create_category(self, name: str, save_path: str = "") -> None:
        self.client.post("torrents/createCategory", {"category": name, "savePath": save_path})

    def set_file_priority(self, torrent_hash: str, file_ids: Sequence[int], priority: int) -> None:
        self.client.post(
            "torrents/filePrio",
            {
                "hash": torrent_hash,
                "id": "|".join(str(i) for i in file_ids),
                "priority": str(priority),
            },
        )

    def set_upload_limit(self, hashes: Sequence[str], limit_bytes: int) -> None:
        self.client.post(
            "torrents/setUploadLimit", {"hashes": _hashes(hashes), "limit": str(limit_bytes)}
        )

    def set_download_limit(self, hashes: Sequence[str], limit_bytes: int) -> None:
        self.client.post(
            "torrents/setDownloadLimit", {"hashes": _hashes(hashes), "limit": str(limit_bytes)}
        )

    def set_share_limits(
        self, hashes: Sequence[str], ratio_limit: float, seeding_time_limit_minutes: int
    ) -> None:
        self.client.post(
            "torrents/setShareLimits",
            {
                "hashes": _hashes(hashes),
                "ratioLimit": str(ratio_limit),
                "seedingTimeLimit": str(seeding_time_limit_minutes),
                "inactiveSeedingTimeLimit": "-2",
                **self._share_limit_defaults(),
            },
        )

    def _share_limit_defaults(self) -> dict[str, str]:
        """What newer versions require beside the limits: keep the instance's own action
        and mode (what the user set in qBittorrent), as older versions do."""
        extra = {}
        if self._api >= SHARE_LIMIT_ACTION_API:
            extra["shareLimitAction"] = "Default"
        if self._api >= SHARE_LIMITS_MODE_API:
            extra["shareLimitsMode"] = "Default"
        return extra
