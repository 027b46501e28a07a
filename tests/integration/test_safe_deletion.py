"""What is never deleted, end to end: real qbittorrent-nox, a loopback tracker of our own
(tests/support/tracker.py), the Arr stand-in.

- a tracker that answers "unregistered torrent" gets its download removed after the grace
  (blocklisted and searched again), with strikes that survive an engine restart, while a
  tracker that is down never does;
- a private torrent on a tracker with an unmet hit-and-run policy survives every removal
  rule until the policy is met; one on a tracker with no policy is never removed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import pytest

from qbitrr_tui.config.model import Config
from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.loop import Engine
from qbitrr_tui.engine.model import TAG_IMPORTED
from qbitrr_tui.engine.tracker_watch import GATE_RETRY
from qbitrr_tui.sandbox import content
from qbitrr_tui.sandbox.arr_server import ArrStandIn
from qbitrr_tui.sandbox.qbit import QbitProcess
from tests.support.engine import drain
from tests.support.testbed import Clock, arr_spec, engine_config
from tests.support.tracker import LoopbackTracker, down_tracker_url

pytestmark = pytest.mark.integration

UNREGISTERED = "Unregistered torrent"


@pytest.fixture
def unregistered_tracker() -> Iterator[LoopbackTracker]:
    with LoopbackTracker(UNREGISTERED) as tracker:
        yield tracker


@pytest.fixture
def good_tracker() -> Iterator[LoopbackTracker]:
    with LoopbackTracker() as tracker:
        yield tracker


@pytest.fixture
def other_tracker() -> Iterator[LoopbackTracker]:
    """A working tracker on another loopback host (no tracker row names it)."""
    with LoopbackTracker(host="127.0.0.2") as tracker:
        yield tracker


def wait_for_tracker(
    inst: QbitProcess,
    info_hash: str,
    done: Callable[[dict[str, object]], bool],
    *,
    reannounce: bool = False,
) -> None:
    """Until qBittorrent reports the torrent's one real tracker in a state ``done`` likes;
    ``reannounce``: asking it to announce again every few seconds meanwhile (one request
    can be lost to an announce still under way: seen on 5.1 in the full matrix run)."""
    inst.wait_for_torrent(info_hash)  # torrents/add may answer before the torrent exists
    deadline = time.monotonic() + 30
    next_announce = time.monotonic()
    last: list[dict[str, object]] = []
    while time.monotonic() < deadline:
        if reannounce and time.monotonic() >= next_announce:
            inst.client().torrents_reannounce(torrent_hashes=info_hash)
            next_announce = time.monotonic() + 3
        last = [
            dict(t)
            for t in inst.client().torrents_trackers(torrent_hash=info_hash)
            if not str(t["url"]).startswith("** [")
        ]
        if last and done(last[0]):
            return
        time.sleep(0.3)
    raise AssertionError(f"tracker of {info_hash} never reached the state wanted: {last}")


def movies_config(
    tmp_path: Path,
    default: QbitProcess,
    radarr: ArrStandIn,
    *,
    torrent: Mapping[str, object],
    seeding: Mapping[str, object] | None = None,
    settings: Mapping[str, object] | None = None,
    trackers: Mapping[str, Sequence[Mapping[str, object]]] | None = None,
) -> Config:
    """The engine's config over the shared ``default`` instance and ``[Radarr-Movies]``."""
    return engine_config(
        tmp_path,
        {"default": default},
        arrs=[arr_spec(radarr, name="Movies", torrent=torrent, seeding=seeding)],
        settings=settings,
        trackers=trackers,
    )


def private_samples(content_dir: Path, *named: tuple[str, str]) -> list[content.Sample]:
    """A private sample per (name, announce URL)."""
    return [
        content.make_sample(content_dir, name, size=64 * 1024, trackers=(url,), private=True)
        for name, url in named
    ]


def hashes(inst: QbitProcess) -> set[str]:
    return {t["hash"] for t in inst.torrents()}


def reason(engine: Engine, inst: str, info_hash: str) -> str:
    record = engine.memory.get((inst, info_hash))
    assert record is not None
    return record.reason


def test_unregistered_is_removed_after_the_grace_and_a_restart_a_down_tracker_never(
    qbits: dict[str, QbitProcess],
    arr_factory: Callable[..., ArrStandIn],
    tmp_path: Path,
    content_dir: Path,
    unregistered_tracker: LoopbackTracker,
) -> None:
    radarr = arr_factory("Radarr")
    default = qbits["default"]
    gone, down = (
        content.make_sample(content_dir, name, size=256 * 1024, trackers=(url,))
        for name, url in (
            ("Gone.From.Tracker.mkv", unregistered_tracker.announce_url),
            ("Tracker.Down.mkv", down_tracker_url()),
        )
    )
    for sample in (gone, down):
        sample.content_path.unlink()  # nobody has it: a stalled download
        content.add_torrent(default, sample.torrent_bytes, category="radarr")
    gone_ids = radarr.add_records("default", gone.info_hash, "Gone", [31])
    radarr.add_records("default", down.info_hash, "Down", [32])
    wait_for_tracker(default, gone.info_hash, lambda t: t["msg"] == UNREGISTERED)
    wait_for_tracker(default, down.info_hash, lambda t: t["status"] not in (0, 1, 2, 3))
    clock = Clock()
    config = movies_config(
        tmp_path,
        default,
        radarr,
        torrent={
            "StalledDelay": -1,  # stalled downloads are kept: only the tracker decides
            "IgnoreTorrentsYoungerThan": 0,
            "UnregisteredGrace": "10m",
        },
        settings={"TrackerCheckInterval": 1},
    )
    engine = Engine(config, clock=clock)
    try:
        engine.run_cycle()
        assert "strike 1/2" in reason(engine, "default", gone.info_hash)
        assert "tracker says" not in reason(engine, "default", down.info_hash)
    finally:
        engine.close()
    assert hashes(default) == {gone.info_hash, down.info_hash}

    clock.offset += 601  # past the grace, and a check later: the second strike
    engine = Engine(config, clock=clock)  # a restart: the first strike is in the database
    try:
        engine.run_cycle()
        for _ in range(5):  # a cycle more at most, while the tracker is re-announcing
            if gone.info_hash not in hashes(default):
                break
            clock.offset += GATE_RETRY  # a held-back deletion is read again
            engine.run_cycle()
        for _ in range(3):
            clock.offset += 3600
            engine.run_cycle()
        down_reason = reason(engine, "default", down.info_hash)
    finally:
        engine.close()
    assert hashes(default) == {down.info_hash}  # a tracker that is down removes nothing
    assert "tracker says" not in down_reason
    assert [b["sourceTitle"] for b in radarr.blocklist] == ["Gone"]
    deletes = [r for r in radarr.requests if r.method == "DELETE"]
    assert len(deletes) == 1 and deletes[0].body["ids"] == gone_ids
    searches = [r.body for r in radarr.requests if r.method == "POST"]
    assert [s.get("movieIds") for s in searches] == [[31]]


def test_a_private_torrent_waits_for_its_hit_and_run_policy(
    qbits: dict[str, QbitProcess],
    arr_factory: Callable[..., ArrStandIn],
    tmp_path: Path,
    content_dir: Path,
    good_tracker: LoopbackTracker,
    other_tracker: LoopbackTracker,
) -> None:
    """Seeding done (RemoveTorrent) and the failed category both wait for the policy,
    which is met by real uploads: two full copies (ratio 2)."""
    radarr = arr_factory("Radarr")
    default, cloud, seedbox = qbits["default"], qbits["cloud"], qbits["seedbox"]
    seeding, failed, unprotected = private_samples(
        content_dir,
        ("Seeding", good_tracker.announce_url),  # 127.0.0.1: the row below
        ("Failed", good_tracker.announce_url),
        ("NoPolicy", other_tracker.announce_url),  # 127.0.0.2: no row
    )
    content.add_seeding(default, seeding, category="radarr", tags=(TAG_IMPORTED,))
    content.add_seeding(default, failed, category="failed")  # the user wants them gone
    content.add_seeding(default, unprotected, category="failed")
    for sample in (seeding, failed, unprotected):
        wait_for_tracker(default, sample.info_hash, lambda t: t["status"] == 2)
    config = movies_config(
        tmp_path,
        default,
        radarr,
        torrent={"IgnoreTorrentsYoungerThan": 0},
        seeding={"RemoveTorrent": 1, "MaxUploadRatio": 0.5},
        trackers={"qBit": [{"URI": "127.0.0.1", "HitAndRunMode": "and", "MinSeedRatio": 1.5}]},
    )

    def upload_once(leecher: QbitProcess, ratio: float) -> None:
        for sample in (seeding, failed):
            content.add_downloading(leecher, default, sample, upload_limit=256 * 1024)
        for sample in (seeding, failed):
            default.wait_for_torrent(sample.info_hash, lambda t: t["ratio"] >= ratio, timeout=60)

    clock = Clock()
    engine = Engine(config, clock=clock)
    try:
        engine.run_cycle()
        assert "HnR: ratio 0.00/1.50" in reason(engine, "default", failed.info_hash)
        assert "private torrent" in reason(engine, "default", unprotected.info_hash)
        upload_once(cloud, 0.9)  # ratio 1: seeding is done (0.5), the policy is not (1.5)
        engine.run_cycle()
        assert hashes(default) == {seeding.info_hash, failed.info_hash, unprotected.info_hash}
        for sample in (seeding, failed):
            assert "HnR: ratio 1.00/1.50" in reason(engine, "default", sample.info_hash)
        upload_once(seedbox, 1.9)  # ratio 2: the policy is met
        for _ in range(10):  # a cycle or two more while the tracker re-announces
            engine.run_cycle()
            if hashes(default) == {unprotected.info_hash}:
                break
            clock.offset += GATE_RETRY  # a held-back deletion is read again
            time.sleep(0.5)
        left = reason(engine, "default", unprotected.info_hash)
    finally:
        engine.close()
    assert hashes(default) == {unprotected.info_hash}
    assert "private torrent" in left


def test_strikes_clear_when_the_tracker_knows_the_torrent_again(
    qbits: dict[str, QbitProcess],
    arr_factory: Callable[..., ArrStandIn],
    tmp_path: Path,
    content_dir: Path,
    unregistered_tracker: LoopbackTracker,
) -> None:
    radarr = arr_factory("Radarr")
    default = qbits["default"]
    sample = content.make_sample(
        content_dir,
        "Back.Again.mkv",
        size=256 * 1024,
        trackers=(unregistered_tracker.announce_url,),
    )
    sample.content_path.unlink()
    content.add_torrent(default, sample.torrent_bytes, category="radarr")
    radarr.add_records("default", sample.info_hash, "Back", [41])
    wait_for_tracker(default, sample.info_hash, lambda t: t["msg"] == UNREGISTERED)
    clock = Clock()
    config = movies_config(
        tmp_path,
        default,
        radarr,
        torrent={"StalledDelay": -1, "UnregisteredGrace": 0},
        settings={"TrackerCheckInterval": 1},
    )
    engine = Engine(config, clock=clock)
    try:
        engine.run_cycle()
        assert "strike 1/2" in reason(engine, "default", sample.info_hash)
        unregistered_tracker.mode = "ok"  # the tracker knows it again
        wait_for_tracker(default, sample.info_hash, lambda t: t["status"] == 2, reannounce=True)
        for _ in range(3):
            clock.offset += 601
            engine.run_cycle()
        record = engine.memory.get(("default", sample.info_hash))
    finally:
        engine.close()
    assert record is not None and record.state is not None
    assert record.state.unregistered_strikes == 0 and "tracker says" not in record.reason
    assert sample.info_hash in hashes(default)
    assert radarr.blocklist == []


def test_a_removal_by_hand_of_a_torrent_that_owes_its_tracker_is_kept_until_asked_anyway(
    qbits: dict[str, QbitProcess],
    arr_factory: Callable[..., ArrStandIn],
    tmp_path: Path,
    content_dir: Path,
    good_tracker: LoopbackTracker,
    other_tracker: LoopbackTracker,
) -> None:
    """The operator's removal passes the hit-and-run guard, on the trackers and private
    flag read afresh: the private torrent that owes its tracker is kept and named (with
    what it owes); the one that owes nothing goes; asked again "anyway", the first goes."""
    radarr = arr_factory("Radarr")
    default = qbits["default"]
    owes, free = private_samples(
        content_dir,
        ("Owes.By.Hand", good_tracker.announce_url),  # 127.0.0.1: the first row below
        ("Free.By.Hand", other_tracker.announce_url),  # 127.0.0.2: a row that asks nothing
    )
    content.add_seeding(default, owes, category="radarr")
    content.add_seeding(default, free, category="radarr")
    for sample in (owes, free):
        wait_for_tracker(default, sample.info_hash, lambda t: t["status"] == 2)
    config = movies_config(
        tmp_path,
        default,
        radarr,
        torrent={"IgnoreTorrentsYoungerThan": 0},
        trackers={
            "qBit": [
                {"URI": "127.0.0.1", "HitAndRunMode": "and", "MinSeedRatio": 1.5},
                {"URI": "127.0.0.2", "HitAndRunMode": "and", "MinSeedRatio": 0},
            ]
        },
    )
    keys = (("default", owes.info_hash), ("default", free.info_hash))
    engine = Engine(config, dry_run=False)
    try:
        engine.run_cycle()
        drain(engine)
        engine.handle(ev.ManualAction(keys, ev.ManualKind.REMOVE))
        (held,) = [e for e in drain(engine) if isinstance(e, ev.RemovalHeld)]
        kept = hashes(default)
        engine.handle(ev.ManualAction(held.keys, ev.ManualKind.REMOVE, anyway=True))
        applied = [e for e in drain(engine) if isinstance(e, ev.ActionEvent)]
    finally:
        engine.close()
    assert (held.keys, held.owed) == ((keys[0],), ("HnR: ratio 0.00/1.50",))
    assert kept == {owes.info_hash}
    assert [(e.hash, e.outcome) for e in applied] == [(owes.info_hash, "applied")]
    assert hashes(default) == set()
