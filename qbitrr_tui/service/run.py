"""Start what [WebAPI] and [Notifications] ask for, around one engine; stop it all."""

from __future__ import annotations

import queue

from qbitrr_tui.config import Config
from qbitrr_tui.engine import events as ev
from qbitrr_tui.engine.fanout import EventFanOut
from qbitrr_tui.logs import get_logger
from qbitrr_tui.service.feed import EventFeed
from qbitrr_tui.service.metrics import Metrics
from qbitrr_tui.service.notify import Notifier, Sender
from qbitrr_tui.service.server import Api, ApiServer
from qbitrr_tui.tui.view_model import DashboardModel

log = get_logger("service")


class Service:
    def __init__(
        self,
        config: Config,
        events: EventFanOut,
        commands: queue.Queue[ev.Command],
        *,
        dry_run: bool,
        sender: Sender | None = None,
    ) -> None:
        self.events = events
        self.model = DashboardModel(
            [i.name for i in config.instances],
            [a.name for a in config.managed_arrs],
            dry_run=dry_run,
        )
        self.notifier = (
            Notifier(config.notifications, sender)
            if config.notifications.urls or sender is not None
            else None
        )
        self._subscription = events.subscribe()
        self.feed = EventFeed(self._subscription, self.model)
        self.metrics = Metrics(self.model, self.feed.lock)
        self.feed.listeners = (self.metrics.observe,) + (
            (self.notifier.observe,) if self.notifier is not None else ()
        )
        self.server: ApiServer | None = None
        webapi = config.webapi
        try:
            if webapi.enabled:
                api = Api(self.feed, commands, self.metrics, webapi.token)
                self.server = ApiServer(api, webapi)
        except BaseException:
            self._release()
            raise
        self.feed.start()
        if self.server is not None:
            self.server.start()
            auth = "token required" if webapi.token else "no token"
            log.info("API listening on http://%s:%d (%s)", webapi.host, self.server.port, auth)

    @property
    def port(self) -> int | None:
        return self.server.port if self.server else None

    def engine_error(self, text: str) -> None:
        if self.notifier is not None:
            self.notifier.engine_error(text)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
        self.feed.stop()
        self._release()

    def _release(self) -> None:
        self.events.unsubscribe(self._subscription)
        if self.notifier is not None:
            self.notifier.stop()


def start_service(
    config: Config, events: EventFanOut, commands: queue.Queue[ev.Command], *, dry_run: bool
) -> Service | None:
    """The service for ``config``, started; None when neither section turns anything on."""
    if not config.webapi.enabled and not config.notifications.urls:
        return None
    return Service(config, events, commands, dry_run=dry_run)
