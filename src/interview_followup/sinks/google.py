"""Google Calendar through the Calendar API v3 (google-api-python-client).

Event ids are chosen by us from the UID (Google allows a-v and 0-9), so a run that
dies after an insert finds its event again (409) instead of making a twin. Every
write says sendUpdates=none, carries no attendees, and is conditional on the ETag.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from interview_followup.errors import RemoteError
from interview_followup.model import Event
from interview_followup.sinks.base import (
    CalendarMissing,
    Change,
    ChangeResult,
    ItemFailed,
    ItemMissing,
    PreconditionFailed,
    RemoteItem,
    Sink,
    Unavailable,
)
from interview_followup.sinks.content import (
    RemoteContent,
    Write,
)
from interview_followup.sinks.google_auth import RELOGIN_HINT as _RELOGIN
from interview_followup.sinks.google_events import (
    UID_KEY,
    content_of,
    event_body,
    item_of,
    private_of,
)
from interview_followup.sinks.google_requests import (
    MAX_ATTEMPTS,
    RATE_REASONS,
    RETRY_STATUSES,
    Call,
    FollowUps,
    backoff,
    error_reason,
    send_batch,
    transient,
)


class GoogleSink(Sink):
    def __init__(
        self,
        service: Any,
        calendar_id: str,
        batch_uri: str,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.service = service
        self.calendar_id = calendar_id
        self.batch_uri = batch_uri
        self.sleep = sleep
        self._listing_marker: str | None = None
        self._listed: dict[str, dict[str, Any]] = {}  # by event id, from the last listing

    batch_limit = 50  # Google's limit per batch request
    marker_from_listing = True

    @property
    def target(self) -> str:
        return f"google:{self.calendar_id}"

    def listing_marker(self) -> str | None:
        return self._listing_marker

    @property
    def calendar(self) -> str:
        return self.calendar_id

    # --- requests, with bounded exponential back-off and jitter ---

    def execute(self, request: Any, what: str) -> Any:
        from google.auth.exceptions import RefreshError, TransportError
        from googleapiclient.errors import HttpError
        from httplib2 import HttpLib2Error

        for attempt in range(MAX_ATTEMPTS):
            last = attempt == MAX_ATTEMPTS - 1
            try:
                return request.execute()
            except HttpError as error:
                status, reason = error.resp.status, error_reason(error)
                if not transient(status, reason) or last:
                    raise self._translate(status, reason, what) from None
            except RefreshError:
                raise RemoteError(
                    f"Google no longer accepts the saved sign-in (revoked, or an expired key); {_RELOGIN}"
                ) from None
            except (HttpLib2Error, OSError, TransportError) as error:
                if last:
                    raise Unavailable(
                        f"cannot reach Google Calendar while {what} ({type(error).__name__}); check your"
                        " connection and run the sync again"
                    ) from None
            self.sleep(backoff(attempt))
        raise AssertionError("unreachable")

    def _translate(self, status: int, reason: str, what: str) -> RemoteError:
        if status == 401:
            return RemoteError(f"Google refused the sign-in while {what} (HTTP 401); {_RELOGIN}")
        if status == 412:
            return PreconditionFailed(f"changed in Google meanwhile while {what} (HTTP 412)")
        if status in (404, 410):
            return ItemMissing(f"not in Google any more while {what} (HTTP {status})")
        if status == 409:
            return PreconditionFailed(f"the event id already exists while {what} (HTTP 409)")
        if status in RETRY_STATUSES or reason in RATE_REASONS:
            return ItemFailed(
                f"Google kept refusing while {what} (HTTP {status} {reason}) after {MAX_ATTEMPTS} tries;"
                " wait a few minutes and run the sync again"
            )
        if status == 403:
            return RemoteError(
                f"Google denied access while {what} ({reason or 'forbidden'}); check that the signed-in"
                " account (or service account) may edit this calendar"
            )
        return ItemFailed(f"Google answered HTTP {status} {reason} while {what}")

    def _events(self) -> Any:
        return self.service.events()

    # --- the Sink protocol ---

    def _pages(self, what: str, **query: Any) -> tuple[list[dict[str, Any]], str | None]:
        items: list[dict[str, Any]] = []
        token: str | None = None
        while True:
            page = self.execute(
                self._events().list(
                    calendarId=self.calendar_id, maxResults=2500, pageToken=token, **query
                ),
                what,
            )
            items.extend(page.get("items", []))
            token = page.get("nextPageToken")
            if not token:
                return items, page.get("nextSyncToken")

    def unchanged_since(self, marker: str | None) -> tuple[bool, str | None]:
        if marker is None:
            return False, None
        try:
            changes, new_marker = self._pages("checking for changes", syncToken=marker)
        except ItemMissing:  # 410: the token expired; a full listing follows
            return False, None
        return not changes, new_marker

    def marker_after_writes(self, marker: str | None, ours: Mapping[str, str | None]) -> str | None:
        """One incremental listing since ``marker``: its token, if every event in it is
        one of ours as we recorded it (or one we deleted)."""
        if marker is None:
            return None
        try:
            changes, token = self._pages("checking its own writes", syncToken=marker)
        except RemoteError:
            return None  # the writes are done and recorded: list once more next time
        for item in changes:
            if item.get("id") not in ours:
                return None  # the user's own event, or one of ours we did not record
            recorded = ours[item["id"]]
            gone = item.get("status") == "cancelled"
            if (recorded is None) != gone or (not gone and recorded != item.get("etag")):
                return None
        return token

    def list_items(self) -> dict[str, RemoteItem]:
        try:
            items, self._listing_marker = self._pages("listing the calendar", showDeleted=False)
        except ItemMissing:
            raise CalendarMissing(
                f"the Google calendar {self.calendar_id} does not exist any more"
            ) from None
        found: dict[str, RemoteItem] = {}
        self._listed = {}
        for item in items:
            uid = private_of(item).get(UID_KEY)
            if uid and item.get("status") != "cancelled":
                found[uid] = RemoteItem(item["id"], item.get("etag"))
                self._listed[item["id"]] = item
        return found

    def read_items(self, items: Mapping[str, RemoteItem]) -> dict[str, RemoteContent]:
        """The listing already returned every event whole; only what it did not hold
        (or what changed since) is fetched, one by one."""
        found: dict[str, RemoteContent] = {}
        for uid, item in items.items():
            resource = self._listed.get(item.remote_id)
            if resource is None or (item.etag and resource.get("etag") != item.etag):
                try:
                    resource = self.execute(
                        self._events().get(calendarId=self.calendar_id, eventId=item.remote_id),
                        "reading an event",
                    )
                except ItemMissing:
                    continue
                assert resource is not None
                self._listed[item.remote_id] = resource
            if resource.get("status") != "cancelled":
                found[uid] = content_of(resource)
        return found

    def remote_id_for(self, event: Event, generation: int) -> str:
        # Google keeps deleted ids for ever, so a re-created step needs a new one.
        return event.uid_stem if generation == 0 else f"{event.uid_stem}{generation}"

    def _insert_request(self, event: Event, remote_id: str) -> Any:
        body = {"id": remote_id, **event_body(event)}
        return self._events().insert(calendarId=self.calendar_id, body=body, sendUpdates="none")

    def create(self, event: Event, remote_id: str) -> RemoteItem:
        what = f"creating '{event.summary}'"
        for generation in range(1, 20):
            try:
                made = self.execute(self._insert_request(event, remote_id), what)
                return item_of(made)
            except PreconditionFailed:
                try:
                    existing = self.execute(
                        self._events().get(calendarId=self.calendar_id, eventId=remote_id), what
                    )
                except ItemMissing:  # deleted long ago and forgotten, yet the id stays taken
                    existing = {"status": "cancelled"}
                if existing.get("status") != "cancelled":
                    # Ours from a run that died before recording it, perhaps edited since:
                    # the sync reads it and weighs it like any other copy.
                    self._listed[remote_id] = existing
                    raise PreconditionFailed(f"'{event.summary}' is already in Google") from None
                remote_id = self.remote_id_for(event, generation)
        raise ItemFailed(f"no free event id left while {what}")

    def _batch(self, calls: Sequence[Call], what: str) -> list[Any]:
        return send_batch(
            calls, batch_uri=self.batch_uri, execute=self.execute, sleep=self.sleep, what=what
        )

    def _answer_error(self, answer: Any, what: str) -> RemoteError | None:
        """The error an answer of a batch stands for; None when it is a success."""
        from googleapiclient.errors import HttpError

        if isinstance(answer, RemoteError):  # its batch failed as a whole
            return answer
        if isinstance(answer, HttpError):
            return self._translate(answer.resp.status, error_reason(answer), what)
        if answer is None:  # Google left this call out of its answer
            return ItemFailed(f"Google gave no answer while {what}; the next sync tries again")
        return None

    def create_batch(self, pairs: Sequence[tuple[Event, str]]) -> list[RemoteItem | RemoteError]:
        """Create up to 50 events in one request. An id that is taken (409) goes the
        single path, which knows how to weigh the copy there or find the next id."""
        answers = self._batch(
            [
                functools.partial(self._insert_request, event, remote_id)
                for event, remote_id in pairs
            ],
            f"creating {len(pairs)} events",
        )
        outcome: list[RemoteItem | RemoteError] = []
        follow_ups = FollowUps()
        for (event, remote_id), answer in zip(pairs, answers, strict=True):
            error = self._answer_error(answer, f"creating '{event.summary}'")
            if error is None:
                outcome.append(item_of(answer))
            elif isinstance(error, PreconditionFailed):
                outcome.append(follow_ups.ask(functools.partial(self.create, event, remote_id)))
            else:
                outcome.append(error)
        return outcome

    def _patch_request(self, event: Event, item: RemoteItem, write: Write | None) -> Any:
        self._listed.pop(item.remote_id, None)  # whatever happens, read it afresh next time
        request = self._events().patch(
            calendarId=self.calendar_id,
            eventId=item.remote_id,
            body=event_body(event, write),
            sendUpdates="none",
        )
        if item.etag:
            request.headers["If-Match"] = item.etag
        return request

    def _delete_request(self, item: RemoteItem) -> Any:
        self._listed.pop(item.remote_id, None)
        request = self._events().delete(
            calendarId=self.calendar_id, eventId=item.remote_id, sendUpdates="none"
        )
        if item.etag:
            request.headers["If-Match"] = item.etag
        return request

    def _refused_delete(self, item: RemoteItem, what: str) -> RemoteError:
        """What a 412 to a deletion means: Google keeps a deleted event (cancelled), so
        its ETag moved; gone already, or edited by the user."""
        found = self.execute(
            self._events().get(calendarId=self.calendar_id, eventId=item.remote_id), what
        )
        if found.get("status") == "cancelled":
            return ItemMissing(f"not in Google any more while {what}")
        return PreconditionFailed(f"changed in Google meanwhile while {what} (HTTP 412)")

    def update(self, event: Event, item: RemoteItem, write: Write | None = None) -> RemoteItem:
        request = self._patch_request(event, item, write)
        made = self.execute(request, f"updating '{event.summary}'")
        return item_of(made)

    def delete(self, item: RemoteItem) -> None:
        what = f"deleting {item.remote_id}"
        try:
            self.execute(self._delete_request(item), what)
        except PreconditionFailed:
            raise self._refused_delete(item, what) from None

    def _change_call(self, change: Change) -> Call:
        event = change.event
        if event is None:
            return lambda: self._delete_request(change.item)
        return lambda: self._patch_request(event, change.item, change.write)

    def change_batch(self, changes: Sequence[Change]) -> list[ChangeResult]:
        """Up to 50 updates and deletions in one request, each answered on its own."""
        answers = self._batch(
            [self._change_call(c) for c in changes], f"changing {len(changes)} events"
        )
        results: list[ChangeResult] = []
        follow_ups = FollowUps()
        for change, answer in zip(changes, answers, strict=True):
            event = change.event
            what = (
                f"deleting {change.item.remote_id}"
                if event is None
                else f"updating '{event.summary}'"
            )
            error = self._answer_error(answer, what)
            if event is None and isinstance(error, PreconditionFailed):
                error = follow_ups.ask(functools.partial(self._refused_delete, change.item, what))
            if error is not None:
                results.append(error)
            else:
                results.append(None if event is None else item_of(answer))
        return results


def build_service(credentials: Any, root: str | None) -> Any:
    """The API client from the bundled discovery document: no network call to build it."""
    from googleapiclient.discovery import build

    options = {"api_endpoint": root + "calendar/v3/"} if root else None
    return build(
        "calendar",
        "v3",
        credentials=credentials,
        static_discovery=True,
        cache_discovery=False,
        client_options=options,
    )


def create_calendar(sink_service: Any, name: str, tz: str) -> str:
    probe = GoogleSink(sink_service, "primary", "")
    made = probe.execute(
        sink_service.calendars().insert(body={"summary": name, "timeZone": tz}),
        f"creating the calendar '{name}'",
    )
    return str(made["id"])
