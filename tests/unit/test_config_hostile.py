"""Broken and hostile input: each is one line naming what to fix, never a traceback or hang."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from qbitrr_tui.config import ConfigError, load_config, parse_config
from qbitrr_tui.errors import UserError

ENV = {"QBITRR_DATA_FOLDER": "/tmp/qbitrr-test-data"}
ARR = '[Radarr-A]\nURI = "http://x"\nAPIKey = "k"\nCategory = "c"\n'
BIG = "1" + "0" * 400


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(text, Path("config.toml"), ENV)
    found = info.value.problems
    assert all("\n" not in line for line in found)
    return found


def one(text: str) -> str:
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


# --- numbers ---------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "+nan", BIG, "1e400", f'"{BIG}"'])
@pytest.mark.parametrize(
    ("table", "key"),
    [
        ("Settings", "LoopSleepTimer"),
        ("Settings", "IgnoreTorrentsYoungerThan"),
        ("Settings", "FreeSpace"),
        ("Settings", "MaxDeletionsPerCycle"),
        ("qBit", "Port"),
        ("Radarr-A.Torrent", "MaximumETA"),
        ("Radarr-A.Torrent", "StalledDelay"),
        ("Radarr-A.Torrent", "MaximumDeletablePercentage"),
        ("Radarr-A.Torrent.SeedingMode", "MaxUploadRatio"),
        ("Radarr-A.Torrent.SeedingMode", "MaxSeedingTime"),
        ("Radarr-A.Torrent.SeedingMode", "DownloadRateLimitPerTorrent"),
    ],
)
def test_non_finite_and_huge_numbers_are_one_line(table: str, key: str, value: str) -> None:
    """nan passed every check (MaximumDeletablePercentage = nan turned the deletion guard
    off); 400-digit integers raised OverflowError."""
    arr = ARR if table.startswith("Radarr") else ""
    line = one(f"{arr}[{table}]\n{key} = {value}\n")
    assert f"[{table}] {key}: found " in line and "expected" in line
    assert len(line) < 300


def test_integer_past_pythons_digit_limit() -> None:
    line = one("[Settings]\nLoopSleepTimer = 1" + "0" * 5000 + "\n")
    assert line.startswith("config.toml:2: not valid TOML")


@pytest.mark.parametrize("value", ["0", "-1", "0.5", '"0s"', '"-1"'])
def test_loop_sleep_timer_below_one_second(value: str) -> None:
    """0 or -1 made a busy loop (172 cycles in 10 s)."""
    assert "LoopSleepTimer: found" in one(f"[Settings]\nLoopSleepTimer = {value}\n")


# --- files -----------------------------------------------------------------------------
def user_error(path: Path) -> str:
    with pytest.raises(UserError) as info:
        load_config(path, ENV)
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    return message


@pytest.mark.timeout(10)
def test_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    assert "not a regular file" in user_error(fifo)


def test_device_and_folder(tmp_path: Path) -> None:
    assert "not a regular file" in user_error(Path("/dev/zero"))
    assert "is a folder" in user_error(tmp_path)


def test_big_file(tmp_path: Path) -> None:
    big = tmp_path / "config.toml"
    big.write_text("# filler\n" * 300_000)
    assert "a config is under 1 MB" in user_error(big)


def test_bom_and_non_utf8_and_nul(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xef\xbb\xbf[Settings]\n")
    with pytest.raises(ConfigError, match=r"config.toml:1: starts with a byte-order mark"):
        load_config(path, ENV)
    path.write_bytes(b'[Settings]\nDataFolder = "caf\xe9"\n')
    assert user_error(path).endswith(
        "config.toml:2: byte 0xe9 at column 18 is not UTF-8; save the file as UTF-8"
    )
    path.write_bytes(b"[Settings]\n\x00\n")
    with pytest.raises(ConfigError, match=r"config.toml:2: contains a NUL byte"):
        load_config(path, ENV)


def test_missing_and_unreadable(tmp_path: Path) -> None:
    assert "not found" in user_error(tmp_path / "nope.toml")
    loop = tmp_path / "loop.toml"
    loop.symlink_to(loop)
    assert "cannot read config file" in user_error(loop)


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    "text",
    [
        "[qBit]\nx = " + "{a = " * 500 + "1" + "}" * 500 + "\n",
        "x = " + "[" * 1000 + "]" * 1000 + "\n",
        "x = " + "[" * 100_000 + "]" * 100_000 + "\n",
        "x = " + "[" * 100_000 + "\n",
    ],
)
def test_deep_nesting_is_one_line(text: str) -> None:
    assert "nested more than 40 deep" in one(text)


def test_brackets_in_strings_and_comments_do_not_count() -> None:
    brackets = "[" * 60
    text = (
        f"[Settings]\nDataFolder = \"{brackets}\"  # {brackets}\nFreeSpaceFolder = '{brackets}'\n"
    )
    config = parse_config(text, Path("c.toml"), {})
    assert config.settings.free_space_folder == brackets


# --- secrets ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("[qBit]\nPassword = 73519046288\n", "73519046288"),
        ('[qBit]\nPassword = ["hunter2-in-a-list"]\n', "hunter2-in-a-list"),
        (
            '[Radarr-A]\nURI = "u"\nCategory = "c"\nAPIKey = ["APIKEYlist-8Kq2Xs5Dv1Hj"]\n',
            "APIKEYlist-8Kq2Xs5Dv1Hj",
        ),
        ('[qBit]\nHost = "http://admin:s3cr3t-pw@127.0.0.1"\n', "s3cr3t-pw"),
        ('[Radarr-A]\nURI = "http://u:s3cr3t-pw@x"\nAPIKey = "k"\nCategory = "c"\n', "s3cr3t-pw"),
    ],
)
def test_secrets_are_never_quoted_back(text: str, secret: str) -> None:
    line = one(text)
    assert secret not in line
    assert "Password" in line or "APIKey" in line or "Host" in line or "URI" in line


# --- names -----------------------------------------------------------------------------
def test_control_characters_in_names_are_escaped() -> None:
    line = one('["qBit-\\u001b[31mRED\\u001b[0m"]\n')
    assert "\x1b" not in line and "\\x1b[31mRED" in line
    assert "control characters" in line
    warned = parse_config('["Web\\u001bUI"]\n', Path("c.toml"), ENV).warnings[0]
    assert "\x1b" not in warned and "Web\\x1bUI" in warned


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[qBit-]\n", "[qBit-]: an instance section needs a name"),
        ('["qBit- "]\n', "needs a name"),
        ("[qBit]\nPort = 1\nport = 2\n", "config.toml:3: [qBit] port: Port and port both set Port"),
        ('[qBit]\nPassword = "a"\nPass = "b"\n', "Password and Pass both set Password"),
        ('[qBit]\nUserName = "a"\nUser = "b"\n', "UserName and User both set UserName"),
        ('[Settings]\nLogLevel = "INFO"\nConsoleLevel = "DEBUG"\n', "both set LogLevel"),
        ('[Settings]\nFailedCategory = "x"\nRecheckCategory = "x"\n', "same as FailedCategory"),
        ("qBit = 5\n", "config.toml:1: [qBit]: expected a section [qBit], found a value"),
        ("Settings = 5\n", "config.toml:1: [Settings]: expected a section"),
        ("Keys = 5\n", "config.toml:1: [Keys]: expected a section"),
        (f"{ARR}Torrent = 5\n", "config.toml:5: [Radarr-A.Torrent]: expected a section"),
        (
            f'{ARR}[Radarr-A.Torrent]\nSeedingMode = "x"\n',
            "config.toml:6: [Radarr-A.Torrent.SeedingMode]: expected a section",
        ),
        (
            f'{ARR}[Radarr-A.Torrent]\nTrackers = ["a"]\n',
            "config.toml:6: [Radarr-A.Torrent] Trackers",
        ),
        ('x = "abc\n', "config.toml:1: not valid TOML"),
        (
            f'{ARR}[Radarr-A.Torrent]\nStalledDelay = 5\n[Radarr-A.Torrent.Trackers]\nURI = "t"\n',
            "config.toml:7: [Radarr-A.Torrent.Trackers]: write each tracker as a [[…Trackers]] row",
        ),
    ],
)
def test_conflicts_and_misplaced_values(text: str, expected: str) -> None:
    assert expected in one(text)


# --- [Keys] ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[Keys]\nrescan = "q"\n', "'q' is the key of both rescan and quit"),
        ('[Keys]\nrescan = "f5"\npause = "f5"\n', "'f5' is the key of both rescan and pause"),
        ('[Keys]\nrescan = "ctrl+banana"\n', "'ctrl+banana' is not a key name"),
        ('[Keys]\nrescan = "f5,banana"\n', "'banana' is not a key name"),
        ("[Keys]\nrescan = 5\n", "[Keys] rescan: found 5"),
    ],
)
def test_key_remaps_that_clash_or_do_not_parse(text: str, expected: str) -> None:
    assert expected in one(text)


def test_good_key_remaps() -> None:
    text = '[Keys]\nrescan = "f5"\nquit = "ctrl+q"\nhelp = "question_mark,f1"\npause = "ctrl+p"\n'
    config = parse_config(text, Path("c.toml"), ENV)
    assert dict(config.keys)["help"] == "question_mark,f1"


# --- no hang ---------------------------------------------------------------------------
@pytest.mark.timeout(30)
def test_a_megabyte_of_keys_parses_in_bounded_time() -> None:
    text = "[Settings]\n" + "".join(f'k{i} = "{"v" * 40}"\n' for i in range(20_000))
    done = threading.Event()

    def work() -> None:
        parse_config(text[: 1024 * 1024], Path("c.toml"), ENV)
        done.set()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    assert done.wait(20)


# --- regexes ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "pattern", ["(a+)+$", "(a*)*b", "(.*a){20}", "(a|aa)+$", "(\\\\w+\\\\s?)+$", "(x+x+)+y"]
)
def test_catastrophic_regex_is_refused_by_name(pattern: str) -> None:
    """(a+)+$ took 19 s on one 28-letter file name in the engine."""
    line = one(f'{ARR}[Radarr-A.Torrent]\nFileNameExclusionRegex = ["ok", "{pattern}"]\n')
    assert "config.toml:6: [Radarr-A.Torrent] FileNameExclusionRegex: found" in line
    assert "which can take minutes on one file name" in line


@pytest.mark.parametrize(
    "pattern",
    [
        "a+$",
        "(?>a+)+$",
        "(a++)+$",
        "(\\\\d{2})+",
        "(?:ab|cd)+",
        "\\\\bnc(ed|op)?(\\\\d+)?\\\\b",
        "(?:\\\\.\\\\w+)+$",
        "^(?:[a-z]+\\\\.)*com$",
        "([^.]+\\\\.)+x",
    ],
)
def test_linear_regexes_are_kept(pattern: str) -> None:
    text = f'{ARR}[Radarr-A.Torrent]\nFolderExclusionRegex = ["{pattern}"]\n'
    config = parse_config(text, Path("c.toml"), ENV)
    assert len(config.arrs[0].torrent.folder_exclusion_regex) == 1


def test_refused_shapes_really_are_slow_and_kept_ones_fast() -> None:
    """Guards the checker itself: what it refuses blows up in re, what it keeps does not."""
    import re
    import time

    from qbitrr_tui.config.regex_check import backtracking_risk

    name = "a" * 22 + "!"
    start = time.perf_counter()
    re.search("(a+)+$", name)
    slow = time.perf_counter() - start
    start = time.perf_counter()
    re.search("(?>a+)+$", name * 100)
    fast = time.perf_counter() - start
    assert backtracking_risk("(a+)+$") and not backtracking_risk("(?>a+)+$")
    assert slow > 20 * fast


def test_thousands_of_problems_or_warnings_are_capped() -> None:
    found = problems("[Settings]\n" + "".join(f"[qBit-{i}]\nPort = 0\n" for i in range(300)))
    assert len(found) == 51 and found[-1] == "config.toml: … and 250 more problems"
    text = '[Settings]\nConsoleLevel = "NOTICE"\n' + "".join(f"k{i} = 1\n" for i in range(5000))
    warnings = parse_config(text, Path("config.toml"), ENV).warnings
    assert (
        len(warnings) == 302 and warnings[-1] == "config.toml: … and 4700 more unknown keys ignored"
    )
    assert "NOTICE is read as INFO" in warnings[0]  # the warnings that matter are all kept


@pytest.mark.parametrize(
    ("pattern", "name"),
    [
        (r"(?:\.\w+)+$", ".a" + "a" * 40 + "!"),
        (r"^(?:[a-z]+\.)*com$", "a" * 40 + "!"),
        (r"([^.]+\.)+x", "a." * 30 + "!"),
        (r"(a+b)+$", "ab" * 30 + "a" * 30 + "!"),
    ],
)
def test_nested_but_separated_patterns_kept_are_fast(pattern: str, name: str) -> None:
    """A repeat inside a repeat is kept when a character the outer round must match cannot
    be matched by the inner one: then there is one way to split, and matching stays fast."""
    import re
    import time

    from qbitrr_tui.config.regex_check import backtracking_risk

    assert backtracking_risk(pattern) is None
    start = time.perf_counter()
    re.search(pattern, name, re.IGNORECASE)
    assert time.perf_counter() - start < 0.05


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"{ARR}Managed = true\nmanaged = false\n", "Managed and managed both set Managed"),
        (
            f"{ARR}[Radarr-A.Torrent]\nStalledDelay = 1\nstalleddelay = 2\n",
            "StalledDelay and stalleddelay both set StalledDelay",
        ),
    ],
)
def test_a_key_spelled_twice_is_reported_once(text: str, expected: str) -> None:
    assert expected in one(text)
