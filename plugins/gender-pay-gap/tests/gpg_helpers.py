"""Small datasets for the gender-pay-gap tests, written as files and loaded as a user's would be."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

from equality_reports import Document, ReportContext, load_dataset
from equality_reports_gender_pay_gap import GenderPayGapReport

TOML = 'organisation = "Testshire Council"\nsector = "local_government"\nperiod_start = 2025-04-01\nperiod_end = 2026-03-31\n'


def write_dataset(folder: Path, staff: pd.DataFrame) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    frame = staff.copy()
    if "ethnicity" not in frame.columns:
        frame["ethnicity"] = "White British"
    frame.to_csv(folder / "staff.csv", index=False)
    (folder / "dataset.toml").write_text(TOML, encoding="utf-8")
    return folder


def build(folder: Path, audience: str = "internal", threshold: int = 10, **options: str) -> tuple[Document, ReportContext]:
    report = GenderPayGapReport()
    ctx = ReportContext(report=report, dataset=load_dataset(folder), options=report.parse_options(options),
                        audience=audience, threshold=threshold)  # type: ignore[arg-type]
    doc = report.build(ctx)
    ctx.protect(doc)
    return doc, ctx


def values(doc: Document) -> dict[str, object]:
    """Every figure as published: its value rounded as the JSON gives it, or "[c]" when withheld."""
    out: dict[str, object] = {}
    for fid, fig in doc.figures.items():
        short = fid.removeprefix("gender-pay-gap.")
        if fig.suppressed:
            out[short] = "[c]"
        elif isinstance(fig.value, float):
            out[short] = round(fig.value, 4)
        else:
            out[short] = fig.value
    return out


def run_cli(*args: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EQUALITY_REPORTS_SOFFICE": ""}
    return subprocess.run([sys.executable, "-m", "equality_reports", *map(str, args)], capture_output=True,
                          text=True, timeout=300, env=env)


def docx_text(path: Path) -> str:
    from docx import Document as Docx

    doc = Docx(str(path))
    return "\n".join(p.text for p in doc.paragraphs)
