"""`followup import` with spreadsheets as people keep them: semicolons and tabs, empty
cells, dates as Excel writes them in other countries, and files that are no table."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import Cli, snapshot


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize(
    "text",
    [
        # German and French Excel: semicolons, a day-first date, a decimal comma nowhere near.
        "Company;Role;At;Tz;Notes\r\nMüller & Söhne;Entwickler;15.12.2026 14:00;Europe/Berlin;"
        '"Zweite Runde; Fallstudie"\r\n',
        "company\trole\tat\ttz\tnotes\nMüller & Söhne\tEntwickler\t2026-12-15 14:00:00\t"
        "Europe/Berlin\tZweite Runde; Fallstudie\n",
        "company,role,at,tz,notes\nMüller & Söhne,Entwickler,2026-12-15T14:00,Europe/Berlin,"
        "Zweite Runde; Fallstudie\n",
    ],
    ids=["semicolons", "tabs", "commas"],
)
def test_delimiters_are_detected(cli: Cli, tmp_path: Path, text: str) -> None:
    assert cli.json("import", write(tmp_path / "rows.csv", text))["added"] == [1]
    (interview,) = cli.json("list")
    assert (interview["company"], interview["role"], interview["start"], interview["tz"]) == (
        "Müller & Söhne",
        "Entwickler",
        "2026-12-15T14:00",
        "Europe/Berlin",
    )
    assert interview["notes"] == "Zweite Runde; Fallstudie"


def test_us_dates_and_empty_cells(cli: Cli, tmp_path: Path) -> None:
    path = write(
        tmp_path / "rows.csv",
        "company,at,tz,duration,channel,decision_by,interviewers\n"
        "Acme,12/15/2026 2:00 PM,,,,,\n"
        "Beta,12/16/2026 9:30 AM,UTC,45,phone,2026-12-23,Ann A\n",
    )
    cli.ok("config", "set", "timezone", "America/Chicago")
    cli.ok("import", path)
    acme, beta = cli.json("list")
    # Empty cells are the defaults, as for `log`: 60 minutes, the configured zone.
    assert (acme["start"], acme["tz"], acme["duration"], acme["channel"]) == (
        "2026-12-15T14:00",
        "America/Chicago",
        60,
        "email",
    )
    assert (beta["start"], beta["duration"], beta["decision_by"]) == (
        "2026-12-16T09:30",
        45,
        "2026-12-23",
    )


def test_an_ambiguous_date_is_refused_until_the_order_is_set(cli: Cli, tmp_path: Path) -> None:
    path = write(
        tmp_path / "rows.csv",
        "company,at\nAcme,15.12.2026 14:00\nBeta,03/04/2027 10:00\n",
    )
    cli.ok("config", "set", "timezone", "UTC")
    before = snapshot(cli.home)
    result = cli("import", path)
    assert result.code == 2
    assert result.err.startswith("followup: error: rows.csv line 3: at: '03/04/2027 10:00'")
    assert "date_order" in result.err and result.err.count("\n") == 1
    assert snapshot(cli.home) == before

    cli.ok("config", "set", "date_order", "DMY")
    cli.ok("import", path)
    assert [i["start"] for i in cli.json("list")] == ["2026-12-15T14:00", "2027-04-03T10:00"]


def test_import_company_and_tz_fill_what_rows_leave_empty(cli: Cli, tmp_path: Path) -> None:
    path = write(
        tmp_path / "rows.csv", "company,at,tz\n,2027-11-15 10:00,\nBeta,2027-11-16 10:00,UTC\n"
    )
    cli.ok("import", path, "--company", "Acme", "--tz", "Asia/Tokyo")
    assert [(i["company"], i["tz"]) for i in cli.json("list")] == [
        ("Acme", "Asia/Tokyo"),
        ("Beta", "UTC"),
    ]


def _xlsx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return path


@pytest.mark.parametrize(
    ("name", "content", "looks"),
    [
        ("interviews.xlsx", _xlsx, "an Excel workbook (.xlsx); save it as CSV"),
        ("interviews.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        ("interviews.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "Excel 97-2003"),
        ("page.csv", b"<!DOCTYPE html><html><body><table></table></body></html>", "a web page"),
        ("contacts.vcf", b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jane\r\nEND:VCARD\r\n", "vCard"),
        ("utf16.csv", "company,at\n".encode("utf-16"), "UTF-16 text"),
        ("blob.bin", b"\x00\x01\x02\x03" * 100, "binary data"),
    ],
)
def test_a_file_that_is_no_table_says_what_it_looks_like(
    populated: Cli, tmp_path: Path, name: str, content: object, looks: str
) -> None:
    path = tmp_path / name
    if callable(content):
        content(path)
    else:
        assert isinstance(content, bytes)
        path.write_bytes(content)
    before = snapshot(populated.home)
    result = populated("import", path)
    assert result.code == 2, result
    assert result.err.startswith(f"followup: error: file: {name} looks like "), result.err
    assert looks in result.err and result.err.count("\n") == 1
    assert snapshot(populated.home) == before


def test_a_csv_with_no_known_column_is_refused(populated: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "todo.csv", "Task;Due;Owner\nCall Acme;Friday;me\n")
    before = snapshot(populated.home)
    result = populated("import", path)
    assert result.code == 2
    assert result.err.startswith("followup: error: file: todo.csv looks like a table whose columns")
    assert "'Task', 'Due', 'Owner'" in result.err
    assert snapshot(populated.home) == before


def test_unknown_columns_beside_known_ones_are_still_reported(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "rows.csv", "company;at;tz;Gehalt\nAcme;2027-11-15 10:00;UTC;viel\n")
    result = cli.ok("import", path)
    assert result.err.strip() == "Ignored columns: Gehalt"
    assert result.out.strip() == "Imported 1 new and updated 0 interviews."
