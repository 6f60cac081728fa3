"""The evidence-pack report: where the organisation stands against a framework, and the proof."""

from __future__ import annotations

import fnmatch
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from equality_reports import (
    Dataset,
    Document,
    Figure,
    Framework,
    InputError,
    Option,
    Paragraph,
    Problem,
    Report,
    ReportContext,
    Section,
    load_framework_file,
    long_date,
)
from equality_reports_evidence import assess, bundle, tables
from equality_reports_evidence.checks import check_register
from equality_reports_evidence.files import MISSING, EvidenceFolder
from equality_reports_evidence.register import (
    Action,
    Evidence,
    action_items,
    assessed_items,
    evidence_items,
    rows,
    text,
)

DEFAULT_FRAMEWORK = "journey-to-race-equality"
#: an action falls in the next action plan when due within this many days of the snapshot
PLAN_DAYS = 183


def builtin_frameworks() -> dict[str, Framework]:
    """The frameworks shipped with the plugin, by id."""
    folder = Path(__file__).parent / "frameworks"
    return {f.id: f for f in (load_framework_file(p) for p in sorted(folder.glob("*.yaml")))}


def _fid(framework_id: str) -> str:
    """A framework id made safe for figure ids."""
    return re.sub(r"[^a-z0-9_-]+", "-", framework_id.lower()).strip("-") or "framework"


def _key(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", value.lower())


def _split(value: str) -> list[str]:
    return [v.strip() for v in str(value or "").split(",") if v.strip()]


class EvidencePackReport(Report):
    name = "evidence-pack"
    title = "Equality evidence pack"
    description = ("Assembles an inspection evidence pack against an equality framework (the Audit "
                   "Commission's journey to race equality, the ADSS leadership checks, the Equality "
                   "Standard for Local Government, the Equality Framework for Local Government or your "
                   "own): the self-assessed stage per area, criteria with their evidence, gaps, readiness "
                   "for the next level, the action plan, the outcomes framework and workforce figures "
                   "from the other reports; optionally a zip bundle of every evidence file.")
    required_tables = ("evidence",)
    optional_tables = ("self_assessment", "actions", "outcomes")
    uses_run_figures = True
    #: the narrative templates, as ``evidence-pack/<file>.j2`` (a ``--templates`` copy overrides one)
    template_dir = Path(__file__).resolve().parent / "templates"
    options = (
        Option("framework", str, "", "Framework id(s), comma-separated (default: those named in the "
               "evidence table, else journey-to-race-equality)."),
        Option("framework_file", str, "", "Your own YAML framework file(s), comma-separated "
               "(format: docs/frameworks.md).", files=True),
        Option("bundle", bool, False, "Also write evidence-pack-bundle.zip: the pack, the matrix, every "
               "local evidence file under its index number, and an index."),
        Option("figures", str, "", "Comma-separated <report>.json files from earlier runs, for the "
               "workforce figures appendix (a publication takes only files from publication runs).",
               figure_files=True),
        Option("appendix_figures", str, "", "Comma-separated figure id patterns (e.g. 'sc-wres.*,"
               "rraa-employment.comparison.*', or '*' for every figure) choosing the appendix figures "
               "(default: each report's headline figures)."),
    )

    # -- frameworks -----------------------------------------------------------------------
    def frameworks(self, dataset: Dataset, options: dict[str, Any],
                   registered: dict[str, Framework]) -> dict[str, Framework]:
        """The frameworks this pack covers, in order."""
        available = dict(registered) if registered else builtin_frameworks()
        users = [load_framework_file(Path(p).expanduser()) for p in _split(options.get("framework_file", ""))]
        available.update({u.id: u for u in users})
        wanted = _split(options.get("framework", ""))
        if not wanted:
            # each framework the register names, or whose criteria a row naming none cites
            named = [name for ev in evidence_items(dataset) for name in ([ev.framework] if ev.framework else [
                f.id for f in available.values() if set(ev.criteria) & set(f.criterion_ids)])]
            wanted = list(dict.fromkeys([*(n for n in named if n in available), *(u.id for u in users)]))
        wanted = wanted or [DEFAULT_FRAMEWORK]
        unknown = [w for w in wanted if w not in available]
        if unknown:
            raise InputError(f"--option framework={','.join(unknown)}: unknown framework. Available: "
                             f"{', '.join(sorted(available))}; or give your own with --option framework_file=PATH.")
        return {w: available[w] for w in wanted}

    def check(self, ctx: ReportContext) -> list[Problem]:
        dataset = ctx.dataset
        chosen = self.frameworks(dataset, ctx.options, ctx.frameworks)
        for path in _split(ctx.options.get("figures", "")):
            if not Path(path).expanduser().is_file():
                raise InputError(f"--option figures={path}: file not found. Give a <report>.json from an "
                                 f"earlier run's output folder.")
        return check_register(dataset, chosen, dataset.snapshot or dataset.period_end,
                              ctx.frameworks or builtin_frameworks())

    # -- build ----------------------------------------------------------------------------
    def build(self, ctx: ReportContext) -> Document:
        ds = ctx.dataset
        snapshot = ds.snapshot or ds.period_end
        available = ctx.frameworks or builtin_frameworks()
        chosen = self.frameworks(ds, ctx.options, available)
        for p in check_register(ds, chosen, snapshot, available):
            if p.severity == "warning":
                ctx.warn(str(p))
        evidence = evidence_items(ds)
        folder = EvidenceFolder.of(ds)
        links = bundle.evidence_links(evidence, folder, bool(ctx.options["bundle"]))
        against = next(iter(chosen.values())).title if len(chosen) == 1 else f"{len(chosen)} frameworks"
        doc = ctx.new_document(title=self.title, subtitle=f"{ds.organisation}: evidence against {against}, "
                                                          f"as at {long_date(snapshot)}")
        about = doc.section("about", "About this evidence pack")
        summary = doc.section("summary", "Summary")
        assessments = {fw.id: assess.self_assessment(fw, assessed_items(ds)) for fw in chosen.values()}
        summaries = [self._framework(doc, ds, fw, assessments[fw.id], evidence, links) for fw in chosen.values()]
        actions = [a for a in action_items(ds) if a.framework in chosen or a.framework not in available]
        overdue = self._actions(doc, actions, available, snapshot)
        self._register(doc, evidence, links)
        shown = self._appendix(doc, ctx)
        missing = sum(1 for e in evidence if folder.locate(e.location).kind == MISSING)
        doc.add_figure(Figure("evidence-pack.evidence.items", "Evidence items in the register", len(evidence)))
        doc.add_figure(Figure("evidence-pack.evidence.missing_files", "Local evidence files not found", missing))
        about.add(Paragraph(template="evidence-pack/intro.j2", context={
            "organisation": ds.organisation, "snapshot": long_date(snapshot),
            "frameworks": [{"title": f.title, "source": f.source} for f in chosen.values()],
            "items": len(evidence), "missing": missing, "bundle": bool(ctx.options["bundle"]),
            "appendix": shown}))
        summary.add(Paragraph(template="evidence-pack/summary.j2", context={
            "frameworks": summaries, "actions": len(actions), "overdue": overdue}))
        for note in _operator_notes(ctx, chosen.values(), assessments, evidence, actions, shown):
            ctx.note_for_operator(note)
        return doc

    def _framework(self, doc: Document, ds: Dataset, fw: Framework, sa: assess.SelfAssessment, evidence: list[Evidence],
                   links: bundle.Links) -> dict[str, Any]:
        """The sections for one framework; returns the facts the summary states."""
        fid = _fid(fw.id)
        top = doc.section(f"fw-{fid}", fw.title, new_page=True)
        top.add(Paragraph(template="evidence-pack/framework.j2", context={
            "source": fw.source, "notes": list(fw.notes), "kind": fw.kind,
            "levels": [lv.label for lv in fw.levels], "areas": [a.title for a in fw.areas],
            "criteria": len(fw.criteria)}))
        by_criterion = assess.evidence_for(fw, evidence)
        best = {cid: assess.best_status(items) for cid, items in by_criterion.items()}
        self._assessment(top, sa)
        readiness = self._readiness(top, fw, sa, best)
        criteria = top.subsection(f"{fid}-criteria", "Criteria and evidence")
        levelled = any(c.level in {lv.id for lv in fw.levels} for c in fw.criteria)
        criteria.add(Paragraph(template="evidence-pack/criteria.j2", context={
            "bundle": links.bundled, "example": fw.criteria[0].id if fw.criteria else "",
            "level_word": ("stage" if fw.kind == "stages" else "level") if levelled else ""}))
        for area in fw.areas:
            sub = criteria.subsection(f"{fid}-{_fid(area.id)}", area.title)
            if area.description:
                sub.add(Paragraph(text=area.description))
            if area.criteria:
                sub.add(tables.criteria_table(fw, area, by_criterion, links))
            else:
                sub.add(Paragraph(template="evidence-pack/no-criteria.j2",
                                  context={"title": fw.title, "area": area.title}))
        gaps = [c for c in fw.criteria if best[c.id] != "met"]
        gap_sec = top.subsection(f"{fid}-gaps", "Gaps")
        missing = sum(best[c.id] == "none" for c in gaps)
        # most criteria without evidence yet: the area tables already say "No evidence" beside
        # each, so the gaps table lists only those with some evidence short of met
        listed = missing <= len(fw.criteria) / 2
        gap_sec.add(Paragraph(template="evidence-pack/gaps.j2", context={
            "total": len(fw.criteria), "partly": sum(best[c.id] == "partly" for c in gaps),
            "not_met": sum(best[c.id] == "not_met" for c in gaps), "missing": missing, "listed": listed}))
        gap_table = tables.gaps_table(fw, best, with_missing=listed)
        if gap_table is not None:
            gap_sec.add(gap_table)
        if fw.outcome_areas:
            self._outcomes(top, ds, fw)
        met = sum(s == "met" for s in best.values())
        doc.add_figure(Figure(f"evidence-pack.{fid}.criteria", f"{fw.title}: criteria", len(fw.criteria)))
        doc.add_figure(Figure(f"evidence-pack.{fid}.met", f"{fw.title}: criteria fully evidenced", met))
        doc.add_figure(Figure(f"evidence-pack.{fid}.met_pct", f"{fw.title}: criteria fully evidenced, %",
                              met / len(fw.criteria) * 100 if fw.criteria else None, "percent",
                              numerator=met, denominator=len(fw.criteria),
                              note="" if fw.criteria else "the framework has no criteria"))
        doc.add_figure(Figure(f"evidence-pack.{fid}.gaps", f"{fw.title}: criteria without full evidence", len(gaps)))
        doc.add_figure(Figure(f"evidence-pack.{fid}.overall", f"{fw.title}: overall self-assessed stage or level",
                              sa.overall.label if sa.overall else None, "text",
                              note="" if sa.overall else "not assessed"))
        return {"title": fw.title, "kind": fw.kind, **_stage_facts(sa), "met": met, "total": len(fw.criteria),
                # half up, as a reader rounds (round() would give 1 of 8 as 12%)
                "share": int(met * 100 / len(fw.criteria) + 0.5) if fw.criteria else None, **readiness}

    def _assessment(self, top: Section, sa: assess.SelfAssessment) -> None:
        fw = sa.framework
        sec = top.subsection(f"{_fid(fw.id)}-assessment", "Self-assessment")
        first = sa.overall_row or (sa.areas[0][0] if sa.areas else None)
        assessed = {area.id for area in (fw.find_area(row.area) for row, _ in sa.areas) if area}
        sec.add(Paragraph(template="evidence-pack/assessment.j2", context={
            "unassessed": [a.title for a in fw.areas if a.id not in assessed] if sa.areas else [],
            **_stage_facts(sa), "kind": fw.kind, "recorded": sa.recorded,
            "cap": sa.gate.cap.label if sa.gate.cap else "",
            "questions": [{"id": q.id, "text": q.text, "answer": sa.gate.answers.get(q.id, "")}
                          for q in fw.gate_questions],
            "assessor": first.assessor if first else "",
            "date": long_date(first.date) if first and first.date else ""}))
        if sa.recorded:
            sec.add(tables.assessment_table(sa))
            development = tables.development_table(sa)
            if development is not None:
                sec.add(development)
        if fw.kind == "stages" and sa.overall is not None:
            lv = sa.overall
            sec.add(Paragraph(template="evidence-pack/stage.j2", context={
                "stage": lv.label, "description": lv.description, "barriers": list(lv.barriers),
                "breakthroughs": list(lv.breakthroughs)}))

    def _readiness(self, top: Section, fw: Framework, sa: assess.SelfAssessment,
                   best: dict[str, str]) -> dict[str, Any]:
        sec = top.subsection(f"{_fid(fw.id)}-readiness", "Readiness")
        by_level = assess.coverage_by_level(fw, best)
        by_area = assess.coverage_by_area(fw, best)
        nxt = assess.next_level(fw, best, sa.overall)
        below = assess.unmet(fw, best, assess.levels_up_to(fw, sa.overall)) if sa.overall and by_level else []
        ahead = assess.unmet(fw, best, [nxt]) if nxt else []
        facts = {"next": nxt.label if nxt else "", "next_unmet": len(ahead), "below_unmet": len(below),
                 "next_has_criteria": bool(nxt and any(c.level == nxt.id for c in fw.criteria))}
        sec.add(Paragraph(template="evidence-pack/readiness.j2", context={
            **facts, **_stage_facts(sa), "kind": fw.kind, "levelled": bool(by_level), "has_criteria": bool(by_area),
            "met": sum(s == "met" for s in best.values()), "total": len(best),
            "below": [{"id": c.id, "text": c.text} for c in below],
            "ahead": [{"id": c.id, "text": c.text} for c in ahead]}))
        if by_level:
            sec.add(tables.coverage_table(fw, "level", by_level))
        if by_area:
            sec.add(tables.coverage_table(fw, "area", by_area))
        return facts

    def _outcomes(self, top: Section, ds: Dataset, fw: Framework) -> None:
        sec = top.subsection(f"{_fid(fw.id)}-outcomes", "Outcomes framework")
        records = [(text(r.get("outcome_area")), r) for r in rows(ds, "outcomes")]
        keys = {_key(a.id): a for a in fw.outcome_areas} | {_key(a.title): a for a in fw.outcome_areas}
        out: list[tuple[str, str, str, str]] = []
        missing = []
        for area in fw.outcome_areas:
            mine = [r for name, r in records if keys.get(_key(name)) == area]
            if not mine:
                missing.append(area.title)
                out.append((area.title, "Not yet set", tables.NONE, tables.NONE))
            out += [(area.title, text(r.get("local_objective")) or tables.NONE,
                     text(r.get("how_we_know_issue")) or tables.NONE,
                     text(r.get("how_we_will_know_improved")) or tables.NONE) for r in mine]
        other = sorted({name for name, _ in records if _key(name) not in keys})
        sec.add(Paragraph(template="evidence-pack/outcomes.j2", context={"missing": missing, "other": other}))
        sec.add(tables.outcomes_table(fw, out))

    def _actions(self, doc: Document, actions: list[Action], frameworks: dict[str, Framework], snapshot: date) -> int:
        sec = doc.section("actions", "Action plan")
        overdue = [a for a in actions if a.overdue(snapshot)]
        horizon = snapshot + timedelta(days=PLAN_DAYS)
        soon = [a for a in actions if not a.done and a.by_when is not None and snapshot <= a.by_when <= horizon]
        sec.add(Paragraph(template="evidence-pack/actions.j2", context={
            "count": len(actions), "overdue": len(overdue), "soon": len(soon), "done": sum(a.done for a in actions),
            "undated": sum(a.by_when is None and not a.done for a in actions),
            # actions for every report (no framework named, or "all"): the workforce reports list them too
            "shared": sum(a.framework.strip().lower() in ("", "all") for a in actions),
            "snapshot": long_date(snapshot), "horizon": long_date(horizon)}))
        doc.add_figure(Figure("evidence-pack.actions.total", "Actions in the plan", len(actions)))
        doc.add_figure(Figure("evidence-pack.actions.overdue", "Actions past their date and not complete",
                              len(overdue)))
        if actions:
            sec.add(tables.actions_table(actions, frameworks, snapshot))
        return len(overdue)

    def _register(self, doc: Document, evidence: list[Evidence], links: bundle.Links) -> None:
        sec = doc.section("register", "Evidence register")
        sec.add(Paragraph(template="evidence-pack/register.j2",
                          context={"count": len(evidence), "bundle": links.bundled}))
        if evidence:
            sec.add(tables.register_table(evidence, links))

    def _appendix(self, doc: Document, ctx: ReportContext) -> int:
        paths = [Path(p).expanduser() for p in _split(ctx.options["figures"])]
        loaded = ctx.load_figures(paths, source="--option figures=") if paths else {}
        figures = {**loaded, **ctx.run_figures}
        patterns = _split(ctx.options["appendix_figures"])
        chosen = [f for fid, f in figures.items() if not fid.startswith(self.name + ".")
                  and (any(fnmatch.fnmatchcase(fid, p) for p in patterns) if patterns else True)]
        if not patterns:  # each report's headline figures; all of a report's when it marks none
            marked = {f.id.split(".")[0] for f in chosen if f.headline}
            chosen = [f for f in chosen if f.headline or f.id.split(".")[0] not in marked]
        sec = doc.section("appendix-figures", "Appendix: workforce figures")
        by_report: dict[str, list[Figure]] = {}
        for fig in chosen:
            by_report.setdefault(fig.id.split(".")[0], []).append(fig)
        registered = ctx.host.reports() if ctx.host is not None else {}
        titles = {name: registered[name].item.title if name in registered else name for name in by_report}
        sec.add(Paragraph(template="evidence-pack/appendix.j2", context={
            "count": len(chosen), "reports": [f"the {titles[name]}" for name in sorted(by_report)],
            "from_files": [p.name for p in paths], "filtered": bool(patterns),
            "lead": ("were chosen from" if patterns else
                     "are the headline figures of" if any(f.headline for f in chosen) else "were published in")}))
        for report, figs in sorted(by_report.items()):
            sec.subsection(f"appendix-{_fid(report)}", f"Figures from the {titles[report]}").add(
                tables.figures_table(report, titles[report], figs))
        return len(chosen)

    def extra_outputs(self, ctx: ReportContext, document: Document, rendered: dict[str, Path],
                      workdir: Path) -> list[Path]:
        if not ctx.options["bundle"]:
            return []
        ds = ctx.dataset
        path, entries = bundle.write_bundle(workdir / f"{self.name}-bundle.zip", evidence_items(ds),
                                            EvidenceFolder.of(ds), rendered, ds.snapshot or ds.period_end,
                                            ds.organisation, ctx.reference_in)
        for e in entries:
            if e.state == bundle.HOLDS_REFERENCE:
                where = ctx.reference_in(e.evidence.location) or "in its text"
                ctx.warn(f"evidence {e.evidence.evidence_id} ({e.evidence.location}) was not put in the bundle: it "
                         f"holds a reference to a person or case ({where}); remove the reference, or give a copy "
                         "without it")
        unread = sorted({e.evidence.location for e in entries if e.source is not None
                         and e.source.suffix.lower() not in bundle.TEXT_SUFFIXES})
        if unread:
            listed = ", ".join(unread[:5]) + (", ..." if len(unread) > 5 else "")
            ctx.note_for_operator(f"{len(unread)} evidence file(s) are bundled as given, unread ({listed}): check "
                                  "them for personal details before the bundle is shared.")
        return [path]


def _operator_notes(ctx: ReportContext, frameworks: Any, assessments: dict[str, assess.SelfAssessment],
                    evidence: list[Evidence], actions: list[Action], shown: int) -> list[str]:
    """What whoever runs the tool could add to complete the pack (never printed in it)."""
    notes = []
    for fw in frameworks:
        sa = assessments[fw.id]
        if not sa.recorded and fw.kind != "checklist":  # a checklist has no stages or levels
            notes.append(f"{fw.title}: no self-assessment. Add self_assessment rows (framework, area, "
                         f"stage_or_level, assessor, date, rationale).")
        elif sa.overall is None and fw.kind != "checklist":
            notes.append(f'{fw.title}: no overall stage or level. Add a self_assessment row with area "overall".')
        if fw.gate_questions and any(a in ("", "?") for a in sa.gate.answers.values()):
            notes.append(f"{fw.title}: record each gate question's answer as a self_assessment row whose area is "
                         f"the question id and whose stage_or_level is yes or no.")
        if fw.criteria:
            notes.append(f"{fw.title}: the criteria are summarised in this project's words; check them against the "
                         f"source document before an inspection.")
        if any(not area.criteria for area in fw.areas):
            notes.append(f"{fw.title}: some areas have no criteria. Give the full criteria in your own framework "
                         f"file with --option framework_file=PATH (see docs/frameworks.md).")
    if evidence and not ctx.options["bundle"]:
        notes.append("Run with --option bundle=true for a zip of the pack with every local evidence file and "
                     "working links.")
    if not actions:
        notes.append("No action plan: add an actions table (action, who, by_when, status).")
    if not shown:
        notes.append("The workforce figures appendix is empty: run this report with rraa-employment, wres or "
                     "sc-wres (for example with --all), or give earlier results with --option figures=PATH.json.")
    return notes


def _stage_facts(sa: assess.SelfAssessment) -> dict[str, Any]:
    """What the summary and self-assessment text say about the assessed stage."""
    fw = sa.framework
    return {"overall": sa.overall.label if sa.overall else "",
            "claimed": sa.claimed.label if sa.claimed else "", "capped": sa.overall != sa.claimed,
            "failed": list(sa.gate.failed), "unanswered": [q for q, a in sa.gate.answers.items() if a in ("", "?")],
            "gate_blocks": sa.gate.capped,
            "areas": [{"area": (fw.find_area(item.area).title if fw.find_area(item.area) else item.area),
                       "level": level.label if level else item.value} for item, level in sa.areas]}
