"""The config editor's keys: function keys (they survive SSH) and ctrl chords."""

from __future__ import annotations

from textual.binding import Binding

CONFIG_BINDINGS: list[Binding | tuple[str, str] | tuple[str, str, str]] = [
    Binding(
        "ctrl+s",
        "save",
        "Save",
        id="config.save",
        tooltip="Check and save the file, then reload the engine",
    ),
    Binding(
        "escape,q",
        "leave",
        "Back",
        id="config.leave",
        tooltip="Back to the dashboard (asks when there are unsaved changes)",
    ),
    Binding(
        "f2",
        "rename",
        "Rename",
        id="config.rename",
        tooltip="Rename the selected instance or Arr",
    ),
    Binding(
        "f3",
        "add_instance",
        "+qBit",
        id="config.add_instance",
        tooltip="Add a qBittorrent instance",
    ),
    Binding(
        "f4",
        "add_arr",
        "+Arr",
        id="config.add_arr",
        tooltip="Add a Radarr, Sonarr or Lidarr section",
    ),
    Binding(
        "f5",
        "test",
        "Test",
        id="config.test",
        tooltip="Test the connection of the selected instance or Arr",
    ),
    Binding(
        "f6",
        "toggle_enabled",
        "On/off",
        id="config.toggle",
        tooltip="Disable or enable the selected instance or Arr (kept in the file)",
    ),
    Binding(
        "f8",
        "remove",
        "Remove",
        id="config.remove",
        tooltip="Remove the selected instance or Arr from the file",
    ),
    Binding(
        "ctrl+r",
        "reveal",
        "Show",
        id="config.reveal",
        tooltip="Show or hide passwords and API keys",
    ),
]
