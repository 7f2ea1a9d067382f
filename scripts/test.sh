#!/usr/bin/env bash
# Set up a virtual environment with the dev dependencies (Radicale included), then run
# the linters, the type checker and the whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
ensure_venv dev
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/lint-imports --no-cache
# sabre/dav for the CalDAV contract tests: Debian packages, installed when missing (root).
SABRE_PACKAGES="php-cli php-sqlite3 php-xml php-mbstring php-sabre-dav php-sabre-vobject"
if [ ! -d /usr/share/doc/php-sabre-dav ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $SABRE_PACKAGES >/dev/null 2>&1 \
        || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $SABRE_PACKAGES >/dev/null; }
fi
.venv/bin/pytest -q "$@"
