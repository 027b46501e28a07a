"""The Arr stand-in cannot drift into a fiction: every route it serves, every parameter our
client sends and every field it answers is checked against the real OpenAPI files."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from qbitrr_tui.arr.client import ArrClient
from qbitrr_tui.sandbox import content
from qbitrr_tui.sandbox.arr_server import ROUTES
from tests.conftest import arr_config
from tests.support.testbed import Testbed

pytestmark = pytest.mark.integration

# Verbatim copies of the Servarr projects' own files (tests/data/arr-openapi/SOURCES.md).
SPEC_DIR = Path(__file__).resolve().parents[1] / "data" / "arr-openapi"
SPECS = {"Radarr": "radarr-v3.json", "Sonarr": "sonarr-v3.json", "Lidarr": "lidarr-v1.json"}


def load_spec(kind: str) -> dict[str, Any]:
    path = SPEC_DIR / SPECS[kind]
    if not path.exists():
        pytest.fail(f"{path} is missing: the contract test has nothing to check against")
    return dict(json.loads(path.read_text()))


def schema_props(spec: dict[str, Any], name: str) -> set[str]:
    return set(spec["components"]["schemas"][name]["properties"])


def spec_params(spec: dict[str, Any], prefix: str, method: str, route: str) -> set[str]:
    op = spec["paths"][f"{prefix}/{route}"][method.lower()]
    return {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}


@pytest.mark.parametrize("kind", list(SPECS))
def test_stand_in_matches_openapi(
    kind: str,
    testbed: Testbed,
) -> None:
    spec = load_spec(kind)
    arr = testbed.arr(kind)
    prefix = arr.kind.api_prefix

    # 1. Every route served exists in the spec with that method.
    for method, route in ROUTES:
        assert f"{prefix}/{route}" in spec["paths"], route
        assert method.lower() in spec["paths"][f"{prefix}/{route}"], (method, route)

    # 2. Drive every call the client makes, with records in every interesting state.
    client = ArrClient(arr_config(arr))
    client.system_status()
    default = testbed.qbits["default"]
    sample = testbed.seeding(default, f"{kind}.Done", category=arr.category, size=20_000)
    arr.add_records("default", sample.info_hash, sample.name, [5])
    stuck = content.add_magnet(default, f"{kind}.Stuck", category=arr.category)
    stuck_ids = arr.add_records("default", stuck, f"{kind}.Stuck", [6, 7])
    client.queue()
    done = client.import_download(str(sample.content_path), sample.info_hash, "Auto")
    client.search([6])
    client.delete_queue_item(
        stuck_ids[0], remove_from_client=True, blocklist=True, skip_redownload=True
    )
    time.sleep(0.3)
    client.command_status(done.id)

    # 3. Every query parameter our client sent is one the real API takes.
    for request in arr.requests:
        route = "queue/{id}" if request.path.startswith("queue/") else request.path
        route = "command/{id}" if route.startswith("command/") else route
        allowed = spec_params(spec, prefix, request.method, route)
        assert set(request.query) <= allowed, (request.method, route, set(request.query) - allowed)

    # 4. Every field the stand-in answers exists in the spec's schema.
    headers = {"X-Api-Key": arr.api_key}
    import requests

    def get(path: str, **params: object) -> Any:
        return requests.get(
            f"{arr.url}{prefix}/{path}", headers=headers, params=params, timeout=10
        ).json()

    magnet = content.add_magnet(default, f"{kind}.Other", category=arr.category)
    arr.add_records("default", magnet, f"{kind}.Other", [9])
    assert set(get("system/status")) <= schema_props(spec, "SystemResource")
    queue = get("queue", page=1, pageSize=50)
    assert set(queue) <= schema_props(spec, "QueueResourcePagingResource")
    assert queue["records"], "the queue should hold the magnet's record"
    for record in queue["records"]:
        assert set(record) <= schema_props(spec, "QueueResource"), set(record) - schema_props(
            spec, "QueueResource"
        )
        for message in record["statusMessages"]:
            assert set(message) <= schema_props(spec, "TrackedDownloadStatusMessage")
    command = get(f"command/{done.id}")
    assert set(command) <= schema_props(spec, "CommandResource")
    history = get("history", page=1, pageSize=50)
    assert history["records"]
    for item in history["records"]:
        assert set(item) <= schema_props(spec, "HistoryResource")
    blocklist = get("blocklist", page=1, pageSize=50)
    assert blocklist["records"]
    for item in blocklist["records"]:
        assert set(item) <= schema_props(spec, "BlocklistResource")
    # Enum values the stand-in uses are the spec's.
    schemas = spec["components"]["schemas"]
    states = set(schemas["TrackedDownloadState"]["enum"])
    assert {r["trackedDownloadState"] for r in queue["records"]} <= states
    assert command["status"] in schemas["CommandStatus"]["enum"]
    assert command["result"] in schemas["CommandResult"]["enum"]
    if "QueueStatus" in schemas:
        assert {r["status"] for r in queue["records"]} <= set(schemas["QueueStatus"]["enum"])
