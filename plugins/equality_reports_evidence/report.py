"""The evidence-pack report: where the organisation stands against a framework, and the proof."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from equality_reports.document import Column, Document, Figure, Paragraph, Section, Table
from equality_reports.errors import InputError, Problem
from equality_reports.frameworks import Framework, load_framework_file
from equality_reports.reports import Option, Report, ReportContext

from equality_reports_evidence import bundle
from equality_reports_evidence.register import (
    STATUS_LABELS,
    Action,
    Evidence,
    action_items,
    check_register,
    evidence_items,
    gate_answers,
    rows,
    text,
)

DEFAULT_FRAMEWORK = "journey-to-race-equality"
NONE = "[z]"


def builtin_frameworks() -> dict[str, Framework]:
    folder = Path(__file__).parent / "frameworks"
    return {f.id: f for f in (load_framework_file(p) for p in sorted(folder.glob("*.yaml")))}


def _fmt_date(value: date | None) -> str:
    return value.strftime("%-d %b %Y") if value else NONE


class EvidencePackReport(Report):
    name = "evidence-pack"
    title = "Equality evidence pack"
    description = ("Assembles an inspection evidence pack against an equality framework (the Audit "
                   "Commission's journey to race equality, the ADSS leadership checks, the Equality "
                   "Standard for Local Government, the Equality Framework for Local Government or your "
                   "own): self-assessed stage per area, criteria with their evidence, gaps, readiness "
                   "for the next level, the action plan, the outcomes framework and workforce figures "
                   "from the other reports.")
    version = "0.1.0"
    required_tables = ("evidence",)
    optional_tables = ("self_assessment", "actions", "outcomes")
    uses_run_figures = True
    options = (
        Option("framework", str, "", "Framework id(s), comma-separated (default: those named in the "
               "evidence table, else journey-to-race-equality)."),
        Option("framework_file", str, "", "A YAML framework file of your own (docs/frameworks.md)."),
        Option("bundle", bool, False, "Also write <report>-bundle.zip: the pack, the matrix, every local "
               "evidence file under a numbered name, and an index."),
        Option("figures", str, "", "Comma-separated <report>.json files from earlier runs for the "
               "workforce figures appendix."),
    )

    # -- frameworks -----------------------------------------------------------------------
    def frameworks(self, dataset: Any, options: dict[str, Any], registered: dict[str, Framework]) -> dict[str, Framework]:
        available = dict(registered) if registered else builtin_frameworks()
        if options.get("framework_file"):
            user = load_framework_file(Path(options["framework_file"]).expanduser())
            available[user.id] = user
        wanted = [w.strip() for w in str(options.get("framework") or "").split(",") if w.strip()]
        if not wanted:
            named = [text(r.get("framework")) for r in rows(dataset, "evidence")]
            wanted = list(dict.fromkeys(n for n in named if n in available))
            if options.get("framework_file") and not wanted:
                wanted = [user.id]
        wanted = wanted or [DEFAULT_FRAMEWORK]
        unknown = [w for w in wanted if w not in available]
        if unknown:
            raise InputError(f"--option framework={','.join(unknown)}: unknown framework. Available: "
                             f"{', '.join(sorted(available))}; or give your own with --option framework_file=PATH.")
        return {w: available[w] for w in wanted}

    def check(self, dataset: Any, options: dict[str, Any]) -> list[Problem]:
        from equality_reports.plugins import PluginHost

        chosen = self.frameworks(dataset, options, PluginHost().frameworks())
        return check_register(dataset, chosen, dataset.snapshot)

    # -- build ----------------------------------------------------------------------------
    def build(self, ctx: ReportContext) -> Document:
        ds = ctx.dataset
        chosen = self.frameworks(ds, ctx.options, ctx.frameworks)
        for p in check_register(ds, chosen, ds.snapshot):
            if p.severity == "warning":
                ctx.warn(str(p))
        evidence = evidence_items(ds)
        bundled = bundle.bundle_names(evidence) if ctx.options["bundle"] else {}
        doc = ctx.new_document(title=f"{self.title}: {', '.join(f.title for f in chosen.values())}",
                               subtitle=f"{ds.organisation}: evidence as at {ds.snapshot:%-d %B %Y}")
        doc.section("about", "About this evidence pack").add(Paragraph(template="evidence-pack/intro.j2", context={
            "organisation": ds.organisation, "snapshot": f"{ds.snapshot:%-d %B %Y}",
            "frameworks": [{"title": f.title, "source": f.source} for f in chosen.values()],
            "items": len(evidence), "bundle": bool(bundled)}))
        for fw in chosen.values():
            self._framework_sections(doc, ctx, fw, [e for e in evidence if e.framework in ("", fw.id)
                                                    and e.criterion in fw.criterion_ids], bundled)
        self._actions(doc, ctx, chosen)
        self._appendix(doc, ctx)
        return doc

    def _framework_sections(self, doc: Document, ctx: ReportContext, fw: Framework, evidence: list[Evidence],
                            bundled: dict[str, str]) -> None:
        top = doc.section(f"fw-{fw.id}", fw.title)
        top.add(Paragraph(text=f"Source: {fw.source}"))
        by_criterion: dict[str, list[Evidence]] = {}
        for ev in evidence:
            by_criterion.setdefault(ev.criterion, []).append(ev)
        best = {c.id: _best_status(by_criterion.get(c.id, [])) for c in fw.criteria}
        self._assessment(top, ctx, fw, doc)
        self._readiness(top, fw, best, doc)
        criteria_sec = top.subsection(f"{fw.id}-criteria", "Criteria and evidence")
        criteria_sec.add(Paragraph(template="evidence-pack/criteria.j2", context={"bundle": bool(bundled)}))
        for area in fw.areas:
            crits = fw.criteria_for(area.id)
            if not crits:
                continue
            sub = criteria_sec.subsection(f"{fw.id}-{area.id}", area.title)
            sub.add(_criteria_table(f"{fw.id}_{area.id}", area.title, fw, crits, by_criterion, bundled))
        gaps = [c for c in fw.criteria if best[c.id] in ("none", "partly", "not_met")]
        gap_sec = top.subsection(f"{fw.id}-gaps", "Gaps")
        gap_sec.add(Paragraph(template="evidence-pack/gaps.j2", context={"count": len(gaps), "total": len(fw.criteria)}))
        if gaps:
            level_label = {lv.id: lv.label for lv in fw.levels}
            gap_sec.add(Table(f"{fw.id}_gaps", f"{fw.title}: criteria without full evidence", [
                Column("criterion", "Criterion"), Column("text", "What it asks for"),
                Column("area", "Area"), Column("level", "Level or stage"), Column("status", "Evidence")],
                pd.DataFrame({"criterion": [c.id for c in gaps], "text": [c.text for c in gaps],
                              "area": [next(a.title for a in fw.areas if a.id == c.area) for c in gaps],
                              "level": [level_label.get(c.level or "", NONE) for c in gaps],
                              "status": [STATUS_LABELS[best[c.id]] for c in gaps]}),
                row_key="criterion", rows_additive=False))
        doc.add_figure(Figure(f"evidence-pack.{fw.id}.criteria", f"{fw.title}: criteria", len(fw.criteria), "number"))
        doc.add_figure(Figure(f"evidence-pack.{fw.id}.gaps", f"{fw.title}: criteria without full evidence",
                              len(gaps), "number"))
        if fw.outcome_areas:
            self._outcomes(top, ctx, fw)

    def _assessment(self, top: Section, ctx: ReportContext, fw: Framework, doc: Document) -> None:
        sec = top.subsection(f"{fw.id}-assessment", "Self-assessment")
        records = [r for r in rows(ctx.dataset, "self_assessment") if text(r.get("framework")) in ("", fw.id)]
        gate_ids = {q.id.lower() for q in fw.gate_questions}
        assessed = [r for r in records if text(r.get("area")).lower() not in gate_ids]
        answers = gate_answers(ctx.dataset, fw)
        capped = any(a.startswith("n") for a in answers.values()) and fw.gate_cap is not None
        overall = next((r for r in assessed if text(r.get("area")).lower() == "overall"), None)
        overall_level = fw.find_level(overall.get("stage_or_level")) if overall else None
        if overall_level and capped and fw.level_index(overall_level.id) > fw.level_index(fw.gate_cap):  # type: ignore[arg-type]
            overall_level = fw.levels[fw.level_index(fw.gate_cap)]  # type: ignore[arg-type]
        doc.add_figure(Figure(f"evidence-pack.{fw.id}.overall", f"{fw.title}: overall self-assessed stage or level",
                              overall_level.label if overall_level else None, "text",
                              note="" if overall_level else "not assessed"))
        sec.add(Paragraph(template="evidence-pack/assessment.j2", context={
            "kind": fw.kind, "overall": overall_level.label if overall_level else "",
            "capped": capped, "cap": fw.levels[fw.level_index(fw.gate_cap)].label if fw.gate_cap else "",
            "questions": [{"id": q.id, "text": q.text, "answer": answers.get(q.id, "")} for q in fw.gate_questions],
            "assessed": bool(assessed)}))
        if assessed:
            area_titles = {a.id: a.title for a in fw.areas}
            level_of = [fw.find_level(r.get("stage_or_level")) for r in assessed]
            who = sorted({f"{text(r.get('assessor'))} ({_fmt_date(_date(r.get('date')))})" for r in assessed
                          if text(r.get("assessor"))})
            if who:
                sec.add(Paragraph(text=f"Assessed by {', '.join(who)}."))
            sec.add(Table(f"{fw.id}_assessment", f"{fw.title}: self-assessed stage or level by area", [
                Column("area", "Area"), Column("level", "Stage or level"),
                Column("assessor", "Assessed by", hidden=True), Column("date", "Date", hidden=True),
                Column("rationale", "Why"), Column("strengths", "Strengths to build on"),
                Column("develop", "Areas to develop")],
                pd.DataFrame({
                    "area": [area_titles.get(text(r.get("area")), text(r.get("area")).capitalize()) for r in assessed],
                    "level": [lv.label if lv else text(r.get("stage_or_level")) or NONE for r, lv in zip(assessed, level_of)],
                    "assessor": [text(r.get("assessor")) or NONE for r in assessed],
                    "date": [_fmt_date(_date(r.get("date"))) for r in assessed],
                    "rationale": [text(r.get("rationale")) or NONE for r in assessed],
                    "strengths": [text(r.get("strengths")) or NONE for r in assessed],
                    "develop": [text(r.get("areas_to_develop")) or NONE for r in assessed]}),
                row_key="area", rows_additive=False))
        if fw.kind == "stages" and overall_level is not None:
            sec.add(Paragraph(template="evidence-pack/stage.j2", context={
                "stage": overall_level.label, "description": overall_level.description,
                "barriers": list(overall_level.barriers), "breakthroughs": list(overall_level.breakthroughs)}))

    def _readiness(self, top: Section, fw: Framework, best: dict[str, str], doc: Document) -> None:
        sec = top.subsection(f"{fw.id}-readiness", "Readiness")
        groups: list[tuple[str, str, list[str]]] = []
        if fw.levels and any(c.level for c in fw.criteria):
            for lv in fw.levels:
                ids = [c.id for c in fw.criteria if c.level == lv.id]
                if ids:
                    groups.append((lv.id, lv.label, ids))
        else:
            for area in fw.areas:
                ids = [c.id for c in fw.criteria_for(area.id)]
                if ids:
                    groups.append((area.id, area.title, ids))
        if not groups:
            sec.add(Paragraph(template="evidence-pack/no-criteria.j2", context={"title": fw.title}))
            return
        counts = {k: [sum(best[i] == s for i in ids) for s in ("met", "partly", "not_met", "none")]
                  for k, _, ids in groups}
        data = pd.DataFrame({
            "group": [label for _, label, _ in groups],
            "criteria": [len(ids) for _, _, ids in groups],
            "met": [counts[k][0] for k, _, _ in groups], "partly": [counts[k][1] for k, _, _ in groups],
            "missing": [counts[k][2] + counts[k][3] for k, _, _ in groups],
        })
        data["share"] = [m / n * 100 if n else None for m, n in zip(data["met"], data["criteria"])]
        by = "Stage or level" if fw.levels and any(c.level for c in fw.criteria) else "Area"
        sec.add(Table(f"{fw.id}_readiness", f"{fw.title}: criteria evidenced by {by.lower()}", [
            Column("group", by), Column("criteria", "Criteria", "number", decimals=0),
            Column("met", "Fully evidenced", "number", decimals=0), Column("partly", "Partly evidenced", "number", decimals=0),
            Column("missing", "No evidence or not met", "number", decimals=0),
            Column("share", "Fully evidenced (% of criteria)", "number", decimals=0)], data,
            row_key="group", rows_additive=False))
        next_group = next(((k, label, ids) for k, label, ids in groups if any(best[i] != "met" for i in ids)), None)
        unmet = [] if next_group is None else [c for c in fw.criteria if c.id in next_group[2] and best[c.id] != "met"]
        total = sum(len(ids) for _, _, ids in groups)
        met = sum(counts[k][0] for k, _, _ in groups)
        doc.add_figure(Figure(f"evidence-pack.{fw.id}.evidenced_pct", f"{fw.title}: criteria fully evidenced, %",
                              met / total * 100 if total else None, "percent", numerator=None, denominator=None))
        sec.add(Paragraph(template="evidence-pack/readiness.j2", context={
            "by": by.lower(), "next": next_group[1] if next_group else "", "met": met, "total": total,
            "unmet": [{"id": c.id, "text": c.text} for c in unmet]}))

    def _outcomes(self, top: Section, ctx: ReportContext, fw: Framework) -> None:
        sec = top.subsection(f"{fw.id}-outcomes", "Outcomes framework")
        records = rows(ctx.dataset, "outcomes")
        lookup = {re_key(a.title): a for a in fw.outcome_areas} | {re_key(a.id): a for a in fw.outcome_areas}
        out = []
        for area in fw.outcome_areas:
            mine = [r for r in records if lookup.get(re_key(text(r.get("outcome_area")))) == area]
            if not mine:
                out.append((area.title, "Not yet set", NONE, NONE))
            for r in mine:
                out.append((area.title, text(r.get("local_objective")) or NONE,
                            text(r.get("how_we_know_issue")) or NONE, text(r.get("how_we_will_know_improved")) or NONE))
        sec.add(Paragraph(template="evidence-pack/outcomes.j2", context={
            "missing": [a for a, o, _, _ in out if o == "Not yet set"]}))
        sec.add(Table(f"{fw.id}_outcomes", f"{fw.title}: outcomes framework", [
            Column("ref", "Ref"), Column("area", "Outcome area"), Column("objective", "Local objective"),
            Column("issue", "How we know this is an issue"), Column("improved", "How we will know we have improved")],
            pd.DataFrame({"ref": [f"O{i + 1}" for i in range(len(out))], "area": [o[0] for o in out],
                          "objective": [o[1] for o in out], "issue": [o[2] for o in out],
                          "improved": [o[3] for o in out]}), row_key="ref", rows_additive=False))

    def _actions(self, doc: Document, ctx: ReportContext, chosen: dict[str, Framework]) -> None:
        actions = [a for a in action_items(ctx.dataset) if a.framework in ("", *chosen)]
        sec = doc.section("actions", "Action plan")
        today = ctx.dataset.snapshot
        overdue = [a for a in actions if a.overdue(today)]
        sec.add(Paragraph(template="evidence-pack/actions.j2", context={
            "count": len(actions), "overdue": len(overdue), "snapshot": f"{today:%-d %B %Y}"}))
        doc.add_figure(Figure("evidence-pack.actions.overdue", "Actions past their date and not complete",
                              len(overdue), "number"))
        if actions:
            sec.add(_actions_table(actions, today))

    def _appendix(self, doc: Document, ctx: ReportContext) -> None:
        from equality_reports.runner import figures_from_json

        figures = dict(ctx.run_figures)
        paths = [Path(p.strip()).expanduser() for p in ctx.options["figures"].split(",") if p.strip()]
        if paths:
            figures.update({k: v for k, v in figures_from_json(paths).items() if k not in figures})
        sec = doc.section("appendix-figures", "Appendix: workforce figures")
        rows_ = [(fid, fig) for fid, fig in sorted(figures.items())
                 if not fid.startswith("evidence-pack.") and fig.unit != "text" and fid.count(".") <= 4]
        sec.add(Paragraph(template="evidence-pack/appendix.j2", context={"count": len(rows_)}))
        if rows_:
            sec.add(Table("workforce_figures", "Workforce figures from the monitoring reports", [
                Column("id", "Figure id"), Column("label", "What it measures"), Column("value", "Value as published"),
                Column("report", "Report")],
                pd.DataFrame({"id": [f for f, _ in rows_], "label": [g.label for _, g in rows_],
                              "value": [_published(g) for _, g in rows_],
                              "report": [f.split(".")[0] for f, _ in rows_]}), row_key="id", rows_additive=False))

    def extra_outputs(self, ctx: ReportContext, document: Document, rendered: dict[str, Path], workdir: Path) -> list[Path]:
        if not ctx.options["bundle"]:
            return []
        return [bundle.write_bundle(workdir / f"{self.name}-bundle.zip", evidence_items(ctx.dataset), ctx.dataset.path,
                                    rendered, ctx.dataset.period_end)]


def re_key(value: str) -> str:
    return "".join(ch for ch in value.lower() if ch.isalnum())


def _date(value: Any) -> date | None:
    from equality_reports_evidence.register import as_date

    return as_date(value)


def _best_status(items: list[Evidence]) -> str:
    statuses = {e.status for e in items}
    for s in ("met", "partly", "not_met"):
        if s in statuses:
            return s
    return "none"


def _published(fig: Figure) -> str:
    from equality_reports.narrative import figure_views

    view = figure_views({fig.id: fig})[fig.id]
    suffix = {"percent": "%", "pp": " percentage points"}.get(fig.unit, "") if view.value is not None else ""
    return view.text + suffix


def _criteria_table(table_id: str, title: str, fw: Framework, crits: list, by_criterion: dict[str, list[Evidence]],
                    bundled: dict[str, str]) -> Table:
    level_label = {lv.id: lv.label for lv in fw.levels}
    out: list[dict[str, str]] = []
    for c in crits:
        items = by_criterion.get(c.id) or [None]
        for ev in items:
            out.append({
                "ref": f"{c.id}" if ev is None else f"{c.id} / {ev.evidence_id}",
                "criterion": c.id, "text": c.text, "level": level_label.get(c.level or "", NONE),
                "evidence": ev.title if ev else "No evidence recorded",
                "location": (bundled.get(ev.evidence_id) or ev.location) if ev else "",
                "status": STATUS_LABELS[ev.status] if ev else STATUS_LABELS["none"],
                "owner": (ev.owner or NONE) if ev else NONE,
                "date": _fmt_date(ev.date) if ev else NONE,
            })
    columns = [Column("ref", "Reference", hidden=True), Column("criterion", "Criterion"),
               Column("text", "What it asks for")]
    if fw.levels:
        columns.append(Column("level", "Level or stage"))
    columns += [Column("evidence", "Evidence", link="location"), Column("location", "Location", hidden=True),
                Column("status", "Status"), Column("owner", "Owner"), Column("date", "Date")]
    return Table(f"crit_{table_id}".replace("-", "_"), f"{fw.title}: {title}", columns, pd.DataFrame(out),
                 row_key="ref", rows_additive=False)


def _actions_table(actions: list[Action], today: date) -> Table:
    return Table("action_plan", "Action plan", [
        Column("n", "Number"), Column("action", "Action"), Column("who", "Who"), Column("by_when", "By when"),
        Column("status", "Status"), Column("overdue", "Overdue"), Column("link", "Framework area or criterion")],
        pd.DataFrame({
            "n": [str(a.number) for a in actions], "action": [a.action or NONE for a in actions],
            "who": [a.who or NONE for a in actions], "by_when": [_fmt_date(a.by_when) for a in actions],
            "status": [a.status or "Not started" for a in actions],
            "overdue": ["Overdue" if a.overdue(today) else "No" for a in actions],
            "link": [" / ".join(x for x in (a.framework, a.area, a.criterion) if x) or NONE for a in actions]}),
        row_key="n", rows_additive=False)
