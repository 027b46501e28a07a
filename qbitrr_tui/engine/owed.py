"""What a torrent still owes its tracker, for a removal asked by hand: the hit-and-run guard
every removal by the engine passes (engine/rules/hnr.py), on the torrent's trackers and
private flag read afresh — one batched read per instance, waited for at most
InstanceReadBudget — or, when that read does not answer, on what the last one said."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import partial

from qbitrr_tui.config import Config
from qbitrr_tui.engine.memory import TorrentMemory
from qbitrr_tui.engine.model import TorrentKey
from qbitrr_tui.engine.operator_reads import LateAnswer, OperatorReads
from qbitrr_tui.engine.ports import QbitPort
from qbitrr_tui.engine.rules.hnr import match_row, removal_blocked
from qbitrr_tui.engine.strikes import confirmed_unregistered
from qbitrr_tui.engine.tracker_status import TrackerReport
from qbitrr_tui.engine.tracker_watch import TrackerWatch
from qbitrr_tui.engine.trackers import read_reports
from qbitrr_tui.logs import get_logger
from qbitrr_tui.qbit.snapshot import TorrentSnapshot
from qbitrr_tui.qbit.webapi import QbitError

log = get_logger("manual")

READS = 25  # on 4.x, torrents whose trackers are read one by one (as the deletion gate)


class OwedCheck:
    def __init__(
        self, qbits: QbitPort, trackers: TrackerWatch, memory: TorrentMemory, reads: OperatorReads
    ) -> None:
        self.qbits, self.trackers, self.memory, self.reads = qbits, trackers, memory, reads

    def owed(self, snaps: Sequence[TorrentSnapshot], config: Config) -> dict[TorrentKey, str]:
        """What each of ``snaps`` still owes its tracker ("" when nothing)."""
        self.trackers.begin(config)  # the rows of this config (a no-op within a cycle's)
        arr_of = {a.category: a for a in config.managed_arrs}
        by_instance: dict[str, list[TorrentSnapshot]] = defaultdict(list)
        for snap in snaps:
            by_instance[snap.instance].append(snap)
        out: dict[TorrentKey, str] = {}
        for instance, group in by_instance.items():
            reports = self._read(instance, [s.hash for s in group], config)
            for snap in group:
                report = reports.get(snap.hash)
                known_urls, known_private = self.trackers.facts(snap.key)
                urls = report.urls if report is not None else known_urls
                private = (
                    known_private if report is None or report.private is None else report.private
                )
                record = self.memory.get(snap.key)
                state = record.state if record is not None else None
                rows = self.trackers.rows(instance, arr_of.get(snap.category))
                out[snap.key] = removal_blocked(
                    snap,
                    match_row(rows, (snap.tracker, *urls)),
                    private=private,
                    dead=state is not None and confirmed_unregistered(state),
                )
        return out

    def _read(self, instance: str, hashes: list[str], config: Config) -> dict[str, TrackerReport]:
        budget = config.settings.instance_read_budget
        try:
            adapter = self.qbits.get_client(instance)
            return self.reads.within(budget, partial(read_reports, adapter, hashes, budget=READS))
        except (QbitError, LateAnswer) as exc:
            log.warning("instance '%s': trackers not read before a removal: %s", instance, exc)
            return {}
