"""Markdown tables from a bench/scale.py result file (for bench/RESULTS.md).

.venv/bin/python -m bench.report bench/results/scale-tiered-fetch.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def _sum(values: dict[str, float], prefix: str) -> float:
    return sum(v for k, v in values.items() if k.startswith(prefix))


def _latency(r: dict[str, Any]) -> str:
    lat = r.get("import_latency") or {}
    if not lat:
        return "–"
    if not lat.get("imported"):
        return f"none (0/{lat.get('added')})"
    return f"{lat['p50_s']} s / {lat['max_s']} s ({lat['imported']}/{lat['added']})"


def _qbit_cpu(r: dict[str, Any]) -> str:
    base = r.get("qbit_cpu_baseline_s_per_min")
    text = f"{r['qbit_cpu_s_per_min']:.1f}"
    return text if base is None else f"{text} (no engine: {base:.1f})"


def _beyond_baseline(r: dict[str, Any]) -> float | None:
    """qBittorrent CPU the engine added to what the sandbox costs with none running."""
    base = r.get("qbit_cpu_baseline_s_per_min")
    return None if base is None else max(r["qbit_cpu_s_per_min"] - base, 0.0)


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| size | engine | qBittorrent req/min | Arr req/min | KiB/min | qBittorrent CPU s/min "
        "| engine CPU s/min | engine peak RSS MiB | cycle s, median (min–max) "
        "| import latency p50 / max (imported) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for r in results:
        cycle = "–"
        if r["cycle_s_median"] is not None:
            cycle = f"{r['cycle_s_median']:.2f} ({r['cycle_s_min']:.2f}–{r['cycle_s_max']:.2f})"
        lines.append(
            f"| 3 × {r['size']} | {r['engine']} | {_sum(r['requests_per_min'], 'qbit:'):.0f} "
            f"| {_sum(r['requests_per_min'], 'arr:'):.0f} "
            f"| {sum(r['bytes_per_min'].values()) / 1024:.0f} | {_qbit_cpu(r)} "
            f"| {r['engine_cpu_s_per_min']:.1f} | {r['engine_peak_rss_mib']:.0f} | {cycle} "
            f"| {_latency(r)} |"
        )
    return "\n".join(lines)


def _ratio(a: float, b: float) -> str:
    if a and b > a:
        return f"1/{b / a:.0f}" if b / a >= 10 else f"1/{b / a:.1f}"
    return f"{a / b:.2f}×" if b else "–"


def ratios(results: list[dict[str, Any]]) -> str:
    """ours ÷ each qBitrr2, per size and sandbox (lower is better for ours)."""
    groups: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for r in results:
        groups.setdefault((r["size"], r.get("pair", 0)), []).append(r)
    lines = [
        "| size | against | qBittorrent req/min | qBittorrent CPU | qBittorrent CPU beyond "
        "no engine | engine CPU | peak RSS |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for (size, _), group in sorted(groups.items()):
        ours = next((r for r in group if r["engine"] == "qbitrr-tui"), None)
        for theirs in (r for r in group if r["engine"].startswith("qBitrr2")):
            if ours is None:
                continue
            requests = _ratio(
                _sum(ours["requests_per_min"], "qbit:"), _sum(theirs["requests_per_min"], "qbit:")
            )
            added = (_beyond_baseline(ours), _beyond_baseline(theirs))
            beyond = "–" if added[0] is None or added[1] is None else _ratio(*added)
            if added[0] is not None and added[0] < 0.05:  # within a tick of the baseline
                beyond = "none added"
            lines.append(
                f"| 3 × {size} | {theirs['engine']} "
                f"| {requests} "
                f"| {_ratio(ours['qbit_cpu_s_per_min'], theirs['qbit_cpu_s_per_min'])} "
                f"| {beyond} "
                f"| {_ratio(ours['engine_cpu_s_per_min'], theirs['engine_cpu_s_per_min'])} "
                f"| {_ratio(ours['engine_peak_rss_mib'], theirs['engine_peak_rss_mib'])} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("result", type=Path)
    args = parser.parse_args()
    data = json.loads(args.result.read_text())
    print(table(data["results"]))
    print()
    print(ratios(data["results"]))


if __name__ == "__main__":
    main()
