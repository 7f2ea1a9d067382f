"""The contract every sync target meets, and the errors it may raise."""

from __future__ import annotations

import abc
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from interview_followup.errors import RemoteError
from interview_followup.model import Event
from interview_followup.sinks.content import RemoteContent, Write


@dataclass(frozen=True)
class RemoteItem:
    """One of our events as the server holds it."""

    remote_id: str
    etag: str | None


class PreconditionFailed(RemoteError):
    """The server copy changed since we last saw it (HTTP 412), or already exists."""


class ItemMissing(RemoteError):
    """The server has no such item (HTTP 404/410)."""


class Unavailable(RemoteError):
    """The server cannot be reached at all: stop the run, retry later."""


class ItemFailed(RemoteError):
    """One write failed (5xx, timeout); the others may still go through."""


class ServerFailed(ItemFailed):
    """The server failed on this write (5xx): perhaps only because of the others beside it."""


class Throttled(ItemFailed):
    """The server asked us to slow down (429, or 503 with Retry-After): wait, then retry."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class CalendarMissing(RemoteError):
    """The whole calendar is gone (the user deleted it): start afresh."""


@dataclass(frozen=True)
class Change:
    """One update (``event`` given) or deletion (``event`` None) of an item we hold."""

    item: RemoteItem
    event: Event | None = None
    write: Write | None = None


#: What one change of a batch came to: the updated item, None for a deletion, or the error.
ChangeResult = RemoteItem | RemoteError | None


class Sink(abc.ABC):
    """A calendar we own events in. Items are keyed by our event UID.

    The abstract methods are what every target must do; the rest are optional
    capabilities, declared here with a default, so the sync never has to probe a sink.
    """

    #: How many writes one request may carry; 1 means one request per item.
    batch_limit: int = 1
    #: How many writes may be in flight at once, each on its own connection. Above 1,
    #: ``create``, ``update``, ``delete`` and ``read_items`` must be safe to call from
    #: several threads.
    max_parallel_writes: int = 1
    #: A full listing yields a marker of the state it shows (Google's sync token), so a
    #: run that has to list anyway needs no ``unchanged_since`` check before it.
    marker_from_listing: bool = False

    @property
    @abc.abstractmethod
    def target(self) -> str:
        """A stable key for this calendar, used to keep its sync state apart."""

    @property
    @abc.abstractmethod
    def calendar(self) -> str:
        """Where on the server: a collection URL or a calendar id."""

    @abc.abstractmethod
    def list_items(self) -> dict[str, RemoteItem]:
        """Our events currently on the server, by UID (others are ignored)."""

    def unchanged_since(self, marker: str | None) -> tuple[bool, str | None]:
        """Whether the calendar is unchanged since ``marker`` (a ctag or sync token),
        and the current marker. Without one: (False, None), always list."""
        return False, None

    def marker_after_writes(self, marker: str | None, ours: Mapping[str, str | None]) -> str | None:
        """After a run's writes: the calendar's marker now, if every change since
        ``marker`` (read before writing) is in ``ours`` (item id -> the ETag recorded,
        None for one we deleted); else None, and the next sync lists once more."""
        return None

    def listing_marker(self) -> str | None:
        """A marker that the last full listing yielded (Google's sync token), if any."""
        return None

    @abc.abstractmethod
    def read_items(self, items: Mapping[str, RemoteItem]) -> dict[str, RemoteContent]:
        """The server copies of ``items`` (by UID), read in as few requests as the server
        allows; an item that vanished meanwhile is left out."""

    @abc.abstractmethod
    def remote_id_for(self, event: Event, generation: int) -> str:
        """The id a new item for ``event`` gets: deterministic, so a retry finds it."""

    @abc.abstractmethod
    def create(self, event: Event, remote_id: str) -> RemoteItem:
        """Create, stamped with our mark; PreconditionFailed when ``remote_id`` exists."""

    def create_batch(self, pairs: Sequence[tuple[Event, str]]) -> list[RemoteItem | RemoteError]:
        """Create several items; each result is the item or the error of that one."""
        results: list[RemoteItem | RemoteError] = []
        for event, remote_id in pairs:
            try:
                results.append(self.create(event, remote_id))
            except Unavailable:
                raise
            except RemoteError as error:
                results.append(error)
        return results

    def change_batch(self, changes: Sequence[Change]) -> list[ChangeResult]:
        """Update or delete several items; each result is that one's answer or error."""
        results: list[ChangeResult] = []
        for change in changes:
            try:
                if change.event is None:
                    self.delete(change.item)
                    results.append(None)
                else:
                    results.append(self.update(change.event, change.item, change.write))
            except Unavailable:
                raise
            except RemoteError as error:
                results.append(error)
        return results

    @abc.abstractmethod
    def update(self, event: Event, item: RemoteItem, write: Write | None = None) -> RemoteItem:
        """Set the managed fields ``write`` names (all of ``event``'s without one), if the
        server copy still has ``item.etag`` (None: unconditionally). Everything else on
        the server copy is kept as it is."""

    @abc.abstractmethod
    def delete(self, item: RemoteItem) -> None:
        """Delete, if the server copy still has ``item.etag``; ItemMissing when gone."""
