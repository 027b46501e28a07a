"""Per-instance deadlines through the fault proxy: an instance that answers its read and then
hangs on the actions holds up only itself; what it was sent is read back, never resent
blindly (issue 14)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.loop import Engine
from qbitrr_tui.sandbox import content
from qbitrr_tui.sandbox.arr_server import ArrStandIn
from qbitrr_tui.sandbox.configs import ArrSpec, sandbox_config
from qbitrr_tui.sandbox.proxy import Fault, Proxy
from qbitrr_tui.sandbox.qbit import QbitProcess
from tests.support.engine import drain

pytestmark = pytest.mark.integration

ACT_BUDGET = 1.0
# A hang costs a cycle the HTTP read timeout (15 s) without the deadline; with it, about
# ActBudget. The bound is far from both, so load on the machine cannot flip the outcome.
WELL_UNDER_A_TIMEOUT = 8.0
DELETE = "POST /api/v2/torrents/delete"


class TwoInstances:
    """``default`` and ``seedbox`` behind proxies, a Radarr stand-in; a stalled magnet each."""

    def __init__(
        self,
        tmp_path: Path,
        qbits: dict[str, QbitProcess],
        radarr: ArrStandIn,
        settings: dict[str, object] | None = None,
    ) -> None:
        self.qbits, self.radarr = qbits, radarr
        self.proxies = {
            name: Proxy(name, f"http://127.0.0.1:{qbits[name].webui_port}").start()
            for name in ("default", "seedbox")
        }
        instances = {
            name: {
                "Host": "127.0.0.1",
                "Port": proxy.port,
                "UserName": qbits[name].username,
                "Password": qbits[name].password,
            }
            for name, proxy in self.proxies.items()
        }
        spec = ArrSpec(
            "Radarr",
            "Movies",
            radarr.url,
            radarr.api_key,
            radarr.category,
            torrent={"StalledDelay": "1s", "IgnoreTorrentsYoungerThan": 0, "ReSearchStalled": True},
        )
        self.data = tmp_path / "data"
        self.config = sandbox_config(
            tmp_path / "c.toml",
            {},
            extra_instances=instances,
            arrs=[spec],
            settings={"ActBudget": ACT_BUDGET, **(settings or {})},
            data_folder=self.data,
        )
        self.magnets = {name: self.stalled(name) for name in ("default", "seedbox")}

    def stalled(self, name: str) -> str:
        qbit = self.qbits[name]
        added = time.time()
        magnet = content.add_magnet(qbit, f"Stalled.On.{name}", category="radarr")
        qbit.wait_for_torrent(magnet, lambda t: t["state"] in ("metaDL", "stalledDL"))
        deadline = time.monotonic() + 30  # 5.x says "disconnected" for a while after start
        while qbit.client().sync_maindata()["server_state"].get("connection_status") == (
            "disconnected"
        ):
            assert time.monotonic() < deadline, "qBittorrent stayed disconnected"
            time.sleep(0.5)
        time.sleep(max(0.0, added + 2.0 - time.time()))  # stalled longer than StalledDelay
        self.radarr.add_records(
            name, magnet, f"Stalled.On.{name}", [51 if name == "default" else 52]
        )
        return magnet

    def there(self, name: str) -> bool:
        return bool(self.qbits[name].torrents(torrent_hashes=self.magnets[name]))

    def journal(self) -> list[tuple[str, str, str]]:
        with sqlite3.connect(self.data / "qbitrr.db") as conn:
            return conn.execute(
                "SELECT Instance, Kind, State FROM ActionJournal ORDER BY Id"
            ).fetchall()

    def close(self) -> None:
        for proxy in self.proxies.values():
            proxy.stop()


@pytest.fixture
def two(
    qbits: dict[str, QbitProcess], arr_factory: Callable[..., ArrStandIn], tmp_path: Path
) -> Iterator[TwoInstances]:
    made = TwoInstances(tmp_path, qbits, arr_factory("Radarr"))
    yield made
    made.close()


def test_an_instance_that_hangs_after_its_read_holds_up_only_itself(two: TwoInstances) -> None:
    """Read fine, then every delete sent to ``seedbox`` hangs (as a SIGSTOP would)."""
    two.proxies["seedbox"].inject(Fault("hang", match=DELETE, times=-1))
    engine = Engine(two.config)
    try:
        first = engine.run_cycle()
        assert not two.there("default")  # the healthy one acted on, within its deadline
        assert two.there("seedbox")
        assert ("seedbox", "delete", "unknown") in two.journal()  # sent, answer not come

        hung = [engine.run_cycle() for _ in range(2)]  # seedbox's delete still hanging
        assert two.proxies["seedbox"].count(DELETE) == 0  # it never got through …
        assert len(two.proxies["seedbox"].injected) == 1  # … and was not sent again
        assert all(f.requests_per_instance["default"] for f in hung)  # read every cycle

        two.proxies["seedbox"].release()  # the hung request ends in a reset: not done
        deadline = time.monotonic() + 30
        while two.there("seedbox") and time.monotonic() < deadline:
            engine.run_cycle()
            time.sleep(0.3)
        events = drain(engine)
    finally:
        engine.close()
    assert max(f.duration for f in [first, *hung]) < WELL_UNDER_A_TIMEOUT
    assert not two.there("seedbox")  # read back as still there, then sent again
    assert two.proxies["seedbox"].count(DELETE) == 1
    assert sorted(b["sourceTitle"] for b in two.radarr.blocklist) == [
        "Stalled.On.default",
        "Stalled.On.seedbox",
    ]
    assert {state for _, _, state in two.journal()} == {"confirmed"}
    late = [e for e in events if isinstance(e, ev.ActionEvent) and e.instance == "seedbox"]
    assert ("delete", "failed") in [(e.action.kind.value, e.outcome) for e in late]


def test_a_late_answer_is_collected_next_cycle_and_nothing_is_sent_twice(
    two: TwoInstances,
) -> None:
    """``seedbox`` carries out the delete, but answers after the cycle's deadline."""
    two.proxies["seedbox"].inject(Fault("delay", match=DELETE, seconds=3 * ACT_BUDGET))
    engine = Engine(two.config)
    try:
        engine.run_cycle()
        assert not two.there("default")
        deadline = time.monotonic() + 30
        while ("seedbox", "delete", "confirmed") not in two.journal():
            assert time.monotonic() < deadline, two.journal()
            time.sleep(0.3)
        engine.run_cycle()  # collects the late outcome
        engine.run_cycle()
        events = drain(engine)
    finally:
        engine.close()
    assert not two.there("seedbox")
    assert two.proxies["seedbox"].count(DELETE) == 1
    applied = [
        e.action.kind.value
        for e in events
        if isinstance(e, ev.ActionEvent) and e.instance == "seedbox" and e.outcome == "applied"
    ]
    assert applied.count("delete") == 1  # told once, when it came
    assert {state for _, _, state in two.journal()} == {"confirmed"}


def test_a_first_read_that_lands_late_starts_the_next_cycle_at_once(
    qbits: dict[str, QbitProcess], arr_factory: Callable[..., ArrStandIn], tmp_path: Path
) -> None:
    """``seedbox``'s first whole answer comes after InstanceReadBudget: the cycle goes on
    without it, and when it lands the next cycle starts then (its stalled download is
    removed), not a LoopSleepTimer of 60 s later, while its panel says "connecting"."""
    two = TwoInstances(
        tmp_path,
        qbits,
        arr_factory("Radarr"),
        settings={"InstanceReadBudget": 1, "LoopSleepTimer": 60},
    )
    read = r"^GET /api/v2/(sync/maindata|torrents/info)"
    two.proxies["seedbox"].inject(Fault("delay", match=read, seconds=4))
    engine = Engine(two.config)
    engine.start()
    try:
        deadline = time.monotonic() + 25  # far under the 60 s a second cycle waited
        while two.there("seedbox"):
            assert time.monotonic() < deadline, "seedbox was not read until LoopSleepTimer"
            time.sleep(0.3)
        assert not two.there("default")
        cycles = [e for e in drain(engine) if isinstance(e, ev.CycleFinished)]
    finally:
        engine.stop()
        two.close()
    assert len(cycles) >= 2  # the first without seedbox, the next when its read landed
