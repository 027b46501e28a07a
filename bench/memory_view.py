"""What one instance's merged view costs in memory, offline: a full ``sync/maindata`` answer
shaped like qBittorrent 5.3's (every field it sends per torrent), parsed the way the engine
parses it and merged into a :class:`~qbitrr_tui.qbit.fetch.MaindataView`.

    .venv/bin/python -m bench.memory_view --torrents 10000

Prints the traced peak while parsing and merging, and what stays held afterwards (view and
its snapshots), in MiB (tracemalloc: Python objects only, not the allocator's slack).
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import tracemalloc

from qbitrr_tui.qbit import snapshot
from qbitrr_tui.qbit.fetch import MaindataView

# None before the object hook existed (for a before/after with an older checkout on
# PYTHONPATH): then the answer is parsed whole, as it was.
HOOK = getattr(snapshot, "torrent_fields_only", None)

CATEGORIES = ("radarr", "sonarr", "lidarr", "personal", "linux-isos")
STATES = ("stalledUP", "stoppedUP", "metaDL", "uploading")
TRACKER_QUOTED = "http%3A%2F%2Ftracker.example.org%3A6969%2Fannounce"


def torrent(i: int, rng: random.Random) -> dict[str, object]:
    """One torrent as 5.3.0 sends it in a full answer (field names and kinds of values)."""
    category = CATEGORIES[i % len(CATEGORIES)]
    h = f"{rng.getrandbits(160):040x}"
    name = f"Some.Release.Name.{i}.2024.1080p.WEB-DL.x264-GROUP"
    return {
        "added_on": 1_700_000_000 + i,
        "amount_left": 0,
        "auto_tmm": False,
        "availability": -1,
        "category": category,
        "comment": "",
        "completed": 1_073_741_824 + i,
        "completion_on": 1_700_000_100 + i,
        "content_path": f"/data/torrents/{category}/{name}",
        "dl_limit": -1,
        "dlspeed": 0,
        "download_path": "",
        "downloaded": 1_073_741_824 + i,
        "downloaded_session": 0,
        "eta": 8_640_000,
        "f_l_piece_prio": False,
        "force_start": False,
        "has_metadata": True,
        "inactive_seeding_time_limit": -2,
        "infohash_v1": h,
        "infohash_v2": "",
        "last_activity": 1_700_000_200 + i,
        "magnet_uri": f"magnet:?xt=urn:btih:{h}&dn={name}&tr={TRACKER_QUOTED}",
        "max_inactive_seeding_time": -1,
        "max_ratio": -1,
        "max_seeding_time": -1,
        "name": name,
        "num_complete": 0,
        "num_incomplete": 0,
        "num_leechs": 0,
        "num_seeds": 0,
        "popularity": 0,
        "priority": 0,
        "private": False,
        "progress": 1,
        "ratio": 0,
        "ratio_limit": -2,
        "reannounce": 0,
        "root_path": f"/data/torrents/{category}/{name}",
        "save_path": f"/data/torrents/{category}",
        "seeding_time": 3600 + i,
        "seeding_time_limit": -2,
        "seen_complete": 1_700_000_100 + i,
        "seq_dl": False,
        "size": 1_073_741_824 + i,
        "state": STATES[i % len(STATES)],
        "super_seeding": False,
        "tags": "",
        "time_active": 3600 + i,
        "total_size": 1_073_741_824 + i,
        "tracker": "http://tracker.example.org:6969/announce",
        "trackers_count": 1,
        "up_limit": -1,
        "uploaded": 0,
        "uploaded_session": 0,
        "upspeed": 0,
    }


def answer(n: int) -> bytes:
    rng = random.Random(1)
    torrents = {}
    for i in range(n):
        t = torrent(i, rng)
        torrents[str(t["infohash_v1"])] = t
    body = {"rid": 1, "full_update": True, "torrents": torrents, "server_state": {}}
    return json.dumps(body).encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--torrents", type=int, default=10_000)
    args = parser.parse_args()
    body = answer(args.torrents)
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    view = MaindataView("default")
    text = body.decode()  # as qbit/webapi.py reads a large answer: its bytes let go first
    data = json.loads(text, object_pairs_hook=HOOK)
    del text
    view.apply_full(data, 0.0)
    del data
    snapshots = view.snapshots(frozenset(CATEGORIES[:3]))
    gc.collect()
    held, peak = tracemalloc.get_traced_memory()
    top = tracemalloc.take_snapshot().statistics("lineno")[:5]
    tracemalloc.stop()
    mib = 1024 * 1024
    print(f"{args.torrents} torrents, answer {len(body) / mib:.1f} MiB")
    print(f"peak while parsing and merging: {(peak - base) / mib:.1f} MiB (its bytes excluded)")
    print(f"held by the view afterwards: {(held - base) / mib:.1f} MiB ({len(snapshots)} managed)")
    for stat in top:
        print(f"  {stat.size / mib:6.1f} MiB  {stat.traceback[0]}")


if __name__ == "__main__":
    main()
