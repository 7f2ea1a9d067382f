"""A local fake of the Google Calendar API v3, served over real HTTP on loopback.

The fake keeps its state in the server (not in the client), so a test can run it
in-process (``FakeGoogleCalendar``) or as a child process
(``python tests/support/fakes/google_calendar.py --port 0``, driven by
``FakeGoogleCalendarProcess``) and kill the client side without losing what the
"server" committed.

It enforces the rules of the real service that a sync client can trip over:
event id charset, 409 on reused ids (also of deleted events), 410 on a second
delete, start/end validation, patch semantics, paging, sync tokens, batch
requests and rate-limit faults.  Control endpoints live under ``/_fake/``.

Standard library only.
"""

from __future__ import annotations

import argparse
import base64
import copy
import json
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Json = dict[str, Any]
Query = dict[str, list[str]]

API_PREFIX = "/calendar/v3/"
BATCH_PATH = "/batch/calendar/v3"
CONTROL_PREFIX = "/_fake/"

MAX_BATCH_SIZE = 50
DEFAULT_PAGE_SIZE = 250
MAX_PAGE_SIZE = 2500

# Google: base32hex characters (a-v, 0-9), 5 to 1024 of them.
EVENT_ID_RE = re.compile(r"^[a-v0-9]{5,1024}$")
ID_ALPHABET = "0123456789abcdefghijklmnopqrstuv"
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME_RE = re.compile(
    r"^(?P<base>\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2})(?:\.(?P<frac>\d+))?"
    r"(?P<offset>[Zz]|[+-]\d{2}:\d{2})?$"
)

EVENT_STATUSES = {"confirmed", "tentative", "cancelled"}
SEND_UPDATES_VALUES = {"all", "externalOnly", "none"}
REMINDER_METHODS = {"email", "popup"}
MAX_REMINDER_OVERRIDES = 5
MAX_REMINDER_MINUTES = 40320
# Fields the server owns: whatever a client sends for them is ignored.
SERVER_OWNED_FIELDS = {
    "kind",
    "etag",
    "id",
    "htmlLink",
    "created",
    "updated",
    "creator",
    "organizer",
}
# Google refuses these together with syncToken (the result would be inconsistent).
SYNC_INCOMPATIBLE_PARAMS = (
    "iCalUID",
    "orderBy",
    "privateExtendedProperty",
    "q",
    "sharedExtendedProperty",
    "timeMin",
    "timeMax",
    "updatedMin",
)
RATE_LIMIT_REASONS = {"rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded", "usageLimits"}
DEFAULT_FAULT_REASONS = {
    400: "badRequest",
    401: "authError",
    403: "rateLimitExceeded",
    404: "notFound",
    429: "rateLimitExceeded",
    500: "backendError",
    503: "backendError",
}
FAULT_MESSAGES = {
    "rateLimitExceeded": "Rate Limit Exceeded",
    "userRateLimitExceeded": "User Rate Limit Exceeded",
    "quotaExceeded": "Calendar usage limits exceeded.",
    "backendError": "Backend Error",
}
# google.rpc canonical codes that Google puts in error.status.
STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


# --------------------------------------------------------------------------- errors


class ApiError(Exception):
    """An error the fake answers in Google's JSON error shape."""

    def __init__(self, code: int, reason: str, message: str, domain: str = "global") -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.domain = domain

    def body(self) -> Json:
        error: Json = {
            "code": self.code,
            "message": self.message,
            "errors": [{"domain": self.domain, "reason": self.reason, "message": self.message}],
        }
        # 410 has no canonical google.rpc status, so Google sends none.
        if self.code in STATUS_NAMES:
            error["status"] = STATUS_NAMES[self.code]
        return {"error": error}


def _invalid(message: str) -> ApiError:
    return ApiError(400, "invalid", message)


def _not_found() -> ApiError:
    return ApiError(404, "notFound", "Not Found")


# --------------------------------------------------------------------------- data


@dataclass
class Reply:
    """What the HTTP layer sends back for one (possibly inner batch) request."""

    status: int
    body: Json | None = None
    drop: bool = False  # close the socket without answering (response lost)

    def payload(self) -> bytes:
        return b"" if self.body is None else json.dumps(self.body, indent=1).encode()


@dataclass
class Fault:
    status: int | None
    reason: str | None
    count: int
    after: int
    methods: frozenset[str] | None
    drop_connection: bool

    def matches(self, method: str) -> bool:
        # The batch envelope is only faulted when asked for explicitly with "BATCH".
        if self.methods is None:
            return method != "BATCH"
        return method in self.methods

    def error(self) -> ApiError:
        assert self.status is not None
        reason = self.reason or DEFAULT_FAULT_REASONS.get(self.status, "backendError")
        domain = "usageLimits" if reason in RATE_LIMIT_REASONS else "global"
        message = FAULT_MESSAGES.get(reason, HTTPStatus(self.status).phrase)
        return ApiError(self.status, reason, message, domain)


@dataclass
class StoredEvent:
    resource: Json
    change_seq: int  # global write counter at the last change; drives sync tokens


@dataclass
class Calendar:
    resource: Json
    events: dict[str, StoredEvent] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return str(self.resource["id"])


@dataclass
class ListCursor:
    """Server-side state behind a nextPageToken."""

    calendar_id: str
    event_ids: list[str]
    sync_seq: int  # change counter when the listing began: what nextSyncToken covers


# --------------------------------------------------------------------------- time helpers


def _rfc3339_ms(ms: int) -> str:
    moment = datetime.fromtimestamp(ms / 1000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def _parse_offset(text: str) -> tzinfo:
    if text in ("Z", "z"):
        return UTC
    hours, minutes = int(text[1:3]), int(text[4:6])
    if hours > 23 or minutes > 59:
        raise ValueError(text)
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if text[0] == "-" else delta)


def parse_rfc3339(text: str) -> tuple[datetime, bool]:
    """Parse an RFC 3339 date-time; return (value, whether it carried an offset)."""
    match = DATETIME_RE.match(text)
    if not match:
        raise ValueError(text)
    value = datetime.strptime(match["base"].upper(), "%Y-%m-%dT%H:%M:%S")
    if match["frac"]:
        value = value.replace(microsecond=int(match["frac"][:6].ljust(6, "0")))
    if match["offset"] is None:
        return value, False
    return value.replace(tzinfo=_parse_offset(match["offset"])), True


def _zone(name: Any, where: str) -> ZoneInfo:
    if not isinstance(name, str) or not name:
        raise _invalid(f"Invalid time zone definition for {where} time.")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise _invalid(f"Invalid time zone definition for {where} time.") from None


def _event_time(event: Json, which: str, default_tz: tzinfo) -> tuple[str, datetime]:
    """Validate event[which] ("start"/"end"); return its kind and an aware instant."""
    value = event.get(which)
    if value is None:
        raise ApiError(400, "required", f"Missing {which} time.")
    if not isinstance(value, dict):
        raise _invalid(f"Invalid {which} time.")
    zone = _zone(value["timeZone"], which) if value.get("timeZone") is not None else None
    day, moment = value.get("date"), value.get("dateTime")
    if day is None and moment is None:
        raise ApiError(400, "required", f"Missing {which} time.")
    if day is not None and moment is not None:
        raise _invalid(f"Invalid {which} time: both date and dateTime are set.")
    if day is not None:
        if not isinstance(day, str) or not DATE_RE.match(day):
            raise _invalid(f"Invalid {which} time.")
        try:
            parsed_day = date.fromisoformat(day)
        except ValueError:
            raise _invalid(f"Invalid {which} time.") from None
        midnight = datetime(parsed_day.year, parsed_day.month, parsed_day.day)
        return "date", midnight.replace(tzinfo=zone or default_tz)
    try:
        parsed, has_offset = parse_rfc3339(moment if isinstance(moment, str) else "")
    except ValueError:
        raise _invalid(f"Invalid {which} time.") from None
    if not has_offset:
        # A local time only means something together with an explicit zone.
        if zone is None:
            raise ApiError(400, "required", f"Missing time zone definition for {which} time.")
        parsed = parsed.replace(tzinfo=zone)
    return "dateTime", parsed


def _event_span(event: Json, default_tz: tzinfo) -> tuple[datetime, datetime]:
    start_kind, start = _event_time(event, "start", default_tz)
    end_kind, end = _event_time(event, "end", default_tz)
    if start_kind != end_kind:
        raise _invalid("Start and end times must either both be date or both be dateTime.")
    if end < start:
        raise ApiError(400, "timeRangeEmpty", "The specified time range is empty.", "calendar")
    return start, end


# --------------------------------------------------------------------------- event rules


def _validate_reminders(event: Json) -> None:
    reminders = event.get("reminders")
    if reminders is None:
        return
    if not isinstance(reminders, dict):
        raise _invalid("Invalid reminders.")
    overrides = reminders.get("overrides") or []
    if not isinstance(overrides, list):
        raise _invalid("Invalid reminder overrides.")
    if overrides and reminders.get("useDefault"):
        raise ApiError(
            400,
            "cannotUseDefaultRemindersAndSpecifyOverride",
            "Cannot specify both default reminders and overrides at the same time.",
        )
    if len(overrides) > MAX_REMINDER_OVERRIDES:
        raise _invalid("Too many reminders.")
    for override in overrides:
        if not isinstance(override, dict) or override.get("method") not in REMINDER_METHODS:
            raise ApiError(400, "required", "Missing reminder method.")
        minutes = override.get("minutes")
        if not isinstance(minutes, int) or not 0 <= minutes <= MAX_REMINDER_MINUTES:
            raise _invalid("Invalid reminder minutes value.")


def _validate_extended_properties(event: Json) -> None:
    props = event.get("extendedProperties")
    if props is None:
        return
    if not isinstance(props, dict):
        raise _invalid("Invalid extended properties.")
    for scope in ("private", "shared"):
        values = props.get(scope) or {}
        if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
            raise _invalid(f"Invalid {scope} extended property value.")


def validate_event(event: Json, default_tz: tzinfo) -> None:
    _event_span(event, default_tz)
    if event.get("status") not in EVENT_STATUSES:
        raise _invalid("Invalid event status.")
    sequence = event.get("sequence")
    if not isinstance(sequence, int) or sequence < 0:
        raise _invalid("Invalid sequence value.")
    _validate_reminders(event)
    _validate_extended_properties(event)


def merge_patch(target: Json, patch: Json) -> None:
    """Google's patch semantics: objects merge key by key, arrays and scalars
    replace the stored value, and null removes the field."""
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            merge_patch(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def _new_event_id() -> str:
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(26))


def _json_body(body: bytes) -> Json:
    if not body.strip():
        return {}
    try:
        parsed = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "parseError", "Parse Error") from None
    if not isinstance(parsed, dict):
        raise ApiError(400, "parseError", "Parse Error")
    return parsed


def _first(query: Query, name: str) -> str | None:
    values = query.get(name)
    return values[0] if values else None


def _bool_param(query: Query, name: str, default: bool) -> bool:
    value = _first(query, name)
    if value is None:
        return default
    if value.lower() not in ("true", "false"):
        raise _invalid(f"Invalid boolean value for {name}.")
    return value.lower() == "true"


def _property_filters(query: Query, name: str) -> list[tuple[str, str]]:
    filters = []
    for item in query.get(name, []):
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise _invalid(f"Invalid {name} value.")
        filters.append((key, value))
    return filters


# --------------------------------------------------------------------------- the backend


class CalendarBackend:
    """All state and API semantics, independent of HTTP. One lock guards everything."""

    def __init__(self, user_email: str = "fake-user@example.com") -> None:
        self.user_email = user_email
        self._lock = threading.Lock()
        self._last_ms = 0
        self._sync_generation = 0
        self._reset_locked()

    # ---- public, thread-safe helpers for tests

    def reset(self) -> None:
        """Forget every calendar, event, fault and counter."""
        with self._lock:
            self._reset_locked()

    def inject_fault(
        self,
        status: int | None = None,
        reason: str | None = None,
        count: int = 1,
        after: int = 0,
        methods: Iterable[str] | None = None,
        drop_connection: bool = False,
    ) -> None:
        """Make the next matching requests fail.

        After skipping ``after`` matching requests, the next ``count`` ones get
        ``status`` (with ``reason``) without being processed, or, with
        ``drop_connection``, are processed and then lose their response.
        ``methods`` limits the fault to HTTP methods; "BATCH" targets the batch
        envelope itself (inner batch requests are matched by their own method),
        and a dropped envelope is dropped before any part is processed.
        """
        if drop_connection == (status is not None):
            raise ValueError("give exactly one of status or drop_connection")
        if status is not None and not 400 <= status <= 599:
            raise ValueError(f"fault status must be 4xx or 5xx, not {status}")
        if count < 1 or after < 0:
            raise ValueError("count must be >= 1 and after >= 0")
        wanted = frozenset(m.upper() for m in methods) if methods is not None else None
        fault = Fault(status, reason, count, after, wanted, drop_connection)
        with self._lock:
            self._faults.append(fault)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def expire_sync_tokens(self) -> None:
        """Every sync token handed out so far now answers 410 fullSyncRequired."""
        with self._lock:
            self._sync_generation += 1

    def stats(self) -> Json:
        with self._lock:
            return {
                "requests": self._requests,
                "http_requests": self._http_requests,
                "writes": self._writes,
                "by_method": dict(self._by_method),
                "attendee_writes": self._attendee_writes,
                "send_updates_seen": list(self._send_updates_seen),
                "batches": self._batches,
                "faults_pending": len(self._faults),
            }

    @property
    def attendee_writes(self) -> int:
        with self._lock:
            return self._attendee_writes

    @property
    def send_updates_seen(self) -> list[str | None]:
        with self._lock:
            return list(self._send_updates_seen)

    def events(self, calendar_id: str = "primary", include_deleted: bool = True) -> list[Json]:
        """Copies of the stored events of a calendar, in insertion order."""
        with self._lock:
            return self._events_locked(calendar_id, include_deleted)

    # ---- request entry points (used by the HTTP layer)

    def handle_api(
        self, method: str, path: str, query: Query, body: bytes, if_match: str | None = None
    ) -> Reply:
        """Serve one API request (a direct one or one part of a batch)."""
        with self._lock:
            self._requests += 1
            self._by_method[method] += 1
            fault = self._take_fault(method)
            if fault is not None and fault.status is not None:
                return Reply(fault.status, fault.error().body())
            try:
                reply = self._dispatch(method, path, query, body, if_match)
            except ApiError as err:
                reply = Reply(err.code, err.body())
            else:
                if method != "GET":
                    self._writes += 1
            if fault is not None and fault.drop_connection:
                reply.drop = True
            return reply

    def count_http_request(self) -> None:
        """One request on the wire (a batch counts once; ``requests`` counts its parts)."""
        with self._lock:
            self._http_requests += 1

    def handle_batch_envelope(self) -> Reply | None:
        """Account for a batch POST; return a fault reply if one targets "BATCH"."""
        with self._lock:
            self._batches += 1
            fault = self._take_fault("BATCH")
        if fault is None:
            return None
        if fault.drop_connection:
            return Reply(204, drop=True)
        return Reply(fault.error().code, fault.error().body())

    def handle_control(self, method: str, path: str, query: Query, body: bytes) -> Reply:
        """The /_fake/ endpoints, so a subprocess fake can be driven over HTTP."""
        parts = [unquote(p) for p in path[len(CONTROL_PREFIX) :].split("/")]
        try:
            return self._control(method, parts, query, body)
        except ApiError as err:
            return Reply(err.code, err.body())
        except (TypeError, ValueError) as err:
            return Reply(400, _invalid(str(err)).body())

    def _control(self, method: str, parts: list[str], query: Query, body: bytes) -> Reply:
        match method, parts:
            case "POST", ["faults"]:
                self.inject_fault(**_json_body(body))
            case "DELETE", ["faults"]:
                self.clear_faults()
            case "GET", ["stats"]:
                return Reply(200, self.stats())
            case "POST", ["reset"]:
                self.reset()
            case "POST", ["expire_sync_tokens"]:
                self.expire_sync_tokens()
            case "GET", ["events", calendar_id]:
                include_deleted = _bool_param(query, "include_deleted", True)
                return Reply(200, {"items": self.events(calendar_id, include_deleted)})
            case _:
                raise _not_found()
        return Reply(200, {"ok": True})

    # ---- internals; everything below expects the lock to be held

    def _reset_locked(self) -> None:
        self._calendars: dict[str, Calendar] = {}
        self._cursors: dict[str, ListCursor] = {}
        self._faults: list[Fault] = []
        self._change_seq = 0
        self._sync_generation += 1  # tokens from before a reset are stale
        self._requests = 0
        self._http_requests = 0
        self._writes = 0
        self._batches = 0
        self._by_method: Counter[str] = Counter()
        self._attendee_writes = 0
        self._send_updates_seen: list[str | None] = []
        primary = {"summary": self.user_email, "timeZone": "UTC"}
        self._add_calendar(self.user_email, primary)

    def _events_locked(self, calendar_id: str, include_deleted: bool) -> list[Json]:
        calendar = self._calendar(calendar_id)
        return [
            copy.deepcopy(s.resource)
            for s in calendar.events.values()
            if include_deleted or s.resource["status"] != "cancelled"
        ]

    def _take_fault(self, method: str) -> Fault | None:
        # Every matching fault counts the request against its own "after";
        # the first one that is due fires.
        chosen = None
        for fault in self._faults:
            if not fault.matches(method):
                continue
            if fault.after > 0:
                fault.after -= 1
            elif chosen is None:
                chosen = fault
        if chosen is not None:
            chosen.count -= 1
            if chosen.count <= 0:
                self._faults.remove(chosen)
        return chosen

    def _tick(self) -> int:
        """Milliseconds since the epoch, strictly increasing across all writes."""
        self._last_ms = max(time.time_ns() // 1_000_000, self._last_ms + 1)
        return self._last_ms

    def _stamp(self, resource: Json) -> None:
        ms = self._tick()
        resource["etag"] = f'"{ms * 1000}"'
        resource["updated"] = _rfc3339_ms(ms)

    def _dispatch(
        self, method: str, path: str, query: Query, body: bytes, if_match: str | None = None
    ) -> Reply:
        if not path.startswith(API_PREFIX):
            raise _not_found()
        parts = [unquote(p) for p in path[len(API_PREFIX) :].split("/")]
        match method, parts:
            case "GET", ["users", "me", "calendarList"]:
                return Reply(200, self._calendar_list())
            case "GET", ["users", "me", "calendarList", cal_id]:
                return Reply(200, self._calendar_list_entry(self._calendar(cal_id)))
            case "POST", ["calendars"]:
                return Reply(200, self._insert_calendar(_json_body(body)))
            case "GET", ["calendars", cal_id]:
                return Reply(200, copy.deepcopy(self._calendar(cal_id).resource))
            case "DELETE", ["calendars", cal_id]:
                self._delete_calendar(cal_id)
                return Reply(204)
            case "GET", ["calendars", cal_id, "events"]:
                return Reply(200, self._list_events(self._calendar(cal_id), query))
            case "GET", ["calendars", cal_id, "events", event_id]:
                stored = self._stored_event(self._calendar(cal_id), event_id)
                return Reply(200, copy.deepcopy(stored.resource))
            case (("POST" | "PATCH" | "PUT" | "DELETE"), ["calendars", cal_id, "events", *rest]):
                calendar = self._calendar(cal_id)
                return self._write_event(method, calendar, rest, query, body, if_match)
        raise _not_found()

    # ---- calendars

    def _resolve(self, calendar_id: str) -> str:
        return self.user_email if calendar_id == "primary" else calendar_id

    def _calendar(self, calendar_id: str) -> Calendar:
        calendar = self._calendars.get(self._resolve(calendar_id))
        if calendar is None:
            raise _not_found()
        return calendar

    def _add_calendar(self, calendar_id: str, fields: Json) -> Calendar:
        resource: Json = {"kind": "calendar#calendar", "id": calendar_id}
        for key in ("summary", "description", "location", "timeZone"):
            if key in fields:
                resource[key] = fields[key]
        resource.setdefault("timeZone", "UTC")
        resource["conferenceProperties"] = {"allowedConferenceSolutionTypes": ["hangoutsMeet"]}
        self._stamp(resource)
        del resource["updated"]  # calendars carry an etag but no updated stamp
        calendar = Calendar(resource)
        self._calendars[calendar_id] = calendar
        return calendar

    def _insert_calendar(self, body: Json) -> Json:
        summary = body.get("summary")
        if not isinstance(summary, str) or not summary.strip():
            raise ApiError(400, "required", "Missing title.")
        if "timeZone" in body:
            _zone(body["timeZone"], "calendar")
        calendar_id = f"{_new_event_id()}@group.calendar.google.com"
        return copy.deepcopy(self._add_calendar(calendar_id, body).resource)

    def _delete_calendar(self, calendar_id: str) -> None:
        calendar = self._calendar(calendar_id)
        if calendar.id == self.user_email:
            raise ApiError(
                400, "cannotDeletePrimaryCalendar", "The primary calendar cannot be deleted."
            )
        del self._calendars[calendar.id]

    def _calendar_list_entry(self, calendar: Calendar) -> Json:
        entry = {
            "kind": "calendar#calendarListEntry",
            "etag": calendar.resource["etag"],
            "id": calendar.id,
            "summary": calendar.resource.get("summary", ""),
            "timeZone": calendar.resource["timeZone"],
            "accessRole": "owner",
            "defaultReminders": [],
        }
        if calendar.id == self.user_email:
            entry["primary"] = True
        return entry

    def _calendar_list(self) -> Json:
        return {
            "kind": "calendar#calendarList",
            "etag": f'"{self._last_ms * 1000}"',
            "items": [self._calendar_list_entry(c) for c in self._calendars.values()],
        }

    # ---- events: writes

    def _stored_event(self, calendar: Calendar, event_id: str) -> StoredEvent:
        stored = calendar.events.get(event_id)
        if stored is None:
            raise _not_found()
        return stored

    def _write_event(
        self,
        method: str,
        calendar: Calendar,
        rest: list[str],
        query: Query,
        body: bytes,
        if_match: str | None = None,
    ) -> Reply:
        if method == "POST" and rest:
            raise _not_found()  # import/quickAdd/move/watch are not faked
        if method != "POST" and len(rest) != 1:
            raise _not_found()
        send_updates = _first(query, "sendUpdates")
        self._send_updates_seen.append(send_updates)
        if send_updates is not None and send_updates not in SEND_UPDATES_VALUES:
            raise _invalid("Invalid value for sendUpdates.")
        if if_match and method != "POST":
            # Conditional modification, as Google supports it: 412 when the ETag moved on.
            current = self._stored_event(calendar, rest[0]).resource.get("etag")
            if if_match != "*" and if_match != current:
                raise ApiError(412, "conditionNotMet", "Precondition Failed")
        if method == "DELETE":
            self._delete_event(calendar, rest[0])
            return Reply(204)
        fields = _json_body(body)
        if fields.get("attendees"):
            self._attendee_writes += 1
        if method == "POST":
            return Reply(200, self._insert_event(calendar, fields))
        stored = self._stored_event(calendar, rest[0])
        if stored.resource["status"] == "cancelled":
            raise _not_found()  # a deleted event stays deleted
        if method == "PATCH":
            merged = copy.deepcopy(stored.resource)
            merge_patch(merged, fields)
            fields = merged
        return Reply(200, self._replace_event(calendar, stored, fields))

    def _insert_event(self, calendar: Calendar, fields: Json) -> Json:
        event_id = fields.get("id")
        if event_id is None:
            event_id = _new_event_id()
            while event_id in calendar.events:
                event_id = _new_event_id()
        elif not isinstance(event_id, str) or not EVENT_ID_RE.match(event_id):
            raise _invalid("Invalid resource id value.")
        event = self._build_event(calendar, fields, event_id, previous=None)
        uid = event["iCalUID"]
        clash = event_id in calendar.events or any(
            s.resource.get("iCalUID") == uid for s in calendar.events.values()
        )
        if clash:
            raise ApiError(409, "duplicate", "The requested identifier already exists.")
        return self._store(calendar, event)

    def _replace_event(self, calendar: Calendar, stored: StoredEvent, fields: Json) -> Json:
        previous = stored.resource
        sequence = fields.get("sequence")
        if isinstance(sequence, int) and sequence < previous["sequence"]:
            raise _invalid(
                "Invalid sequence value. The specified sequence number is below "
                "the current sequence number of the resource to be updated."
            )
        event = self._build_event(calendar, fields, previous["id"], previous)
        return self._store(calendar, event)

    def _delete_event(self, calendar: Calendar, event_id: str) -> None:
        stored = self._stored_event(calendar, event_id)
        if stored.resource["status"] == "cancelled":
            raise ApiError(410, "deleted", "Resource has been deleted")
        event = copy.deepcopy(stored.resource)
        event["status"] = "cancelled"
        self._store(calendar, event)

    def _build_event(
        self, calendar: Calendar, fields: Json, event_id: str, previous: Json | None
    ) -> Json:
        """Turn client fields into a full, validated event resource."""
        event: Json = {"kind": "calendar#event", "id": event_id}
        event.update(
            (k, copy.deepcopy(v)) for k, v in fields.items() if k not in SERVER_OWNED_FIELDS
        )
        event.setdefault("status", "confirmed")
        event.setdefault("sequence", previous["sequence"] if previous else 0)
        event.setdefault("reminders", {"useDefault": True})
        event.setdefault("eventType", "default")
        if previous is not None:
            event["iCalUID"] = previous["iCalUID"]  # fixed once created
        else:
            event.setdefault("iCalUID", f"{event_id}@google.com")
        owner = {"email": calendar.id, "self": True}
        event["creator"] = copy.deepcopy(previous["creator"]) if previous else owner
        event["organizer"] = copy.deepcopy(owner)
        eid = base64.urlsafe_b64encode(f"{event_id} {calendar.id}".encode()).decode()
        event["htmlLink"] = f"https://www.google.com/calendar/event?eid={eid.rstrip('=')}"
        validate_event(event, ZoneInfo(calendar.resource["timeZone"]))
        return event

    def _store(self, calendar: Calendar, event: Json) -> Json:
        self._stamp(event)
        existing = calendar.events.get(event["id"])
        event["created"] = existing.resource["created"] if existing else event["updated"]
        self._change_seq += 1
        calendar.events[event["id"]] = StoredEvent(event, self._change_seq)
        return copy.deepcopy(event)

    # ---- events: list, paging and sync

    def _list_events(self, calendar: Calendar, query: Query) -> Json:
        page_token = _first(query, "pageToken")
        if page_token is not None:
            cursor = self._cursors.pop(page_token, None)
            if cursor is None or cursor.calendar_id != calendar.id:
                raise _invalid("Invalid page token value.")
        else:
            cursor = self._start_listing(calendar, query)
        page_size = self._page_size(query)
        page, rest = cursor.event_ids[:page_size], cursor.event_ids[page_size:]
        response: Json = {
            "kind": "calendar#events",
            "etag": f'"{self._last_ms * 1000}"',
            "summary": calendar.resource.get("summary", ""),
            "updated": _rfc3339_ms(self._last_ms),
            "timeZone": calendar.resource["timeZone"],
            "accessRole": "owner",
            "defaultReminders": [],
            "items": [
                copy.deepcopy(calendar.events[i].resource) for i in page if i in calendar.events
            ],
        }
        if rest:
            token = secrets.token_urlsafe(12)
            self._cursors[token] = ListCursor(calendar.id, rest, cursor.sync_seq)
            response["nextPageToken"] = token
        else:
            response["nextSyncToken"] = self._sync_token(calendar.id, cursor.sync_seq)
        return response

    @staticmethod
    def _page_size(query: Query) -> int:
        raw = _first(query, "maxResults")
        if raw is None:
            return DEFAULT_PAGE_SIZE
        try:
            size = int(raw)
        except ValueError:
            raise _invalid("Invalid value for maxResults.") from None
        if size < 1:
            raise _invalid("Invalid value for maxResults.")
        return min(size, MAX_PAGE_SIZE)

    def _start_listing(self, calendar: Calendar, query: Query) -> ListCursor:
        sync_token = _first(query, "syncToken")
        if sync_token is not None:
            clashing = [p for p in SYNC_INCOMPATIBLE_PARAMS if p in query]
            if clashing:
                raise _invalid(f"Sync token cannot be used together with {clashing[0]}.")
            since = self._read_sync_token(sync_token, calendar.id)
            changed = [s for s in calendar.events.values() if s.change_seq > since]
            changed.sort(key=lambda s: s.change_seq)
            return ListCursor(calendar.id, [s.resource["id"] for s in changed], self._change_seq)
        matching = list(self._filtered(calendar, query))
        order_by = _first(query, "orderBy")
        if order_by == "startTime":
            if not _bool_param(query, "singleEvents", False):
                raise _invalid("The requested ordering is not available for the particular query.")
            default_tz = ZoneInfo(calendar.resource["timeZone"])
            matching.sort(key=lambda e: _event_span(e, default_tz)[0])
        elif order_by == "updated":
            matching.sort(key=lambda e: e["updated"])
        elif order_by is not None:
            raise _invalid("Invalid value for orderBy.")
        return ListCursor(calendar.id, [e["id"] for e in matching], self._change_seq)

    def _filtered(self, calendar: Calendar, query: Query) -> Iterator[Json]:
        show_deleted = _bool_param(query, "showDeleted", False)
        private = _property_filters(query, "privateExtendedProperty")
        shared = _property_filters(query, "sharedExtendedProperty")
        ical_uid = _first(query, "iCalUID")
        time_min = self._time_param(query, "timeMin")
        time_max = self._time_param(query, "timeMax")
        if time_min and time_max and time_max <= time_min:
            raise ApiError(400, "timeRangeEmpty", "The specified time range is empty.", "calendar")
        default_tz = ZoneInfo(calendar.resource["timeZone"])
        for stored in calendar.events.values():
            event = stored.resource
            if event["status"] == "cancelled" and not show_deleted:
                continue
            props = event.get("extendedProperties", {})
            if not _has_properties(props.get("private", {}), private):
                continue
            if not _has_properties(props.get("shared", {}), shared):
                continue
            if ical_uid is not None and event["iCalUID"] != ical_uid:
                continue
            if time_min or time_max:
                start, end = _event_span(event, default_tz)
                # timeMin bounds the end, timeMax the start, both exclusive.
                if (time_min and end <= time_min) or (time_max and start >= time_max):
                    continue
            yield event

    @staticmethod
    def _time_param(query: Query, name: str) -> datetime | None:
        raw = _first(query, name)
        if raw is None:
            return None
        try:
            value, has_offset = parse_rfc3339(raw)
        except ValueError:
            has_offset = False
        if not has_offset:
            raise _invalid(f"Bad Request: {name} must be an RFC 3339 timestamp with an offset.")
        return value

    def _sync_token(self, calendar_id: str, seq: int) -> str:
        raw = json.dumps([self._sync_generation, seq, calendar_id]).encode()
        return base64.urlsafe_b64encode(raw).decode()

    def _read_sync_token(self, token: str, calendar_id: str) -> int:
        try:
            generation, seq, token_calendar = json.loads(base64.urlsafe_b64decode(token))
        except (ValueError, TypeError):
            raise _invalid("Invalid sync token value.") from None
        if generation != self._sync_generation or token_calendar != calendar_id:
            raise ApiError(
                410, "fullSyncRequired", "Sync token is no longer valid, a full sync is required."
            )
        return int(seq)


def _has_properties(props: Json, wanted: list[tuple[str, str]]) -> bool:
    return all(props.get(key) == value for key, value in wanted)


# --------------------------------------------------------------------------- batch format


@dataclass
class InnerRequest:
    content_id: str | None
    method: str
    target: str
    headers: dict[str, str]
    body: bytes


def _split_head(blob: bytes) -> tuple[bytes, bytes]:
    """Split at the first blank line; googleapiclient uses LF, Google CRLF."""
    match = re.search(rb"\r?\n\r?\n", blob)
    if match is None:
        return blob, b""
    return blob[: match.start()], blob[match.end() :]


def _header_lines(head: bytes) -> dict[str, str]:
    headers = {}
    for line in head.decode("utf-8", "replace").splitlines():
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return headers


def _boundary(content_type: str) -> bytes:
    match = re.search(r'boundary="?([^";]+)"?', content_type, re.IGNORECASE)
    if not content_type.lower().startswith("multipart/mixed") or match is None:
        raise _invalid("Batch requests must be multipart/mixed with a boundary.")
    return match.group(1).encode()


def _strip_one_newline(chunk: bytes, leading: bool) -> bytes:
    for newline in (b"\r\n", b"\n"):
        if leading and chunk.startswith(newline):
            return chunk[len(newline) :]
        if not leading and chunk.endswith(newline):
            return chunk[: -len(newline)]
    return chunk


def parse_batch(content_type: str, body: bytes) -> list[InnerRequest]:
    """Split a multipart/mixed batch body into its application/http requests."""
    delimiter = b"--" + _boundary(content_type)
    requests = []
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break  # closing delimiter
        chunk = _strip_one_newline(_strip_one_newline(chunk, leading=True), leading=False)
        part_head, http_message = _split_head(chunk)
        part_headers = _header_lines(part_head)
        request_head, request_body = _split_head(http_message)
        request_line, _, header_block = request_head.partition(b"\n")
        words = request_line.decode("utf-8", "replace").strip().split(" ")
        if len(words) != 3:
            raise _invalid("Malformed request line in batch part.")
        headers = _header_lines(header_block)
        method = headers.get("x-http-method-override", words[0]).upper()
        requests.append(
            InnerRequest(part_headers.get("content-id"), method, words[1], headers, request_body)
        )
    return requests


def _response_content_id(content_id: str) -> str:
    # "<base + 1>" becomes "<response-base + 1>", which the client maps back to "1".
    if content_id.startswith("<") and content_id.endswith(">"):
        return f"<response-{content_id[1:-1]}>"
    return f"response-{content_id}"


def render_batch(parts: list[tuple[str | None, Reply]]) -> tuple[str, bytes]:
    """Build the multipart/mixed answer; returns (content type, body)."""
    boundary = "batch_" + secrets.token_hex(12)
    out = []
    for content_id, reply in parts:
        payload = reply.payload()
        inner = [f"HTTP/1.1 {reply.status} {HTTPStatus(reply.status).phrase}"]
        if reply.body is not None:
            inner.append("Content-Type: application/json; charset=UTF-8")
        # Always at least one header: the client splits the payload on a blank line.
        inner.append(f"Content-Length: {len(payload)}")
        part_head = ["Content-Type: application/http"]
        if content_id:
            part_head.append(f"Content-ID: {_response_content_id(content_id)}")
        out.append(f"--{boundary}\r\n".encode())
        out.append(("\r\n".join(part_head) + "\r\n\r\n").encode())
        out.append(("\r\n".join(inner) + "\r\n\r\n").encode() + payload + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return f"multipart/mixed; boundary={boundary}", b"".join(out)


# --------------------------------------------------------------------------- HTTP layer


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], backend: CalendarBackend) -> None:
        super().__init__(address, _Handler)
        self.backend = backend


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as httplib2 expects
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without TCP_NODELAY, Nagle
        # plus delayed ACKs would add ~40 ms to every request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output (and the subprocess' stdout) clean

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        method = self.headers.get("X-HTTP-Method-Override", self.command).upper()
        url = urlsplit(self.path)
        query = parse_qs(url.query, keep_blank_values=True)
        backend = self.server.backend
        if url.path.startswith(CONTROL_PREFIX):
            self._send_reply(backend.handle_control(method, url.path, query, body))
            return
        backend.count_http_request()
        if url.path == BATCH_PATH and method == "POST":
            self._serve_batch(body)
        else:
            if_match = self.headers.get("If-Match")
            self._send_reply(backend.handle_api(method, url.path, query, body, if_match))

    def _serve_batch(self, body: bytes) -> None:
        backend = self.server.backend
        refused = backend.handle_batch_envelope()
        if refused is not None:
            self._send_reply(refused)
            return
        try:
            requests = parse_batch(self.headers.get("Content-Type", ""), body)
            if not requests:
                raise _invalid("Batch request contains no parts.")
            if len(requests) > MAX_BATCH_SIZE:
                raise _invalid(f"Too many requests in batch; the maximum is {MAX_BATCH_SIZE}.")
        except ApiError as err:
            self._send_reply(Reply(err.code, err.body()))
            return
        parts = []
        for inner in requests:
            url = urlsplit(inner.target)
            query = parse_qs(url.query, keep_blank_values=True)
            reply = backend.handle_api(
                inner.method, url.path, query, inner.body, inner.headers.get("if-match")
            )
            parts.append((inner.content_id, reply))
        if any(reply.drop for _, reply in parts):
            self.close_connection = True  # all parts were applied; the answer is lost
            return
        content_type, payload = render_batch(parts)
        self._send_raw(200, content_type, payload)

    def _send_reply(self, reply: Reply) -> None:
        if reply.drop:
            self.close_connection = True
            return
        content_type = "application/json; charset=UTF-8" if reply.body is not None else None
        self._send_raw(reply.status, content_type, reply.payload())

    def _send_raw(self, status: int, content_type: str | None, payload: bytes) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Vary", "Origin, X-Origin, Referer")
        self.end_headers()
        self.wfile.write(payload)


class _Endpoints:
    """URLs derived from base_url, shared by the in-process and subprocess forms."""

    base_url: str

    @property
    def api_endpoint(self) -> str:
        return self.base_url + API_PREFIX

    @property
    def batch_uri(self) -> str:
        return self.base_url + BATCH_PATH


class FakeGoogleCalendar(CalendarBackend, _Endpoints):
    """The fake served from a daemon thread of this process.

    >>> with FakeGoogleCalendar() as fake:
    ...     fake.api_endpoint  # doctest: +SKIP
    'http://127.0.0.1:54321/calendar/v3/'
    """

    def __init__(self, port: int = 0, user_email: str = "fake-user@example.com") -> None:
        super().__init__(user_email)
        self._port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> FakeGoogleCalendar:
        if self._server is not None:
            raise RuntimeError("already started")
        self._server = _Server(("127.0.0.1", self._port), self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # so stop() returns quickly
            name="fake-google-calendar",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> FakeGoogleCalendar:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:  # type: ignore[override]
        return f"http://127.0.0.1:{self.port}"


class FakeGoogleCalendarProcess(_Endpoints):
    """The same fake in a child process, controlled over its /_fake/ endpoints.

    Use it when a test must kill or restart the client while the server keeps
    what it committed.
    """

    def __init__(self, port: int = 0) -> None:
        self._port = port
        self._process: subprocess.Popen[str] | None = None
        self.base_url = ""

    def start(self) -> FakeGoogleCalendarProcess:
        self._process = subprocess.Popen(
            [sys.executable, __file__, "--port", str(self._port)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline().strip()
        if not line.startswith("http://"):
            self.stop()
            raise RuntimeError(f"fake Google Calendar did not start: {line!r}")
        self.base_url = line
        return self

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._process = None

    def __enter__(self) -> FakeGoogleCalendarProcess:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _control(self, method: str, path: str, payload: Json | None = None) -> Json:
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(
            self.base_url + CONTROL_PREFIX + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            result: Json = json.loads(response.read())
        return result

    def inject_fault(self, **spec: Any) -> None:
        self._control("POST", "faults", spec)

    def clear_faults(self) -> None:
        self._control("DELETE", "faults")

    def stats(self) -> Json:
        return self._control("GET", "stats")

    def reset(self) -> None:
        self._control("POST", "reset")

    def expire_sync_tokens(self) -> None:
        self._control("POST", "expire_sync_tokens")

    def events(self, calendar_id: str = "primary", include_deleted: bool = True) -> list[Json]:
        flag = "true" if include_deleted else "false"
        path = f"events/{quote(calendar_id, safe='')}?include_deleted={flag}"
        items: list[Json] = self._control("GET", path)["items"]
        return items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a fake Google Calendar API v3.")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--user-email", default="fake-user@example.com")
    args = parser.parse_args(argv)
    fake = FakeGoogleCalendar(port=args.port, user_email=args.user_email).start()
    print(fake.base_url, flush=True)  # the parent reads this first line
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
