"""qbitrr-tui: keeps the torrents of several qBittorrent instances healthy for Radarr,
Sonarr and Lidarr, and shows it live in a terminal dashboard.

The package map and the data flow: ``docs/architecture.md``.
"""

from __future__ import annotations

__version__ = "0.1.0"
