"""The sync state machine's calendar on a real Radicale: our CalDAV sink talks to it
through a fault proxy; the user edits it with plain HTTP and icalendar, as a calendar
app would, and the machine reads it straight from Radicale's storage."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import itertools
import urllib.request
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from icalendar import Calendar, Event

from interview_followup.errors import RemoteError
from interview_followup.sinks import caldav
from interview_followup.sinks.caldav import CalDAVSink
from interview_followup.sinks.memory import StoredItem
from support.fault_proxy import FaultProxy
from support.machine_calendar import MachineCalendar
from support.radicale_server import PASSWORD, USER, Radicale

_names = itertools.count(1)
OUR_DOMAIN = "@interview-followup"


def _item(text: bytes) -> StoredItem:
    vevent = next(iter(Calendar.from_ical(text).walk("VEVENT")))
    uid = str(vevent["UID"])
    alarm = None
    for valarm in vevent.walk("VALARM"):
        if str(valarm.get("X-FOLLOWUP-ALARM", "")).upper() == "TRUE":
            alarm = int(-valarm.decoded("TRIGGER").total_seconds() // 60)
    start = vevent.decoded("DTSTART")
    extra = {"LOCATION": str(vevent["LOCATION"])} if "LOCATION" in vevent else {}
    return StoredItem(
        uid, hashlib.sha256(text).hexdigest()[:12], str(vevent.get("SUMMARY", "")),
        str(vevent.get("DESCRIPTION", "")), start, vevent.decoded("DTEND", start),
        str(vevent.get("STATUS", "")).upper(), int(vevent.get("SEQUENCE", 0)), alarm,
        str(vevent.get("X-FOLLOWUP-MARK", "")) or None, uid.endswith(OUR_DOMAIN), extra,
    )  # fmt: skip


class RadicaleCalendar(MachineCalendar):
    deaths = (RemoteError,)
    retries = False  # a lost answer stops the run; the next one carries on

    def __init__(self, server: Radicale, proxy: FaultProxy) -> None:
        self.server = server
        self.proxy = proxy
        self.name = f"Machine {next(_names)}"
        self.target = f"machine:{self.name}"
        self.sink: CalDAVSink = self._open()
        self.path = urlsplit(self.sink.calendar).path  # /jobseeker/machine-1/
        self._auth = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()

    def _open(self) -> CalDAVSink:
        sink = caldav.open_sink(self.proxy.url, USER, PASSWORD, self.name, None, self.target)
        assert sink is not None
        return sink

    @property
    def folder(self) -> Path:
        return self.server.storage / "collection-root" / self.path.strip("/")

    @property
    def exists(self) -> bool:
        return self.folder.is_dir()

    def _files(self) -> dict[str, bytes]:
        if not self.exists:
            return {}
        return {path.name: path.read_bytes() for path in sorted(self.folder.glob("*.ics"))}

    def items(self) -> list[StoredItem]:
        return [_item(text) for text in self._files().values()]

    # --- the user, over HTTP ---

    def _send(self, method: str, href: str, body: bytes | None = None, **headers: str) -> bytes:
        request = urllib.request.Request(
            self.server.url.rstrip("/") + href, body, method=method,
            headers={"Authorization": self._auth, **headers},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=10) as answer:
            return bytes(answer.read())

    def _href(self, uid: str) -> str:
        name = next(n for n, text in self._files().items() if _item(text).uid == uid)
        return self.path + name

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
        href = self._href(uid)
        calendar = Calendar.from_ical(self._send("GET", href))
        vevent = next(iter(calendar.walk("VEVENT")))
        for name, value in (
            ("SUMMARY", summary), ("DESCRIPTION", description), ("LOCATION", location),
            ("DTSTART", start), ("DTEND", end),
        ):  # fmt: skip
            if value is not None:
                vevent.pop(name, None)
                vevent.add(name, value)
        self._send("PUT", href, calendar.to_ical(), **{"Content-Type": "text/calendar"})

    def user_delete(self, uid: str) -> None:
        self._send("DELETE", self._href(uid))

    def user_add_own(self, uid: str, summary: str, start: datetime) -> None:
        calendar = Calendar()
        calendar.add("PRODID", "-//A calendar app//EN")
        calendar.add("VERSION", "2.0")
        vevent = Event()
        vevent.add("UID", uid)
        vevent.add("DTSTAMP", start)
        vevent.add("SUMMARY", summary)
        vevent.add("DTSTART", start)
        vevent.add("DTEND", start + timedelta(hours=1))
        calendar.add_component(vevent)
        href = f"{self.path}{uid.replace('@', '-')}.ics"
        self._send("PUT", href, calendar.to_ical(), **{"Content-Type": "text/calendar"})

    def user_delete_calendar(self) -> None:
        self._send("DELETE", self.path)

    def recreate(self) -> None:
        self.sink = self._open()

    # --- what the machine compares, and the faults ---

    def snapshot(self) -> object:
        return self.exists, self._files()

    def writes(self) -> int:
        return sum(m in ("PUT", "DELETE", "MKCALENDAR", "PROPPATCH") for m in self.proxy.methods)

    @contextlib.contextmanager
    def killed_after(self, k: int) -> Iterator[None]:
        self.proxy.fail("drop", after=k - 1)  # the k-th is carried out, then nothing is
        try:
            yield
        finally:
            self.proxy.heal()

    @contextlib.contextmanager
    def dropping_an_answer(self) -> Iterator[None]:
        self.proxy.drop_once("PUT")
        try:
            yield
        finally:
            self.proxy.drop_once(None)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.user_delete_calendar()
