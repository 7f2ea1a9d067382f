"""Tell what kind of file an import was given, from its first bytes, and say what a file
we cannot read looks like instead."""

from __future__ import annotations

import enum

from .errors import InputError


class Format(enum.StrEnum):
    CSV = "csv"
    JSON = "json"
    ICALENDAR = "icalendar"


# Magic numbers of what people save by mistake, and what to do instead.
_SIGNATURES = (
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an Excel 97-2003 workbook (.xls); save it as CSV (UTF-8)"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xff\xfe", "UTF-16 text; save it as UTF-8"),
    (b"\xfe\xff", "UTF-16 text; save it as UTF-8"),
)
_ZIP_KINDS = (
    (b"xl/", "an Excel workbook (.xlsx); save it as CSV (UTF-8)"),
    (b"opendocument.spreadsheet", "an OpenDocument spreadsheet (.ods); save it as CSV (UTF-8)"),
    (b"word/", "a Word document"),
)


def detect(data: bytes, name: str, suffix: str) -> Format:
    """The format of an import file, or an InputError saying what the file looks like."""
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    head = text[:4096]
    if suffix == ".json" or head[:1] in (b"[", b"{"):
        return Format.JSON
    if head[:15].upper() == b"BEGIN:VCALENDAR" or suffix == ".ics":
        return Format.ICALENDAR
    looks = _looks_like(data, head)
    if looks:
        raise InputError("file", f"{name} looks like {looks}, not a CSV, JSON or iCalendar file")
    return Format.CSV


def is_icalendar(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].upper() == b"BEGIN:VCALENDAR"


def describe(data: bytes) -> str:
    """What a file that should be a calendar looks like, for the message refusing it."""
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    head = text[:4096]
    if not text:
        return "an empty file"
    if head[:1] in (b"[", b"{"):
        return "JSON"
    looks = _looks_like(data, head)
    if looks:
        return looks
    first_line = head.split(b"\n", 1)[0]
    if any(first_line.count(d) >= 1 for d in (b",", b";", b"\t")):
        return "a CSV table (`followup import` reads those)"
    return "plain text"


def _looks_like(data: bytes, head: bytes) -> str:
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            return what
    if data.startswith(b"PK\x03\x04"):
        for marker, what in _ZIP_KINDS:
            if marker in data[:65536]:
                return what
        return "a ZIP archive"
    lowered = head[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "a web page (HTML); save the table as CSV"
    if lowered.startswith(b"<?xml") or lowered.startswith(b"<"):
        return "an XML document"
    if head[:11].upper() == b"BEGIN:VCARD":
        return "a contact card (vCard), not a calendar"
    if b"\x00" in head:
        return "binary data"
    return ""
