"""One-click links for a step: a mailto: that opens its draft, a tel: that dials. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence

# RFC 3986 unreserved characters never need escaping.
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

_DRAFT = "\n\nDraft:\n"
_AFTER_DRAFT = "\n\nYour notes:"


def quote(text: str, safe: str = "") -> str:
    """Percent-encode ``text`` as UTF-8, leaving unreserved characters and ``safe``
    (urllib.parse.quote's rule; urllib itself is no import for the pure rules)."""
    keep = _UNRESERVED | frozenset(safe)
    return "".join(
        char if char in keep else "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))
        for char in text
    )


def draft_of(description: str) -> str:
    """The draft message in a step's text: what follows 'Draft:', up to the notes."""
    at = description.find(_DRAFT)
    if at < 0:
        return ""
    body = description[at + len(_DRAFT) :]
    return body.split(_AFTER_DRAFT, 1)[0].strip()


def mailto(to: Sequence[str], subject: str, body: str) -> str:
    """RFC 6068: addresses, then subject and body, percent-encoded, CRLF line breaks."""
    addresses = ",".join(quote(address, safe="@!$'()*+;=") for address in to)
    fields = [f"subject={quote(subject, safe='')}"]
    if body:
        fields.append(f"body={quote(body.replace(chr(10), chr(13) + chr(10)), safe='')}")
    return f"mailto:{addresses}?{'&'.join(fields)}"


def tel(number: str) -> str:
    """RFC 3966: '+1 (555) 010-2030 ext. 12' -> 'tel:+15550102030;ext=12'."""
    match = re.match(r"^(.*?)\s*(?:x|ext\.?)\s*(\d+)$", number.strip(), re.IGNORECASE)
    main, extension = (match[1], match[2]) if match else (number, "")
    digits = re.sub(r"[^\d+]", "", main)
    return f"tel:{digits};ext={extension}" if extension else f"tel:{digits}"
