"""The fields of an event that the sync manages, as a server holds them.

The managed fields are the time (start, end, all-day), the title, the description,
the status and our alarm. Everything else on a server copy (a location, the user's
own properties, colours, attachments, other alarms) belongs to the user and is carried
over untouched by every write.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import NamedTuple

from interview_followup.model import Event, EventStatus

# The names the merge works with; "time" is start, end and all-day together.
TIME, TITLE, DESCRIPTION, STATUS, ALARM = "time", "title", "description", "status", "alarm"
MANAGED = (TIME, TITLE, DESCRIPTION, STATUS, ALARM)
ALL = frozenset(MANAGED)


class Fields(NamedTuple):
    """The managed content of one event."""

    start: datetime | date
    end: datetime | date
    title: str
    description: str
    cancelled: bool
    alarm: int | None

    def value(self, name: str) -> object:
        """A comparable value of one managed field (times as UTC instants)."""
        if name == TIME:
            return (_instant(self.start), _instant(self.end))
        if name == TITLE:
            return self.title
        if name == DESCRIPTION:
            return _text(self.description)
        if name == STATUS:
            return self.cancelled
        return self.alarm

    def same(self, other: Fields, name: str) -> bool:
        return self.value(name) == other.value(name)

    def differing(self, other: Fields) -> frozenset[str]:
        return frozenset(name for name in MANAGED if not self.same(other, name))

    def taking(self, other: Fields, names: frozenset[str]) -> Fields:
        """These fields with ``names`` taken from ``other``."""
        values = self._asdict()
        for name in names:
            for part in _PARTS[name]:
                values[part] = getattr(other, part)
        return Fields(**values)

    def stamp(self, sequence: int) -> str:
        """Our mark for a copy whose side of ours is these fields: a short hash per field
        and the SEQUENCE, so a later read tells field by field what is still ours."""
        hashes = ".".join(_short_hash(self.value(name)) for name in MANAGED)
        return f"{MARK_VERSION}:{sequence}:{hashes}"

    def to_json(self) -> dict[str, object]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "title": self.title,
            "description": self.description,
            "cancelled": self.cancelled,
            "alarm": self.alarm,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Fields:
        return cls(
            _when(str(data["start"])),
            _when(str(data["end"])),
            str(data["title"]),
            str(data["description"]),
            bool(data["cancelled"]),
            None if data["alarm"] is None else int(str(data["alarm"])),
        )


_PARTS = {
    TIME: ("start", "end"),
    TITLE: ("title",),
    DESCRIPTION: ("description",),
    STATUS: ("cancelled",),
    ALARM: ("alarm",),
}


MARK_VERSION = "m1"


def _short_hash(value: object) -> str:
    import hashlib

    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()[:10]


def _instant(value: datetime | date) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    return value.isoformat()


def _text(value: str) -> str:
    # Servers and clients differ in line breaks and trailing space; the words count.
    return value.replace("\r\n", "\n").strip()


def _when(text: str) -> datetime | date:
    return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)


def fields_of(event: Event) -> Fields:
    """What we want a calendar to show of ``event``."""
    return Fields(
        event.start,
        event.end,
        event.summary,
        event.description,
        event.status is EventStatus.CANCELLED,
        event.alarm_minutes,
    )


class RemoteContent(NamedTuple):
    """A server copy of one of our events, read back."""

    remote_id: str
    etag: str | None
    fields: Fields
    mark: str | None  # the stamp of our last write, if the copy still carries it
    own_text: bool  # the user added text we do not manage (a location, notes, files)
    source: object = None  # the sink's own form of the copy, to build the next write from

    def _mark_parts(self) -> tuple[int, list[str]] | None:
        parts = (self.mark or "").split(":")
        if len(parts) != 3 or parts[0] != MARK_VERSION or not parts[1].isdigit():
            return None
        hashes = parts[2].split(".")
        return (int(parts[1]), hashes) if len(hashes) == len(MANAGED) else None

    @property
    def sequence(self) -> int:
        """The SEQUENCE of our last write (-1 without a mark)."""
        parts = self._mark_parts()
        return parts[0] if parts else -1

    def ours(self) -> frozenset[str] | None:
        """The fields still as our last write set them (None: no mark to tell by)."""
        parts = self._mark_parts()
        if parts is None:
            return None
        return frozenset(
            name
            for name, expected in zip(MANAGED, parts[1], strict=True)
            if _short_hash(self.fields.value(name)) == expected
        )

    @property
    def untouched(self) -> bool:
        """Every managed field is as our last write set it."""
        return self.ours() == ALL


@dataclass(frozen=True)
class Write:
    """What one update sets: ``names`` of the managed fields, to ``fields``' values;
    the rest of the server copy (``current``, when read this run) stays as it is.
    ``base`` is our side of every field after it (default ``fields``): the stamp."""

    fields: Fields
    names: frozenset[str] = ALL
    current: RemoteContent | None = None
    base: Fields | None = None

    @property
    def result(self) -> Fields:
        """The managed content of the copy after this write."""
        if self.current is None:
            return self.fields
        return self.current.fields.taking(self.fields, self.names)

    def stamp(self, sequence: int) -> str:
        return (self.base or self.fields).stamp(sequence)


CANCELLED_MARK = "Cancelled: "


def marked_cancelled(title: str) -> str:
    return title if title.startswith(CANCELLED_MARK) else CANCELLED_MARK + title
