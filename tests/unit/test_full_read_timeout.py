"""A full sync/maindata answer may take qBittorrent longer than the usual read timeout to
build (tens of thousands of torrents): it gets the longer wait, and nothing else does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qbitrr_tui.qbit import webapi
from qbitrr_tui.qbit.adapter import InstanceAdapter
from qbitrr_tui.qbit.webapi import QbitUnreachable, WebApiClient
from qbitrr_tui.sandbox.proxy import Fault, Proxy
from tests.unit.test_fault_proxy import Server

SLOW = 1.0  # how long the "instance" takes to start answering


@pytest.fixture
def adapter() -> Iterator[tuple[InstanceAdapter, Proxy]]:
    server = Server()
    proxy = Proxy("slow", server.url).start()
    client = WebApiClient("slow", proxy.url, "", "", api_key="key", timeout=(3.05, SLOW / 4))
    client.full_read_timeout = SLOW * 4
    yield InstanceAdapter(client, "v5.1.0", "2.11.4"), proxy
    proxy.stop()
    server.httpd.shutdown()
    server.httpd.server_close()


def test_a_full_answer_gets_the_longer_wait(adapter: tuple[InstanceAdapter, Proxy]) -> None:
    qbit, proxy = adapter
    proxy.inject(Fault("delay", match=r"sync/maindata\?rid=0", seconds=SLOW))
    assert qbit.maindata(0)["ok"] is True


def test_a_delta_keeps_the_usual_wait(adapter: tuple[InstanceAdapter, Proxy]) -> None:
    qbit, proxy = adapter
    proxy.inject(Fault("delay", match=r"sync/maindata\?rid=7", seconds=SLOW))
    with pytest.raises(QbitUnreachable, match="timed out"):
        qbit.maindata(7)


def test_a_stalled_full_answer_elsewhere_holds_this_one_up_only_briefly(
    adapter: tuple[InstanceAdapter, Proxy], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Full answers are read one at a time (memory), but another instance's body that
    stalls (its turn held) must not keep this instance waiting past LARGE_ANSWER_WAIT."""
    qbit, _ = adapter
    monkeypatch.setattr(webapi, "LARGE_ANSWER_WAIT", 0.3)
    assert webapi._ONE_LARGE_ANSWER.acquire(timeout=1)  # a read elsewhere, stalled mid-body
    try:
        assert qbit.maindata(0)["ok"] is True
    finally:
        webapi._ONE_LARGE_ANSWER.release()
    assert qbit.maindata(0)["ok"] is True  # and the turn is free again afterwards
