"""Shared fixtures: one set of real qbittorrent-nox instances for the whole test session.

Starting qBittorrent costs little, but sharing keeps the suite fast on a 2-core machine;
every integration test leaves the shared instances empty (no torrents, categories or tags).
Tests that kill or restart an instance ask for a private one (``private_instance``).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from qbitrr_tui.config.model import ArrConfig
from qbitrr_tui.sandbox.arr_server import ArrStandIn
from qbitrr_tui.sandbox.qbit import QbitProcess, Sandbox

SHARED_NAMES = ("default", "seedbox", "cloud")


def _require_qbittorrent() -> None:
    if shutil.which("qbittorrent-nox") is None:
        # Never a skip: the integration tests are the point. `make test` installs it.
        pytest.fail(
            "qbittorrent-nox is not installed: sudo apt-get install -y qbittorrent-nox "
            "(or run `make test`, which installs it)",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    _require_qbittorrent()
    with Sandbox(tmp_path_factory.mktemp("sandbox")) as sb:
        sb.start_instances(*SHARED_NAMES)
        yield sb


def _empty(inst: QbitProcess) -> None:
    if not inst.running:
        inst.start()
    client = inst.client()
    hashes = [t["hash"] for t in client.torrents_info()]
    if hashes:
        client.torrents_delete(delete_files=True, torrent_hashes=hashes)
    categories = list(client.torrents_categories())
    if categories:
        client.torrents_remove_categories(categories=categories)
    tags = list(client.torrents_tags())
    if tags:
        client.torrents_delete_tags(tags=tags)


@pytest.fixture
def qbits(sandbox: Sandbox) -> Iterator[dict[str, QbitProcess]]:
    """The shared instances by name, emptied after the test."""
    yield sandbox.instances
    for inst in sandbox.instances.values():
        _empty(inst)


@pytest.fixture
def private_instance(tmp_path: Path) -> Iterator[QbitProcess]:
    """An instance of this test's own, for tests that kill, restart or re-password it."""
    _require_qbittorrent()
    with Sandbox(tmp_path / "private") as sb:
        yield sb.start_instance("private")


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    path = tmp_path / "content"
    path.mkdir()
    return path


@pytest.fixture
def arr_factory(
    qbits: dict[str, QbitProcess], tmp_path: Path
) -> Iterator[Callable[..., ArrStandIn]]:
    """Start Arr stand-ins wired to the shared instances; all stopped after the test."""
    started: list[ArrStandIn] = []

    def make(
        kind: str = "Radarr",
        *,
        api_key: str = "test-api-key-0123",
        category: str = "",
        command_delay: float = 0.05,
    ) -> ArrStandIn:
        arr = ArrStandIn(
            kind,
            api_key=api_key,
            qbits=qbits,
            library=tmp_path / f"lib-{kind}",
            category=category or kind.lower(),
            command_delay=command_delay,
        )
        started.append(arr.start())
        return arr

    yield make
    for arr in started:
        arr.stop()


def arr_config(arr: ArrStandIn, *, name: str = "", api_key: str | None = None) -> ArrConfig:
    return ArrConfig(
        kind=arr.kind_name,
        name=name or f"{arr.kind_name}-Test",
        uri=arr.url,
        api_key=arr.api_key if api_key is None else api_key,
        category=arr.category,
    )
