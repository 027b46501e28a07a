"""The adapter picks each call's shape from the instance's Web API version (no network)."""

from __future__ import annotations

from typing import Any

import pytest

from qbitrr_tui.qbit.adapter import InstanceAdapter, known_api
from qbitrr_tui.qbit.webapi import WebApiClient


class RecordingClient(WebApiClient):
    """Records what would be sent instead of sending it."""

    def __init__(self) -> None:
        super().__init__("rec", "http://127.0.0.1:9", "admin", "x")
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def post(self, endpoint: str, data: Any = None) -> None:
        self.sent.append((endpoint, dict(data or {})))

    def get_json(self, endpoint: str, **params: Any) -> Any:
        self.sent.append((endpoint, params))
        return []

    def get_text(self, endpoint: str, **params: Any) -> str:
        self.sent.append((endpoint, params))
        return "123456"


def adapter(api: str) -> tuple[InstanceAdapter, RecordingClient]:
    client = RecordingClient()
    return InstanceAdapter(client, "v?", api), client


@pytest.mark.parametrize(
    ("api", "pause", "resume", "stopped_filter"),
    [
        ("2.8.19", "torrents/pause", "torrents/resume", "paused"),
        ("2.11.4", "torrents/stop", "torrents/start", "stopped"),
        ("2.16.2", "torrents/stop", "torrents/start", "stopped"),
    ],
)
def test_names_follow_the_version(api: str, pause: str, resume: str, stopped_filter: str) -> None:
    a, client = adapter(api)
    a.pause(["h1", "h2"])
    a.resume(["h1"])
    a.torrents_info(filter="stopped")
    a.torrents_info(filter="running")
    assert client.sent[0] == (pause, {"hashes": "h1|h2"})
    assert client.sent[1] == (resume, {"hashes": "h1"})
    assert client.sent[2] == ("torrents/info", {"filter": stopped_filter})
    assert client.sent[3][1]["filter"] == ("resumed" if stopped_filter == "paused" else "running")


def test_an_unknown_filter_is_never_sent() -> None:
    a, client = adapter("2.11.4")
    with pytest.raises(ValueError, match="unknown torrents/info filter"):
        a.torrents_info(filter="pausedDL")
    assert client.sent == []


@pytest.mark.parametrize(
    ("api", "extra"),
    [
        ("2.8.19", {}),
        ("2.11.4", {}),
        ("2.12.0", {"shareLimitAction": "Default"}),
        ("2.15.3", {"shareLimitAction": "Default", "shareLimitsMode": "Default"}),
    ],
)
def test_share_limits_carry_what_each_version_requires(api: str, extra: dict[str, str]) -> None:
    a, client = adapter(api)
    a.set_share_limits(["h"], 2.0, 60)
    endpoint, data = client.sent[0]
    assert endpoint == "torrents/setShareLimits"
    assert {k: data[k] for k in ("ratioLimit", "seedingTimeLimit")} == {
        "ratioLimit": "2.0",
        "seedingTimeLimit": "60",
    }
    assert {k: v for k, v in data.items() if k.startswith("share")} == extra


def test_free_space_at_a_path_only_where_the_instance_has_it() -> None:
    old, old_client = adapter("2.11.4")
    new, new_client = adapter("2.15.2")
    assert old.free_space_at("/data") is None and old_client.sent == []
    assert new.free_space_at("/data") == 123456
    assert new_client.sent == [("app/getFreeSpaceAtPath", {"path": "/data"})]


@pytest.mark.parametrize(
    ("api", "known"),
    [("2.8.19", True), ("2.11.4", True), ("2.16.2", True), ("2.17.0", False), ("2.7", False)],
)
def test_versions_the_engine_was_checked_against(api: str, known: bool) -> None:
    assert known_api(api) is known
