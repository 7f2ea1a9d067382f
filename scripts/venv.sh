# Shared by the scripts: create .venv and install the project when pyproject.toml changed.
ensure_venv() {
    local extra="${1:-}"
    local python="${PYTHON:-python3}"
    command -v "$python" >/dev/null || python=python
    [ -x .venv/bin/python ] || "$python" -m venv .venv
    local spec="."
    [ -n "$extra" ] && spec=".[$extra]"
    local stamp=".venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)-${extra:-base}"
    if [ ! -f "$stamp" ]; then
        .venv/bin/python -m pip install -q --upgrade pip >/dev/null
        .venv/bin/python -m pip install -q -e "$spec"
        touch "$stamp"
    fi
    # Bytecode, as a wheel install writes it: with PYTHONDONTWRITEBYTECODE set, every
    # `followup` process (and every test that starts one) would compile the package again.
    .venv/bin/python -m compileall -q src >/dev/null
}

# node and ical.js (tests/js), which the tests use to read our calendars as Thunderbird
# and the Nextcloud calendar do. Each is installed only when missing: node from Debian's
# packages (as root, as CI runs), ical.js at the version pinned in tests/js/package-lock.json.
ensure_node() {
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
            apt-get update -qq >/dev/null
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
        else
            echo "The client tests need node and npm: install Debian's nodejs and npm." >&2
            return 1
        fi
    fi
    local stamp="tests/js/node_modules/.installed-$(sha256sum tests/js/package-lock.json | cut -c1-16)"
    if [ ! -f "$stamp" ]; then
        npm ci --prefix tests/js --no-audit --no-fund --loglevel=error >/dev/null
        touch "$stamp"
    fi
}

# sabre/dav (the CalDAV framework of Nextcloud and Baikal) for the CalDAV contract tests:
# Debian's packages, installed when missing and we are root, as CI runs.
ensure_sabre_dav() {
    local packages="php-cli php-sqlite3 php-xml php-mbstring php-sabre-dav php-sabre-vobject"
    if [ ! -d /usr/share/doc/php-sabre-dav ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages >/dev/null 2>&1 \
            || { apt-get update -qq >/dev/null \
                && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages >/dev/null; }
    fi
}

ensure_faketime() {
    # A fake clock for a whole process, for the tests that let time pass.
    if ! command -v faketime >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends faketime >/dev/null 2>&1 \
            || { apt-get update -qq >/dev/null \
                && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends faketime >/dev/null; }
    fi
}
