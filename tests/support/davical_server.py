"""DAViCal (Debian's davical) under `php -S` on loopback, on a private PostgreSQL cluster
that listens only on a unix socket in a temp folder.

DAViCal reads /etc/davical/config.php, whose Debian default connects with
`dbname=davical user=davical_app` and nothing else: libpq takes the socket folder and
port from PGHOST and PGPORT, which `php -S` is given, so no system file is touched.
It accepts two items with the same UID in one calendar, like sabre/dav.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from support.loopback import free_port, start_server, stop_server
from support.radicale_server import PASSWORD, USER

HTDOCS = Path("/usr/share/davical/htdocs")
CREATE_DATABASE = Path("/usr/share/davical/dba/create-database.sh")
INSTALL = (
    "apt-get install davical postgresql php-cli php-pgsql (scripts/test_more_servers.sh does it)"
)


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError(f"PostgreSQL is not installed: {INSTALL}")
    return Path(found[-1]).parent


class DAViCal:
    """Start with ``start()``; ``stop()`` ends php and PostgreSQL and removes the folder.

    PostgreSQL refuses to run as root, and the `postgres` user cannot enter pytest's
    private temp folders: the cluster lives in its own folder under the system temp
    directory."""

    auth_type = "basic"

    def __init__(self) -> None:
        if not HTDOCS.is_dir() or shutil.which("php") is None:
            raise RuntimeError(f"DAViCal is not installed: {INSTALL}")
        self.bin = _postgres_bin()
        self.folder = Path(tempfile.mkdtemp(prefix="followup-davical-"))
        self.socket_dir = self.folder / "socket"
        self.pg_port = free_port()
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.database_started = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/caldav.php/"

    @property
    def _pg_env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PGHOST": str(self.socket_dir),
            "PGPORT": str(self.pg_port),
            "PGUSER": "postgres",
            "PGOPTIONS": "--client-min-messages=warning",
        }

    def _run(self, command: list[str], env: dict[str, str]) -> str:
        done = subprocess.run(command, env=env, capture_output=True, text=True, cwd="/")
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr or done.stdout}")
        return done.stdout

    def _as_postgres(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self._run([*prefix, *command], self._pg_env)

    def _start_database(self) -> None:
        self.socket_dir.mkdir()
        if os.geteuid() == 0:
            subprocess.run(["chown", "-R", "postgres:postgres", str(self.folder)], check=True)
        data = str(self.folder / "data")
        self._as_postgres(
            str(self.bin / "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8"
        )
        options = f"-c listen_addresses='' -c unix_socket_directories={self.socket_dir} -p {self.pg_port} -c fsync=off"
        self._as_postgres(
            str(self.bin / "pg_ctl"), "-D", data, "-o", options, "-w",
            "-l", str(self.folder / "postgres.log"), "start",
        )  # fmt: skip
        self.database_started = True

    def psql(self, sql: str, record_separator: str = "\n") -> str:
        command = [str(self.bin / "psql"), "-qXAt", "-R", record_separator]
        return self._run([*command, "-v", "ON_ERROR_STOP=1", "-c", sql, "davical"], self._pg_env)

    def _create_schema(self) -> None:
        self._run(["sh", str(CREATE_DATABASE), "davical", "admin-password"], self._pg_env)
        # DAViCal's passwords starting with `**` are stored in plain text.
        self.psql(
            "WITH u AS (INSERT INTO usr (active, email_ok, updated, username, password,"
            f" fullname, email) VALUES (TRUE, current_date, current_date, '{USER}',"
            f" '**{PASSWORD}', 'Job Seeker', '{USER}@example.net') RETURNING user_no)"
            " INSERT INTO principal (type_id, user_no, displayname)"
            " SELECT 1, user_no, 'Job Seeker' FROM u"
        )

    def start(self) -> DAViCal:
        try:
            self._start()
        except BaseException:
            self.stop()  # no PostgreSQL or php left behind by a start that failed
            raise
        return self

    def _start(self) -> None:
        self._start_database()
        self._create_schema()
        command = ["php", "-S", f"127.0.0.1:{self.port}", "-t", str(HTDOCS)]
        # Several workers: one client's kept-alive connection must not block the others.
        env = {**self._pg_env, "PHP_CLI_SERVER_WORKERS": "4"}
        env.pop("PGUSER")  # DAViCal connects as davical_app
        self.log = self.folder / "php.log"
        self.process = start_server(
            "DAViCal (php -S)", command, self.port, self.log, cwd=HTDOCS, env=env
        )

    def stop(self) -> None:
        stop_server(self.process)
        self.process = None
        if self.database_started:
            self._as_postgres(
                str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast", "stop"
            )
            self.database_started = False
        shutil.rmtree(self.folder, ignore_errors=True)

    def items(self) -> dict[str, bytes]:
        """Every stored calendar object with its ETag, straight from the database."""
        rows = self.psql(
            "SELECT dav_name || ' ' || dav_etag || ' ' || caldav_data"
            " FROM caldav_data ORDER BY dav_name",
            record_separator="\x1e",
        )
        return {line.split(" ", 1)[0]: line.encode() for line in rows.split("\x1e") if line}
