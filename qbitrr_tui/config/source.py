"""Reading the config file and parsing its TOML, with every failure one line.

The file is checked before it is read (a regular file, at most :data:`MAX_BYTES`), so a FIFO,
``/dev/zero`` or a directory is refused instead of hanging or exhausting memory. The TOML is
parsed with tomlkit, as qBitrr parses it, so what qBitrr reads (multi-line inline tables
among it) reads here too.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import ParseError, TOMLKitError

from qbitrr_tui.errors import UserError

# qBitrr's largest example is 60 kB; tomlkit takes about 2 s per MB.
MAX_BYTES = 1024 * 1024
MAX_DEPTH = 40  # tables and arrays nested deeper than this are not a config
_BOM = "\ufeff"


class ConfigError(UserError):
    """The config has problems; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        if len(problems) == 1:
            super().__init__(problems[0])  # one problem, one line
        else:
            super().__init__(f"config has {len(problems)} problems:\n" + "\n".join(problems))


def read_config_file(path: Path) -> str:
    """The text of the config at ``path``; :class:`UserError` (one line) if it cannot be."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise UserError(f"config file not found: {path}") from None
    except OSError as exc:
        raise UserError(f"cannot read config file {path}: {_reason(exc)}") from None
    if stat.S_ISDIR(info.st_mode):
        raise UserError(f"config file {path} is a folder; name the config.toml inside it")
    if not stat.S_ISREG(info.st_mode):
        raise UserError(f"config file {path} is not a regular file (a pipe or device?)")
    if info.st_size > MAX_BYTES:
        raise UserError(f"config file {path} is {info.st_size:,} bytes; a config is under 1 MB")
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO since stat(), open() must not wait.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise UserError(f"config file {path} is not a regular file")
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UserError(f"cannot read config file {path}: {_reason(exc)}") from None
    if len(data) > MAX_BYTES:
        raise UserError(f"config file {path} is over 1 MB; a config is far smaller")
    return decode(data, str(path))


def decode(data: bytes, source: str) -> str:
    """UTF-8 text of ``data``; a bad byte is reported with its line and column."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise UserError(
            f"{source}:{line}: byte 0x{data[exc.start]:02x} at column {column} is not UTF-8; "
            "save the file as UTF-8"
        ) from None


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """The TOML document in ``text`` as plain Python values; :class:`ConfigError` if invalid."""
    if text.startswith(_BOM):
        raise ConfigError(
            [f"{source}:1: starts with a byte-order mark (BOM); save it as UTF-8 without BOM"]
        )
    if "\x00" in text:
        nul = text.count("\n", 0, text.index("\x00")) + 1
        raise ConfigError([f"{source}:{nul}: contains a NUL byte; this is not a text file"])
    if (deep := _too_deep(text)) is not None:
        raise ConfigError(
            [f"{source}:{deep}: tables or arrays nested more than {MAX_DEPTH} deep; not a config"]
        )
    try:
        document = tomlkit.parse(text)
        value = document.unwrap()
    except ParseError as exc:
        message = str(exc).rsplit(" at line ", 1)[0].rstrip(".")
        raise ConfigError(
            [f"{source}:{exc.line}: not valid TOML: {message} (column {exc.col + 1})"]
        ) from None
    except (TOMLKitError, ValueError, OverflowError) as exc:
        # e.g. an integer past Python's 4300-digit limit, which tomlkit does not wrap
        raise ConfigError([f"{source}: not valid TOML: {_short(str(exc))}"]) from None
    except RecursionError:
        raise ConfigError([f"{source}: nested too deeply to be a config"]) from None
    return dict(value)


def _too_deep(text: str) -> int | None:
    """The line where brackets outside strings and comments nest past MAX_DEPTH, if any.

    A cheap scan, not a parser: it only needs to stop inputs that would make any recursive
    parser run out of stack. Strings are skipped so a ``[`` inside a value does not count.
    """
    depth, index, size = 0, 0, len(text)
    while (match := _SIGNIFICANT.search(text, index)) is not None:
        char, index = match.group(), match.end()
        if char == "#":
            end = text.find("\n", index)
            index = size if end < 0 else end
        elif char in ('"', "'", '"""', "'''"):
            index = _string_end(text, index, char)
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return text.count("\n", 0, index) + 1
        else:
            depth = max(0, depth - 1)
    return None


_SIGNIFICANT = re.compile(r'"""|\'\'\'|["\'#\[\]{}]')


def _string_end(text: str, index: int, quote: str) -> int:
    """Where the string opened by ``quote`` just before ``index`` ends."""
    while True:
        end = text.find(quote, index)
        if end < 0:
            return len(text)
        start = end
        while start > index and text[start - 1] == "\\":
            start -= 1
        if quote.startswith("'") or (end - start) % 2 == 0:
            return end + len(quote)
        index = end + 1  # an escaped quote inside a basic string


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _short(text: str) -> str:
    text = text.splitlines()[0] if text else "unreadable"
    return text if len(text) <= 120 else text[:119] + "…"
