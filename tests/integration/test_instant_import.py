"""Every complete torrent in a managed category is imported within one cycle (plus
ImportSettleTime), however it became complete, with the real FullRefreshInterval (60 s):
not only downloads seen finishing, but torrents added already complete (a cross-seed, a
re-add, data already on disk) and torrents completed by a recheck (qbit/read_strategy.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from qbitrr_tui.engine.loop import Engine
from qbitrr_tui.sandbox import content
from qbitrr_tui.sandbox.arr_server import ArrStandIn
from qbitrr_tui.sandbox.configs import sandbox_config
from qbitrr_tui.sandbox.qbit import QbitProcess
from tests.integration.test_engine import SEEDING, imports, seeded, spec

pytestmark = pytest.mark.integration


def engine_for(qbit: QbitProcess, radarr: ArrStandIn, tmp_path: Path) -> Engine:
    config = sandbox_config(
        tmp_path / "c.toml",
        {"default": qbit},
        arrs=[spec(radarr)],
        data_folder=tmp_path / "data",
        settings={"FullRefreshInterval": 60, "ImportSettleTime": 0},
    )
    engine = Engine(config)
    engine.run_cycle()  # the first read is a full one
    engine.run_cycle()  # from here on, full reads are a minute away
    return engine


def imported(radarr: ArrStandIn) -> list[object]:
    return [body["downloadClientId"] for body in imports(radarr)]


def test_added_complete_is_imported_on_the_next_cycle(
    qbits: dict[str, QbitProcess],
    arr_factory: Callable[..., ArrStandIn],
    tmp_path: Path,
    content_dir: Path,
) -> None:
    qbit = qbits["default"]
    radarr = arr_factory("Radarr")
    engine = engine_for(qbit, radarr, tmp_path)
    try:
        assert imported(radarr) == []
        # Its data is already on disk: qBittorrent has it complete and seeding at once.
        sample = seeded(qbit, content_dir, "Cross.Seed.2021.mkv", "radarr")
        radarr.add_records("default", sample.info_hash, sample.name, [7])
        engine.run_cycle()
        assert imported(radarr) == [sample.info_hash.upper()]
    finally:
        engine.close()


def test_completed_by_a_recheck_is_imported_on_the_next_cycle(
    qbits: dict[str, QbitProcess],
    arr_factory: Callable[..., ArrStandIn],
    tmp_path: Path,
    content_dir: Path,
) -> None:
    qbit = qbits["default"]
    radarr = arr_factory("Radarr")
    sample = content.make_sample(content_dir, "Rechecked.2022.mkv")
    away = tmp_path / "away.mkv"
    sample.content_path.rename(away)  # its data is not there yet: it waits, incomplete
    content.add_torrent(
        qbit, sample.torrent_bytes, category="radarr", save_path=sample.content_root
    )
    qbit.wait_for_torrent(sample.info_hash, lambda t: t["progress"] == 0)
    radarr.add_records("default", sample.info_hash, sample.name, [8])
    engine = engine_for(qbit, radarr, tmp_path)
    try:
        assert imported(radarr) == []
        away.rename(sample.content_path)  # the data arrives; the user rechecks
        qbit.client().torrents_recheck(torrent_hashes=sample.info_hash)
        qbit.wait_for_torrent(
            sample.info_hash, lambda t: t["progress"] == 1 and t["state"] in SEEDING, timeout=60
        )
        engine.run_cycle()
        assert imported(radarr) == [sample.info_hash.upper()]
    finally:
        engine.close()
