"""`followup import FILE`: CSV and JSON, all rows checked before anything is written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, NY, Cli, by_uid, of_kind, one, snapshot


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_example_csv_imports(us_cli: Cli) -> None:
    report = us_cli.json("import", EXAMPLES / "interviews.csv")
    assert report == {
        "added": [1, 2, 3, 4],
        "updated": [],
        "unchanged": [],
        "statuses": [4],  # Müller & Söhne: rejected
        "ignored_columns": [],
    }
    listed = {i["company"]: i for i in us_cli.json("list")}
    assert set(listed) == {"Northwind Traders", "Globex", "Initech, Ltd.", "Müller & Söhne"}

    northwind = listed["Northwind Traders"]
    assert [p["name"] for p in northwind["interviewers"]] == ["Jane Doe", "Raj Patel"]
    assert [p["email"] for p in northwind["interviewers"]] == [
        "jane.doe@northwind.example",
        "raj.patel@northwind.example",
    ]
    assert (
        northwind["notes"] == "Panel interview; asked about SQL, dashboards and the team's roadmap."
    )
    assert northwind["posting_url"] == "https://jobs.northwind.example/analyst"
    events = us_cli.plan(northwind["id"])
    assert [e["start"] for e in events] == [
        "2027-11-15T12:00:00-05:00",
        "2027-11-15T12:00:00-05:00",
        "2027-11-30T10:00:00-05:00",
        "2027-12-07T10:00:00-05:00",
        "2027-12-14T10:00:00-05:00",
        "2027-12-21",
    ]
    assert (
        "still open: https://jobs.northwind.example/analyst"
        in one(events, "follow-up")["description"]
    )

    globex = listed["Globex"]
    assert (globex["decision_by"], globex["channel"], globex["phone"]) == (
        "2027-12-23",
        "phone",
        "+1 555 010 2030",
    )
    assert one(us_cli.plan(globex["id"]), "move-on")["start"] == "2028-01-18"

    initech = listed["Initech, Ltd."]
    assert (initech["tz"], initech["duration"], initech["channel"]) == (
        "Europe/London",
        45,
        "email",
    )
    assert initech["contact"] == {"name": "Samir Nagheenanajar", "email": "samir@initech.example"}
    assert initech["notes"] == 'Second round: case study. They said "next Monday".'

    muller = listed["Müller & Söhne"]
    assert (muller["status"], muller["tz"]) == ("rejected", "Europe/Berlin")
    assert one(us_cli.plan(muller["id"]), "stay-in-touch")["status"] == "scheduled"
    assert all(i["status"] == "waiting" for i in listed.values() if i["id"] != muller["id"])


def test_reimport_updates_and_never_duplicates(us_cli: Cli) -> None:
    us_cli.ok("import", EXAMPLES / "interviews.csv")
    before = by_uid(us_cli.plan(all_=True))
    result = us_cli.ok("import", EXAMPLES / "interviews.csv")
    assert result.out.strip() == "Imported 0 new and updated 0 interviews, 4 already as stored."
    assert len(us_cli.json("list")) == 4
    assert by_uid(us_cli.plan(all_=True)) == before  # same UIDs, SEQUENCE unmoved


def test_reimport_of_a_changed_row_updates_it(us_cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "interviews.csv"
    shutil.copy(EXAMPLES / "interviews.csv", source)
    us_cli.ok("import", source)
    before = by_uid(us_cli.plan(all_=True))
    text = source.read_text(encoding="utf-8")
    write(
        source, text.replace("Late call with the hiring manager.", "Call back after the holidays.")
    )
    again = us_cli.json("import", source)
    assert (again["updated"], again["unchanged"]) == ([2], [1, 3, 4])
    after = by_uid(us_cli.plan(all_=True))
    assert set(after) == set(before)
    for uid, event in after.items():
        changed = event["interview_id"] == 2
        assert event["sequence"] == before[uid]["sequence"] + (1 if changed else 0), event["kind"]
        if changed:
            assert "Call back after the holidays." in event["description"]


def test_json_import(us_cli: Cli, tmp_path: Path) -> None:
    data = {
        "interviews": [
            {
                "Company": "Acme",
                "Role": "Engineer",
                "Start": "2027-11-15 10:00",
                "Timezone": "Europe/Paris",
                "interviewers": ["Ann A <ann@acme.example>", "Bob B"],
                "decision-by": "2027-11-19",
            },
            {
                "company": "Beta",
                "at": "2027-11-16T09:00",
                "duration": 30,
                "interviewers": "Cy C; Di D <di@beta.example>",
                "status": "offer",
            },
            {"company": "Gamma", "at": "2027-11-17 09:00", "status": None, "notes": None},
        ]
    }
    path = tmp_path / "interviews.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert us_cli.json("import", path)["added"] == [1, 2, 3]
    listed = {i["company"]: i for i in us_cli.json("list")}
    acme, beta, gamma = listed["Acme"], listed["Beta"], listed["Gamma"]
    assert (acme["tz"], acme["role"], acme["decision_by"]) == (
        "Europe/Paris",
        "Engineer",
        "2027-11-19",
    )
    assert [p["name"] for p in acme["interviewers"]] == ["Ann A", "Bob B"]
    assert (beta["duration"], beta["status"], beta["tz"]) == (30, "offer", NY)
    assert [(p["name"], p["email"]) for p in beta["interviewers"]] == [
        ("Cy C", ""),
        ("Di D", "di@beta.example"),
    ]
    assert gamma["status"] == "waiting"
    assert len(of_kind(us_cli.plan(beta["id"]), "thank-you")) == 2


def test_interviewers_separated_by_semicolons_and_optional_status(
    us_cli: Cli, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "rows.csv",
        "\ufeffCompany,Role,Date,Interviewers,Decision By,Status,Favourite Colour\r\n"
        "Acme,Dev,2027-11-15 10:00,Ann A <ann@acme.example>;Bob B; ; Cy C,,,blue\r\n"
        "Acme,Dev,2027-11-22 10:00,Ann A,2027-11-26,WAITING,red\r\n",
    )
    result = us_cli.ok("import", path)
    assert result.err.strip() == "Ignored columns: Favourite Colour"
    listed = us_cli.json("list")
    assert [len(i["interviewers"]) for i in listed] == [3, 1]
    # Two rows for one company and role: the earlier one is a previous round.
    assert [i["status"] for i in listed] == ["next-round", "waiting"]
    assert listed[1]["decision_by"] == "2027-11-26"


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        (
            "rows.csv",
            "company,at\nGood,2027-11-15 10:00\nBad,2027-13-01 10:00\nAlso good,2027-11-16 10:00\n",
            "rows.csv line 3: at: ",
        ),
        (
            "rows.csv",
            "company,at,status\nGood,2027-11-15 10:00,\nBad,2027-11-16 10:00,hired\n",
            "rows.csv line 3: status: ",
        ),
        (
            "rows.csv",
            "company,at,tz\n\nGood,2027-11-15 10:00,\n\nBad,2027-11-16 10:00,Mars/Base\n",
            "rows.csv line 5: tz: ",
        ),
        (
            "rows.csv",
            'company,at,notes\nGood,2027-11-15 10:00,"two\nlines"\nBad,someday,x\n',
            "rows.csv line 4: at: ",
        ),
        (
            "rows.csv",
            'company,at,notes\nGood,2027-11-15 10:00,x\nBad,2027-11-16 25:00,"multi\r\nline\r\nnote"\n',
            "rows.csv line 3: at: ",
        ),
        (
            "rows.json",
            json.dumps([{"company": "Good", "at": "2027-11-15 10:00"}, {"company": "", "at": "x"}]),
            "rows.json entry 2: company: ",
        ),
        (
            "rows.json",
            json.dumps([{"company": "Good", "at": "2027-11-15 10:00", "interviewers": ["a@b"]}]),
            "rows.json entry 1: interviewer: ",
        ),
    ],
)
def test_a_bad_row_names_its_line_and_imports_nothing(
    populated: Cli, tmp_path: Path, name: str, text: str, where: str
) -> None:
    path = write(tmp_path / name, text)
    before = snapshot(populated.home)
    result = populated("import", path)
    assert result.code == 2
    assert result.err.startswith(f"followup: error: {where}"), result.err
    assert result.err.count("\n") == 1
    assert result.out == ""
    assert snapshot(populated.home) == before
    assert len(populated.json("list")) == 2


def test_multiline_row_reports_the_line_it_starts_on(us_cli: Cli, tmp_path: Path) -> None:
    path = write(
        tmp_path / "rows.csv",
        'company,at,notes\nGood,2027-11-15 10:00,"two\nlines"\nBad,2027-11-16 10:00 x,"three\nline\nnotes"\n',
    )
    result = us_cli("import", path)
    assert result.code == 2
    assert result.err.startswith("followup: error: rows.csv line 4: at: "), result.err


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("missing.csv", None, "does not exist"),
        ("empty.csv", "", "is empty"),
        ("broken.json", "[{", "is not valid JSON"),
        ("object.json", '{"company": "Acme"}', "expected a list of interview objects"),
        ("latin1.csv", b"company,at\nM\xfcller,2027-11-15 10:00\n", "UTF-8"),
        ("huge-cell.csv", 'company,at\nA,"' + "x" * 140_000 + '"\n', "not readable as CSV"),
    ],
)
def test_unreadable_files(
    populated: Cli, tmp_path: Path, name: str, text: str | bytes | None, problem: str
) -> None:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    elif text is not None:
        path.write_text(text, encoding="utf-8")
    before = snapshot(populated.home)
    result = populated("import", path)
    assert result.code == 2
    assert result.err.startswith("followup: error: file: ") and problem in result.err
    assert snapshot(populated.home) == before


def test_list_json_imports_back(
    us_cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What `followup list --json` writes, `followup import` reads: a move to a new machine."""
    us_cli.ok("import", EXAMPLES / "interviews.csv")
    listed = us_cli.json("list")
    exported = tmp_path / "interviews.json"
    exported.write_text(json.dumps(listed), encoding="utf-8")
    plans = [(e["kind"], e["who"], e["start"], e["status"]) for e in us_cli.plan(all_=True)]

    monkeypatch.setenv("FOLLOWUP_HOME", str(tmp_path / "elsewhere"))
    us_cli.ok("config", "set", "country", "US")
    assert us_cli.json("import", exported)["added"] == [1, 2, 3, 4]

    def without_ids(items: list[dict[str, object]]) -> list[dict[str, object]]:
        return [{k: v for k, v in item.items() if k != "id"} for item in items]

    assert without_ids(us_cli.json("list")) == without_ids(listed)
    assert [(e["kind"], e["who"], e["start"], e["status"]) for e in us_cli.plan(all_=True)] == plans


def test_interviewers_of_the_wrong_type_are_refused(populated: Cli, tmp_path: Path) -> None:
    path = tmp_path / "typed.json"
    path.write_text(json.dumps([{"company": "Acme", "at": "2027-11-15 10:00", "interviewers": 5}]))
    before = snapshot(populated.home)
    result = populated("import", path)
    assert result.code == 2 and "entry 1: interviewer:" in result.err
    assert snapshot(populated.home) == before


def test_an_imported_acceptance_withdraws_the_other_open_processes(
    us_cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "accepted.csv"
    path.write_text(
        "company,at,tz,status\n"
        "Accepted Co,2030-05-06 10:00,UTC,accepted\n"
        "Still Open,2030-05-07 10:00,UTC,\n"
        "Turned Down,2030-05-08 10:00,UTC,rejected\n"
    )
    us_cli.ok("import", path)
    statuses = {i["company"]: i["status"] for i in us_cli.json("list", "--json")}
    assert statuses == {
        "Accepted Co": "accepted",
        "Still Open": "withdrawn",
        "Turned Down": "rejected",
    }
    kinds = [e["kind"] for e in us_cli.json("plan", "--json") if e["kind"] == "withdraw"]
    assert kinds == ["withdraw"]


def test_imported_statuses_do_not_depend_on_row_order_and_reimport_changes_nothing(
    us_cli: Cli, tmp_path: Path
) -> None:
    rows = ["Acme,2030-05-06 10:00,UTC,accepted", "Beta,2030-05-07 10:00,UTC,offer"]
    outcomes = []
    for order in (rows, rows[::-1]):
        home_file = tmp_path / f"order-{len(outcomes)}.csv"
        home_file.write_text("company,at,tz,status\n" + "\n".join(order) + "\n")
        us_cli.ok("import", home_file)
        first = {i["company"]: i["status"] for i in us_cli.json("list", "--json")}
        plan = us_cli.json("plan", "--all", "--json")
        us_cli.ok("import", home_file)  # again: nothing may change
        assert {i["company"]: i["status"] for i in us_cli.json("list", "--json")} == first
        assert us_cli.json("plan", "--all", "--json") == plan
        outcomes.append(first)
    assert outcomes[0] == outcomes[1] == {"Acme": "accepted", "Beta": "withdrawn"}
