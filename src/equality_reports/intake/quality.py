"""Validation results and the data-quality summary shown by ``validate``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from equality_reports.classification import UNDECLARED
from equality_reports.dataset import Dataset
from equality_reports.errors import InputError, Problem
from equality_reports.intake.contract import Contract, default_contract
from equality_reports.measures.grades import grade_summary

_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")

CHARACTERISTICS = ("ethnicity", "sex", "disability", "religion", "sexual_orientation")
_UNDECLARED = {"", "prefer not to say", "not stated", "not declared", "not known", "unknown", "declined",
               "refused", "z", "99", "x"}


@dataclass
class ValidationResult:
    """Everything ``validate`` reports: the problems and, when readable, the summary."""

    path: Path
    problems: list[Problem] = field(default_factory=list)
    dataset: Dataset | None = None
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def usable(self) -> bool:
        return self.dataset is not None and not any(p.severity == "error" for p in self.problems)

    def add_problems(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    def as_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "usable": self.usable,
                "errors": [p.as_dict() for p in self.problems if p.severity == "error"],
                "warnings": [p.as_dict() for p in self.problems if p.severity != "error"],
                "summary": self.summary}


def summarise(dataset: Dataset) -> dict[str, Any]:
    """Rows per table, declaration rate per characteristic, share of unknown ethnicity per table."""
    tables = {}
    for name, frame in sorted(dataset.tables.items()):
        entry: dict[str, Any] = {"rows": int(len(frame))}
        if "ethnic_binary" in frame.columns and len(frame):
            entry["ethnicity_unknown_pct"] = round(float((frame["ethnic_binary"] == "unknown").mean() * 100), 1)
        if name in dataset.ethnicity_sources:
            entry["ethnicity_from"] = dataset.ethnicity_sources[name]
        if dataset.period_exclusions.get(name):
            entry["left_out_by_date"] = dataset.period_exclusions[name]
        tables[name] = entry
    declaration = {}
    staff = dataset.tables.get("staff")
    if staff is not None and len(staff):
        for col in CHARACTERISTICS:
            if f"{col}_raw" in staff.columns:  # classified: its categories say
                declared = ~staff[col].isin(UNDECLARED)
            elif col in staff.columns:
                text = staff[col].astype("string").str.strip().str.lower().fillna("")
                declared = ~text.isin(_UNDECLARED)
            else:
                continue
            declaration[col] = round(float(declared.mean() * 100), 1)
    summary = {"organisation": dataset.organisation, "sector": dataset.sector,
               "period": {"start": dataset.period_start.isoformat(), "end": dataset.period_end.isoformat()},
               "tables": tables, "declaration_rate_pct": declaration}
    grades = grade_summary(dataset)  # NHS datasets: grades that give no pay band, with a mapping line
    if grades is not None:
        summary["unrecognised_grades"] = grades
    return summary


def validate_dataset(path: Path, contract: Contract | None = None) -> ValidationResult:
    """Load ``path`` by ``contract`` (default: the installed plugins') collecting every problem; never
    raises for bad data."""
    from equality_reports.intake.load import _load

    result = ValidationResult(Path(path))
    try:
        dataset, problems = _load(Path(path), contract or default_contract())
    except InputError as exc:
        result.problems = exc.problems or [Problem(str(exc))]
        return result
    result.problems = problems
    result.dataset = dataset
    if dataset is not None:
        result.summary = summarise(dataset)
    return result


_DATE_WORDS = {"before_period": "dated before the period, left out", "after_period": "dated after the period, left out",
               "undated": "with no date, kept as in the period"}


def format_validation(result: ValidationResult) -> str:
    """The terminal report: errors, warnings, then the summary."""
    lines = []
    errors = [p for p in result.problems if p.severity == "error"]
    warnings = [p for p in result.problems if p.severity != "error"]
    if errors:
        lines.append(f"{len(errors)} problem{'s make' if len(errors) != 1 else ' makes'} the data unusable:")
        lines += [f"  - {p}" for p in errors]
    if warnings:
        lines.append(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}:")
        lines += [f"  - {p}" for p in warnings]
    if result.summary:
        s = result.summary
        lines.append(f"Dataset: {s['organisation']} ({s['sector']}), {s['period']['start']} to {s['period']['end']}")
        lines.append("Tables:")
        for name, entry in s["tables"].items():
            unknown = f", ethnicity not stated or not known {entry['ethnicity_unknown_pct']}%" \
                if "ethnicity_unknown_pct" in entry else ""
            lines.append(f"  {name:<20} {entry['rows']:>9,} rows{unknown}")
            if "ethnicity_from" in entry:
                src = entry["ethnicity_from"]
                leavers = f", from leavers {src['leavers']:,}" if src.get("leavers") else ""
                lines.append(f"  {'':<20} ethnicity from its own column {src['own']:,}, from staff {src['staff']:,}"
                             f"{leavers}, not known {src['unknown']:,}")
            for reason, count in entry.get("left_out_by_date", {}).items():
                lines.append(f"  {'':<20} {count:,} rows {_DATE_WORDS[reason]}")
        if s["declaration_rate_pct"]:
            lines.append("Declaration rate (staff): " + ", ".join(
                f"{k} {v}%" for k, v in s["declaration_rate_pct"].items()))
        lines += _grade_lines(s.get("unrecognised_grades"))
    lines.append("Usable: yes" if result.usable else "Usable: NO (fix the problems above, then validate again)")
    # data and dataset.toml reach the terminal: their control characters are shown, never obeyed
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), "\n".join(lines))




def _grade_lines(grades: dict[str, Any] | None) -> list[str]:
    """The validate lines for staff grades that give no pay band (see measures.grades)."""
    if not grades or not grades["staff"]:
        return []
    lines = [f"Grades not recognised as a pay band: {grades['staff']:,} staff in post, directly employed and not "
             f"bank (shown as 'Other or unknown grade' in WRES indicator 1)"]
    lines += [f"  {g['grade']:<40} {g['staff']:>7,} staff" for g in grades["grades"]]
    if grades.get("more"):
        lines.append(f"  ... and {grades['more']:,} more grades")
    if grades["mapping"]:
        lines.append('  To map them, add this under [tables.staff] in dataset.toml, replacing each "Band ?" with '
                     'the band ("Band 5", "Band 8a"), "VSM" or a medical grade ("Consultant", "Specialty Doctor", '
                     '"Foundation Year 1"):')
        lines.append(f"    {grades['mapping']}")
    return lines
