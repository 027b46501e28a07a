"""What the engine needs of the qBittorrent side: :class:`QbitPort`.

``QbitManager`` is the real one; a test passes any object with these methods to
``Engine(config, qbits=...)`` and drives whole cycles with hand-built snapshots.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from qbitrr_tui.config.model import QbitInstanceConfig
from qbitrr_tui.qbit.adapter import InstanceAdapter
from qbitrr_tui.qbit.manager import InstanceFetch


class QbitPort(Protocol):
    full_refresh_every: float  # seconds between full sync/maindata reads
    import_settle_time: float  # how late a completion may be seen (qbit/read_strategy.py)
    free_space_folder: str  # asked of the instance itself where it can say (qBittorrent ≥ 5.2)
    read_budget: float  # seconds a cycle waits for an instance's read (InstanceReadBudget)
    read_timeout: float  # a read running this long marks its instance down

    def refresh(self) -> object:
        """Connect the instances that are due a try."""

    def fetch(self, categories: Iterable[str]) -> dict[str, InstanceFetch]:
        """The torrents of ``categories`` from every instance, or why there are none."""

    def mark_dirty(self, name: str, hashes: Iterable[str]) -> None:
        """These torrents changed: read them again next cycle."""

    def get_client(self, name: str) -> InstanceAdapter:
        """The write adapter of an instance that is up (QbitError otherwise)."""

    def requests_made(self) -> dict[str, int]: ...

    def set_enabled(self, name: str, enabled: bool) -> object: ...

    def ensure_categories(self, categories: Mapping[str, str] | Iterable[str]) -> None: ...

    def reconfigure(self, instances: Sequence[QbitInstanceConfig]) -> None: ...

    def close(self) -> None: ...
