"""Each interview keeps the holidays of its employer's country: given with --country,
else the country of its time zone, else the configured one."""

from __future__ import annotations

import pytest
from conftest import Cli, add_business_days, one

from interview_followup import regions


def test_zone_countries_come_from_the_tz_database() -> None:
    assert regions.zone_country("Europe/Berlin") == "DE"
    assert regions.zone_country("America/New_York") == "US"
    assert regions.zone_country("Asia/Tokyo") == "JP"
    assert regions.zone_country("UTC") == ""
    assert regions.zone_country("No/Such_Zone") == ""


def test_a_berlin_interview_keeps_german_holidays_under_country_us(us_cli: Cli) -> None:
    # Interview Mon 2027-03-15: ten business days in Germany skip Good Friday 03-26
    # and Easter Monday 03-29; US holidays do not count.
    berlin = us_cli.log(
        "--company", "Muster GmbH", "--at", "2027-03-15 10:00", "--tz", "Europe/Berlin"
    )
    follow = one(us_cli.plan(berlin), "follow-up")
    assert follow["start"] == "2027-03-31T10:00:00+02:00"
    assert [h["name"] for h in follow["skipped_holidays"]] == ["Good Friday", "Easter Monday"]
    assert {h["region"] for h in follow["skipped_holidays"]} == {"DE"}
    assert "Good Friday (Fri 26 Mar 2027)" in follow["description"]
    listed = {i["id"]: i for i in us_cli.json("list")}
    assert (listed[berlin]["country"], listed[berlin]["holidays"]) == ("", "DE")
    assert "DE" in us_cli.ok("list").out


@pytest.mark.parametrize("tz", ["Europe/London", "Europe/Berlin"])
def test_european_follow_ups_do_not_skip_thanksgiving(us_cli: Cli, tz: str) -> None:
    interview = us_cli.log("--company", "Euro Ltd", "--at", "2027-11-15 10:00", "--tz", tz)
    assert one(us_cli.plan(interview), "follow-up")["start"].startswith("2027-11-29T10:00")
    ny = us_cli.log("--company", "NY Inc", "--at", "2027-11-15 10:00")
    follow = one(us_cli.plan(ny), "follow-up")
    assert follow["start"].startswith("2027-11-30T10:00")
    assert [h["name"] for h in follow["skipped_holidays"]] == ["Thanksgiving Day"]


def test_country_and_subdivision_flags_win_and_the_subdivision_setting_stays_home(
    cli: Cli,
) -> None:
    cli.ok("config", "set", "country", "DE")
    cli.ok("config", "set", "subdivision", "BY")
    # Epiphany, Thu 2028-01-06, is a holiday in Bavaria only.
    munich = cli.log(
        "--company",
        "A",
        "--at",
        "2028-01-03 10:00",
        "--tz",
        "Europe/Berlin",
        "--decision-by",
        "2028-01-05",
    )
    assert one(cli.plan(munich), "follow-up")["start"] == "2028-01-07T10:00:00+01:00"
    # A US interview does not take Bavaria's subdivision; Wyoming is its own.
    us = cli.log("--company", "B", "--at", "2028-01-03 10:00", "--tz", "America/Denver")
    assert cli.json("list")[-1]["holidays"] == "US"
    cli.ok("edit", us, "--subdivision", "ca")
    assert {i["id"]: i["holidays"] for i in cli.json("list")}[us] == "US-CA"
    # --country names another country outright: an interview in Berlin for Vienna.
    vienna = cli.log(
        "--company", "C", "--at", "2028-01-03 10:00", "--tz", "Europe/Berlin",
        "--country", "at", "--decision-by", "2028-01-05",
    )  # fmt: skip
    assert (
        one(cli.plan(vienna), "follow-up")["start"] == "2028-01-07T10:00:00+01:00"
    )  # Epiphany in AT
    cli.ok("edit", vienna, "--country", "GB")
    assert one(cli.plan(vienna), "follow-up")["start"] == "2028-01-06T10:00:00+01:00"


def test_import_takes_country_columns(cli: Cli, tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    path = tmp_path / "rows.csv"
    path.write_text(
        "company,at,tz,country,subdivision\nA,2027-11-15 10:00,UTC,US,\nB,2027-11-15 10:00,UTC,,\n",
        encoding="utf-8",
    )
    cli.ok("import", str(path))
    listed = {i["company"]: i for i in cli.json("list")}
    assert (listed["A"]["country"], listed["A"]["holidays"]) == ("US", "US")
    assert listed["B"]["holidays"] == ""
    days = [one(cli.plan(listed[c]["id"]), "follow-up")["start"][:10] for c in "AB"]
    assert days == ["2027-11-30", "2027-11-29"]
    assert (
        add_business_days(__import__("datetime").date(2027, 11, 15), 10, "US").isoformat()
        == days[0]
    )


@pytest.mark.parametrize(
    ("args", "field"),
    [(["--country", "XX"], "country"), (["--tz", "UTC", "--subdivision", "ZZ"], "subdivision")],
)
def test_unknown_regions_are_refused(us_cli: Cli, args: list[str], field: str) -> None:
    result = us_cli("log", "--company", "A", "--at", "2027-11-15 10:00", *args)
    assert result.code == 2 and f"error: {field}: " in result.err
