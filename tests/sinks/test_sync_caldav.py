"""CalDAV sync against a real Radicale on loopback, read back with the caldav library."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends.null import Keyring as NullKeyring
from keyring.errors import KeyringLocked
from support.caldav_harness import CalDAVHarness, sync_args
from support.cli_helpers import ok, run
from support.env import caldav_env
from support.fault_proxy import FaultProxy
from support.radicale_server import PASSWORD, USER, Radicale
from support.sink_contract import (
    ForeignEventsContract,
    SinkContract,
    assert_server_matches_plan,
    log_interviews,
    plan_now,
)

_names = itertools.count()

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    server = Radicale(tmp_path_factory.mktemp("radicale")).start()
    yield server
    server.stop()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return caldav_env(monkeypatch, tmp_path / "home", PASSWORD)


class TestCalDAVContract(SinkContract, ForeignEventsContract):
    @pytest.fixture
    def harness(self, radicale: Radicale, home: Path) -> CalDAVHarness:
        return CalDAVHarness(radicale, f"Follow-ups {next(_names)}")


def test_unchanged_sync_makes_one_request(radicale: Radicale, home: Path) -> None:
    """With nothing changed on either side, the marker answers and nothing else is asked:
    counted on the wire, by a proxy in front of the server."""
    proxy = FaultProxy(radicale.port).start()
    try:
        log_interviews()
        harness = CalDAVHarness(radicale, f"Follow-ups {next(_names)}", url=proxy.url)
        harness.sync()  # our own writes moved the marker; sync-collection showed them ours
        before = len(proxy.methods)
        report = harness.sync()
        assert report["unchanged"] == len(plan_now())
        assert proxy.methods[before:] == ["PROPFIND"]
    finally:
        proxy.stop()


def test_wrong_password_is_one_clear_line(
    radicale: Radicale, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_interviews()
    monkeypatch.setenv("FOLLOWUP_CALDAV_PASSWORD", "wrong")
    result = run("sync", "caldav", "--url", radicale.url, "--username", USER)
    assert result.code == 1
    assert len(result.err.strip().splitlines()) == 1
    assert "refused the credentials" in result.err
    assert "Traceback" not in result.err


def test_unreachable_server_is_one_clear_line(home: Path) -> None:
    from support.loopback import free_port

    log_interviews()
    result = run("sync", "caldav", "--url", f"http://127.0.0.1:{free_port()}/", "--username", USER)
    assert result.code == 1
    assert "cannot reach the CalDAV server" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_missing_url_and_password(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log_interviews()
    result = run("sync", "caldav")
    assert result.code == 2 and "url:" in result.err
    monkeypatch.delenv("FOLLOWUP_CALDAV_PASSWORD")
    result = run("sync", "caldav", "--url", "http://127.0.0.1:9/", "--username", "me")
    assert result.code == 2 and "password:" in result.err


def test_config_and_password_command(
    radicale: Radicale, home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """URL, user and calendar from the config; the password from a command, never stored."""
    log_interviews()
    monkeypatch.delenv("FOLLOWUP_CALDAV_PASSWORD")
    secret_file = tmp_path / "secret"
    secret_file.write_text(PASSWORD + "\n")
    ok("config", "set", "caldav.url", radicale.url)
    ok("config", "set", "caldav.username", USER)
    ok("config", "set", "caldav.calendar", "From config")
    ok("config", "set", "caldav.password_command", f"cat {secret_file}")
    report = ok("sync", "caldav", "--json").json()
    assert report["created"] == len(plan_now())
    for path in home.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


class _MemoryKeyring(KeyringBackend):
    """A keyring backend of our own, so the test never touches a real one."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


class _LockedKeyring(_MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("the keyring is locked")


def test_password_from_the_keyring(
    radicale: Radicale, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_interviews()
    monkeypatch.delenv("FOLLOWUP_CALDAV_PASSWORD")
    args = ["sync", "caldav", "--url", radicale.url, "--username", USER, "--calendar", "Keyring"]
    try:
        keyring.set_keyring(_MemoryKeyring())
        keyring.set_password("interview-followup", f"{USER}@{radicale.url}", PASSWORD)
        assert ok(*args, "--json").json()["created"] == len(plan_now())
        for path in home.rglob("*"):
            if path.is_file():
                assert PASSWORD.encode() not in path.read_bytes(), path
        keyring.set_keyring(_LockedKeyring())  # a locked keyring is no password, said so
        result = run(*args)
        assert result.code == 2 and "password:" in result.err and "keyring" in result.err
        assert len(result.err.strip().splitlines()) == 1
    finally:
        keyring.set_keyring(NullKeyring())


def test_an_imported_copy_of_our_events_is_replaced(
    radicale: Radicale, home: Path, tmp_path: Path
) -> None:
    """An export imported into the calendar holds our UIDs under other names; the server
    refuses a second item with the same UID, so the sync replaces those copies."""
    from icalendar import Calendar

    harness = CalDAVHarness(radicale, f"Follow-ups {next(_names)}")
    log_interviews()
    exported = tmp_path / "followups.ics"
    ok("export", "-o", str(exported))
    calendar = harness.client.principal().make_calendar(name=harness.calendar, cal_id="imported")
    copies = Calendar.from_ical(exported.read_bytes()).walk("VEVENT")[:3]
    for n, vevent in enumerate(copies):
        single = Calendar()
        single.add("prodid", "-//a calendar app//EN")
        single.add("version", "2.0")
        single.add_component(vevent)
        url = f"{calendar.url}imported-{n}.ics"
        assert harness.client.put(url, single.to_ical().decode(), {}).status == 201

    report = harness.sync()
    assert (report["created"], report["conflicts"], report["failed"]) == (len(plan_now()), 0, 0)
    assert_server_matches_plan(harness)
    names = [str(item.url).rsplit("/", 1)[-1] for item in harness._objects()]
    assert len(names) == len(plan_now()) and not any(n.startswith("imported-") for n in names)
    assert harness.sync()["created"] == 0


def test_an_acceptance_deletes_the_other_steps_without_force(
    radicale: Radicale, home: Path
) -> None:
    """The usual end of a hunt cancels most steps: reason enough, no guard trips."""
    harness = CalDAVHarness(radicale, f"Follow-ups {next(_names)}")
    ids = [
        ok(
            "log", "--company", f"Co {n}", "--at", "2030-05-06 10:00", "--tz", "UTC", "--json"
        ).json()["id"]
        for n in range(4)
    ]
    harness.sync()
    ok("status", str(ids[0]), "accepted")  # withdraws the other three: most events go
    report = harness.sync()
    assert report["deleted"] > 10 and report["failed"] == 0
    assert not any("forced" in line for line in report["actions"])
    assert_server_matches_plan(harness)


def test_mass_delete_guard(radicale: Radicale, home: Path) -> None:
    """Events the database no longer holds (damage) are not deleted en masse unasked."""
    harness = CalDAVHarness(radicale, f"Follow-ups {next(_names)}")
    for n in range(4):
        ok("log", "--company", f"Co {n}", "--at", "2030-05-06 10:00", "--tz", "UTC")
    harness.sync()
    with sqlite3.connect(home / "followup.sqlite3") as damaged:
        damaged.execute("DELETE FROM events WHERE interview_id > 1")
    before = harness.snapshot()
    result = run(
        "sync", "caldav", "--url", radicale.url, "--username", USER, "--calendar", harness.calendar
    )
    assert result.code == 2 and "refusing to delete" in result.err
    assert "no longer holds them" in result.err
    assert harness.snapshot() == before
    report = harness.sync("--force")
    assert report["deleted"] > 10


@pytest.mark.parametrize(
    ("mode", "after"), [("drop", 2), ("drop", 5), ("drop", 9), ("reset", 4), ("500", 6)]
)
def test_sync_dying_halfway_converges(
    radicale: Radicale, home: Path, mode: str, after: int
) -> None:
    """The server vanishes mid-sync: the run fails clearly, the next one converges exactly."""
    log_interviews()
    ok("log", "--company", "Third", "--at", "2030-04-01 09:00", "--tz", "UTC")
    proxy = FaultProxy(radicale.port).start()
    try:
        harness = CalDAVHarness(radicale, f"Follow-ups {next(_names)}")
        args = sync_args(proxy.url, harness.calendar)
        assert run(*args).code == 0  # creates the calendar; then change everything
        ok("status", "1", "withdrawn")
        ok("promise", "2", "2030-03-20")
        ok("log", "--company", "Fourth", "--at", "2030-04-02 09:00", "--tz", "UTC")
        proxy.fail(mode, after)
        failed = run(*args)
        assert failed.code == 1
        assert "Traceback" not in failed.err
        assert "run the sync again" in failed.err
        proxy.heal()
        again = run(*args)
        assert again.code == 0, again.err
        assert len(harness.events()) == len(plan_now())  # nothing doubled, nothing missing
        assert_server_matches_plan(harness)
        assert run(*args).json()["updated"] == 0
    finally:
        proxy.stop()


@pytest.mark.parametrize(
    ("status", "connections"), [(412, 4), (500, 1), (502, 1), (500, 4), (503, 4), (503, 1)]
)
def test_one_event_refused_then_converges(
    radicale: Radicale, home: Path, status: int, connections: int
) -> None:
    """One write refused (412: changed meanwhile; 5xx): the rest go through, nothing is lost.
    A 503 asks us to slow down: that write is sent again after a pause. A 5xx beside other
    writes is sent once more on its own (some servers fail under parallel writes)."""
    log_interviews()
    proxy = FaultProxy(radicale.port).start()
    try:
        harness = CalDAVHarness(radicale, f"Follow-ups {next(_names)}")
        args = [*sync_args(proxy.url, harness.calendar), "--connections", str(connections)]
        assert run(*args).code == 0
        ok("promise", "2", "2030-03-20")
        proxy.once = ("PUT", status)
        refused = run(*args)
        report = refused.json()
        settled = status in (412, 503) or connections > 1
        if settled:
            assert refused.code == 0 and report["conflicts"] == report["failed"] == 0
        else:
            assert refused.code == 1 and "run the sync again" in refused.err
            assert report["updated"] >= 1 and report["failed"] == 1
        healed = run(*args)
        assert healed.code == 0 and healed.json()["updated"] == (0 if settled else 1)
        assert_server_matches_plan(harness)
    finally:
        proxy.stop()


def test_dry_run_creates_not_even_the_calendar(radicale: Radicale, home: Path) -> None:
    log_interviews()
    harness = CalDAVHarness(radicale, f"Follow-ups {next(_names)}")
    report = harness.sync("--dry-run")
    assert report["dry_run"] is True and report["created"] == len(plan_now())
    assert harness._calendar() is None
    assert harness.sync()["created"] == len(plan_now())
    assert harness._calendar() is not None


def _item_of(harness: CalDAVHarness, uid: str) -> Any:
    return harness._by_uid(uid)


def test_properties_we_do_not_manage_survive_our_updates(radicale: Radicale, home: Path) -> None:
    """A LOCATION and an alarm of the user's stay when we move the event."""
    from datetime import timedelta

    from icalendar import Alarm

    _first, second = log_interviews()
    harness = CalDAVHarness(radicale, f"Follow-ups {next(_names)}")
    harness.sync()
    decision = next(
        e for e in plan_now().values() if e["kind"] == "follow-up" and e["interview_id"] == second
    )
    item = _item_of(harness, decision["uid"])
    component = item.icalendar_component
    component.add("location", "Café Central, Berlin")
    theirs = Alarm()
    theirs.add("action", "DISPLAY")
    theirs.add("description", "my own reminder")
    theirs.add("trigger", timedelta(days=-1))
    component.add_component(theirs)
    item.save(increase_seqno=False)
    kept = harness.sync()
    assert kept["updated"] == kept["conflicts"] == 0
    ok("promise", str(second), "2030-03-27")  # moves it
    report = harness.sync()
    assert report["updated"] + report["merged"] >= 1 and report["conflicts"] == 0
    after = _item_of(harness, decision["uid"]).icalendar_component
    assert str(after["LOCATION"]) == "Café Central, Berlin"
    descriptions = sorted(str(a.get("DESCRIPTION")) for a in after.walk("VALARM"))
    assert "my own reminder" in descriptions and len(descriptions) == 2
    assert_server_matches_plan(harness)


def test_a_deleted_calendar_is_not_recreated_without_force(radicale: Radicale, home: Path) -> None:
    log_interviews()
    harness = CalDAVHarness(radicale, f"Follow-ups {next(_names)}")
    harness.sync()
    harness._calendar().delete()
    for flags in ((), ("--dry-run",)):
        stopped = run(*sync_args(radicale.url, harness.calendar)[:-1], *flags)
        assert stopped.code == 2 and len(stopped.err.strip().splitlines()) == 1
        assert "was deleted" in stopped.err and "--force" in stopped.err
        assert "--calendar" in stopped.err
        assert harness._calendar() is None
    assert harness.sync("--force", "--dry-run")["created"] == len(plan_now())
    assert harness._calendar() is None
    assert harness.sync("--force")["created"] == len(plan_now())
    assert_server_matches_plan(harness)
    assert harness.sync()["created"] == 0


def test_a_renamed_calendar_keeps_the_users_edits(radicale: Radicale, home: Path) -> None:
    """Synced under a new name, every item is unrecorded: none is taken over blindly."""
    from caldav.elements import dav

    log_interviews()
    harness = CalDAVHarness(radicale, f"Follow-ups {next(_names)}")
    harness.sync()
    edited, deleted = list(plan_now())[:2]
    harness.user_edit(edited, "Renamed by me")
    harness.user_delete(deleted)
    new_name = f"{harness.calendar} renamed"
    harness._calendar().set_properties([dav.DisplayName(new_name)])
    harness.calendar = new_name
    report = harness.sync()
    assert report["failed"] == 0 and report["conflicts"] == 0
    found = harness.events()
    assert found[edited].summary == "Renamed by me"
    assert len(found) == len(plan_now())  # the deleted one made anew: nothing knew of it
    assert len(harness._objects()) == len(found)  # and nothing doubled


def test_a_restored_database_stops_before_writing(
    radicale: Radicale, home: Path, tmp_path: Path
) -> None:
    import shutil

    log_interviews()
    harness = CalDAVHarness(radicale, f"Follow-ups {next(_names)}")
    harness.sync()
    backup = tmp_path / "backup.sqlite3"
    shutil.copy(home / "followup.sqlite3", backup)
    ok("promise", "2", "2030-03-20")
    harness.sync()
    (home / "followup.sqlite3-wal").unlink(missing_ok=True)
    (home / "followup.sqlite3-shm").unlink(missing_ok=True)
    shutil.copy(backup, home / "followup.sqlite3")
    before = harness.snapshot()
    stopped = run(*sync_args(radicale.url, harness.calendar)[:-1])
    assert stopped.code == 2 and "restored" in stopped.err and "--force" in stopped.err
    assert len(stopped.err.strip().splitlines()) == 1
    assert harness.snapshot() == before
    assert harness.sync("--force")["failed"] == 0
    assert_server_matches_plan(harness)


def test_a_second_sync_of_the_same_calendar_waits_then_says_so(
    radicale: Radicale, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl
    import hashlib
    import os

    from interview_followup.sinks.caldav import target_key

    log_interviews()
    harness = CalDAVHarness(radicale, f"Follow-ups {next(_names)}")
    harness.sync()
    key = target_key(radicale.url, USER, harness.calendar)
    lock = home / "locks" / f"sync-{hashlib.sha256(key.encode()).hexdigest()[:24]}.lock"
    assert lock.exists()
    monkeypatch.setenv("FOLLOWUP_SYNC_LOCK_SECONDS", "0.5")
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another sync holds it
        busy = run(*sync_args(radicale.url, harness.calendar)[:-1])
        assert busy.code == 1 and "another sync" in busy.err and "running" in busy.err
        assert "--force" not in busy.err
    finally:
        os.close(fd)
    assert harness.sync()["failed"] == 0


_CYRUS_UID_TAKEN = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<D:error xmlns:D="DAV:"'
    b' xmlns:C="urn:ietf:params:xml:ns:caldav"><C:unique-scheduling-object-resource>'
    b"<D:href>/dav/calendars/user/me/Default/x.ics</D:href>"
    b"</C:unique-scheduling-object-resource></D:error>"
)


def test_a_uid_taken_in_another_calendar_fails_that_event_only(
    radicale: Radicale, home: Path
) -> None:
    """Cyrus answers 403 with unique-scheduling-object-resource when the UID is in another
    calendar of the account: that is not a login problem, and the rest goes through."""
    log_interviews()
    proxy = FaultProxy(radicale.port).start()
    try:
        harness = CalDAVHarness(radicale, f"Follow-ups {next(_names)}", proxy.url)
        args = sync_args(proxy.url, harness.calendar)
        assert run(*args).code == 0
        ok("log", "--company", "Third", "--at", "2030-04-01 09:00", "--tz", "UTC")
        proxy.once, proxy.once_body = ("PUT", 403), _CYRUS_UID_TAKEN
        result = run(*args)
        assert result.code == 1 and "refused the credentials" not in result.err
        report = result.json()
        assert any("another calendar of this account" in e for e in report["errors"])
        assert report["failed"] == 1 and report["created"] >= 1
        assert len(harness.events()) == len(plan_now()) - 1
        assert run(*args).code == 0  # once the other copy is gone, it arrives
        assert_server_matches_plan(harness)
    finally:
        proxy.stop()
