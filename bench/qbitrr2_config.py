"""qBitrr2's config for the benchmark: its own generated file, pointed at the proxies.

The installed release writes its default ``config.toml`` (it does so when it starts without
one), so every key it has keeps its own default; only the connections, the loop timer, the
log level, the completed-downloads folder, the WebUI's port and the searches (off: ours does
none) are changed. The sample
sections it generates (``Sonarr-TV``, ``Radarr-1080``, …) are replaced by one Arr section per
stand-in, made from its own sample of that kind.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import tomlkit

from bench.qbitrr2_env import Qbitrr2
from qbitrr_tui.sandbox.qbit import free_port

ARR_PREFIXES = ("Radarr-", "Sonarr-", "Lidarr-", "Readarr-")
SEARCHES = ("SearchMissing", "DoUpgradeSearch", "QualityUnmetSearch", "CustomFormatUnmetSearch")


def write(  # noqa: PLR0917 - the scenario's parts, all needed
    qbitrr2: Qbitrr2,
    data: Path,
    qbits: dict[str, int],  # instance name → proxy port
    arrs: dict[str, tuple[str, str]],  # kind ("Radarr") → (proxy URL, category)
    api_key: str,
    loop: int,
    downloads: Path,
) -> Path:
    data.mkdir(parents=True, exist_ok=True)
    template = data / "config.toml"
    if not template.exists():
        subprocess.run(
            list(qbitrr2.command),
            cwd=data,
            timeout=120,
            env={**qbitrr2.env, "QBITRR_OVERRIDES_DATA_PATH": str(data)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    if not template.exists():
        raise SystemExit(f"{qbitrr2.label} did not write its default config in {data}")
    doc = tomlkit.parse(template.read_text())
    qbit_template = doc["qBit"]
    arr_templates = {kind: next(doc[k] for k in doc if k.startswith(f"{kind}-")) for kind in arrs}
    for key in [k for k in doc if k == "qBit" or k.startswith(("qBit-", *ARR_PREFIXES))]:
        del doc[key]
    # The folder over every save path of the sandbox (else "CHANGE_ME", relative to the cwd,
    # and qBitrr2 logs a configuration error at start).
    doc["Settings"]["CompletedDownloadFolder"] = str(downloads)
    doc["Settings"]["LoopSleepTimer"] = loop
    doc["Settings"]["ConsoleLevel"] = "INFO"
    doc["WebUI"]["Host"] = "127.0.0.1"
    doc["WebUI"]["Port"] = free_port()
    for name, port in qbits.items():
        table = tomlkit.parse(tomlkit.dumps({"x": qbit_template}))["x"]
        table.update(
            {
                "Host": "127.0.0.1",
                "Port": port,
                "UserName": "admin",
                "Password": "adminadmin",
                "Disabled": False,
            }
        )
        doc["qBit" if name == "default" else f"qBit-{name}"] = table
    for kind, (url, category) in arrs.items():
        table = tomlkit.parse(tomlkit.dumps({"x": arr_templates[kind]}))["x"]
        table.update({"URI": url, "APIKey": api_key, "Category": category})
        for key in SEARCHES:
            if key in table.get("EntrySearch", {}):
                table["EntrySearch"][key] = False
        doc[f"{kind}-Bench"] = table
    template.write_text(tomlkit.dumps(doc))
    return template
