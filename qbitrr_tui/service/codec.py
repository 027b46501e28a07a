"""Engine events as JSON and back, for ``GET /api/events`` and ``attach``.

Each frozen dataclass becomes ``{"__t": its name, field: value…}``, each enum
``{"__e": its name, "v": value}``; lists come back as tuples (every sequence in the
contract is a tuple). Only the classes below can be decoded: nothing else is built
from what a server sends.
"""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any

from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.model import Action, ActionKind, Rule
from qbitrr_tui.health import Health, HealthState
from qbitrr_tui.qbit.fetch import ServerState

_CLASSES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        ev.InstanceHealthChanged,
        ev.ArrHealthChanged,
        ev.TorrentRow,
        ev.TorrentsUpdated,
        ev.InstanceStats,
        ev.ActionEvent,
        ev.CycleFinished,
        ev.EngineStateChanged,
        ev.LogLine,
        ev.TorrentDetails,
        ev.RemovalHeld,
        ev.FileDetail,
        ev.TrackerDetail,
        ev.RecycleBinChanged,
        ev.BinRow,
        ev.JournalLine,
        Health,
        ServerState,
        Action,
    )
}
_ENUMS: dict[str, type[Enum]] = {
    e.__name__: e for e in (HealthState, ActionKind, Rule, ev.ManualKind)
}


class DecodeError(ValueError):
    """What the server sent is not an event this version knows."""


def encode(value: object) -> Any:
    if isinstance(value, Enum):
        return {"__e": type(value).__name__, "v": value.value}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {"__t": type(value).__name__}
        for f in dataclasses.fields(value):
            out[f.name] = encode(getattr(value, f.name))
        return out
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if hasattr(value, "items"):  # a Mapping that is not a dict
        return {str(k): encode(v) for k, v in value.items()}
    return value


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(decode(v) for v in value)
    if not isinstance(value, dict):
        return value
    if "__e" in value:
        enum = _ENUMS.get(str(value["__e"]))
        if enum is None:
            raise DecodeError(f"unknown enum {value['__e']!r}")
        return enum(value["v"])
    if "__t" in value:
        cls = _CLASSES.get(str(value["__t"]))
        if cls is None:
            raise DecodeError(f"unknown type {value['__t']!r}")
        names = {f.name for f in dataclasses.fields(cls)}
        kwargs = {k: decode(v) for k, v in value.items() if k in names}
        try:
            return cls(**kwargs)
        except TypeError as exc:
            raise DecodeError(f"bad {cls.__name__}: {exc}") from None
    return {k: decode(v) for k, v in value.items()}
