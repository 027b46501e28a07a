"""`?`: the keys of the view it was opened from, every dashboard key, the filter grammar,
and where the config and logs live. ``q``, ``esc`` and ``?`` close it."""

from __future__ import annotations

from collections.abc import Mapping

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from qbitrr_tui.config.schema import KEY_ACTIONS
from qbitrr_tui.tui.keys import shown
from qbitrr_tui.tui.torrent_filter import RULES, STATE_GROUPS

# A row's key: the text shown, or binding ids (config/ui_fields.py KEY_ACTIONS) whose keys,
# remapped by [Keys], are looked up when the help opens.
KeyRow = tuple[str | tuple[str, ...], str]
TABLE_KEYS: list[KeyRow] = [
    ("↑ ↓  j k", "Move the cursor"),
    ("PgUp PgDn", "A page up or down"),
    ("Home End  g G", "First or last row"),
]
VIEW_KEYS: dict[str, tuple[str, list[KeyRow]]] = {
    "instances": (
        "Instances (1)",
        [
            ("↑ ↓  j k", "Highlight another instance (or click its panel)"),
            (("toggle_instance",), "Enable or disable the highlighted instance"),
            ("enter", "Its torrents: view 2 on that instance's tab"),
        ],
    ),
    "torrents": (
        "Torrents (2)",
        [
            *TABLE_KEYS,
            (("filter",), "Filter (grammar below); enter keeps it, esc clears it"),
            ("s", "Sort: choose the column; the same column again reverses (▲/▼ in the header)"),
            ("f2", "Columns: choose them (↓/↑ speed, seeds/peers, added, tracker…); kept in [UI]"),
            ("o", "Show or hide the greyed rows of instances that are down or disabled"),
            (
                ("toggle_instance",),
                "Enable or disable this tab's instance (All: the highlighted torrent's)",
            ),
            ("v", "Group by instance and category; enter on a group's header folds it"),
            ("tab", "To the instance tabs; ← → change the tab"),
            ("enter", "Details: general, decision, files, trackers, Arr, history (esc back)"),
            ("space", "Mark or unmark a torrent: the keys below act on the marked ones"),
            (("torrent.pause", "torrent.resume"), "Pause, resume"),
            (("torrent.recheck", "torrent.reannounce"), "Recheck, reannounce"),
            (
                ("torrent.protect", "torrent.unprotect"),
                "Protect (tag qBitrr-ignored), unprotect (asks first)",
            ),
            (("torrent.import", "torrent.category"), "Import now; change category"),
            (
                ("torrent.limits",),
                "Limits: ratio, seeding time, ↓/↑ rate (ratio=2 seed=7d up=500K)",
            ),
            (("torrent.blocklist",), "Remove, blocklist and search again (asks first)"),
            (("torrent.remove",), "Remove with files, without blocklisting (asks first)"),
            ("", "Either asks again for a torrent that still owes its tracker (hit-and-run)"),
            (
                ("torrent.copy_hash", "torrent.copy_name"),
                "Copy the hash, the name (OSC 52: works over SSH)",
            ),
        ],
    ),
    "activity": (
        "Activity (3)",
        [
            *TABLE_KEYS,
            ("/", "Search the actions: words, on:<instance>, outcome:failed, !negates"),
            ("esc", "Clear the search"),
            ("f", "Follow new lines, or hold the place to read (both logs)"),
            ("tab", "To the engine log"),
        ],
    ),
    "plan": (
        "Plan (4)",
        [
            *TABLE_KEYS,
            ("space", "Mark or unmark the highlighted torrent's plan"),
            ("a", "Carry out the marked plans (asks first)"),
            ("A", "Carry out every plan shown (asks first)"),
            (("toggle_instance",), "Enable or disable the highlighted plan's instance"),
        ],
    ),
}
CONFIG_KEYS: list[KeyRow] = [
    ("ctrl+s", "Save and reload (only when something changed)"),
    ("esc  q", "Back (asks when there are unsaved changes)"),
    ("F2 F3 F4", "Rename; add a qBittorrent instance; add an Arr"),
    ("F5 F6 F8", "Test the connection; on/off; remove"),
    ("ctrl+r", "Show or hide passwords and API keys"),
]


def _table(rows: list[KeyRow], keymap: Mapping[str, str]) -> Table:
    table = Table(box=None, expand=True, show_header=False, padding=(0, 1))
    table.add_column("Key", no_wrap=True, style="bold", width=16)
    table.add_column("What it does")
    for key, what in rows:
        table.add_row(_key_text(key, keymap), what)
    return table


def _key_text(key: str | tuple[str, ...], keymap: Mapping[str, str]) -> str:
    if isinstance(key, str):
        return key
    return " ".join(shown(keymap.get(binding_id, KEY_ACTIONS[binding_id])) for binding_id in key)


def filter_help() -> Text:
    groups = ", ".join(f"{g} ({' '.join(sorted(s))})" for g, s in STATE_GROUPS.items())
    return Text.assemble(
        ("Filter: ", "bold"),
        "every word must match. A bare word searches the name and the engine's reason; ",
        ("state: cat: rule: tag: on: tracker:", "bold"),
        " narrow one field; a comma means or (on:vpn,seedbox); ",
        ("!", "bold"),
        " or ",
        ("-", "bold"),
        " before a word negates it. ",
        ("@problems", "bold"),
        " is rule:stalled,slow,errored,missing_files,unregistered.\n",
        ("States: ", "bold"),
        groups,
        ", or any qBittorrent state name (stalledUP, pausedDL…).\n",
        ("Rules: ", "bold"),
        " ".join(RULES),
        ".",
    )


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding(
            "escape,q,question_mark", "dismiss", "Close", id="help.close", tooltip="Close the help"
        )
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 96; max-width: 96%; height: 90%; border: thick $primary; background: $panel;
        padding: 0 1;
    }
    HelpScreen .title { text-style: bold; margin-top: 1; }
    """

    def __init__(
        self,
        keys: list[tuple[str, str, str]],
        footer: str,
        *,
        view: str = "instances",
        keymap: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.keys = keys
        self.keymap = dict(keymap or {})
        self.footer = footer
        self.view = view

    def compose(self) -> ComposeResult:
        title, view_keys = VIEW_KEYS.get(self.view, VIEW_KEYS["instances"])
        everywhere = Table(box=None, expand=True, show_header=False, padding=(0, 1))
        everywhere.add_column("Key", no_wrap=True, style="bold", width=16)
        everywhere.add_column("Action", no_wrap=True)
        everywhere.add_column("What it does")
        for key, description, tooltip in self.keys:
            everywhere.add_row(key, description, tooltip)
        with VerticalScroll():
            yield Static(Text("qbitrr-tui help · q, esc or ? closes it", style="bold reverse"))
            yield Static(Text(f"In {title}"), classes="title")
            yield Static(_table(view_keys, self.keymap))
            yield Static(Text("Everywhere on the dashboard"), classes="title")
            yield Static(everywhere)
            yield Static(filter_help(), classes="title")
            yield Static(Text("In the config editor (c)"), classes="title")
            yield Static(_table(CONFIG_KEYS, self.keymap))
            yield Static(
                Text(
                    "Mouse: click a panel to select it, a tab to open it, a header to sort "
                    "(again: reverse). ctrl+p opens the command palette: every action.",
                    style="dim",
                ),
                classes="title",
            )
            yield Static(Text(self.footer, style="dim"))
