"""The action journal: every step that cannot safely happen twice, exactly once, under faults.

A plan's imports, blocklistings, deletions and searches are written to ``ActionJournal`` as
*intents* (``pending``) before the first request goes out; a step is ``sent`` just before its
request, ``confirmed`` when the answer says it was done, ``failed`` (with why) when the answer
was an error or never came, ``unknown`` when its answer did not come within the cycle's
deadline (it may still come: the executor marks it then). A step that is not confirmed
stays open, across cycles and restarts, and its torrent is the journal's until every step
is closed: the decider's plans for it are set aside. Each cycle, an open step is
**reconciled by reading its effect back**, never resent blindly:

- delete: is the torrent still on its instance (this cycle's read)? gone → confirmed;
- blocklist: is the download still in its Arr's queue (this cycle's read)? gone, and in the
  Arr's blocklist (``GET blocklist``) → confirmed; gone but not blocklisted → abandoned, and
  its search too (a search would grab the same release again);
- import, search: is there a matching command in the Arr's ``GET /command`` list? → confirmed.

Only a step whose effect is absent is sent again (after a back-off); a deletion waits for its
blocklisting, as always. Nothing is decided on data not read this cycle: an instance or Arr
that was not read leaves its steps as they are. Other actions (tags, pause, resume, recheck,
limits, file priorities) set a state that is read back every cycle and decided again, so
sending them twice is harmless: they are not journaled.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from qbitrr_tui.arr.queue import QueueGroup
from qbitrr_tui.engine.events import ActionEvent, JournalLine
from qbitrr_tui.engine.model import TAG_IMPORTED, Action, ActionKind, Rule, TorrentKey
from qbitrr_tui.engine.plan import Planned
from qbitrr_tui.engine.readback import Blocklist, Commands, Effects
from qbitrr_tui.engine.store import Store
from qbitrr_tui.logs import get_logger
from qbitrr_tui.qbit.manager import InstanceFetch

log = get_logger("journal")

JOURNALED = frozenset(
    {ActionKind.IMPORT, ActionKind.BLOCKLIST, ActionKind.DELETE, ActionKind.SEARCH}
)
OPEN_STATES = ("pending", "sent", "unknown", "failed")
MAX_BACKOFF = 300.0
_RULES = frozenset(r.value for r in Rule)
KEEP_CLOSED = 7 * 86400.0  # closed steps stay in the table this long, for the record


@dataclass(slots=True)
class Step:
    id: int
    plan: Planned  # the plan this step came from, with this one action
    state: str = "pending"
    error: str = ""
    attempts: int = 0
    retry_at: float | None = None
    created: float = 0.0  # when the intent was written
    # Failures in a row, sent or not (a deferral sends nothing): the back-off grows with it.
    failures: int = 0

    @property
    def action(self) -> Action:
        return self.plan.actions[0]

    @property
    def key(self) -> TorrentKey:
        return self.plan.key

    def status(self) -> str:
        return status(self.state, self.error, self.retry_at)


def status(state: str, error: str, retry_at: float | None) -> str:
    """As the dashboard and the log say it: ``failed: why``, ``retrying at …``."""
    if state == "failed" and retry_at is not None:
        when = datetime.fromtimestamp(retry_at).strftime("%H:%M:%S")
        return f"failed: {error}; retrying at {when}"
    if state in ("abandoned", "unknown") and error:
        return f"{state}: {error}"
    return f"failed: {error}" if state == "failed" else state


@dataclass
class Reconciled:
    """What reading back found: the steps due again (as plans), the effects confirmed."""

    plans: list[Planned] = field(default_factory=list)
    imported: set[TorrentKey] = field(default_factory=set)
    deleted: set[TorrentKey] = field(default_factory=set)
    events: list[ActionEvent] = field(default_factory=list)


class Journal:
    def __init__(self, store: Store, clock: Callable[[], float]) -> None:
        self.store = store
        self.clock = clock
        self._lock = threading.Lock()
        self._steps: dict[int, Step] = {}
        self._load()

    # --- the table -------------------------------------------------------------------
    def _load(self) -> None:
        self.store.ensure_schema()
        table = self.store.ActionJournal
        table.delete().where(
            table.state.not_in(OPEN_STATES) & (table.updated < self.clock() - KEEP_CLOSED)
        ).execute()
        for row in table.select().where(table.state.in_(OPEN_STATES)).dicts():
            plan = Planned(
                row["instance"],
                row["hash"],
                row["name"],
                row["content_path"],
                Rule(row["rule"]) if row["rule"] in _RULES else row["rule"],  # or "manual"
                row["reason"],
                (_action(json.loads(row["action"])),),
            )
            self._steps[row["id"]] = Step(
                row["id"],
                plan,
                row["state"],
                row["error"],
                row["attempts"],
                row["retry_at"],
                row["created"],
            )
        if self._steps:
            log.info("action journal: %d step(s) open from before, to reconcile", len(self._steps))

    def _save(self, steps: Iterable[Step]) -> None:
        table = self.store.ActionJournal
        now = self.clock()
        with self.store.db.atomic():
            for step in steps:
                table.update(
                    state=step.state,
                    error=step.error,
                    attempts=step.attempts,
                    retry_at=step.retry_at,
                    updated=now,
                ).where(table.id == step.id).execute()

    def history(self, key: TorrentKey, limit: int = 50) -> tuple[JournalLine, ...]:
        """This torrent's steps, open and closed (closed ones are kept a week), oldest first."""
        table = self.store.ActionJournal
        with self._lock:
            rows = list(
                table.select()
                .where((table.instance == key[0]) & (table.hash == key[1]))
                .order_by(table.id.desc())
                .limit(limit)
                .dicts()
            )
        return tuple(
            JournalLine(
                row["created"],
                row["updated"],
                _action(json.loads(row["action"])).describe(),
                status(row["state"], row["error"], row["retry_at"]),
                row["attempts"],
            )
            for row in reversed(rows)
        )

    # --- what the cycle and the executor call ----------------------------------------
    def busy(self) -> set[TorrentKey]:
        """The torrents with an open step: the journal's, not the decider's, until done."""
        with self._lock:
            return {s.key for s in self._steps.values()}

    def begin(self, plans: Iterable[Planned]) -> None:
        """Write the intents of ``plans`` (one transaction) before anything is sent."""
        now = self.clock()
        rows = [
            (plan, action) for plan in plans for action in plan.actions if action.kind in JOURNALED
        ]
        if not rows:
            return
        table = self.store.ActionJournal
        with self._lock, self.store.db.atomic():
            for plan, action in rows:
                one = replace(plan, actions=(action,))
                row_id = table.insert(
                    instance=plan.instance,
                    hash=plan.hash,
                    name=plan.name,
                    kind=action.kind.value,
                    action=json.dumps(asdict(action)),
                    content_path=plan.content_path,
                    rule=str(plan.rule),
                    reason=plan.reason,
                    state="pending",
                    created=now,
                    updated=now,
                ).execute()
                self._steps[row_id] = Step(row_id, one, created=now)

    def mark(self, items: Sequence[tuple[Planned, Action]], state: str, error: str = "") -> None:
        """The executor's word on a batch: ``sent`` before, ``confirmed``/``failed`` after."""
        wanted = {(p.key, a) for p, a in items if a.kind in JOURNALED}
        if not wanted:
            return
        now = self.clock()
        with self._lock:
            steps = [s for s in self._steps.values() if (s.key, s.action) in wanted]
            for step in steps:
                step.state, step.error = state, error
                if state == "sent":
                    step.attempts += 1
                elif state == "failed":
                    # again next cycle, then after 1 s, 3 s, 7 s … up to MAX_BACKOFF; counted
                    # by failures, so a step deferred before sending backs off too
                    step.failures += 1
                    step.retry_at = now + min(MAX_BACKOFF, 2.0 ** (step.failures - 1) - 1)
            self._save(steps)
            for step in steps:
                if state == "confirmed":
                    del self._steps[step.id]
                elif state == "failed":
                    log.warning("%s %s: %s", step.action.describe(), step.plan.name, step.status())

    def lost(self, keys: Collection[TorrentKey], why: str) -> None:
        """Steps of ``keys`` sent but not answered within the deadline: their effect is
        unknown until read back (or until the late answer marks them)."""
        with self._lock:
            steps = [s for s in self._steps.values() if s.key in keys and s.state == "sent"]
            for step in steps:
                step.state, step.error = "unknown", why
            self._save(steps)

    @staticmethod
    def _not_blocklisted(steps: list[Step], due: list[Step], closed: list[Step]) -> list[Step]:
        """Its blocklisting was abandoned: no search (it would grab the same release again);
        the deletion goes ahead, as for a download in no Arr's queue."""
        for step in steps:
            if step.action.kind is ActionKind.SEARCH and step.state in OPEN_STATES:
                step.state, step.error = "abandoned", "its release was not blocklisted"
                closed.append(step)
        return [s for s in due if s.action.kind is not ActionKind.SEARCH]

    @staticmethod
    def _blocklisted(step: Step, reader: Effects, media: Collection[int]) -> bool:
        """A blocklisting whose download left the queue: is it in the Arr's blocklist? Not
        there: the step is abandoned (it can no longer be sent: no queue record)."""
        if step.action.kind is not ActionKind.BLOCKLIST:
            return True
        listed = reader.blocklisted(step.action.arr, step.plan.name, media, step.created)
        if listed is False:
            step.state = "abandoned"
            step.error = f"gone from {step.action.arr}'s queue but not in its blocklist"
        return bool(listed)

    def _settle(
        self,
        step: Step,
        reader: Effects,
        now: float,
        out: Reconciled,
        closed: list[Step],
        *,
        media: Collection[int] = (),
    ) -> bool:
        """Close ``step`` when its effect is there (or can no longer be); True when due."""
        instance, info_hash = step.key
        arr = step.action.arr
        effect = reader.done(step.key, step.action)
        if arr and arr not in reader.arrs:
            effect = None
            step.state, step.error = "abandoned", f"{arr} is no longer configured"
        elif effect is None:
            return False  # not read this cycle: nothing is decided on stale data
        elif effect and not self._blocklisted(step, reader, media):
            if step.state == "abandoned":  # gone from the queue, and not in the blocklist
                closed.append(step)
            return False  # … or the blocklist could not be read: next cycle
        elif effect:
            step.state, step.error = "confirmed", ""
            plan = replace(step.plan, reason=f"{step.plan.reason} (confirmed by reading back)")
            out.events.append(plan.event(step.action, "applied", now))
            if step.action.kind is ActionKind.IMPORT:
                out.imported.add(step.key)
            elif step.action.kind is ActionKind.DELETE:
                out.deleted.add(step.key)
        elif step.action.kind is ActionKind.IMPORT and info_hash not in reader.present[instance]:
            step.state, step.error = "abandoned", "the torrent left its instance"
        else:
            if step.action.kind is ActionKind.BLOCKLIST:  # its queue records as they are now
                ids = reader.queues[arr][info_hash].ids
                step.plan = replace(step.plan, actions=(replace(step.action, queue_ids=ids),))
            return step.retry_at is None or step.retry_at <= now
        closed.append(step)
        return False

    def reconcile(
        self,
        fetched: Mapping[str, InstanceFetch],
        queues: Mapping[str, Mapping[str, QueueGroup]],
        commands: Commands,
        arrs: Collection[str],
        *,
        busy: Collection[str] = (),
        blocklist: Blocklist = lambda arr: None,
    ) -> Reconciled:
        """Read back the effect of every open step; confirm it, or make it due again. The
        steps of ``busy`` instances (their actions still running) are left as they are."""
        out = Reconciled()
        now = self.clock()
        with self._lock:
            by_key: dict[TorrentKey, list[Step]] = defaultdict(list)
            for step in self._steps.values():
                by_key[step.key].append(step)
        stepping = {key[0] for key in by_key}  # only their torrents are looked up
        present = {
            name: {s.hash for s in r.snapshots}
            for name, r in fetched.items()
            if r.ok and name not in busy and name in stepping
        }
        reader = Effects(present, queues, commands, arrs, blocklist)
        closed: list[Step] = []
        for key, steps in by_key.items():
            media = {
                m for s in steps if s.action.kind is ActionKind.SEARCH for m in s.action.media_ids
            }
            due = [s for s in steps if self._settle(s, reader, now, out, closed, media=media)]
            if any(s.state == "abandoned" and s.action.kind is ActionKind.BLOCKLIST for s in steps):
                due = self._not_blocklisted(steps, due, closed)
            if any(
                s.action.kind is ActionKind.BLOCKLIST and s.state in OPEN_STATES and s not in due
                for s in steps
            ):  # never delete (or search again) before the blocklisting is confirmed
                due = [
                    s for s in due if s.action.kind not in (ActionKind.DELETE, ActionKind.SEARCH)
                ]
            if due:
                actions = tuple(sorted((s.action for s in due), key=_order))
                out.plans.append(replace(due[0].plan, actions=actions))
            if key in out.imported:
                tag = Action(ActionKind.ADD_TAGS, tags=(TAG_IMPORTED,))
                out.plans.append(replace(steps[0].plan, actions=(tag,)))
        if closed:
            with self._lock:
                self._save(closed)
                for step in closed:
                    self._steps.pop(step.id, None)
                    log.info(
                        "%s %s on instance '%s': %s on reading back",
                        step.action.describe(),
                        step.plan.name,
                        step.plan.instance,
                        step.state,
                    )
        return out


def _order(action: Action) -> int:
    return list(ActionKind).index(action.kind)


def _action(data: Mapping[str, Any]) -> Action:
    tuples = {k: tuple(v) for k, v in data.items() if isinstance(v, list)}
    return Action(**{**data, **tuples, "kind": ActionKind(data["kind"])})
