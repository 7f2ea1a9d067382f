"""The vocabulary of the tool: plain, frozen data with no behaviour beyond naming.

The records are NamedTuples rather than dataclasses: every command imports this module,
and a frozen dataclass costs about 0.7 ms to create, a NamedTuple a sixth of that.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime
from typing import NamedTuple

# The part of every UID after the '@'.
UID_DOMAIN = "interview-followup"


class Status(enum.StrEnum):
    WAITING = "waiting"
    HEARD = "heard"
    NEXT_ROUND = "next-round"
    OFFER = "offer"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    ACCEPTED = "accepted"


# Processes that an accepted offer elsewhere must close.
OPEN_STATUSES = frozenset({Status.WAITING, Status.HEARD, Status.NEXT_ROUND, Status.OFFER})
# Statuses that end a process: its past steps are no longer duties.
CLOSED_STATUSES = frozenset({Status.REJECTED, Status.WITHDRAWN, Status.ACCEPTED})


def process_key(company: str, role: str) -> tuple[str, str]:
    """One company and role, the way rounds of one process are told apart: case, outer
    spaces and runs of spaces do not count."""
    return (" ".join(company.split()).casefold(), " ".join(role.split()).casefold())


class Kind(enum.StrEnum):
    THANK_YOU = "thank-you"
    DECISION_DAY = "decision-day"
    FOLLOW_UP = "follow-up"
    CHECK_IN = "check-in"
    MOVE_ON = "move-on"
    STAY_IN_TOUCH = "stay-in-touch"
    WITHDRAW = "withdraw"


class EventStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    DONE = "done"
    CANCELLED = "cancelled"


class History(enum.Enum):
    """What a recompute of a plan may do to its events that are history: done,
    cancelled, or already begun ("past events are history and never change")."""

    #: A correction of the interview's own facts: the plan follows them, past steps still
    #: to do included; done and cancelled ones stay as they are.
    FOLLOWS = "follows"
    #: A change of state (status, done): history keeps its time and text, and changes
    #: only where its own state changes (a step marked done, one a reopening brings back).
    STATES_ONLY = "states only"
    #: A changed setting: history stays exactly as it was.
    KEPT = "kept"


class Channel(enum.StrEnum):
    EMAIL = "email"
    PHONE = "phone"


class Person(NamedTuple):
    name: str = ""
    email: str = ""

    def label(self) -> str:
        if self.name and self.email:
            return f"{self.name} <{self.email}>"
        return self.name or self.email


def same_person(a: Person, b: Person) -> bool:
    """One person given twice: the same e-mail, or the same name."""
    if a.email and b.email and a.email.casefold() == b.email.casefold():
        return True
    return bool(a.name) and a.name.casefold() == b.name.casefold()


def merge_people(people: Iterable[Person]) -> tuple[Person, ...]:
    """Each person once, in the order first given; a repeat fills in what was missing."""
    found: list[Person] = []
    for person in people:
        for i, known in enumerate(found):
            if same_person(person, known):
                found[i] = Person(known.name or person.name, known.email or person.email)
                break
        else:
            found.append(person)
    return tuple(found)


class Interview(NamedTuple):
    """What the user logged. ``start`` is naive wall-clock time in ``tz``."""

    company: str
    start: datetime
    tz: str
    role: str = ""
    duration: int = 60
    interviewers: tuple[Person, ...] = ()
    contact: Person = Person()
    phone: str = ""
    channel: Channel | None = None
    decision_by: date | None = None
    posting_url: str = ""
    notes: str = ""
    id: int = 0
    status: Status = Status.WAITING
    # Whose public holidays count; empty: the zone's country, else the configured one.
    country: str = ""
    subdivision: str = ""
    # Whose holidays the stored plan skips ('US-CA'; '' for weekends only): derived.
    holiday_region: str = ""

    @property
    def process(self) -> tuple[str, str]:
        return process_key(self.company, self.role)

    @property
    def reach_by(self) -> Channel:
        """The channel for follow-ups: as given, else phone when a number is known."""
        if self.channel is not None:
            return self.channel
        return Channel.PHONE if self.phone else Channel.EMAIL


class ChangeType(enum.StrEnum):
    STATUS = "status"
    PROMISE = "promise"
    DONE = "done"


class Change(NamedTuple):
    """One entry of an interview's history; ``at`` is an aware UTC instant."""

    type: ChangeType
    at: datetime
    status: Status | None = None
    promised: date | None = None
    kind: Kind | None = None
    who: str | None = None
    # For a withdrawal or a round closed by accepting an offer: that interview's id.
    because_of: int | None = None
    # For a done mark: which one of its kind (None: every one, or the one for ``who``).
    ordinal: int | None = None


class Move(NamedTuple):
    """A step the user moved: ``to`` is wall-clock time in the interview's zone, or a
    day for an all-day step; ``at`` is when (an aware instant)."""

    kind: Kind
    who: str
    ordinal: int
    to: datetime | date
    at: datetime


class Followup(NamedTuple):
    """One step of the plan, as the policy computes it; pure data."""

    interview_id: int
    kind: Kind
    who: str
    ordinal: int  # which one of its kind: the n-th check-in, or note to one person
    summary: str
    description: str
    start: datetime | date
    end: datetime | date
    status: EventStatus
    categories: tuple[str, ...] = ()
    # The holidays its date stepped over: (ISO date, name, region such as 'US-CA').
    skipped: tuple[tuple[str, str, str], ...] = ()
    url: str = ""  # the posting, else a mailto: with the draft or a tel: to call

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)

    @property
    def key(self) -> tuple[int, str, str, int]:
        """The identity that a UID is derived from."""
        return (self.interview_id, self.kind.value, self.who.casefold(), self.ordinal)


class Event(NamedTuple):
    """A step as stored: the plan plus its identity, SEQUENCE and change times.

    This is what every output (export, feed, CalDAV, Google) reads; none of them
    re-derives the schedule.
    """

    uid: str
    interview_id: int
    kind: Kind
    who: str
    ordinal: int
    summary: str
    description: str
    start: datetime | date
    end: datetime | date
    tz: str
    status: EventStatus
    categories: tuple[str, ...]
    alarm_minutes: int | None
    hash: str
    sequence: int
    created_at: datetime
    changed_at: datetime
    skipped: tuple[tuple[str, str, str], ...] = ()  # as in Followup
    url: str = ""  # as in Followup

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)

    @property
    def uid_stem(self) -> str:
        """The UID before the '@': lowercase base32hex, so also a valid Google event id."""
        return self.uid.split("@", 1)[0]


class RecordState(enum.StrEnum):
    PRESENT = "present"  # on the server as we last pushed it
    DELETED = "deleted"  # deleted by us
    GONE = "gone"  # deleted by the user: never brought back without --force


class SyncRecord(NamedTuple):
    """What we last pushed of one event to one calendar."""

    uid: str
    remote_id: str
    etag: str | None
    pushed_hash: str
    sequence: int
    state: RecordState = RecordState.PRESENT
    generation: int = 0
    # Our side of the managed fields at the last sync, as JSON: the base of the merge.
    base: str | None = None
