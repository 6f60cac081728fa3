"""Regenerate the tables sections of docs/data-contract.md from the merged data contract.

The contract is the engine's tables plus the first-party plugins' (plugins/*/, installed; only those
load, so another installed plugin never leaks into the committed doc). tests/test_docs.py checks the doc matches.
Run: python scripts/data_contract.py
"""

from __future__ import annotations

import os
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "data-contract.md"
BEGIN = "<!-- generated: python scripts/data_contract.py (equality-reports contract --markdown) -->\n"
END = "<!-- end of generated tables -->"
FIRST_PARTY = "rraa-employment,wres,evidence-pack,wdes,gender-pay-gap,ethnicity-pay-gap"


def generated() -> str:
    """The tables sections as the first-party plugins declare them."""
    os.environ["EQUALITY_REPORTS_LOAD_PLUGINS"] = FIRST_PARTY
    from equality_reports.intake.contract import markdown
    from equality_reports.plugins import PluginHost

    return markdown(PluginHost().contract())


def main() -> None:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(BEGIN) + len(BEGIN)
    DOC.write_text(text[:start] + "\n" + generated() + text[text.index(END):], encoding="utf-8")


if __name__ == "__main__":
    main()
