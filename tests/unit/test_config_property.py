"""Property: any TOML-shaped text either loads or gives one line per problem (ConfigError),
in bounded time; nothing else escapes the loader."""

from __future__ import annotations

import math
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbitrr_tui.config import ConfigError, parse_config, schema

ENV = {"QBITRR_DATA_FOLDER": "/tmp/qbitrr-test-data"}

KEYS = sorted(
    {
        name
        for fields in (
            schema.SETTINGS_FIELDS,
            schema.QBIT_FIELDS,
            schema.ARR_FIELDS,
            schema.TORRENT_FIELDS,
            schema.SEEDING_FIELDS,
            schema.TRACKER_FIELDS,
        )
        for field in fields
        for name in (field.key, *field.aliases)
    }
    | {"ConfigVersion", "port", "torrent", "Unknown"}
)
SECTIONS = [
    "Settings",
    "settings",
    "qBit",
    "QBit",
    "qBit-",
    "qBit-Seed box",
    "qBit-日本",
    "qBit-\x1b[31m",
    "Radarr-A",
    "Sonarr",
    "radarr4k",
    "Readarr-B",
    "Lidarr-C",
    "Keys",
    "WebUI",
    "Radarr-A.Torrent",
    "Radarr-A.torrent",
    "Radarr-A.Torrent.SeedingMode",
    "Sonarr.Torrent",
]

scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.integers(min_value=-3, max_value=70000),
    st.sampled_from([10**400, -(10**400), 2**63, 4 * 10**18]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["15m", "1M", "-1", "0", "nan", "8080", "Hardlink", "NOTICE", "ctrl+banana"]),
    st.sampled_from(["http://a:b@h", "(a+)+$", "[", "\\bx\\b", "50G", "99999999999P"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)
    ),
    max_leaves=8,
)


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        escaped = "".join(
            c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in value
        )
        return f'"{escaped}"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{k}" = {toml_value(v)}' for k, v in value.items()) + "}"
    raise AssertionError(value)


def quoted(section: str) -> str:
    return ".".join(
        part
        if part.replace("-", "").replace("_", "").isalnum() and part.isascii()
        else '"'
        + "".join(c if c.isprintable() and c != '"' else f"\\u{ord(c):04x}" for c in part)
        + '"'
        for part in section.split(".")
    )


documents = st.lists(
    st.tuples(
        st.sampled_from(SECTIONS),
        st.dictionaries(st.sampled_from(KEYS), values, max_size=6),
    ),
    max_size=6,
    unique_by=lambda pair: pair[0],
)


def render(document: list[tuple[str, dict[str, object]]]) -> str:
    out = []
    for section, body in document:
        out.append(f"[{quoted(section)}]")
        out += [f"{key} = {toml_value(value)}" for key, value in body.items()]
    return "\n".join(out) + "\n"


def check(text: str) -> None:
    try:
        parse_config(text, Path("config.toml"), ENV)
    except ConfigError as exc:
        assert exc.problems
        for line in exc.problems:
            assert "\n" not in line and "\x1b" not in line
            assert line.startswith("config.toml") or line.startswith("environment")


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_generated_configs_load_or_give_one_line_per_problem(
    document: list[tuple[str, dict[str, object]]],
) -> None:
    check(render(document))


PLACES = [
    (section, field.key)
    for section, fields in (
        ("Settings", schema.SETTINGS_FIELDS),
        ("qBit", schema.QBIT_FIELDS),
        ("Radarr-A", schema.ARR_FIELDS),
        ("Radarr-A.Torrent", schema.TORRENT_FIELDS),
        ("Radarr-A.Torrent.SeedingMode", schema.SEEDING_FIELDS),
        ("[Radarr-A.Torrent.Trackers]", schema.TRACKER_FIELDS),
    )
    for field in fields
]
ARR = '[Radarr-A]\nURI = "http://x"\nAPIKey = "k"\nCategory = "c"\n'


@settings(max_examples=300, deadline=2000)
@given(st.sampled_from(PLACES), values)
def test_any_value_in_any_known_key(place: tuple[str, str], value: object) -> None:
    section, key = place
    check(f"{ARR}[{section}]\n{key} = {toml_value(value)}\n")


@settings(max_examples=150, deadline=2000)
@given(
    st.text(
        alphabet=st.sampled_from(list("[]{}\"'=#.,\n abcqBit-Settings0123456789nan\\")),
        max_size=200,
    )
)
def test_toml_shaped_noise_never_escapes(text: str) -> None:
    check(text)


@settings(max_examples=100, deadline=2000)
@given(documents, st.integers(min_value=0, max_value=400), st.binary(max_size=3))
def test_truncated_and_corrupted_files(
    document: list[tuple[str, dict[str, object]]], cut: int, junk: bytes
) -> None:
    text = render(document)
    check(text[:cut] + junk.decode("latin-1") + text[cut:])


HOSTILE = [
    float("nan"),
    float("inf"),
    float("-inf"),
    10**400,
    -(10**400),
    4 * 10**18,
    1e308,
    -2,
    "",
    "x" * 1000,
    "\x1b[31m",
    "9" * 31 + "M",
    [],
    {"a": {"b": 1}},
    True,
]


def test_every_known_key_takes_every_hostile_value() -> None:
    """Table-driven: each key in its own section, each hostile value (nan, inf, 400 digits,
    escapes, wrong types): it loads or gives one line, and nothing else escapes."""
    for section, key in PLACES:
        for value in HOSTILE:
            check(f"{ARR}[{section}]\n{key} = {toml_value(value)}\n")
