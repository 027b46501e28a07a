"""Errors a user can cause and fix: they carry one clear sentence, never a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A mistake the user can fix (bad config, missing program, wrong path).

    The CLI prints ``str(error)`` and exits with ``exit_code``; no traceback is shown.
    """

    exit_code = 2

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


_KNOWN_CAUSES = (
    "Connection refused",
    "Name or service not known",
    "No route to host",
    "Connection reset",
    "certificate verify failed",
    "timed out",
)


def short_error(exc: BaseException) -> str:
    """The useful tail of a transport error ('connection refused'), not its whole repr."""
    text = str(exc)
    for marker in _KNOWN_CAUSES:
        if marker in text:
            return marker.lower()
    return text[:160]
