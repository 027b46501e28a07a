"""Carry out the plan: batched per instance, flushed in a fixed order, every outcome told.

Per instance: resume → pause → recheck → reannounce → category → tags → limits → file
priorities → imports → blocklist (Arr) → deletes → searches (Arr). One request per action kind and
parameter set, never one per torrent (imports and file priorities name one torrent each by
nature). A torrent whose blocklisting failed is not deleted: never delete without
blocklisting. Instances are flushed concurrently; one slow instance does not hold the rest.

**Deadline.** The cycle waits at most ``deadline`` seconds (ActBudget) for each instance's
flush. One still running then is left to finish in the background: its open steps are
journaled ``unknown`` (to be read back, never resent blindly), its outcome is collected by
the next cycle (:meth:`Executor.collect_late`), and that instance gets no new actions until
it has finished.
Every import, blocklisting, deletion and search is told to the action journal just before it
is sent and again when its answer comes (or does not): :mod:`qbitrr_tui.engine.journal`.
"""

from __future__ import annotations

import posixpath
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass, field, replace
from functools import partial

from qbitrr_tui.arr.client import ArrClient, ArrError
from qbitrr_tui.engine.cross_seed import PathIndex, PathSource
from qbitrr_tui.engine.events import ActionEvent
from qbitrr_tui.engine.journal import JOURNALED, Journal
from qbitrr_tui.engine.model import TAG_IMPORTED, Action, ActionKind, TorrentKey
from qbitrr_tui.engine.plan import Planned
from qbitrr_tui.engine.ports import QbitPort
from qbitrr_tui.engine.safe_delete import SafeDelete
from qbitrr_tui.logs import get_logger
from qbitrr_tui.qbit.adapter import InstanceAdapter
from qbitrr_tui.qbit.webapi import QbitError

log = get_logger("executor")


@dataclass
class Executed:
    """What one run of the executor did: an event per action, and the torrents imported
    and deleted (their stored state changes accordingly)."""

    events: list[ActionEvent] = field(default_factory=list)
    imported: set[TorrentKey] = field(default_factory=set)
    deleted: set[TorrentKey] = field(default_factory=set)
    late: set[TorrentKey] = field(default_factory=set)  # still being carried out

    def add(self, other: Executed) -> None:
        self.events += other.events
        self.imported |= other.imported
        self.deleted |= other.deleted


class _Flush:
    """One instance's batches; records an event per (torrent, action)."""

    def __init__(  # noqa: PLR0917 (one call site)
        self,
        adapter: InstanceAdapter,
        arrs: Mapping[str, ArrClient],
        plans: Sequence[Planned],
        clock: Callable[[], float],
        journal: Journal,
        safe: tuple[SafeDelete, PathIndex, Callable[[str], InstanceAdapter]] | None = None,
    ) -> None:
        self.safe = safe
        self.adapter = adapter
        self.arrs = arrs
        self.plans = plans
        self.clock = clock
        self.journal = journal
        self.outcome = Executed()
        self.blocked: set[str] = set()  # hashes whose blocklisting failed

    def _items(self, kind: ActionKind) -> list[tuple[Planned, Action]]:
        return [(p, a) for p in self.plans for a in p.actions if a.kind is kind]

    def _record(self, items: Sequence[tuple[Planned, Action]], error: str = "") -> None:
        self.journal.mark(items, "failed" if error else "confirmed", error)
        now = self.clock()
        for plan, action in items:
            why = error
            if error and action.kind in JOURNALED:  # what the Activity view should say
                why += " (journal: its effect is read back before anything is sent again)"
            self.outcome.events.append(
                plan.event(action, "failed" if error else "applied", now, error=why)
            )
            if error:
                log.warning(
                    "%s %s on instance '%s' failed: %s",
                    action.describe(),
                    plan.name,
                    plan.instance,
                    error,
                )
            else:
                log.info(
                    "%s: %s on instance '%s' (%s)",
                    action.describe(),
                    plan.name,
                    plan.instance,
                    plan.reason,
                )

    def _batch(
        self, items: Sequence[tuple[Planned, Action]], send: Callable[[list[str]], None]
    ) -> bool:
        if not items:
            return True
        hashes = list(dict.fromkeys(p.hash for p, _ in items))
        self.journal.mark(items, "sent")
        try:
            send(hashes)
        except (QbitError, ArrError) as exc:
            self._record(items, str(exc))
            return False
        self._record(items)
        return True

    def _grouped(
        self,
        kind: ActionKind,
        by: Callable[[Action], object],
        send: Callable[[list[str], Action], None],
    ) -> None:
        groups: dict[object, list[tuple[Planned, Action]]] = defaultdict(list)
        for plan, action in self._items(kind):
            groups[by(action)].append((plan, action))
        for items in groups.values():
            self._batch(items, partial(_send_with, send, items[0][1]))

    def run(self) -> Executed:
        a = self.adapter
        self._batch(self._items(ActionKind.RESUME), a.resume)
        self._batch(self._items(ActionKind.PAUSE), a.pause)
        self._batch(self._items(ActionKind.RECHECK), a.recheck)
        self._batch(self._items(ActionKind.REANNOUNCE), a.reannounce)
        self._grouped(
            ActionKind.SET_CATEGORY,
            lambda x: x.category,
            lambda h, x: a.set_category(h, x.category),
        )
        self._grouped(ActionKind.ADD_TAGS, lambda x: x.tags, lambda h, x: a.add_tags(h, x.tags))
        self._grouped(
            ActionKind.REMOVE_TAGS, lambda x: x.tags, lambda h, x: a.remove_tags(h, x.tags)
        )
        self._grouped(
            ActionKind.SET_LIMITS,
            lambda x: (x.upload_limit, x.download_limit, x.ratio_limit, x.seeding_time_limit),
            self._limits,
        )
        for plan, action in self._items(ActionKind.FILE_PRIORITY):
            self._batch([(plan, action)], partial(_skip_files, a, action.file_ids))
        self._imports()
        self._blocklist()
        deletes = [(p, x) for p, x in self._items(ActionKind.DELETE) if p.hash not in self.blocked]
        for files, group in self._judged(deletes):
            if self._batch(group, partial(_delete, a, files)):
                self.outcome.deleted.update(p.key for p, _ in group)
        self._searches()
        return self.outcome

    def _judged(
        self, deletes: list[tuple[Planned, Action]]
    ) -> list[tuple[bool, list[tuple[Planned, Action]]]]:
        """The deletions as sent: with files only where the safe-delete check allows it
        (cross-seeds, recycle bin: engine/safe_delete.py); deferred ones fail for now."""
        with_files = [(p, x) for p, x in deletes if x.delete_files]
        keep = [(p, x) for p, x in deletes if not x.delete_files]
        if not with_files or self.safe is None:
            return [(True, with_files), (False, keep)]
        safe, index, adapter_of = self.safe
        verdicts = safe.judge(self.adapter, [p for p, _ in with_files], index, adapter_of)
        sent_with_files = []
        for planned, action in with_files:
            verdict = verdicts[planned.hash]
            plan = replace(planned, reason=f"{planned.reason}; {verdict.note}")
            plan = plan if verdict.note else planned
            if verdict.defer:
                self._record([(plan, action)], verdict.defer)
            elif verdict.files:
                sent_with_files.append((plan, action))
            else:
                keep.append((plan, action))
        return [(True, sent_with_files), (False, keep)]

    def _limits(self, hashes: list[str], action: Action) -> None:
        if action.upload_limit != -1:
            self.adapter.set_upload_limit(hashes, action.upload_limit)
        if action.download_limit != -1:
            self.adapter.set_download_limit(hashes, action.download_limit)
        if action.ratio_limit is not None and action.seeding_time_limit is not None:
            self.adapter.set_share_limits(hashes, action.ratio_limit, action.seeding_time_limit)

    def _import_path(self, plan: Planned) -> str:
        """The content folder; the parent folder for a single-file torrent (one request,
        once per import)."""
        files = self.adapter.files(plan.hash)
        single = len(files) == 1 and "/" not in str(files[0].get("name", "")).replace("\\", "/")
        path = plan.content_path.rstrip("/")
        return posixpath.dirname(path) if single else path

    def _imports(self) -> None:
        done: list[tuple[Planned, Action]] = []
        for plan, action in self._items(ActionKind.IMPORT):
            arr = self.arrs.get(action.arr)
            if arr is None:
                self._record([(plan, action)], f"{action.arr} is not configured")
                continue
            self.journal.mark([(plan, action)], "sent")
            try:
                arr.import_download(self._import_path(plan), plan.hash, arr.config.import_mode)
            except (QbitError, ArrError) as exc:
                self._record([(plan, action)], str(exc))
                continue
            self._record([(plan, action)])
            done.append((plan, action))
            self.outcome.imported.add(plan.key)
        if done:
            tag = Action(ActionKind.ADD_TAGS, tags=(TAG_IMPORTED,))
            self._batch(
                [(p, tag) for p, _ in done], lambda h: self.adapter.add_tags(h, (TAG_IMPORTED,))
            )

    def _blocklist(self) -> None:
        by_arr: dict[str, list[tuple[Planned, Action]]] = defaultdict(list)
        for plan, action in self._items(ActionKind.BLOCKLIST):
            by_arr[action.arr].append((plan, action))
        for name, items in by_arr.items():
            arr = self.arrs.get(name)
            ids = [i for _, x in items for i in x.queue_ids]
            self.journal.mark(items, "sent")
            try:
                if arr is None:
                    raise ArrError(f"{name} is not configured")
                arr.delete_queue_items(
                    ids, remove_from_client=False, blocklist=True, skip_redownload=True
                )
            except ArrError as exc:
                self.blocked.update(p.hash for p, _ in items)
                self._record(items, str(exc))
                continue
            self._record(items)

    def _searches(self) -> None:
        by_arr: dict[str, list[tuple[Planned, Action]]] = defaultdict(list)
        for plan, action in self._items(ActionKind.SEARCH):
            if plan.hash not in self.blocked:
                by_arr[action.arr].append((plan, action))
        for name, items in by_arr.items():
            arr = self.arrs.get(name)
            media = list(dict.fromkeys(m for _, x in items for m in x.media_ids))
            self.journal.mark(items, "sent")
            try:
                if arr is None:
                    raise ArrError(f"{name} is not configured")
                arr.search(media)
            except ArrError as exc:
                self._record(items, str(exc))
                continue
            self._record(items)


def _send_with(
    send: Callable[[list[str], Action], None], action: Action, hashes: list[str]
) -> None:
    send(hashes, action)


def _skip_files(adapter: InstanceAdapter, file_ids: tuple[int, ...], hashes: list[str]) -> None:
    adapter.set_file_priority(hashes[0], file_ids, 0)


def _delete(adapter: InstanceAdapter, delete_files: bool, hashes: list[str]) -> None:
    adapter.delete(hashes, delete_files=delete_files)


class Executor:
    def __init__(
        self,
        manager: QbitPort,
        arrs: Mapping[str, ArrClient],
        journal: Journal,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.manager = manager
        self.arrs = arrs
        self.journal = journal
        self.clock = clock
        self.safe_delete = SafeDelete(clock)
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="flush")
        self._running: dict[str, Future[Executed]] = {}  # flushes past their deadline

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def busy(self) -> set[str]:
        """The instances whose actions from an earlier cycle are still being carried out."""
        return {name for name, future in self._running.items() if not future.done()}

    def collect_late(self) -> Executed:
        """The outcome of the flushes that finished after their cycle's deadline."""
        outcome = Executed()
        for name, future in list(self._running.items()):
            if future.done():
                del self._running[name]
                outcome.add(future.result())
        return outcome

    def run(self, plans: Sequence[Planned], deadline: float | None = None) -> Executed:
        """Carry out ``plans``, waiting at most ``deadline`` seconds (None: until done)."""
        by_instance: dict[str, list[Planned]] = defaultdict(list)
        for plan in plans:
            if plan.actions:
                by_instance[plan.instance].append(plan)
        outcome = Executed()
        futures: dict[str, Future[Executed]] = {}
        busy = self.busy()
        safe = self._safe_delete(plans)
        for instance, items in by_instance.items():
            try:
                if instance in busy:
                    raise QbitError("deferred: its earlier actions are still being carried out")
                adapter = self.manager.get_client(instance)
            except QbitError as exc:
                now = self.clock()
                for plan in items:
                    outcome.events += plan.events("failed", now, error=str(exc))
                continue
            futures[instance] = self._pool.submit(
                _Flush(adapter, self.arrs, items, self.clock, self.journal, safe).run
            )
        wait_futures(futures.values(), timeout=deadline)
        for instance, future in futures.items():
            if future.done():
                outcome.add(future.result())
                continue
            self._running[instance] = future
            keys = {p.key for p in by_instance[instance]}
            outcome.late |= keys
            self.journal.lost(keys, f"no answer within {deadline:g}s (ActBudget)")
            log.warning(
                "instance '%s': its actions did not finish within %gs; they go on in the "
                "background, and what was sent is read back before anything is sent again",
                instance,
                deadline,
            )
        return outcome

    def _safe_delete(
        self, plans: Sequence[Planned]
    ) -> tuple[SafeDelete, PathIndex, Callable[[str], InstanceAdapter]] | None:
        """The cross-seed index, read once, when some plan deletes with files."""
        actions = (a for p in plans for a in p.actions)
        if not any(a.kind is ActionKind.DELETE and a.delete_files for a in actions):
            return None
        source = self.manager if isinstance(self.manager, PathSource) else None
        adapter_of = self.manager.get_client
        return self.safe_delete, self.safe_delete.index(plans, adapter_of, source), adapter_of
