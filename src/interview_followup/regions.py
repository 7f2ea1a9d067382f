"""Whose public holidays count for an interview.

The interview's own `--country` (and `--subdivision`) when given; else the country the
tz database ties its time zone to, when it names exactly one; else the configured
`country`. The configured `subdivision` applies only to interviews in that country:
the employer's office keeps its own holidays.
"""

from __future__ import annotations

import os
from functools import lru_cache

from .config import Settings
from .model import Interview


def _tab_folders() -> list[str]:
    """Where zone.tab may be: the folders zoneinfo reads, then the tzdata package's."""
    import zoneinfo

    folders = list(zoneinfo.TZPATH)
    try:
        import importlib.util

        spec = importlib.util.find_spec("tzdata")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.origin:
        folders.append(os.path.join(os.path.dirname(spec.origin), "zoneinfo"))
    return folders


def _read_tab(path: str) -> dict[str, list[str]]:
    """{zone: [country codes]} from a zone.tab-style file; {} when it cannot be read."""
    found: dict[str, list[str]] = {}
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("#"):
                    continue
                fields = line.rstrip("\n").split("\t")
                if len(fields) >= 3:
                    found[fields[2]] = fields[0].split(",")
    except (OSError, UnicodeDecodeError):
        return {}
    return found


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    """Each zone the tz database ties to one country. zone.tab names one country per
    zone; zone1970.tab may name several, and then says nothing we can use."""
    for folder in _tab_folders():
        single = _read_tab(os.path.join(folder, "zone.tab"))
        shared = _read_tab(os.path.join(folder, "zone1970.tab"))
        if not single and not shared:
            continue
        countries = {z: codes[0] for z, codes in shared.items() if len(codes) == 1}
        countries.update({z: codes[0] for z, codes in single.items() if len(codes) == 1})
        return countries
    return {}


def zone_country(tz: str) -> str:
    """The country of an IANA zone, e.g. DE for Europe/Berlin; '' when none or several."""
    return _zone_countries().get(tz, "")


def region_for(interview: Interview, settings: Settings) -> tuple[str, str]:
    """The (country, subdivision) whose holidays count for ``interview``."""
    from .days import knows_country

    country = interview.country
    if not country:
        country = zone_country(interview.tz)
        if country and not knows_country(country):
            country = ""  # a territory the holidays package does not cover
        country = country or settings.country
    subdivision = interview.subdivision
    if not subdivision and country == settings.country:
        subdivision = settings.subdivision
    return country, subdivision
