#!/usr/bin/env bash
# Set up what is missing, then lint, type-check and run the whole test suite.
# Set TEST_DATABASE_URL=postgresql+psycopg://... to run every database test on PostgreSQL too.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --test
echo "==> ruff";  .venv/bin/ruff check service doc_templates archive tests bench scripts
.venv/bin/ruff format --check service doc_templates archive tests bench scripts
echo "==> mypy";  .venv/bin/mypy service doc_templates archive
echo "==> pytest"
# Two workers: most of the time is LibreOffice and S3 in processes of their own.
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-2}" "$@"
