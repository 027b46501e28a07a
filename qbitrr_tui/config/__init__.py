"""Configuration: the schema, the model, loading and validation, editing."""

from __future__ import annotations

from qbitrr_tui.config.load import ConfigError, load_config, parse_config
from qbitrr_tui.config.model import (
    ArrConfig,
    Config,
    QbitInstanceConfig,
    SeedingMode,
    Settings,
    TorrentRules,
    TrackerRule,
)

__all__ = [
    "ArrConfig",
    "Config",
    "ConfigError",
    "QbitInstanceConfig",
    "SeedingMode",
    "Settings",
    "TorrentRules",
    "TrackerRule",
    "load_config",
    "parse_config",
]
