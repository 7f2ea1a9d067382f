"""The one-off `.ics` export, through the render cache of VEVENT texts."""

from __future__ import annotations

from .counting import Progress, counted
from .errors import StoreError
from .model import Event
from .store import db
from .store import events as event_rows
from .workspace import Workspace


def rendered_events(ws: Workspace, progress: Progress | None = None) -> list[tuple[Event, str]]:
    """Every event with its VEVENT text; only events changed since the last render are
    rendered, and their texts kept for next time.

    ``progress`` counts the events ready, the stored ones first.
    """
    from . import ical  # icalendar is heavy: only the commands that write iCalendar load it

    rows = event_rows.load_rendered(ws.conn, ical.RENDER_VERSION)
    stale = [event for event, text in rows if text is None]
    ready = len(rows) - len(stale)
    fresh = [
        (event, ical.render_vevent(event))
        for event in counted(stale, progress, done=ready, total=len(rows))
    ]
    if fresh:
        try:
            with db.write(ws.conn):
                event_rows.save_rendered(ws.conn, fresh, ical.RENDER_VERSION)
        except StoreError:
            pass  # a read-only database: the texts are only a cache
    cached = [(event, text) for event, text in rows if text is not None]
    return cached + fresh


def export(ws: Workspace, progress: Progress | None = None) -> bytes:
    from . import ical

    info = ical.CalendarInfo(timezone=ws.settings.timezone)
    rendered = rendered_events(ws, progress)
    return ical.assemble([(ical.Placement.of(e), text) for e, text in rendered], info)
