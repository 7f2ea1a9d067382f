"""sabre/dav (Debian's php-sabre-dav, the framework under Nextcloud and Baikal) under
`php -S` on loopback, with PDO SQLite storage and Basic or Digest authentication.

It accepts two items with the same UID in one calendar, unlike Radicale and Xandikos.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from support.loopback import free_port, start_server, stop_server
from support.radicale_server import PASSWORD, USER

SCHEMAS = Path("/usr/share/doc/php-sabre-dav/examples/sql")
REALM = "SabreDAV"
INSTALL = (
    "apt-get install php-cli php-sqlite3 php-xml php-mbstring php-sabre-dav php-sabre-vobject"
    " (scripts/test.sh does this when run as root)"
)

_SERVER = """<?php
date_default_timezone_set('UTC');
require_once 'Sabre/autoload.php';
$pdo = new \\PDO('sqlite:' . __DIR__ . '/db.sqlite');
$pdo->setAttribute(PDO::ATTR_ERRMODE, PDO::ERRMODE_EXCEPTION);

class PlainBasic extends \\Sabre\\DAV\\Auth\\Backend\\AbstractBasic {
    protected function validateUserPass($username, $password) {
        return $username === '%(user)s' && $password === '%(password)s';
    }
}

$auth = '%(auth)s' === 'digest'
    ? new \\Sabre\\DAV\\Auth\\Backend\\PDO($pdo)
    : new PlainBasic();
$principals = new \\Sabre\\DAVACL\\PrincipalBackend\\PDO($pdo);
$calendars = new \\Sabre\\CalDAV\\Backend\\PDO($pdo);
$server = new \\Sabre\\DAV\\Server(array(
    new \\Sabre\\CalDAV\\Principal\\Collection($principals),
    new \\Sabre\\CalDAV\\CalendarRootNode($principals, $calendars),
));
$server->setBaseUri('/');
$server->addPlugin(new \\Sabre\\DAV\\Auth\\Plugin($auth, '%(realm)s'));
$server->addPlugin(new \\Sabre\\DAVACL\\Plugin());
$server->addPlugin(new \\Sabre\\CalDAV\\Plugin());
$server->exec();
"""


class Sabre:
    def __init__(self, folder: Path, auth: str) -> None:
        if shutil.which("php") is None or not SCHEMAS.is_dir():
            raise RuntimeError(f"sabre/dav is not installed: {INSTALL}")
        self.folder = folder
        self.auth = auth
        # How an independent client logs in: Digest needs the server's challenge first.
        self.auth_type: str | None = "basic" if auth == "basic" else None
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._prepare()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def _prepare(self) -> None:
        with sqlite3.connect(self.folder / "db.sqlite") as conn:
            for name in ("users", "principals", "calendars", "locks"):
                conn.executescript((SCHEMAS / f"sqlite.{name}.sql").read_text())
            conn.execute("DELETE FROM users")
            conn.execute("DELETE FROM principals")
            digest = hashlib.md5(f"{USER}:{REALM}:{PASSWORD}".encode()).hexdigest()
            conn.execute("INSERT INTO users (username, digesta1) VALUES (?, ?)", (USER, digest))
            for uri in ("", "/calendar-proxy-read", "/calendar-proxy-write"):
                conn.execute(
                    "INSERT INTO principals (uri, email, displayname) VALUES (?, NULL, NULL)",
                    (f"principals/{USER}{uri}",),
                )
        values = {"user": USER, "password": PASSWORD, "auth": self.auth, "realm": REALM}
        (self.folder / "server.php").write_text(_SERVER % values)

    def start(self) -> Sabre:
        command = ["php", "-S", f"127.0.0.1:{self.port}", str(self.folder / "server.php")]
        # Several workers: one client's kept-alive connection must not block the others.
        env = {**os.environ, "PHP_CLI_SERVER_WORKERS": "4"}
        self.process = start_server(
            "sabre/dav (php -S)",
            command,
            self.port,
            self.folder / "php.log",
            cwd=self.folder,
            env=env,
        )
        return self

    def stop(self) -> None:
        stop_server(self.process)
        self.process = None

    def items(self) -> dict[str, bytes]:
        """Every stored calendar object, by calendar and name, with its ETag."""
        with sqlite3.connect(self.folder / "db.sqlite") as conn:
            rows = conn.execute(
                "SELECT calendarid, uri, etag, calendardata FROM calendarobjects ORDER BY 1, 2"
            )
            return {
                f"{cal}/{uri}": f"{etag}:".encode()
                + (data if isinstance(data, bytes) else str(data).encode())
                for cal, uri, etag, data in rows
            }
