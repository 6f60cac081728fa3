"""The evidence register, self-assessment and action plan, read from a dataset into plain records.

These tables hold a few dozen rows of text, not people, so they are read row by row into small
frozen records that the rest of the plugin works with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from equality_reports import DONE_STATUSES, Dataset

STATUS_LABELS = {"met": "Met", "partly": "Partly met", "not_met": "Not met", "none": "No evidence"}
_STATUS = {"met": "met", "yes": "met", "complete": "met", "full": "met", "fully met": "met",
           "partly": "partly", "partial": "partly", "partly met": "partly", "partially met": "partly",
           "in part": "partly", "not met": "not_met", "no": "not_met", "unmet": "not_met"}
#: action statuses that mean the action is finished (compared ignoring case)
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
#: separators between several criterion ids in one evidence row
_SPLIT = re.compile(r"\s*[;,]\s*")


def text(value: Any) -> str:
    """A cell as trimmed text ('' for missing)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def as_date(value: Any) -> date | None:
    """A cell as a date (day first for text), or None when blank or unreadable."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    parsed = pd.to_datetime(str(value), errors="coerce", dayfirst=True)
    return None if pd.isna(parsed) else parsed.date()


def normalise_status(value: Any) -> str:
    """'met', 'partly', 'not_met'; '' when blank; '?' when not recognised."""
    key = re.sub(r"[\s_-]+", " ", text(value).lower()).strip()
    return "" if not key else _STATUS.get(key, "?")


def yes_no(value: Any) -> str:
    """A gate answer as 'yes' or 'no'; '' when blank; '?' when not recognised."""
    key = text(value).lower()
    return "" if not key else "yes" if key in _YES else "no" if key in _NO else "?"


@dataclass(frozen=True)
class Evidence:
    """One row of the evidence register; ``criteria`` may name several criteria."""

    row: int  # spreadsheet row (the header is row 1)
    evidence_id: str
    framework: str
    criteria: tuple[str, ...]
    title: str
    description: str
    owner: str
    date: date | None
    location: str
    status: str  # met / partly / not_met
    raw_status: str = ""


@dataclass(frozen=True)
class Action:
    number: int
    action: str
    who: str
    by_when: date | None
    framework: str
    area: str
    criterion: str
    status: str

    @property
    def done(self) -> bool:
        return self.status.lower() in DONE_STATUSES

    def overdue(self, today: date) -> bool:
        """Due before ``today`` (the snapshot date) and not complete."""
        return self.by_when is not None and self.by_when < today and not self.done


@dataclass(frozen=True)
class Assessed:
    """One self_assessment row: an area's stage or level, 'overall', or a gate answer."""

    row: int
    framework: str
    area: str
    value: str
    assessor: str
    date: date | None
    rationale: str
    strengths: str
    areas_to_develop: str


def rows(dataset: Dataset, table: str) -> list[dict[str, Any]]:
    """A table's rows as dicts with ``_row``, the spreadsheet row number."""
    if not dataset.has(table):
        return []
    frame = dataset.table(table)
    return [{**rec, "_row": i + 2} for i, rec in enumerate(frame.to_dict("records"))]


def evidence_items(dataset: Dataset) -> list[Evidence]:
    """The evidence register; a blank status counts as partly met (evidence not yet judged)."""
    out = []
    for r in rows(dataset, "evidence"):
        status = normalise_status(r.get("status"))
        out.append(Evidence(
            r["_row"], text(r.get("evidence_id")), text(r.get("framework")),
            tuple(c for c in _SPLIT.split(text(r.get("criterion"))) if c), text(r.get("title")),
            text(r.get("description")), text(r.get("owner")), as_date(r.get("date")), text(r.get("location")),
            "partly" if status in ("", "?") else status, text(r.get("status"))))
    return out


def action_items(dataset: Dataset) -> list[Action]:
    return [Action(i + 1, text(r.get("action")), text(r.get("who")), as_date(r.get("by_when")),
                   text(r.get("framework")), text(r.get("area")), text(r.get("criterion")), text(r.get("status")))
            for i, r in enumerate(rows(dataset, "actions"))]


def assessed_items(dataset: Dataset) -> list[Assessed]:
    return [Assessed(r["_row"], text(r.get("framework")), text(r.get("area")), text(r.get("stage_or_level")),
                     text(r.get("assessor")), as_date(r.get("date")), text(r.get("rationale")),
                     text(r.get("strengths")), text(r.get("areas_to_develop")))
            for r in rows(dataset, "self_assessment")]


def input_file(dataset: Dataset, table: str) -> str:
    """The file name a table was read from, for messages."""
    return dataset.input_file(table)
