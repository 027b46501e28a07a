"""The command line's grammar: subcommands, their flags, and the global flags that mean the
same before or after the subcommand (the commands themselves are in cli.py)."""

from __future__ import annotations

import argparse

from qbitrr_tui import __version__


def build_parser() -> argparse.ArgumentParser:
    config_help = "config file (default: $QBITRR_CONFIG, else the user config folder)"
    # Global flags are accepted before or after the subcommand; SUPPRESS keeps the
    # subcommand's absent value from overwriting one given before it (`qbitrr-tui --dry-run
    # run` once ran live because run's own --dry-run default reset it).
    flags = argparse.ArgumentParser(add_help=False)
    flags.add_argument(
        "--dry-run", action="store_true", default=argparse.SUPPRESS, help="change nothing"
    )
    flags.add_argument(
        "--no-mouse", action="store_true", default=argparse.SUPPRESS, help="ignore the mouse"
    )
    common = argparse.ArgumentParser(add_help=False, parents=[flags])
    common.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help=config_help)
    parser = argparse.ArgumentParser(
        prog="qbitrr-tui",
        description="Keep the torrents of several qBittorrent instances healthy for "
        "Radarr, Sonarr and Lidarr, and watch it live in a terminal dashboard.",
    )
    parser.add_argument("--config", metavar="PATH", help=config_help)
    parser.add_argument("--version", action="version", version=f"qbitrr-tui {__version__}")
    parser.add_argument("--no-mouse", action="store_true", help="dashboard: ignore the mouse")
    parser.add_argument("--dry-run", action="store_true", help="dashboard: start in dry-run")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", parents=[common], help="run the engine without the dashboard")
    run.add_argument("--headless", action="store_true", help="no dashboard (the default for run)")
    run.add_argument("--cycles", type=int, metavar="N", help="stop after N cycles")

    check = sub.add_parser("check-config", parents=[common], help="validate the config file")
    check.add_argument(
        "--explain", action="store_true", help="also list defaults that differ from qBitrr's"
    )

    status = sub.add_parser("status", parents=[common], help="probe every instance once")
    status.add_argument("--json", action="store_true", help="machine-readable output")

    attach = sub.add_parser(
        "attach", help="the dashboard of a headless engine, over its API ([WebAPI])"
    )
    attach.add_argument("url", metavar="URL", help="the engine's API, e.g. http://127.0.0.1:6970")
    attach.add_argument(
        "--token", default="", help="the API token (better: the QBITRR_TOKEN environment variable)"
    )
    attach.add_argument(
        "--no-mouse", action="store_true", default=argparse.SUPPRESS, help="ignore the mouse"
    )

    demo = sub.add_parser(
        "demo", parents=[flags], help="the dashboard against local sandbox instances"
    )
    demo.add_argument("--keep", action="store_true", help="leave the sandbox running")
    demo.add_argument(
        "--versions",
        default="",
        metavar="4.5,5.1,5.3",
        help="qBittorrent release of each instance, in turn: a mixed fleet "
        "(`make qbittorrent-versions` provides them)",
    )

    restore = sub.add_parser(
        "restore", parents=[common], help="put a torrent back from the recycle bin"
    )
    restore.add_argument("hash", metavar="HASH", nargs="?", help="its hash (or a prefix)")
    restore.add_argument("--instance", metavar="NAME", help="when the hash is on several")
    restore.add_argument("--list", action="store_true", help="list the recycle bin")

    shot = sub.add_parser("screenshot", help="write screenshots/ from the demo")
    shot.add_argument("--out", metavar="DIR", default="screenshots", help="output folder")
    return parser


_GLOBAL_FLAGS = {"config": "--config", "dry_run": "--dry-run", "no_mouse": "--no-mouse"}


def refuse_global_flags_it_ignores(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> None:
    """A global flag before a subcommand that has no such flag of its own would be dropped
    without a word (`--config X demo`); after it, argparse refuses it. Refuse both ways."""
    if args.command is None:
        return
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    accepted = {action.dest for action in subparsers.choices[args.command]._actions}
    for dest, flag in _GLOBAL_FLAGS.items():
        if dest not in accepted and getattr(args, dest, None) not in (None, False):
            parser.error(f"{flag} has no meaning for {args.command}")
