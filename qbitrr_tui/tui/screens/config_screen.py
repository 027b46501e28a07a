"""`c`: edit the configuration from the dashboard, then reload the engine without a restart.

Sections on the left, a form on the right. Every field is checked as you type with the
validator check-config uses, the error beside it; Save is refused while any field is
invalid or the whole config has a problem. Passwords and API keys are masked (ctrl+r shows
them). Editing goes through config/edit.py, so comments and unknown keys survive.
"""

from __future__ import annotations

from pathlib import Path

import tomlkit
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Label, OptionList, Static, Switch, TextArea
from textual.widgets.option_list import Option

from qbitrr_tui.arr.client import ArrClient, ArrError
from qbitrr_tui.config import Config, ConfigError, parse_config
from qbitrr_tui.config.edit import ConfigDocument, Section, field_text, parse_field_text
from qbitrr_tui.config.schema import Field
from qbitrr_tui.errors import UserError
from qbitrr_tui.qbit.webapi import QbitError, WebApiClient, base_url
from qbitrr_tui.tui.screens.confirm import ConfirmScreen
from qbitrr_tui.tui.screens.prompt import PromptScreen


class ConfigScreen(Screen[None]):
    BINDINGS = [
        Binding(
            "ctrl+s",
            "save",
            "Save",
            id="config.save",
            tooltip="Check and save the file, then reload the engine",
        ),
        Binding(
            "escape",
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
            "Add qBit",
            id="config.add_instance",
            tooltip="Add a qBittorrent instance",
        ),
        Binding(
            "f4",
            "add_arr",
            "Add Arr",
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
            "Reveal",
            id="config.reveal",
            tooltip="Show or hide passwords and API keys",
        ),
    ]
    DEFAULT_CSS = """
    ConfigScreen #config-title { height: 1; background: $panel; padding: 0 1; }
    ConfigScreen #sections { width: 34; height: 1fr; border-right: solid $panel-lighten-1; }
    ConfigScreen #form { height: 1fr; padding: 0 1; }
    ConfigScreen .field { height: auto; margin-bottom: 1; }
    ConfigScreen .field Label { color: $text; }
    ConfigScreen .field .help { color: $text-muted; }
    ConfigScreen .field .error { color: $error; height: auto; }
    ConfigScreen .field TextArea { height: 5; }
    ConfigScreen #test-row { height: auto; margin-bottom: 1; }
    ConfigScreen #test-result { height: auto; padding: 0 1; }
    ConfigScreen #config-status { height: auto; max-height: 6; padding: 0 1;
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
        self.dirty = False
        self.invalid: dict[tuple[str, str], str] = {}
        self.problems: list[str] = []
        self.current: Section = self.doc.sections()[0]
        self.revealed = False
        self._fields: dict[str, Field] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="config-title")
        with Horizontal():
            yield OptionList(id="sections")
            yield VerticalScroll(id="form")
        yield Static(id="config-status")
        yield Footer()

    def on_mount(self) -> None:
        self._fill_sections()
        self._render_form()
        self._status()

    # --- sections and form -----------------------------------------------------------
    def _fill_sections(self, select: str | None = None) -> None:
        options = self.query_one("#sections", OptionList)
        options.clear_options()
        sections = self.doc.sections()
        options.add_options([Option(s.label, id=s.id) for s in sections])
        wanted = select or self.current.id
        ids = [s.id for s in sections]
        index = ids.index(wanted) if wanted in ids else 0
        options.highlighted = index
        self.current = sections[index]

    @on(OptionList.OptionHighlighted, "#sections")
    def _section_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        section_id = event.option.id or ""
        if section_id != self.current.id:
            self.current = self.doc.section(section_id)
            self._render_form()

    def _render_form(self) -> None:
        form = self.query_one("#form", VerticalScroll)
        form.remove_children()
        self._fields = {}
        section = self.current
        widgets: list[Widget] = []
        if section.kind in ("qbit", "arr"):
            widgets.append(
                Horizontal(
                    Button("Test connection (F5)", id="test"),
                    Static(id="test-result"),
                    id="test-row",
                )
            )
        for field in section.fields:
            widgets.append(self._field_row(section, field))
        form.mount_all(widgets)
        title = Text(f" {self.path}  ›  {section.id}", style="bold")
        self.query_one("#config-title", Static).update(title)

    def _field_row(self, section: Section, field: Field) -> Vertical:
        value = self.doc.get(section.path, field)
        widget_id = f"field-{field.key}"
        self._fields[widget_id] = field
        control: Widget
        if field.kind == "bool":
            default = bool(field.default)
            control = Switch(value=default if value is None else bool(value), id=widget_id)
        elif field.kind in ("regex_list", "str_list"):
            shown = value if value is not None else list(field.default or ())  # type: ignore[call-overload]
            control = TextArea(field_text(shown), id=widget_id, soft_wrap=False)
        else:
            control = Input(
                field_text(value),
                id=widget_id,
                password=field.secret and not self.revealed,
                placeholder=f"default: {field_text(field.default) or 'empty'}",
            )
        aliases = f" (also {', '.join(field.aliases)})" if field.aliases else ""
        error = self.invalid.get((section.id, field.key), "")
        return Vertical(
            Label(
                Text(field.key, style="bold")
                + Text(f"  {field.describe_type()}{aliases}", style="dim")
            ),
            control,
            Static(field.help, classes="help"),
            Static(error, classes="error", id=f"error-{field.key}"),
            classes="field",
        )

    # --- typing ----------------------------------------------------------------------
    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if event.input.id in self._fields:
            self._edit(event.input.id or "", event.value)

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id in self._fields:
            self._edit(event.text_area.id or "", event.text_area.text)

    @on(Switch.Changed)
    def _switch_changed(self, event: Switch.Changed) -> None:
        if event.switch.id in self._fields:
            self._edit(event.switch.id or "", event.value)

    def _edit(self, widget_id: str, raw: str | bool) -> None:
        field = self._fields[widget_id]
        key = (self.current.id, field.key)
        try:
            value = raw if isinstance(raw, bool) else parse_field_text(field, raw)
            if self.doc.get(self.current.path, field) == value:
                self.invalid.pop(key, None)
                self._show_error(field, "")
                return
            self.doc.set(self.current.path, field, value)
        except ValueError as exc:
            self.invalid[key] = str(exc)
            self._show_error(field, str(exc))
        else:
            self.invalid.pop(key, None)
            self._show_error(field, "")
            self.dirty = True
        self._status()

    def _show_error(self, field: Field, message: str) -> None:
        self.query_one(f"#error-{field.key}", Static).update(message)

    def _status(self) -> None:
        parts: list[Text] = []
        if self.invalid:
            parts.append(
                Text(f"{len(self.invalid)} field(s) invalid: saving is disabled", style="bold red")
            )
            parts += [Text(f"  [{s}] {k}: {m}", style="red") for (s, k), m in self.invalid.items()]
        elif self.problems:
            parts.append(Text("The config has problems; fix them to save:", style="bold red"))
            parts += [Text(f"  {p}", style="red") for p in self.problems]
        elif self.dirty:
            parts.append(
                Text("Unsaved changes · ctrl+s saves and reloads the engine", style="bold yellow")
            )
        else:
            parts.append(Text("No changes", style="dim"))
        self.query_one("#config-status", Static).update(Text("\n").join(parts))

    # --- actions ---------------------------------------------------------------------
    def action_save(self) -> None:
        if self.invalid:
            self.notify("Fix the invalid fields first.", severity="error")
            return
        try:
            config = self.doc.validate()
            backup = self.doc.save(self.path)
        except ConfigError as exc:
            self.problems = exc.problems
            self._status()
            self.notify("Not saved: the config has problems.", severity="error")
            return
        except (UserError, OSError) as exc:
            self.notify(f"Not saved: {exc}", severity="error")
            return
        self.problems = []
        self.dirty = False
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
        for widget_id, field in self._fields.items():
            if field.secret:
                self.query_one(f"#{widget_id}", Input).password = not self.revealed

    def _changed_structure(self, select: str | None = None) -> None:
        self.dirty = True
        self._fill_sections(select)
        self._render_form()
        self._status()

    def _ask(self, question: str, value: str, then: object) -> None:
        def answered(answer: str | None) -> None:
            if answer:
                try:
                    then(answer)  # type: ignore[operator]
                except (UserError, KeyError) as exc:
                    self.notify(str(exc), severity="error")

        self.app.push_screen(PromptScreen(question, value), answered)

    def action_add_instance(self) -> None:
        def add(name: str) -> None:
            self._changed_structure(self.doc.add_instance(name))

        self._ask("Name of the new qBittorrent instance (e.g. seedbox):", "", add)

    def action_add_arr(self) -> None:
        def add(section: str) -> None:
            self._changed_structure(self.doc.add_arr(section))

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

        def rename(new: str) -> None:
            self.doc.rename(top, new)
            self._changed_structure(new)

        self._ask(f"New name for [{top}]:", top, rename)

    def action_toggle_enabled(self) -> None:
        top = self._top_level()
        if top is None:
            return
        label = self.doc.section(top).label
        enabled = "(disabled)" in label or "(unmanaged)" in label
        self.doc.set_enabled(top, enabled)
        self._changed_structure(self.current.id)

    def action_remove(self) -> None:
        top = self._top_level()
        if top is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.doc.remove(top)
                self._changed_structure("Settings")

        self.app.push_screen(ConfirmScreen(f"Remove [{top}] from the file?"), answered)

    # --- test connection -------------------------------------------------------------
    @on(Button.Pressed, "#test")
    def action_test(self) -> None:
        top = self._top_level()
        if top is None:
            return
        table = self.doc.doc.get(top)
        text = tomlkit.dumps({top: table})
        self.query_one("#test-result", Static).update(Text("testing…", style="dim"))
        self._test(top, text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="config-test")
    def _test(self, section: str, text: str) -> None:
        ok, message = probe_connection(section, text)
        self.post_message(self.TestDone(section, ok, message))

    @on(TestDone)
    def _tested(self, message: TestDone) -> None:
        if message.section == self.current.top and self.query("#test-result"):
            style = "bold green" if message.ok else "bold red"
            self.query_one("#test-result", Static).update(Text(message.text, style=style))


def probe_connection(section: str, text: str) -> tuple[bool, str]:
    """Connect once to the instance or Arr in ``text`` (one section of TOML)."""
    try:
        config = parse_config(text, None, env={})
    except ConfigError as exc:
        return False, "; ".join(p.split(": ", 1)[-1] for p in exc.problems)
    if config.instances:
        inst = config.instances[0]
        client = WebApiClient(
            inst.name,
            base_url(inst.host, inst.port),
            inst.username,
            inst.password,
            verify_tls=not inst.skip_tls_verify,
            timeout=(3.05, 10.0),
        )
        try:
            client.login()
            version = client.get_text("app/version")
            api = client.get_text("app/webapiVersion")
        except QbitError as exc:
            return False, str(exc)
        finally:
            client.close()
        return True, f"connected: qBittorrent {version} (Web API {api})"
    if config.arrs:
        arr = ArrClient(config.arrs[0], sleep=lambda _: None, timeout=(3.05, 10.0))
        try:
            status = arr.system_status()
        except ArrError as exc:
            return False, str(exc)
        finally:
            arr.close()
        return True, f"connected: {status.app_name} {status.version}"
    return False, f"[{section}] is not an instance or an Arr"
