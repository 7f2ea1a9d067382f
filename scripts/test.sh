#!/usr/bin/env bash
# Set up a virtual environment with the dev dependencies (Radicale, vdirsyncer and khal
# included) and node with ical.js, then run the linters, the type checker and the whole
# test suite. Extra arguments go to pytest.
# Without arguments (the whole run, as CI does it) the built wheel is checked too.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
ensure_venv dev
ensure_node
ensure_sabre_dav
ensure_faketime
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/lint-imports --no-cache
if [ $# -eq 0 ]; then
    bash scripts/wheel_check.sh
fi
.venv/bin/pytest -q "$@"
