"""The API's OpenAPI 3.1 document (served at ``/api/openapi.json``).

Its schemas are JSON Schema 2020-12; a test validates real responses against them, so the
document cannot drift from what the server sends.
"""

from __future__ import annotations

from typing import Any

_NUM = {"type": ["number", "null"]}
_INT = {"type": ["integer", "null"]}
_STR = {"type": ["string", "null"]}

_HEALTH = {
    "alive": {"type": "boolean"},
    "state": {"enum": ["connecting", "up", "down", "auth_failed", "disabled", "unknown"]},
    "version": _STR,
    "last_error": _STR,
    "since": _NUM,
    "next_retry": _NUM,
}
_HEALTH_KEYS = list(_HEALTH)

INSTANCE = {
    "type": "object",
    "required": [
        *_HEALTH_KEYS,
        "webapi",
        "host",
        "port",
        "torrents",
        "managed_torrents",
        "latency_ms",
    ],
    "properties": {
        **_HEALTH,
        "webapi": _STR,
        "host": _STR,
        "port": _INT,
        "torrents": _INT,
        "managed_torrents": _INT,
        "latency_ms": _NUM,
        "download_speed": _INT,
        "upload_speed": _INT,
        "free_space": _INT,
    },
}
ARR = {
    "type": "object",
    "required": [*_HEALTH_KEYS, "name", "kind", "category", "uri", "queue"],
    "properties": {
        **_HEALTH,
        "name": {"type": "string"},
        "kind": {"type": "string"},
        "category": {"type": "string"},
        "uri": _STR,
        "queue": _INT,
    },
}
STATUS = {
    "type": "object",
    "required": ["qbit", "qbitInstances", "arrs", "engine", "ready"],
    "properties": {
        "qbit": {"oneOf": [{"$ref": "#/components/schemas/Instance"}, {"type": "null"}]},
        "qbitInstances": {
            "type": "object",
            "additionalProperties": {"$ref": "#/components/schemas/Instance"},
        },
        "arrs": {"type": "array", "items": {"$ref": "#/components/schemas/Arr"}},
        "engine": {
            "type": "object",
            "required": ["cycle", "dry_run", "paused", "torrents", "held"],
            "properties": {
                "cycle": {"type": "integer"},
                "last_cycle_seconds": _NUM,
                "next_cycle_at": _NUM,
                "torrents": {"type": "integer"},
                "held": {"type": "integer"},
                "dry_run": {"type": "boolean"},
                "paused": {"type": "boolean"},
                "message": {"type": "string"},
            },
        },
        "ready": {"type": "boolean"},
    },
}
_COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}
DISTRIBUTION = {
    "type": "object",
    "required": ["distribution"],
    "properties": {
        "distribution": {
            "description": "category → instance → number of torrents",
            "type": "object",
            "additionalProperties": _COUNTS,
        },
        "detail": {
            "description": "category → instance → state → number (managed torrents)",
            "type": "object",
            "additionalProperties": {"type": "object", "additionalProperties": _COUNTS},
        },
    },
}
TORRENT = {
    "type": "object",
    "required": ["instance", "hash", "name", "category", "state", "progress", "rule", "reason"],
    "properties": {
        "instance": {"type": "string"},
        "hash": {"type": "string"},
        "name": {"type": "string"},
        "category": {"type": "string"},
        "state": {"type": "string"},
        "progress": {"type": "number"},
        "size": {"type": "integer"},
        "ratio": {"type": "number"},
        "eta": {"type": "integer"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "dlspeed": {"type": "integer"},
        "upspeed": {"type": "integer"},
        "added_on": {"type": "integer"},
        "rule": {"type": "string"},
        "reason": {"type": "string", "description": "with its countdown as of the answer"},
        "reason_template": {
            "type": "string",
            "description": "the reason with {left} where the time left until deadline goes",
        },
        "deadline": {
            "type": ["number", "null"],
            "description": "epoch seconds: the end of the reason's countdown",
        },
    },
}
TORRENTS = {
    "type": "object",
    "required": ["total", "offset", "limit", "torrents"],
    "properties": {
        "total": {"type": "integer"},
        "offset": {"type": "integer"},
        "limit": {"type": "integer"},
        "torrents": {"type": "array", "items": {"$ref": "#/components/schemas/Torrent"}},
    },
}
_OUTCOME = {"enum": ["planned", "applied", "failed", "held"]}
ACTIVITY = {
    "type": "object",
    "required": ["activity"],
    "properties": {
        "activity": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["time", "instance", "hash", "name", "action", "kind", "outcome"],
                "properties": {
                    "time": {"type": "number"},
                    "instance": {"type": "string"},
                    "hash": {"type": "string"},
                    "name": {"type": "string"},
                    "action": {"type": "string"},
                    "kind": {"type": "string"},
                    "rule": {"type": "string"},
                    "reason": {"type": "string"},
                    "outcome": _OUTCOME,
                    "dry_run": {"type": "boolean"},
                    "error": {"type": "string"},
                },
            },
        }
    },
}
PLAN = {
    "type": "object",
    "required": ["plan"],
    "properties": {
        "plan": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["instance", "hash", "name", "outcome", "actions"],
                "properties": {
                    "instance": {"type": "string"},
                    "hash": {"type": "string"},
                    "name": {"type": "string"},
                    "rule": {"type": "string"},
                    "reason": {"type": "string"},
                    "outcome": {"enum": ["planned", "held"]},
                    "actions": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}
ACCEPTED = {
    "type": "object",
    "required": ["accepted", "command"],
    "properties": {
        "accepted": {"const": True},
        "command": {"type": "string"},
        "count": {"type": "integer"},
    },
}
EVENTS = {
    "type": "object",
    "required": ["seq", "reset", "events"],
    "properties": {
        "seq": {"type": "integer"},
        "reset": {"type": "boolean", "description": "events is a snapshot of the state"},
        "events": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["__t"],
                "properties": {"__t": {"type": "string"}},
            },
        },
    },
}
ERROR = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}
HEALTH = {"type": "object", "required": ["status"], "properties": {"status": {"const": "ok"}}}
READY = {
    "type": "object",
    "required": ["ready"],
    "properties": {"ready": {"type": "boolean"}, "config_loaded": {"type": "boolean"}},
}

SCHEMAS: dict[str, dict[str, Any]] = {
    "Instance": INSTANCE,
    "Arr": ARR,
    "Status": STATUS,
    "Distribution": DISTRIBUTION,
    "Torrent": TORRENT,
    "Torrents": TORRENTS,
    "Activity": ACTIVITY,
    "Plan": PLAN,
    "Accepted": ACCEPTED,
    "Events": EVENTS,
    "Error": ERROR,
    "Health": HEALTH,
    "Ready": READY,
}


def _json(schema: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def _op(summary: str, schema: str, *, public: bool = False, **extra: Any) -> dict[str, Any]:
    code = "202" if schema == "Accepted" else "200"
    op: dict[str, Any] = {
        "summary": summary,
        "responses": {code: {"description": summary, **_json(schema)}},
        **extra,
    }
    if public:
        op["security"] = []
    else:
        op["responses"]["401"] = {"description": "missing or wrong token", **_json("Error")}
    return op


def _query(*names: str) -> list[dict[str, Any]]:
    return [{"name": n, "in": "query", "schema": {"type": "string"}} for n in names]


_NAME = [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}]

PATHS: dict[str, dict[str, Any]] = {
    "/health": {"get": _op("The process is alive", "Health", public=True)},
    "/health/ready": {"get": _op("At least one instance is up (503 otherwise)", "Ready")},
    "/api/status": {"get": _op("Instances, Arrs and the engine", "Status")},
    "/api/torrents/distribution": {
        "get": _op(
            "Torrents per category and instance", "Distribution", parameters=_query("detail")
        )
    },
    "/api/torrents": {
        "get": _op(
            "Managed torrents, filtered and paged",
            "Torrents",
            parameters=_query("instance", "category", "rule", "state", "offset", "limit"),
        )
    },
    "/api/activity": {"get": _op("Actions since a time", "Activity", parameters=_query("since"))},
    "/api/plan": {"get": _op("Planned (dry-run) and held actions", "Plan")},
    "/api/events": {
        "get": _op(
            "Engine events after a number (long poll), or a snapshot",
            "Events",
            parameters=_query("after", "wait"),
        )
    },
    "/api/rescan": {"post": _op("Start a cycle now", "Accepted")},
    "/api/instances/{name}/enable": {
        "post": _op("Enable an instance", "Accepted", parameters=_NAME)
    },
    "/api/instances/{name}/disable": {
        "post": _op("Disable an instance", "Accepted", parameters=_NAME)
    },
    "/api/plan/apply": {"post": _op("Carry out planned or held actions", "Accepted")},
    "/api/engine/pause": {"post": _op("Pause the engine", "Accepted")},
    "/api/engine/resume": {"post": _op("Resume the engine", "Accepted")},
    "/api/engine/dry-run": {"post": _op('Dry-run on or off: {"enabled": bool}', "Accepted")},
}

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "qbitrr-tui engine API", "version": "1"},
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    },
    "security": [{"bearer": []}],
}
