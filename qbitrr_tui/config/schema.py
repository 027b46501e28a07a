"""Every config key we understand, once: its type, default, unit and meaning.

The loader, the validator, `check-config`, the config editor and docs/configuration.md all
read these tables, so a key cannot be documented one way and parsed another.
"""

from __future__ import annotations

from qbitrr_tui.config.extensions import (
    ALWAYS_ALLOWED_EXTENSIONS,
    AUDIO_EXTENSIONS,
    VIDEO_EXTENSIONS,
    default_extensions,
)
from qbitrr_tui.config.field import Field, Kind, convert
from qbitrr_tui.config.tracker_fields import HNR_FIELDS, UNREGISTERED_FIELDS
from qbitrr_tui.config.ui_fields import (
    DEFAULT_COLUMNS,
    KEY_ACTIONS,
    TORRENT_COLUMNS,
    UI_FIELDS,
    VIEWS,
)

__all__ = [
    "ALWAYS_ALLOWED_EXTENSIONS",
    "AUDIO_EXTENSIONS",
    "DEFAULT_COLUMNS",
    "KEY_ACTIONS",
    "TORRENT_COLUMNS",
    "UI_FIELDS",
    "VIDEO_EXTENSIONS",
    "VIEWS",
    "Field",
    "Kind",
    "convert",
    "default_extensions",
]

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
IMPORT_MODES = ("Auto", "Move", "Copy")
RATE_LIMIT_MAX = 2**31 // 1024 - 1  # KB/s; × 1024 must still fit qBittorrent's 32-bit limit
IMPORT_MODE_ALIASES: tuple[tuple[str, str, str], ...] = (
    ("Hardlink", "Auto", "qBitrr reads Hardlink as Auto too"),
)
ARR_KINDS = ("Radarr", "Sonarr", "Lidarr")


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

QBIT_FIELDS: tuple[Field, ...] = (
    Field("Host", "host", "str", "localhost", "qBittorrent Web UI host (or http(s)://host)."),
    Field("Port", "port", "port", 8080, "qBittorrent Web UI port."),
    Field("UserName", "username", "str", "admin", "Web UI user name.", aliases=("User",)),
    Field("Password", "password", "str", "", "Web UI password.", aliases=("Pass",), secret=True),
    Field(
        "APIKey",
        "api_key",
        "str",
        "",
        "Web API key (qBittorrent 5.2+, Options → Web UI); used instead of "
        "UserName/Password when set.",
        secret=True,
    ),
    Field("Disabled", "disabled", "bool", False, "Never contact this instance."),
    Field(
        "SkipTLSVerify", "skip_tls_verify", "bool", False, "Accept a self-signed HTTPS certificate."
    ),
)

ARR_FIELDS: tuple[Field, ...] = (
    Field("Managed", "managed", "bool", True, "Manage this Arr's torrents."),
    Field("URI", "uri", "str", "", "The Arr's address, e.g. http://localhost:7878.", required=True),
    Field(
        "APIKey", "api_key", "str", "", "Settings → General → API Key.", required=True, secret=True
    ),
    Field(
        "Category",
        "category",
        "str",
        "",
        "The qBittorrent category this Arr downloads into (on every instance).",
        required=True,
    ),
    Field(
        "ReSearch",
        "re_search",
        "bool",
        True,
        "Search again after a download is removed as stalled, slow or failed.",
    ),
    Field(
        "importMode",
        "import_mode",
        "choice",
        "Auto",
        "How the Arr imports: Auto, Move or Copy.",
        choices=IMPORT_MODES,
        choice_aliases=IMPORT_MODE_ALIASES,
    ),
)

TORRENT_FIELDS: tuple[Field, ...] = (
    Field(
        "CaseSensitiveMatches",
        "case_sensitive_matches",
        "bool",
        False,
        "Match the exclusion regexes case-sensitively.",
    ),
    Field(
        "FolderExclusionRegex",
        "folder_exclusion_regex",
        "regex_list",
        (
            r"\bextras?\b",
            r"\bfeaturettes?\b",
            r"\bsamples?\b",
            r"\bscreens?\b",
            r"\bnc(ed|op)?(\d+)?\b",
        ),
        "Files in a folder matching one of these are not downloaded.",
    ),
    Field(
        "FileNameExclusionRegex",
        "file_name_exclusion_regex",
        "regex_list",
        (r"\bncop\d+?\b", r"\bnced\d+?\b", r"\bsample\b", r"\btrailer\b", r"\bmusic video\b"),
        "Files whose name matches one of these are not downloaded.",
    ),
    Field(
        "FileExtensionAllowlist",
        "file_extension_allowlist",
        "str_list",
        None,
        "Only files with these extensions are downloaded (.!qB and .parts always are). "
        "Default: video extensions for Radarr/Sonarr, audio for Lidarr.",
    ),
    Field(
        "DeleteIfAllFilesExcluded",
        "delete_if_all_excluded",
        "bool",
        False,
        "When every file would be excluded, delete the torrent (default: tag and report it).",
    ),
    Field(
        "IgnoreTorrentsYoungerThan",
        "ignore_torrents_younger_than",
        "duration",
        None,
        "Overrides the Settings value for this Arr (seconds).",
    ),
    Field(
        "MaximumETA",
        "maximum_eta",
        "duration",
        604800.0,
        "Downloads whose ETA is longer are removed as slow (seconds; -1 = never).",
    ),
    Field(
        "MaximumDeletablePercentage",
        "maximum_deletable_percentage",
        "float",
        0.99,
        "Never remove a download automatically past this progress (0–1).",
        minimum=0,
        maximum=1,
    ),
    Field("DoNotRemoveSlow", "do_not_remove_slow", "bool", False, "Never remove slow downloads."),
    Field(
        "StalledDelay",
        "stalled_delay",
        "duration",
        900.0,
        "Grace before a stalled download is removed (minutes; 0 = none, -1 = never remove; "
        "a file from qBitrr before 5.14.6 means the opposite, see Coming from qBitrr).",
        unit="m",
    ),
    Field(
        "ReSearchStalled",
        "re_search_stalled",
        "bool",
        False,
        "Blocklist and search again when the stalled grace starts, keeping the torrent.",
    ),
    *UNREGISTERED_FIELDS,
    Field(
        "StrikesBeforeRemoval",
        "strikes_before_removal",
        "int",
        0,
        "Stalled and slow downloads are removed at this many strikes instead of at the "
        "first: a strike is a StalledDelay grace that ends with the download still stalled, "
        "or a check (one per StalledDelay) that finds it still slow. The count survives "
        "restarts and clears when the download completes or gains 1%; an unregistered "
        "torrent needs max(2, this) checks (0 = off).",
        minimum=0,
        maximum=100,
    ),
)

SEEDING_FIELDS: tuple[Field, ...] = (
    Field(
        "DownloadRateLimitPerTorrent",
        "download_rate_limit",
        "int",
        -1,
        "Per-torrent download limit in KB/s (-1 = unlimited).",
        minimum=-1,
        maximum=RATE_LIMIT_MAX,
    ),
    Field(
        "UploadRateLimitPerTorrent",
        "upload_rate_limit",
        "int",
        -1,
        "Per-torrent upload limit in KB/s (-1 = unlimited).",
        minimum=-1,
        maximum=RATE_LIMIT_MAX,
    ),
    Field(
        "MaxUploadRatio",
        "max_upload_ratio",
        "float",
        -1.0,
        "Ratio at which seeding is done (-1 = none).",
    ),
    Field(
        "MaxSeedingTime",
        "max_seeding_time",
        "duration",
        -1.0,
        "Seeding time after which seeding is done (seconds; -1 = none).",
    ),
    Field(
        "RemoveTorrent",
        "remove_torrent",
        "int",
        -1,
        "-1 never remove; 1 on ratio; 2 on seeding time; 3 on either; 4 when both are reached.",
        minimum=-1,
        maximum=4,
    ),
)

TRACKER_FIELDS: tuple[Field, ...] = (
    Field("Name", "name", "str", "", "A label for this tracker."),
    Field(
        "URI",
        "uri",
        "str",
        "",
        "The tracker's host (or an announce URL: only its host counts); it also matches "
        "its subdomains (`example.org` matches `tracker.example.org`).",
        required=True,
    ),
    Field("Priority", "priority", "int", 0, "Higher wins when several rows match."),
    Field("MaximumETA", "maximum_eta", "duration", None, "Overrides MaximumETA (seconds)."),
    Field(
        "MaxUploadRatio", "max_upload_ratio", "float", -1.0, "Overrides MaxUploadRatio when > 0."
    ),
    Field(
        "MaxSeedingTime",
        "max_seeding_time",
        "duration",
        -1.0,
        "Overrides MaxSeedingTime when > 0 (seconds).",
    ),
    Field(
        "DownloadRateLimit",
        "download_rate_limit",
        "int",
        -1,
        "KB/s (-1 = keep the Arr's).",
        minimum=-1,
        maximum=RATE_LIMIT_MAX,
    ),
    Field(
        "UploadRateLimit",
        "upload_rate_limit",
        "int",
        -1,
        "KB/s (-1 = keep the Arr's).",
        minimum=-1,
        maximum=RATE_LIMIT_MAX,
    ),
    Field("AddTags", "add_tags", "str_list", (), "Tags added to torrents of this tracker."),
    *HNR_FIELDS,
)

WEBAPI_FIELDS: tuple[Field, ...] = (
    Field(
        "Enabled",
        "enabled",
        "bool",
        False,
        "Serve the status API, /health and /metrics (headless and dashboard alike). "
        "[WebAPI] is read at start: restart qbitrr-tui to apply a change.",
    ),
    Field(
        "Host",
        "host",
        "str",
        "127.0.0.1",
        "Address to listen on. Anything but a loopback address needs a Token.",
    ),
    Field("Port", "port", "port", 6970, "Port to listen on."),
    Field(
        "Token",
        "token",
        "str",
        "",
        "When set, every request but /health must send `Authorization: Bearer <token>` "
        "(or `X-Api-Key: <token>`).",
        secret=True,
    ),
)

# What [Notifications] Events may list; the notifier sends exactly these.
NOTIFY_EVENTS = (
    "instance_down",
    "instance_up",
    "arr_down",
    "arr_up",
    "deletions_held",
    "action_failed",
    "import_failed",
    "engine_error",
)

NOTIFICATION_FIELDS: tuple[Field, ...] = (
    Field(
        "URLs",
        "urls",
        "str_list",
        (),
        "Apprise URLs to send to (e.g. `ntfys://ntfy.sh/topic`, `tgram://…`); empty: off. "
        "Needs the `notify` extra: `pip install 'qbitrr-tui[notify]'`.",
        secret=True,
    ),
    Field(
        "Events",
        "events",
        "str_list",
        NOTIFY_EVENTS,
        "Which events to send: " + ", ".join(NOTIFY_EVENTS) + ". One message per outage, "
        "not per cycle. [Notifications] is read at start.",
    ),
)


def field_names(fields: tuple[Field, ...]) -> dict[str, Field]:
    """Every key and alias of ``fields``, case-folded, to its field."""
    names: dict[str, Field] = {}
    for field in fields:
        for name in (field.key, *field.aliases):
            names[name.lower()] = field
    return names
