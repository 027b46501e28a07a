"""The recycle bin: what was deleted with its files, kept for ``RecycleBinDays``.

One entry per ``(instance, hash)``, a folder in the data folder::

    <DataFolder>/recycle-bin/<instance>/<hash>/record.json     what, where, when and why
    <DataFolder>/recycle-bin/<instance>/<hash>/<hash>.torrent  the exported .torrent

With ``RecycleBinMoveData`` the data itself goes to ``.qbitrr-tui-recycle-bin/<instance>-<hash>/``
inside the torrent's save path: a rename on the same file system (checked with ``st_dev``),
never a copy across file systems.

Exactly once: the entry's folder is named by its key, so a step sent again after a lost
answer or a restart finds its entry and carries on from it (the first record wins; a move
that happened is seen as done because the data is at its destination and gone from its
source). Every write is a temporary file renamed into place.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any, Literal

from qbitrr_tui.engine.cross_seed import norm
from qbitrr_tui.logs import get_logger

log = get_logger("recycle-bin")

BIN_FOLDER = "recycle-bin"
DATA_FOLDER = ".qbitrr-tui-recycle-bin"
DAY = 86400.0
_HASH = re.compile(r"^[0-9a-f]{40}$|^[0-9a-f]{64}$")

DataState = Literal["deleted", "moving", "moved", "kept"]


def safe_name(text: str) -> str:
    """An instance name as a folder name (they are lower-case words already)."""
    return re.sub(r"[^a-z0-9._-]", "_", text.lower()) or "_"


@dataclass(frozen=True, slots=True)
class BinEntry:
    """The record of one removal."""

    instance: str
    hash: str
    name: str
    category: str
    tags: tuple[str, ...]
    save_path: str
    content_path: str
    size: int
    removed_at: float
    why: str
    torrent_file: bool = False  # the .torrent was exported
    magnet: str = ""  # what restore adds when there is no .torrent
    export_note: str = ""  # why there is no .torrent
    data: DataState = "deleted"
    moved_to: str = ""  # where the data went (RecycleBinMoveData)

    def expires_at(self, days: float) -> float:
        return self.removed_at + days * DAY

    def held_bytes(self) -> int:
        """What the bin holds of it on disk: the data when it was moved there."""
        return self.size if self.data in ("moved", "moving") else 0


def entry_from(data: dict[str, Any]) -> BinEntry:
    known = {f.name for f in fields(BinEntry)}
    values = {k: v for k, v in data.items() if k in known}
    values["tags"] = tuple(values.get("tags", ()))
    return BinEntry(**values)


class RecycleBin:
    def __init__(self, data_folder: Path) -> None:
        self.root = data_folder / BIN_FOLDER

    def folder(self, instance: str, info_hash: str) -> Path:
        if not _HASH.match(info_hash):
            raise ValueError(f"not a torrent hash: {info_hash!r}")
        return self.root / safe_name(instance) / info_hash

    def torrent_path(self, entry: BinEntry) -> Path:
        return self.folder(entry.instance, entry.hash) / f"{entry.hash}.torrent"

    def load(self, instance: str, info_hash: str) -> BinEntry | None:
        path = self.folder(instance, info_hash) / "record.json"
        try:
            return entry_from(json.loads(path.read_text("utf-8")))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError) as exc:
            log.warning("recycle bin: unreadable record %s: %s", path, exc)
            return None

    def save(self, entry: BinEntry) -> None:
        folder = self.folder(entry.instance, entry.hash)
        folder.mkdir(parents=True, exist_ok=True)
        _write(folder / "record.json", json.dumps(asdict(entry), indent=1).encode())

    def save_torrent(self, entry: BinEntry, content: bytes) -> None:
        self.folder(entry.instance, entry.hash).mkdir(parents=True, exist_ok=True)
        _write(self.torrent_path(entry), content)

    def entries(self) -> list[BinEntry]:
        """Every entry, oldest first."""
        found = [e for e in self._walk() if e is not None]
        return sorted(found, key=lambda e: e.removed_at)

    def _walk(self) -> Iterator[BinEntry | None]:
        if not self.root.is_dir():
            return
        for instance in sorted(self.root.iterdir()):
            if instance.is_dir():
                for entry in sorted(instance.iterdir()):
                    if (entry / "record.json").is_file():
                        yield self.load(instance.name, entry.name)

    def find(self, info_hash: str) -> list[BinEntry]:
        return [e for e in self.entries() if e.hash == info_hash.lower()]

    def forget(self, entry: BinEntry) -> None:
        """Drop an entry (restored or purged): its record and .torrent."""
        shutil.rmtree(self.folder(entry.instance, entry.hash), ignore_errors=True)

    def purge(self, now: float, days: float) -> list[BinEntry]:
        """Remove the entries older than ``days``, with the data moved into the bin."""
        purged = []
        for entry in self.entries():
            if entry.expires_at(days) > now:
                continue
            if entry.moved_to and entry.data in ("moved", "moving"):
                _remove(Path(entry.moved_to))
            self.forget(entry)
            purged.append(entry)
            log.info(
                "recycle bin: purged %s (instance '%s', removed %.1f days ago)",
                entry.name,
                entry.instance,
                (now - entry.removed_at) / DAY,
            )
        return purged


def _write(path: Path, content: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
    parent = path.parent  # the entry's folder in .qbitrr-tui-recycle-bin, now empty
    if parent.name != DATA_FOLDER:
        with contextlib.suppress(OSError):
            parent.rmdir()


def move_destination(entry: BinEntry) -> Path:
    content = norm(entry.content_path)
    return (
        Path(norm(entry.save_path))
        / DATA_FOLDER
        / f"{safe_name(entry.instance)}-{entry.hash}"
        / Path(content).name
    )


def move_data(entry: BinEntry) -> tuple[BinEntry, str]:
    """Move the entry's data into the bin; the entry as it is now, and why not when the data
    stays in place (``data="kept"``). Repeating it after a crash finishes, never repeats."""
    source = Path(norm(entry.content_path))
    target = Path(entry.moved_to) if entry.moved_to else move_destination(entry)
    save = norm(entry.save_path)
    if not save or not _inside_strictly(norm(entry.content_path), save):
        return replace(entry, data="kept"), "its content path is not inside its save path"
    if target.exists() and not source.exists():
        return replace(entry, data="moved", moved_to=str(target)), ""
    if not source.exists():
        return replace(entry, data="kept"), f"{source} is not visible to qbitrr-tui"
    if target.exists():
        return replace(entry, data="kept"), f"{target} is already there"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if device(source) != device(target.parent):
            return (
                replace(entry, data="kept"),
                "the bin folder is on another file system (never copied across)",
            )
        os.rename(source, target)
    except OSError as exc:
        return replace(entry, data="kept"), f"could not move it ({exc.strerror or exc})"
    return replace(entry, data="moved", moved_to=str(target)), ""


def device(path: Path) -> int:
    """The file system a path is on (``st_dev``)."""
    return os.stat(path).st_dev


def _inside_strictly(inner: str, outer: str) -> bool:
    return inner.startswith(outer.rstrip("/") + "/")
