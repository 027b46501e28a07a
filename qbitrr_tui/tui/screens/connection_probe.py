"""F5 in the config editor: connect once to the instance or Arr being edited."""

from __future__ import annotations

from qbitrr_tui.arr.client import ArrClient, ArrError
from qbitrr_tui.config import ConfigError, parse_config
from qbitrr_tui.qbit.webapi import QbitError, WebApiClient, base_url


def probe_connection(section: str, text: str) -> tuple[bool, str]:
    """Connect once to the instance or Arr in ``text`` (one section of TOML)."""
    try:
        config = parse_config(text, None, env={})
    except ConfigError as exc:
        return False, "; ".join(p.split(": ", 1)[-1] for p in exc.problems)
    if config.instances:
        inst = config.instances[0]
        client = WebApiClient(
            inst.name,
            base_url(inst.host, inst.port),
            inst.username,
            inst.password,
            verify_tls=not inst.skip_tls_verify,
            timeout=(3.05, 10.0),
        )
        try:
            client.login()
            version = client.get_text("app/version")
            api = client.get_text("app/webapiVersion")
        except QbitError as exc:
            return False, str(exc)
        finally:
            client.close()
        return True, f"connected: qBittorrent {version} (Web API {api})"
    if config.arrs:
        arr = ArrClient(config.arrs[0], sleep=lambda _: None, timeout=(3.05, 10.0))
        try:
            status = arr.system_status()
        except ArrError as exc:
            return False, str(exc)
        finally:
            arr.close()
        return True, f"connected: {status.app_name} {status.version}"
    return False, f"[{section}] is not an instance or an Arr"
