"""What a torrent's trackers say, read from ``torrents/trackers`` (or ``torrents/info`` with
``includeTrackers``), and what that means for removing it. Pure.

Status codes (``torrents/trackers``): 0 disabled (DHT, PeX, LSD), 1 not contacted yet,
2 working, 3 updating, 4 not working; from Web API 2.13 (qBittorrent 5.2) also 5 tracker
error (the tracker answered with a failure) and 6 unreachable. Checked on real 4.5.2, 5.1.0
and 5.3.0: a tracker answering ``failure reason: Unregistered torrent`` is 4 before 2.13
and 5 after; one that refuses the connection is 4 with "Connection refused" on all three.

So "unregistered" is a *message*: status 4 or 5 with one of the configured phrases, from a
torrent none of whose trackers works. Status 6 (unreachable) never counts, whatever its text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from qbitrr_tui.engine.rules.hnr import host_of

NOT_CONTACTED, WORKING, UPDATING, NOT_WORKING, TRACKER_ERROR, UNREACHABLE = 1, 2, 3, 4, 5, 6
FAILING = frozenset({NOT_WORKING, TRACKER_ERROR, UNREACHABLE})
ANSWERED = frozenset({NOT_WORKING, TRACKER_ERROR})  # statuses a tracker's own answer can have


@dataclass(frozen=True, slots=True)
class TrackerEntry:
    url: str
    status: int
    msg: str = ""
    updating: bool = False  # 5.2+: an announce is under way


@dataclass(frozen=True, slots=True)
class TrackerReport:
    """One torrent's real trackers (no DHT/PeX/LSD rows) and its private flag (None when
    the instance did not say)."""

    entries: tuple[TrackerEntry, ...]
    private: bool | None = None

    @property
    def urls(self) -> tuple[str, ...]:
        return tuple(e.url for e in self.entries)


def _int(raw: object) -> int:
    try:
        return int(raw)  # type: ignore[call-overload,no-any-return]
    except (TypeError, ValueError):
        return -1


def entries_from(raw: Iterable[Mapping[str, Any]]) -> tuple[TrackerEntry, ...]:
    entries = []
    for item in raw:
        url = str(item.get("url") or "")
        if not url or url.startswith("** ["):
            continue
        entries.append(
            TrackerEntry(
                url=url,
                status=_int(item.get("status")),
                msg=str(item.get("msg") or ""),
                updating=bool(item.get("updating")),
            )
        )
    return tuple(entries)


def private_flag(raw: object) -> bool | None:
    return raw if isinstance(raw, bool) else None


def matches(msg: str, phrases: Sequence[str]) -> bool:
    text = msg.lower()
    return any(p.lower() in text for p in phrases if p.strip())


def unregistered_message(entries: Sequence[TrackerEntry], phrases: Sequence[str]) -> str:
    """The tracker's own message saying the torrent is gone ("" when none does, or when
    another tracker of it still works)."""
    if any(e.status == WORKING for e in entries):
        return ""
    for entry in entries:
        if entry.status in ANSWERED and matches(entry.msg, phrases):
            return entry.msg
    return ""


def wait_reason(entries: Sequence[TrackerEntry], phrases: Sequence[str]) -> str:
    """Why a removal should wait on the trackers ("" when it need not): one is being
    contacted or updated, or none works and one fails for a reason that may pass (anything
    but an "unregistered" answer)."""
    for entry in entries:
        if entry.updating or entry.status == UPDATING:
            return f"tracker {_host(entry.url)} is updating"
        if entry.status == NOT_CONTACTED:
            return f"tracker {_host(entry.url)} not contacted yet"
    if any(e.status == WORKING for e in entries):
        return ""
    for entry in entries:
        if entry.status in FAILING and not (
            entry.status in ANSWERED and matches(entry.msg, phrases)
        ):
            why = entry.msg or "no answer"
            return f"tracker {_host(entry.url)} failing ({why}), which may pass"
    return ""


def _host(url: str) -> str:
    return host_of(url) or url
