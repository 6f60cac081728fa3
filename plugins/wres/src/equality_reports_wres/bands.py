"""Pay bands for WRES indicator 1, from the engine's grade rules (:mod:`equality_reports.measures.grades`).

The engine decides which grade is which band, so ``validate`` and every report agree; this module
only adapts those rules to the shapes the WRES reports use.
"""

from __future__ import annotations

import re

import pandas as pd

from equality_reports import (
    AFC_BANDS,
    BAND_ORDER,
    MEDICAL_BANDS,
    UNKNOWN_BAND,
    classify_grades,
    parse_grade,
    unrecognised_staff_groups,
)

__all__ = ["AFC_BANDS", "BAND_ORDER", "MEDICAL_BANDS", "UNKNOWN_BAND", "classify_grades", "natural_key",
           "parse_band", "unrecognised_staff_groups"]


def parse_band(raw: object) -> str:
    """One grade spelling on its own (no staff group or board role) to an indicator 1 row."""
    grade = parse_grade(raw)
    return grade.band or grade.medical or UNKNOWN_BAND


def natural_key(text: str) -> tuple:
    """Sort key that orders 'Grade 2' before 'Grade 10' (numeric-aware)."""
    return tuple((0, int(p)) if p.isdigit() else (1, p.lower()) for p in re.split(r"(\d+)", str(text)))


def staff_bands(staff: pd.DataFrame) -> pd.DataFrame:
    """Indicator 1 ``band`` and ``clinical`` for each row of a staff table (see the engine's rules)."""
    return classify_grades(staff.get("grade"), staff.get("staff_group"), staff.get("board_role"), staff.index)
