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
from qbitrr_tui.config.settings_fields import LOG_LEVEL_ALIASES, LOG_LEVELS, SETTINGS_FIELDS
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
    "LOG_LEVELS",
    "LOG_LEVEL_ALIASES",
    "SETTINGS_FIELDS",
    "TORRENT_COLUMNS",
    "UI_FIELDS",
    "VIDEO_EXTENSIONS",
    "VIEWS",
    "Field",
    "Kind",
    "convert",
    "default_extensions",
]

IMPORT_MODES = ("Auto", "Move", "Copy")
RATE_LIMIT_MAX = 2**31 // 1024 - 1  # KB/s; × 1024 must still fit qBittorrent's 32-bit limit
IMPORT_MODE_ALIASES: tuple[tuple[str, str, str], ...] = (
    ("Hardlink", "Auto", "qBitrr reads Hardlink as Auto too"),
)
ARR_KINDS = ("Radarr", "Sonarr", "Lidarr")


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
