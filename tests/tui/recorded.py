"""A recorded event stream for dashboard tests and snapshots: frozen clock, fixed data."""

from __future__ import annotations

import queue
from dataclasses import dataclass, field

from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.model import Action, ActionKind
from qbitrr_tui.health import Health, HealthState
from qbitrr_tui.qbit.fetch import ServerState

NOW = 1_790_000_000.0  # frozen: every "since" and countdown is computed from this


def clock() -> float:
    return NOW


def health(
    name: str,
    state: HealthState,
    *,
    since: float = NOW - 754,
    error: str | None = None,
    version: str | None = "v4.5.2",
    port: int = 8080,
) -> Health:
    return Health(
        name=name,
        address=f"127.0.0.1:{port}",
        state=state,
        since=since,
        last_error=error,
        latency=0.004 if state is HealthState.UP else None,
        version=version if state is HealthState.UP else None,
        next_attempt=NOW + 40 if state is HealthState.DOWN else None,
    )


def row(
    instance: str,
    name: str,
    category: str,
    state: str,
    progress: float,
    rule: str,
    reason: str,
    *,
    h: str,
    tags: tuple[str, ...] = (),
    eta: int = 8640000,
    size: int = 1_500_000_000,
    ratio: float = 0.0,
) -> ev.TorrentRow:
    return ev.TorrentRow(
        instance=instance,
        hash=h * 40,
        name=name,
        category=category,
        state=state,
        progress=progress,
        size=size,
        ratio=ratio,
        eta=eta,
        tags=tags,
        dlspeed=0,
        upspeed=96_000 if progress >= 1 else 0,
        added_on=int(NOW - 3600),
        rule=rule,
        reason=reason,
        seeds=ord(h) % 5,
        peers=ord(h) % 7,
        tracker="tracker.example.org",
    )


ROWS = {
    "default": [
        row(
            "default",
            "Big.Buck.Bunny.2008.1080p.BluRay.x264",
            "radarr",
            "downloading",
            0.42,
            "ok",
            "downloading 42%, ETA 12m",
            h="a",
            eta=720,
        ),
        row(
            "default",
            "[Group] Elephants Dream (2006) [720p]",
            "radarr",
            "stalledUP",
            1.0,
            "seeding",
            "imported; seeding (ratio 0.40/2.00)",
            h="b",
            tags=("qBitrr-imported", "qBitrr-allowed_seeding"),
            ratio=0.4,
        ),
        row(
            "default",
            "Pioneer.One.S01E03.720p",
            "sonarr",
            "stalledDL",
            0.0,
            "stalled",
            "stalled 12m, removal in 3m",
            h="c",
            tags=("qBitrr-allowed_stalled",),
        ),
    ],
    "seedbox": [
        row(
            "seedbox",
            "Cosmos.Laundromat.2015.1080p",
            "radarr",
            "metaDL",
            0.0,
            "stalled",
            "no metadata 16m > StalledDelay 15m: removing, blocklisted and searched again",
            h="d",
        ),
        row(
            "seedbox",
            "Agent.327.2017.Pilot",
            "sonarr",
            "metaDL",
            0.0,
            "ignored",
            "tagged qBitrr-ignored: no automatic action",
            h="e",
            tags=("qBitrr-ignored",),
        ),
        row(
            "seedbox",
            "Sintel.2010.1080p",
            "radarr",
            "uploading",
            1.0,
            "import",
            "complete; import in 40s (ImportSettleTime)",
            h="f",
        ),
    ],
}


def stream(dry_run: bool = True) -> list[ev.Event]:
    events: list[ev.Event] = [
        ev.InstanceHealthChanged(health("default", HealthState.UP, port=8080)),
        ev.InstanceHealthChanged(health("seedbox", HealthState.UP, port=8081)),
        ev.InstanceHealthChanged(
            health(
                "offsite",
                HealthState.DOWN,
                port=8082,
                error=(
                    "cannot reach instance 'offsite' at http://127.0.0.1:8082: connection refused"
                ),
            )
        ),
        ev.InstanceHealthChanged(health("cloud", HealthState.DISABLED, port=8083)),
        ev.ArrHealthChanged(
            Health(
                "Radarr-Movies",
                "http://127.0.0.1:7878",
                HealthState.UP,
                NOW - 600,
                version="6.0.3.10276",
            ),
            "Radarr",
            "radarr",
            4,
        ),
        ev.ArrHealthChanged(
            Health(
                "Sonarr-TV",
                "http://127.0.0.1:8989",
                HealthState.AUTH_FAILED,
                NOW - 30,
                last_error="Sonarr-TV refused the API key (HTTP 401): check APIKey",
            ),
            "Sonarr",
            "sonarr",
            None,
        ),
    ]
    for name, speeds in (("default", (2e6, 2.4e6, 1.1e6, 3e6)), ("seedbox", (5e5, 7e5, 9e5))):
        for dl in speeds:
            managed: dict[str, int] = {}
            for r in ROWS[name]:
                managed[r.category] = managed.get(r.category, 0) + 1
            events.append(
                ev.InstanceStats(
                    name,
                    ServerState("connected", 10**11, int(dl), 400_000),
                    {**managed, "linux-isos": 2},
                    managed,
                    0.004,
                    1,
                )
            )
        events.append(ev.TorrentsUpdated(name, tuple(ROWS[name]), full=True))
    delete = Action(ActionKind.DELETE)
    events += [
        ev.ActionEvent(
            NOW - 120,
            "default",
            "b" * 40,
            "[Group] Elephants Dream (2006) [720p]",
            Action(ActionKind.IMPORT, arr="Radarr-Movies"),
            "import",
            "complete: importing into Radarr-Movies (Auto)",
            "applied",
            False,
        ),
        ev.ActionEvent(
            NOW - 60,
            "seedbox",
            "d" * 40,
            "Cosmos.Laundromat.2015.1080p",
            Action(ActionKind.BLOCKLIST, queue_ids=(4,), arr="Radarr-Movies"),
            "stalled",
            ROWS["seedbox"][0].reason,
            "planned",
            dry_run,
        ),
        ev.ActionEvent(
            NOW - 60,
            "seedbox",
            "d" * 40,
            "Cosmos.Laundromat.2015.1080p",
            delete,
            "stalled",
            ROWS["seedbox"][0].reason,
            "planned",
            dry_run,
        ),
        ev.LogLine(NOW - 30, "WARNING", "Sonarr-TV refused the API key (HTTP 401): check APIKey"),
        ev.CycleFinished(
            cycle=42,
            started=NOW - 2,
            duration=0.31,
            requests_per_instance={"default": 1, "seedbox": 1},
            requests_per_arr={"Radarr-Movies": 1},
            actions=3,
            torrents=6,
            next_cycle_at=NOW + 4,
            paused=False,
            dry_run=dry_run,
        ),
    ]
    return events


@dataclass
class RecordedLink:
    """Stands in for the engine: replays events; records commands; can answer a command
    the way the engine does, so a test sees the round trip."""

    events: queue.Queue[ev.Event] = field(default_factory=queue.Queue)
    commands: queue.Queue[ev.Command] = field(default_factory=queue.Queue)
    started: bool = False
    stopped: bool = False

    def feed(self, events: list[ev.Event]) -> None:
        for event in events:
            self.events.put(event)

    def start(self) -> None:
        self.started = True

    def stop(self, timeout: float = 30.0) -> None:
        self.stopped = True

    def sent(self) -> list[ev.Command]:
        out = []
        while not self.commands.empty():
            out.append(self.commands.get_nowait())
        return out
