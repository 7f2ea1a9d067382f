"""One-click links: mailto: with the draft, tel: to dial."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qs, unquote, urlsplit

from interview_followup import links, policy
from interview_followup.config import Settings
from interview_followup.days import BusinessDays
from interview_followup.model import Interview, Kind, Person

SETTINGS = Settings(country="US", timezone="America/New_York", name="Alex Kim")


def make(**extra: object) -> Interview:
    fields: dict[str, object] = {
        "company": "Acme", "role": "Data Analyst", "start": datetime(2027, 11, 15, 10),
        "tz": "America/New_York", "interviewers": (Person("Jane Doe", "jane@acme.example"),),
        "id": 1,
    }  # fmt: skip
    fields.update(extra)
    return Interview(**fields)  # type: ignore[arg-type]


def test_tel_links_keep_digits_and_extension() -> None:
    assert links.tel("+1 (555) 010-2030") == "tel:+15550102030"
    assert links.tel("+44 20 7946 0018 ext. 12") == "tel:+442079460018;ext=12"


def test_mailto_encodes_subject_and_body_with_crlf() -> None:
    link = links.mailto(["jane@acme.example"], "Thanks & all", "Dear Jane,\nSee you")
    parts = urlsplit(link)
    assert parts.scheme == "mailto" and unquote(parts.path) == "jane@acme.example"
    query = parse_qs(parts.query)
    assert query["subject"] == ["Thanks & all"]
    assert query["body"] == ["Dear Jane,\r\nSee you"]


def test_email_steps_carry_a_mailto_with_their_draft() -> None:
    events = policy.schedule(make(), [], SETTINGS, BusinessDays("US"))
    thank = next(e for e in events if e.kind is Kind.THANK_YOU)
    assert thank.url.startswith("mailto:jane@acme.example?subject=")
    body = parse_qs(urlsplit(thank.url).query)["body"][0]
    assert body.startswith("Dear Jane Doe,") and body.endswith("Alex Kim")
    assert f"Open this draft in your mail app: {thank.url}" in thank.description
    follow = next(e for e in events if e.kind is Kind.FOLLOW_UP)
    assert parse_qs(urlsplit(follow.url).query)["subject"] == [
        "Following up on my interview for the Data Analyst position"
    ]
    move_on = next(e for e in events if e.kind is Kind.MOVE_ON)
    assert move_on.url == "" and "mailto:" not in move_on.description


def test_phone_steps_carry_a_tel_link_and_the_posting_keeps_the_url() -> None:
    interview = make(phone="+1 555 010 2030", posting_url="https://jobs.acme.example/42")
    events = policy.schedule(interview, [], SETTINGS, BusinessDays("US"))
    follow = next(e for e in events if e.kind is Kind.FOLLOW_UP)
    assert "Call in one click: tel:+15550102030" in follow.description
    assert follow.url == "https://jobs.acme.example/42"
    thank = next(e for e in events if e.kind is Kind.THANK_YOU)
    assert "mailto:jane@acme.example" in thank.description


def test_quote_agrees_with_urllib() -> None:
    from urllib.parse import quote

    for text in ["Dear Jane,\r\n– see you & bye", "a+b@c d/é", "~._-"]:
        assert links.quote(text) == quote(text, safe="")
        assert links.quote(text, safe="@") == quote(text, safe="@")
