"""Validate the fields of an interview as typed by a person (flags or a file row)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .config import Settings
from .days import business_days, validate_region
from .errors import InputError
from .model import Channel, Interview, Person, merge_people, same_person
from .parsing import (
    parse_channel,
    parse_duration,
    parse_person,
    parse_phone,
    parse_text,
    parse_url,
)
from .regions import region_for
from .timezones import zone

# The fields of `followup log`, which `edit` and `import` share.
FIELDS = (
    "company",
    "role",
    "at",
    "tz",
    "duration",
    "interviewers",
    "contact",
    "phone",
    "channel",
    "decision_by",
    "posting_url",
    "notes",
    "country",
    "subdivision",
)


# Only `edit` takes these: people to add to, or remove from, the stored interviewers.
EDIT_FIELDS = ("add_interviewers", "remove_interviewers")


def _flag(name: str) -> str:
    return name.replace("_", "-")


def _people(value: Any) -> tuple[Person, ...]:
    if isinstance(value, str):
        value = [part for part in value.split(";") if part.strip()]
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        raise InputError(
            "interviewer", "expected 'Name <email>' entries, as a list or separated by ';'"
        )
    return merge_people(parse_person(item, "interviewer") for item in value)


def _edited_people(
    people: tuple[Person, ...], add: list[str], remove: list[str]
) -> tuple[Person, ...]:
    kept = list(people)
    for text in remove:
        gone = parse_person(text, "remove-interviewer")
        matches = [p for p in kept if same_person(gone, p)]
        if not matches:
            raise InputError(
                "remove-interviewer", f"{text!r} is not one of the interviewers of this interview"
            )
        kept = [p for p in kept if p not in matches]
    return merge_people([*kept, *(parse_person(text, "add-interviewer") for text in add)])


def build(raw: Mapping[str, Any], settings: Settings, base: Interview | None = None) -> Interview:
    """An Interview from raw field values; ``base`` supplies what ``raw`` leaves out.

    Keys missing from ``raw`` (or None) are left as they are in ``base``.
    """
    given = {name: value for name, value in raw.items() if value is not None}
    unknown = set(given) - set(FIELDS) - (set(EDIT_FIELDS) if base is not None else set())
    if unknown:
        raise InputError(_flag(sorted(unknown)[0]), "is not a field of an interview")
    if base is None:
        if not str(given.get("company", "")).strip():
            raise InputError("company", "is required")
        if not str(given.get("at", "")).strip():
            raise InputError("at", "is required, as 'YYYY-MM-DD HH:MM'")
    changes: dict[str, Any] = {}
    if "company" in given:
        changes["company"] = parse_text(given["company"], "company", multiline=True, required=True)
    if "role" in given:
        changes["role"] = parse_text(given["role"], "role", multiline=True)
    if "at" in given:
        from .dates import read_start

        changes["start"] = read_start(given["at"], "at", settings.date_order)
    if "tz" in given and str(given["tz"]).strip():
        changes["tz"] = str(given["tz"]).strip()
        zone(changes["tz"], "tz")
    if "duration" in given:
        changes["duration"] = parse_duration(given["duration"])
    if "interviewers" in given:
        changes["interviewers"] = _people(given["interviewers"])
    if base is not None and any(given.get(name) for name in EDIT_FIELDS):
        changes["interviewers"] = _edited_people(
            changes.get("interviewers", base.interviewers),
            list(given.get("add_interviewers") or []),
            list(given.get("remove_interviewers") or []),
        )
    if "contact" in given:
        text = str(given["contact"]).strip()
        changes["contact"] = parse_person(text, "contact") if text else Person()
    if "phone" in given:
        changes["phone"] = parse_phone(given["phone"])
    if "channel" in given:
        text = str(given["channel"]).strip()
        changes["channel"] = parse_channel(text) if text else None
    if "posting_url" in given:
        changes["posting_url"] = parse_url(given["posting_url"])
    if "notes" in given:
        changes["notes"] = parse_text(given["notes"], "notes", multiline=True)
    for name in ("country", "subdivision"):
        if name in given:
            changes[name] = parse_text(given[name], name).upper()

    if base is None:
        interview = Interview(
            company=changes.pop("company"),
            start=changes.pop("start"),
            tz=changes.pop("tz", "") or settings.zone_name,
        )
        interview = interview._replace(**changes)
    else:
        interview = base._replace(**changes)

    country, subdivision = region_for(interview, settings)
    if interview.country or interview.subdivision:
        validate_region(country, subdivision)
    if "decision_by" in given:
        text = str(given["decision_by"]).strip()
        # Phrases count from the interview day: "in a week" is what they said there.
        days = business_days(country, subdivision)
        from .dates import read_decision_day

        decision = (
            read_decision_day(
                text, interview.start.date(), "decision-by", days, settings.date_order
            )
            if text
            else None
        )
        interview = interview._replace(decision_by=decision)
    check_decision(interview, interview.decision_by)
    if "at" in given or "tz" in given:
        _check_the_clock_shows(interview)
    return interview


def _check_the_clock_shows(interview: Interview) -> None:
    """Refuse a start that the clocks skip (the hour lost when summer time begins)."""
    tz = zone(interview.tz)
    aware = interview.start.replace(tzinfo=tz)
    back = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if back != interview.start:
        raise InputError(
            "at",
            f"{interview.start:%Y-%m-%d %H:%M} does not exist in {interview.tz}: the clocks"
            f" jump over it that night (to {back:%H:%M}); give a time before or after the gap",
        )


def notices(interview: Interview, now: datetime) -> list[str]:
    """Warnings about an interview that is valid but probably not what was meant."""
    found = []
    tz = zone(interview.tz)
    first = interview.start.replace(tzinfo=tz, fold=0)
    second = interview.start.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        found.append(
            f"note: {interview.start:%Y-%m-%d %H:%M} happens twice in {interview.tz} (the clocks"
            f" go back that night); taking the first, {first.tzname()}"
        )
    if first < now - timedelta(days=30):
        found.append(
            f"warning: the interview on {interview.start:%Y-%m-%d} is more than 30 days ago;"
            f" if the year is wrong, fix it with: followup edit {interview.id or 'ID'} --at"
        )
    elif first > now + timedelta(days=365):
        found.append(
            f"warning: the interview on {interview.start:%Y-%m-%d} is more than a year ahead;"
            f" if the year is wrong, fix it with: followup edit {interview.id or 'ID'} --at"
        )
    if interview.reach_by is Channel.PHONE and not interview.phone:
        found.append(
            "warning: follow-ups are by phone but no number is stored; add one with --phone"
        )
    return found


def check_decision(interview: Interview, decision: date | None) -> None:
    if decision is not None and decision < interview.start.date():
        raise InputError(
            "decision-by",
            f"{decision.isoformat()} is before the interview on {interview.start.date().isoformat()}",
        )
