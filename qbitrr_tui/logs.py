"""Logging: a TRACE level below DEBUG, stderr and a rotating file, secrets redacted.

Every line about an instance names it (``instance 'seedbox'``); that is the callers' job.
Secrets are registered once the config is loaded and replaced by ``***`` in every record,
whatever handler it reaches (belt and braces: no code path should log them anyway).
"""

from __future__ import annotations

import logging
import logging.handlers
import threading
from pathlib import Path

TRACE = 5
logging.addLevelName(TRACE, "TRACE")

LOGGER_NAME = "qbitrr_tui"
_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def get_logger(name: str) -> logging.Logger:
    """A logger under the package's namespace, e.g. ``get_logger("engine")``."""
    return logging.getLogger(f"{LOGGER_NAME}.{name}")


def trace(logger: logging.Logger, msg: str, *args: object) -> None:
    if logger.isEnabledFor(TRACE):
        logger.log(TRACE, msg, *args)


class SecretFilter(logging.Filter):
    """Replaces every registered secret in a record's message by ``***``."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: frozenset[str] = frozenset()
        self._lock = threading.Lock()

    def register(self, *secrets: str) -> None:
        with self._lock:
            # Very short values would redact ordinary words; they are not real secrets.
            self._secrets = self._secrets | {s for s in secrets if s and len(s) >= 4}

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = self._secrets
        if not secrets:
            return True
        message = record.getMessage()
        redacted = message
        for secret in secrets:
            redacted = redacted.replace(secret, "***")
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


SECRETS = SecretFilter()


def level_number(name: str) -> int:
    return TRACE if name.upper() == "TRACE" else logging.getLevelName(name.upper())


def setup_logging(
    level: str = "INFO", *, log_file: Path | None = None, console: bool = True
) -> None:
    """Configure the package logger once per process (calling again replaces handlers)."""
    logger = logging.getLogger(LOGGER_NAME)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    logger.setLevel(level_number(level))
    logger.propagate = False
    formatter = logging.Formatter(_FORMAT)
    if console:
        stream = logging.StreamHandler()
        stream.setFormatter(formatter)
        stream.addFilter(SECRETS)
        logger.addHandler(stream)
    if log_file is not None:
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(
                log_file, maxBytes=5 * 1024 * 1024, backupCount=3, encoding="utf-8"
            )
        except OSError as exc:
            logger.warning("cannot write the log file %s: %s", log_file, exc.strerror)
        else:
            handler.setFormatter(formatter)
            handler.addFilter(SECRETS)
            logger.addHandler(handler)
