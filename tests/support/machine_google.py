"""The sync state machine's calendar on the Google fake: our Google sink is built as
``followup sync google`` builds it (FOLLOWUP_GOOGLE_API_ENDPOINT, the batch URI under
it) and talks to the fake through a fault proxy; the user edits the calendar with plain
REST calls of the Calendar API, as another client of the account would."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import urllib.request
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from interview_followup.errors import RemoteError
from interview_followup.sinks import google, google_auth
from interview_followup.sinks.memory import StoredItem
from support.fakes.google_calendar import ApiError, FakeGoogleCalendar
from support.fault_proxy import FaultProxy
from support.machine_calendar import MachineCalendar

_names = itertools.count(1)


def _when(value: dict[str, str]) -> datetime | date:
    if "date" in value:
        return date.fromisoformat(value["date"])
    return datetime.fromisoformat(value["dateTime"])


def _time(value: datetime | date) -> dict[str, str]:
    if isinstance(value, datetime):
        return {"dateTime": value.isoformat()}
    return {"date": value.isoformat()}


def _item(resource: dict[str, Any]) -> StoredItem:
    private = resource.get("extendedProperties", {}).get("private", {})
    ours = private.get("followupAlarm", "")
    alarm = None
    if ours.isdigit() and {"method": "popup", "minutes": int(ours)} in resource.get(
        "reminders", {}
    ).get("overrides", []):
        alarm = int(ours)
    status = "CANCELLED" if private.get("followupCancelled") == "1" else resource["status"].upper()
    extra = {"LOCATION": resource["location"]} if resource.get("location") else {}
    return StoredItem(
        private.get("followupUid") or resource["iCalUID"], resource["etag"],
        resource.get("summary", ""), resource.get("description", ""),
        _when(resource["start"]), _when(resource["end"]), status,
        int(resource.get("sequence", 0)), alarm, private.get("followupMark"),
        "followupUid" in private, extra,
    )  # fmt: skip


class GoogleCalendar(MachineCalendar):
    deaths = (RemoteError,)

    def __init__(self, fake: FakeGoogleCalendar, proxy: FaultProxy) -> None:
        assert os.environ[google_auth.ENDPOINT_VARIABLE] == proxy.url
        self.fake = fake
        self.proxy = proxy
        root = google_auth.endpoint_root()
        assert root is not None
        self.service = google.build_service(google_auth.credentials(), root)
        self.batch_uri = root + "batch/calendar/v3"
        self.name = f"Machine {next(_names)}"
        self.recreate()

    def recreate(self) -> None:
        self.calendar_id = google.create_calendar(self.service, self.name, "UTC")
        self.sink = google.GoogleSink(self.service, self.calendar_id, self.batch_uri)

    def _resources(self, include_deleted: bool = False) -> list[dict[str, Any]]:
        try:
            return self.fake.events(self.calendar_id, include_deleted=include_deleted)
        except ApiError:  # no such calendar
            return []

    @property
    def exists(self) -> bool:
        try:
            self.fake.events(self.calendar_id)
        except ApiError:
            return False
        return True

    def items(self) -> list[StoredItem]:
        return [_item(resource) for resource in self._resources()]

    # --- the user, over the REST API ---

    def _send(self, method: str, path: str, body: dict[str, Any] | None = None) -> None:
        request = urllib.request.Request(
            f"{self.fake.api_endpoint}calendars/{self.calendar_id}{path}",
            None if body is None else json.dumps(body).encode(), method=method,
            headers={"Authorization": "Bearer user", "Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=10) as answer:
            answer.read()

    def _event_id(self, uid: str) -> str:
        return next(str(r["id"]) for r in self._resources() if _item(r).uid == uid)

    def user_edit(
        self,
        uid: str,
        *,
        summary: str | None = None,
        description: str | None = None,
        start: datetime | date | None = None,
        end: datetime | date | None = None,
        location: str | None = None,
    ) -> None:
        patch: dict[str, Any] = {"summary": summary, "description": description}
        patch["location"] = location
        if start is not None and end is not None:
            patch |= {"start": _time(start), "end": _time(end)}
        body = {k: v for k, v in patch.items() if v is not None}
        self._send("PATCH", f"/events/{self._event_id(uid)}", body)

    def user_delete(self, uid: str) -> None:
        self._send("DELETE", f"/events/{self._event_id(uid)}")

    def user_add_own(self, uid: str, summary: str, start: datetime) -> None:
        body = {"iCalUID": uid, "summary": summary, "start": _time(start)}
        self._send("POST", "/events", body | {"end": _time(start + timedelta(hours=1))})

    def user_delete_calendar(self) -> None:
        self._send("DELETE", "")

    # --- what the machine compares, and the faults ---

    def snapshot(self) -> object:
        return self.exists, [(r["id"], r["etag"], r["status"]) for r in self._resources(True)]

    def writes(self) -> int:
        return int(self.fake.stats()["writes"])

    @contextlib.contextmanager
    def killed_after(self, k: int) -> Iterator[None]:
        self.proxy.fail("drop", after=k - 1)  # the k-th is carried out, then nothing is
        try:
            yield
        finally:
            self.proxy.heal()

    @contextlib.contextmanager
    def dropping_an_answer(self) -> Iterator[None]:
        self.fake.inject_fault(drop_connection=True, methods=["PATCH"])
        try:
            yield
        finally:
            self.fake.clear_faults()
