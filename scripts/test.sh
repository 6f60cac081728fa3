#!/usr/bin/env bash
# Installs everything the tests need (LibreOffice for the `office` tests, Chromium and axe-core for
# the `browser` tests), runs ruff and mypy, then the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
# LibreOffice's Calc lives beside soffice (libsclo.so): a Writer-only install cannot open spreadsheets
calc_missing() {
    local soffice
    soffice="$(command -v soffice 2>/dev/null)" || return 0
    [ ! -e "$(dirname "$(readlink -f "$soffice")")/libsclo.so" ]
}
if ! command -v soffice >/dev/null 2>&1 || calc_missing || ! command -v pdftoppm >/dev/null 2>&1 \
        || [ ! -x /usr/bin/chromium ] || ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing LibreOffice, poppler-utils, Chromium and npm for the office and browser tests..."
        packages=(libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-liberation chromium)
        # a machine whose Node.js comes from elsewhere (NodeSource bundles npm) conflicts with
        # Debian's npm package: ask for Node.js and npm only where npm is missing
        if ! command -v npm >/dev/null 2>&1; then packages+=(nodejs npm); fi
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
    else
        echo "LibreOffice (soffice), Chromium or npm not found: install libreoffice-writer-nogui," \
             "libreoffice-calc-nogui, poppler-utils, chromium and npm; the office and browser tests fail without them." >&2
    fi
fi
# axe-core and playwright-core, pinned by tests/a11y/package-lock.json
(cd tests/a11y && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
# the core and every plugin folder with its own pyproject.toml (plugins/*/), all editable; pytest
# then collects tests/ and plugins/*/tests (pyproject.toml's testpaths)
plugins=()
for folder in plugins/*/; do
    if [ -f "${folder}pyproject.toml" ]; then plugins+=(-e "$folder"); fi
done
python -m pip install --quiet --disable-pip-version-check -e ".[test]" "${plugins[@]}"
# lint and type-check first (configured in pyproject.toml): either failing fails the run
python -m ruff check .
python -m mypy
# -m "" also runs the `slow` cases a plain `pytest` leaves out.
python -m pytest -m "" "$@"
