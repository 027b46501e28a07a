"""The operator's requests under a hung peer: a torrent's details and an action by hand
hold up the engine thread (and every other instance's cycle) no longer than their budgets,
say what did not answer, and an action whose answer comes late is still told, once."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from qbitrr_tui.engine import events as ev
from qbitrr_tui.sandbox.proxy import Fault
from tests.integration.test_faults import Rig, outcomes, rig, stalled_magnet
from tests.support.engine import drain

pytestmark = pytest.mark.integration
__all__ = ["rig"]  # the fixture, shared with the fault tests

# Dry-run, so that the cycles leave the stalled magnets alone; the actions by hand are
# sent with it switched off for a moment.
BUDGETS = {"InstanceReadBudget": 1, "ArrReadBudget": 1, "ActBudget": 1, "DryRun": True}


def timed(call: Callable[[], object]) -> float:
    start = time.monotonic()
    call()
    return time.monotonic() - start


def test_details_of_a_torrent_on_a_hung_instance_and_arr_come_back_within_budget(
    rig: Rig,
) -> None:
    magnet = stalled_magnet(rig, "Hung.Details.1")
    key = ("default", magnet)
    engine = rig.engine(BUDGETS)
    try:
        engine.run_cycle()
        drain(engine)
        rig.qbit_proxy.inject(Fault("hang", match="GET /api/v2/torrents/properties", times=-1))
        rig.arr_proxy.inject(Fault("hang", match="GET /api/v3/queue", times=-1))
        took = timed(lambda: engine.handle(ev.RequestDetails(key)))
        (details,) = [e for e in drain(engine) if isinstance(e, ev.TorrentDetails)]
        rig.qbit_proxy.release()
        rig.arr_proxy.release()
        cycle = engine.run_cycle()  # the engine is not left waiting on the hung reads
    finally:
        rig.qbit_proxy.release()
        rig.arr_proxy.release()
        engine.close()
    assert took < 3.0  # not the 15 s (qBittorrent) or 30 s (Arr) of a read timeout
    assert details.error == "qBittorrent 'default': no answer within 1s"
    assert dict(details.general)["Name"] == "Hung.Details.1"  # from what the engine knows
    assert dict(details.arr)["Queue"] == "not read: no answer within 1s"
    assert details.decision  # the decision is the engine's own: always there
    assert cycle.torrents == 1


def test_an_action_by_hand_on_a_hung_instance_is_told_late_and_once(rig: Rig) -> None:
    magnet = stalled_magnet(rig, "Hung.Action.1")
    key = ("default", magnet)
    engine = rig.engine(BUDGETS)
    try:
        engine.run_cycle()
        engine.handle(ev.SetDryRun(False))
        drain(engine)
        rig.qbit_proxy.inject(Fault("hang", match="POST /api/v2/torrents/reannounce", seconds=4))
        took = timed(lambda: engine.handle(ev.ManualAction((key,), ev.ManualKind.REANNOUNCE)))
        engine.handle(ev.SetDryRun(True))
        at_once = outcomes(drain(engine))
        time.sleep(4.5)  # the hang ends (the proxy resets the connection): the step fails
        engine.run_cycle()
        late = [e for e in drain(engine) if isinstance(e, ev.ActionEvent) and e.rule == "manual"]
    finally:
        rig.qbit_proxy.release()
        engine.close()
    assert took < 3.0
    assert at_once == []  # nothing to say yet: it is still being sent
    assert [(e.action.kind.value, e.outcome, e.rule) for e in late] == [
        ("reannounce", "failed", "manual")
    ]


def test_a_blocklisting_by_hand_when_the_arr_hangs_is_refused_within_budget(rig: Rig) -> None:
    first = stalled_magnet(rig, "Hung.Queue.1")
    second = stalled_magnet(rig, "Hung.Queue.2")
    keys = (("default", first), ("default", second))
    engine = rig.engine(BUDGETS)
    try:
        engine.run_cycle()
        engine.handle(ev.SetDryRun(False))
        drain(engine)
        rig.arr_proxy.inject(Fault("hang", match="GET /api/v3/queue", times=-1))
        took = timed(lambda: engine.handle(ev.ManualAction(keys, ev.ManualKind.BLOCKLIST_SEARCH)))
        engine.handle(ev.SetDryRun(True))
        refused = [e for e in drain(engine) if isinstance(e, ev.ActionEvent)]
    finally:
        rig.arr_proxy.release()
        engine.close()
    assert took < 3.0  # the queue is read once for both, and waited for 1 s
    assert [(e.action.kind.value, e.outcome) for e in refused] == [("blocklist", "failed")] * 2
    assert all(
        "Radarr-Movies's queue was not read: no answer within 1s" in e.error for e in refused
    )
    assert rig.qbit.torrents(torrent_hashes=first)  # nothing deleted
    assert rig.radarr.blocklist == []
