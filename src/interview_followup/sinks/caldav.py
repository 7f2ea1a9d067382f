"""CalDAV calendars (Nextcloud, Fastmail, iCloud, Radicale...) through the caldav library.

The library does discovery and authentication; the writes are plain conditional
HTTP requests (If-None-Match: * to create, If-Match to update or delete) so every
write is exactly one request and never clobbers an edit we have not seen.
"""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import unquote, urljoin, urlsplit
from xml.sax.saxutils import escape

from interview_followup.errors import RemoteError
from interview_followup.model import UID_DOMAIN, Event
from interview_followup.sinks import caldav_changes, caldav_items
from interview_followup.sinks.base import (
    CalendarMissing,
    ItemFailed,
    ItemMissing,
    PreconditionFailed,
    RemoteItem,
    Sink,
)
from interview_followup.sinks.caldav_errors import (
    UidTaken,
    status_error,
    translated,
)
from interview_followup.sinks.content import RemoteContent, Write

T = TypeVar("T")
DAV = "{DAV:}"
CS = "{http://calendarserver.org/ns/}"
_OUR_HREF = re.compile(r"^([0-9a-v]{32})\.ics$")
_ETAGS = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>'
)
_MARKERS = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/">'
    "<d:prop><cs:getctag/><d:sync-token/></d:prop></d:propfind>"
)
# RFC 4791 calendar-multiget: the content of several items in one request.
_MULTIGET = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
    "<d:prop><d:getetag/><c:calendar-data/></d:prop>{hrefs}</c:calendar-multiget>"
)
CALDAV = "{urn:ietf:params:xml:ns:caldav}"
# RFC 4791 calendar-query: the items holding one UID, whatever they are called.
_BY_UID = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
    "<d:prop><d:getetag/></d:prop><c:filter>"
    '<c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">'
    '<c:prop-filter name="UID"><c:text-match collation="i;octet">{uid}</c:text-match>'
    "</c:prop-filter></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>"
)


def connect(url: str, username: str, password: str, timeout: int = 30) -> Any:
    from caldav.davclient import DAVClient

    with translated("connecting", url):
        return _client(DAVClient, url, username, password, timeout)


def _client(factory: Any, url: str, username: str, password: str, timeout: int) -> Any:
    return factory(
        url=url,
        username=username or None,
        password=password or None,
        # Saying "basic" up front saves a 401 round trip on every run.
        auth_type="basic" if username else None,
        timeout=timeout,
        enable_rfc6764=False,
    )


def find_calendar(client: Any, url: str, name: str, *, create: bool) -> str | None:
    """The URL of the calendar called ``name``; created when missing if ``create``."""
    with translated("finding your calendars", url):
        principal = _negotiating(client, client.get_principal)
        for calendar in principal.get_calendars():
            if (calendar.get_display_name() or "") == name:
                return str(calendar.url)
        if not create:
            return None
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "followup"
        from caldav.lib import error as dav_error

        try:
            return str(principal.make_calendar(name=name, cal_id=slug).url)
        except dav_error.MkcalendarError:
            # Made meanwhile by another run (or once before, by a run that died): use it.
            for calendar in principal.get_calendars():
                if (calendar.get_display_name() or "") == name:
                    return str(calendar.url)
            raise


def _negotiating(client: Any, call: Callable[[], T]) -> T:
    """Run ``call``; when Basic (sent up front, to save a round trip) is refused, let the
    client answer the server's own challenge (Digest, say) once and try again."""
    from caldav.lib import error as dav_error

    try:
        return call()
    except dav_error.AuthorizationError as error:
        if error.status != 401 or client.auth_type != "basic":
            raise
    client.auth, client.auth_type = None, None
    return call()


class CalDAVSink(Sink):
    """One CalDAV calendar collection; items are ``<uid stem>.ics`` inside it."""

    def __init__(
        self,
        client: Any,
        calendar_url: str,
        target: str,
        *,
        connect: Callable[[], Any] | None = None,
        connections: int = 1,
    ) -> None:
        self._main_client = client
        self.calendar_url = calendar_url if calendar_url.endswith("/") else calendar_url + "/"
        self._target = target
        self._others = False  # the last listing saw items not named by us
        self._sync_token: str | None = None  # the marker read, when it is a sync token
        # Writes may go over several connections: each thread gets a client (and so an
        # HTTP session) of its own, as a niquests session is not meant to be shared.
        self._connect = connect
        self._local = threading.local()
        self._owner = threading.get_ident()
        self.max_parallel_writes = max(1, connections) if connect else 1

    @property
    def client(self) -> Any:
        if self._connect is None or threading.get_ident() == self._owner:
            return self._main_client
        client = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = self._connect()
        return client

    @property
    def target(self) -> str:
        return self._target

    @property
    def calendar(self) -> str:
        return self.calendar_url

    def _request(
        self,
        url: str,
        method: str,
        what: str,
        body: str = "",
        headers: dict[str, str] | None = None,
    ) -> Any:
        with translated(what, self.calendar_url):
            return _negotiating(
                self.client, lambda: self.client.request(url, method, body, headers or {})
            )

    def _multistatus(self, method: str, depth: int, body: str, href: str = "") -> ET.Element:
        """A PROPFIND or REPORT on the calendar (or one item of it), parsed."""
        what = "reading the calendar"
        response = self._request(
            urljoin(self.calendar_url, href),
            method,
            what,
            body,
            {"Depth": str(depth), "Content-Type": "application/xml; charset=utf-8"},
        )
        if response.status != 207:
            if response.status == 404 and not href:
                raise CalendarMissing(f"the calendar {self.calendar_url} does not exist any more")
            raise status_error(response.status, what)
        try:
            return ET.fromstring(response.raw.encode("utf-8"))
        except ET.ParseError:
            raise ItemFailed(f"the server sent an unreadable answer while {what}") from None

    def unchanged_since(self, marker: str | None) -> tuple[bool, str | None]:
        tree = self._multistatus("PROPFIND", 0, _MARKERS)
        current = None
        # The sync token first: after our writes, sync-collection can move it on.
        for tag in (f"{DAV}sync-token", f"{CS}getctag"):
            found = tree.find(f".//{tag}")
            if found is not None and found.text:
                current = found.text.strip()
                self._sync_token = current if tag == f"{DAV}sync-token" else None
                break
        return (current is not None and current == marker), current

    def marker_after_writes(self, marker: str | None, ours: Mapping[str, str | None]) -> str | None:
        if marker is None or marker != self._sync_token:
            return None  # a ctag: no way to ask what changed since
        try:
            tree = self._multistatus("REPORT", 0, caldav_changes.request_body(marker))
        except RemoteError:
            return None  # the writes are done and recorded: list once more next time
        return caldav_changes.token_if_ours(tree, self.calendar_url, ours)

    def list_items(self) -> dict[str, RemoteItem]:
        tree = self._multistatus("PROPFIND", 1, _ETAGS)
        items: dict[str, RemoteItem] = {}
        for response in tree.findall(f"{DAV}response"):
            href = response.findtext(f"{DAV}href") or ""
            name = unquote(urlsplit(href).path.rstrip("/").rsplit("/", 1)[-1])
            match = _OUR_HREF.match(name)
            if not match:
                # The collection itself, or an item under a name we never give: the user's
                # own event, or a copy of ours (an imported export) that some servers keep
                # beside ours under the same UID.
                self._others = self._others or name.endswith(".ics")
                continue
            etag = response.findtext(f".//{DAV}getetag")
            items[f"{match[1]}@{UID_DOMAIN}"] = RemoteItem(
                urlsplit(href).path, etag.strip() if etag else None
            )
        return items

    def read_items(self, items: Mapping[str, RemoteItem]) -> dict[str, RemoteContent]:
        by_path = {unquote(item.remote_id): uid for uid, item in items.items()}
        found: dict[str, RemoteContent] = {}
        if not by_path:
            return found
        hrefs = "".join(f"<d:href>{escape(item.remote_id)}</d:href>" for item in items.values())
        tree = self._multistatus("REPORT", 1, _MULTIGET.format(hrefs=hrefs))
        for response in tree.findall(f"{DAV}response"):
            path = unquote(urlsplit(response.findtext(f"{DAV}href") or "").path)
            uid = by_path.get(path)
            text = response.findtext(f".//{CALDAV}calendar-data")
            if uid is None or not text:
                continue  # gone meanwhile (a 404 inside the answer)
            etag = response.findtext(f".//{DAV}getetag")
            content = caldav_items.read(
                items[uid].remote_id, etag.strip() if etag else None, text, uid
            )
            if content is not None:
                found[uid] = content
        return found

    def remote_id_for(self, event: Event, generation: int) -> str:
        return urlsplit(urljoin(self.calendar_url, f"{event.uid_stem}.ics")).path

    def _write(
        self,
        event: Event,
        remote_id: str,
        condition: dict[str, str],
        what: str,
        write: Write | None = None,
    ) -> RemoteItem:
        body = caldav_items.body(event, write)
        headers = {"Content-Type": "text/calendar; charset=utf-8", **condition}
        response = self._request(urljoin(self.calendar_url, remote_id), "PUT", what, body, headers)
        if response.status not in (200, 201, 204):
            raise status_error(response.status, what, response.raw or "")
        etag = response.headers.get("ETag")
        if not etag:  # allowed by RFC 4791 when the server changed what we sent: ask for it
            etag = self._etag_of(remote_id)
        return RemoteItem(remote_id, etag.strip() if etag else None)

    def _etag_of(self, remote_id: str) -> str | None:
        try:
            found = self._multistatus("PROPFIND", 0, _ETAGS, remote_id).findtext(f".//{DAV}getetag")
        except (ItemFailed, ItemMissing, PreconditionFailed):
            return None  # the next listing learns it instead
        return found.strip() if found else None

    def create(self, event: Event, remote_id: str) -> RemoteItem:
        what = f"creating '{event.summary}'"
        if self._others:
            # Servers that accept a UID twice (sabre/dav, DAViCal) would keep both: find
            # copies of this event by UID first and replace them.
            self._delete_copies(event.uid, keep=remote_id)
        try:
            return self._write(event, remote_id, {"If-None-Match": "*"}, what)
        except UidTaken:
            # Only followup makes UIDs in its own domain, so the other item is a copy of
            # this very event (an imported export, say): replace it with the synced one.
            if not self._delete_copies(event.uid, keep=remote_id):
                raise ItemFailed(
                    f"'{event.summary}' is already in another calendar of this account, and"
                    " this server allows a UID once per account: delete it there (or sync to"
                    " that calendar with --calendar)"
                ) from None
            return self._write(event, remote_id, {"If-None-Match": "*"}, what)

    def _delete_copies(self, uid: str, keep: str) -> int:
        """Delete the items of this calendar that hold ``uid`` under another name."""
        tree = self._multistatus("REPORT", 1, _BY_UID.format(uid=escape(uid)))
        deleted = 0
        for found in tree.findall(f"{DAV}response"):
            path = urlsplit(found.findtext(f"{DAV}href") or "").path
            if path and unquote(path) != unquote(keep):
                etag = found.findtext(f".//{DAV}getetag")
                self.delete(RemoteItem(path, etag.strip() if etag else None))
                deleted += 1
        return deleted

    def update(self, event: Event, item: RemoteItem, write: Write | None = None) -> RemoteItem:
        condition = {"If-Match": item.etag} if item.etag else {}
        return self._write(event, item.remote_id, condition, f"updating '{event.summary}'", write)

    def delete(self, item: RemoteItem) -> None:
        what = f"deleting {item.remote_id}"
        condition = {"If-Match": item.etag} if item.etag else {}
        response = self._request(
            urljoin(self.calendar_url, item.remote_id), "DELETE", what, "", condition
        )
        if response.status not in (200, 204):
            raise status_error(response.status, what)


def target_key(url: str, username: str, calendar_name: str) -> str:
    return f"caldav:{username}@{url}#{calendar_name}"


def open_sink(
    url: str,
    username: str,
    password: str,
    calendar_name: str,
    known_calendar: str | None,
    target: str,
    *,
    create: bool = True,
    connections: int = 1,
) -> CalDAVSink | None:
    """Connect, and find (or create) the calendar unless its URL is already known.

    None when the calendar does not exist and ``create`` is False (a dry run).
    """
    client = connect(url, username, password)
    calendar_url = known_calendar or find_calendar(client, url, calendar_name, create=create)
    if not calendar_url:
        return None
    return CalDAVSink(
        client,
        calendar_url,
        target,
        connect=lambda: connect(url, username, password),
        connections=connections,
    )
