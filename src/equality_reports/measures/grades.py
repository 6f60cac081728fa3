"""NHS grades: the Agenda for Change band, VSM, medical and dental subgroups, clinical or not.

One set of rules for ``validate`` and for every report that groups NHS staff by pay band (WRES
indicator 1 follows the rows of NHS England's WRES data collection template):

* the **Agenda for Change band** comes only from band text: "Band 8a", "8A", "B3", "AFC-8B",
  "Agenda for Change Band 8 - Range B", "Band 8 Range C", "Review Body Band 5", "Under Band 1".
  Whatever else a band title says is a job title and moves no one: "Band 4 Medical Secretary" is
  Band 4, "Band 8b Consultant Nurse" Band 8b, "Band 8c Deputy Director of Nursing" Band 8c;
* **VSM** comes from a VSM grade ("VSM", "Very Senior Manager", an executive grade such as "Chief
  Executive" or "Executive Director", ESR's "VSM" pay scales) or from an executive board role
  (``board_role`` voting_executive), never from "Director" inside a band title;
* the **medical and dental subgroups** (Consultants, Non-consultant career grade, Trainee grades,
  Other medical and dental) come from medical grade names that are not band titles, for staff
  whose ``staff_group`` is Medical and Dental, a clinical group given as just "clinical", or not
  given; anyone in staff group Medical and Dental whose grade is not recognised is "Other medical
  and dental". A grade name that names another profession ("Consultant Nurse", "Specialist
  Nurse", "Trainee Nursing Associate") is never a medical grade;
* **clinical or non-clinical** comes from ``staff_group`` (ESR staff group names, or the
  canonical ``clinical`` / ``non_clinical``); medical and dental subgroups are clinical; anything
  else counts as non-clinical.

Each distinct grade and each distinct staff group is parsed once and the results are mapped back
onto the rows, so the cost does not grow with the number of staff.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from equality_reports.dataset import Dataset

__all__ = [
    "AFC_BANDS", "BAND_ORDER", "CLINICAL", "MEDICAL_BANDS", "MEDICAL_PAY_ORDER", "NON_CLINICAL", "PAY_SCALES",
    "UNKNOWN_BAND", "Grade", "classify_grades", "grade_summary", "grade_mapping_line", "order_grades", "parse_grade",
    "pay_scales", "staff_group_kind",
    "unrecognised_grades", "unrecognised_staff_groups",
]

UNKNOWN_BAND = "Other or unknown grade"
CLINICAL, NON_CLINICAL = "clinical", "non_clinical"

#: Indicator 1 rows in the order of the NHS England WRES data collection template.
AFC_BANDS: tuple[str, ...] = (
    "Under Band 1", "Band 1", "Band 2", "Band 3", "Band 4", "Band 5", "Band 6", "Band 7",
    "Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9", "VSM",
)
MEDICAL_BANDS: tuple[str, ...] = (
    "Consultants", "Non-consultant career grade", "Trainee grades", "Other medical and dental",
)
BAND_ORDER: tuple[str, ...] = AFC_BANDS + MEDICAL_BANDS + (UNKNOWN_BAND,)
OTHER_MEDICAL = "Other medical and dental"
#: the medical and dental subgroups lowest paid first, as grades are listed (indicator 1's rows keep
#: the template's order, :data:`MEDICAL_BANDS`); other medical grades, of no known seniority, last
MEDICAL_PAY_ORDER: tuple[str, ...] = ("Trainee grades", "Non-consultant career grade", "Consultants", OTHER_MEDICAL)
_PAY_POSITION = {row: i for i, row in enumerate((*AFC_BANDS, *MEDICAL_PAY_ORDER, UNKNOWN_BAND))}
#: the pay scales :func:`pay_scales` names, in the order grades are listed
PAY_SCALES = ("Agenda for Change bands and VSM", "medical and dental grades", "other grades")


@dataclass(frozen=True)
class Grade:
    """What one grade spelling says on its own (before staff group and board role are known).

    ``band_title`` is True when the text is an Agenda for Change band title, even one that names
    no valid band ("Band 8" without a range, "Band 10"): its other words then move no one.
    """

    band: str | None = None  # an AFC_BANDS row, "VSM" included, or None
    band_title: bool = False
    medical: str | None = None  # a MEDICAL_BANDS row from a medical grade name, or None


def _normalise(raw: object) -> str:
    text = str(raw).strip().lower().replace("&", " and ")
    text = re.sub(r"[_/,;:()\[\]]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


# A band title anywhere in the text: "band 5", "afc 8a", "afc-8b", "agenda for change band 8 - range b",
# "review body band 8 range c". Group 1 is the band number, group 2 the range letter when given.
_BAND_TITLE = re.compile(
    r"(?:\b(?:agenda for change|afc)\b[\s-]*(?:\bband\b)?|\bband\b)\s*-?\s*(\d{1,2})(?!\d)"
    r"(?:\s*-?\s*(?:\brange\b\s*-?\s*)?([a-d])\b)?")
# The whole text is a bare band: "8a", "8 a", "b3", "5".
_BARE_BAND = re.compile(r"^b?\s*(\d{1,2})\s*-?\s*([a-d])?$")
_UNDER_BAND_1 = re.compile(r"\b(?:under|pre)[\s-]*(?:band\s*)?1\b")

_VSM = re.compile(r"\bvsm\b|\bvery senior manag")
_EXECUTIVE = re.compile(r"(?<!non )(?<!non-)\bexec(?:utive)?\b")
_NOT_EXECUTIVE_GRADE = re.compile(r"\b(?:assistant|secretary|officer|pa|support|administrator|coordinator)\b")

# Words that name a profession other than medicine or dentistry: a grade with them is never medical.
_OTHER_PROFESSION = re.compile(
    r"nurs|midwi|pharmac|psycholog|physio|therap|scien|technic|technolog|radiograph|paramedic|"
    r"secretar|clerk|admin|health visitor|dietit|podiatr|optom|orthopt|audiolog|sonograph|"
    r"healthcare|support worker|porter|estates|financ|account|analyst|\bhr\b|human resources|"
    r"\bit\b|digital|co-?ordinator|advanced (?:clinical )?practitioner|physician associate|"
    r"social work|counsell|librar|chaplain")
_MEDICAL: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bconsultant\b"), "Consultants"),
    (re.compile(r"\bfoundation (?:year|doctor|house officer|trainee)\b|\bfy ?[12]\b|\bf[12]\b|"
                r"\bspecialty registrar\b|\bspecialist registrar\b|\bregistrar\b|\bstr\b|\bspr\b|"
                r"\bst ?[1-8]\b|\bct ?[1-3]\b|\bdct ?[1-3]\b|\bcore (?:medical |surgical |dental )?train|"
                r"\bspecialty train|\bgp (?:registrar|trainee|specialty trainee)\b|\btrainee doctor\b|"
                r"\bdoctor in training\b|\bsenior house officer\b|\bsho\b|\bhouse officer\b|"
                r"\bjunior doctor\b"), "Trainee grades"),
    (re.compile(r"\bspecialty doctor\b|\bassociate specialist\b|\bspecialist\b|\bstaff grade\b|"
                r"\btrust grade\b|\bcareer grade\b|\bsas\b|\bclinical assistant\b|"
                r"\bhospital practitioner\b"), "Non-consultant career grade"),
    (re.compile(r"\bdental (?:officer|surgeon|practitioner)\b|\bdentist\b|\bmedical officer\b|"
                r"\bdoctor\b|\bclinical fellow\b|\bmedical director\b|\bphysician\b|\bsurgeon\b|"
                r"\bpsychiatrist\b|\banaesthetist\b|\bgeneral practitioner\b"), OTHER_MEDICAL),
)


def _afc(text: str) -> tuple[bool, str | None]:
    """(is a band title, the band or None) from normalised text."""
    if _UNDER_BAND_1.search(text):
        return True, "Under Band 1"
    match = _BARE_BAND.match(text) or _BAND_TITLE.search(text)
    if not match:
        return False, None
    number, letter = int(match.group(1)), match.group(2)
    if number == 8:
        return True, f"Band 8{letter}" if letter else None
    return True, f"Band {number}" if 1 <= number <= 9 else None


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> Grade:
    title, band = _afc(text)
    if title:
        return Grade(band, True, None)
    if _VSM.search(text) or (_EXECUTIVE.search(text) and not _NOT_EXECUTIVE_GRADE.search(text)):
        return Grade("VSM")
    if not _OTHER_PROFESSION.search(text):
        for pattern, subgroup in _MEDICAL:
            if pattern.search(text):
                return Grade(medical=subgroup)
    return Grade()


def parse_grade(raw: object) -> Grade:
    """What one grade spelling says: an Agenda for Change band (or VSM), or a medical subgroup."""
    if raw is None or (isinstance(raw, float) and raw != raw) or raw is pd.NA:
        return Grade()
    text = _normalise(raw)
    return _parse_text(text) if text else Grade()


_NUMBER = re.compile(r"(\d+(?:\.\d+)?)")


def _natural_key(value: str) -> tuple[tuple[int, float, str], ...]:
    """Orders "Grade 2" before "Grade 10" and "SO1" before "SO2"."""
    return tuple((0, float(chunk), "") if _NUMBER.fullmatch(chunk) else (1, 0.0, chunk.strip())
                 for chunk in _NUMBER.split(value.strip().casefold()) if chunk)


def order_grades(grades: Iterable[object], explicit: Iterable[str] = ()) -> list[str]:
    """Distinct grades lowest first: the one grade order every report uses.

    Grades named in ``explicit`` (dataset.toml ``grade_order``) come first in that order; then pay
    order, lowest first on each pay scale (:func:`pay_scales`): Agenda for Change bands and VSM, then
    medical and dental grades (trainees, non-consultant career grades, consultants), then other
    grades in natural order ("Grade 2" before "Grade 10"), grades without a number ("Chief
    Officer") after the numbered ones.
    """
    distinct = list(dict.fromkeys(str(g) for g in grades if g is not None and not pd.isna(g)))
    named = [g for g in dict.fromkeys(str(e) for e in explicit) if g in distinct]
    scales = pay_scales(distinct)

    def key(grade: str) -> tuple[int, int, bool, tuple[tuple[int, float, str], ...]]:
        scale = PAY_SCALES.index(scales[grade])
        parsed = parse_grade(grade)
        row = grade if grade in _PAY_POSITION else parsed.band or parsed.medical
        # other grades sort by their names alone
        position = _PAY_POSITION[row] if row and scales[grade] != PAY_SCALES[-1] else len(_PAY_POSITION)
        return scale, position, _NUMBER.search(grade) is None, _natural_key(grade)

    return named + sorted((g for g in distinct if g not in named), key=key)


def pay_scales(grades: Iterable[object]) -> dict[str, str]:
    """Each distinct grade's pay scale, one of :data:`PAY_SCALES`: Agenda for Change bands (with VSM
    where there are bands: a council's "Chief Executive" is on its own grade list), medical and
    dental grades, or other grades. Grades on different scales are ranked within their own scale."""
    distinct = list(dict.fromkeys(str(g) for g in grades if g is not None and not pd.isna(g)))
    parsed = {g: parse_grade(g) for g in distinct}
    vsm = {g for g, p in parsed.items() if g == "VSM" or p.band == "VSM"}
    bands = any((g in AFC_BANDS or p.band) and g not in vsm for g, p in parsed.items())
    scales = {}
    for grade, p in parsed.items():
        if (grade in AFC_BANDS or p.band) and (bands or grade not in vsm):
            scales[grade] = PAY_SCALES[0]
        elif grade in MEDICAL_BANDS or p.medical:
            scales[grade] = PAY_SCALES[1]
        else:
            scales[grade] = PAY_SCALES[2]
    return scales


_STAFF_GROUPS: dict[str, str] = {
    **{name: "medical" for name in (
        "medical and dental", "medical", "dental", "medical and dental staff", "doctors", "medical staff")},
    **{name: CLINICAL for name in (
        "clinical", "clinician", "clinical staff", "nursing", "nursing and midwifery",
        "nursing and midwifery registered", "nursing and midwifery unregistered", "midwifery",
        "registered nurses", "allied health professionals", "allied health professional", "ahp", "ahps",
        "healthcare scientists", "healthcare scientist", "additional clinical services",
        "add prof scientific and technic", "additional professional scientific and technical",
        "additional professional scientific and technical staff", "scientific and technical",
        "scientific therapeutic and technical", "ambulance", "ambulance staff")},
    **{name: NON_CLINICAL for name in (
        "non clinical", "non-clinical", "nonclinical", "admin", "administrative and clerical",
        "admin and clerical", "add admin and clerical", "estates and ancillary", "estates", "ancillary",
        "corporate", "management", "students", "student")},
}


#: staff groups that say "clinical" without naming a profession
_GENERIC_CLINICAL = {"clinical", "clinician", "clinical staff"}


def _staff_group_key(raw: object) -> str:
    return re.sub(r"\s+", " ", str(raw).strip().lower().replace("&", " and ").replace("_", " "))


def staff_group_kind(raw: object) -> str | None:
    """"medical", "clinical", "non_clinical", or None for a blank or unrecognised staff group."""
    if raw is None or (isinstance(raw, float) and raw != raw) or raw is pd.NA:
        return None
    return _STAFF_GROUPS.get(_staff_group_key(raw))


def _distinct(series: pd.Series, parse: Any) -> tuple[np.ndarray, list[Any]]:
    """Codes per row and the parsed value of each distinct entry (missing values get the last code)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    parsed = [parse(u) for u in uniques] + [parse(None)]
    return np.where(codes < 0, len(uniques), codes), parsed


def _group_info(raw: object) -> tuple[int, bool]:
    """(kind code, says only "clinical") for one staff group: kind 0 blank or unknown, 1 medical,
    2 clinical, 3 non-clinical."""
    kind = staff_group_kind(raw)
    generic = kind is not None and _staff_group_key(raw) in _GENERIC_CLINICAL
    return {None: 0, "medical": 1, CLINICAL: 2, NON_CLINICAL: 3}[kind], generic


#: every row label classify_grades gives, by index
_LABELS = np.array(BAND_ORDER, dtype=object)
_LABEL = {label: i for i, label in enumerate(BAND_ORDER)}
_NONE, _VSM_I, _OTHER_I, _UNKNOWN_I = -1, _LABEL["VSM"], _LABEL[OTHER_MEDICAL], _LABEL[UNKNOWN_BAND]
_FIRST_MEDICAL, _LAST_MEDICAL = _LABEL[MEDICAL_BANDS[0]], _LABEL[MEDICAL_BANDS[-1]]


def classify_grades(grade: pd.Series | None, staff_group: pd.Series | None = None,
                    board_role: pd.Series | None = None, index: pd.Index | None = None) -> pd.DataFrame:
    """Per person: ``band`` (a :data:`BAND_ORDER` row), ``clinical`` and ``recognised``.

    ``clinical`` is :data:`CLINICAL` or :data:`NON_CLINICAL`; ``recognised`` is False where the
    band is :data:`UNKNOWN_BAND`. Columns that are not given count as blank. Each distinct grade,
    staff group and board role is read once; the rows are combined as small integers.
    """
    if index is None:
        index = next((s.index for s in (grade, staff_group, board_role) if s is not None), pd.RangeIndex(0))
    n = len(index)
    if grade is not None:
        codes, parsed = _distinct(grade, parse_grade)
        band = np.array([_LABEL[g.band] if g.band else _NONE for g in parsed], dtype=np.int16)[codes]
        title = np.array([g.band_title for g in parsed], dtype=bool)[codes]
        medical = np.array([_LABEL[g.medical] if g.medical else _NONE for g in parsed], dtype=np.int16)[codes]
    else:
        band, title, medical = np.full(n, _NONE, np.int16), np.zeros(n, bool), np.full(n, _NONE, np.int16)
    if staff_group is not None:
        codes, info = _distinct(staff_group, _group_info)
        kind = np.array([k for k, _ in info], dtype=np.int8)[codes]
        generic = np.array([g for _, g in info], dtype=bool)[codes]
    else:
        kind, generic = np.zeros(n, np.int8), np.zeros(n, bool)
    if board_role is not None:
        codes, roles = _distinct(board_role, lambda v: v is not None and str(v).strip().lower() == "voting_executive")
        executive = np.array(roles, dtype=bool)[codes]
    else:
        executive = np.zeros(n, bool)

    in_medical_group = kind == 1
    # a medical grade name counts unless the staff group names another profession
    medical = np.where(in_medical_group | (kind == 0) | generic, medical, _NONE)
    # Medical and Dental with a grade that is neither a band title nor a known medical grade
    medical = np.where(in_medical_group & ~title & (band == _NONE) & (medical == _NONE), _OTHER_I, medical)
    row = np.where(executive, _VSM_I, np.where(band != _NONE, band, np.where(medical != _NONE, medical, _UNKNOWN_I)))
    is_medical = (row >= _FIRST_MEDICAL) & (row <= _LAST_MEDICAL)
    clinical = is_medical | in_medical_group | (kind == 2)
    return pd.DataFrame({"band": _LABELS[row], "clinical": np.where(clinical, CLINICAL, NON_CLINICAL).astype(object),
                         "recognised": row != _UNKNOWN_I}, index=index)


def unrecognised_staff_groups(staff_group: pd.Series) -> list[str]:
    """Staff group values (stripped, lower case) that are neither clinical nor non-clinical names."""
    values = staff_group.astype("string").str.strip().str.lower().dropna()
    return sorted(v for v in values[values != ""].unique() if staff_group_kind(v) is None)


def unrecognised_grades(staff: pd.DataFrame) -> pd.DataFrame:
    """Grades that give no band, with the number of staff holding each (most staff first).

    Columns ``grade`` (as written; blank grades as an empty string) and ``staff``.
    """
    graded = classify_grades(staff.get("grade"), staff.get("staff_group"), staff.get("board_role"), staff.index)
    odd = ~graded["recognised"].to_numpy(dtype=bool)
    if "grade" in staff.columns:
        text = staff.loc[odd, "grade"].astype("string").str.strip().fillna("")
    else:
        text = pd.Series("", index=staff.index[odd], dtype="string")
    counts = text.value_counts(sort=False)
    out = pd.DataFrame({"grade": counts.index.astype(str), "staff": counts.to_numpy(dtype="int64")})
    return out.sort_values(["staff", "grade"], ascending=[False, True], kind="stable").reset_index(drop=True)


def grade_mapping_line(grades: list[str], target: str = "Band ?") -> str:
    """A ``values.grade`` line for dataset.toml (under ``[tables.staff]``) mapping each grade."""
    pairs = ", ".join(f"{json.dumps(g, ensure_ascii=False)} = {json.dumps(target)}" for g in grades if g)
    return f"values.grade = {{ {pairs} }}"


def grade_summary(dataset: Dataset, limit: int = 30) -> dict[str, Any] | None:
    """For ``validate``: grades that give no pay band (NHS datasets), with a mapping line.

    Counts staff in the WRES workforce (directly employed, not bank-only): non-executive
    directors and agency staff have no pay band to find.
    """
    from equality_reports.measures.population import DIRECTLY_EMPLOYED_NOT_BANK

    staff = dataset.tables.get("staff")
    if dataset.sector != "nhs" or staff is None or not len(staff):
        return None
    odd = unrecognised_grades(staff[DIRECTLY_EMPLOYED_NOT_BANK.members(staff).to_numpy(dtype=bool)])
    if not len(odd):
        return {"staff": 0, "grades": [], "mapping": ""}
    named = [g for g in odd["grade"].tolist() if g]
    return {
        "staff": int(odd["staff"].sum()),
        "grades": [{"grade": g or "(blank)", "staff": int(n)} for g, n in zip(odd["grade"], odd["staff"])][:limit],
        "more": max(len(odd) - limit, 0),
        "mapping": grade_mapping_line(named[:limit]) if named else "",
    }
