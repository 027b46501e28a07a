"""Engines at scale, side by side: qbitrr-tui and qBitrr2 against the same sandbox.

For each size N: three real qbittorrent-nox instances with N torrents each (per category
80 % complete and seeding, 10 % paused, 10 % magnets stuck without metadata, over the
radarr / sonarr / lidarr categories plus two unmanaged ones), Radarr / Sonarr / Lidarr
stand-ins whose queues hold the stuck downloads, and a counting proxy in front of every
server. Each engine runs headless at the same LoopSleepTimer; after a warm-up, a window of
fixed length is measured: requests and bytes per minute through the proxies, CPU seconds
per minute of the qbittorrent-nox processes and of the engine's whole process group (from
/proc), the engine's peak RSS, and (ours) the median cycle time from its log. Before any
engine runs, each fresh sandbox's qBittorrent CPU is measured with none (``--baseline``):
libtorrent's own work and the stand-ins' scheduled reads of their download clients (every
30 s, asked or not, as a real Arr), which every engine pays alike.

qBitrr2 is installed from PyPI into its own venv (never vendored): 5.12.12 on this Python,
the newest release on Debian 13's Python 3.13 (bench/qbitrr2_env.py). Each qBitrr2 release
gets a fresh sandbox with ours measured in it first. Ours runs in dry-run; qBitrr2 has no
dry-run and runs live with its searches (EntrySearch) off.

    .venv/bin/python -m bench.scale --sizes 1000,5000,10000 --minutes 2 --warmup 45
    .venv/bin/python -m bench.scale --sizes 10000 --qbitrr2 newest --adds-per-hour 30
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from bench import completions, qbitrr2_env
from bench import our_config as our_config_file
from bench import qbitrr2_config as qbitrr2_config_file
from bench.harness import (
    CountingProxy,
    cpu_seconds,
    group_cpu,
    group_pids,
    peak_rss_mib,
    steady_cpu_per_min,
    stop_group,
)
from bench.qbitrr2_env import Qbitrr2
from bench.scale_args import arguments
from qbitrr_tui.sandbox import versions
from qbitrr_tui.sandbox.arr_server import ArrStandIn
from qbitrr_tui.sandbox.bulk import Mix, populate
from qbitrr_tui.sandbox.qbit import Sandbox

INSTANCES = ("default", "seedbox", "vpn")
ARRS = (("Radarr", "radarr"), ("Sonarr", "sonarr"), ("Lidarr", "lidarr"))
CATEGORIES = ("radarr", "sonarr", "lidarr", "personal", "linux-isos")
KEY = "bench0123456789abcdef0123456789ab"
OUT = Path(__file__).resolve().parent / "out"


@dataclass
class Scenario:
    root: Path
    sandbox: Sandbox
    arrs: dict[str, ArrStandIn]
    qbit_proxies: dict[str, CountingProxy]
    arr_proxies: dict[str, CountingProxy]

    def proxies(self) -> list[CountingProxy]:
        return [*self.qbit_proxies.values(), *self.arr_proxies.values()]

    def stop(self) -> None:
        for proxy in self.proxies():
            proxy.stop()
        for arr in self.arrs.values():
            arr.stop()
        self.sandbox.stop()


@dataclass(frozen=True, slots=True)
class Window:
    minutes: float
    warmup: float | None  # None: by size (see --warmup)
    add_interval_s: float  # one torrent added complete every … (bench/completions.py)
    keep_logs: Path  # the engines' logs are copied here (the sandbox is deleted)


@dataclass
class Measured:
    engine: str
    size: int
    minutes: float
    requests_per_min: dict[str, float] = field(default_factory=dict)  # per server
    bytes_per_min: dict[str, float] = field(default_factory=dict)
    endpoints: dict[str, dict[str, int]] = field(default_factory=dict)  # server → endpoint → n
    qbit_cpu_s_per_min: float = 0.0
    # The same sandbox before any engine ran: libtorrent and the Arr stand-ins' own reads
    qbit_cpu_baseline_s_per_min: float | None = None
    engine_cpu_s_per_min: float = 0.0
    engine_peak_rss_mib: float = 0.0
    cycle_s_median: float | None = None
    cycle_s_min: float | None = None
    cycle_s_max: float | None = None
    qbittorrent: str = ""
    # Torrents added complete during the window: completion → import (bench/completions.py)
    import_latency: dict[str, float | int | None] = field(default_factory=dict)
    pair: int = 0  # results with the same pair (and size) ran in the same fresh sandbox

    @property
    def qbit_requests_per_min(self) -> float:
        return sum(v for k, v in self.requests_per_min.items() if k.startswith("qbit:"))


def build(size: int, root: Path, binary: str | None = None) -> Scenario:
    sandbox = Sandbox(root / "sandbox", binary=binary)
    sandbox.start_instances(*INSTANCES)
    per_category = size // len(CATEGORIES)
    mix = Mix(
        seeding=int(per_category * 0.8),
        paused=int(per_category * 0.1),
        stuck=per_category - int(per_category * 0.8) - int(per_category * 0.1),
    )
    arrs = {
        kind: ArrStandIn(
            kind,
            api_key=KEY,
            qbits=sandbox.instances,
            library=root / "library" / kind,
            category=category,
            refresh_interval=30.0,
        ).start()
        for kind, category in ARRS
    }
    started = time.monotonic()
    for name, proc in sandbox.instances.items():
        added = populate(proc, root / "content" / name, CATEGORIES, mix, prefix=name)
        for kind, category in ARRS:
            for i, info_hash in enumerate(added[category][-mix.stuck :]):
                arrs[kind].add_records(name, info_hash, f"{name}-{category}-{i}", [i + 1])
    print(f"  populated 3 × {size} torrents in {time.monotonic() - started:.0f}s", flush=True)
    time.sleep(5)  # let checking settle
    return Scenario(
        root,
        sandbox,
        arrs,
        {n: CountingProxy(f"qbit:{n}", p.url).start() for n, p in sandbox.instances.items()},
        {k: CountingProxy(f"arr:{k}", a.url).start() for k, a in arrs.items()},
    )


def our_config(s: Scenario, loop: int, import_settle: float) -> Path:
    return our_config_file.write(
        s.root,
        {n: p.port for n, p in s.qbit_proxies.items()},
        {k: (s.arr_proxies[k].url, c) for k, c in ARRS},
        KEY,
        loop,
        import_settle,
    )


def qbitrr2_config(s: Scenario, qbitrr2: Qbitrr2, loop: int) -> Path:
    """qBitrr2's own generated config, pointed at the same proxies, searches off."""
    return qbitrr2_config_file.write(
        qbitrr2,
        s.root / f"qbitrr2-{qbitrr2.version}-data",
        {n: p.port for n, p in s.qbit_proxies.items()},
        {k: (s.arr_proxies[k].url, c) for k, c in ARRS},
        KEY,
        loop,
        s.root,
    )


def measure(  # noqa: PLR0917 - a benchmark's knobs, called for each engine
    name: str,
    command: list[str],
    env: dict[str, str],
    cwd: Path,
    s: Scenario,
    size: int,
    plan: Window,
) -> Measured:
    minutes, warmup = plan.minutes, plan.warmup
    if warmup is None:
        warmup = 240.0 if size >= 30000 else 60.0
    log_path = s.root / f"{name}.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        time.sleep(warmup)
        if proc.poll() is not None:
            raise SystemExit(f"{name} exited during warm-up; see {log_path}")
        for proxy in s.proxies():
            proxy.reset()
        qbit_pids = {n: p.pid or 0 for n, p in s.sandbox.instances.items()}
        qbit_start = {n: cpu_seconds(pid) for n, pid in qbit_pids.items()}
        engine_start = group_cpu(proc.pid)
        log_offset = log_path.stat().st_size
        started = time.monotonic()
        adder = completions.Completions(
            s.sandbox.instances,
            {k: (s.arrs[k], c) for k, c in ARRS},
            s.root / "late",
            interval=plan.add_interval_s,
            tag=re.sub(r"\W", "", name),
        ).start()
        time.sleep(max(minutes * 60 - 25, 0))  # the last ones get 25 s to be imported
        adder.stop()
        time.sleep(max(minutes * 60 - (time.monotonic() - started), 0))
        window = (time.monotonic() - started) / 60
        engine_end = group_cpu(proc.pid)
        rss = sum(peak_rss_mib(pid) for pid in group_pids(proc.pid))
        qbit_cpu = sum(cpu_seconds(pid) - qbit_start[n] for n, pid in qbit_pids.items())
        result = Measured(engine=name, size=size, minutes=window)
        for proxy in s.proxies():
            snapshot = proxy.snapshot()
            result.requests_per_min[proxy.name] = (
                sum(v.requests for v in snapshot.values()) / window
            )
            result.bytes_per_min[proxy.name] = (
                sum(v.bytes_in + v.bytes_out for v in snapshot.values()) / window
            )
            result.endpoints[proxy.name] = {k: v.requests for k, v in sorted(snapshot.items())}
        result.qbit_cpu_s_per_min = qbit_cpu / window
        result.engine_cpu_s_per_min = (
            sum(end - engine_start.get(pid, 0.0) for pid, end in engine_end.items()) / window
        )
        result.engine_peak_rss_mib = rss
        with open(log_path) as log:
            log.seek(log_offset)
            cycles = [
                float(m.group(1)) for m in re.finditer(r"cycle \d+ done in ([\d.]+)s", log.read())
            ]
            log.seek(log_offset)
            latencies = (
                completions.latencies_from_log(adder.added, log.read())
                if name == "qbitrr-tui"
                else completions.latencies_from_arrs(adder.added, list(s.arrs.values()))
            )
        result.import_latency = completions.summarise(latencies)
        if cycles:
            result.cycle_s_median = statistics.median(cycles)
            result.cycle_s_min, result.cycle_s_max = min(cycles), max(cycles)
        return result
    finally:
        # A stop lands after the current step; under cProfile a cycle can take tens of
        # seconds on a loaded machine, and a SIGKILL would lose the profile's stats.
        stop_group(proc, 120 if "cProfile" in command else 20)
        slug = re.sub(r"[^\w.-]", "_", name)
        shutil.copyfile(log_path, plan.keep_logs / f"{size}-{slug}-{time.strftime('%H%M%S')}.log")


def qbit_baseline(s: Scenario, seconds: float) -> float | None:
    """qBittorrent CPU s/min with no engine running: what libtorrent and the Arr
    stand-ins' scheduled reads cost it, the same for every engine, once steady (right
    after the torrents are added qBittorrent works for minutes: 4.5.2 at 3 x 10k, 17 s/min
    in the first one; an engine measured then would be charged for it)."""
    if seconds <= 0:
        return None
    value, slices = steady_cpu_per_min([p.pid or 0 for p in s.sandbox.instances.values()], seconds)
    shown = ", ".join(f"{v:.1f}" for v in slices)
    print(f"  qBittorrent CPU with no engine: {value:.1f} s/min (slices: {shown})", flush=True)
    return value


def main() -> None:
    args = arguments()
    binary = versions.binary_for(args.qbittorrent) if args.qbittorrent else None
    engines = args.engines.split(",")
    installs = []
    if "qbitrr2" in engines:
        installs = [qbitrr2_env.ensure(v.strip()) for v in args.qbitrr2.split(",") if v.strip()]
    for q in installs:
        print(f"{q.label} on Python {q.python}", flush=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    window = Window(args.minutes, args.warmup, 3600 / args.adds_per_hour, OUT / f"scale-{stamp}")
    window.keep_logs.mkdir(parents=True, exist_ok=True)
    results: list[Measured] = []
    # qBitrr2 acts on the torrents (tags, limits): each release gets a fresh sandbox, with
    # ours measured in it first (ours is in dry-run and changes nothing).
    rounds: list[Qbitrr2 | None] = [*installs] or [None]
    for size in (int(x) for x in args.sizes.split(",")):
        for pair, qbitrr2 in enumerate(rounds):
            print(f"size 3 × {size}" + (f", with {qbitrr2.label}" if qbitrr2 else ""), flush=True)
            with tempfile.TemporaryDirectory(prefix="qbitrr-bench-") as tmp:
                scenario = build(size, Path(tmp), binary)
                try:
                    baseline = qbit_baseline(scenario, args.baseline)
                    if "ours" in engines:
                        results.append(run_ours(scenario, size, args, window))
                        results[-1].pair = pair
                        results[-1].qbit_cpu_baseline_s_per_min = baseline
                        print(f"  {summary(results[-1])}", flush=True)
                    if qbitrr2 is not None:
                        config = qbitrr2_config(scenario, qbitrr2, args.loop)
                        env = {**qbitrr2.env, "QBITRR_OVERRIDES_DATA_PATH": str(config.parent)}
                        command = list(qbitrr2.command)
                        theirs = replace(window, warmup=args.qbitrr2_warmup or window.warmup)
                        results.append(
                            measure(
                                qbitrr2.label, command, env, config.parent, scenario, size, theirs
                            )
                        )
                        results[-1].pair = pair
                        results[-1].qbit_cpu_baseline_s_per_min = baseline
                        print(f"  {summary(results[-1])}", flush=True)
                finally:
                    scenario.stop()
    release = versions.binary_version(binary or versions.default_binary() or "") or "unknown"
    for r in results:
        r.qbittorrent = release
    out = OUT / f"scale-{stamp}.json"
    pythons = {q.label: q.python for q in installs}
    out.write_text(
        json.dumps(
            {"args": vars(args), "qbitrr2": pythons, "results": [asdict(r) for r in results]},
            indent=2,
        )
    )
    print(f"wrote {out}")


def run_ours(s: Scenario, size: int, args: argparse.Namespace, window: Window) -> Measured:
    config = our_config(s, args.loop, args.import_settle_time)
    run = ["-m", "qbitrr_tui"]
    if args.profile:
        run = ["-m", "cProfile", "-o", args.profile, *run]
    elif args.trace_memory:
        run = ["-m", "bench.memtrace", args.trace_memory]
    command = [sys.executable, *run, "run", "--headless", "--dry-run", "--config", str(config)]
    env = {
        **os.environ,
        "XDG_STATE_HOME": str(s.root / "state"),
        # this checkout's code (and bench.memtrace), whatever is installed
        "PYTHONPATH": str(OUT.parent.parent),
    }
    return measure("qbitrr-tui", command, env, s.root, s, size, window)


def summary(r: Measured) -> str:
    arr = sum(v for k, v in r.requests_per_min.items() if k.startswith("arr:"))
    cycle = f", cycle median {r.cycle_s_median:.2f}s" if r.cycle_s_median is not None else ""
    lat = r.import_latency
    cycle += f", import latency p50 {lat.get('p50_s')}s max {lat.get('max_s')}s"
    cycle += f" ({lat.get('imported')}/{lat.get('added')})"
    return (
        f"{r.engine}: qBittorrent {r.qbit_requests_per_min:.0f} req/min, Arr {arr:.0f} "
        f"req/min, {sum(r.bytes_per_min.values()) / 1024:.0f} KiB/min, qBittorrent CPU "
        f"{r.qbit_cpu_s_per_min:.1f} s/min, engine CPU {r.engine_cpu_s_per_min:.1f} s/min, "
        f"peak RSS {r.engine_peak_rss_mib:.0f} MiB{cycle}"
    )


if __name__ == "__main__":
    main()
