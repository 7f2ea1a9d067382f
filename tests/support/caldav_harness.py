"""Running the CalDAV sync and looking at Radicale as an independent client would."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime
from typing import Any

from caldav.davclient import DAVClient

from support.cli_helpers import run
from support.radicale_server import PASSWORD, USER, Radicale
from support.sink_contract import (
    ServerEvent,
)

_names = itertools.count()


class CalDAVHarness:
    name = "caldav"

    def __init__(self, server: Radicale, calendar: str, url: str | None = None) -> None:
        self.server = server
        self.calendar = calendar
        self.url = url or server.url  # a proxy in front of the server, say
        self.client = DAVClient(
            url=server.url,
            username=USER,
            password=PASSWORD,
            auth_type=getattr(server, "auth_type", "basic"),
        )

    def sync(self, *flags: str, expect_ok: bool = True) -> dict[str, Any]:
        result = run(
            "sync",
            "caldav",
            "--url",
            self.url,
            "--username",
            USER,
            "--calendar",
            self.calendar,
            "--json",
            *flags,
        )
        if expect_ok:
            assert result.code == 0, result.err + result.out
        if not result.out:
            return {"code": result.code, "err": result.err}
        return {**json.loads(result.out), "code": result.code, "err": result.err}

    def _calendar(self) -> Any:
        for calendar in self.client.principal().calendars():
            if calendar.get_display_name() == self.calendar:
                return calendar
        return None

    def _objects(self) -> list[Any]:
        calendar = self._calendar()
        return [] if calendar is None else list(calendar.events())

    def _all_events(self) -> dict[str, ServerEvent]:
        found = {}
        for item in self._objects():
            component = item.icalendar_component
            found[str(component["UID"])] = ServerEvent(
                uid=str(component["UID"]),
                summary=str(component["SUMMARY"]),
                start=component.start,
                description=str(component.get("DESCRIPTION", "")),
                raw=item.data,
            )
        return found

    def snapshot(self) -> object:
        return self.server.items()

    def _by_uid(self, uid: str) -> Any:
        return next(o for o in self._objects() if str(o.icalendar_component["UID"]) == uid)

    def user_edit(self, uid: str, summary: str) -> None:
        item = self._by_uid(uid)
        item.icalendar_component["SUMMARY"] = summary
        item.save(increase_seqno=False)

    def user_delete(self, uid: str) -> None:
        self._by_uid(uid).delete()

    def add_foreign(self, summary: str) -> None:
        self._calendar().save_event(
            dtstart=datetime(2030, 3, 5, 9, tzinfo=UTC),
            dtend=datetime(2030, 3, 5, 10, tzinfo=UTC),
            summary=summary,
        )

    def foreign(self) -> list[str]:
        return sorted(
            str(o.icalendar_component["SUMMARY"])
            for o in self._objects()
            if not str(o.icalendar_component["UID"]).endswith("@interview-followup")
        )

    def events(self) -> dict[str, ServerEvent]:  # type: ignore[no-redef]
        return {
            uid: e for uid, e in self._all_events().items() if uid.endswith("@interview-followup")
        }


def sync_args(url: str, calendar: str) -> list[str]:
    return ["sync", "caldav", "--url", url, "--username", USER, "--calendar", calendar, "--json"]
