"""The [Settings] section's keys: the engine's loop, budgets, logging, storage and the
global safety switches (the rest of the tables are in schema.py, which re-exports these)."""

from __future__ import annotations

from qbitrr_tui.config.field import Field

LOG_LEVELS = ("TRACE", "DEBUG", "INFO", "WARNING", "ERROR")
# qBitrr registers more levels than we log at; each is read as the nearest of ours that
# shows at least what it showed (qBitrr/logger.py: VERBOSE 7, NOTICE 23, HNOTICE 24,
# SUCCESS 25, and Python's CRITICAL).
LOG_LEVEL_ALIASES: tuple[tuple[str, str, str], ...] = (
    ("VERBOSE", "DEBUG", "qbitrr-tui has no VERBOSE level"),
    ("NOTICE", "INFO", "qbitrr-tui has no NOTICE level"),
    ("HNOTICE", "INFO", "qbitrr-tui has no HNOTICE level"),
    ("SUCCESS", "INFO", "qbitrr-tui has no SUCCESS level"),
    ("CRITICAL", "ERROR", "qbitrr-tui logs nothing at CRITICAL"),
)

SETTINGS_FIELDS: tuple[Field, ...] = (
    Field(
        "DataFolder",
        "data_folder",
        "str",
        "",
        "Folder for the SQLite database (qbitrr.db). Empty: the platform's user data folder. "
        "Env QBITRR_DATA_FOLDER overrides it.",
    ),
    Field(
        "LoopSleepTimer",
        "loop_sleep_timer",
        "duration",
        5.0,
        "Seconds between engine cycles.",
        minimum=1,
    ),
    Field(
        "FullRefreshInterval",
        "full_refresh_interval",
        "duration",
        60.0,
        "How often every torrent is read from qBittorrent 4.5 (seconds). In between, each "
        "cycle reads only the unsettled ones (far cheaper for it), and everything when its "
        "log shows a torrent added or finished: completions are seen at once. From 4.6 "
        "every cycle reads just what changed, and this is not needed.",
        minimum=0,
    ),
    Field(
        "InstanceReadBudget",
        "instance_read_budget",
        "duration",
        5.0,
        "How long a cycle waits for an instance's read (seconds). One still reading then is "
        "shown slow, its last good data is used (nothing is deleted or imported on it) and the "
        "cycle goes on without it; the read finishes in the background. A read of the "
        "incomplete torrents takes well under a second even with 20,000 torrents; a full read "
        "of that many may take tens of seconds and simply spans a few cycles.",
        minimum=0.5,
        maximum=300,
    ),
    Field(
        "InstanceReadTimeout",
        "instance_read_timeout",
        "duration",
        120.0,
        "An instance whose read has been running this long is marked down and connected again "
        "(seconds). Keep it well above the time a full read of your largest instance takes.",
        minimum=10,
        maximum=3600,
    ),
    Field(
        "ArrReadBudget",
        "arr_read_budget",
        "duration",
        10.0,
        "How long a cycle waits for an Arr's queue (seconds), read alongside the instances. "
        "An Arr still answering then is shown slow and its last good queue is used, marked "
        "stale: nothing is blocklisted, removed, searched or imported on a stale queue.",
        minimum=0.5,
        maximum=300,
    ),
    Field(
        "ActBudget",
        "act_budget",
        "duration",
        15.0,
        "How long a cycle waits for one instance's actions (seconds). Actions still running "
        "then finish in the background; their outcome is told the next cycle, and a step "
        "whose answer never comes is read back, never sent again blindly.",
        minimum=1,
        maximum=600,
    ),
    Field(
        "IgnoreTorrentsYoungerThan",
        "ignore_torrents_younger_than",
        "duration",
        180.0,
        "Torrents added less than this long ago get no removal (seconds).",
    ),
    Field(
        "ImportSettleTime",
        "import_settle_time",
        "duration",
        60.0,
        "How long a torrent must have been complete before its import is triggered (seconds).",
    ),
    Field(
        "DryRun",
        "dry_run",
        "bool",
        False,
        "Decide and record every action, but send no changing request to qBittorrent or an Arr.",
    ),
    Field(
        "LogLevel",
        "log_level",
        "choice",
        "INFO",
        "Log level (env QBITRR_LOG_LEVEL overrides it).",
        aliases=("ConsoleLevel",),
        choices=LOG_LEVELS,
        choice_aliases=LOG_LEVEL_ALIASES,
    ),
    Field(
        "FreeSpace",
        "free_space",
        "size",
        -1,
        "Pause downloads that would leave less than this free in FreeSpaceFolder (-1 = off).",
    ),
    Field(
        "FreeSpaceFolder",
        "free_space_folder",
        "str",
        "",
        "Folder whose free space FreeSpace is measured against.",
    ),
    Field(
        "AutoPauseResume",
        "auto_pause_resume",
        "bool",
        True,
        "Resume paused, incomplete torrents (not those paused by the ignore tag or free space).",
    ),
    Field(
        "FailedCategory",
        "failed_category",
        "str",
        "failed",
        "Move a torrent here to have it deleted, blocklisted and searched again.",
    ),
    Field(
        "RecheckCategory",
        "recheck_category",
        "str",
        "recheck",
        "Move a torrent here to have it rechecked and put back in its category.",
    ),
    Field(
        "TrackerCheckInterval",
        "tracker_check_interval",
        "duration",
        600.0,
        'How often each torrent\'s trackers are read for an "unregistered" answer '
        "(seconds): one request per category where qBittorrent can list trackers with "
        "the torrents (5.1+), else a few torrents a cycle.",
        minimum=1,
    ),
    Field(
        "MaxDeletionsPerCycle",
        "max_deletions_per_cycle",
        "int",
        10,
        "Per instance: a cycle that would delete more torrents deletes none and asks.",
        minimum=0,
    ),
    Field(
        "RecycleBin",
        "recycle_bin",
        "bool",
        False,
        "Before deleting a torrent with its files, keep its .torrent and a record of the "
        "removal in the data folder's recycle-bin (restore it with `qbitrr-tui restore HASH`).",
    ),
    Field(
        "RecycleBinDays",
        "recycle_bin_days",
        "float",
        7.0,
        "Days a recycle-bin entry (and its moved data) is kept before it is purged.",
        minimum=0,
    ),
    Field(
        "RecycleBinMoveData",
        "recycle_bin_move_data",
        "bool",
        False,
        "With RecycleBin: move the data into a .qbitrr-tui-recycle-bin folder beside it (same "
        "file system only) instead of deleting it; data on another file system, or not "
        "visible to qbitrr-tui, is kept in place and the torrent is not deleted with files.",
    ),
)
