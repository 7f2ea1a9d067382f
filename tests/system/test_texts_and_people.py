"""Texts that fit the channel, people given once, and edits that say what they did."""

from __future__ import annotations

from conftest import Cli, of_kind, one

ACME = ["--company", "Acme", "--role", "Data Analyst", "--at", "2030-05-06 10:00"]


def test_a_phone_follow_up_carries_a_call_script_with_the_number(us_cli: Cli) -> None:
    interview = us_cli.log(
        *ACME, "--contact", "Sam Lee <sam@acme.example>", "--phone", "+1 555 010 2030"
    )
    assert one(us_cli.plan(interview), "follow-up")["summary"].endswith("call Sam Lee")
    for event in [
        one(us_cli.plan(interview), "follow-up"),
        *of_kind(us_cli.plan(interview), "check-in"),
    ]:
        text = event["description"]
        assert "Call script:" in text and "Number: +1 555 010 2030" in text
        assert "Ask for: Sam Lee." in text and "Ask: " in text
        assert "Dear " not in text and "best regards" not in text.lower()


def test_phone_channel_without_a_number_warns_and_the_step_says_so(us_cli: Cli) -> None:
    result = us_cli("log", *ACME, "--channel", "phone", "--interviewer", "Sam Lee")
    assert result.code == 0
    warnings = [line for line in result.err.splitlines() if "phone" in line]
    assert len(warnings) == 1 and warnings[0].startswith("warning: ")
    text = one(us_cli.plan(1), "follow-up")["description"]
    assert "no number is stored" in text and "followup edit 1 --phone" in text


def test_the_same_interviewer_given_twice_is_one_person(us_cli: Cli) -> None:
    interview = us_cli.log(
        *ACME, "--interviewer", "Jane Doe", "--interviewer", "jane doe <jane@acme.example>",
        "--interviewer", "J. Doe <JANE@acme.example>", "--interviewer", "Raj",
    )  # fmt: skip
    thanks = of_kind(us_cli.plan(interview), "thank-you")
    assert [t["who"] for t in thanks] == ["Jane Doe", "Raj"]
    people = us_cli.json("list")[0]["interviewers"]
    assert people[0] == {"name": "Jane Doe", "email": "jane@acme.example"}


def test_config_name_signs_the_drafts(us_cli: Cli) -> None:
    interview = us_cli.log(*ACME, "--interviewer", "Ann")
    us_cli.ok("config", "set", "name", "Alex Kim")
    for event in us_cli.plan(interview):
        if "Draft:" in event["description"]:
            assert event["description"].rstrip().endswith("Alex Kim"), event["kind"]


def test_a_withdraw_note_for_an_interview_still_ahead_asks_to_cancel_it(us_cli: Cli) -> None:
    ahead = us_cli.log(*ACME, "--interviewer", "Ann")
    chosen = us_cli.log("--company", "Chosen", "--at", "2026-01-05 10:00")
    us_cli.ok("status", chosen, "accepted")
    note = one(us_cli.plan(ahead), "withdraw")["description"]
    assert "has not happened yet" in note and "cancel the interview" in note


def test_edit_adds_and_removes_interviewers_and_says_what_changed(us_cli: Cli) -> None:
    interview = us_cli.log(*ACME, "--interviewer", "Jane Doe", "--interviewer", "Raj Patel")
    out = us_cli.ok("edit", interview, "--add-interviewer", "Raj Patel <raj@acme.example>").out
    assert "Changed interviewer: Raj Patel -> Raj Patel <raj@acme.example>" in out
    assert "Follow-ups now go to" not in out
    listed = us_cli.json("list")[0]["interviewers"]
    assert [p["name"] for p in listed] == ["Jane Doe", "Raj Patel"]
    assert (
        one(us_cli.plan(interview), "follow-up")["summary"] == "Follow up with Acme: email Jane Doe"
    )
    out = us_cli.ok("edit", interview, "--remove-interviewer", "jane doe").out
    assert "Removed interviewer: Jane Doe" in out
    assert "Follow-ups now go to: Raj Patel <raj@acme.example> (was Jane Doe)" in out
    data = us_cli.json("edit", interview, "--interviewer", "Zoe")
    assert "Follow-ups now go to: Zoe (was Raj Patel <raj@acme.example>)" in data["changes"]
    bad = us_cli("edit", interview, "--remove-interviewer", "Nobody")
    assert bad.code == 2 and "error: remove-interviewer: " in bad.err


def test_the_export_carries_the_mailto_link_as_the_event_url(us_cli: Cli) -> None:
    from icalendar import Calendar

    us_cli.log(*ACME, "--interviewer", "Ann Able <ann@acme.example>")
    calendar = Calendar.from_ical(us_cli.ok("export").out)
    thank = next(c for c in calendar.walk("VEVENT") if str(c["X-FOLLOWUP-KIND"]) == "thank-you")
    assert str(thank["URL"]).startswith("mailto:ann@acme.example?subject=")
    assert str(thank["URL"]) in str(thank["DESCRIPTION"])
    assert one(us_cli.plan(1), "thank-you")["url"] == str(thank["URL"])
