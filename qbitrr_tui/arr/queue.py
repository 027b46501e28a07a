"""What an Arr's queue says, as plain data: records grouped by download (the info hash).

No HTTP here: the decision core reads these types, and must not drag ``requests`` in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from qbitrr_tui.arr.kinds import ArrKind


@dataclass(frozen=True, slots=True)
class QueueItem:
    id: int
    download_id: str  # lower-case info hash ("" for a download with none yet)
    title: str
    status: str
    tracked_state: str
    tracked_status: str
    status_messages: tuple[str, ...]
    output_path: str
    media_ids: tuple[int, ...]  # movieId / episodeId / albumId (what a search takes)
    download_client: str


@dataclass(frozen=True, slots=True)
class QueueGroup:
    """Every queue record of one download (a Sonarr season pack has one per episode)."""

    download_id: str
    items: tuple[QueueItem, ...]

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(i.id for i in self.items)

    @property
    def media_ids(self) -> tuple[int, ...]:
        seen: dict[int, None] = {}
        for item in self.items:
            for media_id in item.media_ids:
                seen[media_id] = None
        return tuple(seen)

    @property
    def title(self) -> str:
        return self.items[0].title if self.items else ""


def _ints(value: Any) -> tuple[int, ...]:
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,)
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, int) and not isinstance(v, bool))
    return ()


def _messages(raw: Any) -> tuple[str, ...]:
    """``statusMessages`` is ``[{title, messages: [..]}]``; flatten to readable lines."""
    out: list[str] = []
    if not isinstance(raw, list):
        return ()
    for entry in raw:
        if not isinstance(entry, dict):
            continue
        for message in entry.get("messages") or ():
            out.append(str(message))
        if not entry.get("messages") and entry.get("title"):
            out.append(str(entry["title"]))
    return tuple(out)


def queue_item_from_record(kind: ArrKind, record: Mapping[str, Any]) -> QueueItem:
    """Read one queue record defensively: the Arrs omit fields that are null."""
    return QueueItem(
        id=int(record.get("id") or 0),
        download_id=str(record.get("downloadId") or "").lower(),
        title=str(record.get("title") or ""),
        status=str(record.get("status") or "unknown"),
        tracked_state=str(record.get("trackedDownloadState") or ""),
        tracked_status=str(record.get("trackedDownloadStatus") or ""),
        status_messages=_messages(record.get("statusMessages")),
        output_path=str(record.get("outputPath") or ""),
        media_ids=_ints(record.get(kind.media_id_field)),
        download_client=str(record.get("downloadClient") or ""),
    )


def group_by_download(items: Iterable[QueueItem]) -> dict[str, QueueGroup]:
    grouped: dict[str, list[QueueItem]] = {}
    for item in items:
        if item.download_id:
            grouped.setdefault(item.download_id, []).append(item)
    return {k: QueueGroup(k, tuple(v)) for k, v in grouped.items()}
