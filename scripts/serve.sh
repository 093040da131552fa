#!/usr/bin/env bash
# Set up what is missing, then run the service on the embedded defaults
# (SQLite and SeaweedFS under ./var, LibreOffice for PDFs). Extra arguments go to `anjuan serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec .venv/bin/anjuan serve "$@"
