"""The evidence register, self-assessment and actions, read from a dataset into plain records."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from equality_reports.dataset import Dataset
from equality_reports.errors import Problem
from equality_reports.frameworks import Framework

STATUS_LABELS = {"met": "Met", "partly": "Partly met", "not_met": "Not met", "none": "No evidence"}
_STATUS = {"met": "met", "yes": "met", "complete": "met", "full": "met", "fully met": "met",
           "partly": "partly", "partial": "partly", "partly met": "partly", "partially met": "partly",
           "in part": "partly", "not met": "not_met", "no": "not_met", "unmet": "not_met"}
DONE = {"complete", "completed", "done", "closed", "achieved", "met"}


def text(value: Any) -> str:
    """A cell as trimmed text ('' for missing)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def as_date(value: Any) -> date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, date):
        return value if not isinstance(value, pd.Timestamp) else value.date()
    parsed = pd.to_datetime(str(value), errors="coerce", dayfirst=True)
    return None if pd.isna(parsed) else parsed.date()


def normalise_status(value: Any) -> str:
    """'met', 'partly' or 'not_met'; blank counts as met (evidence given); '' when unrecognised."""
    key = re.sub(r"[\s_-]+", " ", text(value).lower()).strip()
    return "met" if not key else _STATUS.get(key, "")


def is_url(location: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*://", location, re.IGNORECASE))


@dataclass(frozen=True)
class Evidence:
    row: int  # spreadsheet row (header is row 1)
    evidence_id: str
    framework: str
    criterion: str
    title: str
    description: str
    owner: str
    date: date | None
    location: str
    status: str  # met / partly / not_met ('' when unrecognised)
    raw_status: str = ""

    def local_path(self, base: Path | None) -> Path | None:
        if not self.location or is_url(self.location) or base is None:
            return None
        path = Path(self.location)
        return path if path.is_absolute() else base / path


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

    def overdue(self, today: date) -> bool:
        return self.by_when is not None and self.by_when < today and self.status.lower() not in DONE


def rows(dataset: Dataset, table: str) -> list[dict[str, Any]]:
    if not dataset.has(table):
        return []
    frame = dataset.table(table)
    return [{**rec, "_row": i + 2} for i, rec in enumerate(frame.to_dict("records"))]


def evidence_items(dataset: Dataset) -> list[Evidence]:
    return [Evidence(r["_row"], text(r.get("evidence_id")), text(r.get("framework")), text(r.get("criterion")),
                     text(r.get("title")), text(r.get("description")), text(r.get("owner")), as_date(r.get("date")),
                     text(r.get("location")), normalise_status(r.get("status")), text(r.get("status")))
            for r in rows(dataset, "evidence")]


def action_items(dataset: Dataset) -> list[Action]:
    return [Action(i + 1, text(r.get("action")), text(r.get("who")), as_date(r.get("by_when")),
                   text(r.get("framework")), text(r.get("area")), text(r.get("criterion")), text(r.get("status")))
            for i, r in enumerate(rows(dataset, "actions"))]


def input_file(dataset: Dataset, table: str) -> str:
    for item in dataset.inputs:
        if item.table == table:
            return item.path
    return f"{table}.csv"


def gate_answers(dataset: Dataset, framework: Framework) -> dict[str, str]:
    """Gate question id -> 'yes'/'no' from self_assessment rows whose area is the question id."""
    ids = {q.id.lower(): q.id for q in framework.gate_questions}
    answers = {}
    for r in rows(dataset, "self_assessment"):
        if text(r.get("framework")) not in ("", framework.id):
            continue
        area = text(r.get("area")).lower()
        if area in ids:
            answers[ids[area]] = text(r.get("stage_or_level")).lower()
    return answers


def check_register(dataset: Dataset, frameworks: dict[str, Framework], snapshot: date) -> list[Problem]:
    """Problems in the evidence register and self-assessment against the chosen frameworks."""
    problems: list[Problem] = []
    file = input_file(dataset, "evidence")
    known = {c for f in frameworks.values() for c in f.criterion_ids}
    seen: dict[str, int] = {}
    for ev in evidence_items(dataset):
        if ev.framework and ev.framework not in frameworks:
            problems.append(Problem(f"unknown framework '{ev.framework}'", file, ev.row, "framework", ev.framework,
                                    f"use one of {', '.join(sorted(frameworks))} or add it with "
                                    f"--option framework_file=PATH"))
        elif ev.criterion not in known:
            problems.append(Problem("unknown criterion id", file, ev.row, "criterion", ev.criterion,
                                    "use a criterion id from the framework (see the pack's criteria tables "
                                    "or docs/frameworks.md)"))
        if not ev.status:
            problems.append(Problem("status not recognised", file, ev.row, "status", ev.raw_status,
                                    "use met, partly or not_met"))
        if ev.evidence_id in seen:
            problems.append(Problem(f"evidence id used twice (first on row {seen[ev.evidence_id]})", file, ev.row,
                                    "evidence_id", ev.evidence_id, "give every evidence item its own id"))
        else:
            seen[ev.evidence_id] = ev.row
        local = ev.local_path(dataset.path)
        if local is not None and not local.is_file():
            problems.append(Problem("evidence file not found", file, ev.row, "location", ev.location,
                                    "correct the path (relative to the dataset folder) or add the file",
                                    severity="warning"))
        if ev.date is not None and ev.date > snapshot:
            problems.append(Problem(f"date is after the snapshot date {snapshot:%-d %B %Y}", file, ev.row, "date",
                                    ev.date.isoformat(), "check the date", severity="warning"))
    sa_file = input_file(dataset, "self_assessment")
    for fw in frameworks.values():
        if not fw.gate_questions or fw.gate_cap is None:
            continue
        answers = gate_answers(dataset, fw)
        if not any(a.startswith("n") for a in answers.values()):
            continue
        cap = fw.level_index(fw.gate_cap)
        for r in rows(dataset, "self_assessment"):
            if text(r.get("framework")) != fw.id or text(r.get("area")).lower() != "overall":
                continue
            level = fw.find_level(r.get("stage_or_level"))
            if level is not None and fw.level_index(level.id) > cap:
                no = ", ".join(q for q, a in sorted(answers.items()) if a.startswith("n"))
                problems.append(Problem(
                    f"overall stage '{level.label}' is not allowed: gate question(s) {no} are answered no, "
                    f"which caps the overall stage at '{fw.levels[cap].label}'", sa_file, r["_row"],
                    "stage_or_level", text(r.get("stage_or_level")),
                    f"assess the overall stage as '{fw.levels[cap].label}' or lower, or revisit the gate answers"))
    return problems
