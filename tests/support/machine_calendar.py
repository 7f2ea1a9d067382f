"""The calendars the sync state machine runs against: what each must offer, and the
memory one, with the faults it plays (a run killed after the k-th request, one dropped
answer that the client retries, as Google's client does: the retry then meets a 412)."""

from __future__ import annotations

import abc
import contextlib
from collections.abc import Iterator, Sequence
from datetime import date, datetime

from interview_followup.model import Event
from interview_followup.sinks.base import Change, ChangeResult, RemoteItem, Sink
from interview_followup.sinks.content import Write
from interview_followup.sinks.memory import MemorySink, StoredItem


class MachineCalendar(abc.ABC):
    """One calendar on one server, as the machine sees it.

    ``items`` reads the server as the user's own client would (not through our sink):
    each item as a ``StoredItem`` (``ours`` for an event of ours, ``extra`` holding a
    LOCATION). The ``user_*`` methods change it the same way.
    """

    sink: Sink
    deaths: tuple[type[BaseException], ...] = ()  # what a killed run may end with
    retries = True  # whether our sink retries a request whose answer was lost

    @property
    @abc.abstractmethod
    def exists(self) -> bool: ...

    @abc.abstractmethod
    def items(self) -> list[StoredItem]: ...

    def by_uid(self, uid: str) -> StoredItem | None:
        return next((item for item in self.items() if item.uid == uid), None)

    @abc.abstractmethod
    def user_edit(
        self,
        uid: str,
        *,
        summary: str | None = None,
        description: str | None = None,
        start: datetime | date | None = None,
        end: datetime | date | None = None,
        location: str | None = None,
    ) -> None: ...

    @abc.abstractmethod
    def user_delete(self, uid: str) -> None: ...

    @abc.abstractmethod
    def user_add_own(self, uid: str, summary: str, start: datetime) -> None: ...

    @abc.abstractmethod
    def user_delete_calendar(self) -> None: ...

    @abc.abstractmethod
    def recreate(self) -> None:
        """What a forced sync does for a deleted calendar: a new one, ``sink`` on it."""

    @abc.abstractmethod
    def snapshot(self) -> object:
        """Everything on the server, to compare before and after."""

    @abc.abstractmethod
    def writes(self) -> int:
        """How many writes our sink has made so far."""

    @abc.abstractmethod
    def killed_after(self, k: int) -> contextlib.AbstractContextManager[None]:
        """A run inside dies with the k-th request carried out but not answered."""

    @abc.abstractmethod
    def dropping_an_answer(self) -> contextlib.AbstractContextManager[None]:
        """The answer to the next update is lost once; the sink may retry."""

    def close(self) -> None:  # noqa: B027 (most calendars have nothing to close)
        """Let go of what the calendar holds (connections, servers)."""


class Killed(BaseException):
    """The process died: nothing after this point ran."""


class FaultySink(MemorySink):
    """The memory sink with the faults it plays."""

    def __init__(self, name: str = "machine", batch_limit: int = 1) -> None:
        super().__init__(name, batch_limit)
        self.kill_after: int | None = None  # requests still to answer before dying
        self.drop_next_update = False
        self.after_request = self._count

    def _count(self, method: str) -> None:
        if self.kill_after is None:
            return
        self.kill_after -= 1
        if self.kill_after <= 0:
            self.kill_after = None
            raise Killed(method)

    def update(self, event: Event, item: RemoteItem, write: Write | None = None) -> RemoteItem:
        made = super().update(event, item, write)
        if self.drop_next_update:
            self.drop_next_update = False
            return super().update(event, item, write)  # the retry: 412, it changed
        return made

    def change_batch(self, changes: Sequence[Change]) -> list[ChangeResult]:
        made = super().change_batch(changes)
        if self.drop_next_update and any(change.event for change in changes):
            self.drop_next_update = False
            return super().change_batch(changes)  # the retry: 412 for what it changed
        return made

    def snapshot(self) -> object:
        return sorted(
            (rid, i.uid, i.etag, i.summary, i.start, i.status, i.alarm, tuple(i.extra.items()))
            for rid, i in self.items.items()
        )


class MemoryCalendar(MachineCalendar):
    deaths = (Killed,)

    def __init__(self, batch_limit: int = 1) -> None:
        self.sink = self.memory = FaultySink(batch_limit=batch_limit)

    @property
    def exists(self) -> bool:
        return self.memory.exists

    def items(self) -> list[StoredItem]:
        return list(self.memory.items.values())

    def user_edit(
        self,
        uid: str,
        *,
        summary: str | None = None,
        description: str | None = None,
        start: datetime | date | None = None,
        end: datetime | date | None = None,
        location: str | None = None,
    ) -> None:
        changes: dict[str, object] = {"summary": summary, "description": description}
        changes |= {"start": start, "end": end}
        if location is not None:
            changes["extra"] = {"LOCATION": location}
        self.memory.user_edit(uid, **{k: v for k, v in changes.items() if v is not None})

    def user_delete(self, uid: str) -> None:
        self.memory.user_delete(uid)

    def user_add_own(self, uid: str, summary: str, start: datetime) -> None:
        self.memory.user_add_own(uid, summary, start)

    def user_delete_calendar(self) -> None:
        self.memory.user_delete_calendar()

    def recreate(self) -> None:
        self.memory.exists = True

    def snapshot(self) -> object:
        return self.memory.snapshot()

    def writes(self) -> int:
        return self.memory.writes

    @contextlib.contextmanager
    def killed_after(self, k: int) -> Iterator[None]:
        self.memory.kill_after = k
        try:
            yield
        finally:
            self.memory.kill_after = None

    @contextlib.contextmanager
    def dropping_an_answer(self) -> Iterator[None]:
        self.memory.drop_next_update = True
        try:
            yield
        finally:
            self.memory.drop_next_update = False
