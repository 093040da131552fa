#!/usr/bin/env bash
# Install what is missing: Debian packages (only when absent) and the Python venv.
# Idempotent and quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBS=(libreoffice-writer-nogui fonts-noto-cjk poppler-utils python3-uno fontconfig icc-profiles-free)
# --test: also what only the tests use (Apache PDFBox Preflight checks the dossiers' PDF/A;
# Chromium for the console's browser tests).
if [ "${1:-}" = "--test" ]; then
  DEBS+=(libpdfbox2-java libactivation-java libjaxb-api-java default-jre-headless)
  # the console's browser tests: Playwright drives Debian's Chromium (its own download is not used)
  DEBS+=(chromium)
fi
missing=()
for pkg in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "==> installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $PYTHON"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.anjuan-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "==> installing Python dependencies into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[test]'
  echo "$want" > "$stamp"
fi

# The dossier cover's CJK font subset is built once per machine (~20 s), not in a request.
.venv/bin/python -c "from archive.dossier.fonts import prepare_fonts; prepare_fonts()"
# The documents' simplified-Chinese faces, cut out of the Noto CJK collections (~2 s).
.venv/bin/python -c "from doc_templates.fonts import prepare_fonts; prepare_fonts()"
