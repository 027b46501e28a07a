"""A stand-in for Radarr, Sonarr or Lidarr, wired to sandbox qBittorrent instances.

Real HTTP on loopback with the real paths, parameter names and field names (checked against
the OpenAPI files by tests/integration/test_arr_openapi.py) for the calls qbitrr-tui makes:

- ``grab`` (a control call, also ``POST /sandbox/grab``) adds a torrent to a sandbox instance
  in the Arr's category and creates its queue record(s); the queue shows the torrent's live
  state, mapped to Arr statuses as the real apps map qBittorrent's;
- the import command moves or links the files into a library folder, removes the queue
  records, writes history and completes (after a short delay, so clients must poll);
- a queue delete blocklists and/or removes the torrent from its instance;
- search commands are recorded; every request is recorded for tests to inspect.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from qbitrr_tui.arr.kinds import KINDS, ArrKind
from qbitrr_tui.sandbox.arr_http import make_handler
from qbitrr_tui.sandbox.arr_resources import (
    Command,
    Record,
    RequestLog,
    command_resource,
    iso,
    page,
    queue_resource,
    safe_title,
    system_status,
)
from qbitrr_tui.sandbox.arr_tracked import TrackedDownloads
from qbitrr_tui.sandbox.qbit import QbitProcess

# The Arr routes served (method, path under the API prefix): the OpenAPI test walks these.
ROUTES: tuple[tuple[str, str], ...] = (
    ("GET", "system/status"),
    ("GET", "queue"),
    ("DELETE", "queue/{id}"),
    ("DELETE", "queue/bulk"),
    ("POST", "command"),
    ("GET", "command"),
    ("GET", "command/{id}"),
    ("GET", "history"),
    ("GET", "blocklist"),
)
_NOT_FOUND: tuple[int, Any] = (404, {"message": "Not Found"})


@dataclass
class ArrStandIn:
    kind_name: str
    api_key: str
    qbits: Mapping[str, QbitProcess]
    library: Path
    category: str = ""
    command_delay: float = 0.2
    # Seconds the queue reuses what it last read from qBittorrent. 0 (tests): always live.
    # A real Arr refreshes its download clients on a schedule (about a minute), in the
    # background, not per API call; benchmarks set this so the stand-in's own load does not
    # count against an engine (the answer waits on no qBittorrent read but the first).
    refresh_interval: float = 0.0

    records: dict[int, Record] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)
    blocklist: list[dict[str, Any]] = field(default_factory=list)
    commands: dict[int, Command] = field(default_factory=dict)
    searches: list[dict[str, Any]] = field(default_factory=list)
    requests: list[RequestLog] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.kind: ArrKind = KINDS[self.kind_name]
        self.category = self.category or self.kind_name.lower()
        self._ids = itertools.count(1)
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._port = 0  # kept across stop/start, so a restarted stand-in keeps its URL
        self._clients = TrackedDownloads(self.qbits, self.category, self.refresh_interval)

        self._connections: set[socket.socket] = set()

    # --- lifecycle -------------------------------------------------------------------
    def start(self) -> ArrStandIn:
        handler = make_handler(self)
        self._server = ThreadingHTTPServer(("127.0.0.1", self._port), handler)
        self._server.daemon_threads = True
        self._port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, daemon=True, name=f"arr-{self.kind_name}"
        )
        self._thread.start()
        self._clients.start()
        return self

    def stop(self) -> None:
        """Stop listening and drop open keep-alive connections, as a dead Arr would."""
        self._clients.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        with self._lock:
            for conn in self._connections:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
            self._connections.clear()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ArrStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- control ---------------------------------------------------------------------
    def add_records(
        self,
        instance: str,
        info_hash: str,
        title: str,
        media_ids: Sequence[int] = (),
    ) -> list[int]:
        """Queue records for a torrent that is already on ``instance`` (one per episode
        for Sonarr, so a season pack gives several records with one downloadId)."""
        ids = list(media_ids) or [next(self._ids) + 1000]
        created = []
        with self._lock:
            for media_id in ids if self.kind_name == "Sonarr" else ids[:1]:
                record_id = next(self._ids)
                self.records[record_id] = Record(
                    id=record_id,
                    download_id=info_hash.upper(),
                    instance=instance,
                    title=title,
                    media=self._media(media_id),
                    added=time.time(),
                )
                created.append(record_id)
            self.history.append(
                self._history_item("grabbed", info_hash.upper(), title, self._media(ids[0]))
            )
        return created

    def grab(
        self,
        instance: str,
        *,
        title: str,
        info_hash: str,
        torrent_bytes: bytes | None = None,
        magnet: str | None = None,
        media_ids: Sequence[int] = (),
        save_path: str | None = None,
        upload_peer: QbitProcess | None = None,
    ) -> list[int]:
        """Send a download to ``instance`` in this Arr's category and queue it."""
        client = self.qbits[instance].client()
        if torrent_bytes is not None:
            client.torrents_add(
                torrent_files=torrent_bytes,
                category=self.category,
                save_path=save_path,
                use_auto_torrent_management=False,
            )
        elif magnet is not None:
            client.torrents_add(urls=magnet, category=self.category)
        else:
            raise ValueError("grab needs torrent_bytes or magnet")
        if upload_peer is not None:
            self.qbits[instance].wait_for_torrent(info_hash, timeout=15)
            client.torrents_add_peers(
                peers=f"127.0.0.1:{upload_peer.listen_port}", torrent_hashes=info_hash
            )
        return self.add_records(instance, info_hash, title, media_ids)

    def _media(self, media_id: int) -> dict[str, Any]:
        if self.kind_name == "Radarr":
            return {"movieId": media_id}
        if self.kind_name == "Sonarr":
            return {"seriesId": 1, "episodeId": media_id, "seasonNumber": 1}
        return {"artistId": 1, "albumId": media_id}

    def _history_item(
        self, event: str, download_id: str, title: str, media: Mapping[str, Any]
    ) -> dict[str, Any]:
        item: dict[str, Any] = {
            "id": len(self.history) + 1,
            "sourceTitle": title,
            "date": iso(time.time()),
            "downloadId": download_id,
            "eventType": event,
            "data": {},
        }
        item.update({k: v for k, v in media.items() if k != "seasonNumber"})
        return item

    def paths_for(self, method: str) -> list[str]:
        return [r.path for r in self.requests if r.method == method]

    # --- routes ----------------------------------------------------------------------
    def handle(
        self, method: str, path: str, query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any]:
        """Route one API call (``path`` under the API prefix); (status, JSON body)."""
        q = {k: v[-1] for k, v in query.items()}
        if method == "GET":
            return self._get(path, q)
        if method == "DELETE" and path == "queue/bulk":
            ids = body.get("ids", []) if isinstance(body, dict) else []
            for record_id in ids:
                self._delete_record(int(record_id), q)
            return 200, {}
        if method == "DELETE" and (m := re.fullmatch(r"queue/(\d+)", path)):
            return (200, {}) if self._delete_record(int(m.group(1)), q) else _NOT_FOUND
        if method == "POST" and path == "command":
            return 201, command_resource(self._new_command(body))
        return _NOT_FOUND

    def _get(self, path: str, q: Mapping[str, str]) -> tuple[int, Any]:
        if path == "system/status":
            return 200, system_status(self.kind_name)
        if path == "queue":
            return 200, self._queue_page(q)
        if path == "command":
            with self._lock:
                listed = list(self.commands.values())
            return 200, [command_resource(c) for c in listed]
        if m := re.fullmatch(r"command/(\d+)", path):
            command = self.commands.get(int(m.group(1)))
            return (200, command_resource(command)) if command else _NOT_FOUND
        if path == "history":
            items = self.history
            if q.get("downloadId"):
                items = [h for h in items if h["downloadId"] == q["downloadId"].upper()]
            if q.get("eventType"):
                items = [h for h in items if h["eventType"] == q["eventType"]]
            return 200, page(items, q)
        if path == "blocklist":
            key = "date" if q.get("sortKey") == "date" else "id"
            descending = q.get("sortDirection") == "descending"
            entries = sorted(self.blocklist, key=lambda e: e[key], reverse=descending)
            return 200, page(entries, q)
        return _NOT_FOUND

    def _queue_page(self, q: Mapping[str, str]) -> dict[str, Any]:
        with self._lock:
            records = sorted(self.records.values(), key=lambda r: r.id)
        live = self._clients.live({(r.instance, r.download_id.lower()) for r in records})
        rows = []
        for record in records:
            info = live.get((record.instance, record.download_id.lower()))
            if info is None:
                continue  # gone from its client: the Arr stops tracking it
            rows.append(queue_resource(self.kind_name, record, info))
        return page(rows, q)

    def _delete_record(self, record_id: int, q: Mapping[str, str]) -> bool:
        with self._lock:
            record = self.records.get(record_id)
            if record is None:
                return False
            # One tracked download: deleting any of its records removes them all.
            siblings = [r for r in self.records.values() if r.download_id == record.download_id]
            for sibling in siblings:
                del self.records[sibling.id]
        if q.get("blocklist") == "true":
            entry: dict[str, Any] = {
                "id": len(self.blocklist) + 1,
                "sourceTitle": record.title,
                "date": iso(time.time()),
                "protocol": "torrent",
                "indexer": "Sandbox",
                "message": "Manually removed",
            }
            if self.kind_name == "Radarr":
                entry["movieId"] = record.media["movieId"]
            elif self.kind_name == "Sonarr":
                entry.update(seriesId=1, episodeIds=[r.media["episodeId"] for r in siblings])
            else:
                entry.update(artistId=1, albumIds=[record.media["albumId"]])
            self.blocklist.append(entry)
            if q.get("skipRedownload") != "true":
                self.searches.append({"name": "redownload", "downloadId": record.download_id})
        if q.get("removeFromClient", "true") == "true":
            proc = self.qbits.get(record.instance)
            if proc is not None and proc.running:
                proc.client().torrents_delete(
                    delete_files=True, torrent_hashes=record.download_id.lower()
                )
        return True

    # --- commands --------------------------------------------------------------------
    def _new_command(self, body: Any) -> Command:
        body = body if isinstance(body, dict) else {}
        command = Command(
            id=next(self._ids), name=str(body.get("name", "")), body=body, queued=time.time()
        )
        with self._lock:
            self.commands[command.id] = command
        threading.Timer(self.command_delay, self._run_command, args=(command,)).start()
        return command

    def _run_command(self, command: Command) -> None:
        command.status, command.started = "started", time.time()
        try:
            if command.name == self.kind.import_command:
                self._import(command)
            elif command.name == self.kind.search_command:
                self.searches.append(
                    {
                        "name": command.name,
                        "ids": list(command.body.get(self.kind.search_ids_field, [])),
                    }
                )
                command.result = "successful"
            else:
                command.result = "successful"
        except Exception as exc:
            command.status, command.message = "failed", str(exc)
        else:
            command.status = "completed"
        command.ended = time.time()

    def _import(self, command: Command) -> None:
        path = Path(str(command.body.get("path", "")))
        download_id = str(command.body.get("downloadClientId", "")).upper()
        mode = str(command.body.get("importMode", "Auto"))
        with self._lock:
            records = [r for r in self.records.values() if r.download_id == download_id]
        if not path.exists():
            command.result, command.message = "unsuccessful", f"path does not exist: {path}"
            return
        if not records:
            command.result, command.message = "unsuccessful", "no queue item for this download"
            return
        record = records[0]
        proc = self.qbits[record.instance]
        infos = proc.client().torrents_info(torrent_hashes=download_id.lower())
        content = Path(str(infos[0]["content_path"])) if infos else path
        if path.is_dir() and content != path and path not in content.parents:
            command.result, command.message = "unsuccessful", "download not found in path"
            return
        target = self.library / safe_title(record.title)
        target.mkdir(parents=True, exist_ok=True)
        sources = [content] if content.is_file() else [p for p in content.rglob("*") if p.is_file()]
        for source in sources:
            rel = source.name if content.is_file() else source.relative_to(content)
            dest = target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            if mode == "Move":
                shutil.move(source, dest)
            else:
                try:
                    os.link(source, dest)  # Auto/Copy: a hardlink keeps the torrent seeding
                except OSError:
                    shutil.copy2(source, dest)
        with self._lock:
            for r in records:
                self.records.pop(r.id, None)
            self.history.append(
                self._history_item(
                    "downloadFolderImported", download_id, record.title, record.media
                )
            )
        command.result = "successful"
