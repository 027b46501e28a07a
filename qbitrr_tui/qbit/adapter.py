"""Every write to one instance goes through here, the one place that knows its API version.

qBittorrent 5 (Web API ≥ 2.11) renamed ``torrents/pause``/``resume`` to ``stop``/``start``.
Hashes are sent in one request per action (``|``-joined), never one request per torrent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from qbitrr_tui.qbit.webapi import WebApiClient


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.lstrip("v").split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def _hashes(hashes: Iterable[str]) -> str:
    return "|".join(hashes)


class InstanceAdapter:
    def __init__(self, client: WebApiClient, app_version: str, api_version: str) -> None:
        self.client = client
        self.app_version = app_version
        self.api_version = api_version
        self._v5_api = _version_tuple(api_version) >= (2, 11)

    @property
    def major_version(self) -> int:
        return _version_tuple(self.app_version)[0] if self.app_version else 0

    # reads ----------------------------------------------------------------------------
    def maindata(self, rid: int) -> dict[str, Any]:
        data = self.client.get_json("sync/maindata", rid=rid)
        if not isinstance(data, dict):
            raise ValueError("sync/maindata did not answer an object")
        return data

    def torrents_info(self, **filters: Any) -> list[dict[str, Any]]:
        data = self.client.get_json("torrents/info", **filters)
        return data if isinstance(data, list) else []

    def transfer_info(self) -> dict[str, Any]:
        """Speeds and ``connection_status``: the same keys as maindata's server_state."""
        data = self.client.get_json("transfer/info")
        return data if isinstance(data, dict) else {}

    def files(self, torrent_hash: str) -> list[dict[str, Any]]:

        data = self.client.get_json("torrents/files", hash=torrent_hash)
        return data if isinstance(data, list) else []

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

    def delete(self, hashes: Sequence[str], *, delete_files: bool) -> None:
        self.client.post(
            "torrents/delete",
            {"hashes": _hashes(hashes), "deleteFiles": "true" if delete_files else "false"},
        )

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
            },
        )
