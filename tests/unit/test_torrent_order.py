"""The virtual torrent table's order (tui/torrent_order.py): the same order a full sort
gives, kept by moving only the rows that changed, flat and grouped, either direction."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from qbitrr_tui.engine.events import ETA_UNKNOWN, TorrentRow
from qbitrr_tui.tui.columns import OPTIONAL_COLUMNS, TORRENT_COLUMNS
from qbitrr_tui.tui.format import sort_value, torrent_cells
from qbitrr_tui.tui.torrent_order import Item, RowOrder


def make(i: int, rng: random.Random, instance: str = "a") -> TorrentRow:
    return TorrentRow(
        instance=instance,
        hash=f"{i:040d}",
        name=f"Name.{rng.randrange(50):02d}.{i}",
        category=rng.choice(("radarr", "sonarr", "")),
        state=rng.choice(("uploading", "stalledDL", "downloading")),
        progress=rng.choice((0.0, 0.5, 1.0)),
        size=rng.randrange(10),
        ratio=rng.random(),
        eta=rng.choice((60, 3600, ETA_UNKNOWN)),
        tags=rng.choice(((), ("qBitrr-imported",))),
        dlspeed=rng.randrange(3),
        upspeed=0,
        added_on=rng.randrange(5),
        rule="ok",
        reason=rng.choice(("downloading", "seeding")),
        seeds=rng.randrange(3),
        peers=rng.randrange(3),
        tracker=rng.choice(("t.example", "u.example")),
    )


def expected(rows: list[TorrentRow], order: RowOrder) -> list[Item]:
    """What a full sort shows: groups in order, each header then its rows."""

    def key(row: TorrentRow) -> tuple[object, ...]:
        return (*(sort_value(row, c) for c in order.columns), row.key)

    ordered = sorted(rows, key=key, reverse=order.reverse)
    if not order.grouped:
        return [(False, r.key) for r in ordered]
    out: list[Item] = []
    for group in sorted({(r.instance, r.category) for r in rows}):
        out.append((True, group))
        if group not in order.collapsed:
            out += [(False, r.key) for r in ordered if (r.instance, r.category) == group]
    return out


def shown(order: RowOrder) -> list[Item]:
    items = [order.at(i) for i in range(len(order))]
    assert None not in items
    return [i for i in items if i is not None]


def test_sort_values_are_the_cells_values() -> None:
    rng = random.Random(1)
    for i in range(50):
        row = make(i, rng)
        cells = torrent_cells(row, optional=OPTIONAL_COLUMNS)
        for column in TORRENT_COLUMNS:
            assert sort_value(row, column) == cells[column].value, column


@pytest.mark.parametrize("grouped", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("columns", [("name",), ("size", "name"), ("eta", "name")])
def test_updates_keep_the_order_a_full_sort_gives(
    grouped: bool, reverse: bool, columns: tuple[str, ...]
) -> None:
    rng = random.Random(7)
    rows = {r.key: r for r in (make(i, rng, rng.choice("ab")) for i in range(300))}
    order = RowOrder()
    order.set_sort(columns, reverse)
    order.set_grouped(grouped)
    order.replace(rows.values())
    if grouped:
        order.toggle(("a", "sonarr"))
    assert shown(order) == expected(list(rows.values()), order)
    for step in range(20):
        changed = [
            replace(rows[k], size=rng.randrange(10), name=f"N{rng.randrange(50)}")
            for k in rng.sample(sorted(rows), 10)
        ]
        moved = [replace(rows[k], category="lidarr") for k in rng.sample(sorted(rows), 2)]
        removed = rng.sample(sorted(rows), 3)
        added = [make(1000 + step * 10 + i, rng) for i in range(4)]
        for row in changed + moved + added:
            rows[row.key] = row
        for key in removed:
            del rows[key]
        kept = [r for r in changed + moved + added if r.key in rows]
        order.update(kept, removed)
        items = shown(order)
        assert items == expected(list(rows.values()), order)
        for index, (header, key) in enumerate(items):
            found = order.header_index(key) if header else order.index_of(key)
            assert found == index


def test_grouping_and_reversing_switch_without_losing_rows() -> None:
    rng = random.Random(3)
    rows = [make(i, rng) for i in range(100)]
    order = RowOrder()
    order.replace(rows)
    for grouped, reverse in [(True, False), (True, True), (False, True), (False, False)]:
        order.set_grouped(grouped)
        order.set_sort(("name",), reverse)
        assert shown(order) == expected(rows, order)
        assert order.torrents_shown == 100
