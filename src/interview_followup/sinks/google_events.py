"""Our events as Google Calendar event resources, and Google's resources read back as
the fields we manage."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from interview_followup.model import Event
from interview_followup.sinks.base import RemoteItem
from interview_followup.sinks.content import (
    ALARM,
    DESCRIPTION,
    TIME,
    TITLE,
    Fields,
    RemoteContent,
    Write,
    fields_of,
)

UID_KEY = "followupUid"
MARK_KEY = "followupMark"  # our stamp: which fields are still as we wrote them
ALARM_KEY = "followupAlarm"  # the minutes of our reminder among the user's
CANCELLED_KEY = "followupCancelled"  # "1": kept as cancelled (Google's own word deletes)


def _when(value: Any, tz: str, all_day: bool) -> dict[str, str]:
    if all_day:
        return {"date": value.isoformat()}
    return {"dateTime": value.isoformat(), "timeZone": tz}


def reminders_for(alarm: int | None, current: dict[str, Any] | None) -> dict[str, Any]:
    """Our reminder among the user's own ones (a patch replaces the whole list)."""
    others: list[dict[str, Any]] = []
    if current is not None:
        ours = private_of(current).get(ALARM_KEY)
        others = [
            r
            for r in current.get("reminders", {}).get("overrides", [])
            if not (r.get("method") == "popup" and str(r.get("minutes")) == ours)
        ]
    mine = [] if alarm is None else [{"method": "popup", "minutes": alarm}]
    return {"useDefault": False, "overrides": mine + others}


def private_of(resource: dict[str, Any]) -> dict[str, str]:
    found = resource.get("extendedProperties", {}).get("private", {})
    return found if isinstance(found, dict) else {}


def _marks(event: Event, write: Write) -> dict[str, Any]:
    result = write.result
    return {
        "private": {
            UID_KEY: event.uid,
            "followupKind": event.kind.value,
            "followupInterview": str(event.interview_id),
            MARK_KEY: write.stamp(event.sequence),
            ALARM_KEY: "" if result.alarm is None else str(result.alarm),
            CANCELLED_KEY: "1" if result.cancelled else "",
        }
    }


def event_body(event: Event, write: Write | None = None) -> dict[str, Any]:
    """The API resource for one of our events, or the patch that ``write`` makes.
    Never any attendee or organizer."""
    if write is None:
        write = Write(fields_of(event))
    fields, names = write.fields, write.names
    current = write.current.source if write.current is not None else None
    body: dict[str, Any] = {}
    if TIME in names:
        all_day = not isinstance(fields.start, datetime)
        body["start"] = _when(fields.start, event.tz, all_day)
        body["end"] = _when(fields.end, event.tz, all_day)
        body["transparency"] = "transparent" if all_day else "opaque"
    if TITLE in names:
        body["summary"] = fields.title
    if DESCRIPTION in names:
        body["description"] = fields.description
    if ALARM in names:
        body["reminders"] = reminders_for(
            fields.alarm, current if isinstance(current, dict) else None
        )
    if write.current is None:
        body["status"] = "confirmed"  # the status field is in our private properties:
        # Google's own "cancelled" means deleted
    body["extendedProperties"] = _marks(event, write)
    return body


def _time(value: dict[str, Any]) -> datetime | date:
    if "date" in value:
        return date.fromisoformat(value["date"])
    return datetime.fromisoformat(value["dateTime"])


def content_of(resource: dict[str, Any]) -> RemoteContent:
    private = private_of(resource)
    ours = private.get(ALARM_KEY, "")
    overrides = resource.get("reminders", {}).get("overrides", [])
    alarm = None
    if ours.isdigit() and any(
        r.get("method") == "popup" and str(r.get("minutes")) == ours for r in overrides
    ):
        alarm = int(ours)
    fields = Fields(
        _time(resource["start"]),
        _time(resource["end"]),
        resource.get("summary", ""),
        resource.get("description", ""),
        private.get(CANCELLED_KEY) == "1",
        alarm,
    )
    own = bool(resource.get("location") or resource.get("attachments"))
    return RemoteContent(
        resource["id"], resource.get("etag"), fields, private.get(MARK_KEY), own, resource
    )


def item_of(resource: dict[str, Any]) -> RemoteItem:
    return RemoteItem(resource["id"], resource.get("etag"))
