"""Builders for rule tests: a torrent, its stored state and the context, with defaults."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from qbitrr_tui.arr.queue import QueueGroup, QueueItem
from qbitrr_tui.config.model import ArrConfig, SeedingMode, Settings, TorrentRules, TrackerRule
from qbitrr_tui.engine.model import RuleContext, StoredState
from qbitrr_tui.qbit.snapshot import TorrentSnapshot

NOW = 1_700_000_000.0
HASH = "ab" * 20

SETTINGS = Settings(
    data_folder=Path("/tmp/x"), ignore_torrents_younger_than=180, import_settle_time=60
)


def snap(**fields: Any) -> TorrentSnapshot:
    base: dict[str, Any] = dict(
        instance="default",
        hash=HASH,
        name="Movie.2020.mkv",
        category="radarr",
        tags=frozenset(),
        state="downloading",
        progress=0.5,
        amount_left=500,
        size=1000,
        ratio=0.0,
        eta=600,
        added_on=int(NOW - 3600),
        completion_on=-1,
        seeding_time=0,
        content_path="/dl/Movie.2020.mkv",
        save_path="/dl",
        dlspeed=1000,
        upspeed=0,
        ratio_limit=-2.0,
        seeding_time_limit=-2,
        up_limit=-1,
        dl_limit=-1,
        tracker="",
        num_seeds=1,
    )
    if "tags" in fields:
        fields["tags"] = frozenset(fields["tags"])
    base.update(fields)
    return TorrentSnapshot(**base)


def complete(**fields: Any) -> TorrentSnapshot:
    values: dict[str, Any] = dict(
        state="uploading",
        progress=1.0,
        amount_left=0,
        completion_on=int(NOW - 600),
        eta=8640000,
        dlspeed=0,
    )
    values.update(fields)
    return snap(**values)


def arr(**torrent: Any) -> ArrConfig:
    seeding = torrent.pop("seeding", SeedingMode())
    trackers = tuple(torrent.pop("trackers", ()))
    rules = TorrentRules(
        stalled_delay=torrent.pop("stalled_delay", 900.0),
        file_extension_allowlist=(".mkv", ".srt"),
        seeding=seeding,
        trackers=trackers,
        ignore_torrents_younger_than=180,
        **torrent,
    )
    return ArrConfig(
        kind="Radarr",
        name="Radarr-Movies",
        uri="http://r",
        api_key="k",
        category="radarr",
        torrent=rules,
    )


def queue(*ids: int, media: tuple[int, ...] = (42,)) -> QueueGroup:
    items = tuple(
        QueueItem(
            id=i,
            download_id=HASH,
            title="Movie",
            status="warning",
            tracked_state="downloading",
            tracked_status="warning",
            status_messages=(),
            output_path="",
            media_ids=media,
            download_client="",
        )
        for i in (ids or (7,))
    )
    return QueueGroup(HASH, items)


def ctx(**fields: Any) -> RuleContext:
    values: dict[str, Any] = dict(now=NOW, settings=SETTINGS, arr=arr(), queue=queue(), arr_up=True)
    values.update(fields)
    return RuleContext(**values)


def stored(**fields: Any) -> StoredState:
    return StoredState(**{"first_seen": NOW - 3600, "category": "radarr", **fields})


def settings(**fields: Any) -> Settings:
    return replace(SETTINGS, **fields)


def tracker(**fields: Any) -> TrackerRule:
    return TrackerRule(**{"uri": "tracker.example.org", **fields})
