"""The details of one torrent, read for the operator who opened it: what the engine knows
(its last snapshot, decision and stored state) and three extra reads of that torrent only
(properties, files, trackers), plus its Arr's queue record. Never per row, never per cycle.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from functools import partial
from typing import Any

from qbitrr_tui.arr.client import ArrError
from qbitrr_tui.arr.queue import QueueGroup
from qbitrr_tui.config import Config
from qbitrr_tui.config.model import ArrConfig
from qbitrr_tui.config.units import format_duration, format_size
from qbitrr_tui.engine.manual import ManualActions, owning_arr
from qbitrr_tui.engine.manual_contract import (
    FileDetail,
    Pairs,
    TorrentDetails,
    TrackerDetail,
)
from qbitrr_tui.engine.memory import TorrentRecord
from qbitrr_tui.engine.model import TorrentKey, reason_text
from qbitrr_tui.engine.operator_reads import LateAnswer
from qbitrr_tui.qbit.adapter import InstanceAdapter
from qbitrr_tui.qbit.snapshot import TorrentSnapshot
from qbitrr_tui.qbit.webapi import QbitError

# qBittorrent's tracker status codes (torrents/trackers).
TRACKER_STATUS = {0: "disabled", 1: "not contacted", 2: "working", 3: "updating", 4: "not working"}


def when(stamp: float) -> str:
    if stamp <= 0:
        return "—"
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp))


def limit(value: float, unit: str) -> str:
    return "none" if value < 0 else f"{value:g}{unit}"


def general(t: TorrentSnapshot, props: Mapping[str, Any]) -> Pairs:
    private = props.get("is_private", props.get("private"))
    return (
        ("Name", t.name),
        ("Hash", t.hash),
        ("Instance", t.instance),
        ("Category", t.category or "—"),
        ("Tags", ", ".join(sorted(t.tags)) or "—"),
        ("Save path", t.save_path),
        ("Content path", t.content_path),
        ("Size", format_size(t.size)),
        ("Progress", f"{t.progress * 100:.1f}%"),
        ("Added", when(t.added_on)),
        ("Completed", when(t.completion_on)),
        ("↓ / ↑", f"{format_size(t.dlspeed)}/s / {format_size(t.upspeed)}/s"),
        ("Seeds", f"{t.num_seeds} connected"),
        ("Peers", str(props.get("peers", "—"))),
        ("Ratio", f"{t.ratio:.2f} (limit {limit(t.ratio_limit, '')})"),
        (
            "Seeding time",
            f"{format_duration(t.seeding_time)} (limit {limit(t.seeding_time_limit, ' min')})",
        ),
        ("Tracker", t.tracker or "—"),
        ("Private", "unknown" if private is None else ("yes" if private else "no")),
    )


def decision(record: TorrentRecord, arr: ArrConfig | None, now: float) -> Pairs:
    lines: list[tuple[str, str]] = [
        ("Rule", record.rule or "—"),
        ("Reason", reason_text(record.reason, record.deadline, now) or "—"),
    ]
    made = record.reusable.final if record.reusable is not None else None
    if made is not None:
        steps = ", ".join(a.describe() for a in made.actions) or "nothing"
        lines.append(("Next", steps))
        if made.wait_until is not None:
            left = max(0.0, made.wait_until - now)
            lines.append(("When", f"in {format_duration(left)} ({when(made.wait_until)})"))
    state = record.state
    if state is not None and state.stalled_since is not None:
        lines.append(("Stalled since", when(state.stalled_since)))
    if arr is None:
        lines.append(("Arr", "none manages this category"))
        return tuple(lines)
    rules = arr.torrent
    seeding = rules.seeding
    lines += [
        ("Arr", arr.name),
        (
            "StalledDelay",
            format_duration(rules.stalled_delay) if rules.stalled_delay > 0 else "off",
        ),
        ("MaximumETA", format_duration(rules.maximum_eta) if rules.maximum_eta > 0 else "off"),
        ("Young below", format_duration(rules.ignore_torrents_younger_than)),
        ("MaxUploadRatio", limit(seeding.max_upload_ratio, "")),
        ("MaxSeedingTime", limit(seeding.max_seeding_time, " s")),
        ("RemoveTorrent", str(seeding.remove_torrent)),
    ]
    if rules.trackers:
        lines.append(("Tracker rules", ", ".join(t.uri for t in rules.trackers)))
    return tuple(lines)


def files(raw: list[dict[str, Any]]) -> tuple[FileDetail, ...]:
    return tuple(
        FileDetail(
            index=int(f.get("index", i)),
            name=str(f.get("name", "")),
            size=int(f.get("size", 0)),
            progress=float(f.get("progress", 0.0)),
            priority=int(f.get("priority", 1)),
        )
        for i, f in enumerate(raw)
    )


def trackers(raw: list[dict[str, Any]]) -> tuple[TrackerDetail, ...]:
    return tuple(
        TrackerDetail(
            url=str(t.get("url", "")),
            status=TRACKER_STATUS.get(int(t.get("status", 1)), str(t.get("status"))),
            message=str(t.get("msg", "")),
            peers=int(t.get("num_peers", -1)),
            seeds=int(t.get("num_seeds", -1)),
        )
        for t in raw
    )


def queue_lines(group: QueueGroup) -> Pairs:
    return tuple(
        line
        for item in group.items
        for line in (
            ("Title", item.title),
            ("Queue id", str(item.id)),
            ("Media ids", ", ".join(map(str, item.media_ids)) or "—"),
            ("Status", item.status),
            ("Tracked", f"{item.tracked_state} / {item.tracked_status}"),
            *(("Message", m) for m in item.status_messages),
        )
    )


def _qbit_reads(
    adapter: InstanceAdapter, torrent_hash: str
) -> tuple[dict[str, Any], tuple[FileDetail, ...], tuple[TrackerDetail, ...]]:
    """Properties, files and trackers: three requests to the torrent's instance."""
    props = adapter.properties(torrent_hash)
    return props, files(adapter.files(torrent_hash)), trackers(adapter.trackers(torrent_hash))


def _arr_lines(manual: ManualActions, arr: ArrConfig, torrent_hash: str, budget: float) -> Pairs:
    try:
        group = manual.reads.within(budget, partial(manual.queue, arr)).get(torrent_hash.lower())
    except (ArrError, LateAnswer) as exc:
        return (("Arr", arr.name), ("Queue", f"not read: {exc}"))
    if group is None:
        return (("Arr", arr.name), ("Queue", "no record for this download"))
    return (("Arr", arr.name), *queue_lines(group))


def read_details(manual: ManualActions, config: Config, key: TorrentKey) -> TorrentDetails:
    """Everything about one torrent; what cannot be read is named in ``error``. The reads
    of qBittorrent and of the Arr run side by side, each waited for at most its budget
    (InstanceReadBudget, ArrReadBudget): a hung peer does not hold up the engine."""
    record = manual.memory.get(key)
    snap = record.row_source if record is not None else None
    if record is None or snap is None:
        return TorrentDetails(
            key,
            key[1],
            journal=manual.executor.journal.history(key),
            error="The engine does not know this torrent (yet).",
        )
    arr = owning_arr(config, snap.category)
    budgets = config.settings
    errors: list[str] = []
    props: dict[str, Any] = {}
    file_rows: tuple[FileDetail, ...] = ()
    tracker_rows: tuple[TrackerDetail, ...] = ()
    reading = None
    try:
        adapter = manual.qbits.get_client(key[0])
        reading = manual.reads.start(partial(_qbit_reads, adapter, snap.hash))
        until = time.monotonic() + budgets.instance_read_budget
    except QbitError as exc:
        errors.append(f"qBittorrent '{key[0]}': {exc}")
    arr_lines = _arr_lines(manual, arr, snap.hash, budgets.arr_read_budget) if arr else ()
    if reading is not None:
        try:
            props, file_rows, tracker_rows = manual.reads.outcome(
                reading, until, budgets.instance_read_budget
            )
        except (QbitError, LateAnswer) as exc:
            errors.append(f"qBittorrent '{key[0]}': {exc}")
    return TorrentDetails(
        key,
        snap.name,
        general=general(snap, props),
        decision=decision(record, arr, manual.clock()),
        files=file_rows,
        trackers=tracker_rows,
        arr=arr_lines,
        journal=manual.executor.journal.history(key),
        error="; ".join(errors),
    )
