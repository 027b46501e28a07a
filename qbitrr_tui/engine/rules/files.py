"""Which files of a torrent the Arr's rules exclude (pure)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from qbitrr_tui.config.model import TorrentRules
from qbitrr_tui.config.schema import ALWAYS_ALLOWED_EXTENSIONS


def exclusion_reason(path: str, rules: TorrentRules) -> str | None:
    """Why ``path`` (a torrent-relative file path) is excluded, or None if it is wanted."""
    flags = 0 if rules.case_sensitive_matches else re.IGNORECASE
    parts = path.replace("\\", "/").split("/")
    folders, name = parts[:-1], parts[-1]
    for pattern in rules.folder_exclusion_regex:
        for folder in folders:
            if re.search(pattern, folder, flags):
                return f"folder {folder!r} matches {pattern!r}"
    for pattern in rules.file_name_exclusion_regex:
        if re.search(pattern, name, flags):
            return f"name matches {pattern!r}"
    if any(name.endswith(ext) for ext in ALWAYS_ALLOWED_EXTENSIONS):
        return None
    allow = rules.file_extension_allowlist
    if allow:
        if rules.case_sensitive_matches:
            allowed = any(name.endswith(ext) for ext in allow)
        else:
            allowed = any(name.lower().endswith(ext.lower()) for ext in allow)
        if not allowed:
            return "extension not in FileExtensionAllowlist"
    return None


def excluded_files(
    files: Sequence[Mapping[str, Any]], rules: TorrentRules
) -> tuple[tuple[int, ...], bool]:
    """``(file ids to skip, every file excluded?)`` for a ``torrents/files`` answer.

    Files already skipped (priority 0) are not listed again."""
    excluded: list[int] = []
    wanted = 0
    for position, entry in enumerate(files):
        file_id = int(entry.get("index", position))
        if exclusion_reason(str(entry.get("name", "")), rules) is None:
            wanted += 1
        elif int(entry.get("priority", 1)) != 0:
            excluded.append(file_id)
    return tuple(excluded), bool(files) and wanted == 0
