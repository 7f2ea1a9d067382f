"""The live subscription feed: a WSGI app (``interview_followup.feed:create_app``), its
content cache, the secret token, the record of clients, and a small server."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from interview_followup.feed.app import FeedApp


def create_app(*args: Any, **kwargs: Any) -> FeedApp:
    """The WSGI application, for gunicorn, waitress or any WSGI server."""
    from interview_followup.feed.app import create_app as build

    return build(*args, **kwargs)
