"""Properties of policy.schedule over random valid interviews (hypothesis).

The expectations are computed from the policy text with an independent business-day
oracle built on the holidays package (conftest), not with days.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from conftest import (
    add_business_days,
    business_day_on_or_after,
    is_business_day,
    next_business_day,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from interview_followup import policy
from interview_followup.config import Settings
from interview_followup.days import BusinessDays
from interview_followup.model import (
    Change,
    ChangeType,
    EventStatus,
    Followup,
    Interview,
    Kind,
    Person,
    Status,
)

ZONES = [
    "America/New_York",
    "America/Los_Angeles",
    "Europe/Berlin",
    "Europe/London",
    "Asia/Tokyo",
    "Australia/Sydney",
    "UTC",
]
REGIONS = [("", ""), ("US", ""), ("US", "CA"), ("DE", "BY"), ("GB", "")]
PROPERTY_SETTINGS = settings(max_examples=100, deadline=None)


@dataclass(frozen=True)
class Case:
    interview: Interview
    settings: Settings

    @property
    def region(self) -> tuple[str, str]:
        return self.settings.country, self.settings.subdivision

    @property
    def days(self) -> BusinessDays:
        return BusinessDays(*self.region)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.interview.tz)

    def schedule(self, history: list[Change] | None = None) -> list[Followup]:
        return policy.schedule(self.interview, history or [], self.settings, self.days)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    day = draw(st.dates(date(2026, 1, 1), date(2030, 12, 31)))
    start = datetime.combine(
        day, time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30, 45, 59])))
    )
    decision = draw(st.none() | st.integers(0, 30).map(lambda n: day + timedelta(days=n)))
    people = tuple(Person(f"Person {n}") for n in range(draw(st.integers(0, 3))))
    country, subdivision = draw(st.sampled_from(REGIONS))
    interview = Interview(
        company="Acme",
        role="Engineer",
        start=start,
        tz=draw(st.sampled_from(ZONES)),
        duration=draw(st.integers(5, 240)),
        interviewers=people,
        decision_by=decision,
        id=draw(st.integers(1, 50)),
    )
    config = Settings(
        country=country,
        subdivision=subdivision,
        check_ins=draw(st.integers(0, 4)),
        follow_up_time=draw(st.sampled_from([time(10), time(9, 30), time(14, 0)])),
        thank_you_after=draw(st.sampled_from([30, 60, 120])),
        no_date_wait_business_days=draw(st.sampled_from([5, 10])),
    )
    return Case(interview, config)


def instant(event: Followup, tz: ZoneInfo) -> datetime:
    if isinstance(event.start, datetime):
        return event.start
    return datetime.combine(event.start, time(), tzinfo=tz)


def local_wall(moment: datetime | date, tz: ZoneInfo) -> datetime:
    assert isinstance(moment, datetime)
    wall = moment.astimezone(tz)
    # The event is written in its zone at exactly that wall time.
    assert moment.utcoffset() == wall.utcoffset()
    assert wall.replace(tzinfo=None).replace(tzinfo=tz) == moment
    return wall


def of(events: list[Followup], kind: Kind) -> list[Followup]:
    return [e for e in events if e.kind is kind]


def expected_thank_you(case: Case) -> datetime:
    end = case.interview.start + timedelta(minutes=case.interview.duration)
    moment = end + timedelta(minutes=case.settings.thank_you_after)
    if moment.time() >= time(20):
        return datetime.combine(moment.date() + timedelta(days=1), time(9))
    if moment.time() < time(8):
        return datetime.combine(moment.date(), time(9))
    return moment


def expected_follow_up_day(case: Case) -> date:
    decision = case.interview.decision_by
    if decision is None:
        return add_business_days(
            case.interview.start.date(), case.settings.no_date_wait_business_days, *case.region
        )
    return next_business_day(decision, *case.region)


@PROPERTY_SETTINGS
@given(cases())
def test_schedule_follows_the_policy(case: Case) -> None:
    tz, region, config = case.tz, case.region, case.settings
    events = case.schedule()

    moments = [instant(e, tz) for e in events]
    assert moments == sorted(moments)
    assert {e.status for e in events} == {EventStatus.SCHEDULED}
    assert len({e.key for e in events}) == len(events)

    # thank-you: one per interviewer, at end + thank_you_after within waking hours
    thanks = of(events, Kind.THANK_YOU)
    assert len(thanks) == max(1, len(case.interview.interviewers))
    end = case.interview.start + timedelta(minutes=case.interview.duration)
    deadline = end + timedelta(minutes=config.thank_you_within)
    for thank in thanks:
        wall = local_wall(thank.start, tz).replace(tzinfo=None)
        assert wall == expected_thank_you(case)
        assert time(8) <= wall.time() < time(20)
        assert end <= wall <= deadline
        assert thank.end - thank.start == timedelta(minutes=30)  # type: ignore[operator]

    # decision day
    decisions = of(events, Kind.DECISION_DAY)
    if case.interview.decision_by is None:
        assert decisions == []
    else:
        (decision,) = decisions
        assert decision.all_day
        assert decision.start == case.interview.decision_by
        assert decision.end == case.interview.decision_by + timedelta(days=1)

    # follow-up: a business day at the configured time, after the decision date
    (follow,) = of(events, Kind.FOLLOW_UP)
    follow_wall = local_wall(follow.start, tz)
    assert follow_wall.time() == config.follow_up_time
    assert follow_wall.date() == expected_follow_up_day(case)
    assert is_business_day(follow_wall.date(), *region)
    if case.interview.decision_by is not None:
        assert follow_wall.date() > case.interview.decision_by
    else:
        assert follow_wall.date() > case.interview.start.date()

    # check-ins: weekly from the unshifted base, on business days at the configured time
    checks = of(events, Kind.CHECK_IN)
    assert [c.ordinal for c in checks] == list(range(1, config.check_ins + 1))
    previous = follow_wall.date()
    for check in checks:
        wall = local_wall(check.start, tz)
        base = follow_wall.date() + timedelta(days=7 * check.ordinal)
        assert wall.date() == business_day_on_or_after(base, *region)
        assert wall.time() == config.follow_up_time
        assert is_business_day(wall.date(), *region)
        assert wall.date() > previous
        previous = wall.date()

    # move-on: all day, a business day a week after the last base
    (move_on,) = of(events, Kind.MOVE_ON)
    assert move_on.all_day
    last_base = follow_wall.date() + timedelta(days=7 * config.check_ins)
    assert move_on.start == business_day_on_or_after(last_base + timedelta(days=7), *region)
    assert move_on.start > previous

    # pure: the same inputs give the same plan
    assert case.schedule() == events


@st.composite
def status_changes(draw: st.DrawFn) -> tuple[Case, Change]:
    case = draw(cases())
    start = case.interview.start.replace(tzinfo=case.tz).astimezone(UTC)
    at = start + timedelta(minutes=draw(st.integers(-24 * 60, 60 * 24 * 60)))
    status = draw(st.sampled_from(list(Status)))
    because_of = draw(st.none() | st.just(99)) if status is Status.WITHDRAWN else None
    return case, Change(ChangeType.STATUS, at, status=status, because_of=because_of)


@PROPERTY_SETTINGS
@given(status_changes())
def test_a_status_change_keeps_the_past_and_follows_the_table(
    drawn: tuple[Case, Change],
) -> None:
    case, change = drawn
    tz, region = case.tz, case.region
    baseline = case.schedule()
    events = case.schedule([change])
    status = change.status
    base_keys = {e.key for e in baseline}
    old = {e.key: e for e in baseline}

    for event in events:
        if event.key not in base_keys:
            continue
        before = old[event.key]
        if instant(before, tz) <= change.at:
            assert event == before, "a past event changed"
        elif status is Status.WAITING:
            assert event == before
        elif status is Status.WITHDRAWN:
            assert event.status is EventStatus.CANCELLED
        elif event.kind is Kind.THANK_YOU:
            assert event == before
        else:
            assert event.status is EventStatus.CANCELLED
            assert event._replace(status=EventStatus.SCHEDULED) == before

    today = change.at.astimezone(tz).date()
    extras = [e for e in events if e.key not in base_keys]
    if status is Status.REJECTED:
        (stay,) = extras
        assert stay.kind is Kind.STAY_IN_TOUCH and stay.status is EventStatus.SCHEDULED
        wall = local_wall(stay.start, tz)
        # Counted from today, or from the interview's end when that is still ahead.
        end = case.interview.start + timedelta(minutes=case.interview.duration)
        assert wall.date() == add_business_days(max(today, end.date()), 2, *region)
        assert wall.time() == case.settings.follow_up_time
    elif status is Status.WITHDRAWN and change.because_of is not None:
        (note,) = extras
        assert note.kind is Kind.WITHDRAW and note.status is EventStatus.SCHEDULED
        wall = local_wall(note.start, tz)
        assert wall.date() == next_business_day(today, *region)
        assert wall.time() == case.settings.follow_up_time
    else:
        assert extras == []


@PROPERTY_SETTINGS
@given(cases(), st.integers(-24 * 60, 40 * 24 * 60), st.integers(0, 40 * 24 * 60))
def test_reopening_brings_back_only_what_is_still_ahead(
    case: Case, closed_after: int, reopened_after: int
) -> None:
    tz = case.tz
    start = case.interview.start.replace(tzinfo=tz).astimezone(UTC)
    closed = start + timedelta(minutes=closed_after)
    reopened = closed + timedelta(minutes=reopened_after)
    history = [
        Change(ChangeType.STATUS, closed, status=Status.HEARD),
        Change(ChangeType.STATUS, reopened, status=Status.WAITING),
    ]
    baseline = case.schedule()
    events = case.schedule(history)
    assert [e.key for e in events] == [e.key for e in baseline]
    for before, after in zip(baseline, events, strict=True):
        moment = instant(before, tz)
        if moment <= closed or moment > reopened or before.kind is Kind.THANK_YOU:
            assert after == before
        else:
            assert after.status is EventStatus.CANCELLED
