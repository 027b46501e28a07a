"""The Arr stand-in's resources: the JSON shapes of its answers (field names from the real
OpenAPI files), its records and commands, and qBittorrent's state as the Arrs map it."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from qbitrr_tui.arr.kinds import KINDS
from qbitrr_tui.sandbox.arr_tracked import READ_AT

_VERSIONS = {"Radarr": "6.0.3.10276", "Sonarr": "4.0.19.2979", "Lidarr": "2.14.5.4836"}


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def timespan(seconds: float) -> str:
    seconds = max(0, int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    prefix = f"{days}." if days else ""
    return f"{prefix}{hours:02d}:{minutes:02d}:{secs:02d}"


def map_state(state: str) -> tuple[str, str, tuple[str, ...]]:
    """qBittorrent state → (queue status, trackedDownloadStatus, messages), as the Arrs'
    qBittorrent download client maps them."""
    if state in ("error",):
        return "warning", "warning", ("qBittorrent is reporting an error",)
    if state == "missingFiles":
        return "warning", "warning", ("The download is missing files",)
    if state in ("pausedDL", "stoppedDL"):
        return "paused", "ok", ()
    if state in ("queuedDL", "checkingDL", "checkingUP", "checkingResumeData", "allocating"):
        return "queued", "ok", ()
    if state in ("pausedUP", "stoppedUP", "uploading", "stalledUP", "queuedUP", "forcedUP"):
        return "completed", "ok", ()
    if state == "stalledDL":
        return "warning", "warning", ("The download is stalled with no connections",)
    if state in ("metaDL", "forcedMetaDL"):
        return "queued", "warning", ("qBittorrent cannot resolve magnet link with DHT disabled",)
    return "downloading", "ok", ()


@dataclass
class Record:
    id: int
    download_id: str  # UPPER-case, as the Arrs store it
    instance: str
    title: str
    media: dict[str, Any]  # movieId / seriesId+episodeId+seasonNumber / artistId+albumId
    added: float


@dataclass
class Command:
    id: int
    name: str
    body: dict[str, Any]
    queued: float
    status: str = "queued"
    result: str = "unknown"
    message: str = ""
    started: float | None = None
    ended: float | None = None


@dataclass(frozen=True, slots=True)
class RequestLog:
    method: str
    path: str  # under the API prefix, e.g. "queue/12"
    query: dict[str, list[str]]
    body: Any
    api_key: str | None


def system_status(kind_name: str) -> dict[str, Any]:
    return {
        "appName": KINDS[kind_name].app_name,
        "instanceName": KINDS[kind_name].app_name,
        "version": _VERSIONS[kind_name],
        "buildTime": "2025-09-11T00:00:00Z",
        "isDebug": False,
        "isProduction": True,
        "isAdmin": False,
        "isUserInteractive": False,
        "startupPath": "/app",
        "appData": "/config",
        "osName": "debian",
        "osVersion": "12",
        "branch": "main",
        "authentication": "forms",
        "urlBase": "",
        "runtimeVersion": "8.0.0",
    }


def page(items: Sequence[dict[str, Any]], q: Mapping[str, str]) -> dict[str, Any]:
    page = max(1, int(q.get("page", 1)))
    size = max(1, int(q.get("pageSize", 10)))
    return {
        "page": page,
        "pageSize": size,
        "sortKey": q.get("sortKey", "id"),
        "sortDirection": q.get("sortDirection", "ascending"),
        "totalRecords": len(items),
        "records": list(items[(page - 1) * size : page * size]),
    }


def queue_resource(kind_name: str, record: Record, info: Mapping[str, Any]) -> dict[str, Any]:
    """One queue row for ``record`` from its torrent's live ``info``."""
    status, tracked_status, messages = map_state(str(info.get("state", "")))
    size = int(info.get("size") or 0)
    left = int(info.get("amount_left") or 0)
    eta = int(info.get("eta") or 8640000)
    complete = status == "completed"
    row: dict[str, Any] = {
        "id": record.id,
        "title": record.title,
        "size": size,
        "sizeleft": left,
        "added": iso(record.added),
        "status": status,
        "trackedDownloadStatus": tracked_status,
        "trackedDownloadState": "importPending" if complete else "downloading",
        "statusMessages": [{"title": record.title, "messages": list(messages)}] if messages else [],
        "downloadId": record.download_id,
        "protocol": "torrent",
        "downloadClient": f"qBittorrent ({record.instance})",
        "indexer": "Sandbox",
        "outputPath": str(info.get("content_path") or ""),
        "downloadClientHasPostImportCategory": False,
    }
    if eta < 8640000 and not complete:
        row["timeleft"] = timespan(eta)
        # As a real Arr: reckoned when it last read its client, not per request, so the
        # queue answers the same bytes until its next refresh.
        row["estimatedCompletionTime"] = iso(float(info.get(READ_AT) or time.time()) + eta)
    if status == "warning":
        row["errorMessage"] = messages[0]
    row.update(record.media)
    if kind_name == "Sonarr":
        row["episodeHasFile"] = False
    if kind_name == "Lidarr":
        row.update({"trackFileCount": 0, "trackHasFileCount": 0, "downloadForced": False})
    return row


def command_resource(command: Command) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "id": command.id,
        "name": command.name,
        "commandName": command.name,
        "message": command.message or command.status.capitalize(),
        "body": {**command.body, "sendUpdatesToClient": False},
        "priority": "normal",
        "status": command.status,
        "result": command.result,
        "queued": iso(command.queued),
        "trigger": "manual",
        "stateChangeTime": iso(command.ended or command.started or command.queued),
        "sendUpdatesToClient": False,
        "updateScheduledTask": True,
    }
    if command.started:
        resource["started"] = iso(command.started)
    if command.ended:
        resource["ended"] = iso(command.ended)
        resource["duration"] = timespan(command.ended - (command.started or command.queued))
    return resource


def safe_title(title: str) -> str:
    return re.sub(r"[^\w.\- ]+", "_", title).strip() or "untitled"
