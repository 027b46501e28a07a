"""The torrent actions: one per key, each with an id (remappable in ``[Keys]``), a title
for the palette and a tooltip; and the question a destructive one asks."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

from qbitrr_tui.config.model import Settings
from qbitrr_tui.config.schema import KEY_ACTIONS
from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.events import ManualKind

Key = tuple[str, str]
LISTED = 6  # torrents named in a confirmation before "… and N more"


@dataclass(frozen=True, slots=True)
class TorrentCommand:
    """One torrent action: its key, palette title, tooltip, and what it does."""

    id: str
    key: str
    title: str
    tooltip: str
    kind: ManualKind | None  # None: done by the dashboard (copy)


COMMANDS = (
    TorrentCommand(
        "torrent.pause",
        "P",
        "Pause torrents",
        "Pause the highlighted or marked torrents",
        ManualKind.PAUSE,
    ),
    TorrentCommand(
        "torrent.resume",
        "U",
        "Resume torrents",
        "Resume (start) the highlighted or marked torrents",
        ManualKind.RESUME,
    ),
    TorrentCommand(
        "torrent.recheck",
        "K",
        "Recheck torrents",
        "Recheck the files of the highlighted or marked torrents",
        ManualKind.RECHECK,
    ),
    TorrentCommand(
        "torrent.reannounce",
        "N",
        "Reannounce torrents",
        "Announce to the trackers again now",
        ManualKind.REANNOUNCE,
    ),
    TorrentCommand(
        "torrent.protect",
        "i",
        "Protect torrents",
        "Tag qBitrr-ignored: the engine leaves them alone",
        ManualKind.PROTECT,
    ),
    TorrentCommand(
        "torrent.unprotect",
        "I",
        "Unprotect torrents",
        "Remove the qBitrr-ignored tag (asks first)",
        ManualKind.UNPROTECT,
    ),
    TorrentCommand(
        "torrent.import",
        "M",
        "Import now",
        "Tell the owning Arr to import the completed torrents now",
        ManualKind.IMPORT,
    ),
    TorrentCommand(
        "torrent.category",
        "C",
        "Change category",
        "Move the torrents to another category",
        ManualKind.SET_CATEGORY,
    ),
    TorrentCommand(
        "torrent.limits",
        "L",
        "Set limits",
        "Ratio, seeding time, ↓/↑ rate of the torrents (ratio=2 seed=7d up=500K)",
        ManualKind.SET_LIMITS,
    ),
    TorrentCommand(
        "torrent.remove",
        "X",
        "Remove torrents",
        "Delete the torrents and their files, without blocklisting (asks first)",
        ManualKind.REMOVE,
    ),
    TorrentCommand(
        "torrent.blocklist",
        "x",
        "Remove, blocklist and search again",
        "Blocklist in the Arr, delete, and search again now (asks first)",
        ManualKind.BLOCKLIST_SEARCH,
    ),
    TorrentCommand(
        "torrent.copy_hash", "y", "Copy hash", "Copy the info hash (OSC 52: works over SSH)", None
    ),
    TorrentCommand(
        "torrent.copy_name",
        "Y",
        "Copy name",
        "Copy the torrent's name (OSC 52: works over SSH)",
        None,
    ),
)
BY_ID = {c.id: c for c in COMMANDS}
assert all(KEY_ACTIONS[c.id] == c.key for c in COMMANDS), "the default keys are schema.KEY_ACTIONS'"
CONFIRM = frozenset({ManualKind.REMOVE, ManualKind.BLOCKLIST_SEARCH, ManualKind.UNPROTECT})
DELETE_STEP = "delete the torrent and its files from qBittorrent"  # as configured: _delete_step
STEPS = {
    ManualKind.REMOVE: [DELETE_STEP],
    ManualKind.BLOCKLIST_SEARCH: [
        "remove its record from the Arr's queue and blocklist the release",
        DELETE_STEP,
        "ask the Arr to search for the media again",
    ],
    ManualKind.UNPROTECT: [
        "remove the qBitrr-ignored tag: the engine's rules apply again, removal included"
    ],
}


def bindings() -> list[Binding]:
    """The keys, on the torrents table and the details screen (``app.`` actions)."""
    return [
        Binding(
            c.key, f"app.torrent_command('{c.id}')", c.title, show=False, id=c.id, tooltip=c.tooltip
        )
        for c in COMMANDS
    ]


def _delete_step(settings: Settings | None) -> str:
    """What deleting with files does, as configured: straight away, or by way of the bin."""
    if settings is None or not settings.recycle_bin:
        return DELETE_STEP
    days = f"{settings.recycle_bin_days:g} day(s)"
    if settings.recycle_bin_move_data:
        return f"delete the torrent; its files move into the recycle bin for {days} (b: restore)"
    return (
        "delete the torrent and its files; its .torrent stays in the recycle bin for "
        f"{days} (b: restore, downloading again)"
    )


def confirmation(
    kind: ManualKind,
    rows: list[ev.TorrentRow],
    dry_run: bool,
    settings: Settings | None = None,
) -> str:
    """The question a destructive action asks: the torrents, their instances, each step
    (with the recycle bin when ``settings`` turn it on; None: not known, e.g. attached)."""
    instances = sorted({r.instance for r in rows})
    listed = [f"  {r.name}  ({r.instance})" for r in rows[:LISTED]]
    if len(rows) > LISTED:
        listed.append(f"  … and {len(rows) - LISTED} more")
    said = [_delete_step(settings) if step is DELETE_STEP else step for step in STEPS[kind]]
    if kind is ManualKind.REMOVE:
        said = [f"{said[0]} (no blocklisting)"]
    steps = [f"  {n}. {step}" for n, step in enumerate(said, 1)]
    if kind in (ManualKind.REMOVE, ManualKind.BLOCKLIST_SEARCH):
        steps.append("  Files another torrent also uses (a cross-seed) are kept.")
    title = BY_ID[next(c.id for c in COMMANDS if c.kind is kind)].title
    head = f"{title}: {len(rows)} torrent(s) on instance(s) {', '.join(instances)}?"
    tail = (
        "Dry-run is on: the engine will record this as planned and change nothing."
        if dry_run
        else "This is done for real."
    )
    return "\n".join([head, *listed, "Steps, per torrent:", *steps, tail])


def anyway_question(held: ev.RemovalHeld, dry_run: bool) -> str:
    """The question when a removal by hand was kept because the torrents still owe their
    tracker: what each owes, and whether to remove them all the same."""
    title = BY_ID[next(c.id for c in COMMANDS if c.kind is held.kind)].title
    listed = [
        f"  {name}  ({key[0]}): {owed}"
        for key, name, owed in list(zip(held.keys, held.names, held.owed, strict=True))[:LISTED]
    ]
    if len(held.keys) > LISTED:
        listed.append(f"  … and {len(held.keys) - LISTED} more")
    head = f"{title}: kept {len(held.keys)} torrent(s) that still owe their tracker:"
    tail = (
        "Dry-run is on: removing them anyway is only recorded as planned. Record it?"
        if dry_run
        else "Removing them now may count as a hit-and-run on the tracker. Remove them anyway?"
    )
    return "\n".join([head, *listed, tail])
