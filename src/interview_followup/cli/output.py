"""Formatting for people (tables) and for programs (JSON, a stable contract)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

from interview_followup.model import Event, Interview
from interview_followup.timezones import zone


def event_json(event: Event) -> dict[str, Any]:
    return {
        "uid": event.uid,
        "interview_id": event.interview_id,
        "kind": event.kind.value,
        "who": event.who,
        "summary": event.summary,
        "start": event.start.isoformat(),
        "end": event.end.isoformat(),
        "all_day": event.all_day,
        "status": event.status.value,
        "sequence": event.sequence,
        "tz": event.tz,
        "description": event.description,
        "url": event.url,
        "skipped_holidays": [
            {"date": day, "name": name, "region": region} for day, name, region in event.skipped
        ],
    }


def interview_json(interview: Interview) -> dict[str, Any]:
    return {
        "id": interview.id,
        "company": interview.company,
        "role": interview.role,
        "status": interview.status.value,
        "start": interview.start.isoformat(timespec="minutes"),
        "tz": interview.tz,
        "duration": interview.duration,
        "decision_by": interview.decision_by.isoformat() if interview.decision_by else None,
        "interviewers": [{"name": p.name, "email": p.email} for p in interview.interviewers],
        "contact": {"name": interview.contact.name, "email": interview.contact.email},
        "phone": interview.phone,
        "channel": interview.reach_by.value,
        "posting_url": interview.posting_url,
        "notes": interview.notes,
        "country": interview.country,
        "subdivision": interview.subdivision,
        "holidays": interview.holiday_region,
    }


def people_changes(before: Interview, after: Interview) -> list[str]:
    """What an edit did to the people: who was added, removed or completed, and whom
    the follow-ups go to now."""
    from interview_followup.model import same_person
    from interview_followup.texts import follow_up_contact

    lines = []
    for person in after.interviewers:
        match = [p for p in before.interviewers if same_person(p, person)]
        if not match:
            lines.append(f"Added interviewer: {person.label()}")
        elif match[0] != person:
            lines.append(f"Changed interviewer: {match[0].label()} -> {person.label()}")
    for person in before.interviewers:
        if not any(same_person(person, p) for p in after.interviewers):
            lines.append(f"Removed interviewer: {person.label()}")
    was, now = follow_up_contact(before), follow_up_contact(after)
    if was != now:
        lines.append(
            f"Follow-ups now go to: {now.label() or 'nobody named'} (was {was.label() or 'nobody named'})"
        )
    return lines


def dumps(data: Any) -> str:
    import json  # only --json needs it

    return json.dumps(data, indent=2, ensure_ascii=False)


def one_line(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def when(event: Event, user_tz: str = "") -> str:
    """When a step is, in the user's zone, with the employer's time beside it when it
    differs: 'Tue 2027-12-14 18:00 EST (Wed 10:00 AEDT there)'."""
    if not isinstance(event.start, datetime):
        assert isinstance(event.start, date)
        return f"{event.start:%a %Y-%m-%d} all day"
    there = event.start
    mine = there.astimezone(zone(user_tz)) if user_tz else there
    text = f"{mine:%a %Y-%m-%d %H:%M} {mine.tzname() or ''}".rstrip()
    if mine.utcoffset() != there.utcoffset() or mine.tzname() != there.tzname():
        day = f"{there:%a} " if there.date() != mine.date() else ""
        text += f" ({day}{there:%H:%M} {there.tzname()} there)"
    return text


def table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], breaks: Collection[int] = ()
) -> str:
    """Rows in aligned columns; a blank line before each row whose index is in ``breaks``."""
    if not rows:
        return ""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for index, row in enumerate(rows):
        if index in breaks:
            lines.append("")
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def events_table(events: Sequence[Event], user_tz: str = "") -> str:
    """One row per step, in the user's days and time (see when), a blank line between
    two of the user's days."""
    days: list[date] = []
    if user_tz:
        from interview_followup.duties import in_user_order, user_day

        mine = zone(user_tz)
        events = in_user_order(events, mine)
        days = [user_day(e, mine) for e in events]
    rows = [
        [when(e, user_tz), str(e.interview_id), e.kind.value, e.status.value, one_line(e.summary)]
        for e in events
    ]
    breaks = {i for i in range(1, len(days)) if days[i] != days[i - 1]}
    return table(["when", "id", "kind", "status", "what"], rows, breaks) or "No events."


def interviews_table(interviews: Sequence[Interview]) -> str:
    rows = [
        [
            str(i.id),
            one_line(i.company, 30),
            one_line(i.role, 30),
            i.status.value,
            i.start.isoformat(sep=" ", timespec="minutes"),
            i.tz,
            i.holiday_region or "-",
            i.decision_by.isoformat() if i.decision_by else "",
        ]
        for i in interviews
    ]
    return (
        table(["id", "company", "role", "status", "start", "tz", "holidays", "decision_by"], rows)
        or "No interviews yet."
    )


def withdrawn_lines(withdrawn: Sequence[Interview]) -> list[str]:
    """What an acceptance withdrew, one line per process: its latest round carries the
    one note to send them."""
    processes: dict[tuple[str, str], list[Interview]] = {}
    for interview in withdrawn:
        processes.setdefault(interview.process, []).append(interview)
    lines = []
    for rounds in processes.values():
        latest = max(rounds, key=lambda r: (r.start, r.id))
        company = one_line(latest.company)
        if len(rounds) == 1:
            lines.append(
                f"Withdrawn: interview {latest.id} ({company}); a note to send them is scheduled."
            )
            continue
        ids = ", ".join(str(r.id) for r in sorted(rounds, key=lambda r: (r.start, r.id)))
        lines.append(
            f"Withdrawn: interviews {ids} ({company}); one note to send them is scheduled,"
            f" with interview {latest.id}."
        )
    return lines


def rounds_lines(logged: Interview, process: Sequence[Interview]) -> list[str]:
    """The earlier rounds that a newly logged round of the same process moved on."""
    rounds = sorted(process, key=lambda r: (r.start, r.id))
    lines = [
        f"Interview {other.id} ({one_line(other.company)}, {other.start:%Y-%m-%d})"
        " is an earlier round of this process: now next-round."
        for other in rounds
        if other.id != logged.id and other.status.value == "next-round"
    ]
    if logged.status.value == "next-round" and rounds[-1].id != logged.id:
        latest = rounds[-1]
        lines.append(
            f"Interview {logged.id} comes before interview {latest.id}"
            f" ({latest.start:%Y-%m-%d}), the latest round: it is next-round too."
        )
    return lines
