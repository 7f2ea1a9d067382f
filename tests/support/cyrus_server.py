"""Cyrus IMAP with its CalDAV module (Fastmail's server) on loopback, from Debian's
cyrus-imapd, cyrus-caldav and sasl2-bin, in a private folder with its own imapd.conf.

Cyrus refuses a UID that is already used in *another* calendar of the account
(`403` with `unique-scheduling-object-resource`) and splits CATEGORIES into one line per
value when it stores an item.
"""

from __future__ import annotations

import imaplib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from support.loopback import free_port
from support.radicale_server import PASSWORD, USER

MASTER = Path("/usr/lib/cyrus/bin/master")
INSTALL = (
    "apt-get install cyrus-imapd cyrus-caldav sasl2-bin (scripts/test_more_servers.sh does it)"
)

_IMAPD_CONF = """\
configdirectory: {dir}/conf
defaultpartition: default
partition-default: {dir}/spool
sievedir: {dir}/sieve
temp_path: {dir}/tmp
proc_path: {dir}/proc
mboxname_lockpath: {dir}/lock
idlesocket: {dir}/socket/idle
lmtpsocket: {dir}/socket/lmtp
notifysocket: {dir}/socket/notify
syslog_prefix: followup-cyrus
servername: localhost
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: {dir}/sasldb2
sasl_mech_list: PLAIN LOGIN
allowplaintext: yes
unixhierarchysep: yes
httpmodules: caldav
httpallowcompress: no
autocreate_quota: 0
autocreate_post: yes
"""

# Each kept-alive HTTP connection holds one httpd process: the tests' own clients keep
# theirs open, so a low maxchild leaves new connections waiting (ReadTimeout).
_CYRUS_CONF = """\
START {{
    recover cmd="ctl_cyrusdb -r -C {dir}/imapd.conf"
}}
SERVICES {{
    imap cmd="imapd -C {dir}/imapd.conf" listen="127.0.0.1:{imap}" prefork=0 maxchild=200
    http cmd="httpd -C {dir}/imapd.conf" listen="127.0.0.1:{http}" prefork=0 maxchild=200
}}
EVENTS {{
}}
"""


class Cyrus:
    """Start with ``start()``; ``stop()`` ends the master process and removes the folder.

    Cyrus drops to the `cyrus` user, which cannot enter pytest's private temp folders:
    the server lives in its own folder under the system temp directory."""

    auth_type = "basic"

    def __init__(self) -> None:
        if not MASTER.exists() or shutil.which("saslpasswd2") is None:
            raise RuntimeError(f"Cyrus is not installed: {INSTALL}")
        if os.geteuid() != 0:
            raise RuntimeError("Cyrus's master must be started as root (it becomes `cyrus`)")
        self.folder = Path(tempfile.mkdtemp(prefix="followup-cyrus-"))
        self.imap_port = free_port()
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._prepare()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/dav/"

    @property
    def spool(self) -> Path:
        return self.folder / "spool"

    def _prepare(self) -> None:
        for name in ("conf", "spool", "sieve", "tmp", "proc", "lock", "socket"):
            (self.folder / name).mkdir()
        values = {"dir": self.folder, "imap": self.imap_port, "http": self.port}
        (self.folder / "imapd.conf").write_text(_IMAPD_CONF.format(**values))
        (self.folder / "cyrus.conf").write_text(_CYRUS_CONF.format(**values))
        subprocess.run(
            [
                "saslpasswd2",
                "-p",
                "-c",
                "-f",
                str(self.folder / "sasldb2"),
                "-u",
                "localhost",
                USER,
            ],
            input=PASSWORD.encode(),
            check=True,
        )
        os.chmod(self.folder, 0o750)
        subprocess.run(["chown", "-R", "cyrus:mail", str(self.folder)], check=True)

    def start(self) -> Cyrus:
        command = [
            str(MASTER), "-D", "-C", str(self.folder / "imapd.conf"),
            "-M", str(self.folder / "cyrus.conf"), "-p", str(self.folder / "master.pid"),
        ]  # fmt: skip
        self.log = self.folder / "master.log"
        with self.log.open("wb") as log:
            # Its own process group: stop() ends the master and every service it forked.
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            self._wait_for(self.imap_port)
            self._wait_for(self.port)
            self._create_home()
        except BaseException:
            self.stop()  # no master left behind by a start that failed
            raise
        return self

    def _wait_for(self, port: int) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"cyrus master exited: {self.log.read_text(errors='replace')}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"Cyrus did not listen on {port} within 30 s")

    def _create_home(self) -> None:
        """One IMAP login creates the user's INBOX, and with it the DAV home."""
        imap = imaplib.IMAP4("127.0.0.1", self.imap_port)
        try:
            imap.login(USER, PASSWORD)
            imap.list()
        finally:
            imap.logout()

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            self.process = None
        shutil.rmtree(self.folder, ignore_errors=True)

    def items(self) -> dict[str, bytes]:
        """Every stored message file (one per calendar object) under the spool: any
        write adds or replaces one. Cyrus's own index and cache files are left out,
        since they also record reads."""
        return {
            str(path.relative_to(self.spool)): path.read_bytes()
            for path in sorted(self.spool.rglob("*"))
            if path.is_file() and not path.name.startswith("cyrus.")
        }
