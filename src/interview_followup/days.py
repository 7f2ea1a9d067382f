"""Business days: weekdays that are not public holidays of the configured country."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache

from .errors import InputError


@lru_cache(maxsize=32)
def _holiday_dates(country: str, subdivision: str, year: int) -> frozenset[date]:
    import holidays  # imported here: loading the country tables is not free

    try:
        table = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    except NotImplementedError:
        raise InputError(
            "country", f"{country!r} is not a country the holidays package knows"
        ) from None
    return frozenset(table.keys())


def validate_region(country: str, subdivision: str) -> None:
    """Raise InputError unless ``holidays`` knows this country and subdivision."""
    if not country:
        if subdivision:
            raise InputError("subdivision", "set a country first")
        return
    import holidays

    supported = holidays.list_supported_countries()
    if country not in supported:
        raise InputError(
            "country",
            f"{country!r} is not a country code the holidays package knows (e.g. US, GB, DE)",
        )
    if subdivision and subdivision not in supported[country]:
        raise InputError(
            "subdivision",
            f"{subdivision!r} is not a subdivision of {country} the holidays package knows",
        )


class BusinessDays:
    """Monday to Friday, minus the holidays of ``country`` (none when it is empty)."""

    def __init__(self, country: str = "", subdivision: str = "") -> None:
        self.country = country
        self.subdivision = subdivision
        self._is_holiday: Callable[[date], bool] = self._lookup if country else (lambda _day: False)

    def _lookup(self, day: date) -> bool:
        return day in _holiday_dates(self.country, self.subdivision, day.year)

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self._is_holiday(day)

    def next_bd(self, day: date) -> date:
        """The first business day strictly after ``day``."""
        day += timedelta(days=1)
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return day

    def on_or_after(self, day: date) -> date:
        return day if self.is_business_day(day) else self.next_bd(day)

    def add(self, day: date, count: int) -> date:
        """The ``count``-th business day strictly after ``day``."""
        for _ in range(count):
            day = self.next_bd(day)
        return day
