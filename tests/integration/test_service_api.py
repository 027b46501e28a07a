"""The HTTP API against real qBittorrent: status, distribution, torrents, plan, commands.

Every JSON answer is checked against the served OpenAPI document (``service_helpers``).
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from prometheus_client.parser import text_string_to_metric_families

from qbitrr_tui.sandbox import content
from qbitrr_tui.service.notify import Message
from tests.integration.service_helpers import Client, engine_with_service, validate
from tests.support.testbed import Testbed, arr_spec

pytestmark = pytest.mark.integration


def test_api_reports_the_fleet_and_drives_the_engine(testbed: Testbed) -> None:
    radarr = testbed.arr("Radarr")
    default, seedbox = testbed.qbits["default"], testbed.qbits["seedbox"]
    movie = content.make_sample(testbed.content_dir, "Api.Movie.mkv", size=10_000)
    content.add_seeding(default, movie, category="radarr")
    stuck = [content.add_magnet(default, f"Api.Stuck.{i}", category="radarr") for i in range(3)]
    for i, info_hash in enumerate(stuck):
        radarr.add_records("default", info_hash, f"Api.Stuck.{i}", [70 + i])
        # Stuck for certain before the first cycle: later ones wait for commands (300 s).
        default.wait_for_torrent(info_hash, lambda t: t["state"] in ("metaDL", "forcedMetaDL"))
    # The engine defers deletions while an instance reports no network (a fresh 5.x does
    # for a moment); later cycles wait for commands here, so the first one must see it up.
    deadline = time.monotonic() + 30
    while default.client().transfer_info()["connection_status"] == "disconnected":
        assert time.monotonic() < deadline, "the instance never left 'disconnected'"
        time.sleep(0.2)
    content.add_magnet(seedbox, "Api.Show", category="tv")
    content.add_magnet(seedbox, "Api.Loose")  # no category
    content.add_magnet(seedbox, "Api.Other.Movie", category="radarr")
    config = testbed.config(
        "default",
        "seedbox",
        arrs=[
            arr_spec(
                radarr, name="Movies", torrent={"StalledDelay": 0, "IgnoreTorrentsYoungerThan": 0}
            )
        ],
        # ConfigVersion: StalledDelay 0 is "no grace" (without it, qBitrr's old "never").
        settings={"LoopSleepTimer": 300, "MaxDeletionsPerCycle": 2, "ConfigVersion": "5.14.6"},
    )
    sent: list[Message] = []

    def sender(message: Message) -> bool:
        sent.append(message)
        return True

    with engine_with_service(config, sender=sender) as (engine, service):
        assert service.port is not None
        api = Client(service.port)
        status = api.wait(
            "/api/status",
            lambda s: (
                s["engine"]["cycle"] >= 1 and all(i["alive"] for i in s["qbitInstances"].values())
            ),
        )
        validate(status, "Status")
        instances = status["qbitInstances"]
        assert set(instances) == {"default", "seedbox"}
        assert status["qbit"] == instances["default"]  # qBitrr's single-instance field
        for name, proc in (("default", default), ("seedbox", seedbox)):
            assert instances[name]["state"] == "up"
            assert instances[name]["version"] == proc.client().app_version()
            assert instances[name]["webapi"] == proc.client().app_web_api_version()
            assert instances[name]["port"] == proc.webui_port
            assert instances[name]["latency_ms"] > 0
        assert instances["default"]["torrents"] == 4 and instances["seedbox"]["torrents"] == 3
        assert status["arrs"][0]["name"] == "Radarr-Movies" and status["arrs"][0]["alive"]
        assert api.get("/health/ready", schema="Ready")["ready"] is True

        # The distribution is what the instances hold, category by category.
        expected: dict[str, dict[str, int]] = {}
        for name, proc in (("default", default), ("seedbox", seedbox)):
            for category, count in Counter(t["category"] for t in proc.torrents()).items():
                expected.setdefault(category or "uncategorized", {})[name] = count
        for row in expected.values():
            row.setdefault("default", 0)
            row.setdefault("seedbox", 0)
        dist = api.get("/api/torrents/distribution", schema="Distribution")
        assert dist == {"distribution": expected}
        detail = api.get("/api/torrents/distribution?detail=1", schema="Distribution")
        assert sum(detail["detail"]["radarr"]["default"].values()) == 4
        assert "tv" not in detail["detail"]  # detail covers the managed categories

        page = api.get("/api/torrents?instance=default&category=radarr&limit=2", schema="Torrents")
        assert page["total"] == 4 and len(page["torrents"]) == 2
        rest = api.get("/api/torrents?instance=default&category=radarr&offset=2", schema="Torrents")
        names = {t["name"] for t in page["torrents"] + rest["torrents"]}
        assert names == {"Api.Movie.mkv", "Api.Stuck.0", "Api.Stuck.1", "Api.Stuck.2"}
        api.get("/api/torrents?limit=many", status=400, schema="Error")

        # Three deletions on one instance, over the cap of two: all held, in the plan.
        plan = api.wait("/api/plan", lambda p: len(p["plan"]) == 3)
        validate(plan, "Plan")
        assert {(i["instance"], i["hash"]) for i in plan["plan"]} == {("default", h) for h in stuck}
        assert {i["outcome"] for i in plan["plan"]} == {"held"}

        # A rescan runs a cycle at once (LoopSleepTimer is 300 s); held again, told once.
        started = time.monotonic()
        api.post("/api/rescan")
        api.wait("/api/status", lambda s: s["engine"]["cycle"] >= 2)
        assert time.monotonic() - started < 20

        # Approving one held torrent deletes exactly that one.
        since = time.time()
        assert api.post("/api/plan/apply", {"keys": [["default", stuck[0]]]})["count"] == 1
        api.wait(
            f"/api/activity?since={since}",
            lambda a: any(
                e["hash"] == stuck[0] and e["kind"] == "delete" and e["outcome"] == "applied"
                for e in a["activity"]
            ),
        )
        validate(api.get(f"/api/activity?since={since}"), "Activity")
        assert {t["hash"] for t in default.torrents()} == {movie.info_hash, *stuck[1:]}
        api.post("/api/plan/apply", {"keys": [["default", "0" * 40]]}, status=404)

        # Disable and enable an instance, pause and resume the engine.
        api.post("/api/instances/seedbox/disable")
        api.wait("/api/status", lambda s: s["qbitInstances"]["seedbox"]["state"] == "disabled")
        api.post("/api/instances/seedbox/enable")
        api.wait("/api/status", lambda s: s["qbitInstances"]["seedbox"]["state"] == "up")
        api.post("/api/instances/nowhere/disable", status=404)
        api.post("/api/engine/pause")
        api.wait("/api/status", lambda s: s["engine"]["paused"] is True)
        assert engine.paused
        api.post("/api/engine/resume")
        api.wait("/api/status", lambda s: s["engine"]["paused"] is False)

        assert api.call("GET", "/api/rescan").status_code == 405
        assert api.call("GET", "/api/nothing").status_code == 404
        assert api.get("/api/openapi.json")["openapi"] == "3.1.0"
        snap = api.get("/api/events?after=-1", schema="Events")
        assert snap["reset"] and any(e["__t"] == "TorrentsUpdated" for e in snap["events"])
        more = api.get(f"/api/events?after={snap['seq']}", schema="Events")
        assert not more["reset"] and len(more["events"]) == more["seq"] - snap["seq"]

        # Metrics: the text parses and carries the listed series.
        response = api.call("GET", "/metrics")
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        samples = {
            (s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.text)
            for s in family.samples
        }

        def value(name: str, **labels: str) -> float:
            return samples[(name, tuple(sorted(labels.items())))]

        assert value("qbitrr_instance_up", instance="default") == 1
        assert value("qbitrr_instance_state", instance="seedbox", state="up") == 1
        assert value("qbitrr_instance_state", instance="seedbox", state="down") == 0
        assert value("qbitrr_instance_latency_seconds", instance="default") > 0
        assert value("qbitrr_instance_torrents", instance="seedbox", category="tv") == 1
        assert value("qbitrr_instance_free_space_bytes", instance="default") > 0
        assert ("qbitrr_instance_download_bytes_per_second", (("instance", "default"),)) in samples
        assert value("qbitrr_arr_up", arr="Radarr-Movies") == 1
        assert value("qbitrr_arr_queue_size", arr="Radarr-Movies") >= 0
        assert value("qbitrr_actions_total", kind="delete", outcome="held") >= 3
        assert value("qbitrr_actions_total", kind="delete", outcome="applied") >= 1
        assert value("qbitrr_api_requests_total", endpoint="/api/status") >= 3
        assert value("qbitrr_engine_cycle_duration_seconds_count") >= 3
        assert value("qbitrr_instance_requests_total", instance="default") > 0
        assert value("qbitrr_engine_paused") == 0
        by_state = {k: v for k, v in samples.items() if k[0] == "qbitrr_torrents"}
        assert by_state and all(("category", "radarr") in k[1] for k in by_state)
        assert all(len(k[1]) <= 3 for k in samples)  # no per-torrent series

    # One message for the held deletions, though they were held cycle after cycle.
    assert [m.event for m in sent].count("deletions_held") == 1
