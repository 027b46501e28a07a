"""Updating a Static only when its content changes.

``Static.update`` asks for a new layout of the screen even when the content is the same; the
engine bar is painted four times a second and the instance panels once a second, and with
30,000 torrents those layouts were most of the dashboard's idle CPU (bench/RESULTS.md).
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from rich.text import Text
from textual.widgets import Static

_shown: WeakKeyDictionary[Static, Text | str] = WeakKeyDictionary()


def update_quietly(widget: Static, content: Text | str) -> None:
    if _shown.get(widget) != content:
        _shown[widget] = content
        widget.update(content)
