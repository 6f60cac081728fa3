"""Small hand-countable datasets for the WRES tests, built without the intake layer."""

from __future__ import annotations

from datetime import date

import pandas as pd

from equality_reports.dataset import Dataset
from equality_reports.reports import ReportContext

ETHNICITY = {"white": ("white_british", "white"), "minority_ethnic": ("black_african", "black"),
             "unknown": ("not_stated", "unknown")}


def people(n: int, group: str, start: int, **columns: object) -> pd.DataFrame:
    """``n`` people of one binary group with ids P<start>..., and constant extra columns."""
    category, broad = ETHNICITY[group]
    frame = pd.DataFrame({"person_id": [f"P{start + i:05d}" for i in range(n)]})
    frame["ethnicity"] = category
    frame["ethnic_group"] = broad
    frame["ethnic_binary"] = group
    for key, value in columns.items():
        frame[key] = value
    return frame


def classified(frame: pd.DataFrame, staff: pd.DataFrame) -> pd.DataFrame:
    """Join ethnicity columns from staff onto an event table by person_id."""
    cols = ["person_id", "ethnicity", "ethnic_group", "ethnic_binary"]
    return frame.merge(staff[cols], on="person_id", how="left")


def nhs_staff() -> pd.DataFrame:
    base = dict(directly_employed=True, bank=False, board_role="none")
    parts = [
        people(60, "white", 0, grade="Band 5", staff_group="Clinical", **base),
        people(30, "minority_ethnic", 100, grade="Band 5", staff_group="Clinical", **base),
        people(10, "unknown", 200, grade="Band 5", staff_group="Clinical", **base),
        people(40, "white", 300, grade="Band 3", staff_group="Administrative and clerical", **base),
        people(20, "minority_ethnic", 400, grade="Band 3", staff_group="Non clinical", **base),
        people(3, "white", 500, grade="Chief Executive", staff_group="Non clinical", directly_employed=True,
               bank=False, board_role="voting_executive"),
        people(1, "minority_ethnic", 510, grade="Director of Nursing", staff_group="Non clinical",
               directly_employed=True, bank=False, board_role="voting_executive"),
        people(5, "white", 520, grade=None, staff_group=None, directly_employed=False, bank=False,
               board_role="voting_non_executive"),
        people(1, "minority_ethnic", 530, grade=None, staff_group=None, directly_employed=False, bank=False,
               board_role="voting_non_executive"),
        people(5, "white", 600, grade="Band 2", staff_group="Clinical", directly_employed=True, bank=True,
               board_role="none"),
    ]
    return pd.concat(parts, ignore_index=True)


def nhs_dataset(**overrides: pd.DataFrame) -> Dataset:
    """Workforce: 103 White, 51 BME, 10 unknown (164); see tests/test_wres.py for the sums."""
    staff = nhs_staff()
    apps = pd.concat([
        people(40, "white", 1000, shortlisted=True, appointed=False),
        people(10, "white", 1040, shortlisted=True, appointed=True),
        people(45, "minority_ethnic", 1100, shortlisted=True, appointed=False),
        people(5, "minority_ethnic", 1145, shortlisted=True, appointed=True),
        people(30, "minority_ethnic", 1150, shortlisted=False, appointed=False),
        people(5, "unknown", 1200, shortlisted=True, appointed=True),
    ], ignore_index=True).rename(columns={"person_id": "application_id"})
    # White shortlisted = 50 (10 appointed); BME shortlisted = 50 (5 appointed)
    disc = pd.DataFrame({
        "case_id": [f"D{i}" for i in range(8)],
        "person_id": ["P00100", "P00100", "P00101", "P00102", "P00103", "P00000", "P00001", "P00002"],
        "formal": [True, True, True, True, True, True, True, False],
        "start_date": pd.to_datetime(["2025-05-01"] * 8),
    })
    training = pd.DataFrame({
        "person_id": [f"P{i:05d}" for i in range(30)] + [f"P{100 + i:05d}" for i in range(10)] + ["P00050"],
        "mandatory": [False] * 40 + [True],
        "received": [True] * 41,
    })
    survey = pd.DataFrame({
        "question": ["harassment_public"] * 2 + ["equal_opportunities"] * 2,
        "group": ["White", "BME", "white", "minority_ethnic"],
        "respondents": [200, 80, 200, 80],
        "positive": [50, 28, 170, 52],
    })
    tables = {"staff": staff, "applications": apps, "disciplinary": classified(disc, staff),
              "training": classified(training, staff), "staff_survey": survey}
    tables.update(overrides)
    return Dataset(organisation="Testbury NHS Trust", period_start=date(2025, 4, 1),
                   period_end=date(2026, 3, 31), tables=tables, sector="nhs")


def context(report, dataset: Dataset, audience: str = "internal", **options: str) -> ReportContext:
    return ReportContext(report=report, dataset=dataset, options=report.parse_options(options),
                         audience=audience)  # type: ignore[arg-type]
