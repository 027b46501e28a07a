"""Shared fixtures: one set of real qbittorrent-nox instances for the whole test session.

Starting qBittorrent costs little, but sharing keeps the suite fast on a 2-core machine;
every integration test leaves the shared instances empty (no torrents, categories or tags).
Tests that kill or restart an instance ask for a private one (``private_instance``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

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
