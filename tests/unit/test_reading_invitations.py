"""Reading invitations as Google Calendar, Outlook/Exchange and Apple Calendar send them
(tests/data/invitations), and the bits of RFC 5545 they differ in."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from interview_followup import mail_domains
from interview_followup.errors import InputError
from interview_followup.invitation import Invitation, fields_of, read
from interview_followup.model import Person

INVITATIONS = Path(__file__).resolve().parents[1] / "data" / "invitations"
ME = ("alex.candidate@gmail.com", "alex@work.example", "me@example.com")


def invitation(name: str) -> Invitation:
    (found,) = read((INVITATIONS / name).read_bytes(), name)
    return found


def calendar(*event_lines: str, method: str = "REQUEST") -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Test//EN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        "UID:1@test",
        "DTSTAMP:20271101T000000Z",
        *event_lines,
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


def test_google_calendar() -> None:
    found = invitation("google.ics")
    assert found.start == datetime(2027, 11, 15, 10, 0, tzinfo=ZoneInfo("America/New_York"))
    assert (found.zone, found.duration) == ("America/New_York", 45)
    assert found.conference == "https://meet.google.com/abc-defg-hij"
    reading = fields_of(found, me=ME, default_zone="UTC")
    assert reading.gaps == {}
    assert reading.fields["company"] == "Northwind Traders"
    assert reading.fields["interviewers"] == [
        "Sam Lee <sam.lee@northwind-traders.example>",
        "Jane Doe <jane.doe@northwind-traders.example>",
        # Google names a guest it does not know by the address alone.
        "Raj Patel <raj.patel@northwind-traders.example>",
    ]  # the organizer once though also an attendee; not the room, not me
    assert reading.fields["contact"] == "Sam Lee <sam.lee@northwind-traders.example>"
    assert reading.fields["notes"].splitlines() == [
        "Invitation: Interview: Data Analyst (Alex Candidate)",
        "Location: Northwind Traders, 5th floor, 100 Main St, New York, NY 10001",
        "Join: https://meet.google.com/abc-defg-hij",
    ]


def test_outlook_with_a_windows_zone_name() -> None:
    found = invitation("outlook.ics")
    assert found.zone == "Europe/Berlin"  # TZID:W. Europe Standard Time
    assert found.start.utcoffset().total_seconds() == 3600  # type: ignore[union-attr]
    reading = fields_of(found, me=ME, default_zone="UTC")
    assert (reading.fields["at"], reading.fields["tz"], reading.fields["duration"]) == (
        "2027-11-16 14:00",
        "Europe/Berlin",
        "90",
    )
    # "Müller, Anna" is surname first; the room (NON-PARTICIPANT) and the group are no one.
    assert reading.fields["interviewers"] == [
        "Anna Müller <anna.mueller@mueller-soehne.example>",
        "Jonas Becker <jonas.becker@mueller-soehne.example>",
    ]
    assert reading.fields["company"] == "Mueller Soehne"
    assert reading.fields["notes"].splitlines()[1:] == [
        "Location: Microsoft Teams-Besprechung",
        "Join: https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjFhYjM0ZGUtOTk5Ny00ZjM2LWE2MDktYjQ3ZTI3YzBmZTQ4%40thread.v2/0?context=%7b%22Tid%22%3a%22a1b2%22%7d",
    ]


def test_apple_calendar() -> None:
    found = invitation("apple.ics")
    reading = fields_of(found, me=ME, default_zone="UTC")
    assert (reading.fields["at"], reading.fields["tz"], reading.fields["duration"]) == (
        "2027-11-17 09:00",
        "Europe/London",
        "45",
    )
    # Apple names you by an urn:uuid with an EMAIL parameter; the room is CUTYPE=ROOM.
    assert reading.fields["interviewers"] == [
        "Samir Nagheenanajar <samir@initech.co.uk>",
        "Michael Bolton <michael.bolton@initech.co.uk>",
    ]
    assert reading.fields["company"] == "Initech"
    assert "Location: Initech, 1 Silicon Way, London EC1A 1AA" in reading.fields["notes"]
    assert "Join: https://facetime.apple.com/join#v=1" in reading.fields["notes"]


def test_without_me_set_you_are_one_of_the_people() -> None:
    reading = fields_of(invitation("apple.ics"), me=(), default_zone="UTC")
    assert "Alex Candidate <me@example.com>" in reading.fields["interviewers"]


@pytest.mark.parametrize(
    ("start", "tz", "at"),
    [
        ("DTSTART:20271115T150000Z", None, "2027-11-15 10:00"),  # UTC: read in the default zone
        ("DTSTART:20271115T150000Z", "Asia/Tokyo", "2027-11-16 00:00"),
        ("DTSTART:20271115T100000", None, "2027-11-15 10:00"),  # floating: wall-clock time
        ("DTSTART:20271115T100000", "Asia/Tokyo", "2027-11-15 10:00"),
        # A zoned start keeps its instant in the zone asked for.
        ("DTSTART;TZID=Europe/Paris:20271115T160000", "America/New_York", "2027-11-15 10:00"),
    ],
)
def test_utc_and_floating_times(start: str, tz: str | None, at: str) -> None:
    (found,) = read(calendar(start, "DURATION:PT30M"), "x.ics")
    reading = fields_of(found, me=(), default_zone="America/New_York", tz=tz)
    assert reading.fields["at"] == at
    assert reading.fields["tz"] == (tz or "America/New_York" if "TZID" not in start else tz)
    assert reading.fields["duration"] == "30"


def test_a_zone_the_file_defines_but_no_database_knows_keeps_its_instant() -> None:
    data = (
        (INVITATIONS / "outlook.ics")
        .read_bytes()
        .replace(b"W. Europe Standard Time", b"Customized Time Zone")
    )
    (found,) = read(data, "custom.ics")
    assert found.zone == ""
    reading = fields_of(found, me=ME, default_zone="Europe/London")
    assert (reading.fields["at"], reading.fields["tz"]) == ("2027-11-16 13:00", "Europe/London")


def test_vendor_prefixed_tzid() -> None:
    data = calendar(
        "DTSTART;TZID=/mozilla.org/20070129_1/Europe/Berlin:20271115T100000",
        "DTEND;TZID=/mozilla.org/20070129_1/Europe/Berlin:20271115T110000",
    )
    (found,) = read(data, "x.ics")
    assert found.zone == "Europe/Berlin"


def test_what_an_invitation_cannot_say() -> None:
    (all_day,) = read(
        calendar(
            "DTSTART;VALUE=DATE:20271115", "ORGANIZER;CN=Pat:mailto:pat@gmail.com", "SUMMARY:x"
        ),
        "x.ics",
    )
    reading = fields_of(all_day, me=(), default_zone="UTC")
    assert set(reading.gaps) == {"at", "company"}
    assert "whole day" in reading.gaps["at"]
    assert "pat@gmail.com" in reading.gaps["company"]
    assert reading.fields["interviewers"] == ["Pat <pat@gmail.com>"]

    (mine,) = read(calendar("DTSTART:20271115T100000Z", "ORGANIZER:mailto:Me@Example.com"), "x")
    assert "is you" in fields_of(mine, me=("me@example.com",), default_zone="UTC").gaps["company"]


def test_cancellations_are_marked() -> None:
    (found,) = read(calendar("DTSTART:20271115T100000Z", method="CANCEL"), "x.ics")
    assert found.cancelled
    (found,) = read(calendar("DTSTART:20271115T100000Z", "STATUS:CANCELLED"), "x.ics")
    assert found.cancelled


def test_scheduling_services_are_not_people() -> None:
    (found,) = read(
        calendar(
            "DTSTART:20271115T100000Z",
            "ORGANIZER;CN=Greenhouse:mailto:no-reply@greenhouse.io",
            "ATTENDEE;CN=Kim Ito:mailto:kim@acme.example",
            "ATTENDEE;CN=Calendly:mailto:notifications@calendly.com",
        ),
        "x.ics",
    )
    reading = fields_of(found, me=(), default_zone="UTC")
    assert reading.fields["interviewers"] == ["Kim Ito <kim@acme.example>"]
    assert "contact" not in reading.fields  # the first interviewer, by default
    assert "company" in reading.gaps


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"company,at\nAcme,2027-11-15 10:00\n", "looks like a CSV table"),
        (b"", "looks like an empty file"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "holds no event"),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:soon\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "not a readable iCalendar file",
        ),
    ],
)
def test_unreadable_calendars(data: bytes, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        read(data, "x.ics")
    assert caught.value.field == "file" and problem in str(caught.value)


@pytest.mark.parametrize(
    ("email", "company"),
    [
        ("sam@northwind-traders.example", "Northwind Traders"),
        ("sam@mail.acme.com", "Acme"),
        ("sam@globex.co.uk", "Globex"),
        ("sam@gmail.com", ""),
        ("sam@outlook.com", ""),
        ("sam@yahoo.co.uk", ""),
        ("sam@calendly.com", ""),
        ("no-reply@us.greenhouse-mail.io", ""),
        ("talent@hire.lever.co", ""),
        ("noreply@acme.com", "Acme"),  # a robot, but at the employer's domain
    ],
)
def test_company_from_an_address(email: str, company: str) -> None:
    assert mail_domains.company_from(email) == company


def test_people_from_addresses() -> None:
    assert not mail_domains.is_person("no-reply@acme.com")
    assert not mail_domains.is_person("x@calendly.com")
    assert mail_domains.is_person("jane@acme.com")
    assert Person("Jane", "jane@acme.com").label() == "Jane <jane@acme.com>"
