"""How CalDAV answers and library errors become our errors, with what to do next."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager

from interview_followup.errors import RemoteError
from interview_followup.sinks.base import (
    ItemFailed,
    ItemMissing,
    PreconditionFailed,
    ServerFailed,
    Throttled,
    Unavailable,
)


class UidTaken(PreconditionFailed):
    """The calendar holds this UID under another name (CALDAV:no-uid-conflict)."""


def first_line(error: object) -> str:
    lines = str(error).strip().splitlines()
    return lines[0][:200] if lines else type(error).__name__


@contextmanager
def translated(what: str, url: str) -> Iterator[None]:
    """Turn library and network exceptions into our errors, with what to do next."""
    from caldav.lib import error as dav_error
    from lxml.etree import LxmlError
    from niquests.exceptions import RequestException

    try:
        yield
    except dav_error.AuthorizationError as error:
        body = (
            error.body.decode("utf-8", "replace") if isinstance(error.body, bytes) else error.body
        )
        if error.status == 403 and is_uid_conflict(body or ""):
            # Cyrus says "this UID is taken" with a 403; it is not about the login.
            raise UidTaken(f"the server already has this event while {what} (HTTP 403)") from None
        if error.status == 403:
            raise RemoteError(
                f"the CalDAV server at {url} forbade it while {what} (HTTP 403); check that the"
                " calendar is not read-only and that caldav.username may change it"
            ) from None
        raise RemoteError(
            f"the CalDAV server at {url} refused the credentials while {what}; check caldav.username"
            " and the password (FOLLOWUP_CALDAV_PASSWORD or caldav.password_command)"
        ) from None
    except dav_error.RateLimitError as error:
        raise Throttled(
            f"the server asked us to slow down while {what}; run the sync again later",
            error.retry_after_seconds,
        ) from None
    except RequestException as error:
        reason = type(error).__name__
        raise Unavailable(
            f"cannot reach the CalDAV server at {url} while {what} ({reason}); check the URL and"
            " your connection, then run the sync again"
        ) from None
    except dav_error.DAVError as error:
        raise RemoteError(
            f"the CalDAV server at {url} failed while {what}: {first_line(error)}"
        ) from None
    except (LxmlError, ET.ParseError):
        raise RemoteError(
            f"the server at {url} sent an unreadable answer while {what}; is it a CalDAV server?"
        ) from None
    except ValueError as error:  # the library's word for a malformed URL
        raise RemoteError(f"cannot use {url} while {what}: {first_line(error)}") from None


def is_uid_conflict(body: str) -> bool:
    return "no-uid-conflict" in body or "unique-scheduling-object-resource" in body


def status_error(status: int, what: str, body: str = "") -> RemoteError:
    if status in (403, 409, 412) and is_uid_conflict(body):
        # The UID is held by an item of another name: Radicale 409, Xandikos 412, Cyrus 403.
        return UidTaken(
            f"the server has this event under another name while {what} (HTTP {status})"
        )
    if status == 412:
        return PreconditionFailed(f"the server copy changed meanwhile while {what} (HTTP 412)")
    if status in (404, 410):
        return ItemMissing(f"not on the server any more while {what} (HTTP {status})")
    if status in (423, 429, 503):  # 423: busy with another of our writes (Xandikos)
        return Throttled(f"the server asked us to slow down while {what} (HTTP {status})")
    if status == 409:
        return PreconditionFailed(
            f"the server has this event under another name while {what} (HTTP 409)"
        )
    if status >= 500:
        return ServerFailed(f"the server answered HTTP {status} while {what}")
    return ItemFailed(f"the server answered HTTP {status} while {what}")
