"""Restore a recycle-bin entry: the torrent back on its instance, in its category, with its data.

Used by ``qbitrr-tui restore HASH`` and by the dashboard's bin view (through the engine).
In order, each step safe to repeat:

1. the torrent must not be on its instance already;
2. data moved into the bin goes back to its content path (a rename, the same file system);
   the record then says it is in place, so a second try does not move it again;
3. the torrent is added from its .torrent (its magnet link when none was exported) at its
   save path, original layout, in its category with its tags plus ``qBitrr-ignored`` (so the
   engine does not remove it again at once; remove the tag to hand it back): qBittorrent
   checks the files that are there;
4. read back: once the torrent is on the instance, the entry leaves the bin.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from qbitrr_tui.config import Config
from qbitrr_tui.config.model import QbitInstanceConfig
from qbitrr_tui.config.units import format_size
from qbitrr_tui.engine.cross_seed import norm
from qbitrr_tui.engine.model import TAG_IGNORED
from qbitrr_tui.engine.recycle_bin import BinEntry, RecycleBin
from qbitrr_tui.errors import UserError
from qbitrr_tui.qbit.adapter import InstanceAdapter
from qbitrr_tui.qbit.webapi import QbitError, WebApiClient, base_url

LIST_WAIT = 10.0  # seconds an added torrent may take to be listed


class RestoreFailed(UserError):
    """The instance or the disk did not let it happen (exit status 1)."""

    exit_code = 1


def pick(recycle: RecycleBin, info_hash: str, instance: str = "") -> BinEntry:
    """The one entry for ``info_hash`` (on ``instance`` when given); a UserError otherwise."""
    wanted = info_hash.strip().lower()
    if not wanted or any(c not in "0123456789abcdef" for c in wanted):
        raise UserError(f"{info_hash!r} is not a torrent hash (40 or 64 hex digits)")
    found = [e for e in recycle.entries() if e.hash.startswith(wanted)]
    if instance:
        found = [e for e in found if e.instance == instance.lower()]
    if not found:
        where = f" for instance '{instance}'" if instance else ""
        raise UserError(f"no recycle-bin entry{where} matches {info_hash}")
    if len(found) > 1:
        names = ", ".join(sorted(f"{e.hash[:12]} on {e.instance}" for e in found))
        raise UserError(f"{info_hash} matches {len(found)} entries ({names}); add --instance")
    return found[0]


def restore(recycle: RecycleBin, entry: BinEntry, adapter: InstanceAdapter) -> str:
    """Put ``entry`` back; one sentence saying what was done (RestoreFailed otherwise)."""
    where = f"instance '{entry.instance}'"
    try:
        present = bool(adapter.torrents_info(hashes=entry.hash))
    except QbitError as exc:
        raise RestoreFailed(f"cannot read {where}: {exc}") from None
    if present and entry.data in ("moved", "moving"):
        raise RestoreFailed(
            f"{entry.name} is on {where} again while its data is still in the bin; "
            "remove it there first (the entry stays)"
        )
    if present:  # an earlier try was taken but its answer lost: done, not added twice
        recycle.forget(entry)
        return f"{entry.name} is back on {where} already; its bin entry is removed"
    entry = _move_back(recycle, entry)
    torrent = recycle.torrent_path(entry)
    content = torrent.read_bytes() if entry.torrent_file and torrent.is_file() else None
    if content is None and not entry.magnet:
        raise RestoreFailed(f"{entry.name}: the entry has neither a .torrent nor a magnet link")
    tags = tuple(dict.fromkeys((*entry.tags, TAG_IGNORED)))
    try:
        adapter.add_torrent(
            torrent_file=content,
            magnet=entry.magnet,
            save_path=entry.save_path,
            category=entry.category,
            tags=tags,
        )
        back = _listed(adapter, entry.hash)
    except QbitError as exc:
        raise RestoreFailed(f"{where} did not take {entry.name} back: {exc}") from None
    if not back:
        raise RestoreFailed(f"{where} did not list {entry.name} after adding it; try again")
    recycle.forget(entry)
    data = (
        "its data is in place and is being checked"
        if entry.data != "deleted"
        else "its data was deleted, so it downloads again"
    )
    source = "" if content is not None else " from its magnet link"
    return (
        f"restored {entry.name} to {where}{source}, category '{entry.category}' ({data}); "
        f"tagged {TAG_IGNORED} so the engine leaves it alone"
    )


def _listed(adapter: InstanceAdapter, info_hash: str, wait: float = LIST_WAIT) -> bool:
    """Whether the instance lists the torrent; it adds in the background (4.x answers
    before the torrent is listed), so it is asked again for up to ``wait`` seconds."""
    deadline = time.monotonic() + wait
    while True:
        if adapter.torrents_info(hashes=info_hash):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.25)


def _move_back(recycle: RecycleBin, entry: BinEntry) -> BinEntry:
    if entry.data not in ("moved", "moving") or not entry.moved_to:
        return entry
    source, target = Path(entry.moved_to), Path(norm(entry.content_path))
    if not source.exists() and target.exists():
        pass  # moved back by an earlier try
    elif not source.exists():
        raise RestoreFailed(f"{entry.name}: its data is gone from the bin ({source})")
    elif target.exists():
        raise RestoreFailed(
            f"{entry.name}: {target} exists already; move it away, then restore again"
        )
    else:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(source, target)
        except OSError as exc:
            raise RestoreFailed(
                f"{entry.name}: could not move its data back ({exc.strerror or exc})"
            ) from None
        with contextlib.suppress(OSError):
            source.parent.rmdir()
    entry = replace(entry, data="kept", moved_to="")
    recycle.save(entry)
    return entry


def connect(config: QbitInstanceConfig) -> InstanceAdapter:
    """A one-off connection to an instance (the CLI's; the engine uses its own)."""
    client = WebApiClient(
        config.name,
        base_url(config.host, config.port),
        config.username,
        config.password,
        api_key=config.api_key,
        verify_tls=not config.skip_tls_verify,
    )
    try:
        client.login()
        return InstanceAdapter(
            client, client.get_text("app/version"), client.get_text("app/webapiVersion")
        )
    except QbitError as exc:
        client.close()
        raise RestoreFailed(str(exc)) from None


def restore_command(config: Config, info_hash: str, instance: str, *, dry_run: bool) -> str:
    """``qbitrr-tui restore HASH``: one line saying what was (or would be) done."""
    recycle = RecycleBin(config.settings.data_folder)
    entry = pick(recycle, info_hash, instance)
    target = next((i for i in config.instances if i.name == entry.instance), None)
    if target is None:
        raise UserError(f"instance '{entry.instance}' of {entry.name} is not in the config")
    if dry_run:
        return f"dry-run: would restore {entry.name} to instance '{entry.instance}'"
    adapter = connect(target)
    try:
        return restore(recycle, entry, adapter)
    finally:
        adapter.client.close()


def list_command(config: Config) -> str:
    """``qbitrr-tui restore --list``: the bin, oldest first."""
    recycle = RecycleBin(config.settings.data_folder)
    entries = recycle.entries()
    if not entries:
        return f"the recycle bin is empty ({recycle.root})"
    days = config.settings.recycle_bin_days
    lines = []
    for e in entries:
        until = datetime.fromtimestamp(e.expires_at(days)).strftime("%Y-%m-%d %H:%M")
        data = {"moved": "data in the bin", "moving": "data in the bin"}.get(e.data, e.data)
        lines.append(
            f"{e.hash}  {e.instance:<10} {format_size(e.size):>9}  until {until}  "
            f"{data:<15} {e.name}"
        )
    held = sum(e.held_bytes() for e in entries)
    count = "1 entry" if len(entries) == 1 else f"{len(entries)} entries"
    lines.append(f"{count}; {format_size(held)} of data held in the bin")
    return "\n".join(lines)
