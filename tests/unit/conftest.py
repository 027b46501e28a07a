"""Fixtures shared by the decider's unit tests."""

from __future__ import annotations

from typing import Any

import pytest

from qbitrr_tui.engine import decider as decider_module
from qbitrr_tui.engine import policy
from qbitrr_tui.qbit.snapshot import TorrentSnapshot
from tests.unit.decider_rig import cycle

__all__ = ["cycle", "decided"]


@pytest.fixture
def decided(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The hashes decide() was called for."""
    calls: list[str] = []
    real = policy.decide

    def counting(torrent: TorrentSnapshot, *args: Any) -> Any:
        calls.append(torrent.hash)
        return real(torrent, *args)

    monkeypatch.setattr(decider_module, "decide", counting)
    return calls
