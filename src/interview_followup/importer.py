"""Read interviews from a CSV spreadsheet, a JSON file or a calendar file (.ics),
validating every row first."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import InputError
from .fields import FIELDS, build
from .formats import Format, detect
from .model import Interview, Status
from .parsing import parse_status

_ALIASES = {
    "interviewer": "interviewers",
    "decision": "decision_by",
    "posting": "posting_url",
    "url": "posting_url",
    "start": "at",
    "date": "at",
    "timezone": "tz",
}


@dataclass(frozen=True)
class Row:
    where: str  # "line 3" or "entry 2", for error messages
    interview: Interview
    status: Status | None
    given: dict[str, Any]  # the fields the row fills; an update leaves the others alone


def _column(name: str) -> str:
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    return _ALIASES.get(key, key)


def _records(
    path: Path, settings: Settings, company: str
) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file", f"{path} does not exist") from None
    except OSError as error:
        raise InputError("file", f"cannot read {path} ({error.strerror})") from None
    kind = detect(data, path.name, path.suffix.lower())
    if kind is Format.ICALENDAR:
        return _invitation_records(path, data, settings, company), []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError("file", f"cannot read {path} as UTF-8 text ({error})") from None
    if kind is Format.JSON:
        return _json_records(path, text), []
    return _csv_records(path, text)


def _invitation_records(
    path: Path, data: bytes, settings: Settings, company: str
) -> list[tuple[str, dict[str, Any]]]:
    """One record per event of a calendar file, as `log --from-invite` reads one."""
    from . import invitation

    records = []
    for event in invitation.read(data, path.name):
        where = f"{path.name} {event.where}"
        if event.cancelled:
            raise InputError(where, "is cancelled: there is no interview to import")
        reading = invitation.fields_of(event, me=settings.me, default_zone=settings.zone_name)
        for field, why in reading.gaps.items():
            if field == "company" and company:
                continue
            hint = "; give --company" if field == "company" else "; an interview needs a time"
            raise InputError(where, f"{field}: {why}{hint}")
        records.append((event.where, reading.fields))
    return records


def _json_records(path: Path, text: str) -> list[tuple[str, dict[str, Any]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            "file", f"{path} is not valid JSON (line {error.lineno}: {error.msg})"
        ) from None
    if isinstance(data, dict):
        data = data.get("interviews")
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise InputError("file", f"{path}: expected a list of interview objects")
    records = []
    for n, item in enumerate(data, 1):
        record = {_column(k): v for k, v in item.items()}
        # People as `followup list --json` writes them: {"name": ..., "email": ...}.
        if isinstance(record.get("interviewers"), list):
            record["interviewers"] = [_person_text(p) for p in record["interviewers"]]
        if "contact" in record:
            record["contact"] = _person_text(record["contact"])
        records.append((f"entry {n}", record))
    return records


def _person_text(value: Any) -> Any:
    """{"name": "Jane", "email": "jane@example.com"} -> 'Jane <jane@example.com>'."""
    if not isinstance(value, dict):
        return value
    name = str(value.get("name") or "").strip()
    email = str(value.get("email") or "").strip()
    return f"{name} <{email}>" if name and email else name or email


def _csv_records(path: Path, text: str) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    try:
        delimiter = _delimiter(path, text)
    except csv.Error as error:  # a runaway quote in the first row
        raise InputError("file", f"{path.name} line 1: not readable as CSV ({error})") from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _csv_rows(path, reader, delimiter)
    except csv.Error as error:  # a runaway quote, a cell over the size limit...
        raise InputError(
            "file", f"{path.name} line {reader.line_num}: not readable as CSV ({error})"
        ) from None


_KNOWN = frozenset(FIELDS) | {"status"}
# What spreadsheets write: Excel in English a comma, in German or French a semicolon.
_DELIMITERS = (",", ";", "\t")


def _delimiter(path: Path, text: str) -> str:
    """The delimiter under which the first row names the most known columns."""
    headers = {
        d: next(csv.reader(io.StringIO(text, newline=""), delimiter=d), []) for d in _DELIMITERS
    }
    if not any(cell.strip() for cell in headers[","]):
        raise InputError("file", f"{path} is empty; the first line must name the columns")
    known = {d: sum(_column(name) in _KNOWN for name in header) for d, header in headers.items()}
    best = max(_DELIMITERS, key=lambda d: known[d])  # the first of a tie: comma
    if known[best] == 0:
        widest = max(headers.values(), key=len)
        shown = ", ".join(repr(name.strip()[:30]) for name in widest[:4])
        more = ", ..." if len(widest) > 4 else ""
        raise InputError(
            "file",
            f"{path.name} looks like a table whose columns ({shown}{more}) are none of"
            " company, role, at, tz, ...; the first row must name them",
        )
    return best


def _csv_rows(
    path: Path, reader: Any, delimiter: str
) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    header = next(reader, None) or []
    columns = [_column(name) for name in header]
    ignored = [name for name, col in zip(header, columns, strict=True) if col not in _KNOWN]
    records = []
    # A quoted cell may span lines and line_num counts to a row's last one: name a row
    # by the line it starts on, the one after where the previous row ended.
    first_line = reader.line_num + 1
    for cells in reader:
        if any(cell.strip() for cell in cells[len(header) :]):
            shown = "a tab" if delimiter == "\t" else f"'{delimiter}'"
            raise InputError(
                "file",
                f"{path.name} line {first_line}: {len(cells)} cells under {len(header)} column"
                f" names; a cell that holds {shown} (such as several interviewers) needs"
                ' double quotes around it: "Ann <ann@x.example>; Bo <bo@x.example>"',
            )
        row = {
            col: (cells[n] if n < len(cells) else "")
            for n, col in enumerate(columns)
            if col in _KNOWN
        }
        if any(str(v).strip() for v in row.values()):
            records.append((f"line {first_line}", row))
        first_line = reader.line_num + 1
    return records, ignored


def _blank(value: Any) -> bool:
    return isinstance(value, str) and not value.strip()


def read(
    path: Path, settings: Settings, *, company: str = "", tz: str = ""
) -> tuple[list[Row], list[str]]:
    """Every row, validated; the first bad one raises InputError naming its line.

    An empty cell means the default (for a stored interview: its value). ``company`` and
    ``tz`` are those of the rows that name none (``tz`` also reads an invitation's UTC
    and floating times).
    """
    if tz:
        from .timezones import zone

        zone(tz, "tz")
        settings = settings._replace(timezone=tz)
    company = company.strip()
    records, ignored = _records(path, settings, company)
    rows = []
    for where, record in records:
        status_text = str(record.pop("status", "") or "").strip()
        record = {k: v for k, v in record.items() if k in FIELDS and not _blank(v)}
        if company and not record.get("company"):
            record["company"] = company
        try:
            interview = build(record, settings)
            status = parse_status(status_text) if status_text else None
        except InputError as error:
            raise InputError(f"{path.name} {where}", error.message) from None
        rows.append(Row(where, interview, status, record))
    return rows, ignored
