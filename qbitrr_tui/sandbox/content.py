"""Real content and .torrent files for sandbox instances, made on the spot (torf).

- :func:`make_sample` writes files of random bytes and the torrent describing them;
- :func:`add_seeding` adds it to an instance that has the files, so it seeds at once;
- :func:`add_downloading` adds it to another instance and points it at the seeder, with the
  seeder's upload rate limited so the download takes as long as a test needs;
- :func:`random_magnet` is a magnet nobody can resolve (DHT is off): it stays in ``metaDL``;
- :func:`add_stalled` adds a torrent whose files nobody has: it sits in ``stalledDL``.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import torf

from qbitrr_tui.sandbox.qbit import QbitProcess


@dataclass(frozen=True, slots=True)
class Sample:
    """Content on disk and the torrent that describes it."""

    name: str
    content_root: Path  # the folder the content lives in (the save path when seeding)
    torrent_bytes: bytes
    info_hash: str
    total_size: int

    @property
    def content_path(self) -> Path:
        return self.content_root / self.name


def make_sample(
    folder: Path,
    name: str,
    files: dict[str, int] | None = None,
    *,
    size: int = 64 * 1024,
    piece_size: int = 16 * 1024,
    trackers: tuple[str, ...] = (),
    private: bool = False,
) -> Sample:
    """Write ``files`` (relative path → size) under ``folder/name`` — or one file ``name`` of
    ``size`` bytes when ``files`` is None — and build its torrent (``private``: the flag
    private trackers set, which turns off DHT, PeX and LSD for it)."""
    folder.mkdir(parents=True, exist_ok=True)
    if files is None:
        target = folder / name
        target.write_bytes(os.urandom(size))
    else:
        target = folder / name
        for rel, length in files.items():
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(os.urandom(length))
    torrent = torf.Torrent(
        path=target,
        trackers=list(trackers) or None,
        piece_size=piece_size,
        private=private,
        created_by=None,
        creation_date=None,
    )
    torrent.generate()
    total = sum(f.size for f in torrent.files)
    return Sample(
        name=name,
        content_root=folder,
        torrent_bytes=torrent.dump(),
        info_hash=str(torrent.infohash).lower(),
        total_size=total,
    )


def _added(result: object) -> bool:
    """``torrents/add`` answers ``Ok.`` before Web API 2.14, then counts (JSON)."""
    if isinstance(result, Mapping):
        return int(result.get("failure_count", 1)) == 0
    return result == "Ok."


def add_torrent(
    inst: QbitProcess,
    torrent_bytes: bytes,
    *,
    category: str = "",
    tags: tuple[str, ...] = (),
    save_path: Path | None = None,
    skip_checking: bool = False,
    paused: bool = False,
) -> None:
    result = inst.client().torrents_add(
        torrent_files=torrent_bytes,
        category=category or None,
        tags=list(tags) or None,
        save_path=str(save_path) if save_path else None,
        is_skip_checking=skip_checking,
        is_paused=paused,
        use_auto_torrent_management=False,
    )
    if not _added(result):
        raise RuntimeError(f"sandbox instance '{inst.name}' refused a torrent: {result}")


def add_seeding(
    inst: QbitProcess, sample: Sample, *, category: str = "", tags: tuple[str, ...] = ()
) -> None:
    """Add ``sample`` where its files are: it is complete and seeds at once."""
    add_torrent(
        inst,
        sample.torrent_bytes,
        category=category,
        tags=tags,
        save_path=sample.content_root,
        skip_checking=True,
    )


def add_downloading(
    leecher: QbitProcess,
    seeder: QbitProcess,
    sample: Sample,
    *,
    category: str = "",
    tags: tuple[str, ...] = (),
    upload_limit: int = 8 * 1024,
) -> None:
    """Make ``leecher`` download ``sample`` from ``seeder`` at about ``upload_limit`` B/s.

    The seeder must already seed ``sample``. Peers are added by address (DHT is off)."""
    seeder.client().torrents_set_upload_limit(limit=upload_limit, torrent_hashes=sample.info_hash)
    add_torrent(leecher, sample.torrent_bytes, category=category, tags=tags)
    connect_peer(leecher, seeder, sample.info_hash)


def connect_peer(leecher: QbitProcess, seeder: QbitProcess, info_hash: str) -> None:
    # The torrent may need a moment to be added before it accepts peers.
    leecher.wait_for_torrent(info_hash, timeout=15)
    leecher.client().torrents_add_peers(
        peers=f"127.0.0.1:{seeder.listen_port}", torrent_hashes=info_hash
    )


def add_stalled(
    inst: QbitProcess,
    folder: Path,
    name: str,
    *,
    category: str = "",
    tags: tuple[str, ...] = (),
    size: int = 256 * 1024,
) -> Sample:
    """A torrent whose content exists nowhere the instance can reach: it sits in stalledDL."""
    sample = make_sample(folder, name, size=size)
    (sample.content_path).unlink()  # nobody has it now
    add_torrent(inst, sample.torrent_bytes, category=category, tags=tags)
    return sample


def random_magnet(name: str) -> tuple[str, str]:
    """``(magnet_uri, info_hash)`` for a torrent nobody has: it stays in ``metaDL``."""
    info_hash = hashlib.sha1(f"{name}-{time.time_ns()}-{os.urandom(8).hex()}".encode()).hexdigest()
    return f"magnet:?xt=urn:btih:{info_hash}&dn={name.replace(' ', '+')}", info_hash


def add_magnet(
    inst: QbitProcess, name: str, *, category: str = "", tags: tuple[str, ...] = ()
) -> str:
    """Add a magnet that never resolves; returns its info hash."""
    uri, info_hash = random_magnet(name)
    result = inst.client().torrents_add(
        urls=uri, category=category or None, tags=list(tags) or None
    )
    if not _added(result):
        raise RuntimeError(f"sandbox instance '{inst.name}' refused a magnet: {result}")
    return info_hash
