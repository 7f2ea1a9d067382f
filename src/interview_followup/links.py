"""One-click links for a step: a mailto: that opens its draft, a tel: that dials. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote

_DRAFT = "\n\nDraft:\n"
_AFTER_DRAFT = "\n\nYour notes:"


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
