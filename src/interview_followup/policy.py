"""The rules of the follow-up policy: (interview, history, settings) -> the plan.

Pure: no clock and no I/O. "Now" enters only through the timestamps of the history,
so the same inputs always give the same plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from . import links, texts
from .config import Settings
from .days import BusinessDays
from .model import (
    Change,
    ChangeType,
    Channel,
    EventStatus,
    Followup,
    Interview,
    Kind,
    Move,
    Person,
    Status,
)
from .timezones import starts_at, zone

LATEST_THANK_YOU = time(20, 0)
EARLIEST_THANK_YOU = time(8, 0)
MORNING = time(9, 0)
THANK_YOU_MINUTES = 30
SHORT_MINUTES = 15
CATEGORY = "Job search"

# Statuses that close the waiting period but keep the thank-you notes.
_CLOSING = frozenset(
    {Status.HEARD, Status.NEXT_ROUND, Status.OFFER, Status.REJECTED, Status.ACCEPTED}
)
_EXTRA_KINDS = frozenset({Kind.STAY_IN_TOUCH, Kind.WITHDRAW})
# The steps of the waiting period, which a new promise moves.
_PROMISED_KINDS = frozenset({Kind.DECISION_DAY, Kind.FOLLOW_UP, Kind.CHECK_IN, Kind.MOVE_ON})


@dataclass(frozen=True)
class _Draft:
    kind: Kind
    who: str
    ordinal: int
    start: datetime | date
    minutes: int | None  # None for an all-day event
    words: tuple[str, str]
    skipped: tuple[tuple[date, str], ...] = ()  # holidays its count of days stepped over


# Where the user moved steps, by (kind, person, ordinal).
_Placed = dict[tuple[Kind, str, int], datetime | date]


def _holding_moves(moves: Iterable[Move], history: Sequence[Change]) -> _Placed:
    """The moves that still hold: like a done mark, a move of a waiting-period step
    lapses when a new promise moves that period."""
    promised = [c.at for c in history if c.type is ChangeType.PROMISE]
    return {
        (m.kind, m.who.casefold(), m.ordinal): m.to
        for m in moves
        if not (m.kind in _PROMISED_KINDS and promised and m.at < promised[-1])
    }


def _place(draft: _Draft, placed: _Placed) -> _Draft:
    """The draft where the user moved it, if they did (a day for an all-day step)."""
    to = placed.get((draft.kind, draft.who.casefold(), draft.ordinal))
    if to is None or isinstance(to, datetime) != (draft.minutes is not None):
        return draft
    return replace(draft, start=to)


def thank_you_time(end: datetime, settings: Settings) -> datetime:
    """End + thank_you_after, kept within waking hours (wall clock, naive)."""
    moment = end + timedelta(minutes=settings.thank_you_after)
    if moment.time() >= LATEST_THANK_YOU:
        return datetime.combine(moment.date() + timedelta(days=1), MORNING)
    if moment.time() < EARLIEST_THANK_YOU:
        return datetime.combine(moment.date(), MORNING)
    return moment


def promise_is_revised(history: Sequence[Change], tz: ZoneInfo) -> bool:
    """True when the latest promise came after the previous promised date had passed."""
    promises = [c for c in history if c.type is ChangeType.PROMISE]
    if len(promises) < 2:
        return False
    previous, latest = promises[-2], promises[-1]
    return previous.promised is not None and previous.promised < latest.at.astimezone(tz).date()


def follow_up_day(
    interview: Interview, revised: bool, settings: Settings, days: BusinessDays
) -> tuple[date, time]:
    if interview.decision_by is None:
        return days.add(
            interview.start.date(), settings.no_date_wait_business_days
        ), settings.follow_up_time
    if revised:
        return days.on_or_after(interview.decision_by), settings.revised_follow_up_time
    return days.next_bd(interview.decision_by), settings.follow_up_time


def _base_schedule(
    interview: Interview,
    history: Sequence[Change],
    settings: Settings,
    days: BusinessDays,
    placed: _Placed,
) -> list[_Draft]:
    tz = zone(interview.tz)
    interview_day = interview.start.date()
    end = interview.start + timedelta(minutes=interview.duration)
    drafts: list[_Draft] = []

    thank_at = thank_you_time(end, settings)
    deadline = end + timedelta(minutes=settings.thank_you_within)
    seen: dict[str, int] = {}
    for person in interview.interviewers or (Person(),):
        who = person.name or person.email
        index = seen.get(who.casefold(), 0)
        seen[who.casefold()] = index + 1
        words = texts.thank_you(
            interview, person, interview_day, deadline, settings.timezone, settings.name
        )
        drafts.append(_Draft(Kind.THANK_YOU, who, index, thank_at, THANK_YOU_MINUTES, words))

    revised = promise_is_revised(history, tz)
    fu_day, fu_time = follow_up_day(interview, revised, settings, days)
    fu_at = datetime.combine(fu_day, fu_time)
    scheduled_fu_day = fu_day
    moved = placed.get((Kind.FOLLOW_UP, "", 0))
    if isinstance(moved, datetime):  # the check-ins and the move-on count from it
        fu_at, fu_day = moved, moved.date()
    if interview.decision_by is None:
        counted_from = interview_day + timedelta(days=1)
    else:
        counted_from = interview.decision_by + timedelta(days=0 if revised else 1)
    if interview.decision_by is not None:
        words = texts.decision_day(interview, interview.decision_by, fu_at, settings.timezone)
        drafts.append(_Draft(Kind.DECISION_DAY, "", 0, interview.decision_by, None, words))
    words = texts.follow_up(
        interview,
        interview_day,
        interview.decision_by,
        revised,
        settings.no_date_wait_business_days,
        settings.name,
    )
    skipped = tuple(days.holidays_in(counted_from, scheduled_fu_day))
    drafts.append(_Draft(Kind.FOLLOW_UP, "", 0, fu_at, SHORT_MINUTES, words, skipped))

    base = fu_day
    for number in range(1, settings.check_ins + 1):
        base = fu_day + timedelta(days=7 * number)  # unshifted, so holidays cause no drift
        day = days.on_or_after(base)
        at = datetime.combine(day, settings.follow_up_time)
        words = texts.check_in(interview, interview_day, number, settings.check_ins, settings.name)
        skipped = tuple(days.holidays_in(base, day))
        drafts.append(_Draft(Kind.CHECK_IN, "", number, at, SHORT_MINUTES, words, skipped))
    last = placed.get((Kind.CHECK_IN, "", settings.check_ins))
    if settings.check_ins and isinstance(last, datetime):
        base = last.date()  # the move-on counts from the last check-in, where it was moved
    move_on_day = days.on_or_after(base + timedelta(days=7))
    words = texts.move_on(interview, interview_day)
    skipped = tuple(days.holidays_in(base + timedelta(days=7), move_on_day))
    drafts.append(_Draft(Kind.MOVE_ON, "", 0, move_on_day, None, words, skipped))
    return [_place(draft, placed) for draft in drafts]


def _local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def _is_done(draft: _Draft, marks: Iterable[Change]) -> bool:
    """A mark names its step by who and ordinal; what it leaves out, it leaves open
    (a mark of every check-in names neither)."""
    return any(
        mark.kind is draft.kind
        and (mark.who is None or mark.who.casefold() == draft.who.casefold())
        and (mark.ordinal is None or mark.ordinal == draft.ordinal)
        for mark in marks
    )


def _done_marks(history: Sequence[Change]) -> list[Change]:
    """The done marks that still hold, ``history`` in time order.

    A new promise moves the steps of the waiting period: a mark made on them before it
    was for the old date ("they answered your follow-up with a new date"), so it lapses.
    """
    marks: list[Change] = []
    for change in history:
        if change.type is ChangeType.PROMISE:
            marks = [mark for mark in marks if mark.kind not in _PROMISED_KINDS]
        elif change.type is ChangeType.DONE:
            marks.append(change)
    return marks


def carries_the_withdraw_note(interview: Interview, rounds: Sequence[Interview]) -> bool:
    """One note per process: the latest of the rounds withdrawn together carries it."""
    return all((other.start, other.id) < (interview.start, interview.id) for other in rounds)


def schedule(
    interview: Interview,
    history: Sequence[Change],
    settings: Settings,
    days: BusinessDays,
    rounds: Sequence[Interview] = (),
    *,
    moves: Iterable[Move] = (),
) -> list[Followup]:
    """Every event of the interview with its status, in time order.

    ``settings.timezone`` is the user's own zone, which the texts name beside the
    employer's; when empty, they name the employer's alone.
    Status changes are replayed in order: each one cancels the events that were still
    ahead of it when it happened, so what already lay in the past is never rewritten.
    ``rounds`` are the other rounds of its process that the same acceptance withdrew:
    only the latest round carries the one note to the process, naming everyone.
    A step the user moved stands where they put it, and the steps that count from it
    follow.
    """
    tz = zone(interview.tz)
    history = sorted(history, key=lambda change: change.at)
    placed = _holding_moves(moves, history)
    drafts = _base_schedule(interview, history, settings, days, placed)
    marks = _done_marks(history)
    cancelled: set[int] = set()  # positions in drafts

    for change in history:
        if change.type is not ChangeType.STATUS or change.status is None:
            continue
        ahead = {
            i
            for i, d in enumerate(drafts)
            if starts_at(d.start, tz) > change.at and not _is_done(d, marks)
        }
        today = _local_day(change.at, tz)
        if change.status is Status.WAITING:
            # Reopened: the base schedule still ahead returns; what passed while the
            # process was closed stays cancelled, and extra steps still ahead are dropped.
            cancelled = {
                i
                for i in cancelled
                if drafts[i].kind in _EXTRA_KINDS or starts_at(drafts[i].start, tz) <= change.at
            }
            cancelled |= {i for i in ahead if drafts[i].kind in _EXTRA_KINDS}
        elif change.status is Status.WITHDRAWN:
            cancelled |= ahead
            if change.because_of is not None and carries_the_withdraw_note(interview, rounds):
                at = datetime.combine(days.next_bd(today), settings.follow_up_time)
                ahead_of_it = starts_at(interview.start, tz) > change.at
                words = texts.withdraw(interview, rounds, ahead_of_it, settings.name)
                skipped = tuple(days.holidays_in(today + timedelta(days=1), at.date()))
                extra = _place(
                    _Draft(Kind.WITHDRAW, "", 0, at, SHORT_MINUTES, words, skipped), placed
                )
                drafts, cancelled = _put_extra(drafts, cancelled, extra)
        elif change.status in _CLOSING:
            cancelled |= {i for i in ahead if drafts[i].kind is not Kind.THANK_YOU}
            if change.status is Status.REJECTED:
                # Never before the interview itself: two business days after its end.
                end = interview.start + timedelta(minutes=interview.duration)
                counted_from = max(today, end.date())
                at = datetime.combine(days.add(counted_from, 2), settings.follow_up_time)
                words = texts.stay_in_touch(interview, settings.name)
                skipped = tuple(days.holidays_in(counted_from + timedelta(days=1), at.date()))
                extra = _place(
                    _Draft(Kind.STAY_IN_TOUCH, "", 0, at, SHORT_MINUTES, words, skipped), placed
                )
                drafts, cancelled = _put_extra(drafts, cancelled, extra)

    events = [
        _finish(interview, d, i in cancelled, _is_done(d, marks), tz, days.region, rounds)
        for i, d in enumerate(drafts)
    ]
    return sorted(events, key=lambda e: (starts_at(e.start, tz), e.kind.value, e.who, e.ordinal))


def _put_extra(
    drafts: list[_Draft], cancelled: set[int], extra: _Draft
) -> tuple[list[_Draft], set[int]]:
    """Add an extra step, or move the existing one of its kind (its identity stays)."""
    for i, draft in enumerate(drafts):
        if draft.kind is extra.kind:
            drafts = [*drafts[:i], extra, *drafts[i + 1 :]]
            return drafts, cancelled - {i}
    return [*drafts, extra], cancelled


def _recipients(interview: Interview, draft: _Draft, rounds: Sequence[Interview]) -> list[str]:
    """The e-mail addresses a step's draft goes to."""
    if draft.kind is Kind.THANK_YOU:
        people = [p for p in interview.interviewers if (p.name or p.email) == draft.who]
    elif draft.kind is Kind.WITHDRAW:
        people = texts.everyone([interview, *rounds])
    elif draft.kind in (Kind.FOLLOW_UP, Kind.CHECK_IN, Kind.STAY_IN_TOUCH):
        people = [texts.follow_up_contact(interview)]
    else:
        return []
    return list(dict.fromkeys(p.email for p in people if p.email))


def _link(
    interview: Interview, draft: _Draft, description: str, rounds: Sequence[Interview]
) -> tuple[str, str]:
    """A one-click link for the step, with the line that offers it: a tel: for a call,
    else a mailto: with the draft, when there is someone to write to."""
    calls = draft.kind in (Kind.FOLLOW_UP, Kind.CHECK_IN) and interview.reach_by is Channel.PHONE
    if calls:
        if not interview.phone:
            return "", ""
        link = links.tel(interview.phone)
        return link, f"Call in one click: {link}"
    to = _recipients(interview, draft, rounds)
    body = links.draft_of(description)
    if not to or not body:
        return "", ""
    link = links.mailto(to, texts.subject(draft.kind, interview), body)
    return link, f"Open this draft in your mail app: {link}"


def _finish(
    interview: Interview,
    draft: _Draft,
    cancelled: bool,
    done: bool,
    tz: ZoneInfo,
    region: str,
    rounds: Sequence[Interview] = (),
) -> Followup:
    summary, description = draft.words
    if draft.skipped:
        description = texts.with_paragraph(
            description, texts.holidays_skipped(draft.skipped, region)
        )
    link, offer = _link(interview, draft, description, rounds)
    if offer:
        description = f"{description}\n\n{offer}"
    status = (
        EventStatus.DONE if done else EventStatus.CANCELLED if cancelled else EventStatus.SCHEDULED
    )
    start: datetime | date
    end: datetime | date
    if draft.minutes is None:
        assert not isinstance(draft.start, datetime)
        start, end = draft.start, draft.start + timedelta(days=1)
    else:
        assert isinstance(draft.start, datetime)
        start = draft.start.replace(tzinfo=tz)
        # Wall-clock length, so a step never straddles a DST jump oddly.
        end = (draft.start + timedelta(minutes=draft.minutes)).replace(tzinfo=tz)
    return Followup(
        interview_id=interview.id,
        kind=draft.kind,
        who=draft.who,
        ordinal=draft.ordinal,
        summary=texts.title(summary, done),
        description=description,
        start=start,
        end=end,
        status=status,
        categories=(CATEGORY, draft.kind.value),
        skipped=tuple((day.isoformat(), name, region) for day, name in draft.skipped),
        url=interview.posting_url or link,
    )
