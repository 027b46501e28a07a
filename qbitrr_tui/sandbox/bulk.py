"""Many torrents at once, for benchmarks and scale tests.

Seeding torrents are tiny real files added with skip-checking (so qBittorrent holds a real,
complete torrent without hashing); "downloading" ones are magnets nobody can resolve; paused
ones are seeding torrents added paused. Torrents are sent 200 per request.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qbitrr_tui.sandbox.qbit import QbitProcess

_BATCH = 200


def _bencode(value: object) -> bytes:
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, bytes):
        return b"%d:%s" % (len(value), value)
    if isinstance(value, str):
        return _bencode(value.encode())
    if isinstance(value, list):
        return b"l" + b"".join(_bencode(v) for v in value) + b"e"
    if isinstance(value, dict):
        items = sorted((k.encode() if isinstance(k, str) else k, v) for k, v in value.items())
        return b"d" + b"".join(_bencode(k) + _bencode(v) for k, v in items) + b"e"
    raise TypeError(type(value))


def tiny_torrent(folder: Path, name: str, size: int = 4096) -> tuple[bytes, str]:
    """Write one small file and return ``(torrent_bytes, info_hash)`` (one piece)."""
    data = os.urandom(size)
    (folder / name).write_bytes(data)
    info = {
        "name": name,
        "length": size,
        "piece length": 16384,
        "pieces": hashlib.sha1(data).digest(),
    }
    return _bencode({"info": info}), hashlib.sha1(_bencode(info)).hexdigest()


@dataclass(frozen=True, slots=True)
class Mix:
    """How many torrents of each kind to add, per category."""

    seeding: int
    paused: int = 0
    stuck: int = 0


def populate(
    inst: QbitProcess, folder: Path, categories: Sequence[str], mix: Mix, *, prefix: str = "t"
) -> dict[str, list[str]]:
    """Add ``mix`` to each category; returns info hashes by category."""
    client = inst.client()
    folder.mkdir(parents=True, exist_ok=True)
    added: dict[str, list[str]] = {}
    for category in categories:
        hashes: list[str] = []
        for paused, count in ((False, mix.seeding), (True, mix.paused)):
            for start in range(0, count, _BATCH):
                files = {}
                for i in range(start, min(count, start + _BATCH)):
                    kind = "p" if paused else "s"
                    name = f"{prefix}-{category}-{kind}{i:05d}.mkv"
                    torrent, info_hash = tiny_torrent(folder, name)
                    files[f"{name}.torrent"] = torrent
                    hashes.append(info_hash)
                client.torrents_add(
                    torrent_files=files,
                    category=category,
                    save_path=str(folder),
                    is_skip_checking=True,
                    is_paused=paused,
                    use_auto_torrent_management=False,
                )
        for start in range(0, mix.stuck, _BATCH):
            uris = []
            for i in range(start, min(mix.stuck, start + _BATCH)):
                seed = f"{prefix}{category}{i}{os.urandom(4).hex()}".encode()
                magnet_hash = hashlib.sha1(seed).hexdigest()
                uris.append(f"magnet:?xt=urn:btih:{magnet_hash}&dn={prefix}-{i}")
                hashes.append(magnet_hash)
            client.torrents_add(urls="\n".join(uris), category=category)
        added[category] = hashes
    return added
