"""Pay bands for WRES indicator 1: Agenda for Change bands, VSM and medical and dental subgroups.

HR systems spell grades many ways ("Band 5", "AfC 8a", "8A", "Band 8 - Range C", "Very Senior
Manager", "Consultant"). Each distinct spelling is parsed once and the result mapped back onto
the staff table, so parsing cost does not grow with the number of staff.
"""

from __future__ import annotations

import re

import pandas as pd

UNKNOWN_BAND = "Other or unknown grade"

#: Indicator 1 rows in the order of the NHS England WRES data collection template.
AFC_BANDS: tuple[str, ...] = (
    "Under Band 1", "Band 1", "Band 2", "Band 3", "Band 4", "Band 5", "Band 6", "Band 7",
    "Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9", "VSM",
)
MEDICAL_BANDS: tuple[str, ...] = (
    "Consultants", "Non-consultant career grade", "Trainee grades", "Other medical and dental",
)
BAND_ORDER: tuple[str, ...] = AFC_BANDS + MEDICAL_BANDS + (UNKNOWN_BAND,)

_RANGE_LETTER = {"a": "a", "b": "b", "c": "c", "d": "d", "1": "a", "2": "b", "3": "c", "4": "d"}
_AFC = re.compile(r"^(?:afc|agenda for change|band|b)?\s*(\d{1,2})\s*(?:range|-|/)?\s*([a-d1-4])?$")
_MEDICAL = (
    (re.compile(r"consultant"), "Consultants"),
    (re.compile(r"foundation|fy ?[12]\b|f[12]\b|registrar|specialty trainee|st ?\d|ct ?\d|"
                r"core trainee|trainee|junior doctor|house officer|gp trainee"), "Trainee grades"),
    (re.compile(r"specialty doctor|specialist|associate specialist|staff grade|career grade|sas\b|"
                r"trust grade|clinical assistant|hospital practitioner"), "Non-consultant career grade"),
    (re.compile(r"medical|dental|doctor|clinical fellow"), "Other medical and dental"),
)
_AFC_IN_TEXT = re.compile(r"\b(?:afc|band)\s*(\d{1,2})(?:\s*(?:-|range|/)?\s*(?:range\s*)?([a-d])\b)?")
_VSM = re.compile(r"\bvsm\b|very senior manager|executive director|chief executive|director of")


def parse_band(raw: object) -> str:
    """One grade spelling to an indicator 1 band (``UNKNOWN_BAND`` when not recognised)."""
    if raw is None or (isinstance(raw, float) and raw != raw):
        return UNKNOWN_BAND
    text = re.sub(r"\s+", " ", str(raw).strip().lower())
    if not text:
        return UNKNOWN_BAND
    if _VSM.search(text):
        return "VSM"
    for pattern, band in _MEDICAL:
        if pattern.search(text):
            return band
    if re.search(r"under (?:band )?1|pre[- ]?band ?1", text):
        return "Under Band 1"
    compact = text.replace("band 8 - range ", "band 8").replace("range ", "")
    match = _AFC.match(compact) or _AFC_IN_TEXT.search(text)
    if match:
        number, letter = int(match.group(1)), match.group(2)
        if number == 8:
            return f"Band 8{_RANGE_LETTER.get(letter or '', '')}" if letter else UNKNOWN_BAND
        if 1 <= number <= 9 and not letter:
            return f"Band {number}"
    return UNKNOWN_BAND


def bands(grades: pd.Series) -> pd.Series:
    """Vectorised :func:`parse_band`: each distinct value is parsed once."""
    as_text = grades.astype("string")
    unique = as_text.dropna().unique()
    mapping = {value: parse_band(value) for value in unique}
    return as_text.map(mapping).fillna(UNKNOWN_BAND).astype(str)


def is_medical(band: pd.Series) -> pd.Series:
    return band.isin(MEDICAL_BANDS)


_CLINICAL = {"clinical", "clinician", "clinical staff", "nursing", "nursing and midwifery",
             "nursing and midwifery registered", "midwifery", "medical", "medical and dental",
             "allied health professionals", "ahp", "healthcare scientists",
             "additional clinical services", "add prof scientific and technic",
             "additional professional scientific and technical"}
_NON_CLINICAL = {"non_clinical", "non clinical", "non-clinical", "nonclinical", "admin",
                 "administrative and clerical", "admin and clerical", "estates and ancillary",
                 "estates", "corporate", "management", "students"}


def clinical_split(staff_group: pd.Series | None, band: pd.Series) -> pd.Series:
    """'clinical' or 'non_clinical' for each person; medical grades are always clinical.

    ``staff_group`` accepts the two canonical values and the usual NHS staff group names
    (docs/reports/wres.md lists them); anything else counts as non-clinical and is reported in
    the data-quality table by the caller.
    """
    if staff_group is None:
        result = pd.Series("non_clinical", index=band.index, dtype=object)
    else:
        text = staff_group.astype("string").str.strip().str.lower()
        result = pd.Series("non_clinical", index=band.index, dtype=object)
        result[text.isin(_CLINICAL).fillna(False).to_numpy(dtype=bool)] = "clinical"
    result[is_medical(band).to_numpy(dtype=bool)] = "clinical"
    return result


def unrecognised_staff_groups(staff_group: pd.Series) -> list[str]:
    """Staff group values that are neither clinical nor non-clinical names."""
    text = staff_group.astype("string").str.strip().str.lower().dropna()
    known = _CLINICAL | _NON_CLINICAL
    return sorted(set(text[~text.isin(known)].unique()))


def natural_key(text: str) -> tuple:
    """Sort key that orders 'Grade 2' before 'Grade 10' (numeric-aware)."""
    return tuple((0, int(p)) if p.isdigit() else (1, p.lower()) for p in re.split(r"(\d+)", str(text)))
