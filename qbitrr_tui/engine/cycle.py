"""One engine cycle, step by step, each step in its own module:

    reads = arrs.start_reads()                   arrs.py           (probe, queues, health)
    fetched = qbits.fetch()                      qbit/manager.py   (health, tiered reads)
    queues = arrs.collect(reads)                 arrs.py           (meanwhile; stale kept)
    plans = decider.decide_all(...)              decider.py        (inputs, decision reuse)
    due = journal.reconcile(...)                 journal.py        (open steps read back)
    capped = guards.hold_over_cap(...)           guards.py         (deletion cap; pure)
    split = guards.split_dry_run(...)            guards.py         (dry-run; pure)
    journal.begin(split.real)                    journal.py        (intents, then send)
    executed = executor.run(split.real + due)    executor.py       (batched, fixed order)
    gone = memory.commit(...)                    memory.py         (one record per torrent)
    store.save_states / log_actions              store.py          (SQLite)
    publisher.publish(...)                       publish.py        (dashboard rows, diff)

Deadlines: the Arr and qBittorrent reads run at once, each within its read budget
(InstanceReadBudget, ArrReadBudget), and each instance's actions within ActBudget; whatever
is late is left to finish in the background and is stale (or read back) meanwhile, so a
hung instance or Arr holds up only itself.

Every event goes to ``emit``; :class:`~qbitrr_tui.engine.loop.Engine` owns the ports and
passes them in, and decides when a cycle runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from qbitrr_tui import memory_trim
from qbitrr_tui.config import Config
from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine import guards
from qbitrr_tui.engine.arrs import ArrFleet
from qbitrr_tui.engine.bin_upkeep import BinUpkeep
from qbitrr_tui.engine.decider import Decider
from qbitrr_tui.engine.executor import Executed, Executor
from qbitrr_tui.engine.journal import Journal, Reconciled
from qbitrr_tui.engine.memory import Present, TorrentMemory
from qbitrr_tui.engine.model import StoredState, TorrentKey
from qbitrr_tui.engine.plan import Planned
from qbitrr_tui.engine.ports import QbitPort
from qbitrr_tui.engine.publish import RowPublisher
from qbitrr_tui.engine.store import ActionLogEntry, Store
from qbitrr_tui.logs import get_logger
from qbitrr_tui.qbit.manager import InstanceFetch

log = get_logger("engine")


@dataclass
class Cycle:
    """The cycle's ports and parts (made once by the Engine)."""

    qbits: QbitPort
    arrs: ArrFleet
    store: Store
    memory: TorrentMemory
    clock: Callable[[], float]
    emit: Callable[[ev.Event], None]

    def __post_init__(self) -> None:
        self.decider = Decider(self.memory, self.qbits)
        self.journal = Journal(self.store, self.clock)
        self.executor = Executor(self.qbits, self.arrs.clients, self.journal, self.clock)
        self.publisher = RowPublisher(self.memory)
        self.bin = BinUpkeep(self.clock)
        self.number = 0
        self._unsaved_states: dict[TorrentKey, StoredState] = {}
        self._unsaved_gone: set[TorrentKey] = set()
        self._unsaved_log: list[ActionLogEntry] = []

    def close(self) -> None:
        self.decider.close()
        self.executor.close()

    def run(
        self, config: Config, *, dry_run: bool, paused: bool, approved: Collection[TorrentKey]
    ) -> ev.CycleFinished:
        """One cycle; ``approved``: torrents whose plans go ahead past the cap and dry-run."""
        started = self.clock()
        wall = time.monotonic()
        self.number += 1
        timings: dict[str, float] = {}
        requests_before = self.qbits.requests_made()
        arr_requests_before = self.arrs.requests_made()

        self.executor.safe_delete.settings = config.settings  # cross-seeds, recycle bin
        arr_reads = self.arrs.start_reads()  # alongside the qBittorrent reads
        fetched = self.qbits.fetch(config.managed_categories)
        queues, arr_events = self.arrs.collect(arr_reads)
        for event in arr_events:
            self.emit(event)
        timings["fetch"] = time.monotonic() - wall

        mark = time.monotonic()
        stale = self.arrs.stale_queues(queues)
        plans, new_states = self.decider.decide_all(config, fetched, queues, started, stale)
        timings["decide"] = time.monotonic() - mark

        # A torrent with an open journal step is the journal's until it is done.
        late = self.executor.collect_late()  # actions that finished after their deadline
        journaled = self.journal.busy()
        reconciled = self.journal.reconcile(
            fetched,
            queues,  # an Arr not read this cycle (down, or past its deadline) is not asked
            lambda arr: self.arrs.recent_commands(arr) if arr in queues else None,
            self.arrs.clients.keys(),
            busy=self.executor.busy(),
            blocklist=lambda arr: self.arrs.recent_blocklist(arr) if arr in queues else None,
        )
        plans = [p for p in plans if p.key not in journaled]

        mark = time.monotonic()
        now = self.clock()
        cap = config.settings.max_deletions_per_cycle
        capped = guards.hold_over_cap(plans, approved, cap=cap, now=now, dry_run=dry_run)
        _warn_over_cap(capped.over, cap)
        recorded = self.memory.planned(p.key for p in capped.kept)
        split = guards.split_dry_run(capped.kept, approved, recorded, now=now, dry_run=dry_run)
        self.memory.set_planned(split.recorded)
        self.journal.begin(split.real)  # the intents are durable before anything is sent
        # Steps due again were approved when first planned; dry-run holds them back.
        executed = self.executor.run(
            split.real + ([] if dry_run else reconciled.plans), config.settings.act_budget
        )
        executed.add(late)
        timings["act"] = time.monotonic() - mark
        for event in executed.events:  # what we changed is read again next cycle
            self.qbits.mark_dirty(event.instance, (event.hash,))

        now = self.clock()
        action_events = reconciled.events + split.planned + capped.held + executed.events
        self._remember(fetched, plans, split.real, executed, reconciled, new_states, now)
        self._save_log([ActionLogEntry.of(e) for e in action_events])
        for event in action_events:
            self.emit(event)
        for event in self.publisher.publish(fetched, self.qbits.requests_made()):
            self.emit(event)
        changed = self.executor.safe_delete.take_bin_changed()  # the bin is shown again
        bin_event = self.bin.run(config.settings, force=changed, dry_run=dry_run)
        if bin_event is not None:
            self.emit(bin_event)
        duration = time.monotonic() - wall
        finished = ev.CycleFinished(
            cycle=self.number,
            started=started,
            duration=duration,
            requests_per_instance=_delta(self.qbits.requests_made(), requests_before),
            requests_per_arr=_delta(self.arrs.requests_made(), arr_requests_before),
            actions=len(action_events),
            torrents=sum(len(f.snapshots) for f in fetched.values()),
            next_cycle_at=now + config.settings.loop_sleep_timer,
            paused=paused,
            dry_run=dry_run,
            held=len(capped.held),
            timings=timings,
        )
        self.emit(finished)
        memory_trim.trim()  # what the cycle freed goes back to the system
        log.debug(
            "cycle %d: %d torrents (%d walked, %d decided), %d actions, %.2fs",
            self.number,
            finished.torrents,
            self.decider.walked,
            self.decider.decided,
            finished.actions,
            duration,
        )
        return finished

    def _remember(  # noqa: PLR0917 (one call site, each argument a step's result)
        self,
        fetched: Mapping[str, InstanceFetch],
        plans: list[Planned],
        sent: list[Planned],
        executed: Executed,
        reconciled: Reconciled,
        new_states: dict[TorrentKey, StoredState],
        now: float,
    ) -> None:
        """Remember what was seen and done; forget the torrents that left or were deleted."""
        failed = {e.key for e in executed.events if e.outcome == "failed"} | executed.late
        done = {p.key for p in sent} - failed
        gone = self.memory.commit(
            new_states,
            present=Present({n: r.snapshots for n, r in fetched.items() if r.ok}),
            read={name for name, r in fetched.items() if r.ok},
            undone=[p.key for p in plans if p.key not in done],
            imported=executed.imported | reconciled.imported,
            deleted=executed.deleted | reconciled.deleted,
            now=now,
        )
        self._save_states(new_states, gone)

    def _save_states(self, changed: dict[TorrentKey, StoredState], gone: set[TorrentKey]) -> None:
        """Save, with whatever an earlier cycle could not save (a database locked by another
        process): memory moved on, so the database catches up here, not never."""
        states = {k: v for k, v in self._unsaved_states.items() if k not in gone}
        states.update(changed)
        gone = self._unsaved_gone - states.keys() | gone
        self._unsaved_states, self._unsaved_gone = states, gone
        self.store.save_states(states, gone)
        self._unsaved_states, self._unsaved_gone = {}, set()

    def _save_log(self, entries: list[ActionLogEntry]) -> None:
        self._unsaved_log += entries
        self.store.log_actions(self._unsaved_log)
        self._unsaved_log = []


def _warn_over_cap(over: Mapping[str, int], cap: int) -> None:
    for name, count in over.items():
        log.warning(
            "instance '%s': %d torrents would be deleted this cycle, more than "
            "MaxDeletionsPerCycle (%d); none deleted, waiting for approval",
            name,
            count,
            cap,
        )


def _delta(after: Mapping[str, int], before: Mapping[str, int]) -> dict[str, int]:
    return {name: after[name] - before.get(name, 0) for name in after}
