"""The config keys of hit-and-run protection and unregistered torrents (part of the schema:
:mod:`qbitrr_tui.config.schema` puts them in its tables).

HitAndRunMode and its companions are qBitrr's keys with qBitrr's defaults
(``qBitrr/qbit_seeding_config.py``, ``arss/torrent_limits.py``); the Unregistered* keys are
ours (qBitrr has no equivalent: it removes such torrents through its own lists).
"""

from __future__ import annotations

from qbitrr_tui.config.field import Field

HNR_MODES = ("disabled", "and", "or")
# qBitrr before 5.9.2 wrote HitAndRunMode as a boolean; the loader reads true as "and"
# (or its HitAndRunClearMode) and false as "disabled", as qBitrr's migration does.
HNR_FIELDS: tuple[Field, ...] = (
    Field(
        "HitAndRunMode",
        "hit_and_run_mode",
        "choice",
        "disabled",
        "Hit-and-run protection for this tracker: `and` = MinSeedRatio and MinSeedingTimeDays "
        "must both be met before any removal, `or` = either, `disabled` = none.",
        choices=HNR_MODES,
    ),
    Field(
        "MinSeedRatio",
        "min_seed_ratio",
        "float",
        1.0,
        "HnR: ratio to reach before removal (0 = no ratio goal).",
        minimum=0,
    ),
    Field(
        "MinSeedingTimeDays",
        "min_seeding_time_days",
        "float",
        0.0,
        "HnR: days to seed before removal (0 = no time goal).",
        minimum=0,
    ),
    Field(
        "HitAndRunMinimumDownloadPercent",
        "hnr_min_download_percent",
        "float",
        10.0,
        "HnR: a download below this percentage carries no obligation (0–100).",
        minimum=0,
        maximum=100,
    ),
    Field(
        "HitAndRunPartialSeedRatio",
        "hnr_partial_seed_ratio",
        "float",
        1.0,
        "HnR: ratio a partial download (past the minimum percentage, not complete) must reach.",
        minimum=0,
    ),
    Field(
        "TrackerUpdateBuffer",
        "tracker_update_buffer",
        "duration",
        0.0,
        "HnR: seconds of seeding not yet counted, for trackers whose statistics lag.",
        minimum=0,
    ),
)


UNREGISTERED_ACTIONS = ("remove", "tag", "category", "off")
UNREGISTERED_MESSAGES = (
    "unregistered",
    "not registered",
    "torrent not found",
    "torrent does not exist",
    "info hash is not authorized",
    "torrent is not authorized",
    "rejected",
)
UNREGISTERED_FIELDS: tuple[Field, ...] = (
    Field(
        "UnregisteredAction",
        "unregistered_action",
        "choice",
        "remove",
        "What to do with a torrent its tracker says is unregistered: `remove` (blocklisted "
        "and searched again when it is still in the Arr's queue; hit-and-run rules apply), "
        "`tag` (UnregisteredTag), `category` (move to UnregisteredCategory), `off`.",
        choices=UNREGISTERED_ACTIONS,
    ),
    Field(
        "UnregisteredMessages",
        "unregistered_messages",
        "str_list",
        UNREGISTERED_MESSAGES,
        "Tracker messages (any part, any case) that mean the torrent is gone from the "
        "tracker. Only a tracker's own answer counts, never an unreachable tracker.",
    ),
    Field(
        "UnregisteredGrace",
        "unregistered_grace",
        "duration",
        3600.0,
        "How long a tracker must keep saying so, over at least two checks, before "
        "UnregisteredAction (seconds).",
        minimum=0,
    ),
    Field(
        "UnregisteredTag",
        "unregistered_tag",
        "str",
        "qBitrr-unregistered",
        "The tag UnregisteredAction `tag` adds.",
    ),
    Field(
        "UnregisteredCategory",
        "unregistered_category",
        "str",
        "unregistered",
        "The category UnregisteredAction `category` moves to (outside every Arr's, so "
        "nothing else is done to it).",
    ),
)
