"""For integration tests: one test's share of the sandbox (``Testbed``: the shared
instances, Arr stand-ins, its own folders), the config over them, the engine over that
config, a clock a test can move forward, and a torrent seeding on an instance.

The set-up most engine tests share, in one place, so that each test shows only what it is
about::

    def test_imports_once(testbed: Testbed) -> None:
        radarr = testbed.arr("Radarr")
        sample = testbed.seeding("default", "Done.Movie.mkv", category="radarr")
        with testbed.engine("default", arrs=[radarr]) as engine:
            engine.run_cycle()

The functions below serve tests that build from other parts (a private instance, a command
line): the config is written to ``config_path(tmp_path)`` and read back through the real
loader; the engine's data (its database) lives in ``tmp_path / "data"``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from qbitrr_tui.config import Config
from qbitrr_tui.engine.loop import Engine
from qbitrr_tui.sandbox import content
from qbitrr_tui.sandbox.arr_server import ArrStandIn
from qbitrr_tui.sandbox.configs import ArrSpec, sandbox_config, sandbox_config_text
from qbitrr_tui.sandbox.qbit import QbitProcess

# The states of a complete torrent that is seeding (no longer checking its pieces).
SEEDING = ("uploading", "stalledUP")

Arr = ArrStandIn | ArrSpec  # a stand-in as it is (section "<Kind>-Test"), or a spec of it


def arr_spec(
    arr: ArrStandIn,
    *,
    name: str = "Test",
    settings: Mapping[str, object] | None = None,
    torrent: Mapping[str, object] | None = None,
    seeding: Mapping[str, object] | None = None,
) -> ArrSpec:
    """The config section ``[<Kind>-<name>]`` that points at the stand-in ``arr``."""
    return ArrSpec(
        arr.kind_name,
        name,
        arr.url,
        arr.api_key,
        arr.category,
        settings=settings or {},
        torrent=torrent or {},
        seeding=seeding or {},
    )


def config_path(tmp_path: Path) -> Path:
    """Where ``write_config`` and ``engine_config`` put the config file."""
    return tmp_path / "config.toml"


def _specs(arrs: Sequence[Arr]) -> list[ArrSpec]:
    return [arr_spec(a) if isinstance(a, ArrStandIn) else a for a in arrs]


def write_config(
    tmp_path: Path,
    instances: Mapping[str, QbitProcess],
    *,
    arrs: Sequence[Arr] = (),
    settings: Mapping[str, object] | None = None,
    extra: str = "",
) -> Path:
    """Write the config for ``instances`` (config name → process) and ``arrs``, with ``extra``
    TOML after it (a ``[WebAPI]`` section, say), for a command line to read."""
    path = config_path(tmp_path)
    path.write_text(
        sandbox_config_text(
            instances, arrs=_specs(arrs), settings=settings, data_folder=tmp_path / "data"
        )
        + extra
    )
    return path


def engine_config(
    tmp_path: Path,
    instances: Mapping[str, QbitProcess],
    *,
    arrs: Sequence[Arr] = (),
    settings: Mapping[str, object] | None = None,
    trackers: Mapping[str, Sequence[Mapping[str, object]]] | None = None,
) -> Config:
    """Write the config for ``instances`` and ``arrs`` (and ``trackers`` rows by qBit section)
    and load it with the real loader."""
    return sandbox_config(
        config_path(tmp_path),
        instances,
        arrs=_specs(arrs),
        settings=settings,
        data_folder=tmp_path / "data",
        trackers=trackers,
    )


def sandbox_engine(
    tmp_path: Path,
    instances: Mapping[str, QbitProcess],
    *,
    arrs: Sequence[Arr] = (),
    settings: Mapping[str, object] | None = None,
    clock: Callable[[], float] = time.time,
    dry_run: bool | None = None,
) -> closing[Engine]:
    """An engine over ``engine_config(...)``, closed when the ``with`` block ends; cycles
    run only when the test calls ``engine.run_cycle()``."""
    config = engine_config(tmp_path, instances, arrs=arrs, settings=settings)
    return closing(Engine(config, clock=clock, dry_run=dry_run))


@contextmanager
def engine_thread(config: Config) -> Iterator[Engine]:
    """The engine running on its own thread, as the dashboard runs it; stopped at the end."""
    engine = Engine(config)
    engine.start()
    try:
        yield engine
    finally:
        engine.stop()


class Clock:
    """Real time plus an offset a test can move forward (past a grace or a back-off)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


def seeding(
    proc: QbitProcess,
    folder: Path,
    name: str,
    *,
    category: str,
    size: int = 32 * 1024,
    files: dict[str, int] | None = None,
) -> content.Sample:
    """A sample (one file of ``size`` bytes, or ``files``) complete and seeding on ``proc``."""
    sample = content.make_sample(folder, name, files, size=size)
    content.add_seeding(proc, sample, category=category)
    proc.wait_for_torrent(sample.info_hash, lambda t: t["progress"] == 1 and t["state"] in SEEDING)
    return sample


@dataclass(frozen=True)
class Testbed:
    """One test's share of the sandbox: the shared instances (emptied after the test), Arr
    stand-ins wired to them (stopped after it), and its own folders. The ``testbed`` fixture
    (tests/conftest.py) makes one."""

    __test__ = False  # a helper, though its name starts with "Test"

    qbits: Mapping[str, QbitProcess]
    make_arr: Callable[..., ArrStandIn]
    tmp_path: Path
    content_dir: Path

    @property
    def config_file(self) -> Path:
        """The config file ``config``, ``write_config`` and ``engine`` write."""
        return config_path(self.tmp_path)

    @property
    def database(self) -> Path:
        """The engine's database, in the data folder of the configs this testbed writes."""
        return self.tmp_path / "data" / "qbitrr.db"

    def arr(self, kind: str = "Radarr", **options: object) -> ArrStandIn:
        """A started Arr stand-in of ``kind`` (options as the ``arr_factory`` fixture's)."""
        return self.make_arr(kind, **options)

    def instances(self, *names: str) -> dict[str, QbitProcess]:
        """The shared instances ``names`` (config name → process), in that order."""
        return {name: self.qbits[name] for name in names}

    def config(
        self,
        *names: str,
        arrs: Sequence[Arr] = (),
        settings: Mapping[str, object] | None = None,
    ) -> Config:
        """``engine_config`` over the shared instances ``names``."""
        return engine_config(self.tmp_path, self.instances(*names), arrs=arrs, settings=settings)

    def write_config(
        self,
        *names: str,
        arrs: Sequence[Arr] = (),
        settings: Mapping[str, object] | None = None,
        extra: str = "",
    ) -> Path:
        """``write_config`` over the shared instances ``names``, for a command line."""
        return write_config(
            self.tmp_path, self.instances(*names), arrs=arrs, settings=settings, extra=extra
        )

    def engine(
        self,
        *names: str,
        arrs: Sequence[Arr] = (),
        settings: Mapping[str, object] | None = None,
        clock: Callable[[], float] = time.time,
        dry_run: bool | None = None,
    ) -> closing[Engine]:
        """``sandbox_engine`` over the shared instances ``names``."""
        return sandbox_engine(
            self.tmp_path,
            self.instances(*names),
            arrs=arrs,
            settings=settings,
            clock=clock,
            dry_run=dry_run,
        )

    def seeding(
        self,
        instance: str | QbitProcess,
        name: str,
        *,
        category: str,
        folder: str = "",
        size: int = 32 * 1024,
        files: dict[str, int] | None = None,
    ) -> content.Sample:
        """``seeding`` on a shared instance (by name) or on ``instance``, from
        ``content_dir / folder``."""
        proc = self.qbits[instance] if isinstance(instance, str) else instance
        return seeding(
            proc, self.content_dir / folder, name, category=category, size=size, files=files
        )
