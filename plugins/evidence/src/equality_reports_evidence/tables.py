"""The evidence pack's tables. They hold text about documents, never counts of people.

Tables keep to four to six visible columns so that Word pages stay readable; the same tables
make the Excel evidence matrix (one sheet each).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from equality_reports import Area, Column, Criterion, Figure, Framework, Table, long_date
from equality_reports_evidence.assess import Coverage, SelfAssessment
from equality_reports_evidence.bundle import Links
from equality_reports_evidence.register import STATUS_LABELS, Action, Evidence

NONE = "[z]"
_UNIT_SUFFIX = {"percent": "%", "pp": " percentage points"}


def fmt_date(value: date | None) -> str:
    return long_date(value) if value else NONE


def table_id(*parts: str) -> str:
    return "_".join(parts).replace("-", "_").replace(".", "_")


def _frame(records: list[dict[str, str]], columns: list[Column]) -> pd.DataFrame:
    return pd.DataFrame(records, columns=[c.key for c in columns])


def assessment_table(sa: SelfAssessment) -> Table:
    """Stage or level per area, with the reason given (the overall row first)."""
    fw = sa.framework
    rows = ([(sa.overall_row, sa.overall)] if sa.overall_row else []) + list(sa.areas)
    columns = [Column("area", "Area"), Column("level", "Stage" if fw.kind == "stages" else "Level"),
               Column("rationale", "Why")]
    records = []
    for item, level in rows:
        area = fw.find_area(item.area)
        title = "Overall" if item.area.lower() == "overall" else area.title if area else item.area
        shown = level.label if level else item.value or NONE
        if item is sa.overall_row and sa.claimed is not None and sa.overall != sa.claimed:
            shown = f"{shown} (recorded as {sa.claimed.label}; capped)"
        records.append({"area": title, "level": shown, "rationale": item.rationale or NONE})
    return Table(table_id(fw.id, "assessment"), f"{fw.title}: self-assessed {columns[1].label.lower()} by area",
                 columns, _frame(records, columns), row_key="area", rows_additive=False)


def development_table(sa: SelfAssessment) -> Table | None:
    """Strengths to build on and areas to develop, where recorded."""
    fw = sa.framework
    rows = ([sa.overall_row] if sa.overall_row else []) + [a for a, _ in sa.areas]
    rows = [r for r in rows if r.strengths or r.areas_to_develop]
    if not rows:
        return None
    columns = [Column("area", "Area"), Column("strengths", "Strengths to build on"),
               Column("develop", "Areas to develop")]
    records = [{"area": "Overall" if r.area.lower() == "overall"
                else (fw.find_area(r.area) or Area(r.area, r.area)).title,
                "strengths": r.strengths or NONE, "develop": r.areas_to_develop or NONE} for r in rows]
    return Table(table_id(fw.id, "development"), f"{fw.title}: strengths and areas to develop", columns,
                 _frame(records, columns), row_key="area", rows_additive=False)


def coverage_table(fw: Framework, by: str, rows: list[Coverage]) -> Table:
    """Criteria fully, partly and not evidenced per level or per area (numbers of criteria)."""
    label = {"level": "Stage" if fw.kind == "stages" else "Level", "area": "Area"}[by]
    columns = [Column("group", label), Column("criteria", "Criteria", "number", decimals=0),
               Column("met", "Met", "number", decimals=0), Column("partly", "Partly met", "number", decimals=0),
               Column("missing", "Not met or no evidence", "number", decimals=0),
               Column("share", "Met (% of criteria)", "number", decimals=1)]
    data = pd.DataFrame({"group": [c.label for c in rows], "criteria": [len(c.criteria) for c in rows],
                         "met": [c.met for c in rows], "partly": [c.partly for c in rows],
                         "missing": [c.missing for c in rows], "share": [c.share for c in rows]})
    return Table(table_id(fw.id, "by", by), f"{fw.title}: criteria evidenced by {label.lower()}", columns, data,
                 row_key="group", rows_additive=False)


def criteria_table(fw: Framework, area: Area, evidence: dict[str, list[Evidence]], links: Links) -> Table:
    """An area's criteria, one row per evidence item (or one 'No evidence recorded' row)."""
    labels = {lv.id: lv.label for lv in fw.levels}
    records = []
    for c in area.criteria:
        for ev in evidence[c.id] or [None]:
            records.append({
                "ref": c.id if ev is None else f"{c.id} / {ev.evidence_id} / row {ev.row}",
                "criterion": c.id, "text": _criterion_text(c, labels),
                "evidence": "No evidence recorded" if ev is None
                else f"{ev.title} ({ev.evidence_id})" if ev.title else ev.evidence_id,
                "location": "" if ev is None else links.target(ev),
                "status": STATUS_LABELS["none" if ev is None else ev.status]})
    columns = [Column("ref", "Reference", hidden=True), Column("criterion", "Criterion id", hidden=True),
               Column("text", "Criterion"), Column("evidence", "Evidence", link="location"),
               Column("location", "Location", hidden=True), Column("status", "Status")]
    return Table(table_id("crit", fw.id, area.id), f"{fw.title}: {area.title}", columns, _frame(records, columns),
                 row_key="ref", rows_additive=False)


def _criterion_text(c: Criterion, labels: dict[str, str]) -> str:
    """'JRE-D-2 (Developing): ...': the id, the level or stage where there is one, and the text."""
    return f"{c.id} ({labels[c.level]}): {c.text}" if c.level in labels else f"{c.id}: {c.text}"


def gaps_table(fw: Framework, best: dict[str, str], with_missing: bool = True) -> Table | None:
    """Criteria whose best evidence is partial, not met or (``with_missing``) missing, by level or
    stage; None when there are none."""
    order = {lv.id: i for i, lv in enumerate(fw.levels)}
    left = ("partly", "not_met", "none") if with_missing else ("partly", "not_met")
    gaps = sorted((c for c in fw.criteria if best[c.id] in left), key=lambda c: order.get(c.level or "", 0))
    if not gaps:
        return None
    labels = {lv.id: lv.label for lv in fw.levels}
    titles = {a.id: a.title for a in fw.areas}
    columns = [Column("criterion", "Criterion id", hidden=True), Column("text", "Criterion"), Column("area", "Area")]
    if any(c.level for c in fw.criteria):
        columns.append(Column("level", "Stage" if fw.kind == "stages" else "Level"))
    columns.append(Column("status", "Best evidence"))
    records = [{"criterion": c.id, "text": f"{c.id}: {c.text}", "area": titles[c.area],
                "level": labels.get(c.level or "", NONE),
                "status": STATUS_LABELS[best[c.id]]} for c in gaps]
    title = "criteria without full evidence" if with_missing else "criteria with some evidence, not yet fully met"
    return Table(table_id(fw.id, "gaps"), f"{fw.title}: {title}", columns,
                 _frame(records, columns), row_key="criterion", rows_additive=False)


def outcomes_table(fw: Framework, rows: list[tuple[str, str, str, str]]) -> Table:
    columns = [Column("ref", "Ref", hidden=True), Column("area", "Outcome area"),
               Column("objective", "Local objective"),
               Column("issue", "How we know this is an issue"),
               Column("improved", "How we will know we have improved")]
    records = [{"ref": f"O{i}", "area": a, "objective": o, "issue": k, "improved": m}
               for i, (a, o, k, m) in enumerate(rows, start=1)]
    return Table(table_id(fw.id, "outcomes"), f"{fw.title}: outcomes framework", columns, _frame(records, columns),
                 row_key="ref", rows_additive=False)


def actions_table(actions: list[Action], frameworks: dict[str, Framework], today: date) -> Table:
    """The action plan. An overdue action's status ends "past its date"; what an action is
    for follows it in brackets."""
    columns = [Column("n", "Number", hidden=True), Column("action", "Action"), Column("who", "Who"),
               Column("by_when", "By when"), Column("status", f"Status at {long_date(today)}")]
    records = [{"n": str(a.number), "action": _action_text(a, frameworks), "who": a.who or NONE,
                "by_when": fmt_date(a.by_when),
                "status": (a.status or "Not started") + (", past its date" if a.overdue(today) else "")}
               for a in actions]
    return Table("action_plan", "Action plan", columns, _frame(records, columns), row_key="n", rows_additive=False)


def _action_text(action: Action, frameworks: dict[str, Framework]) -> str:
    """The action, followed by the criterion, area or framework it serves."""
    fw = frameworks.get(action.framework)
    area = fw.find_area(action.area) if fw and action.area else None
    target = action.criterion or (area.title if area else action.area) or (fw.title if fw else action.framework)
    return f"{action.action or NONE} ({target})" if target else action.action or NONE


def register_table(items: list[Evidence], links: Links) -> Table:
    """Every evidence item once, with its owner and date."""
    columns = [Column("n", "Number", hidden=True), Column("id", "Ref"), Column("title", "Evidence", link="location"),
               Column("location", "Location", hidden=True), Column("criteria", "Criteria"), Column("owner", "Owner"),
               Column("date", "Date")]
    records = [{"n": f"E{i:03d}", "id": ev.evidence_id or NONE,
                "title": ev.title or NONE,
                "location": links.target(ev), "criteria": "; ".join(ev.criteria) or NONE,
                "owner": ev.owner or NONE, "date": fmt_date(ev.date)}
               for i, ev in enumerate(items, start=1)]
    return Table("evidence_register", "Evidence register", columns, _frame(records, columns), row_key="n",
                 rows_additive=False)


def published_text(fig: Figure) -> str:
    """A figure from another report as that report published it ('[c]' when withheld)."""
    numeric = not fig.suppressed and fig.value is not None and not isinstance(fig.value, str)
    return fig.published_text + (_UNIT_SUFFIX.get(fig.unit, "") if numeric else "")


def figures_table(report: str, title: str, figures: list[Figure]) -> Table:
    """One source report's figures (``report``: its name; ``title``: its title), with their values
    exactly as published."""
    columns = [Column("id", "Figure id", hidden=True), Column("label", "What it measures"),
               Column("value", "Value as published")]
    data = pd.DataFrame({"id": [f.id for f in figures], "label": [f.label for f in figures],
                         "value": [published_text(f) for f in figures]})
    return Table(table_id("figures", report), f"Figures published in the {title}", columns, data, row_key="id",
                 rows_additive=False, source=title)
