"""The validated configuration: frozen dataclasses, safe to share across threads.

Durations are seconds (floats, -1 = never), sizes bytes, rates KB/s as the user wrote them.
Secrets are excluded from ``repr`` so a logged object never shows them.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

from qbitrr_tui.config.schema import DEFAULT_COLUMNS, NOTIFY_EVENTS
from qbitrr_tui.config.tracker_fields import UNREGISTERED_MESSAGES


@dataclass(frozen=True, slots=True)
class Settings:
    data_folder: Path
    loop_sleep_timer: float = 5.0
    full_refresh_interval: float = 60.0
    instance_read_budget: float = 5.0
    instance_read_timeout: float = 120.0
    arr_read_budget: float = 10.0
    act_budget: float = 15.0

    ignore_torrents_younger_than: float = 180.0
    import_settle_time: float = 60.0
    dry_run: bool = False
    log_level: str = "INFO"
    free_space: int = -1
    free_space_folder: str = ""
    auto_pause_resume: bool = True
    failed_category: str = "failed"
    recheck_category: str = "recheck"
    max_deletions_per_cycle: int = 10
    recycle_bin: bool = False
    recycle_bin_days: float = 7.0
    recycle_bin_move_data: bool = False
    tracker_check_interval: float = 600.0

    @property
    def db_path(self) -> Path:
        return self.data_folder / "qbitrr.db"


@dataclass(frozen=True, slots=True)
class QbitInstanceConfig:
    name: str
    section: str
    host: str = "localhost"
    port: int = 8080
    username: str = "admin"
    password: str = field(default="", repr=False)
    api_key: str = field(default="", repr=False)
    disabled: bool = False
    skip_tls_verify: bool = False
    trackers: tuple[TrackerRule, ...] = ()  # [[qBit.Trackers]] / [[qBit-<Name>.Trackers]]

    @property
    def address(self) -> str:
        """``host:port`` for screens and logs (never the credentials)."""
        host = self.host.split("://", 1)[-1].rstrip("/")
        return f"{host}:{self.port}"


@dataclass(frozen=True, slots=True)
class TrackerRule:
    uri: str
    name: str = ""
    priority: int = 0
    maximum_eta: float | None = None
    max_upload_ratio: float = -1.0
    max_seeding_time: float = -1.0
    download_rate_limit: int = -1
    upload_rate_limit: int = -1
    add_tags: tuple[str, ...] = ()
    # Hit-and-run protection (qBitrr's keys and defaults)
    hit_and_run_mode: str = "disabled"  # "and" | "or" | "disabled"
    min_seed_ratio: float = 1.0
    min_seeding_time_days: float = 0.0
    hnr_min_download_percent: float = 10.0
    hnr_partial_seed_ratio: float = 1.0
    tracker_update_buffer: float = 0.0  # seconds

    @property
    def hit_and_run(self) -> bool:
        return self.hit_and_run_mode in ("and", "or")


@dataclass(frozen=True, slots=True)
class SeedingMode:
    download_rate_limit: int = -1
    upload_rate_limit: int = -1
    max_upload_ratio: float = -1.0
    max_seeding_time: float = -1.0
    remove_torrent: int = -1


@dataclass(frozen=True, slots=True)
class TorrentRules:
    case_sensitive_matches: bool = False
    folder_exclusion_regex: tuple[str, ...] = ()
    file_name_exclusion_regex: tuple[str, ...] = ()
    file_extension_allowlist: tuple[str, ...] = ()
    delete_if_all_excluded: bool = False
    ignore_torrents_younger_than: float = 180.0
    maximum_eta: float = 604800.0
    maximum_deletable_percentage: float = 0.99
    do_not_remove_slow: bool = False
    stalled_delay: float = 900.0
    re_search_stalled: bool = False
    unregistered_action: str = "remove"  # "remove" | "tag" | "category" | "off"
    unregistered_messages: tuple[str, ...] = UNREGISTERED_MESSAGES
    unregistered_grace: float = 3600.0
    unregistered_tag: str = "qBitrr-unregistered"
    unregistered_category: str = "unregistered"
    strikes_before_removal: int = 0
    trackers: tuple[TrackerRule, ...] = ()
    seeding: SeedingMode = SeedingMode()


@dataclass(frozen=True, slots=True)
class ArrConfig:
    kind: str  # "Radarr" | "Sonarr" | "Lidarr"
    name: str  # the section name, e.g. "Radarr-Movies": unique, and what screens show
    uri: str = ""
    api_key: str = field(default="", repr=False)
    category: str = ""
    managed: bool = True
    re_search: bool = True
    import_mode: str = "Auto"
    torrent: TorrentRules = TorrentRules()


@dataclass(frozen=True, slots=True)
class WebApiSettings:
    """[WebAPI]: the HTTP status API, /health and /metrics (off by default)."""

    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = 6970
    token: str = field(default="", repr=False)

    @property
    def loopback(self) -> bool:
        """Whether ``host`` is reachable only from this machine (127.0.0.0/8, ::1,
        localhost). Any other name or address counts as public."""
        host = self.host.strip().strip("[]")
        if host.lower() == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False


@dataclass(frozen=True, slots=True)
class NotificationSettings:
    """[Notifications]: Apprise URLs (they hold credentials) and the events to send."""

    urls: tuple[str, ...] = field(default=(), repr=False)
    events: tuple[str, ...] = NOTIFY_EVENTS


@dataclass(frozen=True, slots=True)
class UISettings:
    """[UI]: what the dashboard remembers (it writes these) and its bell."""

    columns: tuple[str, ...] = DEFAULT_COLUMNS
    sort: str = "category"
    view: str = "instances"
    theme: str = ""
    bell: bool = False


@dataclass(frozen=True, slots=True)
class Config:
    path: Path | None
    settings: Settings
    instances: tuple[QbitInstanceConfig, ...] = ()
    arrs: tuple[ArrConfig, ...] = ()
    warnings: tuple[str, ...] = ()
    keys: tuple[tuple[str, str], ...] = ()  # (binding id, key) remaps from [Keys]
    # Keys a qBitrr file leaves unset whose default here differs (check-config --explain)
    notes: tuple[str, ...] = ()
    webapi: WebApiSettings = WebApiSettings()
    notifications: NotificationSettings = NotificationSettings()
    ui: UISettings = UISettings()

    @property
    def enabled_instances(self) -> tuple[QbitInstanceConfig, ...]:
        return tuple(i for i in self.instances if not i.disabled)

    @property
    def managed_arrs(self) -> tuple[ArrConfig, ...]:
        return tuple(a for a in self.arrs if a.managed)

    def instance(self, name: str) -> QbitInstanceConfig:
        for inst in self.instances:
            if inst.name == name:
                return inst
        raise KeyError(name)

    def arr_for_category(self, category: str) -> ArrConfig | None:
        for arr in self.managed_arrs:
            if arr.category == category:
                return arr
        return None

    @property
    def managed_categories(self) -> tuple[str, ...]:
        """Arr categories plus the failed and recheck categories: all the engine may touch."""
        cats = [a.category for a in self.managed_arrs]
        for extra in (self.settings.failed_category, self.settings.recheck_category):
            if extra and extra not in cats:
                cats.append(extra)
        return tuple(cats)

    def secrets(self) -> tuple[str, ...]:
        values = [i.password for i in self.instances] + [i.api_key for i in self.instances]
        values += [a.api_key for a in self.arrs]
        values += [self.webapi.token, *self.notifications.urls]
        return tuple(v for v in values if v)
