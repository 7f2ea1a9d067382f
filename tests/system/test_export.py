"""`followup export`: one iCalendar file that real parsers (icalendar, vobject) accept."""

from __future__ import annotations

import re
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject
from conftest import FOLLOWUP_BIN, NY, Cli, by_uid, one, parse_start
from support.hostile import HOSTILE_COMPANY, HOSTILE_CONTACT, HOSTILE_INTERVIEWER, HOSTILE_NOTES

EVENT_PROPS = (
    "UID",
    "SEQUENCE",
    "DTSTAMP",
    "STATUS",
    "CATEGORIES",
    "X-FOLLOWUP-KIND",
    "X-FOLLOWUP-INTERVIEW",
    "DESCRIPTION",
    "SUMMARY",
    "DTSTART",
    "DTEND",
)


def export(cli: Cli, target: Path) -> bytes:
    result = cli.ok("export", "-o", target)
    assert result.err.strip() == f"Wrote {target}."
    return target.read_bytes()


def unfolded_lines(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]


def vevents(data: bytes) -> list[Any]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


@pytest.fixture
def calendar(us_cli: Cli, tmp_path: Path) -> tuple[bytes, list[dict[str, Any]]]:
    """Timed, all-day, done and cancelled events in two zones, exported."""
    first = us_cli.log(
        "--company",
        "Northwind Traders",
        "--role",
        "Data Analyst",
        "--at",
        "2027-11-15 10:00",
        "--interviewer",
        "Jane Doe",
        "--interviewer",
        "Raj Patel",
    )
    us_cli.log(
        "--company",
        "Globex",
        "--at",
        "2027-10-28 14:00",
        "--tz",
        "Europe/Berlin",
        "--decision-by",
        "2027-10-29",
    )
    heard = us_cli.log(
        "--company", "Initech", "--at", "2030-05-06 10:00", "--decision-by", "2030-05-10"
    )
    us_cli.ok("done", first, "thank-you", "--who", "Raj Patel")
    us_cli.ok("status", heard, "heard")
    events = us_cli.plan(all_=True)
    return export(us_cli, tmp_path / "out.ics"), events


def test_parses_with_icalendar_and_vobject(calendar: tuple[bytes, list[dict[str, Any]]]) -> None:
    data, events = calendar
    parsed = vevents(data)
    assert len(parsed) == len(events) == 18
    assert {str(e["UID"]) for e in parsed} == {e["uid"] for e in events}
    card = vobject.readOne(data.decode("utf-8"))
    assert len(card.vevent_list) == len(events)
    assert {v.uid.value for v in card.vevent_list} == {e["uid"] for e in events}


def test_calendar_properties(calendar: tuple[bytes, list[dict[str, Any]]]) -> None:
    data, _ = calendar
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]).startswith("-//interview-followup//")
    assert str(cal["NAME"]) == str(cal["X-WR-CALNAME"]) == "Interview follow-ups"
    assert "UID" not in cal
    assert "METHOD" not in cal
    head = data.split(b"BEGIN:VTIMEZONE", 1)[0]
    assert b"\r\nUID" not in head and b"METHOD" not in head


def test_every_event_has_the_required_properties(
    calendar: tuple[bytes, list[dict[str, Any]]],
) -> None:
    data, events = calendar
    stored = by_uid(events)
    for component in vevents(data):
        for prop in EVENT_PROPS:
            assert prop in component, prop
        event = stored[str(component["UID"])]
        assert int(component["SEQUENCE"]) == event["sequence"]
        assert str(component["X-FOLLOWUP-KIND"]) == event["kind"]
        assert str(component["X-FOLLOWUP-INTERVIEW"]) == str(event["interview_id"])
        assert str(component["SUMMARY"]) == event["summary"]
        assert str(component["DESCRIPTION"]) == event["description"]
        categories = [str(c) for c in component["CATEGORIES"].cats]
        assert categories == ["Job search", event["kind"]]
        expected_status = "CANCELLED" if event["status"] == "cancelled" else "CONFIRMED"
        assert str(component["STATUS"]) == expected_status
        stamp = component["DTSTAMP"].dt
        assert isinstance(stamp, datetime) and stamp.utcoffset() == timedelta(0)


def test_alarm_only_on_timed_scheduled_events(calendar: tuple[bytes, list[dict[str, Any]]]) -> None:
    data, events = calendar
    stored = by_uid(events)
    with_alarm = 0
    for component in vevents(data):
        event = stored[str(component["UID"])]
        alarms = list(component.walk("VALARM"))
        if not event["all_day"] and event["status"] == "scheduled":
            assert len(alarms) == 1, event
            assert alarms[0]["TRIGGER"].to_ical() == b"-PT15M"
            assert str(alarms[0]["ACTION"]) == "DISPLAY"
            with_alarm += 1
        else:
            assert alarms == [], event
    # Northwind: Jane's thank-you (Raj's is done), follow-up, 2 check-ins; Globex the same
    # four; Initech (heard) only its thank-you.
    assert with_alarm == 4 + 4 + 1


def test_all_day_events_are_dates_and_timed_events_carry_their_zone(
    calendar: tuple[bytes, list[dict[str, Any]]],
) -> None:
    data, events = calendar
    stored = by_uid(events)
    zones = {str(z["TZID"]) for z in icalendar.Calendar.from_ical(data).walk("VTIMEZONE")}
    assert zones == {NY, "Europe/Berlin"}
    for component in vevents(data):
        event = stored[str(component["UID"])]
        start, end = component["DTSTART"], component["DTEND"]
        if event["all_day"]:
            assert start.params["VALUE"] == "DATE"
            assert type(start.dt) is date and type(end.dt) is date
            assert end.dt - start.dt == timedelta(days=1)
            assert start.dt.isoformat() == event["start"]
        else:
            assert start.params["TZID"] in zones
            assert start.params["TZID"] == end.params["TZID"] == event["tz"]
            assert start.dt == parse_start(event["start"])
            assert end.dt == parse_start(event["end"])
            assert start.dt.utcoffset() == parse_start(event["start"]).utcoffset()  # type: ignore[union-attr]
    lines = unfolded_lines(data)
    assert any(line.startswith("DTSTART;VALUE=DATE:20271029") for line in lines)
    assert "DTSTART;TZID=Europe/Berlin:20271101T100000" in lines  # after the EU switch
    assert "DTSTART;TZID=Europe/Berlin:20271028T160000" in lines


def test_cancelled_and_done_events_stay_in_the_calendar(
    calendar: tuple[bytes, list[dict[str, Any]]],
) -> None:
    data, events = calendar
    by_id = {str(c["UID"]): c for c in vevents(data)}
    cancelled = [e for e in events if e["status"] == "cancelled"]
    assert len(cancelled) == 5
    for event in cancelled:
        assert str(by_id[event["uid"]]["STATUS"]) == "CANCELLED"
        assert str(by_id[event["uid"]]["X-FOLLOWUP-STATUS"]) == "cancelled"
    done = one([e for e in events if e["status"] == "done"], "thank-you")
    component = by_id[done["uid"]]
    assert str(component["SUMMARY"]).startswith("✓ Done: Send a thank-you note to Raj Patel")
    assert str(component["STATUS"]) == "CONFIRMED"
    assert str(component["X-FOLLOWUP-STATUS"]) == "done"
    assert list(component.walk("VALARM")) == []


def test_no_attendee_or_organizer(calendar: tuple[bytes, list[dict[str, Any]]]) -> None:
    data, _ = calendar
    for line in unfolded_lines(data):
        name = line.split(":", 1)[0].split(";", 1)[0].upper()
        assert name not in ("ATTENDEE", "ORGANIZER")


def test_lines_are_crlf_and_folded(calendar: tuple[bytes, list[dict[str, Any]]]) -> None:
    data, _ = calendar
    raw_lines = data.split(b"\r\n")
    assert raw_lines[0] == b"BEGIN:VCALENDAR" and raw_lines[-2] == b"END:VCALENDAR"
    for line in raw_lines:
        assert b"\n" not in line and b"\r" not in line
        assert len(line) <= 75


def test_export_twice_is_byte_identical(us_cli: Cli, tmp_path: Path) -> None:
    us_cli.log("--company", "Acme", "--at", "2027-11-15 10:00", "--interviewer", "Jane Doe")
    us_cli.log("--company", "Beta", "--at", "2027-11-16 10:00", "--tz", "Asia/Tokyo")
    first = export(us_cli, tmp_path / "a.ics")
    second = export(us_cli, tmp_path / "b.ics")
    assert first == second


def test_export_to_stdout_in_a_child_process_is_the_same_bytes(us_cli: Cli, tmp_path: Path) -> None:
    us_cli.log("--company", "Acme", "--at", "2027-11-15 10:00")
    in_file = export(us_cli, tmp_path / "a.ics")
    child = subprocess.run(
        [str(FOLLOWUP_BIN), "export"], capture_output=True, check=True, timeout=60
    )
    assert child.stdout == in_file
    assert child.stderr == b""


def test_unchanged_events_keep_their_bytes_and_dtstamp(us_cli: Cli, tmp_path: Path) -> None:
    interview_id = us_cli.log("--company", "Acme", "--at", "2027-11-15 10:00")
    before = {str(c["UID"]): c.to_ical() for c in vevents(export(us_cli, tmp_path / "a.ics"))}
    us_cli.ok("done", interview_id, "follow-up")
    after = {str(c["UID"]): c.to_ical() for c in vevents(export(us_cli, tmp_path / "b.ics"))}
    changed = {uid for uid in before if before[uid] != after[uid]}
    plan = by_uid(us_cli.plan(interview_id))
    assert {plan[uid]["kind"] for uid in changed} == {"follow-up"}


def test_alarm_minutes_setting(us_cli: Cli, tmp_path: Path) -> None:
    us_cli.log("--company", "Acme", "--at", "2027-11-15 10:00")
    us_cli.ok("config", "set", "alarm_minutes", "30")
    triggers = {
        a["TRIGGER"].to_ical()
        for c in vevents(export(us_cli, tmp_path / "a.ics"))
        for a in c.walk("VALARM")
    }
    assert triggers == {b"-PT30M"}
    sequences = {e["kind"]: e["sequence"] for e in us_cli.plan()}
    assert sequences == {"thank-you": 1, "follow-up": 1, "check-in": 1, "move-on": 0}
    us_cli.ok("config", "set", "alarm_minutes", "0")
    assert all(list(c.walk("VALARM")) == [] for c in vevents(export(us_cli, tmp_path / "b.ics")))


def _as_stored(text: str) -> str:
    """What a calendar can give back: CRLF and CR become LF (iCalendar has no CR)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def test_hostile_text_is_escaped_and_round_trips(us_cli: Cli, tmp_path: Path) -> None:
    data = us_cli.json(
        "log",
        "--company",
        HOSTILE_COMPANY,
        "--role",
        "Role; with, punctuation",
        "--at",
        "2027-11-15 10:00",
        "--notes",
        HOSTILE_NOTES,
        "--contact",
        HOSTILE_CONTACT,
        "--interviewer",
        HOSTILE_INTERVIEWER,
        "--phone",
        "+1 555 010 2030",
    )
    assert data["interview"]["company"] == _as_stored(HOSTILE_COMPANY)
    assert data["interview"]["notes"] == _as_stored(HOSTILE_NOTES)
    assert data["interview"]["contact"]["name"] == _as_stored(HOSTILE_CONTACT.split(" <")[0])
    us_cli.ok("status", data["id"], "rejected")  # adds a stay-in-touch naming the contact
    events = us_cli.plan(all_=True)
    assert len(events) == 6
    out = export(us_cli, tmp_path / "hostile.ics")

    # The structure is intact: exactly one calendar, one line per property.
    lines = unfolded_lines(out)
    assert lines.count("BEGIN:VCALENDAR") == 1 and lines.count("END:VCALENDAR") == 1
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == len(events)
    assert not any(line.startswith(("UID:injected", "ORGANIZER")) for line in lines)
    # No control character but the CRLF line ends (RFC 5545 allows none in text).
    assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", out.replace(b"\r\n", b""))

    stored = by_uid(events)
    parsed = vevents(out)
    assert len(parsed) == len(events)
    for component in parsed:
        event = stored[str(component["UID"])]
        assert str(component["SUMMARY"]) == event["summary"]
        assert str(component["DESCRIPTION"]) == event["description"]
    card = vobject.readOne(out.decode("utf-8"))
    assert len(card.vevent_list) == len(events)
    for vevent in card.vevent_list:
        event = stored[vevent.uid.value]
        assert vevent.summary.value == event["summary"]
        assert vevent.description.value == event["description"]

    # And the original text is in there, whole.
    company = _as_stored(HOSTILE_COMPANY)
    follow = one(events, "follow-up")
    assert company in follow["summary"]
    assert _as_stored(HOSTILE_NOTES) in follow["description"]
    assert "Mal\nORGANIZER:mailto:evil@example.com" in follow["description"]
    thank = one(events, "thank-you")
    assert thank["who"] == HOSTILE_INTERVIEWER
    assert HOSTILE_INTERVIEWER in thank["summary"]
    assert "Role; with, punctuation" in thank["description"]
