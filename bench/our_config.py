"""Our engine's config for a bench sandbox: every instance and Arr through its counting
proxy, dry-run, debug log (the cycle lines bench/scale.py reads)."""

from __future__ import annotations

from pathlib import Path


def write(  # noqa: PLR0917 - the sandbox's parts, as bench/qbitrr2_config.py takes them
    root: Path,
    qbit_ports: dict[str, int],
    arrs: dict[str, tuple[str, str]],
    key: str,
    loop: int,
    import_settle: float = 0,
) -> Path:
    """``arrs``: Arr kind → (URL, category). ``import_settle`` 0 (the default here): the
    import latency measured is the engine's own (qBitrr2 has no such setting)."""
    lines = [
        "[Settings]",
        f'DataFolder = "{root / "ours-data"}"',
        f"LoopSleepTimer = {loop}",
        "DryRun = true",
        f"ImportSettleTime = {import_settle:g}",
        'LogLevel = "DEBUG"',
        "",
    ]
    for name, port in qbit_ports.items():
        title = "qBit" if name == "default" else f"qBit-{name}"
        lines += [
            f"[{title}]",
            'Host = "127.0.0.1"',
            f"Port = {port}",
            'UserName = "admin"',
            'Password = "adminadmin"',
            "",
        ]
    for kind, (url, category) in arrs.items():
        lines += [
            f"[{kind}-Bench]",
            f'URI = "{url}"',
            f'APIKey = "{key}"',
            f'Category = "{category}"',
            "",
        ]
    path = root / "ours.toml"
    path.write_text("\n".join(lines))
    return path
