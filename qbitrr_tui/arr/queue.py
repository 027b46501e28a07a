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


@dataclass(frozen=True, slots=True)
class QueuePage:
    """One page of a queue answer, parsed, with a digest of the bytes it was parsed from."""

    digest: bytes
    items: tuple[QueueItem, ...]
    records: int  # how many records it held (items skips any that are not objects)
    total: int  # totalRecords, as this page said


@dataclass(frozen=True, slots=True)
class QueueRead:
    """A whole queue read. An Arr rebuilds its queue only when it refreshes its downloads
    (Radarr/Sonarr/Lidarr: once a minute, or on a grab or an import) and answers the same
    bytes in between, so a page with the last read's digest is not parsed again, and a read
    whose every page is unchanged *is* the last read (the decider compares by identity)."""

    pages: tuple[QueuePage, ...]
    groups: dict[str, QueueGroup]

    @property
    def items(self) -> list[QueueItem]:
        return [item for page in self.pages for item in page.items]

    def page(self, number: int, digest: bytes) -> QueuePage | None:
        """Page ``number`` (from 1) of this read, if it had ``digest``."""
        if number <= len(self.pages) and self.pages[number - 1].digest == digest:
            return self.pages[number - 1]
        return None

    def unchanged(self, pages: list[QueuePage]) -> bool:
        return len(pages) == len(self.pages) and all(
            a is b for a, b in zip(pages, self.pages, strict=True)
        )


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
