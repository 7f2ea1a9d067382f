"""Tests of the Google Calendar fake, over real HTTP: with urllib and through
googleapiclient, the client the project uses against the real service."""

from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import BatchHttpRequest
from support.fakes.google_calendar import FakeGoogleCalendar, FakeGoogleCalendarProcess

Json = dict[str, Any]

TIMED = {
    "summary": "Thank-you note",
    "start": {"dateTime": "2030-03-04T09:00:00+01:00"},
    "end": {"dateTime": "2030-03-04T09:30:00+01:00"},
}

pytestmark = pytest.mark.slow


def event(**extra: Any) -> Json:
    return {**TIMED, **extra}


@pytest.fixture(scope="module")
def server() -> Iterator[FakeGoogleCalendar]:
    with FakeGoogleCalendar() as fake:
        yield fake


@pytest.fixture
def fake(server: FakeGoogleCalendar) -> FakeGoogleCalendar:
    server.reset()
    return server


@pytest.fixture
def svc(fake: FakeGoogleCalendar) -> Any:
    return build(
        "calendar",
        "v3",
        credentials=Credentials(token="x"),
        static_discovery=True,
        client_options={"api_endpoint": fake.api_endpoint},
    )


def call(
    fake: FakeGoogleCalendar,
    method: str,
    path: str,
    body: Json | None = None,
    query: dict[str, Any] | None = None,
) -> tuple[int, Any]:
    """One plain HTTP request, no auth header; returns (status, parsed JSON or None)."""
    url = fake.api_endpoint + path
    if query:
        url += "?" + urlencode(query, doseq=True)
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def reason(payload: Json) -> str:
    return str(payload["error"]["errors"][0]["reason"])


def list_all(svc: Any, **params: Any) -> tuple[list[Json], str]:
    """Follow nextPageToken to the end; return the items and the nextSyncToken."""
    items: list[Json] = []
    page_token = None
    while True:
        page = svc.events().list(calendarId="primary", pageToken=page_token, **params).execute()
        items.extend(page["items"])
        page_token = page.get("nextPageToken")
        if page_token is None:
            return items, page["nextSyncToken"]


def no_sleep(request: Any) -> Any:
    # googleapiclient sleeps rand() * 2**n seconds between retries; skip the wait.
    request._sleep = lambda seconds: None
    return request


# ---------------------------------------------------------------- resources and errors


def test_insert_fills_server_fields(svc: Any) -> None:
    created = svc.events().insert(calendarId="primary", body=event(id="abcde12345")).execute()
    assert created["kind"] == "calendar#event"
    assert created["id"] == "abcde12345"
    assert re.fullmatch(r'"\d+"', created["etag"])
    assert created["status"] == "confirmed"
    assert created["iCalUID"] == "abcde12345@google.com"
    assert created["sequence"] == 0
    assert created["htmlLink"].startswith("https://www.google.com/calendar/event?eid=")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", created["updated"])
    assert created["created"] == created["updated"]
    fetched = svc.events().get(calendarId="primary", eventId="abcde12345").execute()
    assert fetched == created


def test_generated_ids_are_valid_and_given_ical_uid_is_kept(fake: FakeGoogleCalendar) -> None:
    status, created = call(fake, "POST", "calendars/primary/events", event(iCalUID="x@y"))
    assert status == 200
    assert re.fullmatch(r"[a-v0-9]{5,1024}", created["id"])
    assert created["iCalUID"] == "x@y"


def test_every_write_changes_etag_and_increases_updated(svc: Any) -> None:
    events = svc.events()
    first = events.insert(calendarId="primary", body=event(id="stamps1")).execute()
    second = events.patch(calendarId="primary", eventId="stamps1", body={"summary": "a"}).execute()
    third = events.update(calendarId="primary", eventId="stamps1", body=event()).execute()
    assert len({first["etag"], second["etag"], third["etag"]}) == 3
    assert first["updated"] < second["updated"] < third["updated"]
    assert third["created"] == first["created"]


@pytest.mark.parametrize(
    "event_id",
    ["abcd", "ABCDE", "abcdw", "abc-de", "abc_de", "a" * 1025, ""],
)
def test_client_ids_outside_base32hex_are_refused(fake: FakeGoogleCalendar, event_id: str) -> None:
    status, payload = call(fake, "POST", "calendars/primary/events", event(id=event_id))
    assert status == 400
    assert reason(payload) == "invalid"
    assert fake.events() == []


@pytest.mark.parametrize("event_id", ["abcde", "0v0v0v", "a" * 1024])
def test_client_ids_in_base32hex_are_accepted(fake: FakeGoogleCalendar, event_id: str) -> None:
    status, _ = call(fake, "POST", "calendars/primary/events", event(id=event_id))
    assert status == 200


def test_error_body_has_googles_shape(fake: FakeGoogleCalendar) -> None:
    status, payload = call(fake, "GET", "calendars/primary/events/nosuchevent")
    assert status == 404
    assert payload == {
        "error": {
            "code": 404,
            "message": "Not Found",
            "errors": [{"domain": "global", "reason": "notFound", "message": "Not Found"}],
            "status": "NOT_FOUND",
        }
    }


def test_duplicate_id_is_409_also_after_delete(svc: Any) -> None:
    events = svc.events()
    events.insert(calendarId="primary", body=event(id="dup00001")).execute()
    with pytest.raises(HttpError) as live:
        events.insert(calendarId="primary", body=event(id="dup00001")).execute()
    assert live.value.status_code == 409
    assert live.value.error_details[0]["reason"] == "duplicate"

    events.delete(calendarId="primary", eventId="dup00001").execute()
    with pytest.raises(HttpError) as deleted:
        events.insert(calendarId="primary", body=event(id="dup00001")).execute()
    assert deleted.value.status_code == 409


def test_delete_keeps_a_cancelled_event_and_second_delete_is_410(fake: FakeGoogleCalendar) -> None:
    call(fake, "POST", "calendars/primary/events", event(id="gone0001"))
    assert call(fake, "DELETE", "calendars/primary/events/gone0001") == (204, None)
    status, payload = call(fake, "GET", "calendars/primary/events/gone0001")
    assert (status, payload["status"]) == (200, "cancelled")
    status, payload = call(fake, "DELETE", "calendars/primary/events/gone0001")
    assert (status, reason(payload)) == (410, "deleted")
    for method in ("PATCH", "PUT"):
        status, payload = call(fake, method, "calendars/primary/events/gone0001", event())
        assert (status, reason(payload)) == (404, "notFound")
    assert fake.events()[0]["status"] == "cancelled"
    assert fake.events(include_deleted=False) == []


@pytest.mark.parametrize("method", ["GET", "PATCH", "PUT", "DELETE"])
def test_unknown_event_is_404(fake: FakeGoogleCalendar, method: str) -> None:
    body = event() if method in ("PATCH", "PUT") else None
    status, payload = call(fake, method, "calendars/primary/events/unknown1", body)
    assert (status, reason(payload)) == (404, "notFound")


def test_unknown_calendar_is_404(fake: FakeGoogleCalendar) -> None:
    status, payload = call(fake, "POST", "calendars/nobody%40example.com/events", event())
    assert (status, reason(payload)) == (404, "notFound")


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (None, {"date": "2030-01-02"}, "required"),
        ({"date": "2030-01-01"}, None, "required"),
        ({}, {"date": "2030-01-02"}, "required"),
        ({"date": "2030-01-01"}, {"dateTime": "2030-01-01T10:00:00Z"}, "invalid"),
        ({"dateTime": "2030-01-01T10:00:00"}, {"dateTime": "2030-01-01T11:00:00Z"}, "required"),
        (
            {"dateTime": "2030-01-01T10:00:00", "timeZone": "Mars/Olympus"},
            {"dateTime": "2030-01-01T11:00:00Z"},
            "invalid",
        ),
        ({"date": "2030-02-30"}, {"date": "2030-03-01"}, "invalid"),
        ({"dateTime": "tomorrow"}, {"dateTime": "2030-01-01T11:00:00Z"}, "invalid"),
        (
            {"date": "2030-01-01", "dateTime": "2030-01-01T10:00:00Z"},
            {"date": "2030-01-02"},
            "invalid",
        ),
        ({"date": "2030-01-02"}, {"date": "2030-01-01"}, "timeRangeEmpty"),
        (
            {"dateTime": "2030-01-01T10:00:00Z"},
            {"dateTime": "2030-01-01T10:30:00+01:00"},
            "timeRangeEmpty",
        ),
    ],
)
def test_bad_times_are_refused(
    fake: FakeGoogleCalendar, start: Json | None, end: Json | None, expected: str
) -> None:
    body: Json = {"summary": "x"}
    if start is not None:
        body["start"] = start
    if end is not None:
        body["end"] = end
    status, payload = call(fake, "POST", "calendars/primary/events", body)
    assert (status, reason(payload)) == (400, expected)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ({"date": "2030-01-01"}, {"date": "2030-01-02"}),
        (
            {"dateTime": "2030-01-01T10:00:00", "timeZone": "Europe/Berlin"},
            {"dateTime": "2030-01-01T11:00:00", "timeZone": "Europe/Berlin"},
        ),
        ({"dateTime": "2030-01-01T10:00:00.5Z"}, {"dateTime": "2030-01-01T10:00:00.5Z"}),
    ],
)
def test_good_times_are_accepted(fake: FakeGoogleCalendar, start: Json, end: Json) -> None:
    status, _ = call(fake, "POST", "calendars/primary/events", {"start": start, "end": end})
    assert status == 200


def test_reminders_cannot_mix_default_and_overrides(fake: FakeGoogleCalendar) -> None:
    reminders = {"useDefault": True, "overrides": [{"method": "popup", "minutes": 10}]}
    status, payload = call(fake, "POST", "calendars/primary/events", event(reminders=reminders))
    assert (status, reason(payload)) == (400, "cannotUseDefaultRemindersAndSpecifyOverride")


# ---------------------------------------------------------------- patch and update


def test_patch_replaces_arrays_and_merges_objects(svc: Any) -> None:
    events = svc.events()
    body = event(
        id="patch0001",
        description="keep me",
        reminders={
            "useDefault": False,
            "overrides": [{"method": "popup", "minutes": 10}, {"method": "email", "minutes": 60}],
        },
        extendedProperties={"private": {"app": "followup", "step": "thank-you"}},
    )
    events.insert(calendarId="primary", body=body).execute()
    patched = events.patch(
        calendarId="primary",
        eventId="patch0001",
        body={
            "summary": "Renamed",
            "reminders": {"overrides": [{"method": "popup", "minutes": 5}]},
            "extendedProperties": {"private": {"step": "check-in", "extra": "1"}},
        },
    ).execute()
    assert patched["summary"] == "Renamed"
    assert patched["description"] == "keep me"
    assert patched["reminders"] == {
        "useDefault": False,
        "overrides": [{"method": "popup", "minutes": 5}],
    }
    assert patched["extendedProperties"]["private"] == {
        "app": "followup",
        "step": "check-in",
        "extra": "1",
    }
    # null removes a field, also inside an object
    cleared = events.patch(
        calendarId="primary",
        eventId="patch0001",
        body={"description": None, "extendedProperties": {"private": {"extra": None}}},
    ).execute()
    assert "description" not in cleared
    assert cleared["extendedProperties"]["private"] == {"app": "followup", "step": "check-in"}


def test_patch_result_is_validated(fake: FakeGoogleCalendar) -> None:
    call(fake, "POST", "calendars/primary/events", event(id="patch0002"))
    early_end = {"end": {"dateTime": "2030-03-04T08:00:00+01:00"}}
    status, payload = call(fake, "PATCH", "calendars/primary/events/patch0002", early_end)
    assert (status, reason(payload)) == (400, "timeRangeEmpty")


def test_update_replaces_the_whole_event(svc: Any) -> None:
    events = svc.events()
    events.insert(
        calendarId="primary", body=event(id="update001", description="old", location="HQ")
    ).execute()
    updated = events.update(
        calendarId="primary", eventId="update001", body=event(summary="New")
    ).execute()
    assert updated["summary"] == "New"
    assert "description" not in updated and "location" not in updated
    assert updated["iCalUID"] == "update001@google.com"


def test_update_requires_times(fake: FakeGoogleCalendar) -> None:
    call(fake, "POST", "calendars/primary/events", event(id="update002"))
    status, payload = call(fake, "PUT", "calendars/primary/events/update002", {"summary": "x"})
    assert (status, reason(payload)) == (400, "required")


# ---------------------------------------------------------------- list, paging, sync


def test_private_extended_property_filter(svc: Any) -> None:
    def tagged(event_id: str, **props: str) -> None:
        body = event(id=event_id, extendedProperties={"private": props})
        svc.events().insert(calendarId="primary", body=body).execute()

    tagged("filter001", app="followup", kind="thanks")
    tagged("filter002", app="followup", kind="check")
    tagged("filter003", app="other", kind="thanks")
    svc.events().insert(calendarId="primary", body=event(id="filter004")).execute()

    def ids(*filters: str) -> list[str]:
        page = (
            svc.events().list(calendarId="primary", privateExtendedProperty=list(filters)).execute()
        )
        return [e["id"] for e in page["items"]]

    assert ids("app=followup") == ["filter001", "filter002"]
    assert ids("app=followup", "kind=thanks") == ["filter001"]
    assert ids("app=nobody") == []


def test_deleted_events_are_hidden_unless_show_deleted(svc: Any) -> None:
    events = svc.events()
    events.insert(calendarId="primary", body=event(id="shoun0001")).execute()
    events.insert(calendarId="primary", body=event(id="hidden001")).execute()
    events.delete(calendarId="primary", eventId="hidden001").execute()
    visible = events.list(calendarId="primary").execute()["items"]
    everything = events.list(calendarId="primary", showDeleted=True).execute()["items"]
    assert [e["id"] for e in visible] == ["shoun0001"]
    assert [e["id"] for e in everything] == ["shoun0001", "hidden001"]


def test_paging_with_next_page_token(svc: Any) -> None:
    for n in range(7):
        svc.events().insert(calendarId="primary", body=event(id=f"page000{n}")).execute()
    pages = []
    page_token = None
    while True:
        page = svc.events().list(calendarId="primary", maxResults=3, pageToken=page_token).execute()
        pages.append(page)
        page_token = page.get("nextPageToken")
        if page_token is None:
            break
    assert [len(p["items"]) for p in pages] == [3, 3, 1]
    assert all("nextSyncToken" not in p for p in pages[:-1])
    assert "nextSyncToken" in pages[-1]
    ids = [e["id"] for p in pages for e in p["items"]]
    assert ids == [f"page000{n}" for n in range(7)]


def test_max_results_is_capped_and_validated(fake: FakeGoogleCalendar) -> None:
    status, page = call(fake, "GET", "calendars/primary/events", query={"maxResults": 99999})
    assert status == 200
    status, payload = call(fake, "GET", "calendars/primary/events", query={"maxResults": 0})
    assert (status, reason(payload)) == (400, "invalid")


def test_sync_token_returns_only_changes_including_deletions(svc: Any) -> None:
    events = svc.events()
    for event_id in ("sinc00001", "sinc00002", "sinc00003"):
        events.insert(calendarId="primary", body=event(id=event_id)).execute()
    _, token = list_all(svc, maxResults=2)

    events.patch(calendarId="primary", eventId="sinc00001", body={"summary": "moved"}).execute()
    events.delete(calendarId="primary", eventId="sinc00002").execute()
    events.insert(calendarId="primary", body=event(id="sinc00004")).execute()

    changed, token = list_all(svc, syncToken=token)
    assert [(e["id"], e["status"]) for e in changed] == [
        ("sinc00001", "confirmed"),
        ("sinc00002", "cancelled"),
        ("sinc00004", "confirmed"),
    ]
    assert list_all(svc, syncToken=token)[0] == []


def test_expired_sync_token_is_410(fake: FakeGoogleCalendar, svc: Any) -> None:
    _, token = list_all(svc)
    fake.expire_sync_tokens()
    with pytest.raises(HttpError) as raised:
        svc.events().list(calendarId="primary", syncToken=token).execute()
    assert raised.value.status_code == 410
    assert raised.value.error_details[0]["reason"] == "fullSyncRequired"
    # a fresh full sync hands out a token that works again
    _, fresh = list_all(svc)
    assert list_all(svc, syncToken=fresh)[0] == []


@pytest.mark.parametrize(
    "extra",
    [
        {"privateExtendedProperty": "app=followup"},
        {"timeMin": "2030-01-01T00:00:00Z"},
        {"timeMax": "2030-01-01T00:00:00Z"},
    ],
)
def test_sync_token_refuses_filters(svc: Any, extra: dict[str, str]) -> None:
    _, token = list_all(svc)
    with pytest.raises(HttpError) as raised:
        svc.events().list(calendarId="primary", syncToken=token, **extra).execute()
    assert raised.value.status_code == 400


def test_time_window_filters_by_overlap(fake: FakeGoogleCalendar) -> None:
    call(fake, "POST", "calendars/primary/events", event(id="span00001"))
    inside = {"timeMin": "2030-03-04T08:15:00Z", "timeMax": "2030-03-04T08:20:00Z"}
    after = {"timeMin": "2030-03-04T08:30:00Z"}
    assert len(call(fake, "GET", "calendars/primary/events", query=inside)[1]["items"]) == 1
    assert call(fake, "GET", "calendars/primary/events", query=after)[1]["items"] == []


# ---------------------------------------------------------------- calendars


def test_calendars_insert_get_list_delete(svc: Any) -> None:
    created = svc.calendars().insert(body={"summary": "Job hunt"}).execute()
    assert created["kind"] == "calendar#calendar"
    assert created["summary"] == "Job hunt"
    assert created["id"].endswith("@group.calendar.google.com")
    cal_id = created["id"]
    assert svc.calendars().get(calendarId=cal_id).execute()["summary"] == "Job hunt"

    listed = svc.calendarList().list().execute()["items"]
    assert {c["id"] for c in listed} == {"fake-user@example.com", cal_id}
    assert [c["id"] for c in listed if c.get("primary")] == ["fake-user@example.com"]
    assert svc.calendars().get(calendarId="primary").execute()["id"] == "fake-user@example.com"

    svc.events().insert(calendarId=cal_id, body=event(id="oncal0001")).execute()
    assert svc.events().get(calendarId=cal_id, eventId="oncal0001").execute()["id"] == "oncal0001"
    with pytest.raises(HttpError):
        svc.events().get(calendarId="primary", eventId="oncal0001").execute()

    svc.calendars().delete(calendarId=cal_id).execute()
    with pytest.raises(HttpError) as raised:
        svc.calendars().get(calendarId=cal_id).execute()
    assert raised.value.status_code == 404


def test_calendar_insert_needs_summary(fake: FakeGoogleCalendar) -> None:
    status, payload = call(fake, "POST", "calendars", {})
    assert (status, reason(payload)) == (400, "required")


# ---------------------------------------------------------------- bookkeeping for tests


def test_send_updates_and_attendees_are_recorded(fake: FakeGoogleCalendar, svc: Any) -> None:
    events = svc.events()
    events.insert(calendarId="primary", body=event(id="notif0001"), sendUpdates="none").execute()
    events.patch(calendarId="primary", eventId="notif0001", body={"summary": "x"}).execute()
    assert fake.attendee_writes == 0
    guests = {"attendees": [{"email": "recruiter@example.com"}]}
    events.patch(
        calendarId="primary", eventId="notif0001", body=guests, sendUpdates="all"
    ).execute()
    assert fake.send_updates_seen == ["none", None, "all"]
    assert fake.attendee_writes == 1
    stats = fake.stats()
    assert stats["writes"] == 3
    assert stats["by_method"] == {"POST": 1, "PATCH": 2}


# ---------------------------------------------------------------- faults and retries


@pytest.mark.parametrize(
    ("status", "fault_reason"),
    [(429, None), (500, None), (503, None), (403, "rateLimitExceeded")],
)
def test_retryable_fault_then_success(
    fake: FakeGoogleCalendar, svc: Any, status: int, fault_reason: str | None
) -> None:
    fake.inject_fault(status=status, reason=fault_reason)
    request = no_sleep(svc.events().insert(calendarId="primary", body=event(id="retri0001")))
    created = request.execute(num_retries=2)
    assert created["id"] == "retri0001"
    assert fake.stats()["requests"] == 2
    assert len(fake.events()) == 1


def test_rate_limit_error_body(fake: FakeGoogleCalendar) -> None:
    fake.inject_fault(status=403)
    status, payload = call(fake, "GET", "calendars/primary/events")
    assert status == 403
    assert payload["error"]["errors"][0] == {
        "domain": "usageLimits",
        "reason": "rateLimitExceeded",
        "message": "Rate Limit Exceeded",
    }


def test_403_without_rate_limit_reason_is_not_retried(fake: FakeGoogleCalendar, svc: Any) -> None:
    fake.inject_fault(status=403, reason="quotaExceeded")
    request = no_sleep(svc.events().insert(calendarId="primary", body=event(id="quota0001")))
    with pytest.raises(HttpError) as raised:
        request.execute(num_retries=2)
    assert raised.value.error_details[0]["reason"] == "quotaExceeded"
    assert fake.events() == []


def test_fault_after_and_methods(fake: FakeGoogleCalendar) -> None:
    fake.inject_fault(status=500, after=1, methods=["POST"], count=2)
    assert call(fake, "GET", "calendars/primary/events")[0] == 200
    assert call(fake, "POST", "calendars/primary/events", event(id="after0001"))[0] == 200
    assert call(fake, "POST", "calendars/primary/events", event(id="after0002"))[0] == 500
    assert call(fake, "GET", "calendars/primary/events")[0] == 200
    assert call(fake, "POST", "calendars/primary/events", event(id="after0002"))[0] == 500
    assert call(fake, "POST", "calendars/primary/events", event(id="after0002"))[0] == 200
    assert [e["id"] for e in fake.events()] == ["after0001", "after0002"]


def test_drop_connection_applies_the_write_but_loses_the_response(
    fake: FakeGoogleCalendar,
) -> None:
    fake.inject_fault(drop_connection=True)
    with pytest.raises(http.client.RemoteDisconnected):
        call(fake, "POST", "calendars/primary/events", event(id="crash0001"))
    assert [e["id"] for e in fake.events()] == ["crash0001"]
    # the retry a careful client makes finds the event already there
    status, payload = call(fake, "POST", "calendars/primary/events", event(id="crash0001"))
    assert (status, reason(payload)) == (409, "duplicate")


def test_httplib2_silently_resends_after_a_dropped_connection(
    fake: FakeGoogleCalendar, svc: Any
) -> None:
    # httplib2 re-sends a request once when the connection closes before a status
    # line, even a POST: with a client-chosen id the replay surfaces as 409.
    fake.inject_fault(drop_connection=True)
    with pytest.raises(HttpError) as raised:
        svc.events().insert(calendarId="primary", body=event(id="repla0001")).execute()
    assert raised.value.status_code == 409
    assert [e["id"] for e in fake.events()] == ["repla0001"]


# ---------------------------------------------------------------- batch


def test_batch_of_three_inserts(fake: FakeGoogleCalendar, svc: Any) -> None:
    results: dict[str, Json] = {}

    def collect(request_id: str, response: Json, error: HttpError | None) -> None:
        assert error is None
        results[request_id] = response

    batch = BatchHttpRequest(callback=collect, batch_uri=fake.batch_uri)
    for n in range(3):
        batch.add(svc.events().insert(calendarId="primary", body=event(id=f"batch000{n}")))
    batch.execute()

    assert sorted(results) == ["1", "2", "3"]
    assert [results[k]["id"] for k in ("1", "2", "3")] == ["batch0000", "batch0001", "batch0002"]
    assert fake.stats()["requests"] == 3
    assert fake.stats()["batches"] == 1


def test_batch_reports_errors_per_part(fake: FakeGoogleCalendar, svc: Any) -> None:
    svc.events().insert(calendarId="primary", body=event(id="taken0001")).execute()
    fake.inject_fault(status=429, after=2)
    results: dict[str, tuple[Any, HttpError | None]] = {}
    batch = BatchHttpRequest(
        callback=lambda rid, resp, err: results.__setitem__(rid, (resp, err)),
        batch_uri=fake.batch_uri,
    )
    batch.add(svc.events().insert(calendarId="primary", body=event(id="taken0001")))
    batch.add(svc.events().delete(calendarId="primary", eventId="taken0001"))
    batch.add(svc.events().insert(calendarId="primary", body=event(id="fresh0001")))
    batch.execute()

    first_error = results["1"][1]
    assert first_error is not None and first_error.status_code == 409
    assert results["2"][1] is None
    third_error = results["3"][1]
    assert third_error is not None and third_error.status_code == 429
    assert fake.events()[0]["status"] == "cancelled"


def test_batch_over_50_is_refused(fake: FakeGoogleCalendar, svc: Any) -> None:
    batch = BatchHttpRequest(batch_uri=fake.batch_uri)
    for n in range(51):
        batch.add(svc.events().get(calendarId="primary", eventId=f"many{n:04d}"))
    with pytest.raises(HttpError) as raised:
        batch.execute()
    assert raised.value.status_code == 400
    assert fake.stats()["requests"] == 0


# ---------------------------------------------------------------- control API and subprocess


def control(base_url: str, method: str, path: str, body: Json | None = None) -> Json:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{base_url}/_fake/{path}", data=data, method=method)
    with urllib.request.urlopen(request, timeout=5) as response:
        result: Json = json.loads(response.read())
    return result


def test_control_endpoints(fake: FakeGoogleCalendar) -> None:
    control(fake.base_url, "POST", "faults", {"status": 503, "count": 1})
    assert call(fake, "GET", "calendars/primary/events")[0] == 503
    call(fake, "POST", "calendars/primary/events", event(id="ctrl00001"))
    call(fake, "DELETE", "calendars/primary/events/ctrl00001")
    stats = control(fake.base_url, "GET", "stats")
    assert (stats["requests"], stats["writes"]) == (3, 2)
    dumped = control(fake.base_url, "GET", "events/primary")["items"]
    assert [(e["id"], e["status"]) for e in dumped] == [("ctrl00001", "cancelled")]
    control(fake.base_url, "POST", "reset")
    assert fake.stats()["requests"] == 0
    assert fake.events() == []


def test_subprocess_mode_keeps_state_in_the_server() -> None:
    with FakeGoogleCalendarProcess() as remote:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", remote.base_url)
        remote.inject_fault(drop_connection=True)
        request = urllib.request.Request(
            remote.api_endpoint + "calendars/primary/events",
            data=json.dumps(event(id="remote001")).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with pytest.raises(http.client.RemoteDisconnected):
            urllib.request.urlopen(request, timeout=5)
        assert [e["id"] for e in remote.events()] == ["remote001"]
        assert remote.stats()["writes"] == 1
        remote.expire_sync_tokens()
        remote.reset()
        assert remote.events() == []
        process = remote._process
    assert process is not None and process.poll() is not None
