"""What the dashboard remembers between runs (grouped or flat torrents), in a small JSON
file in the state folder. A missing or unreadable file means the defaults."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import platformdirs

from qbitrr_tui.paths import APP_NAME


@dataclass
class Preferences:
    grouped: bool = False


def preferences_path() -> Path:
    return Path(platformdirs.user_state_dir(APP_NAME)) / "dashboard.json"


def load_preferences(path: Path | None) -> Preferences:
    if path is None:
        return Preferences()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Preferences(grouped=bool(data.get("grouped", False)))
    except (OSError, ValueError, AttributeError):
        return Preferences()


def save_preferences(path: Path | None, preferences: Preferences) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(preferences)), encoding="utf-8")
    except OSError:
        pass  # a read-only home must not stop the dashboard; the choice is just not kept
