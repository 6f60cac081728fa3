"""Synthetic sample datasets: realistic shapes and messy codes, generated with numpy (no loops over staff).

The numbers are invented. Shares are plausible for English councils and NHS trusts: the minority
ethnic share falls with seniority, minority ethnic applicants are less often shortlisted and
appointed, and are more often in disciplinary cases, as the national WRES reports show.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from equality_reports.classification import CATEGORIES, ETHNICITY, Classifier
from equality_reports.document import long_date
from equality_reports.errors import InputError
from equality_reports.intake.contract import Contract, SampleContext, TableSpec, default_contract

KINDS = {"council": 1800, "nhs_trust": 2500, "social_care": 900, "small_body": 120}
ORGANISATIONS = {"council": ("Northshire County Council", "local_government"),
                 "nhs_trust": ("Riverside Hospitals NHS Foundation Trust", "nhs"),
                 "social_care": ("Westvale Borough Council Social Care", "social_care"),
                 "small_body": ("Eastbrook Parish Council", "other")}

_CAT_IDS = [c.id for c in CATEGORIES]
# workforce shares (per cent) by category, in CATEGORIES order
_WORKFORCE = np.array([70, 1.2, 0.3, 0.2, 6.0, 1.0, 0.8, 0.8, 0.8, 3.5, 2.5, 1.0, 0.7, 1.5, 1.3, 3.0, 0.5,
                       0.5, 0.6, 2.3, 1.5])
_CENSUS = np.array([74, 0.9, 0.1, 0.2, 6.2, 0.9, 0.4, 0.7, 0.6, 3.1, 2.7, 1.1, 0.8, 1.6, 1.1, 2.5, 0.5,
                    0.6, 1.0, 0.0, 0.0])

# Messy spellings per category: NHS code strings and ONS labels as HR systems export them
_NHS_TEXT = {"white_british": ["A", "A White - British", "A1 English"], "white_irish": ["B", "B White - Irish"],
             "white_gypsy_traveller": ["CG Gypsy/Traveller"], "white_roma": ["C Roma"],
             "white_other": ["C", "C White - Any other White background", "C3 White Unspecified"],
             "mixed_white_black_caribbean": ["D"], "mixed_white_black_african": ["E"],
             "mixed_white_asian": ["F"], "mixed_other": ["G", "G Mixed - Any other mixed background"],
             "asian_indian": ["H", "H Asian or Asian British - Indian"], "asian_pakistani": ["J"],
             "asian_bangladeshi": ["K"], "asian_chinese": ["R", "R Chinese"], "asian_other": ["L"],
             "black_caribbean": ["M", "M Black or Black British - Caribbean"],
             "black_african": ["N", "N Black or Black British - African"], "black_other": ["P"],
             "other_arab": ["S Arab"], "other_any": ["S", "S Any Other Ethnic Group"],
             "not_stated": ["Z", "Z Not Stated"], "not_known": ["99", ""]}
_ONS_TEXT = {"white_british": ["White British", "White - English/Welsh/Scottish/Northern Irish/British",
                               "White: English, Welsh, Scottish, Northern Irish or British"],
             "white_irish": ["White Irish", "White - Irish"], "white_gypsy_traveller": ["Gypsy or Irish Traveller"],
             "white_roma": ["Roma"], "white_other": ["White Other", "Any other White background"],
             "mixed_white_black_caribbean": ["Mixed White and Black Caribbean"],
             "mixed_white_black_african": ["Mixed - White and Black African"],
             "mixed_white_asian": ["Mixed White and Asian"], "mixed_other": ["Any other Mixed background"],
             "asian_indian": ["Asian or Asian British: Indian", "Indian"], "asian_pakistani": ["Asian Pakistani"],
             "asian_bangladeshi": ["Asian or Asian British - Bangladeshi"], "asian_chinese": ["Chinese"],
             "asian_other": ["Asian Other"], "black_caribbean": ["Black Caribbean"],
             "black_african": ["Black African", "Black or Black British: African"], "black_other": ["Black Other"],
             "other_arab": ["Arab"], "other_any": ["Any other ethnic group"],
             "not_stated": ["Prefer not to say", "Not declared"], "not_known": ["", "Not known"]}


def _pick(rng: np.random.Generator, options: list[str], size: int, p: list[float] | None = None) -> np.ndarray:
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=size, p=p)]


def _ethnicity(rng: np.random.Generator, n: int, minority_boost: float) -> np.ndarray:
    weights = _WORKFORCE.copy()
    minority = np.array([c.binary == "minority_ethnic" for c in CATEGORIES])
    weights[minority] *= minority_boost
    return np.asarray(_CAT_IDS, dtype=object)[rng.choice(len(_CAT_IDS), size=n, p=weights / weights.sum())]


def _messy(rng: np.random.Generator, categories: np.ndarray, table: dict[str, list[str]]) -> np.ndarray:
    """Raw strings for category ids: each category's spellings chosen at random (vectorised per category)."""
    out = np.empty(len(categories), dtype=object)
    for cat, spellings in table.items():
        mask = categories == cat
        if mask.any():
            out[mask] = _pick(rng, spellings, int(mask.sum()))
    return out


#: the year the samples in sample_data/ cover (their data is unchanged by ``period_end``)
SAMPLE_PERIOD_END = date(2026, 3, 31)


def generate_sample(folder: Path, kind: str, staff: int | None = None, seed: int = 0,
                    period_end: date = SAMPLE_PERIOD_END, contract: Contract | None = None) -> Path:
    """Write a synthetic dataset of ``kind`` for the year ending ``period_end`` to ``folder`` (other
    files there are left alone): a file per table of ``contract`` (default: the installed plugins').
    Another year gets other people and numbers (the random streams depend on seed and year) and
    dates within its own year."""
    contract = contract or default_contract()
    if kind not in KINDS:
        raise InputError(f"unknown kind '{kind}': choose one of {', '.join(KINDS)}")
    n = staff or KINDS[kind]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        period_start = date(period_end.year - 1, period_end.month, period_end.day) + timedelta(days=1)
    except ValueError:  # 29 February
        period_start = date(period_end.year - 1, 3, 1)
    streams = [seed] if period_end == SAMPLE_PERIOD_END else [seed, period_end.toordinal()]
    rng = np.random.default_rng(streams)
    nhs = kind == "nhs_trust"
    organisation, sector = ORGANISATIONS[kind]
    boost = 2.2 if nhs else 1.0
    cats = _ethnicity(rng, n, boost)
    minority = np.isin(cats, [c.id for c in CATEGORIES if c.binary == "minority_ethnic"])
    # seniority: minority ethnic staff are less often in senior grades
    seniority = rng.beta(2.0, 3.2, size=n) * np.where(minority, 0.9, 1.0)
    spellings = _NHS_TEXT if nhs else _ONS_TEXT
    frame = pd.DataFrame({"person_id": [f"E{i:07d}" for i in range(1, n + 1)],
                          "ethnicity": _messy(rng, cats, spellings)})
    if nhs:
        medical = rng.random(n) < 0.11
        bands = np.array(["Band 2", "Band 3", "Band 4", "Band 5", "Band 6", "Band 7", "Band 8a", "Band 8b",
                          "Band 8c", "Band 8d", "Band 9", "VSM"], dtype=object)
        idx = np.minimum((seniority * 1.35 * len(bands)).astype(int), len(bands) - 1)
        grade = bands[idx]
        med_grades = np.array(["Foundation Year 1", "Foundation Year 2", "Specialty Registrar", "Specialty Doctor",
                               "Consultant"], dtype=object)
        grade[medical] = med_grades[np.minimum((seniority[medical] * 1.6 * 5).astype(int), 4)]
        group = _pick(rng, ["Nursing and Midwifery Registered", "Allied Health Professionals",
                            "Additional Clinical Services", "Administrative and Clerical", "Estates and Ancillary"],
                      n, [0.33, 0.12, 0.2, 0.28, 0.07])
        group[medical] = "Medical and Dental"
        frame["grade"], frame["staff_group"] = grade, group
    else:
        grades = np.array([f"Grade {i}" for i in range(1, 13)] + ["Chief Officer"], dtype=object)
        idx = np.minimum((seniority * 1.3 * len(grades)).astype(int), len(grades) - 1)
        frame["grade"] = grades[idx]
        services = (["adults", "childrens"], [0.55, 0.45]) if kind == "social_care" else \
            (["adults", "childrens", "place", "resources"], [0.3, 0.25, 0.25, 0.2])
        frame["service"] = _pick(rng, services[0], n, services[1])
        frame["staff_group"] = _pick(rng, ["Social work", "Care and support", "Business support", "Management"],
                                     n, [0.2, 0.45, 0.25, 0.1])
    part = rng.random(n) < 0.3
    frame["contract"] = np.where(part, "Part time", "Full time")
    fte = np.where(part, np.round(rng.uniform(0.4, 0.9, n), 2), 1.0)
    if kind == "small_body":
        fte = np.where(part, 0.5, 1.0)
    frame["fte"] = fte
    frame["sex"] = _pick(rng, ["Female", "Male", "Prefer not to say"], n, [0.66, 0.33, 0.01])
    frame["disability"] = _pick(rng, ["No", "Yes", "Prefer not to say", ""], n, [0.8, 0.08, 0.05, 0.07])
    frame["religion"] = _pick(rng, ["Christian", "No religion", "Muslim", "Hindu", "Sikh", "Jewish", "Buddhist",
                                    "Other", "Prefer not to say"], n, [0.42, 0.37, 0.07, 0.03, 0.015, 0.005, 0.005,
                                                                       0.015, 0.07])
    frame["age"] = np.clip(rng.normal(44, 11, n).round(), 18, 70).astype(int)
    start_days = rng.integers(0, 365 * 25, n)
    frame["start_date"] = pd.Timestamp(period_end) - pd.to_timedelta(start_days, unit="D")
    frame["senior_manager"] = np.where(seniority > np.quantile(seniority, 0.96), "Y", "N")
    regulated = (frame["staff_group"].to_numpy() == "Social work") if not nhs else np.zeros(n, bool)
    frame["regulated_professional"] = np.where(regulated, "Y", "N")
    frame["directly_employed"] = np.where(rng.random(n) < 0.97, "Y", "N")
    if nhs:
        frame["bank"] = np.where(rng.random(n) < 0.05, "Y", "N")
        frame["board_role"] = ""
        top = np.argsort(-seniority)[:7]
        frame.loc[top, "board_role"] = "voting_executive"
        frame.loc[top, "grade"] = "VSM"
        neds = pd.DataFrame({"person_id": [f"NED{i:03d}" for i in range(1, 7)],
                             "ethnicity": ["A", "A White - British", "N", "A", "H", "Z"],
                             "grade": "Non-executive director", "staff_group": "Board",
                             "directly_employed": "N", "bank": "N", "board_role": "voting_non_executive",
                             "contract": "Part time", "fte": 0.1})
        frame = pd.concat([frame, neds], ignore_index=True)
    if "hourly_pay" in {c.name for c in contract["staff"].columns}:
        _pay(np.random.default_rng([streams[0] + 3, *streams[1:]]), frame, kind, period_end)
    ids = frame["person_id"].to_numpy()[:n]
    minority_ids = minority

    def people(rate: float, weight_minority: float = 1.0) -> np.ndarray:
        """Staff positions chosen for an event, minority ethnic staff weighted."""
        k = max(1, int(n * rate))
        w = np.where(minority_ids, weight_minority, 1.0)
        return rng.choice(n, size=k, replace=True, p=w / w.sum())

    tables: dict[str, pd.DataFrame] = {}
    # recruitment funnel: applicants more diverse than staff; lower conversion for minority applicants
    a = max(10, int(n * 0.9))
    app_cats = _ethnicity(rng, a, 2.0 * boost)
    app_min = np.isin(app_cats, [c.id for c in CATEGORIES if c.binary == "minority_ethnic"])
    short = rng.random(a) < np.where(app_min, 0.24, 0.36)
    appointed = short & (rng.random(a) < np.where(app_min, 0.21, 0.30))
    tables["applications"] = pd.DataFrame({
        "application_id": [f"A{i:07d}" for i in range(1, a + 1)], "ethnicity": _messy(rng, app_cats, spellings),
        "shortlisted": np.where(short, "Yes", "No"), "appointed": np.where(appointed, "Yes", "No"),
        "vacancy_id": [f"V{i:05d}" for i in rng.integers(1, max(2, a // 20), a)],
        **({} if nhs else {"service": _pick(rng, ["adults", "childrens"], a)}),
    })
    t = people(0.7)
    mandatory = rng.random(len(t)) < 0.55
    tables["training"] = pd.DataFrame({
        "person_id": ids[t], "mandatory": np.where(mandatory, "Y", "N"), "applied": "Y",
        "received": np.where(rng.random(len(t)) < np.where(minority_ids[t], 0.78, 0.86), "Y", "N"),
        "funded": np.where(rng.random(len(t)) < 0.6, "Y", "N"),
        "course": _pick(rng, ["Leadership", "Safeguarding", "Coaching", "Data protection", "Professional CPD"],
                        len(t))})
    p = people(0.06)
    tables["promotions"] = pd.DataFrame({"person_id": ids[p], "promoted": np.where(
        rng.random(len(p)) < np.where(minority_ids[p], 0.28, 0.38), "Y", "N")})
    d = people(0.025, 1.6)
    tables["disciplinary"] = pd.DataFrame({
        "case_id": [f"D{i:06d}" for i in range(1, len(d) + 1)], "person_id": ids[d],
        "formal": np.where(rng.random(len(d)) < 0.8, "Y", "N"),
        "start_date": (pd.Timestamp(period_start)
                       + pd.to_timedelta(rng.integers(0, 365, len(d)), unit="D")).strftime("%d/%m/%Y"),
        "outcome": _pick(rng, ["No case to answer", "First written warning", "Final written warning", "Dismissal"],
                         len(d), [0.4, 0.35, 0.17, 0.08])})
    g = people(0.012, 1.3)
    resp = rng.integers(0, n, len(g))
    tables["grievances"] = pd.DataFrame({
        "case_id": np.repeat([f"G{i:05d}" for i in range(1, len(g) + 1)], 2),
        "person_id": np.column_stack([ids[g], ids[resp]]).ravel(),
        "role": np.tile(["complainant", "respondent"], len(g)),
        "outcome": np.repeat(_pick(rng, ["Upheld", "Partly upheld", "Not upheld"], len(g), [0.25, 0.25, 0.5]), 2)})
    ap = rng.choice(n, size=int(n * 0.85), replace=False)
    r = rng.random(len(ap))
    det = np.where(minority_ids[ap], 0.07, 0.045)
    ben = np.where(minority_ids[ap], 0.18, 0.25)
    tables["appraisals"] = pd.DataFrame({"person_id": ids[ap], "outcome": np.where(r < det, "detriment", np.where(
        r < det + ben, "benefit", "neutral")), "rating": np.where(r < det, "Below", np.where(r < det + ben,
                                                                                           "Exceeds", "Meets"))})
    lv = max(5, int(n * 0.13))
    lv_cats = _ethnicity(rng, lv, boost * 1.15)
    leave = pd.Timestamp(period_start) + pd.to_timedelta(rng.integers(0, 365, lv), unit="D")
    reasons = ["Voluntary resignation – relocation", "Voluntary resignation – better pay", "Retirement",
               "End of fixed-term contract", "Dismissal", "Redundancy"]
    reason = _pick(rng, reasons, lv, [0.35, 0.25, 0.15, 0.12, 0.05, 0.08])
    tables["leavers"] = pd.DataFrame({
        "person_id": [f"L{i:07d}" for i in range(1, lv + 1)], "ethnicity": _messy(rng, lv_cats, spellings),
        "leave_date": leave.strftime("%d/%m/%Y"), "reason": reason,
        "voluntary": np.where(np.char.startswith(reason.astype(str), "Voluntary") | (reason == "Retirement"), "Y", "N"),
        **({} if nhs else {"service": _pick(rng, ["adults", "childrens"], lv)})})
    if kind in ("council", "social_care"):
        reg = np.flatnonzero(regulated)
        if len(reg):
            w = np.where(minority_ids[reg], 2.0, 1.0)
            chosen = rng.choice(reg, size=max(1, int(len(reg) * 0.04)), replace=False, p=w / w.sum())
            tables["fitness_to_practise"] = pd.DataFrame({"person_id": ids[chosen], "referral_date": (
                pd.Timestamp(period_start)
                + pd.to_timedelta(rng.integers(0, 365, len(chosen)), unit="D")).strftime("%Y-%m-%d")})
    if kind in ("nhs_trust", "social_care"):
        questions = {"harassment_public": (0.27, 0.30), "harassment_staff": (0.23, 0.28),
                     "equal_opportunities": (0.58, 0.45), "discrimination": (0.07, 0.16),
                     "harassment_colleague": (0.18, 0.22), "harassment_manager": (0.10, 0.14)}
        white_n, min_n = int((~minority_ids).sum() * 0.45), int(minority_ids.sum() * 0.4)
        rows = []
        for q, (w_rate, m_rate) in questions.items():
            for grp, resp_n, rate in (("White", white_n, w_rate), ("BME", min_n, m_rate)):
                rows.append({"question": q, "group": grp, "respondents": resp_n,
                             "positive": int(rng.binomial(max(resp_n, 0), rate))})
        tables["staff_survey"] = pd.DataFrame(rows)
    if kind != "small_body":
        population = rng.integers(150_000, 900_000)
        counts = np.round(_CENSUS / _CENSUS.sum() * population).astype(int)
        keep = counts > 0
        tables["benchmark"] = pd.DataFrame({"ethnicity": [c.label for c, k in zip(CATEGORIES, keep) if k],
                                            "count": counts[keep]})
    tables["actions"] = pd.DataFrame({
        "action": ["Introduce diverse interview panels for posts at grade 9 and above",
                   "Run a positive action development programme for minority ethnic staff",
                   "Review disciplinary cases for disproportionality every quarter",
                   "Improve the ethnicity declaration rate through a records campaign"],
        "who": ["Director of People", "Head of Organisational Development", "HR Business Partners",
                "HR Systems Manager"],
        "by_when": [f"{d:%d/%m/%Y}" for d in (date(period_end.year - 1, 12, 31), date(period_end.year, 9, 30),
                                              date(period_end.year, 3, 31), date(period_end.year, 6, 30))],
        "framework": ["", "", "", ""], "area": ["", "", "", ""], "criterion": ["", "", "", ""],
        "status": ["In progress", "Not started", "In progress", "Complete"]})
    if kind == "nhs_trust":  # the race actions are the race reports'; the WDES has its own
        actions = tables["actions"].assign(framework="rraa-employment; wres")
        actions.loc[0, "action"] = "Introduce diverse interview panels for posts at Band 8a and above"
        disability = pd.DataFrame({
            "action": ["Offer reasonable adjustment passports to every disabled member of staff",
                       "Review capability cases for disabled staff with Occupational Health each quarter"],
            "who": ["Head of Occupational Health", "HR Business Partners"],
            "by_when": [f"{d:%d/%m/%Y}" for d in (date(period_end.year, 12, 31), date(period_end.year, 6, 30))],
            "framework": ["wdes", "wdes"], "area": ["", ""], "criterion": ["", ""],
            "status": ["Not started", "In progress"]})
        tables["actions"] = pd.concat([actions, disability], ignore_index=True)
    _dates_and_applicants(np.random.default_rng([streams[0] + 1, *streams[1:]]), tables, period_start)
    tables = {name: frame for name, frame in tables.items() if name in contract}
    _disability_rows(np.random.default_rng([streams[0] + 3, *streams[1:]]), tables, contract, kind)
    ctx = SampleContext(kind, sector, period_start, period_end, np.random.default_rng([streams[0] + 2, *streams[1:]]),
                        tuple(frame["person_id"].astype(str)))
    for spec in contract.tables.values():
        if spec.name != "staff" and spec.name not in tables:
            tables[spec.name] = spec.sample(ctx) if spec.sample else _rows_from_spec(spec, ctx, contract)
    _write(folder, kind, frame, tables, organisation, sector, period_start, period_end, n)
    return folder


# hourly pay points per grade (2025/26, pounds an hour): (lowest point, step between points, points)
_AFC = {"Band 2": (12.51, 0.0, 1), "Band 3": (12.75, 0.45, 2), "Band 4": (14.06, 0.72, 2),
        "Band 5": (15.88, 1.15, 4), "Band 6": (19.78, 1.35, 4), "Band 7": (24.45, 1.18, 4),
        "Band 8a": (28.48, 1.19, 4), "Band 8b": (32.97, 1.78, 4), "Band 8c": (39.36, 2.0, 4),
        "Band 8d": (46.71, 2.39, 4), "Band 9": (55.84, 2.8, 4), "VSM": (72.0, 4.0, 3),
        "Foundation Year 1": (18.62, 0.0, 1), "Foundation Year 2": (21.30, 0.0, 1),
        "Specialty Registrar": (25.25, 1.68, 4), "Specialty Doctor": (29.66, 4.15, 5),
        "Consultant": (52.61, 3.43, 6)}
_COUNCIL = {**{f"Grade {i}": (round(12.65 * 1.085 ** (i - 1), 2), round(12.65 * 1.085 ** (i - 1) * 0.035, 2), 4)
               for i in range(1, 13)}, "Chief Officer": (52.0, 3.0, 3)}


def _pay(rng: np.random.Generator, frame: pd.DataFrame, kind: str, period_end: date) -> None:
    """``hourly_pay``, ``bonus_pay`` and ``full_pay_relevant`` for the gender pay gap, from their own
    random stream (every other column is unchanged). Pay follows the grade's points, higher with
    service; men are somewhat more often on a higher point or paid a market supplement, which gives
    the modest gap councils and trusts typically report. Bonuses: clinical excellence awards for
    consultants in the NHS sample, a few recognition payments in the councils, none in the small body.
    """
    n = len(frame)
    points = pd.DataFrame.from_dict(_AFC if kind == "nhs_trust" else _COUNCIL, orient="index",
                                    columns=["low", "step", "count"])
    grade = frame["grade"].astype(object)
    low = grade.map(points["low"]).to_numpy(dtype=float)
    step = grade.map(points["step"]).fillna(0).to_numpy(dtype=float)
    count = grade.map(points["count"]).fillna(1).to_numpy(dtype=float)
    service = ((pd.Timestamp(period_end) - pd.to_datetime(frame["start_date"])).dt.days / 365.25).fillna(0).to_numpy()
    man = frame["sex"].to_numpy(dtype=object) == "Male"
    shift = np.where(man, (rng.random(n) < 0.7).astype(int) + (rng.random(n) < 0.3), 0)
    point = np.minimum(np.floor(service / 6) + shift, count - 1)
    supplement = rng.random(n) < np.where(man, 0.2, 0.05)
    hourly = np.round((low + step * point) * np.where(supplement, 1.15, 1.0), 2)
    frame["hourly_pay"] = np.where(np.isnan(low), np.nan, hourly)
    leave = rng.random(n) < np.where(man, 0.03, 0.045)
    frame["full_pay_relevant"] = np.where(np.isnan(low), "", np.where(leave, "N", "Y"))
    if kind == "nhs_trust":
        paid = (grade.to_numpy(dtype=object) == "Consultant") & (rng.random(n) < np.where(man, 0.85, 0.65))
        amount = rng.choice([3_016, 6_032, 9_048, 12_064, 19_480, 25_500], n, p=[0.3, 0.25, 0.2, 0.12, 0.08, 0.05])
    elif kind == "small_body":
        paid, amount = np.zeros(n, dtype=bool), np.zeros(n)
    else:
        paid = rng.random(n) < np.where(man, 0.035, 0.025)
        amount = rng.choice([100, 150, 250, 500, 1000], n, p=[0.35, 0.25, 0.2, 0.15, 0.05])
    frame["bonus_pay"] = np.where(paid, amount, 0).astype(float)
    frame.loc[np.isnan(low), "bonus_pay"] = np.nan


def _rows_from_spec(spec: TableSpec, ctx: SampleContext, contract: Contract, rows: int = 5) -> pd.DataFrame:
    """A few rows of a table no sample writer knows, made from its column specs (plausible types and
    allowed values, not realistic figures)."""
    out: dict[str, object] = {}
    for col in spec.columns:
        if col.type == "id":
            out[col.name] = [f"{col.name[:3].upper()}{i:04d}" for i in range(1, rows + 1)]
        elif col.type == "bool":
            out[col.name] = ctx.rng.choice(["Y", "N"], rows)
        elif col.type == "date":
            days = ctx.rng.integers(0, (ctx.period_end - ctx.period_start).days + 1, rows)
            out[col.name] = [f"{ctx.period_start + timedelta(days=int(d)):%d/%m/%Y}" for d in days]
        elif col.type == "number":
            low = col.minimum if col.minimum is not None else 0
            high = col.maximum if col.maximum is not None else low + 100
            values = ctx.rng.uniform(low, high, rows)
            out[col.name] = np.ceil(values).astype(int) if col.integer else np.round(np.maximum(values, 0.01), 2)
        elif col.type == "choice":
            out[col.name] = ctx.rng.choice(list(col.choices), rows)
        elif col.classification == ETHNICITY:
            out[col.name] = ctx.rng.choice(_CAT_IDS, rows)
        elif col.classification:
            labels = Classifier(contract.schemes_for(col.classification), col.classification).categories()
            out[col.name] = ctx.rng.choice(list(labels.values()), rows)
        else:
            out[col.name] = [f"{col.name.replace('_', ' ').capitalize()} {i}" for i in range(1, rows + 1)]
    return pd.DataFrame(out)


def _dates_and_applicants(rng: np.random.Generator, tables: dict[str, pd.DataFrame], period_start: date) -> None:
    """The date columns that place events in the year, and applicant ids, as HR extracts carry them.

    A separate random stream, so the rest of a seed's data is unchanged. Like real extracts, a few
    disciplinary cases opened late last year are still on the list: the engine leaves them out.
    """
    def in_year(k: int, fmt: str = "%d/%m/%Y") -> pd.Index:
        return (pd.Timestamp(period_start) + pd.to_timedelta(rng.integers(0, 365, k), unit="D")).strftime(fmt)

    for name, column in (("training", "training_date"), ("promotions", "application_date"),
                         ("appraisals", "appraisal_date"), ("applications", "application_date")):
        tables[name][column] = in_year(len(tables[name]))
    grievances = tables["grievances"]
    tables["grievances"]["start_date"] = np.repeat(in_year(len(grievances) // 2), 2)
    apps = tables["applications"]
    repeat = rng.random(len(apps)) < 0.08  # about one applicant in twelve applied twice
    number = np.arange(1, len(apps) + 1) - np.cumsum(repeat)
    apps["applicant_id"] = [f"P{i:07d}" for i in number]
    # a person's second application records the ethnic group their first did
    apps["ethnicity"] = apps.groupby("applicant_id", sort=False)["ethnicity"].transform("first").to_numpy()
    disc = tables["disciplinary"]
    late = rng.random(len(disc)) < 0.05
    before = (pd.Timestamp(period_start) - pd.to_timedelta(rng.integers(1, 90, len(disc)), unit="D"))
    disc["start_date"] = np.where(late, before.strftime("%d/%m/%Y"), disc["start_date"])
    dismissals_are_leavers(tables, period_start)


def dismissals_are_leavers(tables: dict[str, pd.DataFrame], period_start: date) -> None:
    """A disciplinary case ending in dismissal is of someone who left by dismissal, as in a real
    extract: each such case is given to a leaver whose reason is dismissal (a formal case opened six
    weeks before they left, or at the start of the year); cases beyond the dismissed leavers end in a
    final written warning instead."""
    disc, leavers = tables.get("disciplinary"), tables.get("leavers")
    if disc is None or leavers is None or "outcome" not in disc.columns or "reason" not in leavers.columns:
        return
    cases = np.flatnonzero((disc["outcome"] == "Dismissal").to_numpy(dtype=bool))
    gone = np.flatnonzero((leavers["reason"] == "Dismissal").to_numpy(dtype=bool))
    k = min(len(cases), len(gone))
    disc.loc[disc.index[cases[k:]], "outcome"] = "Final written warning"
    rows, who = disc.index[cases[:k]], leavers.iloc[gone[:k]]
    opened = (pd.to_datetime(who["leave_date"], dayfirst=True) - pd.Timedelta(days=42)).clip(
        lower=pd.Timestamp(period_start))
    disc.loc[rows, "person_id"] = who["person_id"].to_numpy()
    disc.loc[rows, "formal"] = "Y"
    disc.loc[rows, "start_date"] = opened.dt.strftime("%d/%m/%Y").to_numpy()


def _disability_rows(rng: np.random.Generator, tables: dict[str, pd.DataFrame], contract: Contract, kind: str) -> None:
    """Applicants' disability status and the staff survey's disabled / non-disabled rows, when an
    installed report (the WDES) declares them. A stream of its own: the rest of the data is unchanged."""
    apps = tables.get("applications")
    if apps is not None and "applications" in contract and contract["applications"].column("disability"):
        ids = apps["applicant_id"].unique()
        status = pd.Series(_pick(rng, ["No", "Yes", "Prefer not to say", ""], len(ids), [0.82, 0.11, 0.04, 0.03]),
                           index=ids)
        apps["disability"] = apps["applicant_id"].map(status).to_numpy()
    survey = tables.get("staff_survey")
    if kind != "nhs_trust" or survey is None or not contract["staff_survey"].column("score"):
        return
    respondents = int(survey["respondents"].max() * 1.4)
    disabled, non_disabled = int(respondents * 0.22), int(respondents * 0.75)
    rows = []
    for question, rates in {"harassment_public": (0.33, 0.25), "harassment_manager": (0.17, 0.10),
                            "harassment_colleague": (0.26, 0.17), "harassment_reported": (0.49, 0.48),
                            "equal_opportunities": (0.51, 0.58), "presenteeism": (0.30, 0.21),
                            "valued": (0.33, 0.43), "adjustments": (0.73, None)}.items():
        for group, count, rate in (("Disabled", disabled, rates[0]), ("Non-disabled", non_disabled, rates[1])):
            if rate is not None:
                asked = count if question != "harassment_reported" else int(count * 0.3)
                rows.append({"question": question, "group": group, "respondents": asked,
                             "positive": int(rng.binomial(asked, rate))})
    for group, count, score in (("Disabled", disabled, 6.4), ("Non-disabled", non_disabled, 7.0),
                                ("All", respondents, 6.85)):
        rows.append({"question": "engagement", "group": group, "respondents": count,
                     "score": round(score + rng.normal(0, 0.1), 2)})
    tables["staff_survey"] = pd.concat([survey, pd.DataFrame(rows)], ignore_index=True).astype(
        {"positive": "Int64"})


#: report options each sample keeps in its dataset.toml
SAMPLE_OPTIONS = {
    "council": ("# report options kept with the data (a --option on the command line overrides one)", "[options]",
                "# the Social Care WRES covers the council's social care workforce: adults' and children's services",
                'social_care_services = "adults, childrens"', ""),
    "nhs_trust": ("# report options kept with the data (a --option on the command line overrides one)", "[options]",
                  "", "# the RRAA report counts the people the WRES counts (bank-only workers have their own Bank "
                  "WRES):", "# its default for an NHS body, written out so the choice stays with the data; the pay "
                  "gap reports", "# keep them, as relevant employees under the gender pay gap regulations",
                  "[options.rraa-employment]", 'bank_workers = "exclude"', ""),
    "social_care": ("# the council's social care services: duties resting on an employer's size rest on the council",
                    'part_of = "Westvale Borough Council"', ""),
}


def _write(folder: Path, kind: str, staff: pd.DataFrame, tables: dict[str, pd.DataFrame], organisation: str,
           sector: str, start: date, end: date, n: int) -> None:
    toml = [f'organisation = "{organisation}"', f'sector = "{sector}"', f"period_start = {start.isoformat()}",
            f"period_end = {end.isoformat()}", "", *SAMPLE_OPTIONS.get(kind, ())]
    staff = staff.copy()
    staff["start_date"] = pd.to_datetime(staff["start_date"]).dt.strftime("%d/%m/%Y")
    if kind == "council" and n <= 20_000:
        # the shape HR systems export: a title row above the header and local column names
        local = {"person_id": "Employee No", "ethnicity": "Ethnic Origin", "grade": "Pay Grade",
                 "service": "Directorate", "contract": "Contract Type", "fte": "FTE"}
        out = staff.rename(columns=local)
        path = folder / f"HR extract {end:%B %Y}.xlsx"
        with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
            pd.DataFrame([[f"Northshire County Council - staff in post at {long_date(end)} (SAMPLE DATA)"]]).to_excel(
                writer, sheet_name="Staff", header=False, index=False)
            out.to_excel(writer, sheet_name="Staff", startrow=2, index=False)
        cols = ", ".join(f'{k} = "{v}"' for k, v in local.items())
        toml += ["[tables.staff]", f'path = "{path.name}"', 'sheet = "Staff"', f"columns = {{ {cols} }}", ""]
    else:
        staff.to_csv(folder / "staff.csv", index=False)
    for name, frame in tables.items():
        if name == "leavers" and kind in ("council", "social_care"):
            # Excel's "CSV" on Windows: cp1252 (the reasons contain an en dash)
            frame.to_csv(folder / f"{name}.csv", index=False, encoding="cp1252")
        else:
            frame.to_csv(folder / f"{name}.csv", index=False)
    (folder / "dataset.toml").write_text("\n".join(toml), encoding="utf-8")
