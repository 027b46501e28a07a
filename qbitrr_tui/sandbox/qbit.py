"""Real qbittorrent-nox processes on loopback, each with a throw-away profile.

Used by the tests, the demo, the screenshots and the benchmarks. Every instance listens on
127.0.0.1 only, with DHT, LSD, PeX and UPnP off, so nothing leaves the machine; it is stopped
by its PID.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import qbittorrentapi
import requests

from qbitrr_tui.errors import UserError
from qbitrr_tui.sandbox.versions import default_binary

QBITTORRENT_BINARY = "qbittorrent-nox"
DEFAULT_USERNAME = "admin"
DEFAULT_PASSWORD = "adminadmin"


class SandboxError(UserError):
    """The sandbox cannot start (a missing program, an instance that will not answer)."""


def find_qbittorrent() -> str:
    """The qbittorrent-nox to start: ``$QBITRR_TUI_QBITTORRENT`` (a path or a series such
    as ``5.3``, see versions.py) when set, else the machine's own; a SandboxError that says
    how to install it when there is none."""
    chosen = default_binary()
    if chosen is not None:
        return chosen
    found = shutil.which(QBITTORRENT_BINARY)
    if not found:
        raise SandboxError(
            "qbittorrent-nox is not installed. On Debian/Ubuntu: "
            "sudo apt-get install -y qbittorrent-nox"
        )
    return found


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def password_pbkdf2(password: str, salt: bytes | None = None) -> str:
    """qBittorrent's stored form of a Web UI password (PBKDF2-HMAC-SHA512, 100,000 rounds)."""
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, 100_000, dklen=64)
    return f"@ByteArray({base64.b64encode(salt).decode()}:{base64.b64encode(digest).decode()})"


def _profile_config(
    *, webui_port: int, listen_port: int, save_path: Path, username: str, password: str
) -> str:
    return f"""[LegalNotice]
Accepted=true

[BitTorrent]
Session\\DHTEnabled=false
Session\\LSDEnabled=false
Session\\PeXEnabled=false
Session\\Port={listen_port}
Session\\InterfaceAddress=127.0.0.1
Session\\DefaultSavePath={save_path}
Session\\TempPathEnabled=false
Session\\MultiConnectionsPerIp=true
Session\\QueueingSystemEnabled=false
Session\\IgnoreLimitsOnLAN=false
Session\\AddTrackersEnabled=false
Session\\AnonymousModeEnabled=false

[Network]
PortForwardingEnabled=false

[Preferences]
General\\Locale=en
WebUI\\Address=127.0.0.1
WebUI\\Port={webui_port}
WebUI\\Username={username}
WebUI\\Password_PBKDF2="{password_pbkdf2(password)}"
WebUI\\LocalHostAuth=true
WebUI\\CSRFProtection=false
WebUI\\ClickjackingProtection=false
WebUI\\HostHeaderValidation=false
WebUI\\UseUPnP=false
WebUI\\MaxAuthenticationFailCount=100000
WebUI\\BanDuration=1
"""


@dataclass
class QbitProcess:
    """One qbittorrent-nox on loopback: its ports, profile, credentials and PID."""

    name: str
    root: Path
    username: str = DEFAULT_USERNAME
    password: str = DEFAULT_PASSWORD
    webui_port: int = field(default_factory=free_port)
    listen_port: int = field(default_factory=free_port)
    binary: str | None = None  # None: find_qbittorrent()
    process: subprocess.Popen[bytes] | None = None
    _client: qbittorrentapi.Client | None = None
    # client() is called from set-up code and from the Arr stand-ins' pollers at once
    _client_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def profile(self) -> Path:
        return self.root / "profile"

    @property
    def save_path(self) -> Path:
        return self.root / "downloads"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.webui_port}"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def write_profile(self) -> None:
        config_dir = self.profile / "qBittorrent" / "config"
        config_dir.mkdir(parents=True, exist_ok=True)
        self.save_path.mkdir(parents=True, exist_ok=True)
        (config_dir / "qBittorrent.conf").write_text(
            _profile_config(
                webui_port=self.webui_port,
                listen_port=self.listen_port,
                save_path=self.save_path,
                username=self.username,
                password=self.password,
            )
        )

    def start(self, timeout: float = 30.0) -> None:
        """Start (or start again, on the same ports and profile) and wait for the Web API."""
        if self.running:
            return
        binary = self.binary or find_qbittorrent()
        if not (self.profile / "qBittorrent" / "config" / "qBittorrent.conf").exists():
            self.write_profile()
        log = open(self.root / "qbittorrent-nox.log", "ab")  # noqa: SIM115 - lives with the process
        command = [binary, f"--profile={self.profile}"]
        setpriv = shutil.which("setpriv")
        if setpriv:
            # Die with whoever started it, even if that is killed outright (a dropped SSH
            # session, a killed test run): no qbittorrent-nox is ever left behind.
            command = [setpriv, "--pdeathsig", "TERM", "--", *command]
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.root,
            start_new_session=True,
        )
        log.close()
        self._client = None
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running:
                raise SandboxError(
                    f"qbittorrent-nox for sandbox instance '{self.name}' exited at start; "
                    f"see {self.root / 'qbittorrent-nox.log'}"
                )
            try:
                requests.get(f"{self.url}/api/v2/app/version", timeout=1)
            except requests.RequestException:
                time.sleep(0.1)
                continue
            return
        self.stop()
        raise SandboxError(f"sandbox instance '{self.name}' did not answer within {timeout:.0f}s")

    def stop(self, timeout: float = 15.0) -> None:
        """Stop by PID: SIGTERM (qBittorrent saves its state), SIGKILL if it lingers."""
        self._client = None
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def kill(self) -> None:
        """Die at once, as a crashed instance would."""
        self._client = None
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def set_password(self, password: str) -> None:
        """Change the Web UI password on the running instance (as a user would)."""
        self.client().app_set_preferences({"web_ui_password": password})
        self.password = password
        self._client = None

    def client(self) -> qbittorrentapi.Client:
        """A logged-in client for the sandbox's own set-up calls (not the engine's)."""
        with self._client_lock:
            if self._client is None:
                client = qbittorrentapi.Client(
                    host=self.url,
                    username=self.username,
                    password=self.password,
                    REQUESTS_ARGS={"timeout": 10},
                    VERIFY_WEBUI_CERTIFICATE=False,
                )
                client.auth_log_in()
                self._client = client
            return self._client

    def torrents(self, **filters: Any) -> list[dict[str, Any]]:
        return [dict(t) for t in self.client().torrents_info(**filters)]

    def wait_for_torrent(
        self, torrent_hash: str, predicate: Any = None, timeout: float = 30.0
    ) -> dict[str, Any]:
        """Poll until the torrent exists (and ``predicate(info)`` holds); return its info."""
        deadline = time.monotonic() + timeout
        last: dict[str, Any] | None = None
        while time.monotonic() < deadline:
            found = self.torrents(torrent_hashes=torrent_hash)
            if found:
                last = found[0]
                if predicate is None or predicate(last):
                    return last
            time.sleep(0.2)
        state = last["state"] if last else "absent"
        raise SandboxError(
            f"torrent {torrent_hash} on sandbox instance '{self.name}' did not reach the "
            f"expected condition within {timeout:.0f}s (last state: {state})"
        )


class Sandbox:
    """A set of sandbox qBittorrent instances under one temp folder; a context manager."""

    def __init__(self, root: Path | None = None, *, binary: str | None = None) -> None:
        self.binary = binary or find_qbittorrent()
        self._own_root = root is None
        self.root = root or Path(tempfile.mkdtemp(prefix="qbitrr-sandbox-"))
        self.instances: dict[str, QbitProcess] = {}

    def start_instance(
        self, name: str, *, password: str = DEFAULT_PASSWORD, binary: str | None = None
    ) -> QbitProcess:
        """Start one instance, of ``binary`` (a qbittorrent-nox path) or the sandbox's."""
        if name in self.instances:
            raise ValueError(f"sandbox instance '{name}' exists already")
        inst = QbitProcess(
            name=name, root=self.root / name, password=password, binary=binary or self.binary
        )
        inst.root.mkdir(parents=True, exist_ok=True)
        self.instances[name] = inst
        inst.start()
        return inst

    def start_instances(self, *names: str) -> list[QbitProcess]:
        return [self.start_instance(name) for name in names]

    def stop(self) -> None:
        for inst in self.instances.values():
            inst.stop()
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
