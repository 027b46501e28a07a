"""Text fields that apply every key in the order it was typed.

Textual inserts a printable key in the field's own handler, but runs the field's bound keys
(backspace, delete, ctrl+u, home…) only once the key event has bubbled up to the app. When
keys arrive in a burst (fast typing, a paste over SSH) and the app is busy re-rendering, a
letter typed after a backspace can land before it: ``3`` ⌫ ``abc`` became ``3ab``. These
fields run their own bindings at once, in their own handler, so the order is kept.
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Input, TextArea


async def run_own_binding(widget: Widget, event: events.Key) -> bool:
    """Run ``widget``'s own (non-priority) binding for ``event`` now; True if one ran."""
    for binding in widget._bindings.key_to_bindings.get(event.key, ()):
        if binding.priority:
            continue
        event.stop()
        event.prevent_default()
        await widget.run_action(binding.action)
        return True
    return False


class OrderedInput(Input):
    """An ``Input`` whose bound keys are applied in typing order."""

    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable and await run_own_binding(self, event):
            return
        await super()._on_key(event)


class OrderedTextArea(TextArea):
    """A ``TextArea`` whose bound keys are applied in typing order."""

    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable and await run_own_binding(self, event):
            return
        await super()._on_key(event)
