"""The feed's pure rules: which events it holds, conditional requests, what is logged,
its URLs; and how a server notices that a file changed."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from interview_followup.feed import app as feed
from interview_followup.feed import content as feed_content
from interview_followup.feed import token as feed_token
from interview_followup.feed.watch import FileWatch, identity_key
from interview_followup.ical import Placement
from interview_followup.model import Event, EventStatus, Kind

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def entry(uid: str, status: EventStatus, changed_at: datetime) -> feed_content.FeedEntry:
    event = _event(uid, status, changed_at)
    return feed_content.FeedEntry.of(event, Placement.of(event), None, 1)


def _event(uid: str, status: EventStatus, changed_at: datetime) -> Event:
    return Event(
        uid=uid,
        interview_id=1,
        kind=Kind.CHECK_IN,
        who="",
        ordinal=0,
        summary=f"Event {uid}",
        description="",
        start=date(2027, 3, 10),
        end=date(2027, 3, 11),
        tz="UTC",
        status=status,
        categories=(),
        alarm_minutes=None,
        hash="v1:x",
        sequence=1,
        created_at=changed_at,
        changed_at=changed_at,
    )


def test_a_cancelled_event_stays_for_the_grace_period_then_leaves() -> None:
    grace = timedelta(days=14)
    live = entry("a", EventStatus.SCHEDULED, NOW - timedelta(days=30))
    recent = entry("b", EventStatus.CANCELLED, NOW - timedelta(days=8))
    old = entry("c", EventStatus.CANCELLED, NOW - timedelta(days=20))
    chosen = feed_content.select([live, recent, old], grace, NOW)
    assert [e.uid for e in chosen.events] == ["a", "b"]
    # The newest change is the old event leaving (changed_at + grace), 6 days ago.
    assert chosen.last_modified == NOW - timedelta(days=6)
    assert chosen.expires == NOW + timedelta(days=6)
    later = feed_content.select([live, recent, old], grace, NOW + timedelta(days=6))
    assert [e.uid for e in later.events] == ["a"]
    assert later.last_modified == NOW + timedelta(days=6)  # moved forward: b left
    assert later.expires is None
    assert feed_content.select([], grace, NOW) == feed_content.Selection([], None, None)
    gone = feed_content.select([recent], timedelta(0), NOW)
    assert (gone.events, gone.last_modified) == ([], recent.changed_at)


def test_an_event_is_kept_whole_only_until_it_has_a_text() -> None:
    event = _event("a", EventStatus.SCHEDULED, NOW)
    place = Placement.of(event)
    assert feed_content.FeedEntry.of(event, place, "BEGIN:VEVENT...", 1).event is None
    for missing in (None, ""):  # an empty stored text is rendered again, not served
        kept = feed_content.FeedEntry.of(event, place, missing, 1)
        assert kept.text is None and kept.event == event


def test_last_modified_is_sent_early_while_its_second_runs() -> None:
    changed = datetime(2027, 3, 1, 12, 0, 5, 300_000, tzinfo=UTC)
    assert feed.header_date(changed, changed + timedelta(seconds=2)) == changed.replace(
        microsecond=0
    )
    assert feed.header_date(changed, changed + timedelta(milliseconds=100)) == datetime(
        2027, 3, 1, 12, 0, 4, tzinfo=UTC
    )


def _snapshot(last: datetime | None) -> feed_content.Snapshot:
    return feed_content.Snapshot(1, b"x", '"abc"', last, None)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"HTTP_IF_NONE_MATCH": '"abc"'}, True),
        ({"HTTP_IF_NONE_MATCH": 'W/"abc"'}, True),
        ({"HTTP_IF_NONE_MATCH": "*"}, True),
        ({"HTTP_IF_NONE_MATCH": '"x", "abc"'}, True),
        ({"HTTP_IF_NONE_MATCH": '"abcd"'}, False),
        ({"HTTP_IF_MODIFIED_SINCE": "Mon, 01 Mar 2027 12:00:00 GMT"}, True),
        ({"HTTP_IF_MODIFIED_SINCE": "Mon, 01 Mar 2027 11:59:59 GMT"}, False),
        ({"HTTP_IF_MODIFIED_SINCE": "yesterday"}, False),
        (
            {
                "HTTP_IF_NONE_MATCH": '"old"',
                "HTTP_IF_MODIFIED_SINCE": "Mon, 01 Mar 2027 13:00:00 GMT",
            },
            False,
        ),
    ],
)
def test_conditional_rules(headers: dict[str, str], expected: bool) -> None:
    assert feed.not_modified(headers, _snapshot(NOW + timedelta(microseconds=900))) is expected


def test_no_last_modified_means_if_modified_since_is_ignored() -> None:
    headers = {"HTTP_IF_MODIFIED_SINCE": "Mon, 01 Mar 2027 12:00:00 GMT"}
    assert feed.not_modified(headers, _snapshot(None)) is False


def test_redact_hides_anything_after_feed() -> None:
    assert feed.redact("/feed/s3cret.ics") == "/feed/***.ics"
    assert feed.redact("/feed/s3cret") == "/feed/***"
    assert feed.redact("/other\npath") == "/other?path"
    # A proxy that keeps its own prefix, or a doubled slash, still hides the token.
    assert feed.redact("/cal/feed/s3cret.ics") == "/cal/feed/***.ics"
    assert feed.redact("//feed/s3cret.ics") == "//feed/***.ics"


def test_the_client_address_comes_from_a_local_proxy_only() -> None:
    proxied = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.7"}
    assert feed.client_address(proxied) == "198.51.100.7"
    spoofed = {"REMOTE_ADDR": "192.0.2.1", "HTTP_X_FORWARDED_FOR": "10.0.0.1"}
    assert feed.client_address(spoofed) == "192.0.2.1"
    assert feed.client_address({"REMOTE_ADDR": "::1"}) == "::1"


def test_feed_urls() -> None:
    assert feed_token.feed_url("::1", 80, "t") == "http://[::1]:80/feed/t.ics"
    assert feed_token.feed_url("h", 1, "t", "https://cal.example/x/") == (
        "https://cal.example/x/feed/t.ics"
    )
    assert feed_token.webcal_url("https://a/feed/t.ics") == "webcal://a/feed/t.ics"


def test_a_file_watch_sees_each_write_and_replace_once(tmp_path: Path) -> None:
    path = tmp_path / "watched"
    watch = FileWatch(path)
    first = watch.look()
    assert first.changed and first.info is None  # the first look counts, file or not
    assert not watch.look().changed
    path.write_text("one")
    assert watch.look().changed
    assert not watch.look().changed
    path.write_text("two!")  # in place, maybe within the same mtime tick: the size moved
    assert watch.look().changed
    other = tmp_path / "other"
    other.write_text("two?")  # same size, and the same mtime as path
    os.utime(other, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns))
    os.replace(other, path)
    assert watch.look().changed  # a new inode
    path.unlink()
    gone = watch.look()
    assert gone.changed and gone.info is None


def test_an_identity_watch_ignores_writes_and_sees_another_file(tmp_path: Path) -> None:
    path = tmp_path / "db"
    path.write_text("a")
    watch = FileWatch(path, identity_key)
    assert watch.look().changed
    path.write_text("a longer text")
    assert not watch.look().changed
    other = tmp_path / "backup"
    other.write_text("a")
    os.replace(other, path)
    assert watch.look().changed
