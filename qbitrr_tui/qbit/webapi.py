"""A thin qBittorrent Web API client: one session, exact endpoints, every request counted.

Authentication, by version (qBittorrent's WebAPI_Changelog.md, checked on real 4.5.2, 5.1.0
and 5.3.0): ``auth/login`` answers 200 ``Ok.``/``Fails.`` before Web API 2.14 and 401 on bad
credentials from 2.14; the session cookie is ``SID`` before 5.2 and ``QBT_SID_<port>`` from
5.2; an unauthenticated call gets 403 (4.x) or 401 (5.x). From Web API 2.14.1 an instance can
have an API key, sent as ``Authorization: Bearer qbt_…``: no login, no session cookie.

Why not qbittorrent-api here: it asks ``app/webapiVersion`` before every versioned call
(measured: ``torrents/addTags`` and ``torrents/stop`` cost two requests each), and the engine
must know exactly what it sends. qbittorrent-api still drives the sandbox's own set-up.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import requests

from qbitrr_tui import memory_trim
from qbitrr_tui.errors import short_error

CONNECT_TIMEOUT = 3.05
READ_TIMEOUT = 15.0
# A full sync/maindata answer: qBittorrent builds all of it before the first byte, which for
# tens of thousands of torrents can take longer than READ_TIMEOUT (then the read never
# succeeded, and every reconnect asked for a full answer again). The engine sets it from
# InstanceReadTimeout.
FULL_READ_TIMEOUT = 120.0

# One large answer (a full sync/maindata) is downloaded and parsed at a time in this
# process: each instance's is built by its qBittorrent concurrently and waits in the
# socket, but the engine holds one body, its text and its parse at once, not one per
# instance (at 3 × 30,000 torrents that was ~150 MiB more at the peak).
_ONE_LARGE_ANSWER = threading.Lock()
LARGE_ANSWER_WAIT = 10.0  # seconds one waits for another's turn before reading anyway


class QbitError(Exception):
    """A request to an instance failed; ``str()`` is one sentence for a person."""


class QbitUnreachable(QbitError):
    """No answer: refused, timed out, DNS, TLS, or a 5xx."""


class QbitAuthFailed(QbitError):
    """The instance refused the credentials (or banned us after failed logins)."""


class QbitRequestError(QbitError):
    """The instance answered, but not with success (4xx other than auth)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def base_url(host: str, port: int) -> str:
    """``http://host:port`` from a Host that may carry a scheme or a path."""
    host = host.strip().rstrip("/")
    scheme = "http"
    if "://" in host:
        scheme, host = host.split("://", 1)
    path = ""
    if "/" in host:
        host, path = host.split("/", 1)
        path = "/" + path
    if ":" in host and not host.startswith("["):
        host = host.split(":", 1)[0]  # the Port key wins over a port in Host
    return f"{scheme}://{host}:{port}{path}"


def _has_session_cookie(names: list[str]) -> bool:
    return any(name == "SID" or name.startswith("QBT_SID_") for name in names)


class WebApiClient:
    """One instance's Web API. Thread-safe: calls are serialised per instance."""

    def __init__(
        self,
        name: str,
        url: str,
        username: str,
        password: str,
        *,
        api_key: str = "",
        verify_tls: bool = True,
        timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
    ) -> None:
        self.name = name
        self.url = url.rstrip("/")
        self._username = username
        self._password = password
        self._timeout = timeout
        self._session = requests.Session()
        self._session.verify = verify_tls
        self._session.headers["Referer"] = self.url  # CSRF protection wants it
        self._api_key = api_key
        if api_key:
            self._session.headers["Authorization"] = f"Bearer {api_key}"
        self._logged_in = False
        self._lock = threading.Lock()
        self.requests_made = 0
        self.endpoint_counts: Counter[str] = Counter()  # "POST torrents/delete" → n
        self.bytes_received = 0
        self.last_latency: float | None = None
        self.full_read_timeout = FULL_READ_TIMEOUT

    def close(self) -> None:
        self._session.close()

    def login(self) -> None:
        with self._lock:
            self._login()

    def _login(self) -> None:
        self._session.cookies.clear()
        if self._api_key:
            self._check_api_key()
            return
        response = self._send(
            "POST", "auth/login", data={"username": self._username, "password": self._password}
        )
        if response.status_code == 403:
            raise QbitAuthFailed(
                f"instance '{self.name}' banned this address after failed logins; "
                "fix UserName/Password and wait for the ban to expire"
            )
        ok = response.status_code in (200, 204) and response.text in ("Ok.", "")
        if not ok or not _has_session_cookie(self._session.cookies.keys()):
            raise QbitAuthFailed(
                f"login refused for instance '{self.name}': check UserName/Password"
            )
        self._logged_in = True

    def _check_api_key(self) -> None:
        """An API key needs no login; one call tells whether the instance takes it."""
        response = self._send("GET", "app/webapiVersion")
        if response.status_code in (401, 403):
            raise QbitAuthFailed(
                f"instance '{self.name}' refused the API key: check APIKey (Web API keys "
                "need qBittorrent 5.2 or later; leave APIKey empty to log in with "
                "UserName/Password)"
            )
        self._logged_in = True

    def _send(
        self,
        method: str,
        endpoint: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        files: Any = None,
        read_timeout: float | None = None,
        stream: bool = False,
    ) -> requests.Response:
        started = time.monotonic()
        self.requests_made += 1
        self.endpoint_counts[f"{method} {endpoint}"] += 1
        try:
            response = self._session.request(
                method,
                f"{self.url}/api/v2/{endpoint}",
                params=params,
                data=data,
                files=files,
                timeout=self._timeout if read_timeout is None else (self._timeout[0], read_timeout),
                stream=stream,
            )
        except requests.exceptions.SSLError as exc:
            raise QbitUnreachable(
                f"TLS failed for instance '{self.name}' ({short_error(exc)}); "
                "set SkipTLSVerify = true for a self-signed certificate"
            ) from None
        except requests.RequestException as exc:
            raise self._unreachable(exc) from None
        self.last_latency = time.monotonic() - started
        if not stream:
            self.bytes_received += len(response.content)
        if response.status_code >= 500:
            response.close()
            raise QbitUnreachable(
                f"instance '{self.name}' answered HTTP {response.status_code} to {endpoint}"
            )
        return response

    def request(
        self,
        method: str,
        endpoint: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        files: Any = None,
        read_timeout: float | None = None,
        stream: bool = False,
    ) -> requests.Response:
        """Send one call, logging in first (and once more on a 401/403: a restarted
        qBittorrent forgets its sessions). ``read_timeout``: the wait for the answer, when it
        may be longer than READ_TIMEOUT. ``stream``: the body is left unread (the caller
        reads it and counts it in ``bytes_received``)."""
        send = partial(
            self._send,
            method,
            endpoint,
            params=params,
            data=data,
            files=files,
            read_timeout=read_timeout,
            stream=stream,
        )
        with self._lock:
            if not self._logged_in:
                self._login()
            response = send()
            if response.status_code in (401, 403):
                response.close()
                self._logged_in = False
                self._login()
                response = send()
            if response.status_code >= 400:
                raise QbitRequestError(
                    f"instance '{self.name}' refused {endpoint}: HTTP {response.status_code} "
                    f"{response.text[:200]}".rstrip(),
                    response.status_code,
                )
            return response

    def get_json(
        self,
        endpoint: str,
        *,
        read_timeout: float | None = None,
        object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None = None,
        large: bool = False,
        **params: Any,
    ) -> Any:
        """The decoded answer; None for an empty one (Web API ≥ 2.11.8 answers 204).
        ``object_pairs_hook``: ``json.loads``'s, to keep less of a large answer as it is
        parsed; ``large``: read and parsed one at a time in this process."""
        response = self.request(
            "GET", endpoint, params=params or None, read_timeout=read_timeout, stream=large
        )
        if not large:
            return self._decode(response, endpoint, object_pairs_hook)
        # A body that stalls mid-way must not hold up the other instances' reads for long:
        # past LARGE_ANSWER_WAIT they go ahead side by side (memory is the softer limit).
        serialised = _ONE_LARGE_ANSWER.acquire(timeout=LARGE_ANSWER_WAIT)
        try:
            text = self._read_body(response, endpoint)
            return self._decode(response, endpoint, object_pairs_hook, text)
        finally:
            if serialised:
                _ONE_LARGE_ANSWER.release()
            response.close()

    def _unreachable(self, exc: requests.RequestException) -> QbitUnreachable:
        """A request or a body that failed on the way, as one sentence."""
        if isinstance(exc, requests.Timeout):
            return QbitUnreachable(f"instance '{self.name}' timed out")
        return QbitUnreachable(
            f"cannot reach instance '{self.name}' at {self.url}: {short_error(exc)}"
        )

    def _read_body(self, response: requests.Response, endpoint: str) -> str:
        """The body of a streamed answer as text; its bytes are let go before the parse
        (holding the bytes, the text and the parse at once was the read's peak)."""
        body = bytearray()
        try:
            for chunk in response.iter_content(1 << 20):
                body += chunk
        except requests.RequestException as exc:
            raise self._unreachable(exc) from None
        self.bytes_received += len(body)
        try:
            return body.decode("utf-8")  # JSON is UTF-8 (RFC 8259)
        except UnicodeDecodeError:
            raise self._not_json(endpoint) from None

    def _decode(
        self,
        response: requests.Response,
        endpoint: str,
        hook: Callable[[list[tuple[str, Any]]], Any] | None,
        text: str | None = None,
    ) -> Any:
        content = response.content if text is None else text
        if response.status_code == 204 or not content:
            return None
        try:
            return json.loads(content, object_pairs_hook=hook)
        except ValueError:
            raise self._not_json(endpoint) from None
        finally:
            if len(content) > memory_trim.LARGE:
                memory_trim.trim()  # the parse's garbage, before the next answer's

    def _not_json(self, endpoint: str) -> QbitRequestError:
        return QbitRequestError(
            f"instance '{self.name}' sent something that is not JSON for {endpoint}", 200
        )

    def get_text(self, endpoint: str, **params: Any) -> str:
        return self.request("GET", endpoint, params=params or None).text.strip()

    def post(self, endpoint: str, data: Mapping[str, Any] | None = None) -> None:
        self.request("POST", endpoint, data=data)
