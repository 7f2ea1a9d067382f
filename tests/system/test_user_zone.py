"""Steps are shown at the user's own time (the `timezone` setting), with the employer's
local time beside them when it differs; texts name the zone of each deadline."""

from __future__ import annotations

from conftest import Cli, one


def test_plan_rows_are_in_the_users_days_with_the_employers_time_beside(us_cli: Cli) -> None:
    sydney = us_cli.log(
        "--company", "Sydney Pty", "--at", "2027-12-06 10:00", "--tz", "Australia/Sydney",
        "--decision-by", "2027-12-14",
    )  # fmt: skip
    ny = us_cli.log(
        "--company", "New York Inc", "--at", "2027-12-06 10:00", "--decision-by", "2027-12-14"
    )
    rows = [line for line in us_cli.ok("plan").out.splitlines() if "follow-up" in line]
    assert rows[0].startswith("Tue 2027-12-14 18:00 EST (Wed 10:00 AEDT there)"), rows
    assert f" {sydney} " in rows[0]
    assert rows[1].startswith("Wed 2027-12-15 10:00 EST ") and "there" not in rows[1]
    assert f" {ny} " in rows[1]
    # An all-day step heads its own day: Sydney's decision day (Tue 14 Dec there) comes
    # before the evening follow-up of that day, though it began the afternoon before.
    lines = us_cli.ok("plan", sydney).out.splitlines()
    decision = next(i for i, line in enumerate(lines) if "decision-day" in line)
    follow = next(i for i, line in enumerate(lines) if "follow-up" in line)
    assert lines[decision].startswith("Tue 2027-12-14 all day") and decision < follow
    # JSON keeps each step in its own zone.
    assert one(us_cli.plan(sydney), "follow-up")["start"] == "2027-12-15T10:00:00+11:00"


def test_deadlines_in_texts_name_their_zone_and_the_users(us_cli: Cli) -> None:
    sydney = us_cli.log(
        "--company", "Sydney Pty", "--at", "2027-12-06 10:00", "--tz", "Australia/Sydney",
        "--interviewer", "Ann", "--decision-by", "2027-12-14",
    )  # fmt: skip
    events = us_cli.plan(sydney)
    thank = one(events, "thank-you")["description"]
    assert (
        "Send it by Tue 7 Dec 2027 at 11:00 AEDT (Mon 6 Dec 2027 at 19:00 EST your time)" in thank
    )
    decision = one(events, "decision-day")["description"]
    assert (
        "follow up on Wed 15 Dec 2027 at 10:00 AEDT (Tue 14 Dec 2027 at 18:00 EST your time)"
        in decision
    )
    home = us_cli.log("--company", "Home Co", "--at", "2027-12-06 10:00", "--interviewer", "Bo")
    assert "at 11:00 EST:" in one(us_cli.plan(home), "thank-you")["description"]


def test_reading_commands_use_the_zone_the_texts_were_written_for(us_cli: Cli) -> None:
    """`plan` does not read the config file; it takes the zone noted in the database."""
    us_cli.log("--company", "Tokyo KK", "--at", "2027-12-06 10:00", "--tz", "Asia/Tokyo")
    assert "EST (" in us_cli.ok("plan").out
    us_cli.ok("config", "set", "timezone", "Asia/Tokyo")
    out = us_cli.ok("plan").out
    assert "JST" in out and "EST" not in out and "there" not in out


def test_a_time_that_happens_twice_takes_the_first_and_says_so(us_cli: Cli) -> None:
    result = us_cli("log", "--company", "Acme", "--at", "2027-11-07 01:30", "--json")
    assert result.code == 0
    assert "happens twice" in result.err and "EDT" in result.err
    assert len(result.err.splitlines()) == 1
    thank = one(result.json()["events"], "thank-you")
    assert thank["start"] == "2027-11-07T09:00:00-05:00"


def test_a_time_the_clocks_skip_is_refused_naming_the_gap(us_cli: Cli) -> None:
    result = us_cli("log", "--company", "Acme", "--at", "2027-03-14 02:30")
    assert result.code == 2
    assert "does not exist in America/New_York" in result.err and "03:30" in result.err


def test_an_interview_far_in_the_past_or_future_gets_a_warning(us_cli: Cli) -> None:
    past = us_cli("log", "--company", "Acme", "--at", "2020-11-15 10:00")
    assert past.code == 0 and past.err.count("\n") == 1
    assert past.err.startswith("warning: ") and "more than 30 days ago" in past.err
    ahead = us_cli("log", "--company", "Acme", "--at", "2099-11-15 10:00")
    assert "more than a year ahead" in ahead.err
