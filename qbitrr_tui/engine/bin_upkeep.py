"""The recycle bin's upkeep: entries past ``RecycleBinDays`` purged (their moved data too),
and the bin as the dashboard shows it, sent when it changed; restores asked from the
dashboard (through the engine, like every other command)."""

from __future__ import annotations

from collections.abc import Callable

from qbitrr_tui.config.model import Settings
from qbitrr_tui.engine.events import BinRow, RecycleBinChanged
from qbitrr_tui.engine.ports import QbitPort
from qbitrr_tui.engine.recycle_bin import RecycleBin
from qbitrr_tui.engine.restore import pick, restore
from qbitrr_tui.errors import UserError
from qbitrr_tui.logs import get_logger
from qbitrr_tui.qbit.webapi import QbitError

log = get_logger("recycle-bin")

EVERY = 60.0  # seconds between looks at the bin when nothing was deleted


class BinUpkeep:
    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self._next_at = 0.0
        self._last: RecycleBinChanged | None = None

    def run(
        self, settings: Settings, *, force: bool = False, dry_run: bool = False
    ) -> RecycleBinChanged | None:
        """Purge what is due (not in dry-run: it changes nothing anywhere); the bin's
        summary when it changed since the last one sent."""
        now = self.clock()
        if not force and now < self._next_at:
            return None
        self._next_at = now + EVERY
        recycle = RecycleBin(settings.data_folder)
        try:
            if not dry_run:
                recycle.purge(now, settings.recycle_bin_days)
            event = summary(recycle, settings.recycle_bin_days)
        except OSError as exc:
            log.warning("recycle bin %s: %s", recycle.root, exc)
            return None
        if event == self._last:
            return None
        self._last = event
        return event

    def restore(
        self, qbits: QbitPort, settings: Settings, key: tuple[str, str], *, dry_run: bool
    ) -> RecycleBinChanged:
        """Restore one entry; the bin afterwards, with one sentence of what happened."""
        recycle = RecycleBin(settings.data_folder)
        instance, info_hash = key
        try:
            entry = pick(recycle, info_hash, instance)
            if dry_run:
                message = f"dry-run: would restore {entry.name} to instance '{instance}'"
            else:
                message = restore(recycle, entry, qbits.get_client(instance))
                qbits.mark_dirty(instance, (entry.hash,))
        except (UserError, QbitError, OSError) as exc:
            message = f"not restored: {exc}"
        log.info("%s", message)
        self._last = summary(recycle, settings.recycle_bin_days, message)
        return self._last


def summary(recycle: RecycleBin, days: float, message: str = "") -> RecycleBinChanged:
    entries = recycle.entries()
    rows = tuple(
        BinRow(
            e.instance,
            e.hash,
            e.name,
            e.category,
            e.size,
            e.removed_at,
            e.expires_at(days),
            "moved" if e.data == "moving" else e.data,
            e.why,
        )
        for e in entries
    )
    return RecycleBinChanged(rows, sum(e.held_bytes() for e in entries), message)
