"""bench.scale's command line: sizes, the window, warm-ups, the engines and releases."""

from __future__ import annotations

import argparse


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument(
        "--warmup",
        type=float,
        default=None,
        help="seconds before the window; by default 60, and 240 from 3 x 30k (past the "
        "first reads and the first decisions of every torrent)",
    )
    parser.add_argument(
        "--qbitrr2-warmup",
        type=float,
        default=None,
        help="seconds before qBitrr2's window, when it needs longer than ours to settle (at "
        "3 x 30k its first pass over every torrent takes more than 8 minutes); default --warmup",
    )
    parser.add_argument(
        "--baseline",
        type=float,
        default=30.0,
        help="slices of qBittorrent CPU measured with no engine in each fresh sandbox, until "
        "two agree (0: none)",
    )
    parser.add_argument(
        "--import-settle-time",
        type=float,
        default=0.0,
        help="our ImportSettleTime (0: the latency measured is the engine's own; 60 is the "
        "default a user has)",
    )
    parser.add_argument("--loop", type=int, default=5, help="LoopSleepTimer for both engines")
    parser.add_argument("--engines", default="ours,qbitrr2")
    parser.add_argument(
        "--qbitrr2",
        default="5.12.12,newest",
        help="qBitrr2 releases, each in a fresh sandbox with ours: versions and/or 'newest'",
    )
    parser.add_argument(
        "--adds-per-hour",
        type=float,
        default=360.0,
        help="torrents added complete during the window (import latency), over all instances",
    )
    parser.add_argument("--qbittorrent", default="", help="a series of the matrix: 4.5, 5.1, 5.3")
    parser.add_argument("--profile", default="", help="ours under cProfile, stats to this file")
    parser.add_argument(
        "--trace-memory", default="", help="ours under tracemalloc, top lines to this file"
    )
    return parser.parse_args()
