"""Calendars we push to, each behind the small protocol in ``base``."""
