"""The engine's failures that need a human, as toasts: an Arr that refused a blocklisting
(the torrent is then not deleted) and an import that failed. One toast per kind per drain,
naming up to three torrents; the operator's own actions are told by their own toast."""

from __future__ import annotations

from collections.abc import Iterable

from qbitrr_tui.engine import events as ev

NAMED = 3
_WHAT = {  # by the action's kind (its value: the UI reads only the event contract)
    "blocklist": "refused to blocklist",
    "import": "could not import",
}


def arr_alerts(events: Iterable[ev.ActionEvent]) -> list[tuple[str, str]]:
    """(severity, text) per kind of failure among ``events``."""
    failed: dict[str, list[ev.ActionEvent]] = {}
    for event in events:
        kind = event.action.kind.value
        if event.outcome == "failed" and event.rule != "manual" and kind in _WHAT:
            failed.setdefault(kind, []).append(event)
    alerts = []
    for kind, items in failed.items():
        arrs = sorted({e.action.arr for e in items if e.action.arr}) or ["the Arr"]
        names = [f"{e.name} ({e.instance}): {e.error}" for e in items[:NAMED]]
        if len(items) > NAMED:
            names.append(f"… and {len(items) - NAMED} more (Activity, 3)")
        head = f"{', '.join(arrs)} {_WHAT[kind]} {len(items)} torrent(s):"
        alerts.append(("error", "\n".join([head, *names])))
    return alerts
