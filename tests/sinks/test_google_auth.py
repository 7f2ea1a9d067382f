"""Google sign-in: the loopback OAuth flow, token refresh and its failure, service accounts.

A small OAuth token endpoint on loopback stands in for Google's.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from support.cli_helpers import ok, run
from support.env import clear_env

pytestmark = pytest.mark.slow


class TokenEndpoint:
    """Answers token requests: with fresh tokens, or with invalid_grant when ``revoked``."""

    def __init__(self) -> None:
        self.revoked = False
        self.requests: list[dict[str, list[str]]] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                endpoint.requests.append(urllib.parse.parse_qs(body))
                if endpoint.revoked:
                    status, answer = (
                        400,
                        {
                            "error": "invalid_grant",
                            "error_description": "Token has been expired or revoked.",
                        },
                    )
                else:
                    status, answer = (
                        200,
                        {
                            "access_token": "fresh-access",
                            "refresh_token": "the-refresh",
                            "expires_in": 3600,
                            "token_type": "Bearer",
                        },
                    )
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/token"


@pytest.fixture
def endpoint() -> Iterator[TokenEndpoint]:
    server = TokenEndpoint()
    yield server
    server.server.shutdown()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    clear_env(monkeypatch, tmp_path / "home")
    monkeypatch.setenv("FOLLOWUP_GOOGLE_TOKEN_URI", "")
    return tmp_path / "home"


FULL = "https://www.googleapis.com/auth/calendar"  # what earlier versions asked for


def _write_token(home: Path, endpoint: TokenEndpoint) -> Path:
    os.environ["FOLLOWUP_GOOGLE_TOKEN_URI"] = endpoint.url  # undone by the home fixture
    home.mkdir(parents=True, exist_ok=True)
    token = home / "google-token.json"
    token.write_text(json.dumps({
        "token": "stale", "refresh_token": "the-refresh", "token_uri": endpoint.url,
        "client_id": "client", "client_secret": "secret",
        "scopes": [FULL], "expiry": "2020-01-01T00:00:00Z",
    }))  # fmt: skip
    token.chmod(0o600)
    return token


def test_expired_token_is_refreshed_silently_and_saved_private(
    home: Path, endpoint: TokenEndpoint
) -> None:
    from interview_followup.sinks import google_auth

    token = _write_token(home, endpoint)
    creds = google_auth.credentials()
    assert creds.token == "fresh-access"
    assert json.loads(token.read_text())["token"] == "fresh-access"
    assert stat.S_IMODE(token.stat().st_mode) == 0o600
    assert endpoint.requests[0]["grant_type"] == ["refresh_token"]
    # A token granted the wider scope of earlier versions asks for just what it holds.
    assert endpoint.requests[0].get("scope", [FULL])[0].split() == [FULL]


def test_revoked_token_says_what_happened_and_how_to_fix(
    home: Path, endpoint: TokenEndpoint
) -> None:
    _write_token(home, endpoint)
    endpoint.revoked = True
    ok("log", "--company", "Acme", "--at", "2030-01-07 10:00", "--tz", "UTC")
    result = run("sync", "google")
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, lines
    assert "7 days" in lines[0] and "followup google login" in lines[0]
    assert "the-refresh" not in result.err


def test_not_signed_in(home: Path) -> None:
    ok("log", "--company", "Acme", "--at", "2030-01-07 10:00", "--tz", "UTC")
    result = run("sync", "google")
    assert result.code == 1 and "not signed in to Google" in result.err


def test_service_account_key_is_kept_private(home: Path, tmp_path: Path) -> None:
    key = tmp_path / "key.json"
    key.write_text(
        json.dumps(
            {
                "type": "service_account",
                "private_key": "-----BEGIN PRIVATE KEY-----\n",
                "client_email": "x@y.iam.gserviceaccount.com",
            }
        )
    )
    ok("google", "login", "--service-account", str(key))
    saved = home / "google-service-account.json"
    assert saved.read_text() == key.read_text()
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    not_a_key = tmp_path / "other.json"
    not_a_key.write_text("{}")
    result = run("google", "login", "--service-account", str(not_a_key))
    assert result.code == 2 and "service-account" in result.err


def test_login_needs_exactly_one_source(home: Path) -> None:
    assert run("google", "login").code == 2
    missing = run("google", "login", "--client-secrets", "/nonexistent/client.json")
    assert missing.code == 2 and "does not exist" in missing.err


def test_installed_app_flow_on_loopback(
    home: Path, endpoint: TokenEndpoint, tmp_path: Path
) -> None:
    """The real flow: print the address, receive the redirect on loopback, swap the code."""
    secrets = tmp_path / "client.json"
    secrets.write_text(json.dumps({"installed": {
        "client_id": "client", "client_secret": "secret", "auth_uri": "https://accounts.example/auth",
        "token_uri": endpoint.url, "redirect_uris": ["http://localhost"],
    }}))  # fmt: skip
    # oauthlib insists on https for the token endpoint unless told this is a local test.
    env = {**os.environ, "FOLLOWUP_HOME": str(home), "OAUTHLIB_INSECURE_TRANSPORT": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "interview_followup", "google", "login", "--client-secrets", str(secrets), "--no-browser"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    assert process.stdout is not None
    address = ""
    for _ in range(5):
        line = process.stdout.readline()
        if line.startswith("https://accounts.example/auth"):
            address = line.strip()
            break
    assert address, "the sign-in address was not printed"
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(address).query)
    assert query["scope"][0].split() == [
        "https://www.googleapis.com/auth/calendar.app.created",
        "https://www.googleapis.com/auth/calendar.events",
    ]
    redirect = (
        query["redirect_uri"][0]
        + "?"
        + urllib.parse.urlencode({"state": query["state"][0], "code": "the-code"})
    )
    urllib.request.urlopen(redirect, timeout=10).read()
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    token = home / "google-token.json"
    assert json.loads(token.read_text())["refresh_token"] == "the-refresh"
    assert stat.S_IMODE(token.stat().st_mode) == 0o600
    assert endpoint.requests[0]["code"] == ["the-code"]
