"""What the dashboard remembers in the config's ``[UI]`` table: the torrent table's columns
and sort, the last view, the theme. Applied when the app starts; written back when the
operator changes one, through the config editor's round-trip document (the rest of the file,
comments included, is kept; the write is atomic and the old file kept as ``.bak``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from textual import on
from textual.theme import Theme
from textual.widgets import ContentSwitcher

from qbitrr_tui.config import ConfigError, schema
from qbitrr_tui.config.edit import ConfigDocument
from qbitrr_tui.config.model import UISettings
from qbitrr_tui.errors import UserError
from qbitrr_tui.tui.actions import VIEWS, DashboardActions
from qbitrr_tui.tui.widgets.torrents_view import TorrentsView

_FIELDS = {f.attr: f for f in schema.UI_FIELDS}


def save_ui(path: str, values: Mapping[str, object]) -> str:
    """Write these ``[UI]`` keys (by attribute name); "" when done, else why not, in a line."""
    if not path:
        return ""
    try:
        doc = ConfigDocument.load(Path(path))
        for attr, value in values.items():
            doc.set(("UI",), _FIELDS[attr], list(value) if isinstance(value, tuple) else value)
        doc.save()
    except (UserError, ConfigError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"[UI] not saved in {path}: {first}"
    return ""


class RememberedUI(DashboardActions):
    """Applies ``[UI]`` on mount and keeps the operator's choices there."""

    _ui_applied = False
    _ui_kept: dict[str, object]

    def apply_ui(self, ui: UISettings) -> None:
        self._ui_kept = {attr: getattr(ui, attr) for attr in _FIELDS}
        table = self._main(TorrentsView).table
        table.choose_columns(ui.columns)
        table.set_sort(ui.sort)
        if ui.theme and ui.theme in self.available_themes:
            self.theme = ui.theme
        elif ui.theme:
            self.notify(f"[UI] Theme: no theme named {ui.theme!r}; the default is used.")
        if ui.view in VIEWS and ui.view != "instances":
            self.action_view(ui.view)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._ui_applied = True

    def remember(self, **values: object) -> None:
        if not self._ui_applied or self.config is None:
            return
        values = {k: v for k, v in values.items() if self._ui_kept.get(k) != v}
        if not values:
            return
        self._ui_kept.update(values)
        if error := save_ui(self.config_path, values):
            self.notify(error, severity="warning")

    def _theme_changed(self, theme: Theme) -> None:
        self.remember(theme=theme.name)

    def action_view(self, name: str) -> None:
        before = self._main(ContentSwitcher).current
        super().action_view(name)
        if name in VIEWS and name != before:
            self.remember(view=name)

    @on(TorrentsView.LayoutChosen)
    def _layout_chosen(self, message: TorrentsView.LayoutChosen) -> None:
        if message.columns is not None:
            self.remember(columns=message.columns)
        if message.sort is not None:
            self.remember(sort=message.sort)
