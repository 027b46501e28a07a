"""The operator's actions, as the engine's own plans: a :class:`ManualAction` becomes one
:class:`Planned` per torrent, and then goes where every plan goes — dry-run records it as
planned and sends nothing; otherwise its imports, blocklistings, deletions and searches are
written to the action journal as intents first, and the executor sends them in its fixed
order (so a torrent whose blocklisting failed is not deleted). A step whose answer was lost
stays open in the journal, which reads its effect back each cycle (and after a restart)
instead of sending it again. Every outcome is logged, stored and published as an
``ActionEvent`` whose rule is ``manual``.

A pause asked by hand tags the torrent ``qBitrr-manual_paused`` so that AutoPauseResume
leaves it paused, across restarts; a resume asked by hand removes the tag.

Only torrents the engine manages (it has seen them in a managed category) can be acted on;
the Arr steps need the Arr that owns the torrent's category and, for blocklisting, its
queue record, read now (once per Arr per request, waited for at most ArrReadBudget). The
steps are sent as the cycle sends its own, each instance waited for at most ActBudget: a
hung qBittorrent or Arr holds up the engine thread no longer than that.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from qbitrr_tui.arr.client import ArrError
from qbitrr_tui.arr.queue import QueueGroup
from qbitrr_tui.config import Config
from qbitrr_tui.config.model import ArrConfig
from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.arrs import ArrFleet
from qbitrr_tui.engine.executor import Executed, Executor
from qbitrr_tui.engine.journal import JOURNALED
from qbitrr_tui.engine.manual_contract import NO_LIMITS, Limits, ManualAction, ManualKind
from qbitrr_tui.engine.memory import TorrentMemory
from qbitrr_tui.engine.model import (
    TAG_IGNORED,
    TAG_MANUAL_PAUSED,
    Action,
    ActionKind,
    StoredState,
    TorrentKey,
)
from qbitrr_tui.engine.operator_reads import LateAnswer, OperatorReads
from qbitrr_tui.engine.owed import OwedCheck
from qbitrr_tui.engine.plan import Planned
from qbitrr_tui.engine.ports import QbitPort
from qbitrr_tui.engine.store import ActionLogEntry, Store
from qbitrr_tui.engine.tracker_watch import TrackerWatch
from qbitrr_tui.logs import get_logger
from qbitrr_tui.qbit.snapshot import TorrentSnapshot

log = get_logger("manual")

MANUAL_RULE = "manual"
REASON = "asked from the dashboard"


class NotPossible(Exception):
    """This action cannot be done to this torrent (the message says why, in a sentence)."""


def owning_arr(config: Config, category: str) -> ArrConfig | None:
    return next((a for a in config.managed_arrs if a.category == category), None)


def actions_for(
    kind: ManualKind,
    snapshot: TorrentSnapshot,
    arr: ArrConfig | None,
    queue: QueueGroup | None,
    *,
    category: str = "",
    limits: Limits = NO_LIMITS,
) -> tuple[Action, ...]:
    """The steps of ``kind`` for one torrent (pure); NotPossible when it cannot be done."""
    simple = {  # a pause by hand is remembered, so AutoPauseResume does not undo it
        ManualKind.PAUSE: (
            Action(ActionKind.PAUSE),
            Action(ActionKind.ADD_TAGS, tags=(TAG_MANUAL_PAUSED,)),
        ),
        ManualKind.RESUME: (
            Action(ActionKind.RESUME),
            Action(ActionKind.REMOVE_TAGS, tags=(TAG_MANUAL_PAUSED,)),
        ),
        ManualKind.RECHECK: (Action(ActionKind.RECHECK),),
        ManualKind.REANNOUNCE: (Action(ActionKind.REANNOUNCE),),
        ManualKind.PROTECT: (Action(ActionKind.ADD_TAGS, tags=(TAG_IGNORED,)),),
        ManualKind.UNPROTECT: (Action(ActionKind.REMOVE_TAGS, tags=(TAG_IGNORED,)),),
        ManualKind.REMOVE: (Action(ActionKind.DELETE, delete_files=True),),
    }
    if kind in simple:
        return simple[kind]
    if kind is ManualKind.SET_LIMITS:
        return (limits_action(limits, snapshot),)
    if kind is ManualKind.SET_CATEGORY:
        if not category:
            raise NotPossible("no category given")
        return (Action(ActionKind.SET_CATEGORY, category=category),)
    if arr is None:
        raise NotPossible(f"no Arr manages category '{snapshot.category}'")
    if kind is ManualKind.IMPORT:
        if not snapshot.is_complete:
            raise NotPossible("it is not complete")
        return (Action(ActionKind.IMPORT, arr=arr.name),)
    if queue is None or not queue.ids:
        raise NotPossible(f"{arr.name} has no queue record for it (remove it instead)")
    steps = [
        Action(ActionKind.BLOCKLIST, queue_ids=queue.ids, arr=arr.name),
        Action(ActionKind.DELETE, delete_files=True),
    ]
    if queue.media_ids:
        steps.append(Action(ActionKind.SEARCH, media_ids=queue.media_ids, arr=arr.name))
    return tuple(steps)


def limits_action(limits: Limits, snapshot: TorrentSnapshot) -> Action:
    """qBittorrent sets ratio and seeding time together: the one not asked keeps its value."""
    if limits == NO_LIMITS:
        raise NotPossible("no limit given")
    share = limits.ratio is not None or limits.seeding_minutes is not None
    minutes = snapshot.seeding_time_limit  # qBittorrent's own field is in minutes
    return Action(
        ActionKind.SET_LIMITS,
        upload_limit=-1 if limits.upload is None else limits.upload,
        download_limit=-1 if limits.download is None else limits.download,
        ratio_limit=(snapshot.ratio_limit if limits.ratio is None else limits.ratio)
        if share
        else None,
        seeding_time_limit=(minutes if limits.seeding_minutes is None else limits.seeding_minutes)
        if share
        else None,
    )


class ManualActions:
    """Carries out :class:`ManualAction` commands on the engine thread."""

    def __init__(
        self,
        *,
        qbits: QbitPort,
        arrs: ArrFleet,
        memory: TorrentMemory,
        store: Store,
        executor: Executor,
        trackers: TrackerWatch,
        clock: Callable[[], float],
        emit: Callable[[ev.Event], None],
    ) -> None:
        self.qbits, self.arrs, self.memory, self.store = qbits, arrs, memory, store
        self.executor, self.clock, self.emit = executor, clock, emit
        self.reads = OperatorReads()
        self.owed = OwedCheck(qbits, trackers, memory, self.reads)

    def close(self) -> None:
        self.reads.close()

    def snapshot(self, key: tuple[str, str]) -> TorrentSnapshot | None:
        record = self.memory.get(key)
        return record.row_source if record is not None else None

    def queue(self, arr: ArrConfig) -> dict[str, QueueGroup]:
        """The Arr's queue by download id, read now (ArrError if it cannot be)."""
        client = self.arrs.clients.get(arr.name)
        return client.queue_by_download() if client else {}

    def _queues(self, budget: float) -> Callable[[ArrConfig], dict[str, QueueGroup]]:
        """Each Arr's queue, read at most once per request and waited for at most
        ``budget`` seconds; NotPossible when it cannot be read."""
        read: dict[str, dict[str, QueueGroup] | str] = {}

        def queue(arr: ArrConfig) -> dict[str, QueueGroup]:
            if arr.name not in read:
                try:
                    read[arr.name] = self.reads.within(budget, partial(self.queue, arr))
                except (ArrError, LateAnswer) as exc:
                    read[arr.name] = f"{arr.name}'s queue was not read: {exc}"
            got = read[arr.name]
            if isinstance(got, str):
                raise NotPossible(got)
            return got

        return queue

    def run(self, command: ManualAction, config: Config, *, dry_run: bool) -> None:
        plans, events, held = self._plan(command, config)
        now = self.clock()
        if dry_run:
            events += [e for p in plans for e in p.events("planned", now, dry_run=True)]
        else:
            events += self._send(plans, config.settings.act_budget)
        for event in events:
            self.qbits.mark_dirty(event.instance, (event.hash,))
            log.info(
                "by hand: %s %s on '%s': %s%s",
                event.action.describe(),
                event.name,
                event.instance,
                event.outcome,
                f" ({event.error})" if event.error else "",
            )
        self.store.log_actions(ActionLogEntry.of(e) for e in events)
        for event in events:
            self.emit(event)
        if held:
            keys, names, owed = zip(*held, strict=True)
            self.emit(ev.RemovalHeld(command.kind, keys, names, owed))

    def _plan(
        self, command: ManualAction, config: Config
    ) -> tuple[list[Planned], list[ev.ActionEvent], list[tuple[TorrentKey, str, str]]]:
        plans: list[Planned] = []
        refused: list[ev.ActionEvent] = []
        held: list[tuple[TorrentKey, str, str]] = []  # removals kept: they owe their tracker
        busy = self.executor.journal.busy()
        queues = self._queues(config.settings.arr_read_budget)
        owed: dict[TorrentKey, str] = {}
        if command.kind.destructive and not command.anyway:
            snaps = [s for s in map(self.snapshot, dict.fromkeys(command.keys)) if s is not None]
            owed = self.owed.owed(snaps, config)
        for key in dict.fromkeys(command.keys):
            snap = self.snapshot(key)
            if snap is None:
                refused.append(
                    _refusal(key, command.kind, "not a torrent the engine manages", self.clock())
                )
                continue
            arr = owning_arr(config, snap.category)
            if owed.get(key):
                why = f"held, it still owes its tracker: {owed[key]}"
                refused.append(_refusal(key, command.kind, why, self.clock(), snap.name))
                held.append((key, snap.name, owed[key]))
                continue
            needs_queue = command.kind is ManualKind.BLOCKLIST_SEARCH and arr is not None
            try:
                queue = queues(arr).get(snap.hash.lower()) if needs_queue and arr else None
                actions = actions_for(
                    command.kind, snap, arr, queue, category=command.category, limits=command.limits
                )
                if key in busy and any(a.kind in JOURNALED for a in actions):
                    raise NotPossible(
                        "an earlier step for it is still open in the action journal "
                        "(see its History)"
                    )
            except NotPossible as exc:
                refused.append(_refusal(key, command.kind, str(exc), self.clock(), snap.name))
                continue
            plans.append(
                Planned(
                    snap.instance,
                    snap.hash,
                    snap.name,
                    snap.content_path,
                    MANUAL_RULE,
                    REASON,
                    actions,
                )
            )
        return plans, refused, held

    def _send(self, plans: Sequence[Planned], budget: float) -> list[ev.ActionEvent]:
        """As the cycle sends its own: intents durable first (a lost answer or a restart
        leaves the step open, to be read back, not resent), each instance's flush waited for
        at most ``budget`` (ActBudget); one still running then finishes in the background and
        the next cycle tells its outcome."""
        self.executor.journal.begin(plans)
        executed = self.executor.run(plans, budget)
        self._remember(executed)
        return executed.events

    def _remember(self, executed: Executed) -> None:
        """An import done by hand is not done again by the engine; a deleted torrent is
        forgotten at once (as a cycle does with its own)."""
        if not (executed.imported or executed.deleted):
            return
        changed: dict[TorrentKey, StoredState] = {}
        gone = self.memory.commit(
            changed,
            present=(),
            read=(),
            undone=(),
            imported=executed.imported,
            deleted=executed.deleted,
            now=self.clock(),
        )
        self.store.save_states(changed, gone)


_FIRST_STEP = {
    ManualKind.PAUSE: ActionKind.PAUSE,
    ManualKind.RESUME: ActionKind.RESUME,
    ManualKind.RECHECK: ActionKind.RECHECK,
    ManualKind.REANNOUNCE: ActionKind.REANNOUNCE,
    ManualKind.PROTECT: ActionKind.ADD_TAGS,
    ManualKind.UNPROTECT: ActionKind.REMOVE_TAGS,
    ManualKind.IMPORT: ActionKind.IMPORT,
    ManualKind.SET_CATEGORY: ActionKind.SET_CATEGORY,
    ManualKind.REMOVE: ActionKind.DELETE,
    ManualKind.BLOCKLIST_SEARCH: ActionKind.BLOCKLIST,
    ManualKind.SET_LIMITS: ActionKind.SET_LIMITS,
}


def _refusal(
    key: tuple[str, str], kind: ManualKind, why: str, now: float, name: str = ""
) -> ev.ActionEvent:
    """A request that was not carried out, reported under the first step it would take."""
    return ev.ActionEvent(
        now,
        key[0],
        key[1],
        name or key[1],
        Action(_FIRST_STEP[kind]),
        MANUAL_RULE,
        REASON,
        "failed",
        False,
        f"{kind.value} not done: {why}",
    )
