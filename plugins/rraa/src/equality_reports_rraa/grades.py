"""The choice of senior grades (the grade order itself is the engine's: ``Dataset.grade_order``)."""

from __future__ import annotations

import math
import re

import pandas as pd

from equality_reports import join_words, pay_scales


def parse_list(text: str | None) -> list[str]:
    """A comma- or semicolon-separated option value as a list of stripped names."""
    if not text:
        return []
    return [part.strip() for part in re.split(r"[;,]", text) if part.strip()]


def senior_mask(staff: pd.DataFrame, grade_order: list[str], senior_grades: str | None) -> tuple[pd.Series, str]:
    """Which staff count as senior, and a sentence saying how they were chosen.

    ``senior_grades`` is a number N (the top N grades), a list of grade names, or empty for the
    default: ``staff.senior_manager`` when it is recorded for anyone, otherwise the top quarter of
    grades (rounded up) in grade order, on each pay scale (:func:`equality_reports.pay_scales`).
    """
    spec = (senior_grades or "").strip()
    has_grade = "grade" in staff.columns and staff["grade"].notna().any()
    if not spec and "senior_manager" in staff.columns and staff["senior_manager"].notna().any():
        mask = staff["senior_manager"].fillna(False).astype(bool)
        return mask, "the staff whom the HR record marks as senior managers"
    if not has_grade:
        return pd.Series(False, index=staff.index), ""
    if spec.isdigit():
        top = max(1, int(spec))
        chosen = grade_order[-top:]
        how = f"the top {len(chosen)} grade{'s' if len(chosen) != 1 else ''} ({join_words(chosen)})"
    elif spec:
        chosen = parse_list(spec)
        how = f"the grades chosen for this report ({join_words(chosen)})"
    else:
        scales: dict[str, list[str]] = {}
        scale_of = pay_scales(grade_order)
        for grade in grade_order:
            scales.setdefault(scale_of[grade], []).append(grade)
        chosen = [g for on_scale in scales.values() for g in on_scale[-max(1, math.ceil(len(on_scale) / 4)):]]
        each = " on each pay scale" if len(scales) > 1 else ""
        how = f"the top quarter of grades{each} ({join_words(chosen)})"
    mask = staff["grade"].astype("string").isin(chosen).fillna(False).astype(bool)
    return mask, how


