"""ArrClient: one client for Radarr, Sonarr and Lidarr, driven by :mod:`qbitrr_tui.arr.kinds`.

The API key travels only in the ``X-Api-Key`` header: never in a URL, never in a log line.
GETs and DELETEs are retried with back-off on transport errors (they are idempotent; a 404
on a queue delete means the record is already gone); a POST is sent once.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import requests

from qbitrr_tui.arr.kinds import KINDS
from qbitrr_tui.arr.queue import (
    QueueGroup,
    QueueItem,
    QueuePage,
    QueueRead,
    group_by_download,
    queue_item_from_record,
)
from qbitrr_tui.config.model import ArrConfig
from qbitrr_tui.errors import short_error
from qbitrr_tui.health import Health, HealthState
from qbitrr_tui.logs import get_logger

log = get_logger("arr")

PAGE_SIZE = 1000
BLOCKLIST_PAGE = 100  # the newest entries: a step being read back was sent minutes ago
RETRY_DELAYS = (0.5, 1.5)


class ArrError(Exception):
    """A call to an Arr failed; ``str()`` is one sentence for a person."""


class ArrUnreachable(ArrError):
    pass


class ArrAuthFailed(ArrError):
    pass


@dataclass(frozen=True, slots=True)
class CommandStatus:
    id: int
    name: str
    status: str  # queued | started | completed | failed | aborted | cancelled | orphaned
    result: str  # unknown | successful | unsuccessful
    message: str = ""

    @property
    def finished(self) -> bool:
        return self.status not in ("queued", "started")

    @property
    def succeeded(self) -> bool:
        return self.status == "completed" and self.result != "unsuccessful"


@dataclass(frozen=True, slots=True)
class SystemStatus:
    app_name: str
    version: str
    instance_name: str = ""


@dataclass
class ArrClient:
    config: ArrConfig
    clock: Callable[[], float] = time.time
    timeout: tuple[float, float] = (3.05, 30.0)
    sleep: Callable[[float], None] = time.sleep
    requests_made: int = 0
    health: Health = field(init=False)
    _session: requests.Session = field(init=False, repr=False)
    _lock: threading.Lock = field(init=False, repr=False, default_factory=threading.Lock)
    _last_queue: QueueRead | None = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        self.kind = KINDS[self.config.kind]
        self.base = self.config.uri.rstrip("/") + self.kind.api_prefix
        self._session = requests.Session()
        self._session.headers.update(
            {"X-Api-Key": self.config.api_key, "Accept": "application/json"}
        )
        self.health = Health(
            name=self.config.name,
            address=self.config.uri,
            state=HealthState.CONNECTING,
            since=self.clock(),
        )

    @property
    def name(self) -> str:
        return self.config.name

    def close(self) -> None:
        self._session.close()

    # --- transport -------------------------------------------------------------------
    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        ok_statuses: Sequence[int] = (),
    ) -> requests.Response:
        retries = RETRY_DELAYS if method in ("GET", "DELETE") else ()
        attempt = 0
        while True:
            started = time.monotonic()
            try:
                with self._lock:
                    self.requests_made += 1
                response = self._session.request(
                    method,
                    f"{self.base}/{path}",
                    params=params,
                    json=json_body,
                    timeout=self.timeout,
                )
            except requests.RequestException as exc:
                if attempt < len(retries):
                    self.sleep(retries[attempt])
                    attempt += 1
                    continue
                error = f"cannot reach {self.name} at {self.config.uri}: {short_error(exc)}"
                self._mark(HealthState.DOWN, error)
                raise ArrUnreachable(error) from None
            latency = time.monotonic() - started
            if response.status_code == 401:
                error = f"{self.name} refused the API key (HTTP 401): check APIKey"
                self._mark(HealthState.AUTH_FAILED, error)
                raise ArrAuthFailed(error)
            if response.status_code >= 500:
                if attempt < len(retries):
                    self.sleep(retries[attempt])
                    attempt += 1
                    continue
                error = f"{self.name} answered HTTP {response.status_code} to {path}"
                self._mark(HealthState.DOWN, error)
                raise ArrUnreachable(error)
            self._mark(HealthState.UP, None, latency)
            if response.status_code >= 400 and response.status_code not in ok_statuses:
                raise ArrError(
                    f"{self.name} refused {method} {path}: HTTP {response.status_code} "
                    f"{response.text[:200]}".rstrip()
                )
            return response

    def _json(self, response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise ArrError(f"{self.name} sent something that is not JSON") from None

    def _mark(self, state: HealthState, error: str | None, latency: float | None = None) -> None:
        now = self.clock()
        if state is HealthState.UP:
            self.health = self.health.moved_to(
                state, now, last_error=None, failures=0, next_attempt=None, latency=latency
            )
        else:
            if self.health.state is not state:
                log.warning("%s", error)
            self.health = self.health.failed(state, error or "", now)

    # --- calls -----------------------------------------------------------------------
    def system_status(self) -> SystemStatus:
        data = self._json(self._request("GET", "system/status"))
        if not isinstance(data, dict):
            raise ArrError(f"{self.name}: system/status did not answer an object")
        status = SystemStatus(
            app_name=str(data.get("appName") or ""),
            version=str(data.get("version") or ""),
            instance_name=str(data.get("instanceName") or ""),
        )
        if status.app_name.lower() != self.kind.app_name.lower():
            error = (
                f"[{self.name}] points at {status.app_name or 'something'} "
                f"({self.config.uri}), not {self.kind.app_name}: check URI"
            )
            self._mark(HealthState.DOWN, error)
            raise ArrError(error)
        self.health = self.health.moved_to(HealthState.UP, self.clock(), version=status.version)
        return status

    def queue(self) -> list[QueueItem]:
        """Every queue record, all pages."""
        return self.read_queue().items

    def queue_by_download(self) -> dict[str, QueueGroup]:
        return self.read_queue().groups

    def read_queue(self) -> QueueRead:
        """Every page of the queue; pages answered as last time are not parsed again, and
        an unchanged queue is the last :class:`QueueRead` itself."""
        last = self._last_queue  # one reference: a concurrent read only costs a re-parse
        pages: list[QueuePage] = []
        count = 0
        while True:
            response = self._request(
                "GET",
                "queue",
                params={
                    "page": len(pages) + 1,
                    "pageSize": PAGE_SIZE,
                    self.kind.include_unknown_param: "true",
                },
            )
            digest = hashlib.blake2b(response.content, digest_size=16).digest()
            page = last.page(len(pages) + 1, digest) if last is not None else None
            page = page or self._queue_page(response, digest)
            pages.append(page)
            count += len(page.items)
            if not page.records or count >= page.total:
                break
        if last is not None and last.unchanged(pages):
            return last
        read = QueueRead(tuple(pages), group_by_download(i for p in pages for i in p.items))
        self._last_queue = read
        return read

    def _queue_page(self, response: requests.Response, digest: bytes) -> QueuePage:
        data = self._json(response)
        records = data.get("records") if isinstance(data, dict) else None
        if not isinstance(records, list):
            raise ArrError(f"{self.name}: queue answer has no records list")
        items = tuple(queue_item_from_record(self.kind, r) for r in records if isinstance(r, dict))
        return QueuePage(digest, items, len(records), int(data.get("totalRecords") or 0))

    def delete_queue_item(
        self,
        item_id: int,
        *,
        remove_from_client: bool,
        blocklist: bool,
        skip_redownload: bool = False,
    ) -> bool:
        """Delete one record; False when it was already gone (404)."""
        response = self._request(
            "DELETE",
            f"queue/{item_id}",
            params={
                "removeFromClient": _flag(remove_from_client),
                "blocklist": _flag(blocklist),
                "skipRedownload": _flag(skip_redownload),
            },
            ok_statuses=(404,),
        )
        return response.status_code != 404

    def delete_queue_items(
        self,
        item_ids: Sequence[int],
        *,
        remove_from_client: bool,
        blocklist: bool,
        skip_redownload: bool = False,
    ) -> None:
        """Delete several records in one request (``queue/bulk``)."""
        self._request(
            "DELETE",
            "queue/bulk",
            params={
                "removeFromClient": _flag(remove_from_client),
                "blocklist": _flag(blocklist),
                "skipRedownload": _flag(skip_redownload),
            },
            json_body={"ids": list(item_ids)},
        )

    def command(self, name: str, **body: Any) -> CommandStatus:
        data = self._json(self._request("POST", "command", json_body={"name": name, **body}))
        if isinstance(data, list):  # some versions answer a list of commands
            data = data[0] if data else {}
        return _command_status(data, name)

    def import_download(self, path: str, download_id: str, import_mode: str) -> CommandStatus:
        return self.command(
            self.kind.import_command,
            path=path,
            downloadClientId=download_id.upper(),
            importMode=import_mode,
        )

    def search(self, media_ids: Sequence[int]) -> CommandStatus:
        return self.command(
            self.kind.search_command, **{self.kind.search_ids_field: list(media_ids)}
        )

    def commands(self) -> list[dict[str, Any]]:
        """The Arr's recent commands (queued, running and finished), as it lists them."""
        data = self._json(self._request("GET", "command"))
        if not isinstance(data, list):
            raise ArrError(f"{self.name}: the command list is not a list")
        return [c for c in data if isinstance(c, dict)]

    def blocklist(self, page_size: int = BLOCKLIST_PAGE) -> list[dict[str, Any]]:
        """The newest entries of the Arr's blocklist (``GET blocklist``, newest first):
        ``sourceTitle``, ``date`` and the media ids (``movieId``/``episodeIds``/``albumIds``)."""
        params = {"page": 1, "pageSize": page_size, "sortKey": "date"}
        params["sortDirection"] = "descending"
        data = self._json(self._request("GET", "blocklist", params=params))
        records = data.get("records") if isinstance(data, dict) else None
        if not isinstance(records, list):
            raise ArrError(f"{self.name}: the blocklist is not a page of records")
        return [r for r in records if isinstance(r, dict)]

    def command_status(self, command_id: int) -> CommandStatus:
        return _command_status(self._json(self._request("GET", f"command/{command_id}")), "")


def _command_status(data: Any, name: str) -> CommandStatus:
    if not isinstance(data, dict):
        raise ArrError("the command answer is not an object")
    return CommandStatus(
        id=int(data.get("id") or 0),
        name=str(data.get("name") or name),
        status=str(data.get("status") or "queued"),
        result=str(data.get("result") or "unknown"),
        message=str(data.get("message") or ""),
    )


def _flag(value: bool) -> str:
    return "true" if value else "false"
