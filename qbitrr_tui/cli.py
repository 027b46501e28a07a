"""Command line: the dashboard (default), run, check-config, status, demo, screenshot.

Mistakes a user can fix end as one clear sentence and exit code 2 (1 where a command says
so); a traceback here is always a bug of ours.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from importlib import resources
from pathlib import Path

from qbitrr_tui.cli_parser import build_parser, refuse_global_flags_it_ignores
from qbitrr_tui.config import Config, load_config
from qbitrr_tui.data_lock import engine_lock
from qbitrr_tui.errors import UserError
from qbitrr_tui.logs import SECRETS, setup_logging
from qbitrr_tui.paths import default_log_dir, resolve_config_path


def starter_config_text() -> str:
    """The commented example config, shipped inside the package (DryRun = true)."""
    return resources.files("qbitrr_tui.config").joinpath("example.toml").read_text("utf-8")


def write_starter_config(path: Path) -> None:
    """Write the starter config at ``path``; a path that cannot hold it is a UserError."""
    if path.is_symlink():  # dangling or looping: never write through it
        raise UserError(f"config path {path} is a symbolic link to nothing; fix or remove it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: never overwrite a file that appeared since the caller looked
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(starter_config_text())
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UserError(f"cannot write a starter config at {path}: {reason}") from None


def _first_run(path: Path) -> int:
    write_starter_config(path)
    print(
        f"No config file was found, so a starter config was written to:\n  {path}\n"
        "It runs in dry-run mode (DryRun = true): nothing is changed until you turn that off.\n"
        "Edit the [qBit…] and [Radarr-…]/[Sonarr-…]/[Lidarr-…] sections, then check it with\n"
        f"  qbitrr-tui check-config --config {path}\n"
        "To see the dashboard first against local test instances, try:\n"
        "  qbitrr-tui demo"
    )
    return 0


def load_for_command(args: argparse.Namespace) -> Config:
    """Load and validate the config a command names; warnings go to stderr."""
    path = resolve_config_path(args.config)
    config = load_config(path)
    for warning in config.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    SECRETS.register(*config.secrets())
    return config


def cmd_check_config(args: argparse.Namespace) -> int:
    config = load_for_command(args)
    enabled = ", ".join(i.name for i in config.enabled_instances) or "none"
    arrs = ", ".join(f"{a.name} ({a.category})" for a in config.managed_arrs) or "none"
    print(f"{config.path}: valid")
    print(f"  qBittorrent instances: {len(config.instances)} (enabled: {enabled})")
    print(f"  managed Arrs: {arrs}")
    if config.settings.dry_run:
        print("  DryRun is on: nothing will be changed")
    if getattr(args, "explain", False):
        for note in config.notes:
            print(f"  {note}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from qbitrr_tui.status import collect_status, render_status, status_exit_code, to_json

    config = load_for_command(args)
    # The report names every instance's and Arr's problem; the probes' own warning lines
    # on stderr would say each a second time.
    setup_logging("ERROR", log_file=None)
    report = collect_status(config)
    print(to_json(report) if args.json else render_status(report))
    return status_exit_code(report)


def cmd_run(args: argparse.Namespace) -> int:
    from qbitrr_tui.engine.headless import run_headless

    config = load_for_command(args)
    if not config.enabled_instances:
        raise UserError(
            f"{config.path}: no enabled qBittorrent instance: add a [qBit] or "
            "[qBit-<Name>] section (or set Disabled = false)"
        )
    setup_logging(config.settings.log_level, log_file=log_file_path())
    if args.cycles is not None and args.cycles < 1:
        raise UserError("--cycles takes a whole number ≥ 1")
    with engine_lock(config.settings.data_folder):
        return run_headless(config, cycles=args.cycles, dry_run=args.dry_run)


def cmd_tui(args: argparse.Namespace) -> int:
    config = load_for_command(args)
    if args.dry_run:
        config = replace(config, settings=replace(config.settings, dry_run=True))
    with engine_lock(config.settings.data_folder):  # one engine per DataFolder
        return run_dashboard(config, mouse=not args.no_mouse)


def run_dashboard(config: Config, *, mouse: bool = True) -> int:
    """The engine thread plus the dashboard; the engine is stopped when the app leaves."""
    from qbitrr_tui.engine.fanout import EventFanOut
    from qbitrr_tui.engine.log_events import engine_log_events
    from qbitrr_tui.engine.loop import Engine
    from qbitrr_tui.service.run import start_service
    from qbitrr_tui.tui.app import make_app

    # No console logging under a full-screen app: the log file, and the engine log view.
    setup_logging(config.settings.log_level, log_file=log_file_path(), console=False)
    events = EventFanOut()  # the dashboard drains it; the API reads a copy
    engine = Engine(config, events=events)
    try:
        service = start_service(config, events, engine.commands, dry_run=engine.dry_run)
    except BaseException:
        engine.close()  # e.g. the API's port is taken: one sentence, nothing left open
        raise
    app = make_app(config, engine)
    with engine_log_events(engine.events):
        try:
            app.run(mouse=mouse)
        finally:
            # Textual's driver leaves its SIGTSTP/SIGCONT handlers behind; a SIGCONT after
            # the app (what `timeout` and systemd send after SIGTERM) then raised a traceback.
            for sig in (signal.SIGTSTP, signal.SIGCONT):
                signal.signal(sig, signal.SIG_DFL)
            engine.stop()
            if service is not None:
                service.stop()
    code = app.return_code or 0
    if code and code < 128:  # 128+N: a signal asked us to leave, not an error
        print(
            f"qbitrr-tui: the dashboard stopped on an error (exit status {code}); "
            f"the details are in {log_file_path()}",
            file=sys.stderr,
        )
    return code


def cmd_attach(args: argparse.Namespace) -> int:
    """The dashboard of an engine that runs elsewhere (`run --headless` with [WebAPI])."""
    import os

    from qbitrr_tui.service.attach import RemoteLink
    from qbitrr_tui.tui.app import QbitrrApp

    token = args.token or os.environ.get("QBITRR_TOKEN", "")
    SECRETS.register(token)
    link = RemoteLink(args.url, token)
    fleet = link.fleet()  # one clear sentence if it cannot be reached
    setup_logging("WARNING", log_file=log_file_path(), console=False)
    app = QbitrrApp(
        link, instance_names=fleet.instances, arr_names=fleet.arrs, dry_run=fleet.dry_run
    )
    app.run(mouse=not args.no_mouse)
    return 0


def _exit_on_hangup() -> None:
    """A closed terminal (SIGHUP) or SIGTERM leaves through the normal path, so the demo's
    sandbox is stopped and its folder removed."""

    def leave(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for sig in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, leave)


def cmd_demo(args: argparse.Namespace) -> int:

    from qbitrr_tui.sandbox.demo import start_demo
    from qbitrr_tui.sandbox.qbit import find_qbittorrent

    find_qbittorrent()  # says how to install it when missing
    _exit_on_hangup()

    print(
        "Starting the demo: 3 qBittorrent instances and 2 Arr stand-ins on 127.0.0.1…",
        file=sys.stderr,
    )
    root = _new_demo_folder()
    series = [s.strip() for s in args.versions.split(",") if s.strip()]
    demo = start_demo(root, versions=series)
    code = 0
    try:
        config = load_config(demo.config_path)
        if args.dry_run:
            config = replace(config, settings=replace(config.settings, dry_run=True))
        SECRETS.register(*config.secrets())
        code = run_dashboard(config, mouse=not args.no_mouse)
        if args.keep:
            pids = ", ".join(str(i.pid) for i in demo.sandbox.instances.values())
            print(
                f"The demo is still running (qbittorrent-nox PIDs {pids}).\n"
                f"Config: {demo.config_path}\n"
                f"Try:    qbitrr-tui --config {demo.config_path}\n"
                "Press Ctrl-C here to stop it and remove it."
            )
            threading.Event().wait()
    except KeyboardInterrupt:
        code = 130
    finally:
        demo.stop()
        shutil.rmtree(root, ignore_errors=True)
    return code


_DEMO_PREFIX = "qbitrr-demo-"
_DEMO_OWNER = "owner.pid"


def _new_demo_folder() -> Path:
    """A fresh demo folder holding its owner's PID, after removing the folders of demos
    whose process is gone (a SIGKILL or a dropped SSH session leaves ~40 MB behind)."""
    base = Path(tempfile.gettempdir())
    for folder in base.glob(_DEMO_PREFIX + "*"):
        try:
            pid = int((folder / _DEMO_OWNER).read_text())
        except (OSError, ValueError):
            continue  # not ours to judge: no owner recorded
        if not _alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            print(f"Removed the folder of a demo that ended abruptly: {folder}", file=sys.stderr)
    root = Path(tempfile.mkdtemp(prefix=_DEMO_PREFIX))
    (root / _DEMO_OWNER).write_text(str(os.getpid()))
    return root


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def cmd_restore(args: argparse.Namespace) -> int:
    from qbitrr_tui.engine.restore import list_command, restore_command

    config = load_for_command(args)
    if args.list:
        print(list_command(config))
        return 0
    if not args.hash:
        raise UserError("restore needs a torrent HASH (see `qbitrr-tui restore --list`)")
    dry_run = bool(getattr(args, "dry_run", False))
    print(restore_command(config, args.hash, args.instance or "", dry_run=dry_run))
    return 0


def cmd_screenshot(args: argparse.Namespace) -> int:
    from qbitrr_tui.sandbox.qbit import find_qbittorrent
    from qbitrr_tui.tui.screenshot import take_screenshots

    find_qbittorrent()
    setup_logging("WARNING", log_file=None, console=False)
    for path in take_screenshots(Path(args.out)):
        print(path)
    return 0


def _needs_config_or_first_run(
    command: Callable[[argparse.Namespace], int],
) -> Callable[[argparse.Namespace], int]:
    """The dashboard and `run` write a starter config on first run instead of failing."""

    def wrapper(args: argparse.Namespace) -> int:
        path = resolve_config_path(args.config)
        if not path.exists():
            return _first_run(path)
        return command(args)

    return wrapper


def _commands() -> dict[str, Callable[[argparse.Namespace], int]]:
    """Subcommand name → function. Imported lazily so `--help` stays fast."""
    commands: dict[str, Callable[[argparse.Namespace], int]] = {
        "check-config": cmd_check_config,
        "tui": _needs_config_or_first_run(cmd_tui),
        "run": _needs_config_or_first_run(cmd_run),
        "status": cmd_status,
        "demo": cmd_demo,
        "attach": cmd_attach,
        "screenshot": cmd_screenshot,
        "restore": cmd_restore,
    }
    return commands


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    refuse_global_flags_it_ignores(parser, args)
    command = args.command or "tui"
    setup_logging("WARNING", log_file=None)
    try:
        return _commands()[command](args)
    except UserError as exc:
        print(f"qbitrr-tui: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


def log_file_path() -> Path:
    return default_log_dir() / "qbitrr-tui.log"
