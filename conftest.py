"""Shared pytest configuration for the engine's tests (tests/) and every plugin's (plugins/*/tests/).

Test helpers are plain modules imported by name: the engine's in tests/ (``helpers_cli``,
``helpers_reader``) and each plugin's in its own tests folder (``helpers_rraa``, ...). All those
folders are put on ``sys.path`` here, so a plugin's tests can use the engine's helpers and an engine
test that runs a first-party report can use that plugin's, whichever tests pytest is asked to run.
Test module and helper names are therefore unique across the repository.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
for folder in [ROOT / "tests", *sorted(ROOT.glob("plugins/*/tests"))]:
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

# Word documents take their contents' page numbers from LibreOffice when it is installed; tests
# estimate them (fast), except those that set EQUALITY_REPORTS_SOFFICE to test that path.
os.environ["EQUALITY_REPORTS_SOFFICE"] = ""
