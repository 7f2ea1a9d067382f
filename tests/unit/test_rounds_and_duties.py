"""Rounds of one process, done marks that name one step, and what the agenda counts as
a duty: pure functions, with the clock given."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from interview_followup import duties, policy
from interview_followup.config import Settings
from interview_followup.days import BusinessDays
from interview_followup.model import (
    Change,
    ChangeType,
    Event,
    EventStatus,
    Interview,
    Kind,
    Person,
    Status,
    process_key,
)

NY = "America/New_York"
US = BusinessDays("US")
SETTINGS = Settings(country="US", timezone=NY)


def at(y: int, m: int, d: int, h: int = 0, mi: int = 0, tz: str = NY) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def rnd(id_: int, start: datetime, *people: Person, **extra: object) -> Interview:
    return Interview(
        company="Globex", role="Analyst", start=start, tz=NY, interviewers=people, id=id_,
        **extra,  # type: ignore[arg-type]
    )  # fmt: skip


def test_process_key_ignores_case_and_spacing() -> None:
    assert process_key("  Globex  Corp ", "Data  Analyst") == process_key(
        "globex corp", "DATA ANALYST"
    )
    assert process_key("Globex", "Analyst") != process_key("Globex", "Designer")


def withdrawn(when: datetime) -> Change:
    return Change(ChangeType.STATUS, when, status=Status.WITHDRAWN, because_of=9)


def test_one_withdraw_note_per_process_on_its_latest_round_naming_everyone() -> None:
    first = rnd(1, datetime(2027, 11, 1, 10), Person("Ann Lee", "ann@globex.example"))
    second = rnd(
        2,
        datetime(2027, 11, 8, 10),
        Person("Bo Chan"),
        Person("ann lee", "ANN@globex.example"),  # the same person again
        contact=Person("Sam Hire", "sam@globex.example"),
    )
    when = at(2027, 11, 10, 12)
    earlier = policy.schedule(first, [withdrawn(when)], SETTINGS, US, [second])
    assert [e for e in earlier if e.kind is Kind.WITHDRAW] == []
    later = policy.schedule(second, [withdrawn(when)], SETTINGS, US, [first])
    (note,) = [e for e in later if e.kind is Kind.WITHDRAW]
    tell = next(line for line in note.description.splitlines() if line.startswith("Tell:"))
    assert tell.count("ann@") + tell.count("ANN@") == 1
    for name in ("Sam Hire", "Bo Chan"):
        assert name in tell
    assert "cancel" not in note.description  # both rounds are behind


def test_a_withdraw_note_for_a_round_still_ahead_asks_to_cancel_it() -> None:
    ahead = rnd(1, datetime(2027, 11, 20, 10), Person("Ann Lee"))
    events = policy.schedule(ahead, [withdrawn(at(2027, 11, 10, 12))], SETTINGS, US)
    (note,) = [e for e in events if e.kind is Kind.WITHDRAW]
    assert "cancel the interview" in note.description
    assert "Thank you again for considering me" not in note.description


def test_a_round_closed_by_an_acceptance_keeps_its_thank_you_notes() -> None:
    first = rnd(1, datetime(2027, 11, 1, 10), Person("Ann Lee"))
    closed = Change(
        ChangeType.STATUS, at(2027, 11, 1, 11, 30), status=Status.ACCEPTED, because_of=2
    )
    events = policy.schedule(first, [closed], SETTINGS, US)
    assert {e.status for e in events if e.kind is Kind.THANK_YOU} == {EventStatus.SCHEDULED}
    assert {e.status for e in events if e.kind is not Kind.THANK_YOU} == {EventStatus.CANCELLED}
    assert [e for e in events if e.kind is Kind.WITHDRAW] == []


def test_a_done_mark_with_an_ordinal_marks_that_check_in_only() -> None:
    interview = rnd(1, datetime(2027, 11, 15, 10), Person("Ann Lee"))
    mark = Change(ChangeType.DONE, at(2027, 12, 7, 11), kind=Kind.CHECK_IN, who="", ordinal=1)
    events = policy.schedule(interview, [mark], SETTINGS, US)
    checks = [(e.ordinal, e.status) for e in events if e.kind is Kind.CHECK_IN]
    assert checks == [(1, EventStatus.DONE), (2, EventStatus.SCHEDULED)]
    every = Change(ChangeType.DONE, at(2027, 12, 7, 11), kind=Kind.CHECK_IN)
    events = policy.schedule(interview, [every], SETTINGS, US)
    assert {e.status for e in events if e.kind is Kind.CHECK_IN} == {EventStatus.DONE}


def test_rejected_before_the_interview_stays_in_touch_after_it() -> None:
    interview = rnd(1, datetime(2027, 11, 19, 16), Person("Ann Lee"))  # a Friday
    rejected = Change(ChangeType.STATUS, at(2027, 11, 17, 9), status=Status.REJECTED)
    events = policy.schedule(interview, [rejected], SETTINGS, US)
    (stay,) = [e for e in events if e.kind is Kind.STAY_IN_TOUCH]
    assert stay.start == datetime(2027, 11, 23, 10, tzinfo=ZoneInfo(NY))  # Fri + 2 bd


# --- duties ---


def event(kind: Kind, start: datetime | date, interview_id: int = 1, **extra: object) -> Event:
    if isinstance(start, datetime):
        end: datetime | date = start + timedelta(minutes=15)
    else:
        end = start + timedelta(days=1)
    fields: dict[str, object] = {
        "uid": f"{kind.value}-{start}-{interview_id}", "interview_id": interview_id,
        "kind": kind, "who": "", "ordinal": 0, "summary": kind.value, "description": "",
        "start": start, "end": end, "tz": NY, "status": EventStatus.SCHEDULED,
        "categories": (), "alarm_minutes": None, "hash": "", "sequence": 0,
        "created_at": start, "changed_at": start,
    }  # fmt: skip
    fields.update(extra)
    return Event(**fields)  # type: ignore[arg-type]


def local(y: int, m: int, d: int, h: int, tz: str = NY) -> datetime:
    return datetime(y, m, d, h, tzinfo=ZoneInfo(tz))


NOW = at(2027, 12, 10, 12)


def test_passed_days_to_notice_are_never_overdue() -> None:
    steps = [
        event(Kind.DECISION_DAY, date(2027, 12, 1)),
        event(Kind.MOVE_ON, date(2027, 12, 3)),
        event(Kind.FOLLOW_UP, local(2027, 12, 2, 10)),
        event(Kind.DECISION_DAY, date(2027, 12, 10)),  # today: still a day to notice
    ]
    found = duties.due(steps, {}, NOW, ZoneInfo(NY), 7)
    assert [e.kind for e in found.overdue] == [Kind.FOLLOW_UP]
    assert [(e.kind, e.start) for e in found.upcoming] == [(Kind.DECISION_DAY, date(2027, 12, 10))]


def test_steps_a_closed_process_left_in_the_past_are_no_duties() -> None:
    closed = {1: at(2027, 12, 5, 9)}
    steps = [
        event(Kind.FOLLOW_UP, local(2027, 12, 2, 10)),  # before it closed: moot
        event(Kind.STAY_IN_TOUCH, local(2027, 12, 7, 10)),  # made by the closing: a duty
        event(Kind.FOLLOW_UP, local(2027, 12, 2, 10), interview_id=2),  # still open
        event(Kind.CHECK_IN, local(2027, 12, 3, 10), status=EventStatus.DONE),
    ]
    found = duties.due(steps, closed, NOW, ZoneInfo(NY), 7)
    assert [(e.interview_id, e.kind) for e in found.overdue] == [
        (2, Kind.FOLLOW_UP),
        (1, Kind.STAY_IN_TOUCH),
    ]


def test_upcoming_steps_follow_the_users_days() -> None:
    """Sydney 10:00 Wednesday is Tuesday evening in New York; an all-day Friday comes
    after a Thursday afternoon, and heads its own day."""
    sydney = event(
        Kind.FOLLOW_UP, local(2027, 12, 15, 10, "Australia/Sydney"), tz="Australia/Sydney"
    )
    ny_wed = event(Kind.FOLLOW_UP, local(2027, 12, 15, 10), interview_id=2)
    ny_thu = event(Kind.CHECK_IN, local(2027, 12, 16, 15), interview_id=3)
    fri_all_day = event(Kind.MOVE_ON, date(2027, 12, 17), interview_id=4, tz="Australia/Sydney")
    fri_morning = event(Kind.CHECK_IN, local(2027, 12, 17, 9), interview_id=5)
    found = duties.due([fri_morning, fri_all_day, ny_thu, ny_wed, sydney], {}, NOW, ZoneInfo(NY), 7)
    assert [e.interview_id for e in found.upcoming] == [1, 2, 3, 4, 5]
    assert duties.user_day(sydney, ZoneInfo(NY)) == date(2027, 12, 14)
