"""Moved steps in the policy, the WHEN grammar of `move`, and the states `show` names.

Pure functions, each with its clock given."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import business_day_on_or_after

from interview_followup import policy
from interview_followup.config import Settings
from interview_followup.days import BusinessDays
from interview_followup.errors import InputError
from interview_followup.model import (
    Change,
    ChangeType,
    Event,
    EventStatus,
    Followup,
    Interview,
    Kind,
    Move,
    Person,
)
from interview_followup.parsing import parse_when
from interview_followup.story import step_state

NY = "America/New_York"
US = BusinessDays("US")
SETTINGS = Settings(country="US", timezone=NY)
INTERVIEW = Interview(
    company="Northwind Traders",
    start=datetime(2027, 11, 15, 10, 0),
    tz=NY,
    interviewers=(Person("Jane Doe"), Person("Raj Patel")),
    id=1,
)
MOVED_AT = datetime(2027, 11, 20, 12, 0, tzinfo=UTC)


def plan(moves: list[Move], history: list[Change] | None = None) -> dict[tuple[str, int], Followup]:
    steps = policy.schedule(INTERVIEW, history or [], SETTINGS, US, moves=moves)
    return {(s.kind.value, s.ordinal): s for s in steps if s.kind is not Kind.THANK_YOU}


def test_without_moves_the_plan_is_the_same() -> None:
    assert policy.schedule(INTERVIEW, [], SETTINGS, US, moves=[]) == policy.schedule(
        INTERVIEW, [], SETTINGS, US
    )


def test_a_moved_follow_up_carries_the_check_ins_and_the_move_on() -> None:
    before = plan([])
    moved = plan([Move(Kind.FOLLOW_UP, "", 0, datetime(2027, 12, 2, 14, 0), MOVED_AT)])
    ny = ZoneInfo(NY)
    assert moved[("follow-up", 0)].start == datetime(2027, 12, 2, 14, 0, tzinfo=ny)
    for number in (1, 2):
        expected = business_day_on_or_after(date(2027, 12, 2) + timedelta(days=7 * number), "US")
        assert moved[("check-in", number)].start == datetime.combine(expected, time(10), ny)
        assert moved[("check-in", number)].start != before[("check-in", number)].start
    assert moved[("move-on", 0)].start == business_day_on_or_after(date(2027, 12, 23), "US")


def test_a_moved_check_in_moves_alone_unless_it_is_the_last() -> None:
    before = plan([])
    first = plan([Move(Kind.CHECK_IN, "", 1, datetime(2027, 12, 3, 16, 0), MOVED_AT)])
    assert first[("check-in", 1)].start.replace(tzinfo=None) == datetime(2027, 12, 3, 16, 0)  # type: ignore[call-arg]
    assert first[("check-in", 2)] == before[("check-in", 2)]
    assert first[("move-on", 0)] == before[("move-on", 0)]
    last = plan([Move(Kind.CHECK_IN, "", 2, datetime(2027, 12, 17, 10, 0), MOVED_AT)])
    assert last[("move-on", 0)].start == business_day_on_or_after(date(2027, 12, 24), "US")


def test_a_moved_all_day_step_and_a_wrong_shaped_move() -> None:
    moved = plan([Move(Kind.MOVE_ON, "", 0, date(2027, 12, 30), MOVED_AT)])
    assert moved[("move-on", 0)].start == date(2027, 12, 30)
    # A time for an all-day step is not a place the policy can put it: ignored.
    odd = plan([Move(Kind.MOVE_ON, "", 0, datetime(2027, 12, 30, 9, 0), MOVED_AT)])
    assert odd[("move-on", 0)] == plan([])[("move-on", 0)]


def test_a_new_promise_lets_a_move_of_the_waiting_period_lapse() -> None:
    move = Move(Kind.FOLLOW_UP, "", 0, datetime(2027, 12, 2, 14, 0), MOVED_AT)
    later = Change(ChangeType.PROMISE, MOVED_AT + timedelta(days=1), promised=date(2027, 12, 10))
    interview = INTERVIEW._replace(decision_by=date(2027, 12, 10))
    steps = policy.schedule(interview, [later], SETTINGS, US, moves=[move])
    follow_up = next(s for s in steps if s.kind is Kind.FOLLOW_UP)
    assert follow_up.start == datetime(2027, 12, 13, 10, 0, tzinfo=ZoneInfo(NY))
    earlier = later._replace(at=MOVED_AT - timedelta(days=1))
    steps = policy.schedule(interview, [earlier], SETTINGS, US, moves=[move])
    follow_up = next(s for s in steps if s.kind is Kind.FOLLOW_UP)
    assert follow_up.start == datetime(2027, 12, 2, 14, 0, tzinfo=ZoneInfo(NY))


WEDNESDAY = date(2027, 11, 17)


@pytest.mark.parametrize(
    ("text", "day", "clock"),
    [
        ("tomorrow 14:00", date(2027, 11, 18), time(14, 0)),
        ("Tomorrow  at 9:05", date(2027, 11, 18), time(9, 5)),
        ("monday", date(2027, 11, 22), None),
        ("wednesday", date(2027, 11, 24), None),
        ("in 2 business days", date(2027, 11, 19), None),
        ("in 3 business days", date(2027, 11, 22), None),
        ("in 6 business days", date(2027, 11, 26), None),  # past Thanksgiving
        ("2027-11-23T14:00", date(2027, 11, 23), time(14, 0)),
        ("2027-11-23 14:00", date(2027, 11, 23), time(14, 0)),
        ("2027-11-23", date(2027, 11, 23), None),
        ("16:30", WEDNESDAY, time(16, 30)),
    ],
)
def test_when_grammar(text: str, day: date, clock: time | None) -> None:
    assert parse_when(text, WEDNESDAY, "when", US) == (day, clock)


@pytest.mark.parametrize(
    "text", ["", "soon", "tomorrow 25:00", "tomorrow 10:61", "2027-02-30 10:00", "at", "x" * 101]
)
def test_when_grammar_refuses_naming_the_field(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_when(text, WEDNESDAY, "when", US)
    assert caught.value.field == "when"


def event(
    start: datetime | date,
    minutes: int | None = 30,
    status: str = "scheduled",
    kind: Kind = Kind.FOLLOW_UP,
) -> Event:
    end = start + timedelta(minutes=minutes) if minutes else start + timedelta(days=1)  # type: ignore[operator]
    return Event(
        uid="x@interview-followup", interview_id=1, kind=kind, who="", ordinal=0,
        summary="s", description="d", start=start, end=end, tz=NY,
        status=EventStatus(status), categories=(), alarm_minutes=None, hash="h", sequence=0,
        created_at=MOVED_AT, changed_at=MOVED_AT,
    )  # fmt: skip


def test_step_states_in_the_users_day() -> None:
    ny = ZoneInfo(NY)
    now = datetime(2027, 11, 17, 12, 0, tzinfo=ny)
    today = now.date()
    assert (
        step_state(event(datetime(2027, 11, 17, 11, 0, tzinfo=ny)), now, today, None) == "overdue"
    )
    assert step_state(event(datetime(2027, 11, 17, 11, 45, tzinfo=ny)), now, today, None) == "due"
    assert step_state(event(datetime(2027, 11, 17, 15, 0, tzinfo=ny)), now, today, None) == "due"
    assert (
        step_state(event(datetime(2027, 11, 18, 9, 0, tzinfo=ny)), now, today, None) == "scheduled"
    )
    assert step_state(event(date(2027, 11, 16), None), now, today, None) == "overdue"
    assert step_state(event(date(2027, 11, 17), None), now, today, None) == "due"
    assert step_state(event(date(2027, 11, 18), None), now, today, None) == "scheduled"
    past = datetime(2027, 11, 1, 9, 0, tzinfo=ny)
    assert step_state(event(past, status="done"), now, today, None) == "done"
    assert step_state(event(past, status="cancelled"), now, today, None) == "cancelled"


def test_days_to_notice_and_steps_a_closed_process_left_have_passed() -> None:
    ny = ZoneInfo(NY)
    now = datetime(2027, 11, 17, 12, 0, tzinfo=ny)
    today = now.date()
    decision = event(date(2027, 11, 16), None, kind=Kind.DECISION_DAY)
    assert step_state(decision, now, today, None) == "passed"
    follow_up = event(datetime(2027, 11, 16, 10, 0, tzinfo=ny))
    rejected_after = datetime(2027, 11, 16, 18, 0, tzinfo=ny)
    assert step_state(follow_up, now, today, rejected_after) == "passed"
    rejected_before = datetime(2027, 11, 15, 18, 0, tzinfo=ny)
    assert step_state(follow_up, now, today, rejected_before) == "overdue"
