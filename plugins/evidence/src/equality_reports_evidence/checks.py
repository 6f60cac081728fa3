"""Checks on the evidence register, self-assessment and actions, located by file, row and column."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from equality_reports import Dataset, Framework, Problem, long_date
from equality_reports_evidence import files
from equality_reports_evidence.assess import belongs, self_assessment
from equality_reports_evidence.register import (
    action_items,
    assessed_items,
    evidence_items,
    input_file,
    normalise_status,
    rows,
    yes_no,
)


def check_register(dataset: Dataset, frameworks: dict[str, Framework], snapshot: date,
                   available: Mapping[str, Framework] | None = None) -> list[Problem]:
    """Every problem in the evidence pack's tables against the chosen frameworks (``available``:
    every framework the run knows, so a register row naming none may cite criteria of others)."""
    return (_check_evidence(dataset, frameworks, snapshot, available or frameworks)
            + _check_self_assessment(dataset, frameworks, snapshot) + _check_actions(dataset, frameworks))


def _ids_hint(fw: Framework) -> str:
    ids = sorted(fw.criterion_ids)
    shown = ", ".join(ids[:6]) + (", ..." if len(ids) > 6 else "")
    return f"use a criterion id of {fw.id} ({shown}; all are listed in the pack and docs/frameworks.md)"


def _check_evidence(dataset: Dataset, frameworks: dict[str, Framework], snapshot: date,
                    available: Mapping[str, Framework]) -> list[Problem]:
    problems: list[Problem] = []
    file = input_file(dataset, "evidence")
    raw_status = [r.get("status") for r in rows(dataset, "evidence")]
    folder = files.EvidenceFolder.of(dataset)
    problems += _check_root(folder, file)
    seen: dict[str, int] = {}
    for ev, status in zip(evidence_items(dataset), raw_status):
        def add(message: str, column: str, value: object, fix: str, severity: str = "error") -> None:
            problems.append(Problem(message, file, ev.row, column, value, fix, severity))  # noqa: B023

        if not ev.evidence_id:
            add("evidence id is blank", "evidence_id", None, "give every evidence item an id such as EV001")
        elif ev.evidence_id in seen:
            add(f"evidence id used twice (first on row {seen[ev.evidence_id]})", "evidence_id", ev.evidence_id,
                "give every evidence item its own id")
        else:
            seen[ev.evidence_id] = ev.row
        candidates = [f for f in frameworks.values() if belongs(ev.framework, f)]
        if ev.framework and not candidates:
            add(f"framework '{ev.framework}' is not one of those chosen for this pack", "framework", ev.framework,
                f"use one of {', '.join(sorted(frameworks))}, choose it with --option framework=ID, or add "
                f"your own with --option framework_file=PATH", "warning")
        elif not ev.criteria:
            add("criterion is blank", "criterion", None, "name the criterion id this evidence supports")
        else:
            known = {c for f in candidates for c in f.criterion_ids}
            # a row naming no framework may cite criteria of frameworks this pack leaves out
            elsewhere = set() if ev.framework else {c for f in available.values() for c in f.criterion_ids} - known
            for cid in ev.criteria:
                if cid not in known and cid not in elsewhere:
                    add("unknown criterion id", "criterion", cid, _ids_hint(candidates[0]) if len(candidates) == 1
                        else "use a criterion id from the framework named in the framework column")
            if not ev.framework and ev.criteria and not set(ev.criteria) & known \
                    and set(ev.criteria) <= elsewhere:
                add("its criteria belong to no framework chosen for this pack", "criterion", "; ".join(ev.criteria),
                    "choose their framework with --option framework=ID, or leave the row out", "warning")
        state = normalise_status(status)
        if state == "?":
            add("status not recognised", "status", ev.raw_status, "use met, partly or not_met")
        elif state == "":
            add("status is blank: counted as partly met", "status", None,
                "record whether the evidence shows the criterion met, partly or not_met", "warning")
        found = folder.locate(ev.location)
        if found.kind == files.MISSING:
            add(f"evidence file not found at {found.path}", "location", ev.location,
                "correct the path (relative to the dataset folder) or add the file", "warning")
        elif found.kind == files.REFUSED:
            add(f"evidence file refused: {found.reason}", "location", ev.location,
                "copy the file into the dataset folder (or the evidence_root folder set in dataset.toml) and give "
                "its path relative to that folder, or give a web address")
        elif found.kind == files.UNSAFE_LINK:
            add(f"not a web address: {found.reason}, so it is written as plain text", "location", ev.location,
                "give an http or https address, or the path of a file in the dataset folder", "warning")
        if ev.date is not None and ev.date > snapshot:
            add(f"date is after the snapshot date {long_date(snapshot)}", "date", ev.date.isoformat(),
                "check the date: evidence dated after the snapshot cannot support the assessment at that date",
                "warning")
    return problems


def _check_root(folder: files.EvidenceFolder, file: str) -> list[Problem]:
    """evidence_root in dataset.toml must name a folder inside the dataset folder."""
    if folder.outside:
        return [Problem(f"evidence_root {folder.root} is outside the dataset folder", "dataset.toml", None,
                        "evidence_root", str(folder.root), "move the evidence files into a folder inside the "
                        "dataset folder and give that folder's path relative to it")]
    if folder.root is None or folder.root.is_dir():
        return []
    return [Problem(f"evidence_root {folder.root} is not a folder", "dataset.toml", None, "evidence_root",
                    str(folder.root), "give the folder holding the evidence files, relative to the dataset folder")]


def _check_self_assessment(dataset: Dataset, frameworks: dict[str, Framework], snapshot: date) -> list[Problem]:
    problems: list[Problem] = []
    file = input_file(dataset, "self_assessment")
    items = assessed_items(dataset)
    for item in items:
        def add(message: str, column: str, value: object, fix: str, severity: str = "error") -> None:
            problems.append(Problem(message, file, item.row, column, value, fix, severity))  # noqa: B023

        mine = [f for f in frameworks.values() if belongs(item.framework, f)]
        if not mine:
            add(f"framework '{item.framework}' is not one of those chosen for this pack", "framework",
                item.framework, f"use one of {', '.join(sorted(frameworks))} or choose it with "
                                "--option framework=ID", "warning")
        if item.date is not None and item.date > snapshot:
            add(f"date is after the snapshot date {long_date(snapshot)}", "date", item.date.isoformat(),
                "check the date of the assessment", "warning")
        for fw in mine:
            gate_ids = {q.id.lower() for q in fw.gate_questions}
            key = item.area.lower()
            if key in gate_ids:
                if yes_no(item.value) == "?":
                    add(f"gate question {item.area} needs a yes or no answer", "stage_or_level", item.value,
                        "answer yes or no")
                continue
            if key != "overall" and fw.find_area(item.area) is None:
                areas = ", ".join(a.id for a in fw.areas)
                gates = ", ".join(q.id for q in fw.gate_questions)
                add(f"area not found in {fw.id}", "area", item.area,
                    f"use 'overall', an area id ({areas}){f' or a gate question id ({gates})' if gates else ''}")
            if fw.levels and fw.find_level(item.value) is None:
                add(f"not a {'stage' if fw.kind == 'stages' else 'level'} of {fw.id}", "stage_or_level",
                    item.value, f"use one of {', '.join(lv.label for lv in fw.levels)}")
    for fw in frameworks.values():
        sa = self_assessment(fw, items)
        if sa.overall_row is None or sa.claimed is None or sa.overall == sa.claimed:
            continue
        cap = sa.overall.label if sa.overall else ""
        problems.append(Problem(
            f"overall stage '{sa.claimed.label}' is not allowed: gate question(s) {', '.join(sa.gate.failed)} "
            f"answered no cap the overall stage at '{cap}'", file, sa.overall_row.row, "stage_or_level",
            sa.overall_row.value, f"assess the overall stage as '{cap}' or lower, or revisit the gate answers "
                                  f"with the evidence that would change them"))
    return problems


def _check_actions(dataset: Dataset, frameworks: dict[str, Framework]) -> list[Problem]:
    problems: list[Problem] = []
    file = input_file(dataset, "actions")
    for a in action_items(dataset):
        fw = frameworks.get(a.framework)
        row = a.number + 1
        if not a.action:
            problems.append(Problem("action is blank", file, row, "action", None, "say what will be done"))
        if fw is not None and a.criterion and a.criterion not in fw.criterion_ids:
            problems.append(Problem("unknown criterion id", file, row, "criterion", a.criterion, _ids_hint(fw),
                                    "warning"))
        if fw is not None and a.area and fw.find_area(a.area) is None:
            problems.append(Problem(f"area not found in {fw.id}", file, row, "area", a.area,
                                    f"use an area id ({', '.join(x.id for x in fw.areas)})", "warning"))
        if a.by_when is None and not a.done:
            problems.append(Problem("no date in by_when", file, row, "by_when", None,
                                    "give every open action a date so progress can be tracked", "warning"))
    return problems
