"""Every module the package imports comes with a plain `pip install qbitrr-tui`: `demo` and
`screenshot` failed with ModuleNotFoundError (torf was a dev extra; finding 19)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions, requires
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Imported only where the extra is named in the message when it is missing.
OPTIONAL = {"apprise": "notify"}


def _requirement_name(spec: str) -> str:
    return re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0].lower().replace("_", "-")


def test_every_imported_distribution_is_a_runtime_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    direct = {_requirement_name(spec) for spec in project["dependencies"]}
    # What a direct dependency always brings (rich comes with textual) counts too.
    runtime = direct | {
        _requirement_name(spec)
        for dist in direct
        for spec in requires(dist) or []
        if "extra ==" not in spec
    }
    owners = packages_distributions()
    missing: dict[str, str] = {}
    for path in (ROOT / "qbitrr_tui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top == "qbitrr_tui" or top in OPTIONAL:
                    continue
                dists = {d.lower().replace("_", "-") for d in owners.get(top, [top])}
                if not dists & runtime:
                    missing[top] = str(path.relative_to(ROOT))
    assert missing == {}, "imported but not in [project] dependencies"
    assert "torf" in direct  # the demo and screenshots make real .torrent files
