"""The config editor's right side: one section's fields, each checked as you type.

The form is rebuilt for each section. The old fields are removed, and the removal is
awaited, before the new ones are mounted: the ids inside the form (``field-Port``) repeat
from one section to the next, and two live widgets must never share one.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static, Switch

from qbitrr_tui.config.edit import ConfigDocument, Section, field_text
from qbitrr_tui.config.schema import Field
from qbitrr_tui.tui.widgets.text_input import OrderedInput, OrderedTextArea


class ConfigForm(VerticalScroll):
    """The fields of one section, with the type, the help and the current error of each."""

    DEFAULT_CSS = """
    ConfigForm { height: 1fr; padding: 0 1; }
    ConfigForm .field { height: auto; margin-bottom: 1; }
    ConfigForm .field Label { color: $text; }
    ConfigForm .field .help { color: $text-muted; }
    ConfigForm .field .error { color: $error; text-style: bold; height: auto; }
    ConfigForm .field TextArea { height: 5; }
    ConfigForm .switch-row { height: auto; }
    ConfigForm .switch-row > Static { width: auto; padding: 1 1; }
    ConfigForm #test-row { height: auto; margin-bottom: 1; }
    ConfigForm #test-result { height: auto; padding: 0 1; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.fields: dict[str, Field] = {}
        self.section_id = ""

    async def show(
        self,
        doc: ConfigDocument,
        section: Section,
        invalid: dict[tuple[str, str], str],
        typed: dict[tuple[str, str], str],
        *,
        revealed: bool,
    ) -> None:
        """Replace the form with ``section``'s fields (the removal is awaited first)."""
        await self.remove_children()
        self.fields = {}
        self.section_id = section.id
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
            widgets.append(self._field_row(doc, section, field, invalid, typed, revealed=revealed))
        await self.mount_all(widgets)
        self.scroll_home(animate=False)

    def _field_row(
        self,
        doc: ConfigDocument,
        section: Section,
        field: Field,
        invalid: dict[tuple[str, str], str],
        typed: dict[tuple[str, str], str],
        *,
        revealed: bool,
    ) -> Vertical:
        value = doc.get(section.path, field)
        key = (section.id, field.key)
        widget_id = f"field-{field.key}"
        self.fields[widget_id] = field
        control: Widget
        if field.kind == "bool":
            on = bool(field.default) if value is None else bool(value)
            # The words beside the switch: a switch alone is an empty box without colour.
            control = Horizontal(
                Switch(value=on, id=widget_id),
                Static(on_off(on), id=f"state-{field.key}"),
                classes="switch-row",
            )
        elif field.kind in ("regex_list", "str_list"):
            shown = value if value is not None else list(field.default or ())  # type: ignore[call-overload]
            text = typed.get(key, field_text(shown))
            control = OrderedTextArea(text, id=widget_id, soft_wrap=False)
        else:
            control = OrderedInput(
                typed.get(key, field_text(value)),
                id=widget_id,
                password=field.secret and not revealed,
                placeholder=f"default: {field_text(field.default) or 'empty'}",
            )
        aliases = f" (also {', '.join(field.aliases)})" if field.aliases else ""
        error = invalid.get(key, "")
        return Vertical(
            Label(
                Text(field.key, style="bold")
                + Text(f"  {field.describe_type()}{aliases}", style="dim")
            ),
            control,
            Static(Text(field.help), classes="help"),
            Static(error_text(error), classes="error", id=f"error-{field.key}"),
            classes="field",
        )

    def show_error(self, field: Field, message: str) -> None:
        self.query_one(f"#error-{field.key}", Static).update(error_text(message))

    def show_switch(self, field: Field, on: bool) -> None:
        for state in self.query(f"#state-{field.key}").results(Static):
            state.update(on_off(on))

    def reveal(self, revealed: bool) -> None:
        for widget_id, field in self.fields.items():
            if field.secret:
                self.query_one(f"#{widget_id}", Input).password = not revealed

    def show_test_result(self, text: Text) -> None:
        for result in self.query("#test-result").results(Static):
            result.update(text)


def on_off(on: bool) -> Text:
    return Text("on" if on else "off", style="bold" if on else "dim")


def error_text(message: str) -> Text:
    """An error is marked with a glyph too, so it stands out without colour."""
    return Text(f"✗ {message}" if message else "")
