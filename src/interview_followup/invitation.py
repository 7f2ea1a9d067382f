"""Read calendar invitations (.ics, as Google Calendar, Outlook/Exchange and Apple
Calendar send them) into the fields of an interview.

Only read: ORGANIZER and ATTENDEE tell who was there; nothing here ever writes them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from . import mail_domains
from .config import Settings
from .errors import InputError
from .model import Person
from .parsing import parse_email
from .timezones import zone

# Calendar users that are no one to thank: a meeting room, a projector, a mailing list.
_NOT_PEOPLE = frozenset({"ROOM", "RESOURCE", "GROUP"})
# Where clients put the link to a video call, best first.
_CONFERENCE_PROPERTIES = (
    "CONFERENCE",  # RFC 7986
    "X-GOOGLE-CONFERENCE",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK",
    "URL",
)
_MEETING_LINK = re.compile(
    r"https://(?:[\w-]+\.)*(?:zoom\.us/[jsw]/|meet\.google\.com/|teams\.microsoft\.com/l/meetup-join/"
    r"|teams\.live\.com/meet/|webex\.com/(?:meet|join|[\w.-]+/j\.php)|facetime\.apple\.com/join"
    r"|whereby\.com/|meet\.jit\.si/|chime\.aws/)[^\s<>\"']*",
    re.IGNORECASE,
)


class Invitation(NamedTuple):
    where: str  # "event 2", for messages about a file of several
    summary: str
    start: datetime | date | None  # aware, naive (floating), or a date (all day)
    zone: str  # the IANA zone of the start's TZID; "" for UTC, floating or unknown ones
    duration: int | None  # minutes
    organizer: Person | None
    attendees: tuple[Person, ...]  # people only: rooms and resources are left out
    location: str
    conference: str
    cancelled: bool


def read(data: bytes, name: str, field: str = "file") -> list[Invitation]:
    """Every VEVENT of an iCalendar file; a file that is not one raises InputError."""
    import warnings

    import icalendar

    from .formats import describe, is_icalendar

    if not is_icalendar(data):
        raise InputError(field, f"{name} looks like {describe(data)}, not an iCalendar file")
    try:
        with warnings.catch_warnings():  # e.g. a guessed TZID: the result says what we use
            warnings.simplefilter("ignore")
            calendars = icalendar.Calendar.from_ical(data, multiple=True)
            found = [
                _invitation(event, f"event {n}", str(calendar.get("METHOD", "")).upper())
                for calendar in calendars
                for n, event in enumerate(calendar.walk("VEVENT"), 1)
            ]
    except InputError:
        raise
    except Exception as error:  # the parser's errors have no common base class
        raise InputError(field, f"{name} is not a readable iCalendar file ({error})") from None
    if not found:
        raise InputError(field, f"{name} holds no event (no VEVENT) to read an interview from")
    if len(calendars) > 1:  # several calendars concatenated: number the events through
        found = [i._replace(where=f"event {n}") for n, i in enumerate(found, 1)]
    return found


def _invitation(event: Any, where: str, method: str) -> Invitation:
    start_prop = event.get("DTSTART")
    start = start_prop.dt if start_prop is not None else None
    tzid = str(start_prop.params.get("TZID", "")) if start_prop is not None else ""
    return Invitation(
        where=where,
        summary=_text(event.get("SUMMARY")),
        start=start,
        zone=_iana(tzid) if isinstance(start, datetime) and tzid else "",
        duration=_duration(event, start),
        organizer=_person(event.get("ORGANIZER")),
        attendees=tuple(
            person
            for attendee in _many(event.get("ATTENDEE"))
            if _takes_part(attendee) and (person := _person(attendee)) is not None
        ),
        location=", ".join(
            line.strip() for line in str(event.get("LOCATION", "")).splitlines() if line.strip()
        ),
        conference=_conference(event),
        cancelled=method == "CANCEL" or _text(event.get("STATUS")).upper() == "CANCELLED",
    )


def _many(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    if isinstance(value, list):  # a property given twice: the first one counts
        value = value[0] if value else None
    return " ".join(str(value).split()) if value is not None else ""


def _iana(tzid: str) -> str:
    """The IANA name behind a TZID: itself, a Windows name (Outlook's 'W. Europe
    Standard Time'), or a vendor-prefixed one ('/mozilla.org/.../Europe/Berlin')."""
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    cleaned = tzid.strip().strip('"').strip("/")
    parts = cleaned.split("/")
    candidates = [cleaned, WINDOWS_TO_OLSON.get(cleaned, "")]
    candidates += ["/".join(parts[n:]) for n in range(1, len(parts))]
    for candidate in candidates:
        if not candidate:
            continue
        try:
            zone(candidate)
        except InputError:
            continue
        return candidate
    return ""  # e.g. Outlook's "Customized Time Zone": the instant is still right


def _duration(event: Any, start: object) -> int | None:
    end_prop, length = event.get("DTEND"), event.get("DURATION")
    if not isinstance(start, datetime):
        return None
    if end_prop is not None and isinstance(end_prop.dt, datetime):
        end = end_prop.dt
        if (end.tzinfo is None) != (start.tzinfo is None):
            return None
        span = end - start
    elif length is not None and isinstance(length.dt, timedelta):
        span = length.dt
    else:
        return None
    return int(span.total_seconds() // 60)


def _takes_part(attendee: Any) -> bool:
    params = attendee.params
    return (
        str(params.get("CUTYPE", "INDIVIDUAL")).upper() not in _NOT_PEOPLE
        and str(params.get("ROLE", "")).upper() != "NON-PARTICIPANT"
    )


def _person(address: Any) -> Person | None:
    """A Person from an ORGANIZER or ATTENDEE: the EMAIL parameter (Apple) or the
    mailto: value, and the CN as the name ('Doe, Jane' becomes 'Jane Doe')."""
    if address is None:
        return None
    if isinstance(address, list):
        address = address[0] if address else None
        if address is None:
            return None
    value = str(address).strip()
    email = str(address.params.get("EMAIL", "")).strip()
    if not email and value.lower().startswith("mailto:"):
        email = value[len("mailto:") :].strip()
    try:
        email = parse_email(email, "email").lower() if email else ""
    except InputError:
        email = ""
    name = _name(str(address.params.get("CN", "")), email) or _name_in(email)
    if not name and not email:
        return None
    return Person(name=name, email=email)


def _name(common_name: str, email: str) -> str:
    name = " ".join(re.sub(r"[<>\"\x00-\x1f\x7f]", " ", common_name).split())
    if not name or name.lower() == email or "@" in name:
        return ""
    surname_first = re.fullmatch(r"([^,]+),\s*([^,]+)", name)
    return f"{surname_first[2]} {surname_first[1]}" if surname_first else name


def _name_in(email: str) -> str:
    """'Raj Patel' for raj.patel@...: Google sends guests it has no name for that way."""
    found = re.fullmatch(r"([^\W\d_]{2,})[._]([^\W\d_]{2,})", email.partition("@")[0])
    return f"{found[1].capitalize()} {found[2].capitalize()}" if found else ""


def _conference(event: Any) -> str:
    for prop in _CONFERENCE_PROPERTIES:
        for value in _many(event.get(prop)):
            link = str(value).strip()
            if link.lower().startswith("https://") and (
                prop != "URL" or _MEETING_LINK.fullmatch(link)
            ):
                return link
    for prop in ("LOCATION", "DESCRIPTION"):
        found = _MEETING_LINK.search(str(event.get(prop, "")))
        if found:
            return found[0].rstrip(".,;)>")
    return ""


# --- from an invitation to the fields of `followup log` ---


def for_log(data: bytes, name: str, flags: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    """The raw fields of `log --from-invite`: the invitation's, each flag given overriding."""
    events = read(data, name, "from-invite")
    if len(events) > 1:
        raise InputError(
            "from-invite", f"{name} holds {len(events)} events; `followup import` reads them all"
        )
    event = events[0]
    if event.cancelled:
        raise InputError("from-invite", f"{name} is a cancellation: there is no interview to log")
    tz = str(flags.get("tz") or "").strip() or None
    reading = fields_of(event, me=settings.me, default_zone=settings.zone_name, tz=tz)
    given = {k: v for k, v in flags.items() if v is not None and (k != "interviewers" or v)}
    raw = {**reading.fields, **given}
    for field, why in reading.gaps.items():
        if not str(raw.get(field) or "").strip():
            raise InputError(field, f"{why}; give --{field}")
    return raw


class Reading(NamedTuple):
    fields: dict[str, Any]  # raw values for fields.build
    gaps: dict[str, str]  # field -> why the invitation cannot give it


def fields_of(
    invitation: Invitation, *, me: Sequence[str], default_zone: str, tz: str | None = None
) -> Reading:
    """The interview an invitation describes, as raw fields of `followup log`.

    A zoned start keeps its instant and is shown in ``tz`` when given (the --tz flag),
    else in its own zone; a UTC or floating start is read in ``tz`` or ``default_zone``.
    """
    raw: dict[str, Any] = {}
    gaps: dict[str, str] = {}
    zone_name = tz or invitation.zone or default_zone
    start = invitation.start
    if isinstance(start, datetime):
        if start.tzinfo is not None:
            start = start.astimezone(zone(zone_name, "tz")).replace(tzinfo=None)
        raw["at"] = start.strftime("%Y-%m-%d %H:%M")
        raw["tz"] = zone_name
    else:
        what = "is for a whole day" if isinstance(start, date) else "has no start (DTSTART)"
        gaps["at"] = f"the invitation {what}"
    if invitation.duration is not None:
        raw["duration"] = str(invitation.duration)
    mine = {address.lower() for address in me}
    people = _interviewers(invitation, mine)
    raw["interviewers"] = [person.label() for person in people]
    organizer = invitation.organizer
    if organizer is not None and organizer in people:
        raw["contact"] = organizer.label()
    company = mail_domains.company_from(organizer.email) if organizer else ""
    if company and organizer is not None and organizer.email not in mine:
        raw["company"] = company
    else:
        gaps["company"] = _no_company(organizer, mine)
    notes = _notes(invitation)
    if notes:
        raw["notes"] = notes
    return Reading(raw, gaps)


def _interviewers(invitation: Invitation, mine: set[str]) -> list[Person]:
    """The organizer and the attendees, each once, without you and without services."""
    people: list[Person] = []
    seen: set[str] = set()
    candidates = [invitation.organizer] if invitation.organizer else []
    for person in [*candidates, *invitation.attendees]:
        key = person.email or person.name.casefold()
        if person.email in mine or key in seen:
            continue
        if person.email and not mail_domains.is_person(person.email):
            continue
        seen.add(key)
        people.append(person)
    return people


def _no_company(organizer: Person | None, mine: set[str]) -> str:
    if organizer is None or not organizer.email:
        return "the invitation has no organizer's address to tell the company"
    if organizer.email in mine:
        return f"the organizer ({organizer.email}) is you (config `me`)"
    return (
        f"the organizer's address ({organizer.email}) is at a free-mail or scheduling"
        " service, not the employer"
    )


def _notes(invitation: Invitation) -> str:
    lines = []
    if invitation.summary:
        lines.append(f"Invitation: {invitation.summary}")
    if invitation.location and invitation.location != invitation.conference:
        lines.append(f"Location: {invitation.location}")
    if invitation.conference:
        lines.append(f"Join: {invitation.conference}")
    return "\n".join(lines)
