"""Run one sync: read the plan and the state, ask the sink, act, record."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from urllib.parse import urlsplit

from interview_followup.counting import Progress
from interview_followup.errors import RemoteError
from interview_followup.model import EventStatus, RecordState, SyncRecord
from interview_followup.sinks.base import CalendarMissing, Sink
from interview_followup.store import db, sync_state
from interview_followup.store import events as event_rows
from interview_followup.sync.actions import (
    Action,
    Op,
    check_mass_delete,
    check_restored,
    decide,
    has_local_changes,
    needs_reading,
)
from interview_followup.sync.apply import Report, apply, count_planned
from interview_followup.sync.lock import calendar_lock
from interview_followup.workspace import Workspace, utc_now


class CalendarDeleted(RemoteError):
    """A calendar we synced to was deleted on the server: not re-created on our own."""

    exit_code = 2


def calendar_deleted(name: str, dry_run: bool, option: str = "--calendar") -> CalendarDeleted:
    return CalendarDeleted(
        ("a sync would stop here: " if dry_run else "")
        + f"the calendar {name} was deleted on the server, so followup does not re-create it"
        f" on its own; run with --force to re-create it with every event, or with {option}"
        " to sync to another calendar"
    )


def run(
    ws: Workspace,
    sink: Sink,
    *,
    force: bool = False,
    dry_run: bool = False,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> Report:
    now = now or utc_now()
    events = event_rows.load(ws.conn)
    records = sync_state.load(ws.conn, sink.target)
    known = sync_state.get_target(ws.conn, sink.target)
    report = Report(dry_run=dry_run)

    # The cheap path: nothing changed here, and the calendar's marker says nothing changed
    # there. A sink whose listing brings its own marker needs no check when it lists anyway.
    local = force or has_local_changes(events, records)
    marker: str | None = None
    if not (local and sink.marker_from_listing):
        same, marker = sink.unchanged_since(known.ctag if known else None)
        if same and not local:
            report.unchanged = sum(
                e.status is not EventStatus.CANCELLED and e.uid in records for e in events
            )
            return report

    remote = sink.list_items()
    # A sink whose full listing yields a marker (Google's sync token) offers it here.
    marker = sink.listing_marker() or marker
    by_uid = {e.uid: e for e in events}
    to_read = {
        uid: item
        for uid, item in remote.items()
        if (uid in by_uid or uid in records)
        and (force or needs_reading(records.get(uid), item, by_uid.get(uid)))
    }
    contents = sink.read_items(to_read) if to_read else {}
    for uid in to_read.keys() - contents.keys():
        del remote[uid]  # deleted between the listing and the read
    check_restored(events, contents, force)
    actions, report.unchanged = decide(events, records, remote, contents, force=force)
    check_mass_delete(actions, len(remote), force)
    if dry_run:
        count_planned(actions, report)
        return report

    def save(record: SyncRecord) -> None:
        sync_state.save(ws.conn, sink.target, record, now)

    apply(actions, sink, save, report, force=force, progress=progress)
    if report.ok:
        # The marker read before listing, so a user edit made while we wrote is still
        # seen next time; or the marker now, when the server shows that every change
        # since then is one we recorded: the next unchanged run then needs no listing.
        if marker is not None and any(_writes(action) for action in actions):
            ours = _recorded(sync_state.load(ws.conn, sink.target))
            marker = sink.marker_after_writes(marker, ours) or marker
    else:
        # Some writes failed or were cut off, and a deletion lost on its way is recorded
        # as sent: the next run lists the calendar in full instead of trusting a marker.
        marker = None
    sync_state.save_target(ws.conn, sync_state.Target(sink.target, sink.calendar, marker), now)
    return report


def _writes(action: Action) -> bool:
    return action.op in (Op.CREATE, Op.DELETE) or action.write is not None


def _recorded(records: Mapping[str, SyncRecord]) -> dict[str, str | None]:
    """Each item as we recorded it: its ETag, or None when we deleted it (or saw it go)."""
    return {
        record.remote_id: record.etag if record.state is RecordState.PRESENT else None
        for record in records.values()
        if record.remote_id and (record.etag or record.state is not RecordState.PRESENT)
    }


def sync_caldav(
    ws: Workspace,
    *,
    url: str | None,
    username: str | None,
    calendar: str | None,
    force: bool = False,
    dry_run: bool = False,
    connections: int | None = None,
    progress: Progress | None = None,
) -> Report:
    """Sync to a CalDAV calendar; flags win over the config."""
    from interview_followup.errors import InputError
    from interview_followup.sinks import caldav
    from interview_followup.sinks.credentials import caldav_password

    settings = ws.settings
    url = url or settings.caldav_url
    if not url:
        raise InputError(
            "url", "give --url or set it once: followup config set caldav.url https://..."
        )
    if not url.startswith(("http://", "https://")):
        raise InputError("url", f"{url!r} is not an http:// or https:// address")
    if urlsplit(url).password is not None:
        raise InputError(
            "url",
            "do not put the password in the URL; use FOLLOWUP_CALDAV_PASSWORD or caldav.password_command",
        )
    username = settings.caldav_username if username is None else username
    name = calendar or settings.caldav_calendar
    password = caldav_password(username, url, settings.caldav_password_command)
    target = caldav.target_key(url, username, name)

    with calendar_lock(target, f"the calendar '{name}'"):
        known = sync_state.get_target(ws.conn, target)
        sink = caldav.open_sink(
            url, username, password, name, known.calendar if known else None, target,
            create=not dry_run, connections=connections or settings.caldav_connections,
        )  # fmt: skip
        if sink is None:  # a dry run, and the calendar is still to be made
            return preview_first_sync(ws)
        try:
            return run(ws, sink, force=force, dry_run=dry_run, progress=progress)
        except CalendarMissing:
            if not force:
                raise calendar_deleted(f"'{name}'", dry_run) from None
            if dry_run:
                return preview_first_sync(ws)
            # Forced: what we recorded there is void; every event goes back.
            sync_state.forget_target(ws.conn, target)
            sink = caldav.open_sink(
                url, username, password, name, None, target, connections=sink.max_parallel_writes
            )
            assert sink is not None
            return run(ws, sink, force=True, progress=progress)


# A meta key marking a Google calendar this tool created (and may re-create).
_CREATED = "google_created_calendar:"


def preview_first_sync(ws: Workspace) -> Report:
    """A dry run against a calendar that does not exist yet: everything would be created."""
    report = Report(dry_run=True)
    actions, _ = decide(event_rows.load(ws.conn), {}, {})
    count_planned(actions, report)
    return report


def sync_google(
    ws: Workspace,
    *,
    calendar_id: str | None,
    force: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Report:
    """Sync to Google Calendar: the given calendar, else our own one, created once."""
    from interview_followup import config
    from interview_followup.errors import RemoteError
    from interview_followup.sinks import google, google_auth

    root = google_auth.endpoint_root()
    service = google.build_service(google_auth.credentials(), root)
    batch_uri = (root or google_auth.GOOGLE_ROOT) + "batch/calendar/v3"
    chosen = calendar_id or ws.settings.google_calendar_id

    def new_calendar(replacing: str = "") -> str:
        with config.locked():
            # Another process may have created it meanwhile: one calendar, not two.
            current = config.load().google_calendar_id
            if current and current != replacing:
                return current
            made = google.create_calendar(
                service, ws.settings.google_calendar_name, ws.settings.zone_name
            )
            db.set_meta(ws.conn, _CREATED + made, "1")
            config.set_value("google.calendar_id", made, lock=False)
            return made

    if not chosen:
        if dry_run:
            return preview_first_sync(ws)
        chosen = new_calendar()
    with calendar_lock(f"google:{chosen}", f"the Google calendar {chosen}"):
        try:
            sink = google.GoogleSink(service, chosen, batch_uri)
            return run(ws, sink, force=force, dry_run=dry_run, progress=progress)
        except CalendarMissing:
            if calendar_id or not db.meta(ws.conn, _CREATED + chosen):
                # Not one we made: never replace a calendar the user chose.
                raise RemoteError(
                    f"there is no Google calendar {chosen} that this account can see; check that"
                    " it is shared with this account, or let followup make a new one: followup"
                    " config set google.calendar_id ''"
                ) from None
            if not force:
                name = f"'{ws.settings.google_calendar_name}'"
                raise calendar_deleted(name, dry_run, "--calendar-id") from None
            if dry_run:
                return preview_first_sync(ws)
            # Forced: the user deleted the calendar we created; start afresh in a new one.
            sync_state.forget_target(ws.conn, f"google:{chosen}")
    made = new_calendar(chosen)
    with calendar_lock(f"google:{made}", f"the Google calendar {made}"):
        return run(ws, google.GoogleSink(service, made, batch_uri), force=True, progress=progress)
