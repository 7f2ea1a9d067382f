"""Business days: weekdays that are not public holidays of an interview's country."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from functools import lru_cache

from .errors import InputError


@lru_cache(maxsize=64)
def _table(country: str, subdivision: str) -> Mapping[date, str]:
    """The holidays of one country (and subdivision), loaded once; its years fill in as
    they are asked for."""
    import holidays  # imported here: loading the country tables is not free

    try:
        return holidays.country_holidays(country, subdiv=subdivision or None)  # type: ignore[no-any-return]
    except NotImplementedError:
        raise InputError(
            "country", f"{country!r} is not a country the holidays package knows"
        ) from None


@lru_cache(maxsize=1)
def _supported() -> dict[str, list[str]]:
    import holidays

    return dict(holidays.list_supported_countries())


def knows_country(country: str) -> bool:
    return country in _supported()


def validate_region(country: str, subdivision: str) -> None:
    """Raise InputError unless ``holidays`` knows this country and subdivision."""
    if not country:
        if subdivision:
            raise InputError("subdivision", "set a country first")
        return
    supported = _supported()
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


def region_label(country: str, subdivision: str) -> str:
    """'US', 'US-CA', or '' when no country's holidays count."""
    return f"{country}-{subdivision}" if country and subdivision else country


@lru_cache(maxsize=64)
def business_days(country: str = "", subdivision: str = "") -> BusinessDays:
    """One BusinessDays per region, so its holiday table loads once."""
    return BusinessDays(country, subdivision)


class BusinessDays:
    """Monday to Friday, minus the holidays of ``country`` (none when it is empty)."""

    def __init__(self, country: str = "", subdivision: str = "") -> None:
        self.country = country
        self.subdivision = subdivision
        self.region = region_label(country, subdivision)
        self._is_holiday: Callable[[date], bool] = self._lookup if country else (lambda _day: False)

    def _lookup(self, day: date) -> bool:
        return day in _table(self.country, self.subdivision)

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

    def holidays_in(self, first: date, before: date) -> list[tuple[date, str]]:
        """The weekday holidays from ``first`` up to (not including) ``before``, named:
        the days a count of business days stepped over."""
        found = []
        day = first
        while day < before:
            if day.weekday() < 5 and self._is_holiday(day):
                found.append((day, str(_table(self.country, self.subdivision).get(day))))
            day += timedelta(days=1)
        return found
