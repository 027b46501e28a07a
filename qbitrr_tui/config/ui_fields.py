"""The config keys of the dashboard's own preferences (``[UI]``: columns, sort, last view,
theme, bell) and the ids of its actions that ``[Keys]`` may remap. Part of the schema:
:mod:`qbitrr_tui.config.schema` re-exports them, and its readers use them from there."""

from __future__ import annotations

from qbitrr_tui.config.field import Field

# The torrent table's columns (qbitrr_tui/tui/columns.py shows exactly these), and the ones
# it shows until [UI] Columns says otherwise.
TORRENT_COLUMNS = (
    "name",
    "instance",
    "category",
    "state",
    "progress",
    "decision",
    "eta",
    "size",
    "down",
    "up",
    "peers",
    "ratio",
    "added",
    "tracker",
    "tags",
)
DEFAULT_COLUMNS = tuple(
    c for c in TORRENT_COLUMNS if c not in ("down", "up", "peers", "added", "tracker")
)
VIEWS = ("instances", "torrents", "activity", "plan")

UI_FIELDS: tuple[Field, ...] = (
    Field(
        "Columns",
        "columns",
        "str_list",
        DEFAULT_COLUMNS,
        "The torrent table's columns (as the width allows; the name always shows), from: "
        + ", ".join(TORRENT_COLUMNS)
        + ". The dashboard's column chooser (palette: Choose columns) writes it.",
    ),
    Field(
        "Sort",
        "sort",
        "str",
        "category",
        "The torrent table's sort column; a leading `-` reverses it (`-size`). "
        "The dashboard writes it when you sort.",
    ),
    Field(
        "View",
        "view",
        "choice",
        "instances",
        "The view the dashboard opens on; it writes the last one you used.",
        choices=VIEWS,
    ),
    Field(
        "Theme",
        "theme",
        "str",
        "",
        "The dashboard's Textual theme (e.g. `nord`); empty: the default. Chosen in the "
        "palette (Change theme), it is kept here.",
    ),
    Field(
        "Bell",
        "bell",
        "bool",
        False,
        "Ring the terminal bell with the alerts that need a human (an instance down, "
        "an Arr refusing a blocklisting, an import failing).",
    ),
)

# The dashboard's actions, by binding id: [Keys] in the config remaps them
# (e.g. rescan = "f5"). qbitrr_tui/tui/keys.py and tui/torrent_commands.py bind exactly these.
KEY_ACTIONS: dict[str, str] = {
    "quit": "q",
    "toggle_instance": "t",
    "rescan": "r",
    "pause": "p",
    "dry_run": "d",
    "filter": "slash",
    "view_instances": "1",
    "view_torrents": "2",
    "view_activity": "3",
    "view_plan": "4",
    "config": "c",
    "recycle_bin": "b",
    "help": "question_mark",
    "instances.next": "down,j",
    "instances.previous": "up,k",
    # On the torrents table and in a torrent's details (qbitrr_tui/tui/torrent_commands.py).
    "torrent.pause": "P",
    "torrent.resume": "U",
    "torrent.recheck": "K",
    "torrent.reannounce": "N",
    "torrent.protect": "i",
    "torrent.unprotect": "I",
    "torrent.import": "M",
    "torrent.category": "C",
    "torrent.limits": "L",
    "torrent.remove": "X",
    "torrent.blocklist": "x",
    "torrent.copy_hash": "y",
    "torrent.copy_name": "Y",
}
