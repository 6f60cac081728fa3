#!/usr/bin/env bash
# Installs everything the tests need (LibreOffice for the `office` tests) and runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing LibreOffice and poppler-utils for the office tests..."
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-liberation >/dev/null
    else
        echo "LibreOffice (soffice) not found: install libreoffice-writer-nogui and libreoffice-calc-nogui;" \
             "the office tests will fail without it." >&2
    fi
fi
python -m pip install --quiet --disable-pip-version-check -e ".[test]"
# -m "" also runs the `slow` cases a plain `pytest` leaves out.
python -m pytest -m "" "$@"
