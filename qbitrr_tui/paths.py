"""Where qbitrr-tui keeps its files (platformdirs), and which config file a command uses."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "qbitrr-tui"


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


def default_log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME))


def resolve_config_path(explicit: str | None, env: Mapping[str, str] | None = None) -> Path:
    """``--config`` first, then ``QBITRR_CONFIG``, then the user config folder."""
    env = os.environ if env is None else env
    if explicit:
        return Path(explicit).expanduser()
    if env.get("QBITRR_CONFIG"):
        return Path(env["QBITRR_CONFIG"]).expanduser()
    return default_config_path()
