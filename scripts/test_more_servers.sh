#!/usr/bin/env bash
# The CalDAV sync contract against two more servers from Debian's packages: Cyrus IMAP
# with its CalDAV module (Fastmail's server) and DAViCal on a private PostgreSQL. Both run
# on loopback in temp folders and are stopped afterwards; nothing of the system's own
# configuration is changed. Slow and root-only, so the ordinary runs leave them out.
# Missing packages are installed with apt-get. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh

packages="cyrus-imapd cyrus-caldav sasl2-bin davical postgresql php-cli php-pgsql"
if [ "$(id -u)" != 0 ]; then
    echo "test_more_servers.sh must run as root (sudo): Cyrus's master and PostgreSQL switch to" \
        "their own users (cyrus, postgres)." >&2
    exit 1
fi
missing=""
for package in $packages; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing="$missing $package"
done
if [ -n "$missing" ]; then
    echo "installing:$missing" >&2
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1 \
        || { apt-get update -qq >/dev/null \
            && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null; }
fi

ensure_venv dev
for package in cyrus-imapd davical postgresql php-cli; do
    echo "$package $(dpkg-query -W -f='${Version}' "$package")"
done
export FOLLOWUP_EXTERNAL_SERVERS=1
start=$SECONDS
status=0
.venv/bin/pytest -q tests/sinks/test_sync_cyrus.py tests/sinks/test_sync_davical.py "$@" || status=$?
echo "test_more_servers.sh: pytest took $((SECONDS - start)) s"
exit $status
