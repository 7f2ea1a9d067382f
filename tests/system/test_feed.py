"""The subscribable feed: `followup serve` as a real server, spoken to over HTTP.

Most tests start the server in a child process with its own FOLLOWUP_HOME, exactly as
a user would, and change data with the CLI in other processes. The pure parts (which
events, which dates, the token file, the client log) are checked in-process.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import pytest
from conftest import Cli, run_followup
from icalendar import Calendar
from support.feed_server import URL_LINE, Reply, Served, followup_ok, request, serving

from interview_followup.errors import FollowupError
from interview_followup.feed import app as feed
from interview_followup.feed import clients as feed_clients
from interview_followup.feed import content as feed_content
from interview_followup.feed import token as feed_token


def vevents(calendar: Calendar) -> list[Any]:
    return list(calendar.walk("VEVENT"))


def last_modified(reply: Reply) -> datetime:
    value = reply.header("Last-Modified")
    assert value is not None
    return parsedate_to_datetime(value)


@pytest.fixture
def server(populated: Cli) -> Iterator[Served]:
    with serving(populated.home) as served:
        yield served


# --- serving ---


def test_serve_to_a_pipe_prints_the_url_masked_then_webcal_and_says_loopback(
    server: Served, populated: Cli
) -> None:
    match = URL_LINE.fullmatch(server.url)
    assert match is not None
    assert int(match.group(1)) > 0  # the port actually bound, not the 0 asked for
    token = match.group(2)
    assert len(token) >= 22  # base64url: 22 characters carry 128 bits
    assert server.webcal == "webcal://" + server.url.removeprefix("http://")
    token_file = populated.home / feed_token.token_path().name
    assert token_file.read_text().strip() == token
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert "127.0.0.1 only" in server.log()
    assert server.printed == [
        server.url.replace(token, "***"),
        server.webcal.replace(token, "***"),
    ]
    assert f"`followup feed url --port {match.group(1)}` prints the whole URL" in server.log()
    assert token not in server.log()


def test_the_feed_is_a_calendar_tuned_for_subscribers(server: Served, populated: Cli) -> None:
    reply = server.get()
    assert reply.status == 200
    assert reply.header("Content-Type") == "text/calendar; charset=utf-8"
    assert int(reply.header("Content-Length") or 0) == len(reply.body)
    etag = reply.header("ETag") or ""
    assert re.fullmatch(r'"[0-9a-f]+"', etag)  # strong
    assert etag.strip('"') == hashlib.sha256(reply.body).hexdigest()[:40]
    assert reply.header("Last-Modified")
    text = reply.body.decode()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text
    assert "X-PUBLISHED-TTL:PT1H\r\n" in text
    for forbidden in ("ATTENDEE", "ORGANIZER", "METHOD:"):
        assert forbidden not in text
    calendar = reply.calendar()
    assert "UID" not in calendar  # a calendar-level UID makes vdirsyncer merge every event
    assert str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"]) == "Interview follow-ups"
    assert str(calendar["X-WR-TIMEZONE"]) == "America/New_York"
    plan = populated.plan(all_=True)
    assert sorted(str(e["UID"]) for e in vevents(calendar)) == sorted(e["uid"] for e in plan)


def test_etag_and_last_modified_answer_304(server: Served) -> None:
    first = server.get()
    etag = first.header("ETag") or ""
    again = server.get(headers={"If-None-Match": etag})
    assert (again.status, again.body) == (304, b"")
    assert again.header("ETag") == etag
    assert again.header("Content-Length") is None  # none, rather than a wrong 0
    assert server.get(headers={"If-None-Match": f'"other", W/{etag}'}).status == 304
    assert server.get(headers={"If-None-Match": '"other"'}).status == 200

    time.sleep(1.05)  # a Last-Modified in the running second is sent one second early
    dated = server.get()
    stamp = dated.header("Last-Modified") or ""
    assert server.get(headers={"If-Modified-Since": stamp}).status == 304
    earlier = format_datetime(last_modified(dated) - timedelta(days=1), usegmt=True)
    assert server.get(headers={"If-Modified-Since": earlier}).status == 200
    assert server.get(headers={"If-Modified-Since": "not a date"}).status == 200
    # If-None-Match decides alone when both are sent.
    both = {"If-None-Match": '"other"', "If-Modified-Since": stamp}
    assert server.get(headers=both).status == 200


def test_head_sends_the_headers_of_get_without_a_body(server: Served) -> None:
    full = server.get()
    head = server.get("HEAD")
    assert (head.status, head.body) == (200, b"")
    for name in ("Content-Type", "Content-Length", "ETag", "Last-Modified"):
        assert head.header(name) == full.header(name)


def test_wrong_token_unknown_path_and_methods_reveal_nothing(server: Served) -> None:
    token = server.url.rsplit("/", 1)[1].removesuffix(".ics")
    assert server.get().status == 200
    wrong = request(f"{server.base}/feed/{'A' * len(token)}.ics")
    unknown = request(f"{server.base}/")
    assert wrong.status == unknown.status == 404
    assert wrong.body == unknown.body == b"Not Found\n"
    assert request(f"{server.base}/feed/{token}.ics/x").status == 404
    posted = server.get("POST")
    assert posted.status == 405
    assert posted.header("Allow") == "GET, HEAD"
    assert request(f"{server.base}/feed/{'A' * len(token)}.ics", "POST").status == 404
    assert request(f"{server.base}/", "DELETE").status == 404
    log = server.log()
    assert token not in log
    assert '"GET /feed/***.ics" 200' in log
    assert '"POST /feed/***.ics" 405' in log


def test_rotation_applies_at_once_without_a_restart(server: Served, populated: Cli) -> None:
    old = server.url
    assert request(old).status == 200
    rotated = followup_ok(populated.home, "feed", "rotate", "--port", urlsplit(old).port)
    new = rotated.splitlines()[0]
    assert new != old
    assert request(old).status == 404
    reply = request(new)
    assert reply.status == 200
    reply.calendar()


def test_a_change_in_another_process_shows_on_the_next_fetch(
    server: Served, populated: Cli
) -> None:
    before = server.get()
    followup_ok(populated.home, "status", "1", "rejected")
    after = server.get()
    assert after.status == 200
    assert after.header("ETag") != before.header("ETag")
    assert last_modified(after) >= last_modified(before)
    # A client holding the old ETag gets the new feed, not a 304.
    assert server.get(headers={"If-None-Match": before.header("ETag") or ""}).status == 200
    old = {str(e["UID"]): e for e in vevents(before.calendar())}
    cancelled = [e for e in vevents(after.calendar()) if str(e["STATUS"]) == "CANCELLED"]
    assert cancelled, "rejection cancels the follow-up and check-ins"
    for event in cancelled:
        assert int(event["SEQUENCE"]) > int(old[str(event["UID"])]["SEQUENCE"])


def test_cancelled_events_leave_the_feed_after_the_grace_period(
    server: Served, populated: Cli
) -> None:
    followup_ok(populated.home, "status", "1", "rejected")
    with_cancelled = server.get()
    assert "STATUS:CANCELLED" in with_cancelled.body.decode()
    followup_ok(populated.home, "config", "set", "feed_cancelled_days", "0")
    without = server.get()
    assert "STATUS:CANCELLED" not in without.body.decode()
    assert without.header("ETag") != with_cancelled.header("ETag")
    assert last_modified(without) >= last_modified(with_cancelled)
    live = [e["uid"] for e in populated.plan(all_=True) if e["status"] != "cancelled"]
    assert sorted(str(e["UID"]) for e in vevents(without.calendar())) == sorted(live)


def test_fifty_clients_while_statuses_change(server: Served, populated: Cli) -> None:
    stop = threading.Event()
    replies: list[Reply] = []
    failures: list[str] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        etag = ""
        while not stop.is_set():
            try:
                reply = server.get(headers={"If-None-Match": etag} if number % 2 and etag else {})
            except OSError as error:
                with lock:
                    failures.append(f"client {number}: {error!r}")
                return
            with lock:
                replies.append(reply)
            etag = reply.header("ETag") or ""

    def changer() -> None:
        statuses = ["rejected", "waiting", "heard", "waiting"]
        number = 0
        while not stop.is_set():
            status = statuses[number % len(statuses)]
            result = run_followup(
                "status",
                1 + number % 2,
                status,
                env={**os.environ, "FOLLOWUP_HOME": str(populated.home)},
            )
            if result.returncode != 0:
                with lock:
                    failures.append(f"followup status: {result.stderr}")
            number += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(50)]
    threads.append(threading.Thread(target=changer))
    for thread in threads:
        thread.start()
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert not failures
    assert {r.status for r in replies} <= {200, 304}
    bodies = {r.body for r in replies if r.status == 200}
    assert len(bodies) >= 2, "the statuses changed while clients fetched"
    for body in bodies:  # equal bytes parse the same: each distinct body once
        Reply(200, {}, body).calendar()
    for reply in replies:
        if reply.status == 200:
            assert reply.header("ETag") == '"' + hashlib.sha256(reply.body).hexdigest()[:40] + '"'
    assert "Traceback" not in server.log()


def test_feed_status_shows_when_each_client_last_fetched(server: Served, populated: Cli) -> None:
    assert server.get(headers={"User-Agent": "TestCalendar/1.0"}).status == 200
    request(server.base + "/feed/stale-token.ics", headers={"User-Agent": "OldPhone/2"})
    deadline = time.monotonic() + 5
    clients: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        clients = json.loads(followup_ok(populated.home, "feed", "status", "--json"))
        if {c["user_agent"] for c in clients} >= {"TestCalendar/1.0", "OldPhone/2"}:
            break
        time.sleep(0.2)
    found = {c["user_agent"]: c for c in clients}
    assert found["TestCalendar/1.0"]["status"] == 200
    assert found["TestCalendar/1.0"]["address"] == "127.0.0.1"
    assert found["OldPhone/2"]["status"] == 404
    human = followup_ok(populated.home, "feed", "status")
    assert "TestCalendar/1.0" in human and "old or wrong URL" in human
    stored = populated.home / feed_clients.CLIENTS_FILE
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600


def test_port_in_use_and_bad_host_are_one_clear_line(populated: Cli) -> None:
    env = {**os.environ, "FOLLOWUP_HOME": str(populated.home)}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_followup("serve", "--port", port, env=env, timeout=20)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"followup: error: port {port} on 127.0.0.1 is already in use: stop the other server or pick another --port"
    ]
    bad = run_followup("serve", "--host", "no-such-host.invalid", env=env, timeout=20)
    assert bad.returncode == 2
    assert len(bad.stderr.strip().splitlines()) == 1
    assert "host" in bad.stderr and "Traceback" not in bad.stderr


# --- in-process: the token file, the client log, the WSGI app ---


def test_token_file_is_private_random_and_rotates(home: Path) -> None:
    issued: list[str] = []
    racers = [
        threading.Thread(target=lambda: issued.append(feed_token.load_or_create()))
        for _ in range(8)
    ]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert len(set(issued)) == 1  # writers racing to create it agree on one token
    first = feed_token.load_or_create()
    assert first == issued[0]
    path = feed_token.token_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert feed_token.load_or_create() == first
    assert len(first) >= 43  # 32 random bytes
    source = feed_token.TokenSource()
    assert source.current() == first
    second = feed_token.rotate()
    assert second != first
    assert source.current() == second
    assert feed_token.matches(second, second) and not feed_token.matches(first, second)
    assert not feed_token.matches("é", second)
    path.write_text("not a token!\n")
    assert source.current() is None  # a damaged file opens no door
    with pytest.raises(FollowupError, match="feed rotate"):
        feed_token.load_or_create()


def test_feed_url_command(populated: Cli) -> None:
    urls = populated.json("feed", "url", "--base-url", "https://cal.example.org/")
    token = feed_token.read_token()
    assert urls == {
        "url": f"https://cal.example.org/feed/{token}.ics",
        "webcal": f"webcal://cal.example.org/feed/{token}.ics",
    }
    assert populated("feed", "url", "--base-url", "cal.example.org").code == 2
    feed_token.token_path().chmod(0o644)
    assert "chmod 600" in populated.ok("feed", "url").err
    rotated = populated.ok("feed", "rotate")
    assert feed_token.read_token() in rotated.out and token not in rotated.out
    assert "old URL no longer works" in rotated.err


def test_client_log_merges_concurrent_writers(tmp_path: Path) -> None:
    path = tmp_path / "clients.json"
    at = datetime(2027, 3, 1, tzinfo=UTC)

    def write(number: int) -> None:
        recorder = feed_clients.FetchRecorder(lambda line: None, path, delay=60)
        for step in range(20):
            recorder.record(f"App {number}", "10.0.0.1", 200, at + timedelta(seconds=step))
            recorder.record("Shared/1", "10.0.0.2", 304, at + timedelta(seconds=step))
            recorder.flush()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    found = {c.user_agent: c for c in feed_clients.read_clients(path)}
    assert set(found) == {f"App {n}" for n in range(8)} | {"Shared/1"}
    assert found["Shared/1"].fetches == 8 * 20
    assert found["App 3"].fetches == 20
    assert found["App 3"].last_fetch == at + timedelta(seconds=19)
    path.write_text("{broken")
    assert feed_clients.read_clients(path) == []  # a log, not state: start over


def _environ(path: str, method: str = "GET") -> dict[str, Any]:
    environ: dict[str, Any] = {
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "REQUEST_METHOD": method,
    }
    setup_testing_defaults(environ)
    return environ


def _call(app: Any, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    got: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        got.update(status=status, headers=headers)
        return lambda data: None

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        getattr(result, "close", lambda: None)()
    return got["status"], got["headers"], body


class FailingContent:
    """The real feed content until ``failure`` is set; then every request raises it."""

    def __init__(self) -> None:
        self._real = feed_content.FeedSource(feed_content.SettingsSource(log=lambda line: None))
        self.failure: Exception | None = None

    def current(self) -> feed_content.Snapshot:
        if self.failure is not None:
            raise self.failure
        return self._real.current()

    def close(self) -> None:
        self._real.close()


def test_the_app_is_plain_wsgi_and_hides_unexpected_errors(populated: Cli) -> None:
    lines: list[str] = []
    content = FailingContent()
    app = feed.create_app(log=lines.append, source=content)
    try:
        path = feed_token.feed_path(feed_token.load_or_create())
        status, headers, body = _call(validator(app), _environ(path))
        assert status == "200 OK" and body.startswith(b"BEGIN:VCALENDAR")
        status, _, _ = _call(validator(app), _environ(path, "HEAD"))
        assert status == "200 OK"

        content.failure = RuntimeError("disk on fire")
        status, headers, body = _call(validator(app), _environ(path))
        assert (status, body) == ("500 Internal Server Error", b"Internal Server Error\n")
        errors = [line for line in lines if "error:" in line]
        assert len(errors) == 1 and "RuntimeError: disk on fire" in errors[0]
        assert all(path not in line for line in lines)
    finally:
        app.close()


def test_between_requests_the_feed_keeps_texts_not_events(populated: Cli) -> None:
    """What a render needs again is each VEVENT's text and where it goes; the events
    themselves are dropped once rendered, so memory stays near the feed's own size."""
    source = feed_content.FeedSource(feed_content.SettingsSource(log=lambda line: None))
    try:
        before = source.current().body
        populated.ok("status", "1", "heard")  # changes events: they are read and rendered
        after = source.current().body
        entries = source.entries()
        assert len(entries) == len(populated.plan(all_=True))
        assert all(e.event is None and e.text for e in entries)
        assert all(e.text is not None and e.text.encode() in after for e in entries)
        assert before != after
    finally:
        source.close()


def test_a_changed_setting_rerenders_without_a_state_change(populated: Cli) -> None:
    app = feed.create_app(log=lambda line: None)
    try:
        path = feed_token.feed_path(feed_token.load_or_create())
        _, _, before = _call(app, _environ(path))
        populated.ok("config", "set", "feed_refresh_minutes", "30")
        _, _, after = _call(app, _environ(path))
        assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in before
        assert b"REFRESH-INTERVAL;VALUE=DURATION:PT30M\r\n" in after
    finally:
        app.close()


def test_help_loads_neither_icalendar_nor_the_server() -> None:
    code = (
        "import sys, contextlib, io\n"
        "from interview_followup.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--help']); main(['serve', '--help']); main(['feed', '--help'])\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('icalendar', 'wsgiref')\n"
        "         or m.startswith('interview_followup.feed')]\n"
        "print(heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_hostile_text_comes_out_escaped_and_intact(home: Path, cli: Cli) -> None:
    from support.hostile import HOSTILE_COMPANY, HOSTILE_NOTES

    cli.ok(
        "log",
        "--company",
        HOSTILE_COMPANY,
        "--at",
        "2030-03-04 10:00",
        "--tz",
        "UTC",
        "--notes",
        HOSTILE_NOTES,
    )
    with serving(home) as served:
        reply = served.get()
    assert reply.status == 200
    assert b"\r\nORGANIZER" not in reply.body and b"\r\nATTENDEE" not in reply.body
    found = vevents(reply.calendar())
    planned = cli.json("plan", "--all", "--json")
    assert len(found) == len(planned)  # nothing injected, nothing lost
    stored_company = HOSTILE_COMPANY.replace("\r\n", "\n").replace("\r", "\n")
    assert sorted(str(e["SUMMARY"]) for e in found) == sorted(e["summary"] for e in planned)
    assert all(stored_company in str(e["SUMMARY"]) for e in found)
    stored_notes = HOSTILE_NOTES.replace("\r\n", "\n").replace("\r", "\n").strip()
    assert any(stored_notes in str(e["DESCRIPTION"]) for e in found)


def test_a_restored_database_is_read_whole_again(home: Path, cli: Cli) -> None:
    """The in-memory copy is checked against the database, so a backup put back (even
    one changed again since) never mixes with what the feed held before."""
    import sqlite3

    db_path = home / "followup.sqlite3"
    cli.ok("log", "--company", "Alpha", "--at", "2030-03-04 10:00", "--tz", "UTC")
    backup = home.parent / "backup.sqlite3"
    with sqlite3.connect(db_path) as source, sqlite3.connect(backup) as target:
        source.backup(target)
    cli.ok("log", "--company", "Bravo", "--at", "2030-03-05 10:00", "--tz", "UTC")
    app = feed.create_app(log=lambda line: None)
    try:
        token = feed_token.read_token()
        assert token is not None
        path = f"/feed/{token}.ics"

        def titles() -> set[str]:
            environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "REMOTE_ADDR": "127.0.0.1"}
            body = b"".join(app(environ, lambda status, headers, exc=None: None))
            return {str(e["SUMMARY"]) for e in Calendar.from_ical(body).walk("VEVENT")}

        assert any("Bravo" in t for t in titles())
        for suffix in ("-wal", "-shm"):
            db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
        os.replace(backup, db_path)
        for n in range(3):  # enough changes to carry the version past what the feed read
            cli.ok("log", "--company", f"Charlie {n}", "--at", "2030-03-06 10:00", "--tz", "UTC")
        found = titles()
        assert not any("Bravo" in t for t in found)
        assert all(any(f"Charlie {n}" in t for t in found) for n in range(3))
        assert any("Alpha" in t for t in found)
    finally:
        app.close()
