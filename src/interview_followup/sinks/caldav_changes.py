"""What changed in a CalDAV calendar since a sync token (RFC 6578 sync-collection).

Asked once after a run's writes: when every change since the token read before
writing is one the run itself recorded, the new token may stand for the calendar as
we know it, and the next unchanged sync needs one request instead of a full listing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape

DAV = "{DAV:}"


def request_body(token: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<d:sync-collection xmlns:d="DAV:">'
        f"<d:sync-token>{escape(token)}</d:sync-token><d:sync-level>1</d:sync-level>"
        "<d:prop><d:getetag/></d:prop></d:sync-collection>"
    )


def _path(href: str) -> str:
    return unquote(urlsplit(href).path)


def token_if_ours(tree: ET.Element, collection: str, ours: Mapping[str, str | None]) -> str | None:
    """The new sync token when each change in the answer ``tree`` is in ``ours`` (item
    path -> the ETag we recorded, None for an item we deleted); else None.

    Anything else (an item we do not know, another ETag, a deletion we did not make, an
    answer cut short) means a change we have not seen: the old token must stay.
    """
    token = (tree.findtext(f"{DAV}sync-token") or "").strip()
    if not token:
        return None
    known = {_path(path): etag for path, etag in ours.items()}
    for response in tree.findall(f"{DAV}response"):
        path = _path(response.findtext(f"{DAV}href") or "")
        status = response.findtext(f"{DAV}status") or ""
        if path.rstrip("/") == _path(collection).rstrip("/"):
            return None  # about the collection itself: 507, the answer was cut short
        if path not in known:
            return None
        if " 404" in status:  # deleted since the token
            if known[path] is not None:
                return None
            continue
        etag = response.findtext(f".//{DAV}getetag")
        if etag is None or known[path] is None or etag.strip() != known[path]:
            return None
    return token
