"""Read interviews from a CSV spreadsheet or a JSON file, validating every row first."""

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


def _column(name: str) -> str:
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    return _ALIASES.get(key, key)


def _records(path: Path) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("file", f"{path} does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError("file", f"cannot read {path} as UTF-8 text ({error})") from None
    if path.suffix.lower() == ".json":
        return _json_records(path, text), []
    return _csv_records(path, text)


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
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _csv_rows(path, reader)
    except csv.Error as error:  # a runaway quote, a cell over the size limit...
        raise InputError(
            "file", f"{path.name} line {reader.line_num}: not readable as CSV ({error})"
        ) from None


def _csv_rows(path: Path, reader: Any) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    header = next(reader, None)
    if not header:
        raise InputError("file", f"{path} is empty; the first line must name the columns")
    columns = [_column(name) for name in header]
    known = set(FIELDS) | {"status"}
    ignored = [name for name, col in zip(header, columns, strict=True) if col not in known]
    records = []
    # A quoted cell may span lines and line_num counts to a row's last one: name a row
    # by the line it starts on, the one after where the previous row ended.
    first_line = reader.line_num + 1
    for cells in reader:
        row = {
            col: (cells[n] if n < len(cells) else "")
            for n, col in enumerate(columns)
            if col in known
        }
        if any(str(v).strip() for v in row.values()):
            records.append((f"line {first_line}", row))
        first_line = reader.line_num + 1
    return records, ignored


def read(path: Path, settings: Settings) -> tuple[list[Row], list[str]]:
    """Every row, validated; the first bad one raises InputError naming its line."""
    records, ignored = _records(path)
    rows = []
    for where, record in records:
        status_text = str(record.pop("status", "") or "").strip()
        record = {k: v for k, v in record.items() if k in FIELDS}
        try:
            interview = build(record, settings)
            status = parse_status(status_text) if status_text else None
        except InputError as error:
            raise InputError(f"{path.name} {where}", error.message) from None
        rows.append(Row(where, interview, status))
    return rows, ignored
