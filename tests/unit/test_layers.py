"""The layers of DESIGN.md, enforced: an import that crosses one fails here.

Read from the source (AST), every import counted, lazy ones inside functions too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import qbitrr_tui

PACKAGE = Path(qbitrr_tui.__file__).parent

# The decision core: plain data in, plain data out. No network, no database, no UI, not
# even through what it imports.
PURE = (
    "qbitrr_tui.engine.model",
    "qbitrr_tui.engine.policy",
    "qbitrr_tui.engine.rules.core",
    "qbitrr_tui.engine.rules.health",
    "qbitrr_tui.engine.rules.files",
    "qbitrr_tui.engine.rules.free_space",
    "qbitrr_tui.engine.guards",
    "qbitrr_tui.engine.plan",
    "qbitrr_tui.engine.memory",
    "qbitrr_tui.engine.events",
    "qbitrr_tui.engine.manual_contract",
)
IO = (
    "requests",
    "urllib3",
    "qbittorrentapi",
    "peewee",
    "sqlite3",
    "socket",
    "http",
    "subprocess",
    "textual",
    "qbitrr_tui.qbit.webapi",
    "qbitrr_tui.qbit.manager",
    "qbitrr_tui.arr.client",
    "qbitrr_tui.engine.store",
    "qbitrr_tui.engine.executor",
    "qbitrr_tui.sandbox",
    "qbitrr_tui.tui",
)
BELOW_THE_UI = ("engine", "qbit", "arr", "config", "health", "logs", "errors", "paths")
UI_MAY_NOT = (
    "requests",
    "urllib3",
    "qbittorrentapi",
    "qbitrr_tui.qbit.webapi",
    "qbitrr_tui.arr.client",
    "qbitrr_tui.sandbox",
    "qbitrr_tui.engine",  # but engine.events, the contract: see ui_may_import()
)
# Known crossings, each to be moved out of tui/ (REVIEW-architecture.md, change 3): the
# connection test's probe, and the screenshot command, which runs the engine and the demo.
KNOWN_UI_CROSSINGS = {
    ("qbitrr_tui.tui.screens.connection_probe", "qbitrr_tui.arr.client"),
    ("qbitrr_tui.tui.screens.connection_probe", "qbitrr_tui.qbit.webapi"),
    ("qbitrr_tui.tui.screenshot", "qbitrr_tui.engine.log_events"),
    ("qbitrr_tui.tui.screenshot", "qbitrr_tui.engine.loop"),
    ("qbitrr_tui.tui.screenshot", "qbitrr_tui.sandbox.demo"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """Every module ``path`` imports (``from a import b`` is a.b when that is a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            named = {f"{node.module}.{a.name}" for a in node.names}
            submodules = named & modules
            found.update(submodules)
            if submodules != named:  # names defined in node.module itself
                found.add(node.module)
    return found


def graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: imports_of(path, set(paths)) for name, path in paths.items()}


IMPORTS = graph()


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def reach(start: str) -> set[str]:
    """Everything importing ``start`` imports, transitively (packages' __init__ included)."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        parts = name.split(".")
        parents = [".".join(parts[:i]) for i in range(1, len(parts))]
        todo += [p for p in parents if p in IMPORTS]
        todo += IMPORTS.get(name, ())
    return seen - {start}


def test_the_graph_is_read() -> None:
    assert "qbitrr_tui.engine.decider" in IMPORTS["qbitrr_tui.engine.cycle"]
    assert "qbitrr_tui.qbit.manager" in reach("qbitrr_tui.engine.loop")
    assert "requests" in reach("qbitrr_tui.engine.loop")  # via the Arr and qBit clients


def test_the_decision_core_reaches_no_io() -> None:
    leaks = {
        (core, name) for core in PURE for name in reach(core) if any(within(name, io) for io in IO)
    }
    assert leaks == set()


def test_nothing_below_the_ui_imports_textual_or_the_ui() -> None:
    below = [n for n in IMPORTS if any(within(n, f"qbitrr_tui.{p}") for p in BELOW_THE_UI)]
    assert len(below) > 30
    crossings = {
        (name, imported)
        for name in below
        for imported in IMPORTS[name]
        if within(imported, "textual") or within(imported, "qbitrr_tui.tui")
    }
    assert crossings == set()


def ui_may_import(name: str) -> bool:
    if within(name, "qbitrr_tui.engine.events"):
        return True
    return not any(within(name, bad) for bad in UI_MAY_NOT)


def test_the_ui_imports_no_http_client_and_only_the_engine_contract() -> None:
    ui = [n for n in IMPORTS if within(n, "qbitrr_tui.tui")]
    crossings = {(n, i) for n in ui for i in IMPORTS[n] if not ui_may_import(i)}
    assert crossings - KNOWN_UI_CROSSINGS == set(), "the UI reaches past the event contract"
    assert KNOWN_UI_CROSSINGS - crossings == set(), "fixed: remove from KNOWN_UI_CROSSINGS"
