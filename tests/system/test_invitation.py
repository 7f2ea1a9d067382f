"""`followup log --from-invite FILE|-` and `followup import FILE.ics`: interviews from
the invitations Google Calendar, Outlook/Exchange and Apple Calendar send."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import FOLLOWUP_BIN, Cli, of_kind, one, snapshot

INVITATIONS = Path(__file__).resolve().parents[1] / "data" / "invitations"
ME = "alex.candidate@gmail.com, alex@work.example, me@example.com"


@pytest.fixture
def me(cli: Cli) -> Cli:
    cli.ok("config", "set", "me", ME)
    cli.ok("config", "set", "timezone", "America/New_York")
    return cli


def test_google_invitation(me: Cli) -> None:
    logged = me.json("log", "--from-invite", INVITATIONS / "google.ics")
    interview = logged["interview"]
    assert (interview["company"], interview["start"], interview["tz"], interview["duration"]) == (
        "Northwind Traders",
        "2027-11-15T10:00",
        "America/New_York",
        45,
    )
    assert [p["name"] for p in interview["interviewers"]] == ["Sam Lee", "Jane Doe", "Raj Patel"]
    assert interview["contact"]["email"] == "sam.lee@northwind-traders.example"
    assert "Join: https://meet.google.com/abc-defg-hij" in interview["notes"]
    notes = of_kind(logged["events"], "thank-you")
    assert sorted(e["who"] for e in notes) == ["Jane Doe", "Raj Patel", "Sam Lee"]
    # An hour after the 45-minute interview ends.
    assert {e["start"] for e in notes} == {"2027-11-15T11:45:00-05:00"}


def test_outlook_invitation_with_a_windows_zone(me: Cli) -> None:
    logged = me.json("log", "--from-invite", INVITATIONS / "outlook.ics")
    interview = logged["interview"]
    assert (interview["start"], interview["tz"], interview["duration"]) == (
        "2027-11-16T14:00",
        "Europe/Berlin",
        90,
    )
    assert [p["name"] for p in interview["interviewers"]] == ["Anna Müller", "Jonas Becker"]
    assert {e["start"] for e in of_kind(logged["events"], "thank-you")} == {
        "2027-11-16T16:30:00+01:00"
    }


def test_apple_invitation_from_standard_input(me: Cli) -> None:
    done = subprocess.run(
        [str(FOLLOWUP_BIN), "log", "--from-invite", "-", "--json"],
        input=(INVITATIONS / "apple.ics").read_bytes(),
        capture_output=True,
        env=dict(os.environ),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    listed = me.json("list")
    assert [(i["company"], i["start"], i["tz"]) for i in listed] == [
        ("Initech", "2027-11-17T09:00", "Europe/London")
    ]


def test_every_flag_overrides_the_invitation(me: Cli) -> None:
    logged = me.json(
        "log",
        "--from-invite",
        INVITATIONS / "outlook.ics",
        "--company",
        "Müller & Söhne",
        "--role",
        "Backend Developer",
        "--tz",
        "Europe/London",  # the same moment, in the employer's other office
        "--duration",
        "60",
        "--interviewer",
        "Jonas Becker <jonas.becker@mueller-soehne.example>",
        "--contact",
        "HR <hr@mueller-soehne.example>",
        "--notes",
        "Bring the portfolio.",
    )
    interview = logged["interview"]
    assert (interview["company"], interview["role"], interview["start"], interview["tz"]) == (
        "Müller & Söhne",
        "Backend Developer",
        "2027-11-16T13:00",
        "Europe/London",
    )
    assert interview["duration"] == 60
    assert [p["name"] for p in interview["interviewers"]] == ["Jonas Becker"]
    assert interview["contact"] == {"name": "HR", "email": "hr@mueller-soehne.example"}
    assert interview["notes"] == "Bring the portfolio."
    # --at is wall-clock time in the invitation's zone.
    again = me.json("log", "--from-invite", INVITATIONS / "outlook.ics", "--at", "2027-11-23 09:00")
    assert (again["interview"]["start"], again["interview"]["tz"]) == (
        "2027-11-23T09:00",
        "Europe/Berlin",
    )


def test_a_free_mail_organizer_needs_company(me: Cli, tmp_path: Path) -> None:
    invite = tmp_path / "gmail.ics"
    invite.write_bytes(
        (INVITATIONS / "google.ics")
        .read_bytes()
        .replace(b"sam.lee@northwind-traders.example", b"sam.lee.recruits@gmail.com")
    )
    before = snapshot(me.home)
    result = me("log", "--from-invite", invite)
    assert result.code == 2
    assert result.err.startswith("followup: error: company: the organizer's address")
    assert result.err.strip().endswith("give --company") and result.err.count("\n") == 1
    assert snapshot(me.home) == before
    assert me.json("log", "--from-invite", invite, "--company", "Northwind")["id"] == 1


def test_no_output_carries_attendees_or_organizers(me: Cli, tmp_path: Path) -> None:
    for name in ("google.ics", "outlook.ics", "apple.ics"):
        me.ok("log", "--from-invite", INVITATIONS / name)
    exported = me.ok("export").out
    assert "BEGIN:VEVENT" in exported
    assert "ATTENDEE" not in exported and "ORGANIZER" not in exported
    assert "METHOD:REQUEST" not in exported


def test_import_reads_every_event_of_a_calendar_file(me: Cli, tmp_path: Path) -> None:
    parts = [(INVITATIONS / n).read_bytes() for n in ("google.ics", "outlook.ics", "apple.ics")]
    several = tmp_path / "invitations.ics"
    several.write_bytes(b"".join(parts))
    report = me.json("import", several)
    assert report == {
        "added": [1, 2, 3],
        "updated": [],
        "unchanged": [],
        "statuses": [],
        "ignored_columns": [],
    }
    listed = me.json("list")
    assert [i["company"] for i in listed] == ["Northwind Traders", "Mueller Soehne", "Initech"]
    again = me.json("import", several)  # the same file again
    assert (again["updated"], again["unchanged"]) == ([], [1, 2, 3])
    assert len(me.json("list")) == 3
    assert one(me.plan(1), "follow-up")["status"] == "scheduled"


def test_import_of_a_calendar_with_an_event_naming_no_company(me: Cli, tmp_path: Path) -> None:
    gmail = (
        (INVITATIONS / "apple.ics")
        .read_bytes()
        .replace(b"samir@initech.co.uk", b"samir.n@gmail.com")
    )
    path = tmp_path / "mixed.ics"
    path.write_bytes((INVITATIONS / "google.ics").read_bytes() + gmail)
    before = snapshot(me.home)
    result = me("import", path)
    assert result.code == 2
    assert result.err.startswith("followup: error: mixed.ics event 2: company: ")
    assert "give --company" in result.err
    assert snapshot(me.home) == before
    me.ok("import", path, "--company", "Initech")
    assert [i["company"] for i in me.json("list")] == ["Northwind Traders", "Initech"]


def test_import_reads_utc_times_in_the_tz_flag(me: Cli, tmp_path: Path) -> None:
    path = tmp_path / "utc.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:u1@test\r\nDTSTAMP:20271101T000000Z\r\nDTSTART:20271115T090000Z\r\n"
        "DTEND:20271115T093000Z\r\nORGANIZER;CN=Kim Ito:mailto:kim@acme.example\r\n"
        "SUMMARY:Phone screen\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
        newline="",
    )
    me.ok("import", path, "--tz", "Asia/Tokyo")
    (interview,) = me.json("list")
    assert (interview["start"], interview["tz"], interview["duration"]) == (
        "2027-11-15T18:00",
        "Asia/Tokyo",
        30,
    )
