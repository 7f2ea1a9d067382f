"""Turn what a person types into typed values, or an InputError naming the field."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from .days import BusinessDays
from .errors import InputError
from .model import Channel, Kind, Person, Status

_NOT_IN_EMAIL = r"@\s<>,;\"\x00-\x1f\x7f\ud800-\udfff"
_EMAIL = re.compile(rf"^[^{_NOT_IN_EMAIL}]+@[^{_NOT_IN_EMAIL}]+\.[^{_NOT_IN_EMAIL}.]{{2,}}$")
# C0 controls and DEL other than tab and newline: iCalendar text may not carry them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_PERSON = re.compile(r"^\s*(?P<name>[^<>]*?)\s*<(?P<email>[^<>]*)>\s*$")
_PHONE = re.compile(r"^\+?[\d\s().\-/]{5,}(?:\s*(?:x|ext\.?)\s*\d+)?$", re.IGNORECASE)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "ten": 10,
}


def parse_start(text: str, field: str = "at") -> datetime:
    """'YYYY-MM-DD HH:MM' (a 'T' works too) -> naive wall-clock datetime."""
    cleaned = str(text).strip().replace("T", " ")
    try:
        moment = datetime.strptime(cleaned, "%Y-%m-%d %H:%M")
    except ValueError:
        raise InputError(
            field, f"{text!r} is not a date and time like '2027-11-15 10:00'"
        ) from None
    check_year(moment.year, text, field)
    return moment


# Far enough for any job search; keeps the date arithmetic clear of datetime's limits.
YEARS = range(1970, 2201)


def check_year(year: int, text: object, field: str) -> None:
    if year not in YEARS:
        raise InputError(field, f"{text!r} is outside the years {YEARS[0]} to {YEARS[-1]}")


def _digits(text: str) -> bool:
    """Plain ASCII digits only: str.isdigit() also accepts '²', which int() refuses."""
    return re.fullmatch(r"[0-9]+", text) is not None


def parse_iso_date(text: str, field: str) -> date:
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise InputError(field, f"{text!r} is not a date like 2027-11-23") from None


def parse_day(
    text: str,
    reference: date,
    field: str = "decision-by",
    business_days: BusinessDays | None = None,
) -> date:
    """An ISO date or a plain phrase, counted from ``reference``.

    Understood: 'today', 'tomorrow', 'friday', 'next friday' (the first one after
    ``reference``), 'in 3 days', 'in a week', 'in 2 weeks', 'in 5 business days'
    (skipping the holidays of ``business_days``; weekends only without it).
    """
    if len(str(text)) > 100:
        raise InputError(field, "is too long to be a date")
    try:
        day = _parse_day(text, reference, field, business_days)
    except OverflowError:
        raise InputError(field, f"{text!r} is too far away") from None
    check_year(day.year, text, field)
    return day


def _parse_day(text: str, reference: date, field: str, business_days: BusinessDays | None) -> date:
    phrase = " ".join(str(text).strip().lower().split())
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", phrase):
        return parse_iso_date(phrase, field)
    if phrase == "today":
        return reference
    if phrase == "tomorrow":
        return reference + timedelta(days=1)
    weekday = re.fullmatch(r"(?:next |on |this )?(\w+)", phrase)
    if weekday and weekday[1] in _WEEKDAYS:
        ahead = (_WEEKDAYS.index(weekday[1]) - reference.weekday() - 1) % 7 + 1
        return reference + timedelta(days=ahead)
    relative = re.fullmatch(r"in (\w+) (business days?|days?|weeks?)", phrase)
    if relative:
        count_text, unit = relative.groups()
        count = (
            int(count_text)
            if _digits(count_text) and len(count_text) < 6
            else _NUMBERS.get(count_text)
        )
        if count is not None:
            if unit.startswith("business"):
                if business_days is None:
                    business_days = BusinessDays()
                return business_days.add(reference, count)
            return reference + timedelta(days=count * _UNITS[unit])
    if phrase == "next week":
        return reference + timedelta(days=7)
    raise InputError(
        field, f"{text!r} is not a date; use 2027-11-23, 'next tuesday', 'in 1 week' or 'in 5 days'"
    )


_WHEN_HELP = "use 'tomorrow 14:00', 'monday', 'in 2 business days' or '2027-11-23 14:00'"


def parse_when(
    text: str,
    reference: date,
    field: str = "when",
    business_days: BusinessDays | None = None,
) -> tuple[date, time | None]:
    """A day as parse_day reads it, with an optional time: 'tomorrow 14:00', 'monday',
    'friday at 9:30', '2027-11-23T14:00', or '16:00' alone (today). Without a time the
    second value is None: the caller keeps the time it had."""
    phrase = " ".join(str(text).strip().lower().split())
    if len(phrase) > 100:
        raise InputError(field, "is too long to be a day and time")
    phrase = re.sub(r"^(\d{4}-\d{2}-\d{2})t(?=\d)", r"\1 ", phrase)
    clock: time | None = None
    timed = re.fullmatch(r"(?:(?P<day>.*?)\s+)?(?:at\s+)?(?P<h>\d{1,2}):(?P<m>\d{2})", phrase)
    if timed:
        hour, minute = int(timed["h"]), int(timed["m"])
        if hour > 23 or minute > 59:
            raise InputError(field, f"{text!r} has no such time of day; {_WHEN_HELP}")
        clock = time(hour, minute)
        phrase = timed["day"] or "today"
    if not phrase:
        raise InputError(field, f"expected a day and time; {_WHEN_HELP}")
    try:
        day = parse_day(phrase, reference, field, business_days)
    except InputError:
        raise InputError(field, f"{text!r} is not a day and time; {_WHEN_HELP}") from None
    return day, clock


def _clean(text: object, field: str, *, multiline: bool) -> str:
    """``text`` stripped, with LF line ends, and free of what no calendar can carry:
    NUL, other control characters, and bytes that were not UTF-8.
    """
    value = normalize_newlines(str(text)).strip()
    if not multiline and "\n" in value:
        raise InputError(field, "expected a single line")
    if "\x00" in value:
        raise InputError(field, "contains a NUL character")
    if _CONTROL.search(value):
        raise InputError(field, "contains a control character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # Bytes that were not UTF-8 (a terminal in another encoding) arrive as surrogates.
        raise InputError(field, "is not valid UTF-8 text; check the terminal's encoding") from None
    return value


def parse_email(text: str, field: str) -> str:
    email = str(text).strip()
    if not _EMAIL.match(email):
        raise InputError(field, f"{text!r} is not an e-mail address like jane@example.com")
    return email


def parse_person(text: str, field: str) -> Person:
    """'Jane Doe <jane@example.com>', 'jane@example.com' or 'Jane Doe'."""
    raw = _clean(text, field, multiline=True)
    if not raw:
        raise InputError(field, "expected 'Name <email>', a name or an e-mail address")
    match = _PERSON.match(raw)
    if match:
        name = match["name"].strip().strip('"').strip()
        return Person(name=name, email=parse_email(match["email"], field))
    if "@" in raw:
        return Person(email=parse_email(raw, field))
    if "<" in raw or ">" in raw:
        raise InputError(field, f"{text!r} is not 'Name <email>'")
    return Person(name=raw)


_DURATION = re.compile(r"^(?:(\d{1,4})\s*h)?\s*(?:(\d{1,6})\s*m(?:in)?)?$", re.IGNORECASE)


def parse_minutes(text: str | int, field: str) -> int:
    """The one duration syntax of flags, files and settings: '90', '90m', '1h', '1h30m'."""
    raw = str(text).strip()
    if _digits(raw) and len(raw) <= 6:
        return int(raw)
    match = _DURATION.match(raw)
    if not raw or not match or not any(match.groups()):
        raise InputError(field, f"{text!r} is not a duration such as 45, 60m, 1h or 1h30m")
    hours, minutes = (int(g) if g else 0 for g in match.groups())
    return hours * 60 + minutes


def parse_duration(text: str | int, field: str = "duration") -> int:
    """An interview's length: 5 minutes to a day."""
    minutes = parse_minutes(text, field)
    if not 5 <= minutes <= 24 * 60:
        raise InputError(field, f"{text!r} is not a length from 5 minutes to 24 hours")
    return minutes


def parse_clock(text: str, field: str) -> time:
    """A time of day, '10:00'."""
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", str(text))
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise InputError(field, f"{text!r} is not a time of day such as 10:00")
    return time(int(match[1]), int(match[2]))


def parse_phone(text: str, field: str = "phone") -> str:
    phone = str(text).strip()
    if phone and not _PHONE.match(phone):
        raise InputError(field, f"{text!r} is not a phone number like +1 555 010 2030")
    return phone


def parse_url(text: str, field: str = "posting-url") -> str:
    url = _clean(text, field, multiline=False)
    if url and not re.match(r"^https?://[^\s/]+\S*$", url):
        raise InputError(field, f"{text!r} is not a web address starting with http:// or https://")
    return url


def _choice(text: str, field: str, choices: list[str]) -> str:
    value = str(text).strip().lower()
    if value not in choices:
        raise InputError(field, f"{text!r} is not one of: {', '.join(choices)}")
    return value


def parse_channel(text: str, field: str = "channel") -> Channel:
    return Channel(_choice(text, field, [c.value for c in Channel]))


def parse_status(text: str, field: str = "status") -> Status:
    return Status(_choice(text, field, [s.value for s in Status]))


def parse_kind(text: str, field: str = "kind") -> Kind:
    return Kind(_choice(text, field, [k.value for k in Kind]))


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF: iCalendar text has only one kind of line break."""
    return str(text).replace("\r\n", "\n").replace("\r", "\n")


def parse_text(text: str, field: str, *, multiline: bool = False, required: bool = False) -> str:
    value = _clean(text, field, multiline=multiline)
    if required and not value:
        raise InputError(field, "must not be empty")
    return value
