"""Read a date and time as people type them in spreadsheets: ISO, '15.12.2026 14:00',
'12/15/2026 2:00 PM', with or without seconds.

ISO forms are read by the standard library; everything else by python-dateutil (loaded
only then). A numeric date that reads differently day-first and month-first is refused
unless the ``date_order`` setting says which it is; one written with dots (15.12.2026)
is day-first wherever dots are the custom.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING

from .errors import InputError
from .parsing import check_year, parse_day

if TYPE_CHECKING:
    from .days import BusinessDays

_ISO = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2})(:\d{2}(?::\d{2}(?:\.\d+)?)?))?")
_YEAR_FIRST = re.compile(r"\d{4}\D")
# Two defaults that differ in every part a start needs: what comes out different was
# not in the text.
_DEFAULTS = (datetime(1901, 1, 1, 0, 0), datetime(1902, 2, 2, 1, 0))
_EXAMPLE = "a date and time like '2027-11-15 10:00', '15.11.2027 10:00' or '11/15/2027 10:00 AM'"
_DAY_EXAMPLE = "a date like '2027-11-23', '23.11.2027' or '11/23/2027'"
# A day as spreadsheets write it, day and month first: 23.11.2027, 11/23/2027, 23-11-27.
_SPREADSHEET_DAY = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
DATE_ORDERS = ("DMY", "MDY")
_DOTTED = re.compile(r"\d{1,2}\.\d{1,2}\.\d{2,4}\b")


def read_start(text: object, field: str = "at", date_order: str = "") -> datetime:
    """A naive wall-clock datetime, to the minute, or an InputError naming ``field``."""
    raw = " ".join(str(text).split())
    if not raw:
        raise InputError(field, f"is required, as {_EXAMPLE}")
    if len(raw) > 60:
        raise InputError(field, "is too long to be a date and time")
    iso = _ISO.fullmatch(raw)
    if iso:
        day, hour, rest = iso.groups()
        # fromisoformat wants two digits of hour: "9:00" is as good as "09:00".
        normal = day if hour is None else f"{day}T{int(hour):02d}{rest}"
        try:
            moment = datetime.fromisoformat(normal)
        except ValueError:
            raise InputError(field, f"{text!r} is not {_EXAMPLE}") from None
    else:
        moment = _read_loosely(raw, text, field, date_order)
    check_year(moment.year, text, field)
    return moment.replace(second=0, microsecond=0)


def read_decision_day(
    text: object,
    reference: date,
    field: str,
    business_days: BusinessDays | None = None,
    date_order: str = "",
) -> date:
    """A promised day: a phrase or an ISO date (see parsing.parse_day), or a date as a
    spreadsheet writes it ('26.03.2027'), read with ``date_order`` as a start is."""
    raw = " ".join(str(text).split())
    if not _SPREADSHEET_DAY.fullmatch(raw):
        return parse_day(str(text), reference, field, business_days)
    day = _read_loosely(raw, text, field, date_order, day_only=True).date()
    check_year(day.year, text, field)
    return day


def _read_loosely(
    raw: str, text: object, field: str, date_order: str, *, day_only: bool = False
) -> datetime:
    if _YEAR_FIRST.match(raw):  # 2027/11/15: nobody writes the year first and then the day
        return _parse(raw, text, field, dayfirst=False, yearfirst=True, day_only=day_only)
    if date_order:
        return _parse(raw, text, field, dayfirst=date_order == "DMY", day_only=day_only)
    if _DOTTED.match(raw):  # 07.12.2026: Germany, Russia, Poland... all write the day first
        return _parse(raw, text, field, dayfirst=True, day_only=day_only)
    day_first = _parse(raw, text, field, dayfirst=True, day_only=day_only)
    month_first = _parse(raw, text, field, dayfirst=False, day_only=day_only)
    if day_first != month_first:
        raise InputError(
            field,
            f"{text!r} could be {_spoken(day_first)} (day first) or {_spoken(month_first)}"
            " (month first); say which with `followup config set date_order DMY` (or MDY)",
        )
    return day_first


def _parse(
    raw: str,
    text: object,
    field: str,
    *,
    dayfirst: bool = False,
    yearfirst: bool = False,
    day_only: bool = False,
) -> datetime:
    from dateutil import parser

    example = _DAY_EXAMPLE if day_only else _EXAMPLE

    try:
        first, second = (
            parser.parse(raw, dayfirst=dayfirst, yearfirst=yearfirst, default=default)
            for default in _DEFAULTS
        )
    except (ValueError, OverflowError):  # dateutil's ParserError is a ValueError
        raise InputError(field, f"{text!r} is not {example}") from None
    if first.tzinfo is not None:
        raise InputError(
            field, f"{text!r} carries a UTC offset; give the local time and the zone in tz"
        )
    missing = [
        name
        for part, name in (("year", "year"), ("month", "month"), ("day", "day"), ("hour", "time"))
        if getattr(first, part) != getattr(second, part) and not (day_only and part == "hour")
    ]
    if missing:
        raise InputError(field, f"{text!r} has no {missing[0]}; expected {example}")
    return first


def _spoken(moment: datetime) -> str:
    return f"{moment.day} {moment.strftime('%B')} {moment.year}"
