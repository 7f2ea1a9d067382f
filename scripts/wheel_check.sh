#!/usr/bin/env bash
# Build the wheel and use it as a user would: installed with its runtime dependencies
# only (no dev tools, no keyring extra) into a fresh virtual environment, then
# `followup --help`, the example import and an export, in a private data folder.
set -euo pipefail
cd "$(dirname "$0")/.."
# Any Python 3.11+ with pip builds it; the project's .venv has one.
python="${PYTHON:-.venv/bin/python}"
[ -x "$python" ] || python=python3
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fail() { echo "wheel_check: $*" >&2; exit 1; }
# pip's output only when it fails (its warnings about absent local indexes are noise).
quietly() {
    local out
    out="$("$@" 2>&1)" || { printf '%s\n' "$out" | grep -v '^WARNING: Location' >&2; return 1; }
}

quietly "$python" -m pip wheel --no-deps --wheel-dir "$work/dist" . || fail "building the wheel failed"
wheel=("$work"/dist/interview_followup-*.whl)
[ -f "${wheel[0]}" ] || fail "no wheel was built"
"$python" -m venv "$work/venv"
quietly "$work/venv/bin/python" -m pip install "${wheel[0]}" || fail "installing the wheel failed"
"$work/venv/bin/python" -c "import interview_followup" || fail "the wheel did not install"
for module in keyring pytest radicale; do
    if "$work/venv/bin/python" -c "import $module" 2>/dev/null; then
        fail "$module is installed, but only the runtime dependencies should be"
    fi
done

export FOLLOWUP_HOME="$work/home"
for name in $(compgen -e); do
    [[ $name == FOLLOWUP_* && $name != FOLLOWUP_HOME ]] && unset "$name"
done
followup() { "$work/venv/bin/followup" "$@"; }
cd "$work"  # not the source tree: nothing may come from it
followup --help >/dev/null
version="$(followup --version)"
expected="$("$work/venv/bin/python" -c 'import interview_followup as p; print(p.__version__)')"
[ "$version" = "followup, version $expected" ] || fail "--version says '$version'"
followup config set country US >/dev/null
followup config set timezone America/New_York >/dev/null
followup import "$OLDPWD/examples/interviews.csv" >/dev/null
followup export -o "$work/followups.ics" 2>/dev/null
events="$(grep -c '^BEGIN:VEVENT' "$work/followups.ics" || true)"
[ "$events" -gt 0 ] || fail "the export holds no events"
! grep -qE '^(ATTENDEE|ORGANIZER)' "$work/followups.ics" || fail "the export names attendees"
echo "wheel_check: $(basename "${wheel[0]}") installs alone; the example import exported $events events"
