"""A short seeded soak: random faults on both sides for a while, then the end state — every
stalled download removed and blocklisted exactly once, every complete one imported exactly
once, nothing outside the managed category touched, the engine never down (issue 14)."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from qbitrr_tui.logs import LOGGER_NAME
from qbitrr_tui.sandbox import content
from qbitrr_tui.sandbox.proxy import Fault
from tests.integration.test_faults import Rig, rig, stalled_magnet

__all__ = ["rig"]  # the fixture, shared with the fault tests

pytestmark = pytest.mark.integration

SEED = 1405
FAULT_CYCLES = 25
# An Arr or instance that failed is retried after its health back-off (5 s, 10 s, 20 s …):
# after a run of faults, settling takes a minute or two.
SETTLE_WITHIN = 180
KINDS = ("lose_answer", "drop", "truncate", "status", "delay")
TARGETS = {
    "qbit": (
        "POST /api/v2/torrents/delete",
        "POST /api/v2/torrents/addTags",
        "GET /api/v2/sync/maindata",
        "GET /api/v2/torrents/files",
    ),
    "arr": (
        "DELETE /api/v3/queue/bulk",
        "POST /api/v3/command",
        "GET /api/v3/queue",
        "GET /api/v3/command",
    ),
}


@pytest.fixture
def failures() -> Iterator[list[logging.LogRecord]]:
    """Cycles that raised (the engine logs them and goes on)."""
    seen: list[logging.LogRecord] = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = seen.append  # type: ignore[method-assign]
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    yield seen
    logger.removeHandler(handler)


def test_seeded_soak_every_effect_exactly_once(
    rig: Rig, content_dir: Path, failures: list[logging.LogRecord]
) -> None:
    rng = random.Random(SEED)
    stalled = {stalled_magnet(rig, f"Soak.Stalled.{i}"): f"Soak.Stalled.{i}" for i in range(4)}
    complete = [_seed(rig, content_dir, f"Soak.Done.{i}.mkv", i) for i in range(3)]
    bystander = content.add_magnet(rig.qbit, "Not.Ours", category="personal")
    proxies = {"qbit": rig.qbit_proxy, "arr": rig.arr_proxy}

    for side, targets in TARGETS.items():  # every endpoint is hit at least once, early
        for target in targets:
            proxies[side].inject(Fault(rng.choice(KINDS), match=target, seconds=0.3))  # type: ignore[arg-type]

    engine = rig.engine()
    started = time.monotonic()
    cycles = settled_at = 0
    faults_over = 0.0
    try:
        while time.monotonic() - started < SETTLE_WITHIN:
            if cycles < FAULT_CYCLES:
                side = rng.choice(("qbit", "arr"))
                kind = rng.choice(KINDS)
                proxies[side].inject(
                    Fault(kind, match=rng.choice(TARGETS[side]), seconds=0.3)  # type: ignore[arg-type]
                )
            if cycles in (6, 12):  # later arrivals meet the faults too
                name = f"Soak.Late.{cycles}"
                stalled[stalled_magnet(rig, name)] = name
                complete.append(_seed(rig, content_dir, f"Soak.LateDone.{cycles}.mkv", cycles))
            engine.run_cycle()
            cycles += 1
            if cycles == FAULT_CYCLES:
                faults_over = time.monotonic()
            if cycles >= FAULT_CYCLES and _settled(rig, stalled, complete):
                settled_at = cycles
                break
            time.sleep(0.2)
    finally:
        engine.close()

    injected = len(rig.qbit_proxy.injected) + len(rig.arr_proxy.injected)
    print(
        f"soak: seed {SEED}, {injected} faults injected, {cycles} cycles, settled at cycle "
        f"{settled_at}, {time.monotonic() - faults_over:.1f}s after the last fault cycle, "
        f"{time.monotonic() - started:.1f}s in all"
    )
    assert injected >= 15  # the faults did happen
    assert settled_at, f"not settled within {SETTLE_WITHIN} s"
    assert rig.qbit.torrents(torrent_hashes=bystander)  # outside the managed category
    assert sorted(b["sourceTitle"] for b in rig.radarr.blocklist) == sorted(stalled.values())
    for info_hash in complete:
        scans = [
            c
            for c in rig.radarr.commands.values()
            if c.name == "DownloadedMoviesScan"
            and c.body.get("downloadClientId") == info_hash.upper()
        ]
        assert len(scans) == 1, info_hash
    assert failures == []  # no cycle raised
    assert {state for _, state in rig.journal()} <= {"confirmed"}


def _settled(rig: Rig, stalled: dict[str, str], complete: list[str]) -> bool:
    hashes = {t["hash"]: t["tags"] for t in rig.qbit.torrents()}
    return not (stalled.keys() & hashes.keys()) and all(
        "qBitrr-imported" in hashes.get(h, "") for h in complete
    )


def _seed(rig: Rig, folder: Path, name: str, media_id: int) -> str:
    """A complete download of Radarr's, seeding (no longer checking), in its queue."""
    sample = content.make_sample(folder / name, name, size=16 * 1024)
    content.add_seeding(rig.qbit, sample, category="radarr")
    rig.qbit.wait_for_torrent(sample.info_hash, lambda t: t["state"] in ("uploading", "stalledUP"))
    rig.radarr.add_records("default", sample.info_hash, sample.name, [100 + media_id])
    return sample.info_hash
