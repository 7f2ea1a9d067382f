"""Bad input: one line on stderr naming the field, exit 2, no traceback, and not a byte
of the data folder changed."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FOLLOWUP_BIN, Cli, run_followup, snapshot

LOG = ["log", "--company", "Acme", "--at", "2027-11-15 10:00"]
DATA = Path(__file__).resolve().parents[1] / "data"
BAD = DATA / "bad"
GOOGLE = DATA / "invitations" / "google.ics"


def log_with(*extra: str) -> list[str]:
    return [*LOG, *extra]


# (arguments, the field the message must name). Interview 1 is Northwind (2027-11-15,
# interviewers Jane Doe and Raj Patel); interview 2 is Globex (2027-12-16, decision 12-23).
CASES = [
    # Found in review: values that once reached a traceback.
    pytest.param(log_with("--duration", "²"), "duration", id="duration-superscript"),
    pytest.param(["log", "--company", "Acme", "--at", "9999-12-31 22:00"], "at", id="year-9999"),
    pytest.param(log_with("--decision-by", "in 999999999 days"), "decision-by", id="decision-far"),
    pytest.param(
        ["config", "set", "thank_you_after", "²"], "thank_you_after", id="config-superscript"
    ),
    # log: dates, times, zones, durations, people, links, text
    pytest.param(["log", "--company", "Acme", "--at", "2027-13-01 10:00"], "at", id="month-13"),
    pytest.param(["log", "--company", "Acme", "--at", "2027-11-15 25:00"], "at", id="hour-25"),
    pytest.param(["log", "--company", "Acme", "--at", "2027-02-29 10:00"], "at", id="no-feb-29"),
    pytest.param(["log", "--company", "Acme", "--at", "next tuesday"], "at", id="at-phrase"),
    pytest.param(["log", "--company", "Acme", "--at", " "], "at", id="at-blank"),
    pytest.param(["log", "--company", "", "--at", "2027-11-15 10:00"], "company", id="no-company"),
    pytest.param(
        ["log", "--company", "  ", "--at", "2027-11-15 10:00"], "company", id="blank-company"
    ),
    pytest.param(log_with("--tz", "Mars/Olympus_Mons"), "tz", id="tz-unknown"),
    pytest.param(log_with("--tz", "../../etc/passwd"), "tz", id="tz-path"),
    pytest.param(log_with("--tz", "America/New York"), "tz", id="tz-space"),
    pytest.param(log_with("--tz", "EST+5"), "tz", id="tz-posix"),
    # Files under zoneinfo that are no zone to schedule in: the machine's zone under
    # another name, the POSIX template, leap-second and placeholder variants.
    pytest.param(log_with("--tz", "localtime"), "tz", id="tz-localtime"),
    pytest.param(log_with("--tz", "posixrules"), "tz", id="tz-posixrules"),
    pytest.param(log_with("--tz", "right/UTC"), "tz", id="tz-leap-seconds"),
    pytest.param(log_with("--tz", "posix/Europe/Berlin"), "tz", id="tz-posix-folder"),
    pytest.param(log_with("--tz", "Factory"), "tz", id="tz-factory"),
    pytest.param(["config", "set", "timezone", "localtime"], "timezone", id="config-tz-localtime"),
    pytest.param(log_with("--duration", "0"), "duration", id="duration-0"),
    pytest.param(log_with("--duration", "1441"), "duration", id="duration-long"),
    pytest.param(log_with("--duration", "an hour"), "duration", id="duration-words"),
    pytest.param(log_with("--duration=-30"), "duration", id="duration-negative"),
    pytest.param(log_with("--duration", "1.5"), "duration", id="duration-fraction"),
    pytest.param(
        log_with("--interviewer", "Jane <jane@nowhere>"), "interviewer", id="email-no-tld"
    ),
    pytest.param(log_with("--interviewer", "jane@@example.com"), "interviewer", id="email-two-at"),
    pytest.param(
        log_with("--interviewer", "Jane <jane@example.com"), "interviewer", id="email-open"
    ),
    pytest.param(log_with("--interviewer", "Jane > Joe"), "interviewer", id="person-angle"),
    pytest.param(log_with("--interviewer", " "), "interviewer", id="person-blank"),
    pytest.param(
        log_with("--interviewer", "Jane <ja\x1bne@example.com>"), "interviewer", id="email-control"
    ),
    pytest.param(log_with("--contact", "Bob <bob@x>"), "contact", id="contact-email"),
    pytest.param(
        log_with("--contact", "bob at example.com <>"), "contact", id="contact-empty-email"
    ),
    pytest.param(log_with("--phone", "call me maybe"), "phone", id="phone-words"),
    pytest.param(log_with("--phone", "12"), "phone", id="phone-short"),
    pytest.param(log_with("--posting-url", "ftp://example.com/job"), "posting-url", id="url-ftp"),
    pytest.param(log_with("--posting-url", "http://exa mple.com"), "posting-url", id="url-space"),
    pytest.param(log_with("--posting-url", "javascript:alert(1)"), "posting-url", id="url-js"),
    pytest.param(log_with("--decision-by", "2027-11-10"), "decision-by", id="decision-before"),
    pytest.param(log_with("--decision-by", "someday"), "decision-by", id="decision-words"),
    pytest.param(log_with("--decision-by", "2027-02-30"), "decision-by", id="decision-feb-30"),
    pytest.param(log_with("--decision-by", "30.02.2027"), "decision-by", id="decision-dmy-feb-30"),
    pytest.param(["show", "99999999999999999999999"], "id", id="show-huge-id"),
    pytest.param(["move", "-1", "follow-up", "monday"], "id", id="move-negative-id"),
    pytest.param(["history", "99999999999999999999999"], "id", id="history-huge-id"),
    pytest.param(["delete", "99999999999999999999999", "--yes"], "id", id="delete-huge-id"),
    pytest.param(log_with("--decision-by", "03/12/2027"), "decision-by", id="decision-two-ways"),
    pytest.param(log_with("--notes", "a\x00b"), "notes", id="notes-nul"),
    pytest.param(log_with("--notes", "x\udcff y"), "notes", id="notes-not-utf8"),
    pytest.param(log_with("--role", "Dev\x07"), "role", id="role-bell"),
    pytest.param(
        ["log", "--company", "\x1b[31mRed", "--at", "2027-11-15 10:00"],
        "company",
        id="company-escape",
    ),
    pytest.param(log_with("--channel", "fax"), "--channel", id="channel-fax"),
    pytest.param(["log", "--company", "Acme"], "--at", id="at-missing"),
    # edit
    pytest.param(["edit", "1", "--duration", "3"], "duration", id="edit-duration"),
    pytest.param(["edit", "99", "--role", "X"], "id", id="edit-unknown-id"),
    pytest.param(
        ["edit", "2", "--at", "2027-12-24 10:00"], "decision-by", id="edit-after-decision"
    ),
    pytest.param(["edit", "1", "--tz", "Nowhere"], "tz", id="edit-tz"),
    pytest.param(["edit", "1", "--company", ""], "company", id="edit-empty-company"),
    pytest.param(["edit", "one", "--role", "X"], "ID", id="edit-id-not-a-number"),
    # status
    pytest.param(["status", "1", "hired"], "status", id="status-unknown"),
    pytest.param(["status", "1", ""], "status", id="status-empty"),
    pytest.param(["status", "99", "heard"], "id", id="status-unknown-id"),
    # promise
    pytest.param(["promise", "1", "2027-11-01"], "decision-by", id="promise-before-interview"),
    pytest.param(["promise", "1", "whenever"], "date", id="promise-words"),
    pytest.param(["promise", "99", "2028-01-01"], "id", id="promise-unknown-id"),
    # done
    pytest.param(["done", "1", "thanks"], "kind", id="done-unknown-kind"),
    pytest.param(["done", "1", "stay-in-touch"], "kind", id="done-absent-kind"),
    pytest.param(["done", "1", "thank-you", "--who", "Nobody"], "who", id="done-unknown-who"),
    pytest.param(["done", "99", "thank-you"], "id", id="done-unknown-id"),
    # config
    pytest.param(["config", "set", "no_such_key", "1"], "key", id="config-unknown-key"),
    pytest.param(["config", "get", "no_such_key"], "key", id="config-get-unknown-key"),
    pytest.param(["config", "set", "country", "XX"], "country", id="country-unknown"),
    pytest.param(["config", "set", "country", "Narnia"], "country", id="country-name"),
    pytest.param(["config", "set", "subdivision", "ZZ"], "subdivision", id="subdivision-unknown"),
    pytest.param(["config", "set", "check_ins", "11"], "check_ins", id="check-ins-11"),
    pytest.param(["config", "set", "check_ins", "two"], "check_ins", id="check-ins-words"),
    pytest.param(["config", "set", "follow_up_time", "25:00"], "follow_up_time", id="time-25"),
    pytest.param(["config", "set", "follow_up_time", "10am"], "follow_up_time", id="time-am"),
    pytest.param(
        ["config", "set", "revised_follow_up_time", "15"], "revised_follow_up_time", id="time-hour"
    ),
    pytest.param(
        ["config", "set", "thank_you_after", "soon"], "thank_you_after", id="minutes-words"
    ),
    pytest.param(["config", "set", "thank_you_within", ""], "thank_you_within", id="minutes-empty"),
    pytest.param(["config", "set", "alarm_minutes", "99999"], "alarm_minutes", id="alarm-huge"),
    pytest.param(["config", "set", "timezone", "Nowhere/City"], "timezone", id="config-tz"),
    pytest.param(
        ["config", "set", "no_date_wait_business_days", "0"],
        "no_date_wait_business_days",
        id="wait-0",
    ),
    pytest.param(["config", "set", "caldav.url", "http://a\nb"], "caldav.url", id="config-newline"),
    # log --from-invite
    pytest.param(
        ["log", "--from-invite", "/nonexistent/x.ics"], "from-invite", id="invite-missing"
    ),
    pytest.param(["log", "--from-invite", BAD / "ambiguous.csv"], "from-invite", id="invite-csv"),
    pytest.param(
        ["log", "--from-invite", BAD / "gmail-organizer.ics"], "company", id="invite-gmail"
    ),
    pytest.param(["log", "--from-invite", BAD / "all-day.ics"], "at", id="invite-all-day"),
    pytest.param(
        ["log", "--from-invite", BAD / "cancelled.ics"], "from-invite", id="invite-cancel"
    ),
    pytest.param(["log", "--from-invite", BAD / "two-events.ics"], "from-invite", id="invite-two"),
    pytest.param(["log", "--from-invite", BAD / "too-long.ics"], "duration", id="invite-two-days"),
    pytest.param(["log", "--from-invite", GOOGLE, "--tz", "Mars/Base"], "tz", id="invite-flag-tz"),
    pytest.param(
        ["log", "--from-invite", GOOGLE, "--duration", "3"], "duration", id="invite-flag-duration"
    ),
    pytest.param(["log", "--company", "Acme", "--at", "03/04/2027 10:00"], "at", id="at-ambiguous"),
    pytest.param(["log", "--company", "Acme", "--at", "15.11.2027"], "at", id="at-no-time"),
    # config keys of invitations and spreadsheets
    pytest.param(["config", "set", "me", "me at example.com"], "me", id="config-me"),
    pytest.param(["config", "set", "date_order", "YMD"], "date_order", id="config-date-order"),
    # Found living with it: settings that contradict each other, negative and huge
    # numbers, clock times that do not exist, places that cannot be written.
    pytest.param(["config", "set", "thank_you_within", "0"], "thank_you_within", id="within-0"),
    pytest.param(
        ["config", "set", "thank_you_after", "25h"], "thank_you_after", id="after-past-within"
    ),
    pytest.param(["config", "set", "alarm_minutes", "-5"], "alarm_minutes", id="alarm-negative"),
    pytest.param(["config", "set", "check_ins", "-1"], "check_ins", id="check-ins-negative"),
    pytest.param(["status", "-1", "rejected"], "id", id="status-negative-id"),
    pytest.param(["status", "99999999999999999999999", "rejected"], "id", id="status-huge-id"),
    pytest.param(["done", "-3", "check-in"], "id", id="done-negative-id"),
    pytest.param(["plan", "99999999999999999999999"], "id", id="plan-huge-id"),
    pytest.param(["promise", "0", "2028-01-01"], "id", id="promise-id-0"),
    pytest.param(
        ["log", "--company", "Acme", "--at", "2027-03-14 02:30", "--tz", "America/New_York"],
        "at",
        id="at-in-the-spring-gap",
    ),
    pytest.param(["edit", "1", "--at", "2028-03-12 02:15"], "at", id="edit-at-in-the-gap"),
    pytest.param(["export", "-o", "/nonexistent/x.ics"], "output", id="export-no-folder"),
    pytest.param(log_with("--country", "XX"), "country", id="log-country-unknown"),
    pytest.param(["edit", "1", "--subdivision", "ZZ"], "subdivision", id="edit-subdivision"),
    pytest.param(
        ["edit", "1", "--remove-interviewer", "Nobody"],
        "remove-interviewer",
        id="edit-remove-stranger",
    ),
    pytest.param(
        ["edit", "1", "--add-interviewer", "Bob <bob@x>"], "add-interviewer", id="edit-add-bad"
    ),
    # delete
    pytest.param(["delete", "1"], "--yes", id="delete-without-yes"),
    pytest.param(["delete", "99", "--yes"], "id", id="delete-unknown-id"),
    pytest.param(["delete", "one", "--yes"], "ID", id="delete-id-not-a-number"),
    # move
    pytest.param(["move", "1", "follow-up", "2020-01-06 10:00"], "when", id="move-past"),
    pytest.param(["move", "1", "follow-up", "someday"], "when", id="move-words"),
    pytest.param(["move", "1", "follow-up", "tomorrow 25:00"], "when", id="move-hour-25"),
    pytest.param(["move", "1", "follow-up", "2027-02-30 10:00"], "when", id="move-feb-30"),
    pytest.param(["move", "1", "follow-up", ""], "when", id="move-empty"),
    pytest.param(["move", "2", "decision-day", "2027-12-27 10:00"], "when", id="move-all-day-time"),
    pytest.param(["move", "2", "move-on", "2020-01-06"], "when", id="move-all-day-past"),
    pytest.param(["move", "1", "thanks", "tomorrow"], "kind", id="move-unknown-kind"),
    pytest.param(["move", "1", "withdraw", "tomorrow"], "kind", id="move-absent-kind"),
    pytest.param(["move", "1", "thank-you", "tomorrow", "--who", "Nobody"], "who", id="move-who"),
    pytest.param(["move", "99", "follow-up", "tomorrow"], "id", id="move-unknown-id"),
    pytest.param(["move", "1", "follow-up"], "WHEN", id="move-no-when"),
    # show, history, list
    pytest.param(["show", "99"], "id", id="show-unknown-id"),
    pytest.param(["show", "x"], "ID", id="show-id-not-a-number"),
    pytest.param(["history", "99"], "id", id="history-unknown-id"),
    pytest.param(["list", "--status", "hired"], "status", id="list-unknown-status"),
    # files and ranges
    pytest.param(["import", "/nonexistent/interviews.csv"], "file", id="import-missing"),
    pytest.param(
        ["import", BAD / "ambiguous.csv"], "ambiguous.csv line 2", id="import-ambiguous-date"
    ),
    pytest.param(["import", BAD / "no-known-column.csv"], "file", id="import-no-known-column"),
    pytest.param(["import", BAD / "scan.pdf"], "file", id="import-pdf"),
    pytest.param(
        ["import", BAD / "unquoted-separator.csv"],
        "file",
        id="import-unquoted-separator",
    ),
    pytest.param(["import", BAD / "all-day.ics"], "all-day.ics event 1", id="import-all-day"),
    pytest.param(
        ["import", BAD / "gmail-organizer.ics"], "gmail-organizer.ics event 1", id="import-gmail"
    ),
    pytest.param(["import", BAD / "cancelled.ics"], "cancelled.ics event 1", id="import-cancel"),
    pytest.param(["import", GOOGLE, "--tz", "Nowhere"], "tz", id="import-tz"),
    pytest.param(["agenda", "--days", "400"], "--days", id="agenda-days"),
]


def assert_one_line_naming(err: str, field: str) -> None:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1 and err.endswith("\n"), err
    line = lines[0]
    assert line.startswith("followup: error: "), line
    assert f"error: {field}: " in line or f"'{field}'" in line, line


@pytest.mark.parametrize(("args", "field"), CASES)
def test_bad_input(populated: Cli, args: list[str], field: str) -> None:
    before = snapshot(populated.home)
    assert {"followup.sqlite3", "config.toml"} <= set(before)
    result = populated(*args)
    assert result.code == 2, result
    assert_one_line_naming(result.err, field)
    assert result.out == ""
    assert snapshot(populated.home) == before


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40


# --- broken files in the data folder ---


def bad_toml(home: Path) -> None:
    (home / "config.toml").write_text('country = "US\ntimezone = 3\n', encoding="utf-8")


def unknown_key(home: Path) -> None:
    (home / "config.toml").write_text('colour = "blue"\n', encoding="utf-8")


def bad_value(home: Path) -> None:
    (home / "config.toml").write_text('check_ins = "many"\n', encoding="utf-8")


def unknown_country(home: Path) -> None:
    # Written by hand, so `config set` never checked it: found when the plan is made.
    (home / "config.toml").write_text('country = "QQ"\ntimezone = "UTC"\n', encoding="utf-8")


def corrupt_database(home: Path) -> None:
    (home / "followup.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\x07garbage" * 512)


def random_database(home: Path) -> None:
    (home / "followup.sqlite3").write_bytes(os.urandom(8192))


@pytest.mark.parametrize(
    ("breakage", "args", "code", "field"),
    [
        (bad_toml, ["status", "1", "heard"], 2, "config"),
        (bad_toml, ["config", "set", "country", "US"], 2, "config"),
        (bad_toml, LOG, 2, "config"),
        (unknown_key, ["refresh"], 2, "config"),
        (bad_value, ["export"], 2, "check_ins"),
        (unknown_country, LOG, 2, "country"),
        (corrupt_database, ["list"], 1, "database"),
        (corrupt_database, LOG, 1, "database"),
        (random_database, ["export"], 1, "database"),
    ],
)
def test_broken_files(
    populated: Cli,
    breakage: Callable[[Path], None],
    args: list[str],
    code: int,
    field: str,
) -> None:
    breakage(populated.home)
    before = snapshot(populated.home)
    result = populated(*args)
    assert result.code == code, result
    assert "Traceback" not in result.err
    assert len(result.err.splitlines()) == 1, result.err
    assert re.search(rf"error: (the )?{field}\b", result.err), result.err
    assert snapshot(populated.home) == before


def test_environment_override_is_checked(populated: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOLLOWUP_CHECK_INS", "lots")
    before = snapshot(populated.home)
    result = populated("refresh")
    assert result.code == 2
    assert_one_line_naming(result.err, "check_ins")
    assert snapshot(populated.home) == before


@pytest.mark.parametrize("args", [["list"], ["agenda"], ["plan"]])
def test_showing_what_is_stored_does_not_need_the_config(populated: Cli, args: list[str]) -> None:
    """Commands that only show the database never read config.toml, so a broken file
    does not hide your interviews; every command that uses a setting still refuses it."""
    bad_toml(populated.home)
    result = populated(*args)
    assert result.code == 0, result
    assert result.out.strip()
    assert populated("status", "1", "heard").code == 2


# --- the same through the installed script ---


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (log_with("--tz", "Mars/Olympus_Mons"), "tz"),
        (["status", "1", "hired"], "status"),
        (["config", "set", "country", "XX"], "country"),
        (["done", "1", "thank-you", "--who", "Nobody"], "who"),
    ],
)
def test_bad_input_in_a_child_process(populated: Cli, args: list[str], field: str) -> None:
    before = snapshot(populated.home)
    result = run_followup(*args)
    assert result.returncode == 2
    assert_one_line_naming(result.stderr, field)
    assert result.stdout == ""
    assert snapshot(populated.home) == before


def test_bytes_that_are_not_utf8_are_refused(populated: Cli) -> None:
    """A terminal in Latin-1 passes bytes that are not UTF-8: refuse them, do not crash."""
    before = snapshot(populated.home)
    result = subprocess.run(
        [FOLLOWUP_BIN, "log", "--company", b"M\xfcller", "--at", "2027-11-15 10:00"],
        capture_output=True,
        env=dict(os.environ),
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert_one_line_naming(result.stderr.decode("utf-8", "replace"), "company")
    assert snapshot(populated.home) == before


def test_config_value_that_is_not_utf8_is_refused(populated: Cli) -> None:
    before = snapshot(populated.home)
    result = populated("config", "set", "caldav.url", "http://m\udcfcller.example")
    assert result.code == 2
    assert_one_line_naming(result.err, "caldav.url")
    assert snapshot(populated.home) == before


def test_failed_log_in_an_empty_home_writes_nothing(cli: Cli) -> None:
    result = cli("log", "--company", "Acme", "--at", "2027-11-15 25:00")
    assert result.code == 2
    assert snapshot(cli.home) == {}


def test_config_set_that_cannot_recompute_stores_nothing(populated: Cli) -> None:
    unknown_country(populated.home)
    before = snapshot(populated.home)
    result = populated("config", "set", "check_ins", "3")
    assert result.code == 2
    assert_one_line_naming(result.err, "country")
    assert snapshot(populated.home) == before


def _without_root_powers(args: list[str]) -> list[str]:
    """Root ignores file modes; drop the capabilities that let it, so modes apply."""
    if os.geteuid() != 0:
        return args
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", *args]


def test_contradicting_settings_name_both(populated: Cli) -> None:
    result = populated("config", "set", "thank_you_within", "0")
    assert "thank_you_after" in result.err and "thank_you_within" in result.err


def _run_in_read_only_home(home: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    """`followup ARGS` on a data folder nobody may write to; the folder must not change."""
    files = [p for p in home.iterdir() if p.is_file()]
    for path in files:
        path.chmod(0o400)
    home.chmod(0o500)
    try:
        before = snapshot(home)
        env = {**os.environ, "FOLLOWUP_HOME": str(home)}
        done = subprocess.run(
            _without_root_powers([str(FOLLOWUP_BIN), *args]),
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert snapshot(home) == before
        return done
    finally:
        home.chmod(0o700)
        for path in files:
            path.chmod(0o600)


@pytest.mark.parametrize("args", [["list"], ["plan"], ["agenda"], ["export", "-o", "-"]])
def test_reading_commands_work_on_a_read_only_data_directory(
    populated: Cli, args: list[str]
) -> None:
    done = _run_in_read_only_home(populated.home, args)
    assert done.returncode == 0, done.stderr
    assert (
        "Northwind" in done.stdout
        or "BEGIN:VCALENDAR" in done.stdout
        or "Due" in done.stdout
        or "Nothing due" in done.stdout
    )


@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_config_set_on_a_config_that_cannot_be_written(populated: Cli, read_only: str) -> None:
    home = populated.home
    config = home / "config.toml"
    target = config if read_only == "file" else home
    config.chmod(0o400)
    if read_only == "folder":
        home.chmod(0o500)
    try:
        before = snapshot(home)
        env = {**os.environ, "FOLLOWUP_HOME": str(home)}
        done = subprocess.run(
            _without_root_powers([str(FOLLOWUP_BIN), "config", "set", "check_ins", "3"]),
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert done.returncode == 1, done
        lines = done.stderr.splitlines()
        assert len(lines) == 1 and "cannot write the config file" in lines[0], lines
        assert "Traceback" not in done.stderr
        assert snapshot(home) == before
    finally:
        home.chmod(0o700)
        config.chmod(0o600)
        assert target.exists()


@pytest.mark.parametrize("args", [["status", "1", "heard"], LOG])
def test_read_only_data_directory(populated: Cli, args: list[str]) -> None:
    done = _run_in_read_only_home(populated.home, args)
    assert done.returncode == 1, done
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert (
        len(lines) == 1 and "cannot write the database" in lines[0] and "permissions" in lines[0]
    ), lines
