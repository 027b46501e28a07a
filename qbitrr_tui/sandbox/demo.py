"""The demo scenario: real qbittorrent-nox instances and Arr stand-ins with torrents in every
interesting state, and a config pointing at them. Used by `qbitrr-tui demo`, the screenshots
and the end-to-end dashboard test.

Instances: ``default`` (home), ``seedbox``, ``vpn``, plus ``offsite`` (configured, but
nothing listens: it shows as down) and ``cloud`` (disabled). Torrents: seeding and imported,
downloading slowly from another instance, one completing a few seconds in (so an import
happens live), a magnet stuck in metaDL, a stalled download, an errored one, an ignored one,
one with a sample and an .exe to skip, and some outside the managed categories.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qbitrr_tui.sandbox import content
from qbitrr_tui.sandbox.arr_server import ArrStandIn
from qbitrr_tui.sandbox.configs import ArrSpec, sandbox_config_text
from qbitrr_tui.sandbox.qbit import Sandbox, free_port
from qbitrr_tui.sandbox.versions import available, binary_for

RADARR_KEY = "demo-radarr-0123456789abcdef"
SONARR_KEY = "demo-sonarr-0123456789abcdef"
MIB = 1024 * 1024


@dataclass
class Demo:
    root: Path
    sandbox: Sandbox
    arrs: list[ArrStandIn]
    config_path: Path
    completing: str = ""  # the info hash of the torrent that completes during the demo
    hashes: dict[str, str] = field(default_factory=dict)
    _own_root: bool = True

    def stop(self) -> None:
        for arr in self.arrs:
            arr.stop()
        self.sandbox.stop()
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)


def mixed_fleet() -> list[str]:
    """Every release that can run here (`make qbittorrent-versions` builds the tested ones):
    the demo's instances take them in turn, as many users run a mixed fleet."""
    return sorted(available())


def start_demo(
    root: Path | None = None,
    *,
    dry_run: bool = False,
    loop_sleep: float = 3.0,
    versions: Sequence[str] = (),
) -> Demo:
    """The demo fleet; ``versions`` ("4.5", "5.3", …) gives each instance its qBittorrent
    release in turn, so one demo can show a mixed fleet, as many users really run."""
    binaries = [binary_for(series) for series in versions]  # a clear error before starting
    own = root is None
    root = root or Path(tempfile.mkdtemp(prefix="qbitrr-demo-"))
    sandbox = Sandbox(root / "sandbox")
    arrs: list[ArrStandIn] = []
    try:
        home, seedbox, vpn = (
            sandbox.start_instance(name, binary=binaries[i % len(binaries)] if binaries else None)
            for i, name in enumerate(("default", "seedbox", "vpn"))
        )
        radarr = ArrStandIn(
            "Radarr",
            api_key=RADARR_KEY,
            qbits=sandbox.instances,
            library=root / "library" / "movies",
            category="radarr",
        ).start()
        sonarr = ArrStandIn(
            "Sonarr",
            api_key=SONARR_KEY,
            qbits=sandbox.instances,
            library=root / "library" / "tv",
            category="sonarr",
        ).start()
        arrs += [radarr, sonarr]
        demo = Demo(root, sandbox, arrs, root / "config.toml", _own_root=own)
        _populate(demo, radarr, sonarr)
        settings: dict[str, object] = {
            "LoopSleepTimer": loop_sleep,
            "IgnoreTorrentsYoungerThan": 30,
            "ImportSettleTime": 5,
            "DryRun": dry_run,
            "MaxDeletionsPerCycle": 5,
            "FullRefreshInterval": 60,
            "RecycleBin": True,  # as in the starter config; the data moves to the bin
            "RecycleBinMoveData": True,
        }
        torrent = {"StalledDelay": "15m", "MaximumETA": "2h", "IgnoreTorrentsYoungerThan": 30}
        text = sandbox_config_text(
            {"default": home, "seedbox": seedbox, "vpn": vpn},
            arrs=[
                ArrSpec(
                    "Radarr",
                    "Movies",
                    radarr.url,
                    RADARR_KEY,
                    "radarr",
                    torrent=torrent,
                    seeding={"MaxUploadRatio": 2.0, "RemoveTorrent": -1},
                ),
                ArrSpec("Sonarr", "TV", sonarr.url, SONARR_KEY, "sonarr", torrent=torrent),
            ],
            settings=settings,
            data_folder=root / "data",
            extra_instances={
                "offsite": {"Host": "127.0.0.1", "Port": free_port()},
                "cloud": {"Host": "127.0.0.1", "Port": 9, "Disabled": True},
            },
        )
        demo.config_path.write_text(text)
        demo.config_path.chmod(0o600)
        return demo
    except BaseException:
        for arr in arrs:
            arr.stop()
        sandbox.stop()
        if own:
            shutil.rmtree(root, ignore_errors=True)
        raise


def _populate(demo: Demo, radarr: ArrStandIn, sonarr: ArrStandIn) -> None:
    home, seedbox, vpn = (demo.sandbox.instances[n] for n in ("default", "seedbox", "vpn"))
    media = demo.root / "media"
    ids = iter(range(100, 10_000))

    def seed(
        inst_name: str,
        arr: ArrStandIn | None,
        name: str,
        size: int,
        *,
        files: dict[str, int] | None = None,
        tags: tuple[str, ...] = (),
        category: str | None = None,
    ) -> content.Sample:
        inst = demo.sandbox.instances[inst_name]
        sample = content.make_sample(
            media / inst_name, name, files, size=size, piece_size=64 * 1024
        )
        cat = category if category is not None else (arr.category if arr else "")
        content.add_seeding(inst, sample, category=cat, tags=tags)
        if arr is not None:
            arr.add_records(inst_name, sample.info_hash, name, [next(ids)])
        demo.hashes[name] = sample.info_hash
        return sample

    # Complete and seeding: some imported already, some imported on the first cycle.
    seed(
        "default", radarr, "Night.of.the.Living.Dead.1968.720p.mkv", MIB, tags=("qBitrr-imported",)
    )
    seed("default", radarr, "Elephants.Dream.2006.720p.mkv", MIB)
    seed("seedbox", sonarr, "Pioneer.One.S01E01.720p.mkv", MIB, tags=("qBitrr-imported",))
    seed("seedbox", sonarr, "Pioneer.One.S01E02.720p.mkv", MIB)
    seed("seedbox", None, "debian-12.5.0-amd64-netinst.iso", 2 * MIB, category="linux-isos")
    seed("vpn", radarr, "Caminandes.Llamigos.2016.1080p.mkv", MIB, tags=("qBitrr-imported",))
    seed("default", None, "Holiday.Photos.2024", 0, files={"img_001.jpg": 200_000}, category="")

    # Downloading slowly from another instance (keeps moving for minutes).
    big = seed("seedbox", None, "Big.Buck.Bunny.2008.1080p.mkv", 24 * MIB, category="")
    radarr.grab(
        "default",
        title=big.name,
        info_hash=big.info_hash,
        torrent_bytes=big.torrent_bytes,
        media_ids=[next(ids)],
        upload_peer=seedbox,
    )
    seedbox.client().torrents_set_upload_limit(limit=48 * 1024, torrent_hashes=big.info_hash)

    # Completing a few seconds in: its import happens live.
    quick = seed("seedbox", None, "Sintel.2010.1080p.mkv", 3 * MIB // 2, category="")
    seedbox.client().torrents_set_upload_limit(limit=160 * 1024, torrent_hashes=quick.info_hash)
    radarr.grab(
        "vpn",
        title=quick.name,
        info_hash=quick.info_hash,
        torrent_bytes=quick.torrent_bytes,
        media_ids=[next(ids)],
        upload_peer=seedbox,
    )
    demo.completing = quick.info_hash

    # A release with junk: the sample folder and the .exe get skipped.
    junk = seed(
        "default",
        None,
        "Tears.of.Steel.2012.1080p",
        0,
        files={
            "Tears.of.Steel.2012.1080p.mkv": 6 * MIB,
            "Sample/tos-sample.mkv": 256 * 1024,
            "Setup.exe": 128 * 1024,
            "Tears.of.Steel.2012.1080p.en.srt": 20_000,
        },
        category="",
    )
    home.client().torrents_set_upload_limit(limit=24 * 1024, torrent_hashes=junk.info_hash)
    radarr.grab(
        "seedbox",
        title=junk.name,
        info_hash=junk.info_hash,
        torrent_bytes=junk.torrent_bytes,
        media_ids=[next(ids)],
        upload_peer=home,
    )

    # Stuck: a magnet nobody can resolve, a download nobody seeds, an errored one.
    magnet = content.add_magnet(vpn, "Cosmos.Laundromat.2015.1080p", category="radarr")
    radarr.add_records("vpn", magnet, "Cosmos.Laundromat.2015.1080p", [next(ids)])
    stalled = content.add_stalled(
        home, media / "gone", "Pioneer.One.S01E03.720p.mkv", category="sonarr", size=2 * MIB
    )
    sonarr.add_records("default", stalled.info_hash, stalled.name, [next(ids)])
    broken = seed("seedbox", None, "Spring.2019.1080p.mkv", MIB, category="")
    blocker = demo.root / "not-a-folder"
    blocker.write_text("a file where qBittorrent expects a folder")
    content.add_torrent(vpn, broken.torrent_bytes, category="radarr", save_path=blocker / "x")
    content.connect_peer(vpn, seedbox, broken.info_hash)
    radarr.add_records("vpn", broken.info_hash, broken.name, [next(ids)])

    # Ignored by the user: nothing touches it.
    content.add_magnet(seedbox, "Agent.327.2017.Pilot", category="sonarr", tags=("qBitrr-ignored",))
    demo.hashes.update(
        magnet=magnet,
        stalled=stalled.info_hash,
        errored=broken.info_hash,
        slow=big.info_hash,
        junk=junk.info_hash,
    )
