"""The one duration syntax, shared by flags, imported files and settings."""

from __future__ import annotations

import pytest

from interview_followup import config
from interview_followup.errors import InputError
from interview_followup.parsing import parse_duration, parse_minutes


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("45", 45), ("90m", 90), ("90 min", 90), ("1h", 60), ("1h30m", 90), (" 2H ", 120)],
)
def test_every_duration_form(text: str, minutes: int) -> None:
    assert parse_minutes(text, "duration") == minutes
    assert parse_duration(text) == minutes
    assert config.lookup("thank_you_after").parse("thank_you_after", text) == minutes


@pytest.mark.parametrize("text", ["", "an hour", "1.5", "-30", "h", "1h 2h", "²"])
def test_what_is_not_a_duration_names_the_field(text: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_minutes(text, "thank_you_after")
    assert raised.value.message.startswith("thank_you_after")


def test_an_interview_lasts_from_five_minutes_to_a_day() -> None:
    assert parse_duration("24h") == 1440
    for text in ("4", "24h1m", "3000m"):
        with pytest.raises(InputError):
            parse_duration(text)
