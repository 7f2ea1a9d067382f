"""Typed errors raised by the core and translated once, at the CLI edge."""

from __future__ import annotations


class FollowupError(Exception):
    """Something a person can act on; ``exit_code`` is what the CLI exits with."""

    exit_code = 1
    #: How the one line on stderr begins: "error", or "warning" for a run that did its
    #: work and still has something to say.
    label = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(FollowupError):
    """Bad input from the user: a flag, a file row or a config value."""

    exit_code = 2

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field


class NotFoundError(InputError):
    """An id, kind or person the user named does not exist."""


class StoreError(FollowupError):
    """The database cannot be opened or read."""


class ReadOnlyStoreError(StoreError):
    """The database (or its folder) cannot be written: reading may still work."""


class RemoteError(FollowupError):
    """A calendar server failed or refused; the message says what to do next."""
