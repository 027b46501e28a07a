"""The torrent table's rows in display order (pure: no widgets).

The table shows a window of rows from this order and never holds 30,000 of anything but
keys. Each row has one sort entry (its sort columns' values, then its key, so the order is
total); entries live in one flat sorted list, or, grouped, in one sorted list per
(instance, category) group. A change moves a row with bisect + insort (O(log n) to find,
a memmove to shift) instead of sorting everything again. A reversed sort reads the same
lists backwards; in the grouped order the groups keep their own order and only their
members are reversed.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable
from typing import Any

from qbitrr_tui.engine.events import TorrentRow
from qbitrr_tui.tui.format import sort_getter
from qbitrr_tui.tui.torrent_groups import Group, group_of

Key = tuple[str, str]
Entry = tuple[Any, ...]  # the sort columns' values, then the key
Item = tuple[bool, tuple[str, str]]  # (is a group header, the torrent's key or the group)


class RowOrder:
    """Torrents sorted by some columns, flat or grouped, with folded groups left out."""

    def __init__(self) -> None:
        self.rows: dict[Key, TorrentRow] = {}
        self.columns: tuple[str, ...] = ("name",)
        self.reverse = False
        self.grouped = False
        self.collapsed: set[Group] = set()
        self._entry: dict[Key, Entry] = {}
        self._flat: list[Entry] = []
        self._groups: dict[Group, list[Entry]] = {}
        self._layout: tuple[list[int], list[Group]] | None = None  # grouped: header indexes

    # --- building -------------------------------------------------------------------
    def _entries(self, rows: Iterable[TorrentRow]) -> dict[Key, Entry]:
        getters = [sort_getter(c) for c in self.columns]
        if len(getters) == 1:
            (first,) = getters
            return {r.key: (first(r), r.key) for r in rows}
        if len(getters) == 2:  # the usual sort: a column, then the name
            first, second = getters
            return {r.key: (first(r), second(r), r.key) for r in rows}
        return {r.key: (*(g(r) for g in getters), r.key) for r in rows}

    def _entry_of(self, row: TorrentRow) -> Entry:
        return self._entries((row,))[row.key]

    def replace(self, rows: Iterable[TorrentRow]) -> None:
        """Hold exactly ``rows`` (a new tab or filter)."""
        self.rows = {row.key: row for row in rows}
        self._resort()

    def set_sort(self, columns: tuple[str, ...], reverse: bool) -> None:
        if columns != self.columns:
            self.columns = columns
            self.reverse = reverse
            self._resort()
        elif reverse != self.reverse:
            self.reverse = reverse  # the same lists, read the other way

    def _resort(self) -> None:
        self._entry = self._entries(self.rows.values())
        self._arrange()

    def _arrange(self) -> None:
        """The sorted lists of the order in use (flat or grouped) from the entries."""
        self._flat, self._groups, self._layout = [], {}, None
        if not self.grouped:
            self._flat = sorted(self._entry.values())
            return
        rows = self.rows
        for key, entry in self._entry.items():
            row = rows[key]
            self._groups.setdefault((row.instance, row.category), []).append(entry)
        for members in self._groups.values():
            members.sort()

    def update(self, changed: Iterable[TorrentRow], removed: Iterable[Key]) -> set[Group]:
        """Apply a diff; returns the groups whose members or values changed."""
        touched: set[Group] = set()
        for key in removed:
            row = self.rows.pop(key, None)
            if row is not None:
                touched.add(group_of(row))
                self._take(group_of(row), self._entry.pop(key))
        for row in changed:
            touched.add(group_of(row))
            before = self.rows.get(row.key)
            self.rows[row.key] = row
            entry = self._entry_of(row)
            if before is not None:
                old = self._entry[row.key]
                if old == entry and group_of(before) == group_of(row):
                    continue  # same place: nothing moves
                touched.add(group_of(before))
                self._take(group_of(before), old)
            self._entry[row.key] = entry
            if self.grouped:
                insort(self._groups.setdefault(group_of(row), []), entry)
                self._layout = None
            else:
                insort(self._flat, entry)
        return touched

    def _take(self, group: Group, entry: Entry) -> None:
        if not self.grouped:
            del self._flat[bisect_left(self._flat, entry)]
            return
        members = self._groups[group]
        del members[bisect_left(members, entry)]
        if not members:
            del self._groups[group]
        self._layout = None

    # --- reading --------------------------------------------------------------------
    def members(self, group: Group) -> list[TorrentRow]:
        return [self.rows[entry[-1]] for entry in self._groups.get(group, ())]

    def _grouped_layout(self) -> tuple[list[int], list[Group]]:
        if self._layout is None:
            starts, names, at = [], [], 0
            for group in sorted(self._groups):
                starts.append(at)
                names.append(group)
                at += 1 + (0 if group in self.collapsed else len(self._groups[group]))
            self._layout = (starts, names)
        return self._layout

    def __len__(self) -> int:
        if not self.grouped:
            return len(self._flat)
        return len(self._groups) + self.torrents_shown

    @property
    def torrents_shown(self) -> int:
        """Torrents on screen: folded groups' torrents not counted."""
        if not self.grouped:
            return len(self._flat)
        return sum(len(m) for g, m in self._groups.items() if g not in self.collapsed)

    def at(self, index: int) -> Item | None:
        """What the row at display ``index`` shows."""
        if index < 0:
            return None
        if not self.grouped:
            if index >= len(self._flat):
                return None
            return (False, self._flat[self._pos(index, len(self._flat))][-1])
        starts, names = self._grouped_layout()
        slot = bisect_right(starts, index) - 1
        if slot < 0:
            return None
        group, offset = names[slot], index - starts[slot]
        if offset == 0:
            return (True, group)
        members = self._groups[group]
        if group in self.collapsed or offset > len(members):
            return None
        return (False, members[self._pos(offset - 1, len(members))][-1])

    def _pos(self, index: int, size: int) -> int:
        return size - 1 - index if self.reverse else index

    def index_of(self, key: Key) -> int | None:
        """The display index of a torrent (None when it is not held or its group folded)."""
        entry = self._entry.get(key)
        if entry is None:
            return None
        if not self.grouped:
            return self._pos(bisect_left(self._flat, entry), len(self._flat))
        group = group_of(self.rows[key])
        header = self.header_index(group)
        if header is None or group in self.collapsed:
            return None
        members = self._groups[group]
        return header + 1 + self._pos(bisect_left(members, entry), len(members))

    def header_index(self, group: Group) -> int | None:
        if not self.grouped:
            return None
        starts, names = self._grouped_layout()
        slot = bisect_left(names, group)
        return starts[slot] if slot < len(names) and names[slot] == group else None

    def toggle(self, group: Group) -> None:
        self.collapsed ^= {group}
        self._layout = None

    def set_grouped(self, grouped: bool) -> None:
        if grouped != self.grouped:
            self.grouped = grouped
            self._arrange()
