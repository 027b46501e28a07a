"""[WebAPI] and [Notifications]: off by default, validated, secrets kept out of reprs."""

from __future__ import annotations

import pytest

from qbitrr_tui.config import ConfigError, parse_config
from qbitrr_tui.config.schema import NOTIFY_EVENTS


def test_off_by_default_and_on_loopback() -> None:
    config = parse_config("", env={})
    assert config.webapi.enabled is False
    assert (config.webapi.host, config.webapi.port) == ("127.0.0.1", 6970)
    assert config.notifications.urls == ()
    assert config.notifications.events == NOTIFY_EVENTS


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "nas.lan", "::"])
def test_a_public_address_without_a_token_is_refused(host: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(f'[WebAPI]\nEnabled = true\nHost = "{host}"\n', env={})
    assert "not a loopback address: set a Token" in str(info.value)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.5"])
def test_loopback_needs_no_token(host: str) -> None:
    config = parse_config(f'[WebAPI]\nEnabled = true\nHost = "{host}"\n', env={})
    assert config.webapi.loopback


def test_a_public_address_with_a_token_loads_and_the_token_stays_secret() -> None:
    text = '[WebAPI]\nEnabled = true\nHost = "0.0.0.0"\nPort = 7000\nToken = "s3cret-token"\n'
    config = parse_config(text, env={})
    assert config.webapi.port == 7000 and not config.webapi.loopback
    assert "s3cret-token" in config.secrets()
    assert "s3cret-token" not in repr(config)


def test_notifications_are_validated_and_urls_are_secrets() -> None:
    url = "tgram://123456:abcdef/789"
    text = f'[Notifications]\nURLs = ["{url}"]\nEvents = ["instance_down", "arr_up"]\n'
    config = parse_config(text, env={})
    assert config.notifications.events == ("instance_down", "arr_up")
    assert url in config.secrets() and url not in repr(config)
    with pytest.raises(ConfigError) as info:
        parse_config('[Notifications]\nEvents = ["instance_dwn"]\n', env={})
    assert "unknown event 'instance_dwn'" in str(info.value)
