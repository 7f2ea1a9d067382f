#!/usr/bin/env bash
# Set up, then run the main job on the bundled example: import the interviews in
# examples/, print the plan and write the calendar file. Uses a private data folder
# (.demo/) so your own data is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
ensure_venv
export FOLLOWUP_HOME="$PWD/.demo"
rm -rf "$FOLLOWUP_HOME"
followup() { .venv/bin/followup "$@"; }
followup config set country US
followup config set timezone America/New_York
followup import examples/interviews.csv
followup list
followup plan
followup export -o "$FOLLOWUP_HOME/followups.ics"
echo "Calendar written to .demo/followups.ics: open it with any calendar app."
