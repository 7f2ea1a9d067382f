"""Rows of interviews, their interviewers and their history."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date, datetime

from interview_followup.errors import NotFoundError
from interview_followup.model import (
    CLOSED_STATUSES,
    Change,
    ChangeType,
    Channel,
    Interview,
    Kind,
    Person,
    Status,
    process_key,
)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def _row_to_interview(row: sqlite3.Row, interviewers: list[Person]) -> Interview:
    return Interview(
        id=row["id"],
        company=row["company"],
        role=row["role"],
        start=datetime.fromisoformat(row["start"]),
        tz=row["tz"],
        duration=row["duration"],
        interviewers=tuple(interviewers),
        contact=Person(row["contact_name"], row["contact_email"]),
        phone=row["phone"],
        channel=Channel(row["channel"]) if row["channel"] else None,
        decision_by=date.fromisoformat(row["decision_by"]) if row["decision_by"] else None,
        posting_url=row["posting_url"],
        notes=row["notes"],
        status=Status(row["status"]),
        country=row["country"],
        subdivision=row["subdivision"],
        holiday_region=row["holiday_region"],
    )


def _interviewers(conn: sqlite3.Connection, ids: list[int]) -> dict[int, list[Person]]:
    found: dict[int, list[Person]] = {i: [] for i in ids}
    if not ids:
        return found
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        f"SELECT interview_id, name, email FROM interviewers WHERE interview_id IN ({marks})"
        " ORDER BY interview_id, position",
        ids,
    )
    for row in rows:
        found[row["interview_id"]].append(Person(row["name"], row["email"]))
    return found


def get(conn: sqlite3.Connection, interview_id: int) -> Interview:
    row = conn.execute(
        "SELECT * FROM interviews WHERE id = ? AND deleted_at IS NULL", (interview_id,)
    ).fetchone()
    if row is None:
        raise NotFoundError("id", f"there is no interview {interview_id} (see: followup list)")
    return _row_to_interview(row, _interviewers(conn, [interview_id])[interview_id])


def all_interviews(conn: sqlite3.Connection) -> list[Interview]:
    rows = conn.execute(
        "SELECT * FROM interviews WHERE deleted_at IS NULL ORDER BY start, id"
    ).fetchall()
    people = _interviewers(conn, [row["id"] for row in rows])
    return [_row_to_interview(row, people[row["id"]]) for row in rows]


def _columns(interview: Interview) -> dict[str, object]:
    return {
        "company": interview.company,
        "role": interview.role,
        "start": interview.start.isoformat(timespec="minutes"),
        "tz": interview.tz,
        "duration": interview.duration,
        "contact_name": interview.contact.name,
        "contact_email": interview.contact.email,
        "phone": interview.phone,
        "channel": interview.channel.value if interview.channel else None,
        "decision_by": interview.decision_by.isoformat() if interview.decision_by else None,
        "posting_url": interview.posting_url,
        "notes": interview.notes,
        "status": interview.status.value,
        "country": interview.country,
        "subdivision": interview.subdivision,
    }


def _put_interviewers(conn: sqlite3.Connection, interview: Interview) -> None:
    conn.execute("DELETE FROM interviewers WHERE interview_id = ?", (interview.id,))
    conn.executemany(
        "INSERT INTO interviewers (interview_id, position, name, email) VALUES (?, ?, ?, ?)",
        [(interview.id, n, p.name, p.email) for n, p in enumerate(interview.interviewers)],
    )


def insert(conn: sqlite3.Connection, interview: Interview, now: datetime) -> int:
    columns = _columns(interview) | {"created_at": _iso(now), "updated_at": _iso(now)}
    names = ", ".join(columns)
    marks = ", ".join("?" * len(columns))
    cursor = conn.execute(
        f"INSERT INTO interviews ({names}) VALUES ({marks})", list(columns.values())
    )
    new_id = int(cursor.lastrowid or 0)
    _put_interviewers(conn, interview._replace(id=new_id))
    return new_id


def update(conn: sqlite3.Connection, interview: Interview, now: datetime) -> None:
    columns = _columns(interview) | {"updated_at": _iso(now)}
    assignments = ", ".join(f"{name} = ?" for name in columns)
    conn.execute(
        f"UPDATE interviews SET {assignments} WHERE id = ?", [*columns.values(), interview.id]
    )
    _put_interviewers(conn, interview)


def set_holiday_region(conn: sqlite3.Connection, interview: Interview, region: str) -> None:
    """Note whose holidays the plan was last made with, for `list`."""
    if interview.holiday_region != region:
        conn.execute(
            "UPDATE interviews SET holiday_region = ? WHERE id = ?", (region, interview.id)
        )


def set_status(conn: sqlite3.Connection, interview_id: int, status: Status, now: datetime) -> None:
    conn.execute(
        "UPDATE interviews SET status = ?, updated_at = ? WHERE id = ?",
        (status.value, _iso(now), interview_id),
    )


def mark_deleted(conn: sqlite3.Connection, interview_id: int, now: datetime) -> None:
    """Deleted, not dropped: undo can bring it back, and its cancelled events stay."""
    conn.execute(
        "UPDATE interviews SET deleted_at = ?, updated_at = ? WHERE id = ?",
        (_iso(now), _iso(now), interview_id),
    )


def logged_at(conn: sqlite3.Connection, interview_id: int) -> datetime:
    row = conn.execute("SELECT created_at FROM interviews WHERE id = ?", (interview_id,)).fetchone()
    return datetime.fromisoformat(row[0])


def ever_logged(conn: sqlite3.Connection, interview_id: int) -> bool:
    """Whether the interview exists, or did before it was deleted."""
    row = conn.execute("SELECT 1 FROM interviews WHERE id = ?", (interview_id,)).fetchone()
    return row is not None


def find_same(conn: sqlite3.Connection, company: str, role: str, start: datetime) -> int | None:
    """The interview with this company, role (case-insensitive) and start, if any."""
    for row in conn.execute(
        "SELECT id, company, role FROM interviews WHERE start = ? AND deleted_at IS NULL",
        (start.isoformat(timespec="minutes"),),
    ):
        if _same_process(row, company, role):
            return int(row["id"])
    return None


def find_open_rounds(conn: sqlite3.Connection, company: str, role: str, exclude: int) -> list[int]:
    """Open interviews for the same company and role: earlier rounds of one process."""
    open_values = [s.value for s in (Status.WAITING, Status.HEARD, Status.OFFER, Status.NEXT_ROUND)]
    rows = conn.execute(
        "SELECT id, company, role FROM interviews WHERE id != ? AND deleted_at IS NULL"
        f" AND status IN ({','.join('?' * 4)})",
        [exclude, *open_values],
    )
    return [int(row["id"]) for row in rows if _same_process(row, company, role)]


def _same_process(row: sqlite3.Row, company: str, role: str) -> bool:
    """Same company and role, ignoring case and spacing: rounds of one application."""
    return process_key(row["company"], row["role"]) == process_key(company, role)


def withdrawn_together(conn: sqlite3.Connection, because_of: int) -> list[int]:
    """Interviews that an acceptance of ``because_of`` withdrew or closed."""
    rows = conn.execute(
        "SELECT DISTINCT interview_id FROM history WHERE type = 'status' AND because_of = ?",
        (because_of,),
    )
    return [int(row[0]) for row in rows]


def closing_times(conn: sqlite3.Connection) -> dict[int, datetime]:
    """For each closed interview (rejected, withdrawn, accepted), when it closed."""
    closed = [s.value for s in CLOSED_STATUSES]
    rows = conn.execute(
        "SELECT h.interview_id, max(h.at) FROM history h JOIN interviews i"
        " ON i.id = h.interview_id WHERE h.type = 'status'"
        f" AND i.status IN ({','.join('?' * len(closed))}) GROUP BY h.interview_id",
        closed,
    )
    return {int(row[0]): datetime.fromisoformat(row[1]) for row in rows}


def add_change(conn: sqlite3.Connection, interview_id: int, change: Change) -> None:
    conn.execute(
        "INSERT INTO history"
        " (interview_id, type, at, status, promised, kind, who, because_of, ordinal)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            interview_id,
            change.type.value,
            _iso(change.at),
            change.status.value if change.status else None,
            change.promised.isoformat() if change.promised else None,
            change.kind.value if change.kind else None,
            change.who,
            change.because_of,
            change.ordinal,
        ),
    )


def replace_promises(conn: sqlite3.Connection, interview_id: int, change: Change | None) -> None:
    """Forget earlier promises (an edit corrects the record) and keep ``change`` alone."""
    conn.execute("DELETE FROM history WHERE interview_id = ? AND type = 'promise'", (interview_id,))
    if change is not None:
        add_change(conn, interview_id, change)


def history(conn: sqlite3.Connection, interview_id: int) -> list[Change]:
    rows = conn.execute(
        "SELECT * FROM history WHERE interview_id = ? ORDER BY at, id", (interview_id,)
    )
    return [
        Change(
            type=ChangeType(row["type"]),
            at=datetime.fromisoformat(row["at"]),
            status=Status(row["status"]) if row["status"] else None,
            promised=date.fromisoformat(row["promised"]) if row["promised"] else None,
            kind=Kind(row["kind"]) if row["kind"] else None,
            who=row["who"],
            because_of=row["because_of"],
            ordinal=row["ordinal"],
        )
        for row in rows
    ]


def last_status(history: Sequence[Change]) -> Change | None:
    changes = [c for c in history if c.type is ChangeType.STATUS]
    return changes[-1] if changes else None


def withdrawn_with(
    conn: sqlite3.Connection, interview: Interview, changes: Sequence[Change]
) -> list[Interview]:
    """The other rounds of this process that the same acceptance withdrew."""
    last = last_status(changes)
    if last is None or last.status is not Status.WITHDRAWN or last.because_of is None:
        return []
    rounds = []
    for other_id in withdrawn_together(conn, last.because_of):
        if other_id == interview.id:
            continue
        other = get(conn, other_id)
        other_last = last_status(history(conn, other_id))
        if (
            other.process == interview.process
            and other_last is not None
            and other_last.status is Status.WITHDRAWN
            and other_last.because_of == last.because_of
        ):
            rounds.append(other)
    return rounds
