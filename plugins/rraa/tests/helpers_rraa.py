"""Helpers for the rraa-employment tests: small hand-countable datasets and built documents."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from equality_reports.document import Document, Table, is_missing
from equality_reports.intake import dataset_from_frames
from equality_reports.reports import ReportContext
from equality_reports_rraa import RraaEmploymentReport

REPORT = RraaEmploymentReport()
P = "rraa-employment."


def staff_frame(codes: str, **columns: Any) -> pd.DataFrame:
    """Staff from a string of NHS codes, one letter per person ("Z" not stated, "9" not known)."""
    values = ["99" if c == "9" else c for c in codes]
    frame = pd.DataFrame({"person_id": [f"P{i:03d}" for i in range(len(values))], "ethnicity": values})
    for name, value in columns.items():
        frame[name] = value
    return frame


def dataset(staff: pd.DataFrame, **tables: pd.DataFrame):
    return dataset_from_frames({"staff": staff, **tables}, organisation="Testshire Council",
                               period_start=date(2025, 4, 1), period_end=date(2026, 3, 31),
                               sector="local_government")


def build(ds, previous=None, previous_figures=None, audience: str = "publication",
          **options: str) -> tuple[Document, ReportContext]:
    """Build the report on ``ds`` with ``--option`` strings; returns the document and context."""
    ctx = ReportContext(report=REPORT, dataset=ds, options=REPORT.parse_options(options), previous=previous,
                        previous_figures=previous_figures or {}, audience=audience)
    return REPORT.build(ctx), ctx


def rows(table: Table, *columns: str) -> dict[str, tuple]:
    """Row label -> the values of ``columns`` (None for missing), for exact comparisons."""
    out = {}
    for i, label in enumerate(table.data[table.row_key]):
        vals = []
        for c in columns:
            v = table.data.at[i, c]
            vals.append(None if is_missing(v) else (v.item() if hasattr(v, "item") else v))
        out[str(label)] = tuple(vals)
    return out


def value(doc: Document, fid: str) -> Any:
    return doc.figures[P + fid].value


def section_titles(doc: Document) -> list[str]:
    return [s.title for _, s in doc.walk()]
