"""The words of each event: a short title and a description a person can act on.

Pure functions of the interview and the dates the policy chose; no clock, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from .call_scripts import call_script
from .model import Channel, Interview, Kind, Person, same_person
from .timezones import zone

DONE_MARK = "✓ Done: "


def day_text(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def moment_text(moment: datetime) -> str:
    return f"{day_text(moment.date())} at {moment:%H:%M}"


def zoned_moment_text(moment: datetime, tz: str, user_tz: str = "") -> str:
    """A wall-clock time in ``tz`` with its zone named, and the user's own time beside
    it when the user lives in another zone: 'Tue 16 Nov 2027 at 11:00 EST (17:00 CET
    your time)'."""
    there = moment.replace(tzinfo=zone(tz))
    text = f"{moment_text(moment)} {there.tzname()}"
    if user_tz and user_tz != tz:
        mine = there.astimezone(zone(user_tz))
        if mine.utcoffset() != there.utcoffset() or mine.tzname() != there.tzname():
            when = f"{mine:%H:%M}" if mine.date() == moment.date() else moment_text(mine)
            text += f" ({when} {mine.tzname()} your time)"
    return text


def _the(interview: Interview, noun: str) -> str:
    """'the Engineer interview', or 'the interview' when no role was given."""
    return f"the {interview.role} {noun}" if interview.role else f"the {noun}"


def _position(interview: Interview) -> str:
    return f"the {interview.role} position" if interview.role else "the position"


def follow_up_contact(interview: Interview) -> Person:
    """Who follow-ups go to: the named contact, else the first interviewer."""
    if interview.contact.name or interview.contact.email:
        return interview.contact
    return interview.interviewers[0] if interview.interviewers else Person()


def _contact_lines(interview: Interview) -> list[str]:
    person = follow_up_contact(interview)
    lines = []
    if person.name:
        lines.append(f"Contact: {person.name}")
    if interview.phone:
        lines.append(f"Phone: {interview.phone}")
    elif interview.reach_by is Channel.PHONE:
        lines.append(
            f"Phone: no number is stored; add it with: followup edit {interview.id} --phone NUMBER"
        )
    if person.email:
        lines.append(f"Email: {person.email}")
    if not lines:
        lines.append(f"Contact: the recruiter or hiring manager at {interview.company}")
    return lines


def _how(interview: Interview) -> str:
    person = follow_up_contact(interview)
    name = person.name or f"your contact at {interview.company}"
    if interview.reach_by is Channel.PHONE:
        return f"Call {name}"
    return f"Email {name}"


def _posting_line(interview: Interview) -> list[str]:
    if not interview.posting_url:
        return []
    return [
        f"Before you reach out, check whether the posting is still open: {interview.posting_url}"
    ]


def _notes(interview: Interview) -> list[str]:
    return ["", "Your notes:", interview.notes] if interview.notes else []


def _salutation(person: Person) -> str:
    return f"Dear {person.name}," if person.name else "Hello,"


def thank_you(
    interview: Interview,
    person: Person,
    interview_day: date,
    deadline: datetime,
    user_tz: str = "",
    me: str = "",
) -> tuple[str, str]:
    to = person.name or "your interviewer"
    summary = f"Send a thank-you note to {to} ({interview.company})"
    lines = [
        f"Thank {to} for {_the(interview, 'interview')} at {interview.company} on {day_text(interview_day)}.",
        f"Send it by {zoned_moment_text(deadline, interview.tz, user_tz)}: a prompt note is"
        " remembered, a late one is not.",
    ]
    if person.email:
        lines.append(f"Email: {person.email}")
    lines += [
        "",
        "Write to each person you met, and make each note a little different: mention something"
        " you discussed with them, and say again why you want the job.",
        "",
        "Draft:",
        _salutation(person),
        f"Thank you for meeting me about {_position(interview)} at {interview.company}. I enjoyed our"
        " conversation, and it made me even keener to join the team. If anything else would help"
        " your decision, I would be glad to send it.",
        *_sign_off(me),
    ]
    return summary, "\n".join(lines + _notes(interview))


def decision_day(
    interview: Interview, decision: date, follow_up_at: datetime, user_tz: str = ""
) -> tuple[str, str]:
    summary = f"Decision due from {interview.company}: watch your inbox"
    channel = "phone and voicemail" if interview.reach_by is Channel.PHONE else "email"
    lines = [
        f"{interview.company} said they would decide about {_the(interview, 'role')} by today.",
        f"Check every inbox folder, spam and promotions included, and your {channel}.",
        "No need to chase yet: if nothing arrives, follow up on"
        f" {zoned_moment_text(follow_up_at, interview.tz, user_tz)}.",
    ]
    return summary, "\n".join(lines + _notes(interview))


def _sign_off(me: str) -> list[str]:
    return ["Best regards,", me] if me else ["Best regards,"]


def _draft(
    interview: Interview, interview_day: date, opening: str, why: str, me: str = ""
) -> list[str]:
    """An e-mail draft, or a call script when they are to be called."""
    person = follow_up_contact(interview)
    if interview.reach_by is Channel.PHONE:
        ask_for = person.name or f"the person handling {_the(interview, 'role')}"
        return call_script(
            ask_for, _position(interview), interview.company, day_text(interview_day),
            interview.phone, me, why,
        )  # fmt: skip
    return [
        "",
        "Draft:",
        _salutation(person),
        f"{opening} I interviewed for {_position(interview)} on {day_text(interview_day)}, and I am"
        f" still very interested in joining {interview.company}. Is there any news on the decision,"
        " or anything more I can send you?",
        "Thank you, and best regards,",
        *([me] if me else []),
    ]


def _waited(business_days: int) -> str:
    return "two weeks" if business_days == 10 else f"{business_days} business days"


def follow_up(
    interview: Interview,
    interview_day: date,
    decision: date | None,
    revised: bool,
    waited: int = 10,
    me: str = "",
) -> tuple[str, str]:
    """``waited``: the business days waited when no decision date was given."""
    how = _how(interview)
    summary = f"Follow up with {interview.company}: {how[0].lower()}{how[1:]}"
    if decision and revised:
        why = f"They moved the decision to {day_text(decision)}; reach out mid-afternoon today."
    elif decision:
        why = f"The decision was promised by {day_text(decision)} and you have not heard back."
    else:
        why = (
            f"No decision date was given and {_waited(waited)} have passed:"
            " a polite nudge is fair now."
        )
    lines = [
        f"{_how(interview)} about {_the(interview, 'interview')} on {day_text(interview_day)}.",
        why,
        *_contact_lines(interview),
        *_posting_line(interview),
        "Keep it short and friendly: one message, then give them time.",
        *_draft(interview, interview_day, "I hope you are well.", "following up", me),
    ]
    return summary, "\n".join(lines + _notes(interview))


def check_in(
    interview: Interview, interview_day: date, number: int, total: int, me: str = ""
) -> tuple[str, str]:
    summary = f"Check in with {interview.company} ({number} of {total})"
    lines = [
        f"Still no answer about {_the(interview, 'interview')} on {day_text(interview_day)}."
        f" {_how(interview)}: a brief, upbeat weekly check-in.",
        *_contact_lines(interview),
        *_posting_line(interview),
        *_draft(interview, interview_day, "I wanted to check in once more.", "checking in", me),
    ]
    return summary, "\n".join(lines + _notes(interview))


def move_on(interview: Interview, interview_day: date) -> tuple[str, str]:
    summary = f"Let {interview.company} go and move on"
    lines = [
        f"You have followed up about {_the(interview, 'interview')} of {day_text(interview_day)}"
        " and waited long enough.",
        "File the contact details away for the future, stop checking, and put your energy into"
        " the next applications. If they come back later, that is a pleasant surprise.",
        *_contact_lines(interview),
    ]
    return summary, "\n".join(lines + _notes(interview))


def stay_in_touch(interview: Interview, me: str = "") -> tuple[str, str]:
    summary = f"Stay in touch with {interview.company}"
    person = follow_up_contact(interview)
    lines = [
        f"{interview.company} chose someone else for {_the(interview, 'role')}. The relationship is"
        " still worth keeping: thank them for their time, ask them to keep you in mind for future"
        " openings, and connect on LinkedIn.",
        *_contact_lines(interview),
        "",
        "Draft:",
        _salutation(person),
        f"Thank you for letting me know, and for the time you and the team gave me. I enjoyed"
        f" learning about {interview.company} and would be glad to be considered for future roles."
        " I hope we can stay in touch.",
        *_sign_off(me),
    ]
    return summary, "\n".join(lines)


def everyone(interviews: Sequence[Interview]) -> list[Person]:
    """The contacts and interviewers of some rounds, each person once (same e-mail, or
    same name when there is no e-mail)."""
    found: list[Person] = []
    for interview in interviews:
        for person in (interview.contact, *interview.interviewers):
            if person.label() and not any(same_person(person, p) for p in found):
                found.append(person)
    return found


def withdraw(
    interview: Interview, rounds: Sequence[Interview] = (), ahead: bool = False, me: str = ""
) -> tuple[str, str]:
    """The one note to a process you leave; ``interview`` is its latest round, ``ahead``
    when that round has not happened yet."""
    summary = f"Tell {interview.company} you have accepted another offer"
    people = [p.label() for p in everyone([interview, *rounds])]
    lines = [
        f"You accepted an offer elsewhere, so withdraw from {_the(interview, 'process')} at"
        f" {interview.company} today, courteously: they may be your employer or colleague one day.",
    ]
    if ahead:
        lines.append(
            f"Your interview on {day_text(interview.start.date())} has not happened yet:"
            " ask them to cancel it, so nobody prepares for it in vain."
        )
    lines.append("Tell: " + ("; ".join(people) if people else "your contact there"))
    phones = list(dict.fromkeys(r.phone for r in (interview, *rounds) if r.phone))
    if phones:
        lines.append(f"Phone: {', '.join(phones)}")
    if ahead:
        body = (
            f"Thank you for inviting me to interview for {_position(interview)} on"
            f" {day_text(interview.start.date())}. I have accepted another offer, so I would like"
            " to withdraw my application and ask you to cancel the interview. I am sorry for the"
            " change of plans, and I hope our paths cross again."
        )
    else:
        body = (
            f"Thank you again for considering me for {_position(interview)}. I have accepted"
            " another offer and would like to withdraw my application. I appreciated meeting you"
            " and hope our paths cross again."
        )
    lines += ["", "Draft:", _salutation(follow_up_contact(interview)), body, *_sign_off(me)]
    return summary, "\n".join(lines)


def holidays_skipped(skipped: Sequence[tuple[date, str]], region: str) -> str:
    named = "; ".join(f"{name} ({day_text(day)})" for day, name in skipped)
    return f"Counted in business days in {region}, so this skips: {named}."


def subject(kind: Kind, interview: Interview) -> str:
    """The subject line of a step's e-mail draft."""
    position = _position(interview)
    return {
        Kind.THANK_YOU: f"Thank you for the interview for {position}",
        Kind.FOLLOW_UP: f"Following up on my interview for {position}",
        Kind.CHECK_IN: f"Checking in about {position}",
        Kind.STAY_IN_TOUCH: "Thank you, and staying in touch",
        Kind.WITHDRAW: f"Withdrawing my application for {position}",
    }.get(kind, f"{interview.company}: {position}")


DRAFT_HEADINGS = ("\n\nDraft:\n", "\n\nCall script:\n")


def with_paragraph(description: str, paragraph: str) -> str:
    """``description`` with a paragraph added before its draft or call script (which
    stay last, ready to copy), else at the end."""
    for heading in DRAFT_HEADINGS:
        at = description.find(heading)
        if at >= 0:
            return f"{description[:at]}\n\n{paragraph}{description[at:]}"
    return f"{description}\n\n{paragraph}"


def title(summary: str, done: bool) -> str:
    return DONE_MARK + summary if done else summary
