"""A calendar in memory that behaves like a strict server: the reference sink.

ETags change on every write, a stale ``If-Match`` gets a 412, a missing item a 404,
ids are deterministic. Tests play the user through the ``user_*`` methods (edit, move,
delete an item, add an event of their own, delete the calendar) and count requests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from interview_followup.errors import RemoteError
from interview_followup.model import Event
from interview_followup.sinks.base import (
    CalendarMissing,
    Change,
    ChangeResult,
    ItemFailed,
    ItemMissing,
    PreconditionFailed,
    RemoteItem,
    Sink,
    Unavailable,
)
from interview_followup.sinks.content import Fields, RemoteContent, Write, fields_of


@dataclass
class StoredItem:
    """One item as the server holds it: our managed fields and anything else."""

    uid: str
    etag: str
    summary: str
    description: str
    start: datetime | date
    end: datetime | date
    status: str
    sequence: int
    alarm: int | None = None
    mark: str | None = None  # our stamp, as a real server keeps an X- property
    ours: bool = True  # False for an event the user made themselves
    extra: dict[str, str] = field(default_factory=dict)  # e.g. a LOCATION the user added

    def fields(self) -> Fields:
        return Fields(
            self.start,
            self.end,
            self.summary,
            self.description,
            self.status == "CANCELLED",
            self.alarm,
        )

    def content(self, remote_id: str) -> RemoteContent:
        return RemoteContent(remote_id, self.etag, self.fields(), self.mark, bool(self.extra))


class MemorySink(Sink):
    """One calendar; ``batch_limit`` > 1 makes it batch its writes as Google does."""

    def __init__(self, name: str = "memory", batch_limit: int = 1) -> None:
        self.name = name
        self.batch_limit = batch_limit
        self.items: dict[str, StoredItem] = {}  # by remote id
        self.exists = True
        self.requests = 0
        self.writes = 0
        self.fail_writes: set[str] = set()  # UIDs whose writes answer 500
        self.unreachable = False
        # Called after each request is carried out, before its answer is returned:
        # raising there plays a lost answer (a crash, a dropped connection).
        self.after_request: Callable[[str], None] | None = None
        self._version = 0

    # --- the sink contract ---

    @property
    def target(self) -> str:
        return f"memory:{self.name}"

    @property
    def calendar(self) -> str:
        return self.name

    def _request(self) -> None:
        self.requests += 1
        if self.unreachable:
            raise Unavailable(f"the calendar {self.name} cannot be reached")
        if not self.exists:
            raise CalendarMissing(f"the calendar {self.name} does not exist any more")

    def _answered(self, method: str) -> None:
        if self.after_request is not None:
            self.after_request(method)

    def _next_etag(self) -> str:
        self._version += 1
        return f'"{self._version}"'

    def unchanged_since(self, marker: str | None) -> tuple[bool, str | None]:
        self._request()
        current = str(self._version)
        self._answered("PROPFIND")
        return current == marker, current

    def list_items(self) -> dict[str, RemoteItem]:
        self._request()
        found = {
            item.uid: RemoteItem(remote_id, item.etag)
            for remote_id, item in self.items.items()
            if item.ours
        }
        self._answered("PROPFIND")
        return found

    def read_items(self, items: Mapping[str, RemoteItem]) -> dict[str, RemoteContent]:
        self._request()
        found = {
            uid: self.items[item.remote_id].content(item.remote_id)
            for uid, item in items.items()
            if item.remote_id in self.items
        }
        self._answered("REPORT")
        return found

    def remote_id_for(self, event: Event, generation: int) -> str:
        suffix = f"-{generation}" if generation else ""
        return f"{event.uid_stem}{suffix}.ics"

    def _store(
        self, event: Event, remote_id: str, write: Write, keep: StoredItem | None
    ) -> RemoteItem:
        if event.uid in self.fail_writes:
            raise ItemFailed(f"the server failed to store '{event.summary}' (HTTP 500)")
        self.writes += 1
        result = write.result if keep is None else keep.fields().taking(write.fields, write.names)
        etag = self._next_etag()
        self.items[remote_id] = StoredItem(
            event.uid,
            etag,
            result.title,
            result.description,
            result.start,
            result.end,
            "CANCELLED" if result.cancelled else "CONFIRMED",
            event.sequence,
            result.alarm,
            write.stamp(event.sequence),
            extra=dict(keep.extra) if keep else {},
        )
        return RemoteItem(remote_id, etag)

    def _create(self, event: Event, remote_id: str) -> RemoteItem:
        if remote_id in self.items:
            raise PreconditionFailed(f"'{event.summary}' already exists on the server (HTTP 412)")
        return self._store(event, remote_id, Write(fields_of(event)), None)

    def create(self, event: Event, remote_id: str) -> RemoteItem:
        self._request()
        made = self._create(event, remote_id)
        self._answered("PUT")
        return made

    def create_batch(self, pairs: Sequence[tuple[Event, str]]) -> list[RemoteItem | RemoteError]:
        self._request()  # one request for the whole batch, one answer per item
        results: list[RemoteItem | RemoteError] = []
        for event, remote_id in pairs:
            try:
                results.append(self._create(event, remote_id))
            except RemoteError as error:
                results.append(error)
        self._answered("POST")
        return results

    def change_batch(self, changes: Sequence[Change]) -> list[ChangeResult]:
        self._request()  # one request for the whole batch, one answer per item
        results: list[ChangeResult] = []
        for change in changes:
            try:
                if change.event is None:
                    self._delete(change.item)
                    results.append(None)
                else:
                    results.append(self._update(change.event, change.item, change.write))
            except RemoteError as error:
                results.append(error)
        self._answered("POST")
        return results

    def update(self, event: Event, item: RemoteItem, write: Write | None = None) -> RemoteItem:
        self._request()
        made = self._update(event, item, write)
        self._answered("PUT")
        return made

    def _update(self, event: Event, item: RemoteItem, write: Write | None) -> RemoteItem:
        current = self.items.get(item.remote_id)
        if current is None:
            raise ItemMissing(f"'{event.summary}' is not on the server (HTTP 404)")
        if item.etag is not None and current.etag != item.etag:
            raise PreconditionFailed(f"'{event.summary}' changed on the server (HTTP 412)")
        return self._store(event, item.remote_id, write or Write(fields_of(event)), current)

    def delete(self, item: RemoteItem) -> None:
        self._request()
        self._delete(item)
        self._answered("DELETE")

    def _delete(self, item: RemoteItem) -> None:
        current = self.items.get(item.remote_id)
        if current is None:
            raise ItemMissing(f"{item.remote_id} is not on the server (HTTP 404)")
        if item.etag is not None and current.etag != item.etag:
            raise PreconditionFailed(f"{item.remote_id} changed on the server (HTTP 412)")
        self.writes += 1
        del self.items[item.remote_id]
        self._version += 1

    # --- what the user does in their calendar app ---

    def by_uid(self, uid: str) -> StoredItem | None:
        return next((item for item in self.items.values() if item.uid == uid), None)

    def user_edit(self, uid: str, **changes: object) -> None:
        """Change fields of one item (summary=..., start=..., extra={...})."""
        item = self.by_uid(uid)
        if item is None:
            raise KeyError(uid)
        for name, value in changes.items():
            setattr(item, name, value)
        item.etag = self._next_etag()

    def user_delete(self, uid: str) -> None:
        remote_id = next(rid for rid, item in self.items.items() if item.uid == uid)
        del self.items[remote_id]
        self._next_etag()

    def user_add_own(self, uid: str, summary: str, start: datetime | date) -> None:
        self.items[f"own-{uid}.ics"] = StoredItem(
            uid, self._next_etag(), summary, "", start, start, "CONFIRMED", 0, ours=False
        )

    def user_add_copy(self, uid: str, remote_id: str, fields: Fields) -> None:
        """An item holding one of our UIDs under a name of the user's (an import)."""
        self.items[remote_id] = StoredItem(
            uid, self._next_etag(), fields.title, fields.description, fields.start,
            fields.end, "CANCELLED" if fields.cancelled else "CONFIRMED", 0, fields.alarm,
        )  # fmt: skip

    def user_delete_calendar(self) -> None:
        self.items.clear()
        self.exists = False
