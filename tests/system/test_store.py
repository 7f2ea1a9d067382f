"""The SQLite store: schema version, WAL, private files, refusals, identities."""

from __future__ import annotations

import gc
import re
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from conftest import NY, Cli, run_followup, snapshot

from interview_followup.errors import StoreError
from interview_followup.model import Channel, Interview, Person, Status
from interview_followup.store import db
from interview_followup.store import events as event_rows
from interview_followup.store import interviews as interview_rows

NOW = datetime(2027, 11, 1, 12, 0, tzinfo=UTC)


def database(home: Path) -> Path:
    return home / "followup.sqlite3"


def pragma(path: Path, name: str) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = db.connect(tmp_path / "data" / "store.sqlite3")
    yield connection
    connection.close()


def test_schema_version_wal_and_private_files(cli: Cli) -> None:
    cli.log("--company", "Acme", "--at", "2027-11-15 10:00", "--tz", NY)
    path = database(cli.home)
    assert pragma(path, "user_version") == len(db.MIGRATIONS) >= 1
    assert pragma(path, "journal_mode") == "wal"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(cli.home.stat().st_mode) == 0o700
    cli.ok("config", "set", "country", "US")
    assert stat.S_IMODE((cli.home / "config.toml").stat().st_mode) == 0o600
    assert stat.S_IMODE((cli.home / ".config.lock").stat().st_mode) == 0o600
    # No temporary or journal files are left behind (the lock file is kept on purpose).
    assert set(snapshot(cli.home)) == {"followup.sqlite3", "config.toml", ".config.lock"}


def test_a_newer_schema_is_refused_and_left_alone(populated: Cli) -> None:
    path = database(populated.home)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(db.MIGRATIONS) + 5}")
    conn.close()
    before = snapshot(populated.home)
    result = run_followup("list")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert re.search(r"newer interview-followup \(schema \d+\); upgrade", result.stderr)
    assert snapshot(populated.home) == before
    # In-process as well, and for a write.
    refused = populated("log", "--company", "Acme", "--at", "2027-11-15 10:00")
    assert refused.code == 1 and "newer" in refused.err
    with pytest.raises(StoreError, match="newer"):
        db.connect(path)


def test_a_refused_database_is_closed_at_once(populated: Cli) -> None:
    conn = sqlite3.connect(database(populated.home))
    conn.execute(f"PRAGMA user_version = {len(db.MIGRATIONS) + 1}")
    conn.close()
    before = snapshot(populated.home)
    gc.disable()  # only the code under test may close it
    try:
        assert populated("list").code == 1
        assert snapshot(populated.home) == before  # no -wal/-shm of a connection left open
    finally:
        gc.enable()
        gc.collect()


def test_loose_permissions_are_warned_about(populated: Cli) -> None:
    path = database(populated.home)
    path.chmod(0o644)
    result = populated.ok("list")
    assert result.err.strip() == f"warning: {path} is readable by others; run: chmod 600 {path}"
    path.chmod(0o600)
    assert populated.ok("list").err == ""


def test_migrates_from_every_older_version(tmp_path: Path) -> None:
    for applied in range(len(db.MIGRATIONS)):
        path = tmp_path / f"v{applied}.sqlite3"
        conn = sqlite3.connect(path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        for migration in db.MIGRATIONS[:applied]:
            migration(conn)
        conn.execute(f"PRAGMA user_version = {applied}")
        if applied:
            conn.execute(
                "INSERT INTO interviews (company, start, tz, duration, status, created_at,"
                " updated_at) VALUES ('Old Co', '2027-11-15T10:00', ?, 60, 'waiting', 'x', 'x')",
                (NY,),
            )
        conn.close()
        migrated = db.connect(path)
        try:
            assert migrated.execute("PRAGMA user_version").fetchone()[0] == len(db.MIGRATIONS)
            companies = [i.company for i in interview_rows.all_interviews(migrated)]
            assert companies == (["Old Co"] if applied else [])
        finally:
            migrated.close()


def test_connect_without_create_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="log an interview first"):
        db.connect(tmp_path / "none.sqlite3", create=False)
    assert not (tmp_path / "none.sqlite3").exists()


def test_interview_round_trip(conn: sqlite3.Connection) -> None:
    interview = Interview(
        company="Initech, Ltd.\nLine two",
        role="Product Manager",
        start=datetime(2027, 11, 22, 14, 0),
        tz="Europe/London",
        duration=45,
        interviewers=(Person("Peter Gibbons", "peter@initech.example"), Person("Bob")),
        contact=Person("Samir", "samir@initech.example"),
        phone="+44 20 7946 0000",
        channel=Channel.EMAIL,
        decision_by=date(2027, 11, 29),
        posting_url="https://initech.example/jobs/pm",
        notes='They said "next Monday"; 😀',
        status=Status.OFFER,
    )
    with db.write(conn):
        new_id = interview_rows.insert(conn, interview, NOW)
    stored = interview_rows.get(conn, new_id)
    assert stored == interview._replace(id=new_id)


def test_write_rolls_back_on_error(conn: sqlite3.Connection) -> None:
    interview = Interview(company="Acme", start=datetime(2027, 11, 15, 10), tz=NY)
    with pytest.raises(RuntimeError), db.write(conn):
        interview_rows.insert(conn, interview, NOW)
        raise RuntimeError("boom")
    assert interview_rows.all_interviews(conn) == []


def test_uids_are_stable_per_install_and_valid_google_ids() -> None:
    key = (1, "thank-you", "jane doe", 0)
    uid = event_rows.make_uid("install-a", key)
    assert uid == event_rows.make_uid("install-a", key)
    assert uid != event_rows.make_uid("install-b", key)
    assert uid != event_rows.make_uid("install-a", (1, "thank-you", "jane doe", 1))
    stem, domain = uid.split("@")
    assert domain == "interview-followup"
    assert re.fullmatch(r"[0-9a-v]{5,1024}", stem)


def test_two_installs_give_different_uids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    uids = []
    for name in ("one", "two"):
        monkeypatch.setenv("FOLLOWUP_HOME", str(tmp_path / name))
        result = run_followup(
            "log", "--company", "Acme", "--at", "2027-11-15 10:00", "--tz", NY, "--json"
        )
        assert result.returncode == 0, result.stderr
        uids.append(set(re.findall(r'"uid": "([^"]+)"', result.stdout)))
    assert len(uids[0]) == 5 and len(uids[1]) == 5
    assert not uids[0] & uids[1]


def test_events_are_never_deleted(us_cli: Cli) -> None:
    interview_id = us_cli.log(
        "--company", "Acme", "--at", "2027-11-15 10:00", "--interviewer", "A", "--interviewer", "B"
    )
    uids = {e["uid"] for e in us_cli.plan(interview_id, all_=True)}
    us_cli.ok("edit", interview_id, "--interviewer", "C")
    us_cli.ok("config", "set", "check_ins", "0")
    us_cli.ok("status", interview_id, "withdrawn")
    after = {e["uid"]: e for e in us_cli.plan(interview_id, all_=True)}
    assert uids < set(after)
    conn = sqlite3.connect(database(us_cli.home))
    try:
        count = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        conn.close()
    assert count == len(after) == 7  # thank-yous for A, B and C, follow-up, 2 check-ins, move-on


def test_reading_commands_change_no_file(populated: Cli) -> None:
    before = snapshot(populated.home)
    for args in (["list"], ["plan", "--all"], ["agenda"], ["config", "list"]):
        populated.ok(*args)
    assert snapshot(populated.home) == before


def test_loose_private_files_get_a_warning(cli: Cli) -> None:
    cli.log("--company", "Acme", "--at", "2027-11-15 10:00", "--tz", NY)
    token = cli.home / "google-token.json"
    token.write_text("{}")
    token.chmod(0o644)
    database(cli.home).chmod(0o644)
    result = cli("list")
    assert result.code == 0
    warned = [line for line in result.err.splitlines() if line.startswith("warning:")]
    assert len(warned) == 2 and all("chmod 600" in line for line in warned)
    assert any("google-token.json" in line for line in warned)


def test_each_event_notes_the_version_of_its_last_change(cli: Cli) -> None:
    """What lets the feed read only the events changed since it last looked."""
    from interview_followup import ical

    first = cli.log("--company", "Acme", "--at", "2027-11-15 10:00", "--tz", NY)
    cli.log("--company", "Globex", "--at", "2027-11-16 10:00", "--tz", NY)
    with sqlite3.connect(database(cli.home)) as conn:
        conn.row_factory = sqlite3.Row
        before = db.state_version(conn)
    cli.ok("status", str(first), "heard")
    with sqlite3.connect(database(cli.home)) as conn:
        conn.row_factory = sqlite3.Row
        changed = list(event_rows.load_changed(conn, ical.RENDER_VERSION, changed_after=before))
        assert changed and {e.interview_id for e, _, _ in changed} == {first}
        assert all(e.status.value == "cancelled" and at > before for e, _, at in changed)
        assert db.state_version(conn) > before
