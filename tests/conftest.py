"""Shared fixtures: one set of real qbittorrent-nox instances per qBittorrent release.

Every test that uses the sandbox runs once per release of the version matrix
(``qbitrr_tui.sandbox.versions.MATRIX``: 4.5, 5.1 and 5.3); pytest groups the tests by
release, so one set of instances runs at a time. ``QBITRR_TUI_TEST_VERSIONS=5.3`` narrows a
local run. In CI a release that is missing fails the run (``make test`` builds them all);
elsewhere it is skipped with the command that adds it.

Starting qBittorrent costs little, but sharing keeps the suite fast on a 2-core machine;
every integration test leaves the shared instances empty (no torrents, categories or tags).
Tests that kill or restart an instance ask for a private one (``private_instance``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from qbitrr_tui.config.model import ArrConfig
from qbitrr_tui.sandbox import versions
from qbitrr_tui.sandbox.arr_server import ArrStandIn
from qbitrr_tui.sandbox.qbit import QbitProcess, Sandbox
from tests.support.testbed import Testbed

SHARED_NAMES = ("default", "seedbox", "cloud")


def _matrix() -> list[str]:
    chosen = os.environ.get("QBITRR_TUI_TEST_VERSIONS", "")
    return [s.strip() for s in chosen.split(",") if s.strip()] or list(versions.MATRIX)


@pytest.fixture(scope="session", params=_matrix(), ids=lambda s: f"qbt{s}")
def qbittorrent_release(request: pytest.FixtureRequest) -> versions.Binary:
    """The qbittorrent-nox of one release of the matrix, and its exact version."""
    series = str(request.param)
    found = versions.available().get(series)
    if found is None:
        message = (
            f"qBittorrent {series} is not available: run `make qbittorrent-versions` as root "
            "(`make test` does)"
        )
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)  # never a skip in CI: the matrix is the point
        pytest.skip(message)
    return found


@pytest.fixture(scope="session")
def qbittorrent_binary(qbittorrent_release: versions.Binary) -> str:
    return qbittorrent_release.path


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory, qbittorrent_binary: str) -> Iterator[Sandbox]:
    with Sandbox(tmp_path_factory.mktemp("sandbox"), binary=qbittorrent_binary) as sb:
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
def private_instance(tmp_path: Path, qbittorrent_binary: str) -> Iterator[QbitProcess]:
    """An instance of this test's own, for tests that kill, restart or re-password it."""
    with Sandbox(tmp_path / "private", binary=qbittorrent_binary) as sb:
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


@pytest.fixture
def testbed(
    qbits: dict[str, QbitProcess],
    arr_factory: Callable[..., ArrStandIn],
    tmp_path: Path,
    content_dir: Path,
) -> Testbed:
    """This test's share of the sandbox: instances, Arr stand-ins, folders (tests/support)."""
    return Testbed(qbits, arr_factory, tmp_path, content_dir)


def arr_config(arr: ArrStandIn, *, name: str = "", api_key: str | None = None) -> ArrConfig:
    return ArrConfig(
        kind=arr.kind_name,
        name=name or f"{arr.kind_name}-Test",
        uri=arr.url,
        api_key=arr.api_key if api_key is None else api_key,
        category=arr.category,
    )


@pytest.fixture(autouse=True)
def _package_logger_as_pytest_found_it() -> Iterator[None]:
    """A test that runs the CLI calls setup_logging(), which stops the package logger from
    propagating (and can leave it writing to a closed capture): later tests' caplog would
    then see nothing. Put it back after each test."""
    import logging

    from qbitrr_tui.logs import LOGGER_NAME

    logger = logging.getLogger(LOGGER_NAME)
    handlers, level, propagate = list(logger.handlers), logger.level, logger.propagate
    yield
    for handler in list(logger.handlers):
        if handler not in handlers:
            logger.removeHandler(handler)
            handler.close()
    logger.setLevel(level)
    logger.propagate = propagate
