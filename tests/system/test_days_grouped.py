"""`plan` and `agenda` group the steps by the user's own days."""

from __future__ import annotations

from conftest import Cli


def test_a_blank_line_parts_the_users_days(cli: Cli) -> None:
    cli.ok("config", "set", "timezone", "Europe/London")
    cli.log("--company", "Acme", "--at", "2027-03-02 10:00", "--tz", "America/New_York")
    rows = cli.ok("plan").out.splitlines()[2:]  # below the header and its rule
    previous_day, after_blank, starts = None, False, 0
    for row in rows:
        if not row.strip():
            after_blank = True
            continue
        day = row.split()[1]  # "Tue 2027-03-02 ..."
        new_day = previous_day is not None and day != previous_day
        assert after_blank == new_day, row
        starts += new_day
        previous_day, after_blank = day, False
    assert starts >= 3  # thank-you, follow-up, check-ins and move-on fall on several days
