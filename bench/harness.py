"""A tool-neutral way to measure any engine: counting reverse proxies in front of every
qBittorrent instance and Arr stand-in, and CPU / memory of processes read from /proc.

The engine under test is pointed at the proxies instead of the servers; the proxies
(qbitrr_tui/sandbox/proxy.py, which the fault tests use too) count requests and bytes per
endpoint, whatever client made them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from qbitrr_tui.sandbox.proxy import CountingProxy, EndpointStats, endpoint_of

__all__ = [
    "CountingProxy",
    "CpuMeter",
    "EndpointStats",
    "cpu_seconds",
    "endpoint_of",
    "peak_rss_mib",
]


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (and its finished children are not counted)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mib(pid: int) -> float:
    """VmHWM: the peak resident set size of a live process."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class CpuMeter:
    """CPU seconds of some processes over a window."""

    pids: dict[str, int]

    def __post_init__(self) -> None:
        self.started = time.monotonic()
        self.start = {name: cpu_seconds(pid) for name, pid in self.pids.items()}

    def read(self) -> dict[str, float]:
        return {name: cpu_seconds(pid) - self.start[name] for name, pid in self.pids.items()}

    @property
    def minutes(self) -> float:
        return (time.monotonic() - self.started) / 60


def group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == pgid:
                    pids.append(int(entry.name))
            except (ProcessLookupError, PermissionError):
                continue
    return pids


def group_cpu(pgid: int) -> dict[int, float]:
    out = {}
    for pid in group_pids(pgid):
        try:
            out[pid] = cpu_seconds(pid)
        except (FileNotFoundError, ProcessLookupError):
            continue
    return out


def cpu_per_min(pids: list[int], seconds: float) -> float:
    """CPU seconds a minute the processes ``pids`` use over the next ``seconds``."""
    start = sum(cpu_seconds(pid) for pid in pids)
    time.sleep(seconds)
    return (sum(cpu_seconds(pid) for pid in pids) - start) / (seconds / 60)


def steady_cpu_per_min(
    pids: list[int], seconds: float, *, agree: float = 0.2, least: int = 3, most: int = 6
) -> tuple[float, list[float]]:
    """CPU seconds a minute of ``pids`` once steady: slices of ``seconds`` until two in a
    row agree within ``agree``, from the ``least``-th on (a slow fall agrees too: 14.6
    then 12.8 s/min on its way to 7), at most ``most``; their mean, and every slice."""
    slices = [cpu_per_min(pids, seconds)]
    while len(slices) < most:
        slices.append(cpu_per_min(pids, seconds))
        if len(slices) >= least and abs(slices[-1] - slices[-2]) <= agree * max(slices[-2:]):
            break
    return (slices[-1] + slices[-2]) / 2, slices


def stop_group(proc: subprocess.Popen[bytes], wait: float = 20) -> None:
    """Stop an engine's whole process group; it may outlive its leader (qBitrr2's workers)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(wait)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)
