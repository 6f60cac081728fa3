"""Shared pytest configuration. Area-specific helpers live in tests/helpers_*.py."""

import os

# Word documents take their contents' page numbers from LibreOffice when it is installed; tests
# estimate them (fast), except those that set EQUALITY_REPORTS_SOFFICE to test that path.
os.environ["EQUALITY_REPORTS_SOFFICE"] = ""
