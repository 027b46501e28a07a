"""`c`: edit the configuration from the dashboard, then reload the engine without a restart.

Sections on the left, a form on the right (config_form.py). Every field is checked as you
type with the validator check-config uses, the error beside it, and the whole file is
checked after every valid edit, every problem listed at once. Save is refused while there
is any problem, and does nothing when nothing changed. Passwords and API keys are masked
(ctrl+r shows them). Editing goes through config/edit.py, so comments and unknown keys
survive.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import tomlkit
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Static, Switch, TextArea
from textual.widgets.option_list import Option

from qbitrr_tui.config import Config, ConfigError
from qbitrr_tui.config.edit import ConfigDocument, Section, parse_field_text
from qbitrr_tui.errors import UserError
from qbitrr_tui.tui.format import style
from qbitrr_tui.tui.screens.config_form import ConfigForm
from qbitrr_tui.tui.screens.config_keys import CONFIG_BINDINGS
from qbitrr_tui.tui.screens.confirm import ConfirmScreen
from qbitrr_tui.tui.screens.connection_probe import probe_connection
from qbitrr_tui.tui.screens.prompt import PromptScreen
from qbitrr_tui.tui.widgets.help_first_footer import HelpFirstFooter

_BLANK_RUNS = re.compile(r"\n\s*\n(\s*\n)+")


def same_text(a: str, b: str) -> bool:
    """Whether two versions of the file say the same (blank-line runs and trailing spaces
    aside: adding then removing a section must not count as a change)."""

    def norm(text: str) -> str:
        text = "\n".join(line.rstrip() for line in text.strip().splitlines())
        return _BLANK_RUNS.sub("\n\n", text)

    return norm(a) == norm(b)


class ConfigScreen(Screen[None]):
    BINDINGS = CONFIG_BINDINGS
    DEFAULT_CSS = """
    ConfigScreen #config-title { height: 1; background: $panel; padding: 0 1; }
    ConfigScreen #sections { width: 30%; max-width: 34; min-width: 22; height: 1fr; }
    ConfigScreen #config-status { height: auto; max-height: 8; padding: 0 1;
                                  background: $panel; }
    """

    class Saved(Message):
        """The file was written; the app reloads the engine and says what changed."""

        def __init__(self, config: Config, backup: Path | None) -> None:
            super().__init__()
            self.config = config
            self.backup = backup

    class TestDone(Message):
        def __init__(self, section: str, ok: bool, text: str) -> None:
            super().__init__()
            self.section, self.ok, self.text = section, ok, text

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.doc = ConfigDocument.load(path)
        self.saved_text = self.doc.text()
        self.invalid: dict[tuple[str, str], str] = {}
        # What was typed in an invalid field: shown again when its section comes back.
        self.typed: dict[tuple[str, str], str] = {}
        self.problems: list[str] = []
        self.current: Section = self.doc.sections()[0]
        self.revealed = False

    @property
    def dirty(self) -> bool:
        return not same_text(self.doc.text(), self.saved_text)

    @property
    def form(self) -> ConfigForm:
        return self.query_one(ConfigForm)

    def compose(self) -> ComposeResult:
        yield Static(id="config-title")
        with Horizontal():
            yield OptionList(id="sections")
            yield ConfigForm(id="form")
        yield Static(id="config-status")
        # Compact: every function key fits at 80 columns.
        yield HelpFirstFooter(compact=True)

    async def on_mount(self) -> None:
        self._fill_sections()
        await self._show_form()
        self._check_file()

    # --- sections and form -----------------------------------------------------------
    def _fill_sections(self, select: str | None = None) -> None:
        options = self.query_one("#sections", OptionList)
        options.clear_options()
        sections = self.doc.sections()
        options.add_options([Option(Text(s.label), id=s.id) for s in sections])
        wanted = select or self.current.id
        ids = [s.id for s in sections]
        index = ids.index(wanted) if wanted in ids else 0
        options.highlighted = index
        self.current = sections[index]

    @on(OptionList.OptionHighlighted, "#sections")
    async def _section_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        section_id = event.option.id or ""
        if section_id != self.current.id:
            self.current = self.doc.section(section_id)
            await self._show_form()

    async def _show_form(self) -> None:
        await self.form.show(
            self.doc, self.current, self.invalid, self.typed, revealed=self.revealed
        )
        title = Text(f" {self.path}  ›  {self.current.id}", style="bold")
        self.query_one("#config-title", Static).update(title)

    # --- typing ----------------------------------------------------------------------
    def _field_of(self, control: Widget) -> str | None:
        """The form's id for ``control``, or None for a field of a form already replaced
        (its last change may arrive after the next section's form is up)."""
        if not control.is_attached or self.form.section_id != self.current.id:
            return None
        widget_id = control.id or ""
        return widget_id if widget_id in self.form.fields else None

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if widget_id := self._field_of(event.input):
            self._edit(widget_id, event.value)

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        if widget_id := self._field_of(event.text_area):
            self._edit(widget_id, event.text_area.text)

    @on(Switch.Changed)
    def _switch_changed(self, event: Switch.Changed) -> None:
        if widget_id := self._field_of(event.switch):
            self.form.show_switch(self.form.fields[widget_id], event.value)
            self._edit(widget_id, event.value)

    def _edit(self, widget_id: str, raw: str | bool) -> None:
        """Store a valid value in the document; never touch the field being typed in."""
        field = self.form.fields[widget_id]
        key = (self.current.id, field.key)
        try:
            value = raw if isinstance(raw, bool) else parse_field_text(field, raw)
        except ValueError as exc:
            self.invalid[key] = str(exc)
            self.typed[key] = str(raw)
            self.form.show_error(field, str(exc))
            self._status()
            return
        self.invalid.pop(key, None)
        self.typed.pop(key, None)
        self.form.show_error(field, "")
        if self.doc.get(self.current.path, field) != value:
            self.doc.set(self.current.path, field, value)
        self._check_file()

    def _check_file(self) -> None:
        """Check the whole edited file: every cross-field problem, listed at once."""
        try:
            self.doc.validate()
        except ConfigError as exc:
            self.problems = list(exc.problems)
        else:
            self.problems = []
        self._status()

    def _status(self) -> None:
        parts: list[Text] = []
        if self.invalid:
            parts.append(
                Text(
                    f"✗ {len(self.invalid)} field(s) invalid: saving is disabled",
                    style=style("problem"),
                )
            )
            parts += [Text(f"  [{s}] {k}: {m}") for (s, k), m in self.invalid.items()]
        elif self.problems:
            parts.append(
                Text(
                    f"✗ The edited config has {len(self.problems)} problem(s); fix them to save"
                    " (line numbers are those of the edited text):",
                    style=style("problem"),
                )
            )
            parts += [Text(f"  {p}") for p in self.problems]
        elif self.dirty:
            parts.append(
                Text(
                    "Unsaved changes · ctrl+s saves and reloads the engine", style=style("warning")
                )
            )
        else:
            parts.append(Text("No changes", style="dim"))
        self.query_one("#config-status", Static).update(Text("\n").join(parts))

    # --- actions ---------------------------------------------------------------------
    def action_save(self) -> None:
        if self.invalid:
            self.notify("Fix the invalid fields first.", severity="error")
            return
        if not self.dirty:
            self.notify("Nothing to save: the file already says this.")
            return
        try:
            config = self.doc.validate()
            backup = self.doc.save(self.path)
        except ConfigError as exc:
            self.problems = list(exc.problems)
            self._status()
            self.notify("Not saved: the config has problems.", severity="error")
            return
        except (UserError, OSError) as exc:
            self.notify(f"Not saved: {exc}", severity="error")
            return
        self.saved_text = self.doc.text()
        self.problems = []
        self._status()
        self.post_message(self.Saved(config, backup))

    def action_leave(self) -> None:
        if not self.dirty:
            self.dismiss()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss()

        self.app.push_screen(
            ConfirmScreen(
                "Leave without saving? Your changes will be lost.", yes="Leave (y)", no="Stay (n)"
            ),
            answered,
        )

    def action_reveal(self) -> None:
        self.revealed = not self.revealed
        self.form.reveal(self.revealed)

    def _forget(self, top: str) -> None:
        """Drop the unfinished (invalid) edits of a section that was removed or renamed."""
        for key in [k for k in self.invalid if k[0] == top or k[0].startswith(top + ".")]:
            del self.invalid[key]
            self.typed.pop(key, None)

    async def _changed_structure(self, select: str | None = None) -> None:
        self._fill_sections(select)
        await self._show_form()
        self._check_file()

    def _ask(self, question: str, value: str, then: Callable[[str], Awaitable[None]]) -> None:
        async def answered(answer: str | None) -> None:
            if answer:
                try:
                    await then(answer)
                except (UserError, KeyError) as exc:
                    self.notify(str(exc), severity="error")

        self.app.push_screen(PromptScreen(question, value), answered)

    def action_add_instance(self) -> None:
        async def add(name: str) -> None:
            await self._changed_structure(self.doc.add_instance(name))

        self._ask("Name of the new qBittorrent instance (e.g. seedbox):", "", add)

    def action_add_arr(self) -> None:
        async def add(section: str) -> None:
            await self._changed_structure(self.doc.add_arr(section))

        self._ask(
            "Section of the new Arr: Radarr-<Name>, Sonarr-<Name> or Lidarr-<Name>:", "Radarr-", add
        )

    def _top_level(self) -> str | None:
        section = self.current
        if section.kind in ("settings", "webapi"):  # fixed sections: no rename, remove, …
            self.notify("Select an instance or an Arr first.", severity="warning")
            return None
        return section.top

    def action_rename(self) -> None:
        top = self._top_level()
        if top is None:
            return

        async def rename(new: str) -> None:
            self.doc.rename(top, new)
            self._forget(top)
            await self._changed_structure(new)

        self._ask(f"New name for [{top}]:", top, rename)

    async def action_toggle_enabled(self) -> None:
        top = self._top_level()
        if top is None:
            return
        label = self.doc.section(top).label
        enabled = "(disabled)" in label or "(unmanaged)" in label
        self.doc.set_enabled(top, enabled)
        await self._changed_structure(self.current.id)

    def action_remove(self) -> None:
        top = self._top_level()
        if top is None:
            return

        async def answered(yes: bool | None) -> None:
            if yes:
                self.doc.remove(top)
                self._forget(top)
                await self._changed_structure("Settings")

        self.app.push_screen(ConfirmScreen(f"Remove [{top}] from the file?"), answered)

    # --- test connection -------------------------------------------------------------
    @on(Button.Pressed, "#test")
    def action_test(self) -> None:
        top = self._top_level()
        if top is None:
            return
        table = self.doc.doc.get(top)
        text = tomlkit.dumps({top: table})
        self.form.show_test_result(Text("testing…", style="dim"))
        self._test(top, text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="config-test")
    def _test(self, section: str, text: str) -> None:
        ok, message = probe_connection(section, text)
        self.post_message(self.TestDone(section, ok, message))

    @on(TestDone)
    def _tested(self, message: TestDone) -> None:
        if message.section == self.current.top:
            mark, kind = ("✓ ", "ok") if message.ok else ("✗ ", "problem")
            self.form.show_test_result(Text(mark + message.text, style=style(kind)))
