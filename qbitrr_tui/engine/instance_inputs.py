"""The decider's per-instance inputs that cost I/O, gathered before its torrents are
decided: the free-space action (``shutil.disk_usage`` when FreeSpaceFolder is set and the
instance cannot say itself) and the file exclusions of a few new downloads (one
``torrents/files`` request each, within the instance's read budget)."""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_futures

from qbitrr_tui.config.model import ArrConfig, Settings
from qbitrr_tui.engine.memo import SameInput
from qbitrr_tui.engine.memory import TorrentMemory
from qbitrr_tui.engine.model import TAG_IGNORED
from qbitrr_tui.engine.ports import QbitPort
from qbitrr_tui.engine.rules.files import excluded_files
from qbitrr_tui.engine.rules.free_space import free_space_plan
from qbitrr_tui.logs import get_logger
from qbitrr_tui.qbit.manager import InstanceFetch
from qbitrr_tui.qbit.snapshot import TorrentSnapshot
from qbitrr_tui.qbit.webapi import QbitError

log = get_logger("engine")

FILE_CHECKS_PER_CYCLE = 25  # one torrents/files request each, only for new downloads

FileChecks = dict[str, tuple[tuple[int, ...], bool]]  # hash → (file ids to skip, all of them)


class InstanceInputs:
    def __init__(self, memory: TorrentMemory, qbits: QbitPort) -> None:
        self.memory = memory
        self.qbits = qbits
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="files")
        # Made from an instance's snapshots, kept while they are the same (engine/memo.py)
        self._downloads: SameInput[list[TorrentSnapshot]] = SameInput()
        self._unchecked: SameInput[list[TorrentSnapshot]] = SameInput()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def free_space_actions(self, result: InstanceFetch, settings: Settings) -> dict[str, str]:
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
        downloads = self._downloads.get(
            result.name,
            result.snapshots,
            lambda: [
                t for t in result.snapshots if not t.is_complete and TAG_IGNORED not in t.tags
            ],
        )
        return free_space_plan(downloads, self.memory.states, free, settings.free_space)

    def file_checks(
        self, fetched: Mapping[str, InstanceFetch], arr_by_category: Mapping[str, ArrConfig]
    ) -> dict[str, FileChecks]:
        """Every instance's file checks at once, within its read budget: an instance that
        hangs between its read and these requests holds up only itself (its new downloads
        are checked next cycle)."""
        jobs = {
            name: self._pool.submit(self._instance_file_checks, name, r.snapshots, arr_by_category)
            for name, r in fetched.items()
            if r.ok
        }
        done, _ = wait_futures(jobs.values(), timeout=self.qbits.read_budget)
        return {name: job.result() for name, job in jobs.items() if job in done}

    def _instance_file_checks(
        self,
        instance: str,
        torrents: Sequence[TorrentSnapshot],
        arr_by_category: Mapping[str, ArrConfig],
    ) -> FileChecks:
        """File exclusions for new downloads whose file list is known (a few per cycle)."""
        candidates = self._unchecked.get(
            (instance, frozenset(arr_by_category)),
            torrents,
            lambda: [
                t
                for t in torrents
                if t.category in arr_by_category
                and TAG_IGNORED not in t.tags
                and not t.is_complete
                and t.state not in ("metaDL", "forcedMetaDL")
            ],
        )
        state_of = self.memory.state
        due = [t for t in candidates if not ((s := state_of(t.key)) and s.files_checked)]
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
