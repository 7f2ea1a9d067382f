"""Google sign-in: the installed-app OAuth flow or a service account, stored 0600.

A sync never starts a browser: without a usable token it stops with one line
that says which command to run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from interview_followup import paths
from interview_followup.errors import InputError, RemoteError

# The narrowest pair that covers what a sync does: create its own calendar
# (calendar.app.created) and write events, also in a calendar the user picked with
# --calendar-id (calendar.events). Neither lets followup share, delete or re-set a
# calendar, and it never touches events it did not create.
SCOPES = [
    "https://www.googleapis.com/auth/calendar.app.created",
    "https://www.googleapis.com/auth/calendar.events",
]
ENDPOINT_VARIABLE = "FOLLOWUP_GOOGLE_API_ENDPOINT"
TOKEN_URI_VARIABLE = "FOLLOWUP_GOOGLE_TOKEN_URI"
GOOGLE_ROOT = "https://www.googleapis.com/"

LOGIN_TIMEOUT_SECONDS = 300
RELOGIN_HINT = "run: followup google login --client-secrets FILE"


def token_path() -> Path:
    return Path(paths.google_token_path())


def service_account_path() -> Path:
    return Path(paths.google_service_account_path())


def endpoint_root() -> str | None:
    """The base URL set by FOLLOWUP_GOOGLE_API_ENDPOINT (for tests and emulators), if any."""
    value = os.environ.get(ENDPOINT_VARIABLE, "").strip()
    if not value:
        return None
    value = value.split("/calendar/v3", 1)[0]
    return value.rstrip("/") + "/"


def login(client_secrets: str, open_browser: bool) -> Path:
    """Run the OAuth flow on a loopback redirect and save the token (0600)."""
    from google_auth_oauthlib.flow import InstalledAppFlow

    try:
        flow = InstalledAppFlow.from_client_secrets_file(client_secrets, scopes=SCOPES)
    except FileNotFoundError:
        raise InputError("client-secrets", f"{client_secrets} does not exist") from None
    except (ValueError, json.JSONDecodeError, KeyError) as error:
        raise InputError(
            "client-secrets",
            f"{client_secrets} is not an OAuth client file for a desktop app ({error})",
        ) from None
    from google_auth_oauthlib.flow import WSGITimeoutError
    from oauthlib.oauth2.rfc6749.errors import OAuth2Error

    message = "Open this address in a browser to let followup use your calendar:\n{url}"
    try:
        credentials = flow.run_local_server(
            host="127.0.0.1",
            port=0,
            open_browser=open_browser,
            authorization_prompt_message=message,
            timeout_seconds=LOGIN_TIMEOUT_SECONDS,
        )
    except WSGITimeoutError:
        raise RemoteError(
            "nobody completed the Google sign-in within 5 minutes; run the login again"
        ) from None
    except OAuth2Error as error:
        raise RemoteError(f"Google sign-in failed: {error.description or error.error}") from None
    paths.write_private_file(token_path(), credentials.to_json())
    service_account_path().unlink(missing_ok=True)
    return token_path()


def use_service_account(key_file: str) -> Path:
    """Keep a private copy of a service account key, checked for shape first."""
    try:
        text = Path(key_file).read_text(encoding="utf-8")
        data = json.loads(text)
    except FileNotFoundError:
        raise InputError("service-account", f"{key_file} does not exist") from None
    except (OSError, ValueError) as error:
        raise InputError("service-account", f"cannot read {key_file} as JSON ({error})") from None
    if (
        not isinstance(data, dict)
        or data.get("type") != "service_account"
        or "private_key" not in data
    ):
        raise InputError("service-account", f"{key_file} is not a service account key file")
    target = service_account_path()
    paths.write_private_file(target, text)  # 0600 from the first byte
    token_path().unlink(missing_ok=True)
    return target


def credentials() -> Any:
    """Credentials for the API, refreshed when needed; never interactive."""
    if endpoint_root() is not None:
        from google.oauth2.credentials import Credentials

        return Credentials(token="local-endpoint")  # no expiry: never refreshed
    if service_account_path().exists():
        from google.oauth2 import service_account

        return service_account.Credentials.from_service_account_file(
            str(service_account_path()), scopes=SCOPES
        )
    if not token_path().exists():
        raise RemoteError(f"not signed in to Google; {RELOGIN_HINT}")
    return _refreshed_user_credentials()


def _refreshed_user_credentials() -> Any:
    from google.auth.exceptions import RefreshError, TransportError
    from google.auth.transport.requests import Request
    from google.oauth2.credentials import Credentials

    try:
        # The scopes saved with the token: one granted to an older version still refreshes.
        creds = Credentials.from_authorized_user_file(str(token_path()))
    except (ValueError, json.JSONDecodeError):
        raise RemoteError(
            f"the saved Google sign-in {token_path()} is unreadable; {RELOGIN_HINT}"
        ) from None
    if creds.valid:
        return creds
    token_uri = os.environ.get(TOKEN_URI_VARIABLE)
    if token_uri:  # google-auth pins Google's endpoint; emulators and tests need their own
        creds = creds.with_token_uri(token_uri)
    try:
        creds.refresh(Request())
    except RefreshError as error:
        raise RemoteError(
            "Google no longer accepts the saved sign-in (it was revoked, or the OAuth app is in"
            f" 'Testing', whose tokens expire after 7 days: publish it to avoid this) [{_reason(error)}];"
            f" {RELOGIN_HINT}"
        ) from None
    except TransportError:
        raise RemoteError(
            "cannot reach Google to refresh the sign-in; check your connection and try again"
        ) from None
    paths.write_private_file(token_path(), creds.to_json())
    return creds


def _reason(error: Exception) -> str:
    args = getattr(error, "args", ())
    return str(args[0]).split(":", 1)[0] if args else type(error).__name__
