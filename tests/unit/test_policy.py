"""The policy as pure functions: policy.schedule(interview, history, settings, days).

"Now" enters only through the timestamps of the history, so every test here states
its clock explicitly.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import business_day_on_or_after

from interview_followup import policy, texts
from interview_followup.config import Settings
from interview_followup.days import BusinessDays
from interview_followup.model import (
    Change,
    ChangeType,
    Channel,
    EventStatus,
    Followup,
    Interview,
    Kind,
    Person,
    Status,
)

NY = "America/New_York"
US = BusinessDays("US")
NO_COUNTRY = BusinessDays()
DEFAULTS = Settings(country="US", timezone=NY)


def make(**fields: object) -> Interview:
    base: dict[str, object] = {
        "company": "Northwind Traders",
        "role": "Data Analyst",
        "start": datetime(2027, 11, 15, 10, 0),
        "tz": NY,
        "interviewers": (Person("Jane Doe"), Person("Raj Patel")),
        "id": 1,
    }
    base.update(fields)
    return Interview(**base)  # type: ignore[arg-type]


def plan(
    interview: Interview,
    history: list[Change] | tuple[Change, ...] = (),
    settings: Settings = DEFAULTS,
    days: BusinessDays = US,
) -> list[Followup]:
    return policy.schedule(interview, list(history), settings, days)


def local(y: int, m: int, d: int, h: int = 0, mi: int = 0, tz: str = NY) -> datetime:
    """An aware instant given as wall-clock time in ``tz``, stored in UTC like the history."""
    return datetime(y, m, d, h, mi, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def timed(y: int, m: int, d: int, h: int, mi: int = 0, tz: str = NY) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=ZoneInfo(tz))


def status_at(when: datetime, status: Status, because_of: int | None = None) -> Change:
    return Change(ChangeType.STATUS, when, status=status, because_of=because_of)


def promise_at(when: datetime, day: date) -> Change:
    return Change(ChangeType.PROMISE, when, promised=day)


def done_at(when: datetime, kind: Kind, who: str | None = None) -> Change:
    return Change(ChangeType.DONE, when, kind=kind, who=who)


def kind(events: list[Followup], which: Kind) -> list[Followup]:
    return [e for e in events if e.kind is which]


def single(events: list[Followup], which: Kind) -> Followup:
    found = kind(events, which)
    assert len(found) == 1, found
    return found[0]


def starts(events: list[Followup], which: Kind) -> list[datetime | date]:
    return [e.start for e in kind(events, which)]


def instant(event: Followup, tz: str = NY) -> datetime:
    if isinstance(event.start, datetime):
        return event.start
    return datetime.combine(event.start, time(), tzinfo=ZoneInfo(tz))


# --- the worked examples ---


def test_worked_example_1_ten_business_days_skip_thanksgiving() -> None:
    events = plan(make())

    thanks = kind(events, Kind.THANK_YOU)
    assert [e.who for e in thanks] == ["Jane Doe", "Raj Patel"]
    for event in thanks:
        assert event.start == timed(2027, 11, 15, 12, 0)
        assert event.end == timed(2027, 11, 15, 12, 30)
    assert kind(events, Kind.DECISION_DAY) == []
    follow = single(events, Kind.FOLLOW_UP)
    assert follow.start == timed(2027, 11, 30, 10, 0)
    assert follow.end == timed(2027, 11, 30, 10, 15)
    assert starts(events, Kind.CHECK_IN) == [timed(2027, 12, 7, 10), timed(2027, 12, 14, 10)]
    move_on = single(events, Kind.MOVE_ON)
    assert (move_on.start, move_on.end) == (date(2027, 12, 21), date(2027, 12, 22))
    assert move_on.all_day
    assert {e.status for e in events} == {EventStatus.SCHEDULED}


def test_worked_example_2_late_interview_christmas_and_mlk_day() -> None:
    interview = make(
        company="Globex",
        role="",
        start=datetime(2027, 12, 16, 18, 30),
        interviewers=(Person("Ann Lee"),),
        decision_by=date(2027, 12, 23),
    )
    events = plan(interview)

    thank = single(events, Kind.THANK_YOU)
    assert (thank.start, thank.end) == (timed(2027, 12, 17, 9), timed(2027, 12, 17, 9, 30))
    decision = single(events, Kind.DECISION_DAY)
    assert (decision.start, decision.end) == (date(2027, 12, 23), date(2027, 12, 24))
    assert single(events, Kind.FOLLOW_UP).start == timed(2027, 12, 27, 10)
    assert starts(events, Kind.CHECK_IN) == [timed(2028, 1, 3, 10), timed(2028, 1, 10, 10)]
    assert single(events, Kind.MOVE_ON).start == date(2028, 1, 18)
    assert [e.kind for e in events] == [
        Kind.THANK_YOU,
        Kind.DECISION_DAY,
        Kind.FOLLOW_UP,
        Kind.CHECK_IN,
        Kind.CHECK_IN,
        Kind.MOVE_ON,
    ]


# --- thank-you notes ---


@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        (datetime(2027, 11, 15, 10, 0), 60, datetime(2027, 11, 15, 12, 0)),
        (datetime(2027, 11, 15, 17, 59), 60, datetime(2027, 11, 15, 19, 59)),
        # end + 1 h at exactly 20:00 is too late: next morning
        (datetime(2027, 11, 15, 18, 0), 60, datetime(2027, 11, 16, 9, 0)),
        (datetime(2027, 11, 15, 19, 0), 30, datetime(2027, 11, 16, 9, 0)),
        # before 08:00 moves to 09:00 that day; 08:00 itself stays
        (datetime(2027, 11, 15, 5, 59), 60, datetime(2027, 11, 15, 9, 0)),
        (datetime(2027, 11, 15, 6, 0), 60, datetime(2027, 11, 15, 8, 0)),
        # an interview that ends after midnight: 01:30 becomes 09:00 of that (next) day
        (datetime(2027, 11, 15, 23, 30), 60, datetime(2027, 11, 16, 9, 0)),
        (datetime(2027, 11, 15, 9, 0), 90, datetime(2027, 11, 15, 11, 30)),
    ],
)
def test_thank_you_time_rules(start: datetime, minutes: int, expected: datetime) -> None:
    events = plan(make(start=start, duration=minutes, interviewers=(Person("Jane Doe"),)))
    thank = single(events, Kind.THANK_YOU)
    assert thank.start == expected.replace(tzinfo=ZoneInfo(NY))
    assert thank.end == (expected + timedelta(minutes=30)).replace(tzinfo=ZoneInfo(NY))
    assert policy.thank_you_time(start + timedelta(minutes=minutes), DEFAULTS) == expected


def test_thank_you_text_states_the_deadline_end_plus_24_hours() -> None:
    thank = kind(plan(make()), Kind.THANK_YOU)[0]
    assert "Send it by Tue 16 Nov 2027 at 11:00" in thank.description
    assert "Jane Doe" in thank.summary and "Northwind Traders" in thank.summary
    assert "Dear Jane Doe," in thank.description


def test_thank_you_within_setting_moves_the_stated_deadline() -> None:
    thank = kind(plan(make(), settings=DEFAULTS._replace(thank_you_within=48 * 60)), Kind.THANK_YOU)
    assert "Send it by Wed 17 Nov 2027 at 11:00" in thank[0].description


def test_thank_you_after_setting_moves_the_note() -> None:
    events = plan(make(), settings=DEFAULTS._replace(thank_you_after=150))
    assert starts(events, Kind.THANK_YOU) == [timed(2027, 11, 15, 13, 30)] * 2


def test_one_thank_you_per_interviewer_even_with_the_same_name() -> None:
    people = (Person("Jane Doe"), Person("jane doe"), Person(email="raj@example.com"))
    thanks = kind(plan(make(interviewers=people)), Kind.THANK_YOU)
    assert [(e.who, e.ordinal) for e in thanks] == [
        ("Jane Doe", 0),
        ("jane doe", 1),
        ("raj@example.com", 0),
    ]
    assert len({e.key for e in thanks}) == 3


def test_a_nameless_thank_you_when_no_interviewer_was_given() -> None:
    thank = single(plan(make(interviewers=())), Kind.THANK_YOU)
    assert thank.who == ""
    assert "your interviewer" in thank.summary
    assert "Hello," in thank.description


# --- decision day and follow-up ---


def test_decision_day_all_day_on_the_promised_date() -> None:
    events = plan(make(decision_by=date(2027, 11, 19)))
    decision = single(events, Kind.DECISION_DAY)
    assert (decision.start, decision.end) == (date(2027, 11, 19), date(2027, 11, 20))
    text = decision.description.lower()
    assert "inbox" in text and "spam" in text
    assert "Mon 22 Nov 2027 at 10:00" in decision.description  # when to follow up


@pytest.mark.parametrize(
    ("decision", "expected"),
    [
        (date(2027, 11, 17), date(2027, 11, 18)),  # Wed -> Thu
        (date(2027, 11, 19), date(2027, 11, 22)),  # Fri -> Mon
        (date(2027, 11, 24), date(2027, 11, 26)),  # Wed -> Fri, Thanksgiving skipped
        (date(2027, 11, 20), date(2027, 11, 22)),  # a Saturday -> Mon
    ],
)
def test_follow_up_with_a_date_is_the_next_business_day_at_ten(
    decision: date, expected: date
) -> None:
    follow = single(plan(make(decision_by=decision)), Kind.FOLLOW_UP)
    assert follow.start == datetime.combine(expected, time(10), tzinfo=ZoneInfo(NY))
    assert follow.end - follow.start == timedelta(minutes=15)  # type: ignore[operator]


def test_follow_up_without_a_date_counts_business_days_from_the_interview() -> None:
    assert single(plan(make()), Kind.FOLLOW_UP).start == timed(2027, 11, 30, 10)
    # No country: only weekends are skipped, so Thanksgiving counts.
    events = plan(make(), settings=DEFAULTS._replace(country=""), days=NO_COUNTRY)
    assert single(events, Kind.FOLLOW_UP).start == timed(2027, 11, 29, 10)


def test_no_date_wait_and_follow_up_time_settings() -> None:
    settings = DEFAULTS._replace(no_date_wait_business_days=3, follow_up_time=time(9, 30))
    events = plan(make(), settings=settings)
    assert single(events, Kind.FOLLOW_UP).start == timed(2027, 11, 18, 9, 30)
    assert starts(events, Kind.CHECK_IN) == [timed(2027, 11, 26, 9, 30), timed(2027, 12, 2, 9, 30)]


@pytest.mark.parametrize(
    ("wait", "words"), [(10, "two weeks have passed"), (5, "5 business days have passed")]
)
def test_follow_up_text_says_how_long_you_waited(wait: int, words: str) -> None:
    settings = DEFAULTS._replace(no_date_wait_business_days=wait)
    follow = single(plan(make(), settings=settings), Kind.FOLLOW_UP)
    assert words in follow.description
    assert ("two weeks" in follow.description) == (wait == 10)


def test_follow_up_text_for_a_phone_contact() -> None:
    interview = make(
        contact=Person("Sam Recruiter", "sam@northwind.example"),
        phone="+1 555 010 2030",
        posting_url="https://jobs.northwind.example/analyst",
    )
    follow = single(plan(interview), Kind.FOLLOW_UP)
    assert follow.summary == "Follow up with Northwind Traders: call Sam Recruiter"
    text = follow.description
    for needed in (
        "Call Sam Recruiter",
        "Contact: Sam Recruiter",
        "Phone: +1 555 010 2030",
        "Email: sam@northwind.example",
        "Mon 15 Nov 2027",
        "Data Analyst",
        "still very interested",
        "https://jobs.northwind.example/analyst",
        "still open",
    ):
        assert needed in text, needed


def test_follow_up_text_by_email_without_a_posting() -> None:
    interview = make(
        contact=Person("Sam", "sam@northwind.example"),
        phone="+1 555 010 2030",
        channel=Channel.EMAIL,
    )
    events = plan(interview)
    follow = single(events, Kind.FOLLOW_UP)
    assert follow.summary.endswith("email Sam")
    assert "Email Sam" in follow.description
    assert "posting" not in follow.description
    check = kind(events, Kind.CHECK_IN)[0]
    assert "Email Sam" in check.description and "Phone: +1 555 010 2030" in check.description
    assert "(1 of 2)" in check.summary


def test_follow_up_goes_to_the_first_interviewer_when_no_contact() -> None:
    follow = single(plan(make()), Kind.FOLLOW_UP)
    assert "Jane Doe" in follow.summary


# --- check-ins and move-on ---


def test_check_ins_count_from_the_unshifted_base() -> None:
    # Decision Fri 2028-01-07 -> follow-up Mon 01-10. Base 1 is MLK Day (01-17) -> 01-18;
    # base 2 is 01-24, not 01-25: the holiday does not drift the next check-in.
    events = plan(make(start=datetime(2028, 1, 5, 10), decision_by=date(2028, 1, 7)))
    assert single(events, Kind.FOLLOW_UP).start == timed(2028, 1, 10, 10)
    assert starts(events, Kind.CHECK_IN) == [timed(2028, 1, 18, 10), timed(2028, 1, 24, 10)]
    assert single(events, Kind.MOVE_ON).start == date(2028, 1, 31)


@pytest.mark.parametrize("count", [0, 1, 3, 4])
def test_check_ins_setting(count: int) -> None:
    events = plan(make(), settings=DEFAULTS._replace(check_ins=count))
    checks = kind(events, Kind.CHECK_IN)
    assert [e.ordinal for e in checks] == list(range(1, count + 1))
    follow_day = date(2027, 11, 30)
    for number, event in enumerate(checks, 1):
        base = follow_day + timedelta(days=7 * number)
        assert isinstance(event.start, datetime)
        assert event.start.date() == business_day_on_or_after(base, "US")
        assert f"({number} of {count})" in event.summary
    last_base = follow_day + timedelta(days=7 * count)
    move_on_day = business_day_on_or_after(last_base + timedelta(days=7), "US")
    assert single(events, Kind.MOVE_ON).start == move_on_day


def test_move_on_text_says_to_file_the_contact_away() -> None:
    move_on = single(plan(make()), Kind.MOVE_ON)
    assert "move on" in move_on.summary.lower()
    assert "File the contact details away" in move_on.description


def test_events_are_in_time_order_and_categorised() -> None:
    events = plan(make(decision_by=date(2027, 11, 19)))
    moments = [instant(e) for e in events]
    assert moments == sorted(moments)
    for event in events:
        assert event.categories == ("Job search", event.kind.value)


# --- DST: events are wall-clock times in tz ---


@pytest.mark.parametrize(
    ("tz", "start", "before", "after"),
    [
        # US spring forward Sun 2027-03-14
        (NY, datetime(2027, 3, 12, 10), "-05:00", "-04:00"),
        # US fall back Sun 2027-11-07
        (NY, datetime(2027, 11, 5, 10), "-04:00", "-05:00"),
        # EU spring forward Sun 2027-03-28
        ("Europe/Berlin", datetime(2027, 3, 26, 10), "+01:00", "+02:00"),
        # EU fall back Sun 2027-10-31
        ("Europe/Berlin", datetime(2027, 10, 29, 10), "+02:00", "+01:00"),
    ],
)
def test_dst_switch_keeps_wall_clock_times(
    tz: str, start: datetime, before: str, after: str
) -> None:
    events = plan(make(start=start, tz=tz), days=NO_COUNTRY)
    thank = kind(events, Kind.THANK_YOU)[0]
    follow = single(events, Kind.FOLLOW_UP)
    assert thank.start.isoformat() == f"{start.date()}T12:00:00{before}"
    assert isinstance(follow.start, datetime)
    assert follow.start.isoformat().endswith(f"T10:00:00{after}")
    for check in kind(events, Kind.CHECK_IN):
        assert check.start.isoformat().endswith(f"T10:00:00{after}")


# --- a revised promise ---


LOGGED = local(2027, 11, 15, 11)


def test_revised_promise_is_mid_afternoon_on_the_new_date() -> None:
    # Promised by Fri 11-19; on Mon 11-22 they answer with a new date, Thu 12-02.
    interview = make(decision_by=date(2027, 12, 2))
    history = [
        promise_at(LOGGED, date(2027, 11, 19)),
        promise_at(local(2027, 11, 22, 11), date(2027, 12, 2)),
    ]
    events = plan(interview, history)
    follow = single(events, Kind.FOLLOW_UP)
    assert follow.start == timed(2027, 12, 2, 15)
    assert "mid-afternoon" in follow.description
    assert starts(events, Kind.CHECK_IN) == [timed(2027, 12, 9, 10), timed(2027, 12, 16, 10)]
    assert single(events, Kind.MOVE_ON).start == date(2027, 12, 23)
    assert single(events, Kind.DECISION_DAY).start == date(2027, 12, 2)


def test_revised_promise_on_a_holiday_moves_to_the_next_business_day() -> None:
    interview = make(decision_by=date(2027, 11, 25))  # Thanksgiving
    history = [
        promise_at(LOGGED, date(2027, 11, 17)),
        promise_at(local(2027, 11, 18, 9), date(2027, 11, 25)),
    ]
    events = plan(interview, history)
    assert single(events, Kind.FOLLOW_UP).start == timed(2027, 11, 26, 15)
    # check-ins count from the follow-up day 11-26
    assert starts(events, Kind.CHECK_IN) == [timed(2027, 12, 3, 10), timed(2027, 12, 10, 10)]


@pytest.mark.parametrize(
    "answered",
    [
        local(2027, 11, 18, 9),  # before the promised Fri 11-19
        local(2027, 11, 19, 23, 59),  # on that day itself: not yet passed
    ],
)
def test_promise_before_the_old_date_passed_is_not_revised(answered: datetime) -> None:
    interview = make(decision_by=date(2027, 12, 2))
    history = [promise_at(LOGGED, date(2027, 11, 19)), promise_at(answered, date(2027, 12, 2))]
    follow = single(plan(interview, history), Kind.FOLLOW_UP)
    assert follow.start == timed(2027, 12, 3, 10)


def test_first_promise_for_an_interview_without_a_date_is_not_revised() -> None:
    interview = make(decision_by=date(2027, 12, 2))
    history = [promise_at(local(2027, 12, 1, 9), date(2027, 12, 2))]
    assert single(plan(interview, history), Kind.FOLLOW_UP).start == timed(2027, 12, 3, 10)


def test_promise_is_revised_uses_the_interview_zone_for_today() -> None:
    # 02:00 UTC on 11-20 is still 11-19 in New York: the promised day has not passed.
    history = [
        promise_at(LOGGED, date(2027, 11, 19)),
        promise_at(datetime(2027, 11, 20, 2, 0, tzinfo=UTC), date(2027, 12, 2)),
    ]
    assert not policy.promise_is_revised(history, ZoneInfo(NY))
    assert policy.promise_is_revised(history, ZoneInfo("Europe/Berlin"))


def test_done_follow_up_does_not_carry_over_to_a_revised_follow_up() -> None:
    """They answered your follow-up with a new date: the new follow-up is still to do."""
    interview = make(decision_by=date(2027, 12, 2))
    history = [
        promise_at(LOGGED, date(2027, 11, 19)),
        done_at(local(2027, 11, 22, 10, 30), Kind.FOLLOW_UP),
        promise_at(local(2027, 11, 22, 11), date(2027, 12, 2)),
    ]
    follow = single(plan(interview, history), Kind.FOLLOW_UP)
    assert follow.start == timed(2027, 12, 2, 15)
    assert follow.status is EventStatus.SCHEDULED
    assert not follow.summary.startswith(texts.DONE_MARK)
    # A thank-you marked done before the new promise stays done.
    history.insert(1, done_at(local(2027, 11, 15, 13), Kind.THANK_YOU))
    thanks = kind(plan(interview, history), Kind.THANK_YOU)
    assert {e.status for e in thanks} == {EventStatus.DONE}


# --- status changes ---

HEARD_AT = local(2027, 11, 20, 12)  # after the thank-yous, before the follow-up


@pytest.mark.parametrize("status", [Status.HEARD, Status.NEXT_ROUND, Status.OFFER, Status.ACCEPTED])
def test_closing_status_cancels_future_events_except_thank_you(status: Status) -> None:
    interview = make()
    baseline = plan(interview)
    # The change comes before the thank-yous: they still stay.
    events = plan(interview, [status_at(local(2027, 11, 15, 11, 30), status)])
    assert [e.key for e in events] == [e.key for e in baseline]
    for event in events:
        expected = EventStatus.SCHEDULED if event.kind is Kind.THANK_YOU else EventStatus.CANCELLED
        assert event.status is expected, event.kind
    assert kind(events, Kind.STAY_IN_TOUCH) == [] and kind(events, Kind.WITHDRAW) == []


def test_status_change_never_touches_past_events() -> None:
    interview = make()
    baseline = plan(interview)
    changed_at = local(2027, 12, 8, 9)  # after the follow-up and check-in 1
    events = plan(interview, [status_at(changed_at, Status.HEARD)])
    for old, new in zip(baseline, events, strict=True):
        if instant(old) <= changed_at:
            assert new == old
        else:
            assert new.status is EventStatus.CANCELLED
            assert new._replace(status=EventStatus.SCHEDULED) == old


def test_rejected_adds_stay_in_touch_two_business_days_later() -> None:
    # 03:00 UTC Sat 11-20 is Fri 11-19 22:00 in New York: today is Friday.
    rejected_at = datetime(2027, 11, 20, 3, 0, tzinfo=UTC)
    events = plan(make(), [status_at(rejected_at, Status.REJECTED)])
    stay = single(events, Kind.STAY_IN_TOUCH)
    assert stay.start == timed(2027, 11, 23, 10)
    assert stay.end == timed(2027, 11, 23, 10, 15)
    assert stay.status is EventStatus.SCHEDULED
    text = stay.description
    assert "LinkedIn" in text and "keep you in mind" in text
    others = [e for e in events if e.kind not in (Kind.THANK_YOU, Kind.STAY_IN_TOUCH)]
    assert others and {e.status for e in others} == {EventStatus.CANCELLED}
    assert {e.status for e in kind(events, Kind.THANK_YOU)} == {EventStatus.SCHEDULED}


def test_rejected_stay_in_touch_skips_holidays() -> None:
    rejected_at = local(2027, 11, 24, 15)  # Wed before Thanksgiving
    stay = single(plan(make(), [status_at(rejected_at, Status.REJECTED)]), Kind.STAY_IN_TOUCH)
    assert stay.start == timed(2027, 11, 29, 10)  # Thu is a holiday: Fri, then Mon


def test_withdrawn_cancels_everything_ahead_including_thank_you() -> None:
    events = plan(make(), [status_at(local(2027, 11, 15, 11, 30), Status.WITHDRAWN)])
    assert {e.status for e in events} == {EventStatus.CANCELLED}
    assert kind(events, Kind.WITHDRAW) == []


def test_withdrawn_because_of_an_acceptance_adds_a_withdraw_note() -> None:
    interview = make(
        tz="Asia/Tokyo",
        start=datetime(2027, 11, 15, 10),
        contact=Person("Sam Recruiter", "sam@northwind.example"),
        phone="+81 3 1234 5678",
    )
    # 16:00 UTC Fri 11-19 is already Sat 11-20 01:00 in Tokyo: next business day is Mon 11-22.
    when = datetime(2027, 11, 19, 16, 0, tzinfo=UTC)
    events = plan(interview, [status_at(when, Status.WITHDRAWN, because_of=7)])
    note = single(events, Kind.WITHDRAW)
    assert note.start == timed(2027, 11, 22, 10, tz="Asia/Tokyo")
    assert note.end == timed(2027, 11, 22, 10, 15, tz="Asia/Tokyo")
    assert note.status is EventStatus.SCHEDULED
    for name in ("Sam Recruiter <sam@northwind.example>", "Jane Doe", "Raj Patel"):
        assert name in note.description
    assert "+81 3 1234 5678" in note.description
    assert "accepted" in note.summary
    others = [e for e in events if e.kind is not Kind.WITHDRAW and instant(e) > when]
    assert others and {e.status for e in others} == {EventStatus.CANCELLED}


def test_waiting_reopens_the_future_schedule() -> None:
    interview = make()
    baseline = plan(interview)
    history = [
        status_at(HEARD_AT, Status.HEARD),
        status_at(local(2027, 11, 21, 12), Status.WAITING),
    ]
    assert plan(interview, history) == baseline


def test_reopen_keeps_events_that_passed_while_closed_cancelled() -> None:
    """Past events are history: a reopen brings back only what still lies ahead."""
    interview = make()
    baseline = plan(interview)
    reopened = local(2027, 12, 10, 12)  # follow-up 11-30 and check-in 12-07 passed meanwhile
    history = [status_at(HEARD_AT, Status.HEARD), status_at(reopened, Status.WAITING)]
    events = plan(interview, history)
    for old, new in zip(baseline, events, strict=True):
        if instant(old) <= HEARD_AT:
            assert new.status is EventStatus.SCHEDULED, new.kind
        elif instant(old) <= reopened:
            assert new.status is EventStatus.CANCELLED, new.kind
        else:
            assert new == old


def test_reopen_after_rejection_drops_the_stay_in_touch_ahead() -> None:
    interview = make()
    history = [
        status_at(HEARD_AT, Status.REJECTED),
        status_at(local(2027, 11, 21, 12), Status.WAITING),
    ]
    events = plan(interview, history)
    assert single(events, Kind.STAY_IN_TOUCH).status is EventStatus.CANCELLED
    assert single(events, Kind.FOLLOW_UP).status is EventStatus.SCHEDULED
    # Rejected again later: the same stay-in-touch step moves and is scheduled again.
    history.append(status_at(local(2027, 12, 1, 12), Status.REJECTED))
    events = plan(interview, history)
    stay = single(events, Kind.STAY_IN_TOUCH)
    assert stay.status is EventStatus.SCHEDULED
    assert stay.start == timed(2027, 12, 3, 10)


# --- done ---


def test_done_marks_title_and_keeps_check_ins() -> None:
    interview = make()
    events = plan(interview, [done_at(local(2027, 11, 30, 10, 5), Kind.FOLLOW_UP)])
    follow = single(events, Kind.FOLLOW_UP)
    assert follow.status is EventStatus.DONE
    assert follow.summary.startswith(texts.DONE_MARK)
    assert (
        follow.summary.removeprefix(texts.DONE_MARK)
        == single(plan(interview), Kind.FOLLOW_UP).summary
    )
    assert {e.status for e in kind(events, Kind.CHECK_IN)} == {EventStatus.SCHEDULED}


def test_done_for_one_interviewer_only() -> None:
    events = plan(make(), [done_at(local(2027, 11, 15, 13), Kind.THANK_YOU, "raj patel")])
    statuses = {e.who: e.status for e in kind(events, Kind.THANK_YOU)}
    assert statuses == {"Jane Doe": EventStatus.SCHEDULED, "Raj Patel": EventStatus.DONE}


def test_done_events_survive_a_later_cancel() -> None:
    history = [
        done_at(local(2027, 11, 16, 9), Kind.CHECK_IN),
        status_at(HEARD_AT, Status.WITHDRAWN),
    ]
    events = plan(make(), history)
    assert {e.status for e in kind(events, Kind.CHECK_IN)} == {EventStatus.DONE}
    assert single(events, Kind.FOLLOW_UP).status is EventStatus.CANCELLED


# --- purity ---


def test_schedule_is_deterministic_and_ignores_history_order() -> None:
    interview = make(decision_by=date(2027, 11, 19))
    history = [
        promise_at(LOGGED, date(2027, 11, 19)),
        done_at(local(2027, 11, 15, 13), Kind.THANK_YOU, "Jane Doe"),
        status_at(HEARD_AT, Status.REJECTED),
        status_at(local(2027, 11, 29, 9), Status.WAITING),
    ]
    expected = plan(interview, history)
    shuffled = list(history)
    random.Random(4).shuffle(shuffled)
    assert plan(interview, shuffled) == expected
    assert plan(interview, history) == expected
