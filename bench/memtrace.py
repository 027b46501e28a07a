"""Run ``qbitrr-tui`` with tracemalloc on and, when it stops, write where its memory is held.

    python -m bench.memtrace OUT.txt run --headless --dry-run --config …

(``bench.scale --trace-memory OUT.txt`` runs our engine this way.) OUT.txt gets the traced
peak, what is held at the end, and the top lines by size held; tracemalloc slows the
engine, so the run's own timings are not comparable with an untraced one.
"""

from __future__ import annotations

import sys
import threading
import time
import tracemalloc
from pathlib import Path

from qbitrr_tui.cli import main as cli_main

TOP = 25


def report(snapshot: tracemalloc.Snapshot, peak: int) -> str:
    stats = snapshot.statistics("lineno")
    held = sum(s.size for s in stats)
    mib = 1024 * 1024
    lines = [f"traced peak {peak / mib:.1f} MiB, held at the end {held / mib:.1f} MiB"]
    for stat in stats[:TOP]:
        frame = stat.traceback[0]
        lines.append(f"{stat.size / mib:7.2f} MiB {stat.count:8d} {frame.filename}:{frame.lineno}")
    return "\n".join(lines) + "\n"


def main() -> int:
    out = Path(sys.argv[1])
    tracemalloc.start()

    def every_minute() -> None:
        # The bench stops the engine with SIGTERM and kills it 20 s later; a traced cycle
        # can be longer than that, so the report is also written as the run goes.
        while True:
            time.sleep(60)
            out.write_text(report(tracemalloc.take_snapshot(), tracemalloc.get_traced_memory()[1]))

    threading.Thread(target=every_minute, daemon=True).start()
    try:
        return cli_main(sys.argv[2:])
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        out.write_text(report(tracemalloc.take_snapshot(), peak))


if __name__ == "__main__":
    sys.exit(main())
