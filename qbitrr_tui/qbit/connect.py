"""Connecting one qBittorrent instance: the login, its versions, its write adapter."""

from __future__ import annotations

from collections.abc import Callable

from qbitrr_tui.health import HealthState
from qbitrr_tui.logs import get_logger
from qbitrr_tui.qbit.adapter import TESTED_RELEASES, InstanceAdapter, known_api
from qbitrr_tui.qbit.instance import HealthBook, Instance
from qbitrr_tui.qbit.webapi import QbitAuthFailed, QbitError, WebApiClient, base_url

log = get_logger("qbit")


class Connector:
    """Connects instances; warns once per (instance, Web API version) not tested."""

    def __init__(
        self,
        health: HealthBook,
        clock: Callable[[], float],
        ensure_on: Callable[[Instance], None],
    ) -> None:
        self._health = health
        self._clock = clock
        self._ensure_on = ensure_on  # the managed categories, on every (re)connect
        self._warned_versions: set[tuple[str, str]] = set()

    def connect(self, inst: Instance) -> None:
        """Log in and learn the versions; up (and its categories ensured), or why not."""
        cfg = inst.config
        if inst.client is None:
            inst.client = WebApiClient(
                cfg.name,
                base_url(cfg.host, cfg.port),
                cfg.username,
                cfg.password,
                api_key=cfg.api_key,
                verify_tls=not cfg.skip_tls_verify,
            )
        client = inst.client
        try:
            client.login()
            app_version = client.get_text("app/version")
            api_version = client.get_text("app/webapiVersion")
        except QbitAuthFailed as exc:
            self._health.failed(inst, HealthState.AUTH_FAILED, str(exc))
            return
        except QbitError as exc:
            self._health.failed(inst, HealthState.DOWN, str(exc))
            return
        inst.adapter = InstanceAdapter(client, app_version, api_version)
        inst.view.reset()
        self._health.set(
            inst,
            inst.health.moved_to(
                HealthState.UP,
                self._clock(),
                last_error=None,
                failures=0,
                next_attempt=None,
                latency=client.last_latency,
                version=app_version,
                api_version=api_version,
            ),
        )
        log.info(
            "instance '%s' is up (qBittorrent %s, Web API %s)", cfg.name, app_version, api_version
        )
        if not known_api(api_version) and (cfg.name, api_version) not in self._warned_versions:
            self._warned_versions.add((cfg.name, api_version))
            log.warning(
                "instance '%s' runs qBittorrent %s (Web API %s), which qbitrr-tui has not "
                "been tested with (tested: %s); it carries on, but report anything odd",
                cfg.name,
                app_version,
                api_version,
                TESTED_RELEASES,
            )
        self._ensure_on(inst)
