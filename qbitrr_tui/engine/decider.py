"""The decider: every torrent of a cycle through ``decide()``, with what it needs.

Per instance it first gathers the inputs that cost I/O — free space and the file lists of a
few new downloads (engine/instance_inputs.py) — then decides each torrent with its Arr (by
category, or whichever Arr's queue has the download) and that Arr's queue records for it.

**Decision reuse.** Most torrents do not change between cycles, and deciding 30,000 of
them every few seconds is most of a quiet cycle. ``decide()`` is a pure function of the
snapshot, the stored state, the per-torrent inputs and the clock, and it says until when
its answer holds (``Decision.valid_until``: the first time one of its comparisons with the
clock would flip — a countdown's end, a settle time, a back-off, a seeding limit reached at
the torrent's seeding time). A decision is reused, without calling ``decide()``, while:

- the snapshot is the same but for ``seeding_time``
  (``qbit.snapshot.same_but_clock``: the same object, cheaply, when no field changed —
  ``MaindataView.snapshots()`` keeps the object of a torrent whose fields did not change);
  a rule that reads those fields puts its own deadline on the decision instead;
- the stored state is the *same object*: ``StoredState.with_changes`` returns ``self``
  when nothing changes; a decision that changes the state is kept with the state it
  leaves (once that state is remembered, the stored state is a new object: decided again;
  while it is not — dry-run, a failed action — the same answer comes again);
- the inputs (the Arr, whether it is up, the instance's network status, the free-space
  action, the excluded files, the trackers' URLs and flag) are *equal*, and so is what the
  rules read of its Arr queue records (their ids and media ids — a record's progress and
  time left change every read and no rule reads them);
- its deadline has not come: the decider keeps the deadlines in a heap
  (engine/deadlines.py) and drops the kept decisions that are due at the start of a cycle.

**Walking only what changed.** A torrent whose kept decision none of that can have
changed for is not even walked through its inputs: the same snapshot token and state
object, no change to the inputs its instance shares (engine/changes.py) and not among the
few hashes whose own inputs changed this cycle (free space, file lists, queue records,
tracker reads). A quiet cycle walks no torrent; a deletion is walked every time (the gate),
and so is a kept decision that changes the state (what it leaves must reach the commit) —
unless dry-run recorded its plan: undone, its state is not written, and walking it every
cycle changed nothing (the 5,400 stuck magnets of 3 × 30k, each with a stalled grace's tag
to add, were walked every cycle for it).
Nor are the others even looked at when the read says what changed since the one the
decider saw (qbit/fetch.py ``ViewChanges``): only those torrents, those not passed over last
cycle (walked, or a kept plan planned again), those with a per-hash input change, and
those the memory marked (a state written, a plan forgotten, a deadline come) — every
torrent after a missed read, a full update, a shared-input change or a reload
(engine/changes.py ``to_walk``; tests/unit/test_decider_walk.py holds it to a full walk).
A stale Arr queue's note is a shared input that stays the same while the queue does
(engine/stale.py): its torrents are walked when it starts and ends, and in between their
kept plans come again as last planned, with the stale queue's hold in them.

Anything else decides again, and a config reload forgets every kept decision. A kept
decision with actions is planned again every cycle (an action that failed, or not yet
confirmed), from the same decision — but for one dry-run has recorded: nothing new to
record, until it is approved or dry-run is switched. A countdown is part of the decision
as a deadline (``wait_until``), not as a number in its reason (model.LEFT): the row stays
the same and the view counts down.
"""

from __future__ import annotations

from collections.abc import Mapping

from qbitrr_tui.config import Config
from qbitrr_tui.engine.arrs import StaleQueue
from qbitrr_tui.engine.changes import Changes
from qbitrr_tui.engine.deadlines import Deadlines
from qbitrr_tui.engine.deletion_gate import Subject
from qbitrr_tui.engine.instance_inputs import FileChecks, InstanceInputs
from qbitrr_tui.engine.memory import Reusable, TorrentMemory
from qbitrr_tui.engine.model import Decision, RuleContext, StoredState, TorrentKey
from qbitrr_tui.engine.owners import Owners, Queues
from qbitrr_tui.engine.plan import Planned
from qbitrr_tui.engine.policy import decide
from qbitrr_tui.engine.ports import QbitPort
from qbitrr_tui.engine.stale import hold_on_stale, needs_fresh_queue
from qbitrr_tui.engine.tracker_watch import Look, TrackerWatch
from qbitrr_tui.logs import TRACE, get_logger
from qbitrr_tui.qbit.adapter import InstanceAdapter
from qbitrr_tui.qbit.manager import InstanceFetch
from qbitrr_tui.qbit.snapshot import TorrentSnapshot
from qbitrr_tui.qbit.webapi import QbitError

log = get_logger("engine")


class Decider:
    def __init__(self, memory: TorrentMemory, qbits: QbitPort) -> None:
        self.memory = memory
        self.qbits = qbits  # for the file lists of new downloads and torrents' trackers
        self.trackers = TrackerWatch()
        self.deadlines = Deadlines()  # when each kept decision must be made again
        self.changes = Changes()  # shared inputs, free-space plans and queues: what changed
        self.decided = 0  # decide() calls in the last decide_all
        self.walked = 0  # torrents walked through their inputs in the last decide_all
        self._inputs: dict[tuple[object, ...], tuple[object, ...]] = {}  # one of each
        self.inputs = InstanceInputs(memory, qbits)

    def close(self) -> None:
        self.inputs.close()

    def decide_all(
        self,
        config: Config,
        fetched: Mapping[str, InstanceFetch],
        queues: Queues,
        now: float,
        stale: Mapping[str, StaleQueue] | None = None,
    ) -> tuple[list[Planned], dict[TorrentKey, StoredState]]:
        """The plans of this cycle, and the stored states that changed (or are new).
        ``stale``: the last good queues of the Arrs not read this cycle (engine/stale.py)."""
        arrs = Owners(config.managed_arrs, queues, stale or {}, now)
        self.decided = self.walked = 0
        for key in self.deadlines.due(now):  # kept decisions whose time has come
            if (record := self.memory.get(key)) is not None:
                record.reusable = None
                self.memory.mark((key,))
        plans: list[Planned] = []
        new_states: dict[TorrentKey, StoredState] = {}
        checks = self.inputs.file_checks(fetched, arrs.by_category)
        self.trackers.begin(config)
        if len(self._inputs) > 4096:  # a new config, or many new downloads' file lists
            self._inputs.clear()
        queued = self.changes.queues_changed(arrs.known)
        for instance, result in fetched.items():
            if result.ok:
                plans += self._decide_instance(
                    config, result, arrs, checks.get(instance, {}), queued, new_states, now
                )
        return plans, new_states

    def _decide_instance(  # noqa: PLR0917 (one call site: the cycle's inputs, per instance)
        self,
        config: Config,
        result: InstanceFetch,
        arrs: Owners,
        files: FileChecks,
        queued: set[str],
        new_states: dict[TorrentKey, StoredState],
        now: float,
    ) -> list[Planned]:
        """One instance's plans. A torrent whose kept decision nothing can have changed
        (snapshot token, state object, per-torrent inputs, shared inputs) is not walked
        through its inputs again: a kept plan is only planned again."""
        instance = result.name
        base = RuleContext(
            now=now,
            settings=config.settings,
            instance_connected=result.server.connection_status != "disconnected",
        )
        space = self.inputs.free_space_actions(result, config.settings)
        adapter = self._adapter(instance)
        interval = config.settings.tracker_check_interval
        read = self.trackers.read_instance(
            adapter, instance, result.snapshots, arrs.by_category, now=now, interval=interval
        )
        fresh = self.trackers.take_fresh(instance)  # tracker facts read since the last walk
        shared = (config, base.instance_connected, frozenset(arrs.queues), arrs.stale(None))
        walk_all = self.changes.shared_changed(instance, shared)
        touched = self.changes.space_changed(instance, space) | files.keys() | queued
        extra = touched | self.memory.take_marked(instance) | {h for _, h in fresh}
        visit = self.changes.to_walk(
            instance, result.changes, walk_all=walk_all, epoch=self.memory.epoch, extra=extra
        )
        torrents = result.snapshots
        if visit is not None:  # the others' kept decisions hold: passed over
            torrents = tuple(t for t in torrents if t.hash in visit)
        looked: set[str] = set()
        tracing = log.isEnabledFor(TRACE)
        subjects: dict[str, Subject] = {}
        mine: list[Planned] = []
        record_of = self.memory.record
        for torrent in torrents:
            if tracing:
                log.log(TRACE, "Processing torrent %s from instance '%s'", torrent.hash, instance)
            key = (instance, torrent.hash)
            record = record_of(key)
            cached = record.reusable
            if (
                not walk_all
                and cached is not None
                and cached.steady is torrent.steady
                and cached.stored is record.state
                # It changes nothing, or what it changes cannot reach the commit: its plan is
                # recorded in dry-run (undone, so its state is not written). Else: walk, to
                # commit what a done action leaves.
                and (
                    cached.state is cached.stored
                    or (cached.signature and record.planned == cached.signature)
                )
                and torrent.hash not in touched
                and key not in fresh
                and not cached.destructive  # a deletion goes through the gate each time
            ):
                # A kept plan comes again, as last planned (a stale queue's hold in it), but
                # for one dry-run recorded already (nothing new to record: it would be
                # dropped by guards.split_dry_run).
                if cached.signature and record.planned != cached.signature:
                    mine.append(_planned(torrent, cached.final, now))
                    looked.add(torrent.hash)
                continue
            looked.add(torrent.hash)
            self.walked += 1
            plan = self._decide_one(
                torrent,
                base,
                arrs,
                space=space,
                files=files,
                new_states=new_states,
                tracker_look=(read, interval, subjects),
            )
            if plan is not None:
                mine.append(plan)
        self.changes.looked_at(instance, looked)
        return self._gate(adapter, mine, subjects, new_states, now)

    def _adapter(self, instance: str) -> InstanceAdapter | None:
        try:
            return self.qbits.get_client(instance)
        except QbitError:
            return None

    def _gate(
        self,
        adapter: InstanceAdapter | None,
        plans: list[Planned],
        subjects: Mapping[str, Subject],
        new_states: dict[TorrentKey, StoredState],
        now: float,
    ) -> list[Planned]:
        """Deletions held back by the deletion gate keep their other actions, say why in
        the torrent's reason, and remember only what was observed (nothing was done)."""
        if not subjects:
            return plans
        gated, deferred = self.trackers.gate(adapter, plans, subjects, now)
        kept: list[Planned] = []
        for plan in gated:
            if plan.hash in deferred:
                record = self.memory.record(plan.key)
                self.memory.show(plan.key, record.rule, plan.reason, record.deadline)
                known = self.memory.state(plan.key)
                if plan.key in new_states and known is not None:
                    observed = known.observed_from(new_states[plan.key])
                    if observed is known:
                        del new_states[plan.key]  # nothing new was seen
                    else:
                        new_states[plan.key] = observed
                if not plan.actions:
                    continue
            kept.append(plan)
        return kept

    def _decide_one(
        self,
        torrent: TorrentSnapshot,
        base: RuleContext,
        arrs: Owners,
        *,
        space: Mapping[str, str],
        files: FileChecks,
        new_states: dict[TorrentKey, StoredState],
        tracker_look: tuple[Look, float, dict[str, Subject]],
    ) -> Planned | None:
        key = torrent.key
        record = self.memory.record(key)
        known = record.state
        stored = known or StoredState(first_seen=base.now, category=torrent.category)
        arr, group = arrs.owner(torrent)
        read, interval, subjects = tracker_look
        stored = self.trackers.observe(stored, torrent, arr, read, now=base.now, interval=interval)
        rows = self.trackers.rows(torrent.instance, arr)
        urls, private = self.trackers.facts(key)
        file_ids, all_excluded = files.get(torrent.hash, (None, False))
        arr_up = arrs.is_up(arr)
        connected = base.instance_connected
        inputs: tuple[object, ...] = (
            arr,
            arr_up,
            connected,
            space.get(torrent.hash, ""),
            file_ids,
            all_excluded,
            urls,
            private,
        )
        inputs = self._inputs.setdefault(inputs, inputs)  # most torrents share theirs
        queue = (group.ids, group.media_ids) if group is not None else None
        cached = record.reusable
        if (
            cached is not None
            and cached.stored is stored
            and cached.steady is torrent.steady
            and cached.inputs == inputs
            and cached.queue == queue
        ):
            decision, state = cached.decision, cached.state  # same inputs: same answer
            reusable: Reusable | None = cached
        else:
            ctx = RuleContext(
                now=base.now,
                settings=base.settings,
                arr=arr,
                queue=group,
                arr_up=arr_up,
                instance_connected=connected,
                free_space_action=space.get(torrent.hash, ""),
                excluded_files=file_ids,
                all_files_excluded=all_excluded,
                trackers=rows,
                tracker_urls=urls,
                private=private,
            )
            decision, state = decide(torrent, stored, ctx)
            self.decided += 1
            reusable = None
            if decision.valid_until > base.now:  # pure: the same inputs, the same answer
                reusable = Reusable.of(
                    torrent.steady, stored, inputs, decision, queue=queue, state=state
                )
                self.deadlines.set(key, decision.valid_until)
            else:
                self.deadlines.discard(key)

        note = arrs.stale(arr)
        if note and (arr is not None or needs_fresh_queue(decision)):
            decision = hold_on_stale(decision, note)
        if reusable is not None and reusable.final is not decision:
            reusable = reusable.planned_as(decision)  # the fast path plans it as held
        record.reusable = reusable
        if arr is not None and state.arr != arr.name:
            state = state.with_changes(arr=arr.name)
        if known is None or state.differs_from(known):
            new_states[key] = state
        elif state is not known:
            # Only its reason's wording: remembered, not written (or the next cycle would
            # find the old wording, change it again, and never keep the decision).
            record.state = state
        self.memory.show(key, decision.rule, decision.reason, decision.wait_until)
        if not decision.actions:
            return None
        if decision.destructive:
            phrases = arr.torrent.unregistered_messages if arr else ()
            subjects[torrent.hash] = Subject(torrent, state, rows, phrases)
        return _planned(torrent, decision, base.now)


def _planned(torrent: TorrentSnapshot, decision: Decision, now: float) -> Planned:
    return Planned(
        torrent.instance,
        torrent.hash,
        torrent.name,
        torrent.content_path,
        decision.rule,
        decision.reason_at(now),  # a log line says the countdown as it stands
        decision.actions,
    )
