"""Reading a sync-collection answer: the new token only when every change is ours."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from interview_followup.sinks.caldav_changes import token_if_ours

CALENDAR = "http://dav.example/user/followups/"
A = "/user/followups/a.ics"
B = "/user/followups/b.ics"
OURS: dict[str, str | None] = {A: '"1"', B: None}


def answer(*responses: str, token: str = "http://dav.example/sync/2") -> ET.Element:
    return ET.fromstring(
        '<d:multistatus xmlns:d="DAV:">'
        + "".join(responses)
        + (f"<d:sync-token>{token}</d:sync-token>" if token else "")
        + "</d:multistatus>"
    )


def present(href: str, etag: str) -> str:
    return (
        f"<d:response><d:href>{href}</d:href><d:propstat><d:prop><d:getetag>{etag}</d:getetag>"
        "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
    )


def deleted(href: str) -> str:
    return f"<d:response><d:href>{href}</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>"


def test_only_our_own_writes_give_the_new_token() -> None:
    found = answer(present("http://dav.example" + A, '"1"'), deleted(B))
    assert token_if_ours(found, CALENDAR, OURS) == "http://dav.example/sync/2"
    assert token_if_ours(answer(), CALENDAR, OURS) == "http://dav.example/sync/2"


@pytest.mark.parametrize(
    "change",
    [
        present(A, '"2"'),  # edited after our write
        present("/user/followups/c.ics", '"1"'),  # an item we never wrote (the user's own)
        deleted(A),  # deleted by the user, while we hold it as present
        present(B, '"1"'),  # we deleted it, and it is back
        "<d:response><d:href>/user/followups/</d:href>"
        "<d:status>HTTP/1.1 507 Insufficient Storage</d:status></d:response>",  # cut short
    ],
)
def test_any_other_change_keeps_the_old_token(change: str) -> None:
    assert token_if_ours(answer(present(A, '"1"'), change), CALENDAR, OURS) is None


def test_an_answer_without_a_token_keeps_the_old_one() -> None:
    assert token_if_ours(answer(present(A, '"1"'), token=""), CALENDAR, OURS) is None
