"""The secret in the feed URL: created once, kept in the data folder at mode 0600.

Whoever knows the URL can read the feed, so the token is the only lock: 256 random
bits, compared in constant time, replaced atomically by ``rotate`` so a running server
refuses the old one on its next request.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import re
import secrets
import socket
import threading
from pathlib import Path

from interview_followup import paths
from interview_followup.errors import FollowupError
from interview_followup.feed.watch import FileWatch

TOKEN_BYTES = 32  # 256 bits; the issue asks for at least 128
_VALID = re.compile(r"[A-Za-z0-9_-]{22,128}")


def token_path() -> Path:
    return Path(paths.feed_token_path())


def _new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def _write_temp(path: Path, token: str) -> Path:
    """A complete private copy next to ``path``, named uniquely so writers never collide."""
    try:
        paths.ensure_private_dir(path.parent)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(token + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        raise FollowupError(f"cannot write the feed token {path}: {error.strerror}") from None
    return tmp


def _install(tmp: Path, path: Path, *, replace: bool) -> None:
    try:
        if replace:
            os.replace(tmp, path)
        else:
            # link() fails when the file exists: of two processes creating it, one wins
            # and both then read the same token.
            os.link(tmp, path)
    except FileExistsError:
        pass
    except OSError as error:
        raise FollowupError(f"cannot write the feed token {path}: {error.strerror}") from None
    finally:
        tmp.unlink(missing_ok=True)


def _parse(path: Path, text: str) -> str:
    token = text.strip()
    if not _VALID.fullmatch(token):
        raise FollowupError(f"the feed token in {path} is damaged; run: followup feed rotate")
    return token


def read_token(path: Path | None = None) -> str | None:
    """The current token, or None when none was issued yet."""
    path = path or token_path()
    try:
        return _parse(path, path.read_text(encoding="ascii", errors="replace"))
    except FileNotFoundError:
        return None
    except OSError as error:
        raise FollowupError(f"cannot read the feed token {path}: {error.strerror}") from None


def load_or_create(path: Path | None = None) -> str:
    """The current token; the first call issues one."""
    path = path or token_path()
    found = read_token(path)
    if found is not None:
        return found
    _install(_write_temp(path, _new_token()), path, replace=False)
    return read_token(path) or ""


def rotate(path: Path | None = None) -> str:
    """Issue a new token; the old one stops working at once, also in a running server."""
    path = path or token_path()
    token = _new_token()
    _install(_write_temp(path, token), path, replace=True)
    return token


def matches(given: str, token: str) -> bool:
    """Constant time, so response timing does not reveal how much of a guess was right."""
    return hmac.compare_digest(given.encode(), token.encode())


class TokenSource:
    """The token as a long-running server sees it: re-read whenever the file changes,
    so a rotation applies from the next request on."""

    def __init__(self, path: Path | None = None) -> None:
        self._watch = FileWatch(path or token_path())
        self._lock = threading.Lock()
        self._token: str | None = None

    def current(self) -> str | None:
        """None when the file is missing or damaged: then no URL works."""
        with self._lock:
            changed, info = self._watch.look()
            if changed:
                self._token = None if info is None else self._read()
            return self._token

    def _read(self) -> str | None:
        try:
            return read_token(Path(self._watch.path))
        except FollowupError:
            return None


# --- the URL ---

FEED_PREFIX = "/feed/"
FEED_SUFFIX = ".ics"


def feed_path(token: str) -> str:
    return f"{FEED_PREFIX}{token}{FEED_SUFFIX}"


WILDCARDS = ("0.0.0.0", "::", "")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def display_host(host: str) -> str:
    """The host to put in a URL: a wildcard address is nothing to subscribe to."""
    if host in WILDCARDS:
        return socket.gethostname()
    return host


def _url_host(host: str) -> str:
    try:
        if ipaddress.ip_address(host).version == 6:
            return f"[{host}]"
    except ValueError:
        pass
    return host


def feed_url(host: str, port: int, token: str, base_url: str = "") -> str:
    """``http://HOST:PORT/feed/<token>.ics``, or under ``base_url`` behind a proxy."""
    if base_url:
        return base_url.rstrip("/") + feed_path(token)
    return f"http://{_url_host(host)}:{port}{feed_path(token)}"


def webcal_url(url: str) -> str:
    """The same address with the scheme that opens the desktop calendar app."""
    return "webcal://" + url.split("://", 1)[1]
