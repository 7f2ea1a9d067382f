"""Formatting for people (tables) and for programs (JSON, a stable contract)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from interview_followup.model import Event, Interview


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
    }


def dumps(data: Any) -> str:
    import json  # only --json needs it

    return json.dumps(data, indent=2, ensure_ascii=False)


def one_line(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def when(event: Event) -> str:
    if isinstance(event.start, datetime):
        return f"{event.start:%a %Y-%m-%d %H:%M} {event.start.tzname() or ''}".rstrip()
    assert isinstance(event.start, date)
    return f"{event.start:%a %Y-%m-%d} all day"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    if not rows:
        return ""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def events_table(events: Sequence[Event]) -> str:
    rows = [
        [when(e), str(e.interview_id), e.kind.value, e.status.value, one_line(e.summary)]
        for e in events
    ]
    return table(["when", "id", "kind", "status", "what"], rows) or "No events."


def interviews_table(interviews: Sequence[Interview]) -> str:
    rows = [
        [
            str(i.id),
            one_line(i.company, 30),
            one_line(i.role, 30),
            i.status.value,
            i.start.isoformat(sep=" ", timespec="minutes"),
            i.tz,
            i.decision_by.isoformat() if i.decision_by else "",
        ]
        for i in interviews
    ]
    return (
        table(["id", "company", "role", "status", "start", "tz", "decision_by"], rows)
        or "No interviews yet."
    )
