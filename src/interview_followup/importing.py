"""Importing a file of interviews: every row checked first, then all of them in one
transaction, with their statuses applied as `followup status` would."""

from __future__ import annotations

import os
from datetime import datetime
from typing import NamedTuple

from . import config
from .counting import Progress, counted
from .model import OPEN_STATUSES, Status
from .service import change_status, closed_by_acceptance, insert_interview, update_interview
from .store import interviews as interview_rows
from .store.journal import recording
from .workspace import Workspace, utc_now


def validate_import(path: str, *, company: str = "", tz: str = "") -> None:
    """Check every row of an import file without opening (or creating) the database."""
    from pathlib import Path

    from . import importer

    importer.read(Path(path), config.load(), company=company, tz=tz)


class ImportReport(NamedTuple):
    added: list[int]
    updated: list[int]
    ignored_columns: list[str]
    unchanged: list[int]  # rows already stored exactly so
    statuses: list[int]  # interviews whose status the file changed


def import_file(
    ws: Workspace,
    path: str,
    now: datetime | None = None,
    *,
    company: str = "",
    tz: str = "",
    progress: Progress | None = None,
) -> ImportReport:
    """Validate every row, then add or update all of them in one transaction.

    ``progress`` hears of each row written and each status applied, of both together.
    """
    from pathlib import Path

    from . import fields, importer

    now = now or utc_now()
    rows, ignored = importer.read(Path(path), ws.settings, company=company, tz=tz)
    added: list[int] = []
    updated: list[int] = []
    unchanged: list[int] = []
    changed: list[int] = []
    statuses: list[tuple[int, Status]] = []
    steps = len(rows) + sum(row.status is not None for row in rows)
    with recording(ws.conn, f"import {os.path.basename(path)}", now):
        for row in counted(rows, progress, total=steps):
            existing = interview_rows.find_same(
                ws.conn, row.interview.company, row.interview.role, row.interview.start
            )
            if existing is None:
                interview_id = insert_interview(ws, row.interview, now)
                added.append(interview_id)
            else:
                interview_id = existing
                before = interview_rows.get(ws.conn, existing)
                # What the file leaves out (a column it lacks, an empty cell) stays as
                # stored, as a flag left out of `edit` does: notes added since survive.
                after = fields.build(row.given, ws.settings, base=before)
                if after._replace(holiday_region="") != before._replace(holiday_region=""):
                    update_interview(ws, before, after, now)
                    updated.append(existing)
                else:
                    unchanged.append(existing)
            if row.status is not None:
                statuses.append((interview_id, row.status))
        # After every row is in, acceptances last, so the result does not depend on the
        # order of the rows; a process an acceptance withdrew stays withdrawn, so
        # importing the same file again changes nothing.
        statuses.sort(key=lambda pair: pair[1] is Status.ACCEPTED)
        for interview_id, status in counted(statuses, progress, done=len(rows), total=steps):
            if status in OPEN_STATUSES and closed_by_acceptance(ws, interview_id):
                continue
            if interview_rows.get(ws.conn, interview_id).status is not status:
                change_status(ws, interview_id, status, now)
                changed.append(interview_id)
    return ImportReport(added, updated, ignored, unchanged, changed)
