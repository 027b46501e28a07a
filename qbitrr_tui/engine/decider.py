"""The decider: every torrent of a cycle through ``decide()``, with what it needs.

Per instance it first gathers the inputs that cost I/O — free space (``shutil.disk_usage``
when FreeSpaceFolder is set) and the file lists of a few new downloads — then decides each
torrent with its Arr (by category, or whichever Arr's queue has the download) and that
Arr's queue records for it.

**Decision reuse.** Most torrents do not change between full reads, and deciding 30,000 of
them every few seconds is most of a quiet cycle. A decision is reused, without calling
``decide()``, when all of this holds:

- the snapshot is the *same object* as last time: ``MaindataView.snapshots()`` hands back
  the cached snapshot of a torrent whose fields did not change, and a new object when any
  did (``qbit/fetch.py``);
- the stored state is the *same object*: ``StoredState.with_changes`` returns ``self``
  when nothing changes, and a decision that changed the state is never kept;
- the inputs (the Arr, whether it is up, the instance's network status, the free-space
  action, the excluded files) are *equal*;
- the torrent is in no Arr queue (queue records change without the torrent changing);
- the decision was *timeless* (``TIMELESS_RULES``: it did not read the clock) and had no
  actions; or it is an import past its ImportSettleTime (no ``wait_until``): for a complete
  torrent every rule before ``import_ready`` reads the clock only to let time pass once (a
  grace or a cooldown that has ended stays ended), so the same inputs give the same plan.
  Once the import is made, the stored state changes and the torrent is decided again.

Anything else decides again. So a changed tag, category or state decides again: it makes a
new snapshot.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence

from qbitrr_tui.arr.queue import QueueGroup
from qbitrr_tui.config import Config
from qbitrr_tui.config.model import ArrConfig, Settings
from qbitrr_tui.engine.memory import Reusable, TorrentMemory
from qbitrr_tui.engine.model import (
    TAG_IGNORED,
    Decision,
    Rule,
    RuleContext,
    StoredState,
    TorrentKey,
)
from qbitrr_tui.engine.plan import Planned
from qbitrr_tui.engine.policy import decide
from qbitrr_tui.engine.ports import QbitPort
from qbitrr_tui.engine.rules.files import excluded_files
from qbitrr_tui.engine.rules.free_space import free_space_plan
from qbitrr_tui.logs import TRACE, get_logger
from qbitrr_tui.qbit.manager import InstanceFetch
from qbitrr_tui.qbit.snapshot import TorrentSnapshot
from qbitrr_tui.qbit.webapi import QbitError

log = get_logger("engine")

FILE_CHECKS_PER_CYCLE = 25  # one torrents/files request each, only for new downloads
# Rules whose decision follows from the snapshot, the stored state and the per-torrent
# inputs alone (no clock): the only ones whose decisions may be reused.
TIMELESS_RULES = frozenset({Rule.OK, Rule.SEEDING, Rule.IGNORED})

Queues = Mapping[str, Mapping[str, QueueGroup]]  # Arr name → download id → its records
FileChecks = dict[str, tuple[tuple[int, ...], bool]]  # hash → (file ids to skip, all of them)


class Decider:
    def __init__(self, memory: TorrentMemory, qbits: QbitPort) -> None:
        self.memory = memory
        self.qbits = qbits  # only for the file lists of new downloads

    def decide_all(
        self,
        config: Config,
        fetched: Mapping[str, InstanceFetch],
        queues: Queues,
        now: float,
    ) -> tuple[list[Planned], dict[TorrentKey, StoredState]]:
        """The plans of this cycle, and the stored states that changed (or are new)."""
        arrs = _Arrs(config.managed_arrs, queues)
        plans: list[Planned] = []
        new_states: dict[TorrentKey, StoredState] = {}
        tracing = log.isEnabledFor(TRACE)
        for instance, result in fetched.items():
            if not result.ok:
                continue
            base = RuleContext(
                now=now,
                settings=config.settings,
                instance_connected=result.server.connection_status != "disconnected",
            )
            space = self._free_space_actions(result, config.settings)
            files = self._file_checks(instance, result.snapshots, arrs.by_category)
            for torrent in result.snapshots:
                if tracing:
                    log.log(
                        TRACE, "Processing torrent %s from instance '%s'", torrent.hash, instance
                    )
                plan = self._decide_one(
                    torrent, base, arrs, space=space, files=files, new_states=new_states
                )
                if plan is not None:
                    plans.append(plan)
        return plans, new_states

    def _decide_one(
        self,
        torrent: TorrentSnapshot,
        base: RuleContext,
        arrs: _Arrs,
        *,
        space: Mapping[str, str],
        files: FileChecks,
        new_states: dict[TorrentKey, StoredState],
    ) -> Planned | None:
        key = torrent.key
        record = self.memory.record(key)
        known = record.state
        stored = known or StoredState(first_seen=base.now, category=torrent.category)
        arr, group = arrs.owner(torrent)
        file_ids, all_excluded = files.get(torrent.hash, (None, False))
        arr_up = arrs.is_up(arr)
        connected = base.instance_connected
        inputs = (arr, arr_up, connected, space.get(torrent.hash, ""), file_ids)
        cached = record.reusable
        if (
            cached is not None
            and group is None
            and cached.torrent is torrent
            and cached.stored is stored
            and cached.inputs == inputs
        ):
            decision, state = cached.decision, stored  # same inputs: same answer
        else:
            ctx = RuleContext(
                now=base.now,
                settings=base.settings,
                arr=arr,
                queue=group,
                arr_up=arr_up,
                instance_connected=connected,
                free_space_action=inputs[3],
                excluded_files=file_ids,
                all_files_excluded=all_excluded,
            )
            decision, state = decide(torrent, stored, ctx)
            reusable = _timeless(decision) and group is None and state is stored
            record.reusable = Reusable(torrent, stored, inputs, decision) if reusable else None

        if arr is not None and state.arr != arr.name:
            state = state.with_changes(arr=arr.name)
        if known is None or state.differs_from(stored):
            new_states[key] = state
        record.rule, record.reason = decision.rule, decision.reason
        if not decision.actions:
            return None
        return Planned(
            torrent.instance,
            torrent.hash,
            torrent.name,
            torrent.content_path,
            decision.rule,
            decision.reason,
            decision.actions,
        )

    def _free_space_actions(self, result: InstanceFetch, settings: Settings) -> dict[str, str]:
        free = result.server.free_space_on_disk
        if result.free_space_at_folder is not None:
            free = result.free_space_at_folder  # the instance's own disk (qBittorrent ≥ 5.2)
        elif settings.free_space_folder and settings.free_space >= 0:
            try:
                free = shutil.disk_usage(settings.free_space_folder).free
            except OSError as exc:
                log.warning(
                    "cannot read free space of %s: %s", settings.free_space_folder, exc.strerror
                )
                return {}
        return free_space_plan(result.snapshots, self.memory.states, free, settings.free_space)

    def _file_checks(
        self,
        instance: str,
        torrents: Sequence[TorrentSnapshot],
        arr_by_category: Mapping[str, ArrConfig],
    ) -> FileChecks:
        """File exclusions for new downloads whose file list is known (a few per cycle)."""
        due = [
            t
            for t in torrents
            if t.category in arr_by_category
            and TAG_IGNORED not in t.tags
            and not t.is_complete
            and t.state not in ("metaDL", "forcedMetaDL")
            and not ((state := self.memory.state(t.key)) and state.files_checked)
        ]
        if not due:
            return {}
        try:
            adapter = self.qbits.get_client(instance)
        except QbitError:
            return {}
        checks: FileChecks = {}
        for torrent in due[:FILE_CHECKS_PER_CYCLE]:
            try:
                files = adapter.files(torrent.hash)
            except QbitError as exc:
                log.debug("files of %s on instance '%s' not read: %s", torrent.hash, instance, exc)
                continue
            if files:
                checks[torrent.hash] = excluded_files(
                    files, arr_by_category[torrent.category].torrent
                )
        return checks


def _timeless(decision: Decision) -> bool:
    """Whether the same inputs give this decision again whatever the time (module doc)."""
    if decision.rule is Rule.IMPORT:
        return decision.wait_until is None
    return decision.rule in TIMELESS_RULES and not decision.actions


class _Arrs:
    """Which Arr owns a torrent, and its queue records for it (one lookup table per cycle)."""

    def __init__(self, arrs: Sequence[ArrConfig], queues: Queues) -> None:
        self.by_category = {a.category: a for a in arrs}
        self.by_name = {a.name: a for a in arrs}
        self.queues = queues

    def owner(self, torrent: TorrentSnapshot) -> tuple[ArrConfig | None, QueueGroup | None]:
        arr = self.by_category.get(torrent.category)
        if arr is not None:
            groups = self.queues.get(arr.name)
            return arr, groups.get(torrent.hash) if groups is not None else None
        # The failed or recheck category: whichever Arr has the download in its queue.
        for name, groups in self.queues.items():
            if torrent.hash in groups:
                return self.by_name[name], groups[torrent.hash]
        return None, None

    def is_up(self, arr: ArrConfig | None) -> bool:
        """Its queue was read this cycle."""
        return arr is not None and arr.name in self.queues
