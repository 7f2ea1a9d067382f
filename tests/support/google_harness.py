"""Running the Google sync and looking at the fake API as an independent client would."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from support.cli_helpers import ok, run
from support.fakes.google_calendar import FakeGoogleCalendar
from support.sink_contract import (
    ServerEvent,
)


def _start(value: dict[str, str]) -> datetime | date:
    if "date" in value:
        return date.fromisoformat(value["date"])
    return datetime.fromisoformat(value["dateTime"])


class GoogleHarness:
    name = "google"

    def __init__(self, fake: FakeGoogleCalendar) -> None:
        self.fake = fake

    @property
    def calendar_id(self) -> str:
        return ok("config", "get", "google.calendar_id").out.strip()

    def sync(self, *flags: str, expect_ok: bool = True) -> dict[str, Any]:
        result = run("sync", "google", "--json", *flags)
        if expect_ok:
            assert result.code == 0, result.err + result.out
        if not result.out:
            return {"code": result.code, "err": result.err}
        return {**json.loads(result.out), "code": result.code, "err": result.err}

    def _items(self, include_deleted: bool = False) -> list[dict[str, Any]]:
        if not self.calendar_id:
            return []
        return self.fake.events(self.calendar_id, include_deleted=include_deleted)

    def events(self) -> dict[str, ServerEvent]:
        found = {}
        for item in self._items():
            if "extendedProperties" not in item:
                continue  # not ours
            uid = item["extendedProperties"]["private"]["followupUid"]
            # Google itself names the calendar as organizer and creator; we never send either.
            sent = {k: v for k, v in item.items() if k not in ("organizer", "creator")}
            found[uid] = ServerEvent(
                uid,
                item["summary"],
                _start(item["start"]),
                item.get("description", ""),
                json.dumps(sent),
            )
        return found

    def snapshot(self) -> object:
        return [(i["id"], i["etag"], i["status"]) for i in self._items(include_deleted=True)]

    def _service(self) -> Any:
        from google.oauth2.credentials import Credentials
        from googleapiclient.discovery import build

        return build(
            "calendar", "v3", credentials=Credentials(token="x"), static_discovery=True,
            client_options={"api_endpoint": self.fake.api_endpoint},
        )  # fmt: skip

    def _id(self, uid: str) -> str:
        return next(
            i["id"]
            for i in self._items()
            if i["extendedProperties"]["private"]["followupUid"] == uid
        )

    def user_edit(self, uid: str, summary: str) -> None:
        self._service().events().patch(
            calendarId=self.calendar_id, eventId=self._id(uid), body={"summary": summary}
        ).execute()

    def add_foreign(self, summary: str) -> None:
        body = {
            "summary": summary,
            "start": {"dateTime": "2030-03-05T09:00:00Z"},
            "end": {"dateTime": "2030-03-05T10:00:00Z"},
        }
        self._service().events().insert(calendarId=self.calendar_id, body=body).execute()

    def foreign(self) -> list[str]:
        return sorted(
            i["summary"]
            for i in self.fake.events(self.calendar_id, include_deleted=False)
            if "extendedProperties" not in i
        )

    def user_delete(self, uid: str) -> None:
        self._service().events().delete(
            calendarId=self.calendar_id, eventId=self._id(uid)
        ).execute()
