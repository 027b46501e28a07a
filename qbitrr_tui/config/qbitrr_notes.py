"""The "Coming from qBitrr" section of docs/configuration.md: every key whose meaning or
default differs from qBitrr's code, and how a qBitrr file is read here.

Kept as data beside :mod:`compat` (which applies the readings) so the docs list exactly what
the loader does; tests/unit/test_config_qbitrr_compat.py checks each row's behaviour.
"""

from __future__ import annotations

from qbitrr_tui.config import compat, schema

# (key or topic, what qBitrr's code does, how it is read here)
MEANINGS: tuple[tuple[str, str, str], ...] = (
    (
        "`StalledDelay` `0` / `-1`",
        "Before 5.14.6: `0` never removes a stalled download, `-1` removes it once stalled "
        "(no grace). From 5.14.6: `-1` never removes, `0` is no grace; older files are "
        "migrated by `Settings.ConfigVersion`.",
        "The same, by `ConfigVersion` (e.g. `5.9` reads `0` as never remove). A file without "
        "`ConfigVersion` may be qBitrr's or ours, so both `0` and `-1` read as never remove "
        "(the reading that deletes nothing). `check-config` prints the reading it took.",
    ),
    (
        "Duration suffixes",
        "`s m h d w` in either case; capital `M` is a month (30 days); minute keys keep whole "
        'minutes (`StalledDelay = "90s"` is 1 minute, anything above 0 and below a minute is '
        "1); anything else falls back to the default without a word.",
        'The same suffixes, but taken exactly (`"90s"` is 90 seconds, `"1.5h"` works); an '
        "unknown suffix is an error.",
    ),
    (
        "`ConsoleLevel`",
        "Any level it registers: TRACE, VERBOSE, DEBUG, INFO, NOTICE, HNOTICE, SUCCESS, "
        "WARNING, ERROR, CRITICAL.",
        "; ".join(f"{a} is read as {b}" for a, b, _ in schema.LOG_LEVEL_ALIASES)
        + " (each said by a warning).",
    ),
    ("`importMode`", '`"Hardlink"` is read as `Auto`.', "The same, with a warning."),
    ("`Port`", 'A string such as `"8080"` works.', "The same."),
    (
        "Arr sections",
        "Any section whose name starts with Radarr, Sonarr, Lidarr or Readarr (any case): "
        "`[Sonarr]`, `[Radarr4K]`; old `[Animarr…]` sections become Sonarr.",
        "The same for Radarr, Sonarr, Lidarr and Animarr; Readarr sections are reported as "
        "not supported yet (a warning), never dropped silently.",
    ),
    (
        "Section and key case",
        "`Settings`, `Torrent`, `SeedingMode`, … exactly as written; `[settings]` is ignored.",
        "Any case (`[settings]`, `[Radarr-A.torrent]` count); two spellings of one name in "
        "one place (`Port` and `port`) are an error naming both.",
    ),
    (
        "`[qBit…]` instance names",
        "`qBit` or `qBit-<Name>`, case-sensitive, the name kept as written.",
        "Any case; the name lower-cased (`[qBit-Seedbox]` is `seedbox`); two sections that "
        "map to one name are an error naming both.",
    ),
    (
        "Rate limits (`…RateLimit…`)",
        "Its docs say KB/s; its code hands the number to qBittorrent, which reads bytes/s.",
        "KB/s (× 1024), as its docs say.",
    ),
    (
        "`FileExtensionAllowlist`",
        "Each entry is a regular expression searched in the file's last suffix (`.mkv` also "
        "matches `.mkv2`).",
        "Each entry is a suffix the name must end with: the same for plain extensions.",
    ),
    (
        "Values qBitrr takes silently",
        "`nan`, `inf`, out-of-range numbers, `LoopSleepTimer = 0`, credentials inside `Host`.",
        "Errors, one line each with file:line; so is an exclusion regex that backtracks "
        "exponentially (`(a+)+$`).",
    ),
)


def render() -> list[str]:
    """The section's Markdown lines."""
    lines = [
        "## Coming from qBitrr",
        "",
        "A qBitrr `config.toml` is read as the qBitrr release that wrote it reads it: its "
        "code, not its docs, where the two disagree, and its own migrations apply. Sections "
        "and keys qbitrr-tui does not use (`[WebUI]`, `EntrySearch`, …) are warnings. What "
        "differs:",
        "",
        "| key | qBitrr | qbitrr-tui |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {key} | {theirs} | {ours} |" for key, theirs, ours in MEANINGS]
    lines += [
        "",
        "Defaults that differ, for keys a file leaves unset (`check-config --explain` lists "
        "the ones a file relies on):",
        "",
        "| key | qBitrr | qbitrr-tui |",
        "| --- | --- | --- |",
    ]
    for table, key, ours, theirs in compat.DEFAULTS:
        where = f"`[<Arr>.{table}]` `{key}`" if table else f"`[<Arr>]` `{key}`"
        lines.append(f"| {where} | {theirs} | {ours} |")
    lines.append("")
    return lines
