"""Every global flag means the same before or after the subcommand, for every subcommand
(issue 15: `--dry-run run` once ran live, `--no-mouse demo` dropped the flag)."""

from __future__ import annotations

import argparse

import pytest

from qbitrr_tui.cli_parser import build_parser, refuse_global_flags_it_ignores

# What each subcommand needs besides the flags (unknown ones: nothing).
EXTRA = {"attach": ["http://127.0.0.1:6970"]}
FLAGS = {"--config": ["--config", "/tmp/q.toml"], "--dry-run": ["--dry-run"]}
FLAGS["--no-mouse"] = ["--no-mouse"]
DEST = {"--config": "config", "--dry-run": "dry_run", "--no-mouse": "no_mouse"}
SET = {"--config": "/tmp/q.toml", "--dry-run": True, "--no-mouse": True}
# Where a flag means something: the others are refused, on either side.
MEANINGFUL = {
    ("run", "--config"),
    ("run", "--dry-run"),
    ("check-config", "--config"),
    ("status", "--config"),
    ("demo", "--dry-run"),
    ("demo", "--no-mouse"),
    ("attach", "--no-mouse"),
}


def outcome(argv: list[str]) -> object:
    """The flag's value as the command sees it, or "refused" (exit 2, one line)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        refuse_global_flags_it_ignores(parser, args)
    except SystemExit as exc:
        assert exc.code == 2
        return "refused"
    return args


def subcommands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(action.choices)


@pytest.mark.parametrize("flag", sorted(FLAGS))
@pytest.mark.parametrize("command", subcommands())
def test_a_global_flag_means_the_same_on_either_side(
    command: str, flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = EXTRA.get(command, [])
    before = outcome([*FLAGS[flag], command, *extra])
    after = outcome([command, *extra, *FLAGS[flag]])
    plain = outcome([command, *extra])
    capsys.readouterr()
    if before == "refused" or after == "refused":
        assert before == after == "refused", (before, after)
        assert (command, flag) not in MEANINGFUL
        return
    assert isinstance(before, argparse.Namespace) and isinstance(after, argparse.Namespace)
    assert isinstance(plain, argparse.Namespace)
    dest = DEST[flag]
    assert getattr(before, dest) == getattr(after, dest) == SET[flag]
    assert getattr(plain, dest) in (None, False)  # absent: not set behind the user's back
    assert vars(before) == vars(after)


@pytest.mark.parametrize(("command", "flag"), sorted(MEANINGFUL))
def test_the_meaningful_flags_are_taken(command: str, flag: str) -> None:
    args = outcome([*FLAGS[flag], command, *EXTRA.get(command, [])])
    assert isinstance(args, argparse.Namespace) and getattr(args, DEST[flag]) == SET[flag]


def test_a_flag_a_command_ignores_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert outcome(["--config", "/tmp/q.toml", "demo"]) == "refused"
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == "qbitrr-tui: error: --config has no meaning for demo"


@pytest.mark.parametrize("flag", sorted(FLAGS))
def test_the_dashboard_takes_every_global_flag(flag: str) -> None:
    args = outcome(FLAGS[flag])
    assert isinstance(args, argparse.Namespace) and getattr(args, DEST[flag]) == SET[flag]
