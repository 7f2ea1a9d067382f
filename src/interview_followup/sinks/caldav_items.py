"""CalDAV items as text: read the managed fields of a server copy, and build the next
PUT from that copy with only our managed fields replaced.

Whatever else the copy holds (a LOCATION, the user's own properties and alarms, the
time zones their client wrote) is sent back as it was.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from interview_followup import ical
from interview_followup.model import Event
from interview_followup.sinks.content import (
    ALARM,
    ALL,
    DESCRIPTION,
    STATUS,
    TIME,
    TITLE,
    Fields,
    RemoteContent,
    Write,
    fields_of,
)

MARK = "X-FOLLOWUP-MARK"
OUR_ALARM = "X-FOLLOWUP-ALARM"
# Properties that carry text or things of the user's own: keep such a copy when cancelled.
_OWN_TEXT = ("LOCATION", "ATTACH", "COMMENT", "CONTACT", "RESOURCES", "GEO")


def _own_url(vevent: Any) -> bool:
    """A URL the user put there: ours carries the X-FOLLOWUP parameter."""
    url = vevent.get("URL")
    return url is not None and str(url.params.get(ical.OUR_URL, "")).upper() != "TRUE"


def _is_ours(alarm: Any) -> bool:
    return str(alarm.get(OUR_ALARM, "")).upper() == "TRUE"


def _our_alarm(vevent: Any, marked_only: bool) -> Any | None:
    alarms = list(vevent.walk("VALARM"))
    for alarm in alarms:
        if _is_ours(alarm):
            return alarm
    if marked_only:
        return None
    # Written before alarms were marked: ours is the display alarm before the start.
    for alarm in alarms:
        trigger = alarm.get("TRIGGER")
        relative = trigger is not None and isinstance(trigger.dt, timedelta)
        if (
            str(alarm.get("ACTION", "")).upper() == "DISPLAY"
            and relative
            and trigger.dt <= timedelta(0)
        ):
            return alarm
    return None


def _vevent(calendar: Any, uid: str) -> Any | None:
    for component in calendar.walk("VEVENT"):
        if str(component.get("UID", "")) == uid and "RECURRENCE-ID" not in component:
            return component
    return None


def read(remote_id: str, etag: str | None, text: str, uid: str) -> RemoteContent | None:
    """The managed fields of a server copy; None when it is not a readable VEVENT."""
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(text)
    except ValueError:
        return None
    vevent = _vevent(calendar, uid)
    if vevent is None or "DTSTART" not in vevent:
        return None
    start = vevent.decoded("DTSTART")
    if "DTEND" in vevent:
        end = vevent.decoded("DTEND")
    elif "DURATION" in vevent:
        end = start + vevent.decoded("DURATION")
    else:
        end = start
    mark = str(vevent[MARK]) if MARK in vevent else None
    alarm = _our_alarm(vevent, marked_only=mark is not None)
    minutes = None
    if alarm is not None and isinstance(alarm.get("TRIGGER").dt, timedelta):
        minutes = int(-alarm.get("TRIGGER").dt.total_seconds() // 60)
    fields = Fields(
        start,
        end,
        str(vevent.get("SUMMARY", "")),
        str(vevent.get("DESCRIPTION", "")),
        str(vevent.get("STATUS", "")).upper() == "CANCELLED",
        minutes,
    )
    own = any(name in vevent for name in _OWN_TEXT) or _own_url(vevent)
    return RemoteContent(remote_id, etag, fields, mark, own, text)


def _fresh(event: Event) -> Any:
    from icalendar import Calendar

    return Calendar.from_ical(ical.render_single(event))


def _set(vevent: Any, name: str, value: object) -> None:
    vevent.pop(name, None)
    vevent.add(name, value)


def _apply(vevent: Any, ours: Any, fields: Fields, names: frozenset[str], marked: bool) -> None:
    """Set the ``names`` managed fields of ``vevent`` to ``fields``."""
    if TIME in names:
        transp = ours.get("TRANSP")
        for name in ("DTSTART", "DTEND", "DURATION", "TRANSP"):
            vevent.pop(name, None)
        vevent.add("dtstart", fields.start)
        vevent.add("dtend", fields.end)
        if transp is not None:
            vevent.add("transp", transp)
    if TITLE in names:
        _set(vevent, "summary", fields.title)
    if DESCRIPTION in names:
        _set(vevent, "description", fields.description)
    if STATUS in names:
        _set(vevent, "status", "CANCELLED" if fields.cancelled else "CONFIRMED")
    if ALARM in names:
        old = _our_alarm(vevent, marked_only=marked)
        if old is not None:
            vevent.subcomponents.remove(old)
        if fields.alarm is not None:
            from icalendar import Alarm

            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", fields.title)
            alarm.add("trigger", timedelta(minutes=-fields.alarm))
            alarm.add(OUR_ALARM.lower(), "TRUE")
            vevent.add_component(alarm)


def _stamp(vevent: Any, ours: Any, event: Event, write: Write) -> None:
    for name in ("DTSTAMP", "LAST-MODIFIED", "SEQUENCE", "X-FOLLOWUP-STATUS"):
        if name in ours:
            value = ours[name]
            vevent.pop(name, None)
            vevent[name] = value
    if not _own_url(vevent):  # our link (posting, mailto:, tel:) follows our event
        url = ours.get("URL")
        vevent.pop("URL", None)
        if url is not None:
            vevent["URL"] = url
    _set(vevent, MARK.lower(), write.stamp(event.sequence))


def _new_item(event: Event, write: Write) -> str:
    """A new item of ours: the event as the export renders it, with our alarm marked and
    our stamp added. Built once, not parsed back: a first sync makes hundreds."""
    vevent = ical.build_vevent(event)
    for alarm in vevent.walk("VALARM"):
        alarm.add(OUR_ALARM.lower(), "TRUE")
    vevent.add(MARK.lower(), write.stamp(event.sequence))
    text = str(vevent.to_ical().decode("utf-8"))
    return ical.assemble([(ical.Placement.of(event), text)], ical.CalendarInfo()).decode("utf-8")


def body(event: Event, write: Write | None) -> str:
    """The PUT for ``event``: the server copy read this run (if any) with ``write``'s
    fields set, or a new item of ours."""
    write = write or Write(fields_of(event))
    if write.current is None and write.result == fields_of(event):
        return _new_item(event, write)
    fresh = _fresh(event)
    ours = _vevent(fresh, event.uid)
    assert ours is not None
    current = write.current
    source = current.source if current is not None else None
    if not isinstance(source, str):
        _apply(ours, ours, write.result, ALL, marked=False)
        _stamp(ours, ours, event, write)
        return str(fresh.to_ical().decode("utf-8"))
    from icalendar import Calendar

    calendar = Calendar.from_ical(source)
    vevent = _vevent(calendar, event.uid)
    assert vevent is not None
    _apply(
        vevent, ours, write.fields, write.names, marked=current is not None and bool(current.mark)
    )
    _stamp(vevent, ours, event, write)
    if TIME in write.names:
        have = {str(tz.get("TZID")) for tz in calendar.walk("VTIMEZONE")}
        for zone in fresh.walk("VTIMEZONE"):
            if str(zone.get("TZID")) not in have:
                calendar.subcomponents.insert(0, zone)
    return str(calendar.to_ical().decode("utf-8"))
