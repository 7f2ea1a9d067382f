"""The subscribable feed as a WSGI application: ``interview_followup.feed:create_app()``.

The same app runs under `followup serve` (the stdlib's wsgiref) and under any WSGI
server (gunicorn, waitress). One URL answers, GET or HEAD ``/feed/<token>.ics``; any
other path or a wrong token gets the same bare 404, so a guess learns nothing.
"""

from __future__ import annotations

import atexit
import contextlib
import re
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import TYPE_CHECKING, Protocol

from interview_followup import paths
from interview_followup.feed import token as feed_token
from interview_followup.feed.clients import FetchRecorder
from interview_followup.feed.content import Clock, FeedSource, SettingsSource, Snapshot, utc_now
from interview_followup.feed.token import TokenSource
from interview_followup.store import db

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

Log = Callable[[str], None]

_FEED_PATH = re.compile(re.escape(feed_token.FEED_PREFIX) + r"([^/]*)\.ics")
_ETAGS = re.compile(r'\*|(?:W/)?("[^"]*")')
_REASONS = {
    200: "OK",
    304: "Not Modified",
    404: "Not Found",
    405: "Method Not Allowed",
    500: "Internal Server Error",
}
CONTENT_TYPE = "text/calendar; charset=utf-8"
# Subscribers must revalidate (they get a 304 when nothing changed); shared caches must
# not keep a feed whose URL is a secret.
CACHE_CONTROL = "private, no-cache"


@dataclass(frozen=True)
class Response:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    @property
    def status_line(self) -> str:
        return f"{self.status} {_REASONS[self.status]}"


def _plain(status: int, *extra: tuple[str, str]) -> Response:
    body = f"{_REASONS[status]}\n".encode()
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    return Response(status, headers + list(extra), body)


# --- conditional requests ---


def header_date(last_modified: datetime, now: datetime) -> datetime:
    """The Last-Modified to send: HTTP dates have whole seconds.

    While the second of the last change is still running, another change may share
    it; a client holding that date would then get a 304 for the newer feed. So until
    the second is over, say one second earlier: at worst one extra full download.
    """
    second = last_modified.astimezone(UTC).replace(microsecond=0)
    if now < second + timedelta(seconds=1):
        return second - timedelta(seconds=1)
    return second


def _etag_listed(header: str, etag: str) -> bool:
    # If-None-Match uses the weak comparison: W/"x" matches "x".
    return any(m.group(0) == "*" or m.group(1) == etag for m in _ETAGS.finditer(header))


def not_modified(environ: WSGIEnvironment, snapshot: Snapshot) -> bool:
    """RFC 9110 section 13.2.2: If-None-Match, when sent, decides alone."""
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        return _etag_listed(if_none_match, snapshot.etag)
    since_text = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since_text is None or snapshot.last_modified is None:
        return False
    try:
        since = parsedate_to_datetime(since_text)
    except (TypeError, ValueError, IndexError):
        return False  # an invalid date is ignored, as the RFC says
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return snapshot.last_modified.replace(microsecond=0) <= since


# --- logging, with the token never written down ---


def _printable(text: str, limit: int = 200) -> str:
    # Paths and user agents come from the network: no newlines into the log.
    return "".join(c if c.isprintable() else "?" for c in text[:limit])


_AFTER_FEED = re.compile(r"/feed/.*", re.DOTALL)


def redact(path: str) -> str:
    """The path for the log: whatever follows /feed/, anywhere in it, might be the secret
    (a proxy that keeps its own prefix, a doubled slash)."""
    suffix = feed_token.FEED_SUFFIX if path.endswith(feed_token.FEED_SUFFIX) else ""
    return _printable(_AFTER_FEED.sub(lambda _: f"/feed/***{suffix}", path))


def client_address(environ: WSGIEnvironment) -> str:
    """The subscriber's address; behind a proxy on this machine, the one it forwards for.

    Only a peer on loopback is believed (a proxy appends the client as the last hop);
    the address is for `feed status` only, never for access decisions.
    """
    peer = str(environ.get("REMOTE_ADDR", "")) or "-"
    forwarded = str(environ.get("HTTP_X_FORWARDED_FOR", ""))
    if forwarded and feed_token.is_loopback(peer):
        return _printable(forwarded.rsplit(",", 1)[-1].strip(), 64) or peer
    return peer


class StderrLog:
    """One line per call, whole even when threads write at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def __call__(self, line: str) -> None:
        with self._lock:
            try:
                sys.stderr.write(line + "\n")
                sys.stderr.flush()
            except (OSError, ValueError):
                pass  # a closed terminal must not turn into failed requests


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- the application ---


class Content(Protocol):
    """What the app serves: ``FeedSource`` in production; a test may give another."""

    def current(self) -> Snapshot: ...

    def close(self) -> None: ...


class FeedApp:
    """A WSGI application; ``close()`` writes the pending client records."""

    def __init__(
        self,
        tokens: TokenSource,
        feed: Content,
        recorder: FetchRecorder,
        log: Log,
        clock: Clock = utc_now,
    ) -> None:
        self._tokens = tokens
        self._feed = feed
        self._recorder = recorder
        self._log = log
        self._clock = clock

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        now = self._clock()
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        path = str(environ.get("PATH_INFO", ""))
        problem = ""
        try:
            response = self._respond(environ, method, path, now)
        except Exception as error:
            # The client learns nothing; the log line says what went wrong, no traceback.
            problem = f" error: {type(error).__name__}: {_printable(str(error))}"
            response = _plain(500)
        start_response(response.status_line, response.headers)
        sent = b"" if method == "HEAD" else response.body
        with contextlib.suppress(Exception):  # bookkeeping never costs a subscriber its answer
            self._note(environ, now, method, path, response.status, len(sent), problem)
        return [sent] if sent else []

    def _respond(self, environ: WSGIEnvironment, method: str, path: str, now: datetime) -> Response:
        match = _FEED_PATH.fullmatch(path)
        if match is None:
            return _plain(404)
        token = self._tokens.current()
        if token is None or not feed_token.matches(match.group(1), token):
            return _plain(404)
        if method not in ("GET", "HEAD"):
            return _plain(405, ("Allow", "GET, HEAD"))
        snapshot = self._feed.current()
        # What a 304 must repeat (RFC 9110 section 15.4.5); no Content-Length there, which
        # some servers (waitress) would take as a short body and close the connection.
        validators = [("ETag", snapshot.etag), ("Cache-Control", CACHE_CONTROL)]
        if snapshot.last_modified is not None:
            sent_date = header_date(snapshot.last_modified, now)
            validators.append(("Last-Modified", format_datetime(sent_date, usegmt=True)))
        if not_modified(environ, snapshot):
            return Response(304, validators)
        headers = [
            ("Content-Type", CONTENT_TYPE),
            ("Content-Length", str(len(snapshot.body))),  # HEAD too: the length GET sends
            ("X-Content-Type-Options", "nosniff"),
            *validators,
        ]
        return Response(200, headers, snapshot.body)

    def _note(
        self,
        environ: WSGIEnvironment,
        now: datetime,
        method: str,
        path: str,
        status: int,
        size: int,
        problem: str = "",
    ) -> None:
        agent = _printable(str(environ.get("HTTP_USER_AGENT", "")))
        address = client_address(environ)
        self._log(
            f'{_stamp(now)} {address} "{_printable(method, 16)} {redact(path)}" {status} {size} "{agent}"'
            + problem
        )
        if path.startswith(feed_token.FEED_PREFIX):
            # Wrong tokens too: a client still on a rotated URL shows up with its 404.
            self._recorder.record(agent, address, status, now)

    def warm(self) -> None:
        """Render once ahead of the first subscriber (a large feed takes a second)."""
        try:
            self._feed.current()
        except Exception as error:
            self._log(f"{_stamp(self._clock())} error: {type(error).__name__}: {error}")

    def close(self) -> None:
        atexit.unregister(self.close)
        self._recorder.close()
        self._feed.close()


def create_app(
    *,
    clock: Clock = utc_now,
    log: Log | None = None,
    own_process: bool = False,
    source: Content | None = None,
) -> FeedApp:
    """The feed for the data in $FOLLOWUP_HOME (or the platform folders), as WSGI.

    Creates the database and the token when missing, so a production server can
    start first; `followup feed url --base-url ...` then prints the public URL.
    ``own_process`` (for `followup serve`) lets it tune the garbage collector of the
    whole process; inside someone else's server it leaves it alone. ``source`` replaces
    the feed's content (a test serves a failing one through it).
    """
    log = log or StderrLog()
    db.connect(paths.database_path()).close()  # create or migrate before serving
    feed_token.load_or_create()
    if source is None:
        source = FeedSource(SettingsSource(log), clock=clock, freeze_after_load=own_process)
    app = FeedApp(TokenSource(), source, FetchRecorder(log), log, clock)
    atexit.register(app.close)
    return app
