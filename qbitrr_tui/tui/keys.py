"""The dashboard's bindings: one per action id in ``config.schema.KEY_ACTIONS``, each with an
id (so ``[Keys]`` in the config can remap it) and a tooltip. Keys that survive SSH only."""

from __future__ import annotations

from textual.binding import Binding

from qbitrr_tui.config.schema import KEY_ACTIONS
from qbitrr_tui.tui.torrent_commands import COMMANDS as TORRENT_COMMANDS

_SPEC: dict[str, tuple[str, str, str, bool]] = {
    # id: (action, description, tooltip, shown in the footer)
    "quit": ("quit", "Quit", "Stop the engine and leave", True),
    "toggle_instance": (
        "toggle_instance",
        "Toggle",
        "Enable or disable the highlighted instance (a disabled instance is never contacted)",
        True,
    ),
    "rescan": ("rescan", "Rescan", "Run an engine cycle now", True),
    "pause": ("pause", "Pause", "Pause or resume the engine", True),
    "dry_run": ("dry_run", "Dry-run", "Dry-run on or off (turning it off asks first)", True),
    "filter": ("filter", "Filter", "Filter the torrents: words, state:…, cat:…, rule:…", True),
    "view_instances": (
        "view('instances')",
        "Instances",
        "Instance health, Arrs, distribution",
        False,
    ),
    "view_torrents": ("view('torrents')", "Torrents", "Torrents by instance and category", False),
    "view_activity": ("view('activity')", "Activity", "The action log and the engine log", False),
    "view_plan": ("view('plan')", "Plan", "What the engine would do, or holds back", False),
    "config": ("config", "Config", "Edit the configuration", True),
    "recycle_bin": (
        "recycle_bin",
        "Bin",
        "The recycle bin: what was deleted with its files; restore from it",
        False,
    ),
    "help": ("help", "Help", "Every key and what it does", True),
    "instances.next": (
        "select_instance(1)",
        "Next instance",
        "Highlight the next instance",
        False,
    ),
    "instances.previous": (
        "select_instance(-1)",
        "Previous instance",
        "Highlight the previous instance",
        False,
    ),
}
# The torrent actions are bound by torrent_commands.py (on the table and the details).
assert set(_SPEC) | {c.id for c in TORRENT_COMMANDS} == set(KEY_ACTIONS), (
    "keys.py, torrent_commands.py and schema.KEY_ACTIONS must agree"
)


def bindings() -> list[Binding]:
    # quit is a priority binding; text fields still get a typed "q" (Textual's inputs
    # claim printable keys first; tests/tui/test_app.py guards it).
    out = []

    for binding_id, (action, description, tooltip, show) in _SPEC.items():
        out.append(
            Binding(
                KEY_ACTIONS[binding_id],
                action,
                description,
                show=show,
                priority=binding_id == "quit",
                id=binding_id,
                tooltip=tooltip,
            )
        )
    return out


def describe(keymap: dict[str, str]) -> list[tuple[str, str, str]]:
    """(key, description, tooltip) per action, with the user's remaps applied."""
    rows = []
    for binding_id, (_, description, tooltip, _) in _SPEC.items():
        key = keymap.get(binding_id, KEY_ACTIONS[binding_id])
        rows.append((shown(key), description, tooltip))
    return rows


def shown(key: str) -> str:
    """A binding's key as the help shows it: ``question_mark`` as ?, ``slash`` as /."""
    return key.replace("question_mark", "?").replace("slash", "/")
