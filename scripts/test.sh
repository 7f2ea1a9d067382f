#!/usr/bin/env bash
# Set up a virtual environment with the dev dependencies (Radicale, vdirsyncer and khal
# included) and node with ical.js, then run the linters, the type checker and the whole
# test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
ensure_venv dev
ensure_node
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/lint-imports --no-cache
.venv/bin/pytest -q "$@"
