"""`qbitrr-tui screenshot`: the demo, headless, each view captured as SVG and PNG.

The demo runs live for a while (imports happen, junk files are skipped, an errored download
is rechecked), then dry-run is turned on with a short StalledDelay so the Plan view shows
what the engine would remove. PNGs are made with rsvg-convert (Debian's librsvg2-bin).
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList

from qbitrr_tui.config import load_config
from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.log_events import engine_log_events
from qbitrr_tui.engine.loop import Engine
from qbitrr_tui.errors import UserError
from qbitrr_tui.logs import SECRETS
from qbitrr_tui.sandbox.demo import Demo, mixed_fleet, start_demo
from qbitrr_tui.tui.app import QbitrrApp, make_app

Script = Callable[[QbitrrApp, Engine, Pilot[None]], Awaitable[None]]


def svg_to_png(svg: Path, png: Path) -> None:
    """rsvg-convert needs ``xml:space="preserve"`` on the root to keep the spaces."""
    converter = shutil.which("rsvg-convert")
    if converter is None:
        raise UserError("rsvg-convert is missing: sudo apt-get install -y librsvg2-bin")
    text = svg.read_text(encoding="utf-8")
    if 'xml:space="preserve"' not in text:
        text = re.sub(r"<svg\b", '<svg xml:space="preserve"', text, count=1)
        svg.write_text(text, encoding="utf-8")
    subprocess.run([converter, "-o", str(png), str(svg)], check=True)


def save(app: QbitrrApp, out: Path, stem: str) -> Path:
    svg = out / f"{stem}.svg"
    svg.write_text(app.export_screenshot(title=f"qbitrr-tui — {stem}"), encoding="utf-8")
    png = out / f"{stem}.png"
    svg_to_png(svg, png)
    return png


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not condition():
        await pilot.pause(0.5)


async def session(demo: Demo, size: tuple[int, int], script: Script) -> None:
    """The dashboard over a real engine on the demo, headless, driven by ``script``."""
    config = load_config(demo.config_path)
    SECRETS.register(*config.secrets())
    engine = Engine(config)
    app = make_app(config, engine, watch_terminal=False, preferences=None)  # the defaults
    with engine_log_events(engine.events):
        async with app.run_test(size=size) as pilot:
            await script(app, engine, pilot)


async def details_and_bulk_action(app: QbitrrApp, pilot: Pilot[None], out: Path) -> list[Path]:
    """The details of the first torrent (read live), then a bulk action's question."""
    await pilot.press("enter")
    await wait_until(pilot, lambda: getattr(app.screen, "details", None) is not None, 15)
    await pilot.pause(0.6)
    details = save(app, out, "details")
    await pilot.press("escape", "space", "space", "x")
    await pilot.pause(0.6)
    bulk = save(app, out, "bulk-action")
    await pilot.press("n")
    return [details, bulk]


def take_screenshots(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    async def views(app: QbitrrApp, engine: Engine, pilot: Pilot[None]) -> None:
        def imported_live() -> bool:
            return any(
                e.hash == demo.completing
                and e.action.kind.value == "import"
                and e.outcome == "applied"
                for e in app.model.activity
            )

        await wait_until(pilot, imported_live, 60)
        await pilot.pause(4)  # one more cycle: the row shows it imported and seeding
        for stem, key in (("instances", "1"), ("torrents", "2"), ("activity", "3")):
            await pilot.press(key)
            await pilot.pause(0.6)
            written.append(save(app, out, stem))
            if stem == "torrents":  # and grouped by instance and category
                await pilot.press("v")
                await pilot.pause(0.6)
                written.append(save(app, out, "torrents-grouped"))
                await pilot.press("v")
                written.extend(await details_and_bulk_action(app, pilot, out))
        # Dry-run on and a short stalled grace: the Plan view shows what would be removed.
        await pilot.press("d")
        text = demo.config_path.read_text().replace('StalledDelay = "15m"', 'StalledDelay = "5s"')
        engine.commands.put(ev.ReloadConfig(text))
        await pilot.pause(6)
        engine.commands.put(ev.RescanNow())
        await wait_until(
            pilot,
            lambda: any("delete" in ", ".join(i.actions) for i in app.model.plan.values()),
            30,
        )
        await pilot.press("4")
        await pilot.pause(0.6)
        written.append(save(app, out, "plan"))
        # The config editor on an instance: the password shows masked.
        await pilot.press("c")
        await pilot.pause(0.3)
        options = app.screen.query_one("#sections", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = ids.index("qBit-seedbox")
        await pilot.pause(0.6)
        written.append(save(app, out, "config"))
        await pilot.press("escape")

    async def small(app: QbitrrApp, engine: Engine, pilot: Pilot[None]) -> None:
        await wait_until(pilot, lambda: app.model.engine.cycle >= 2, 30)
        for stem, key in (("instances-80x24", "1"), ("torrents-80x24", "2")):
            await pilot.press(key)
            await pilot.pause(0.6)
            written.append(save(app, out, stem))

    demo = start_demo(loop_sleep=2.0, versions=mixed_fleet())
    try:
        asyncio.run(session(demo, (120, 36), views))
        asyncio.run(session(demo, (80, 24), small))
    finally:
        demo.stop()
    return written
