"""The rraa-employment report: the annual workforce race equality publication."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from equality_reports import (
    BANK_CHOICES,
    BENCHMARK_SOURCE,
    Document,
    Figure,
    Option,
    Population,
    Problem,
    Report,
    ReportContext,
    scope,
    staff_population,
)
from equality_reports_rraa import comparisons, events, monitoring, text, workforce
from equality_reports_rraa.builder import REPORT, Build
from equality_reports_rraa.grades import parse_list


def population(options: dict[str, Any], sector: str) -> Population:
    """Employees by default; everyone with ``include_not_directly_employed``; without bank-only
    workers with ``bank_workers=exclude``, and by default (``auto``) in the NHS, whose WRES and
    workforce statistics count bank-only workers apart: a run publishing the RRAA report beside
    the WRES then counts the same people in both (counts of the same group that differ by a few
    bank workers would give those few away, and both reports would lose them)."""
    bank = options["bank_workers"]
    return staff_population(directly_employed_only=not options["include_not_directly_employed"],
                            exclude_bank=bank == "exclude" or (bank == "auto" and sector == "nhs"))


class RraaEmploymentReport(Report):
    """Staff in post, applicants, training, promotion and (150+ FTE) further monitoring by
    ethnic group, with comparisons, narrative and charts."""

    name = REPORT
    title = "Workforce race equality monitoring report"
    description = ("Annual employment monitoring by ethnic group under article 5 of the Race Relations Act "
                   "1976 (Statutory Duties) Order 2001, laid out to serve the Equality Act 2010 specific "
                   "duties too: staff in post, recruitment, training, promotion and, for bodies with 150 "
                   "or more FTE staff, training received, appraisal, grievances, discipline and leavers.")
    required_tables = ("staff",)
    optional_tables = ("applications", "training", "promotions", "appraisals", "grievances", "disciplinary",
                       "leavers", "benchmark", "actions")
    sectors = ()
    #: the narrative templates, as ``rraa-employment/<file>.j2`` (a ``--templates`` copy overrides one)
    template_dir = Path(__file__).resolve().parent / "templates"
    options = (
        Option("fte_threshold", float, 150.0, "FTE at or above which the large-body monitoring applies"),
        Option("large_body", bool, None, "true or false: override the FTE test for the large-body monitoring"),
        Option("band_low", float, 0.80, "relative rates below this are flagged", minimum=0.01),
        Option("band_high", float, 1.25, "relative rates above this are flagged", minimum=1.0),
        Option("minority_label", str, "Ethnic minority", "label for the combined minority group"),
        Option("senior_grades", str, "", "senior staff: a number N (top N grades) or a comma-separated "
               "list of grades; default staff.senior_manager, else the top quarter of grades"),
        Option("grade_order", str, "", "comma-separated grades lowest first, for this report only (grade_order in "
               "dataset.toml sets it for every report; default pay order)"),
        Option("include_not_directly_employed", bool, False, "true: count agency and other staff who are not "
               "directly employed (by default they are left out of staff in post, their events and the FTE "
               "test, since the duty covers the body's employees)"),
        BENCHMARK_SOURCE,
        Option("bank_workers", str, "auto", "include or exclude bank-only workers; exclude counts the people "
               "the NHS WRES counts (directly employed, not bank-only workers); auto (the default) excludes them "
               "for sector nhs and includes them otherwise", choices=("auto", *BANK_CHOICES)),
    )

    def check(self, ctx: ReportContext) -> list[Problem]:
        dataset, options = ctx.dataset, ctx.options
        problems = []
        low, high = options["band_low"], options["band_high"]
        if not 0 < low < 1 < high:
            problems.append(Problem(f"band_low={low}, band_high={high}: need 0 < band_low < 1 < band_high",
                                    fix="e.g. --option band_low=0.8 --option band_high=1.25"))
        if options["fte_threshold"] <= 0:
            problems.append(Problem(f"fte_threshold={options['fte_threshold']} must be above 0",
                                    fix="the statutory figure is 150"))
        staff = dataset.tables.get("staff")
        grades = set() if staff is None or "grade" not in staff.columns else set(staff["grade"].dropna().astype(str))
        spec = (options["senior_grades"] or "").strip()
        if spec and not spec.isdigit():
            unknown = [g for g in parse_list(spec) if g not in grades]
            if unknown:
                problems.append(Problem(f"senior_grades names grade(s) not in staff.grade: {', '.join(unknown)}",
                                        file="staff", column="grade",
                                        fix="spell them as in the data, or give a number N for the top N grades"))
        unknown = [g for g in parse_list(options["grade_order"]) if g not in grades]
        if unknown:
            problems.append(Problem(f"grade_order names grade(s) not in staff.grade: {', '.join(unknown)}",
                                    file="staff", column="grade", severity="warning"))
        return problems

    def build(self, ctx: ReportContext) -> Document:
        previous = dict(ctx.previous_figures)  # the runner's: last year's publication, protected
        if ctx.previous is not None and not previous:  # built directly: work last year out here
            previous = self._previous_figures(ctx)
        return self._build(ctx, previous, previous_run=False)

    def _previous_figures(self, ctx: ReportContext) -> dict[str, Figure]:
        """Last year's figures from last year's dataset, withheld as they would have been published."""
        last = ReportContext(report=self, dataset=ctx.previous, options=ctx.options, audience=ctx.audience,
                             threshold=ctx.threshold)
        doc = self._build(last, {}, previous_run=True)
        ctx.protect(doc)
        return doc.figures

    def _build(self, ctx: ReportContext, previous: dict[str, Figure], *, previous_run: bool) -> Document:
        dataset = ctx.dataset
        doc = ctx.new_document(title=self.title)
        doc.subtitle = f"{dataset.organisation}: staff and applicants by ethnic group"
        people = scope(dataset, population(ctx.options, dataset.sector))
        b = Build(ctx=ctx, dataset=dataset, doc=doc, options=ctx.options, staff=people.staff, people=people,
                  previous_run=previous_run)
        size = monitoring.build_size(b)
        text.add_introduction(b)
        text.add_summary_placeholder(b)
        workforce.build_staff(b)
        events.build_recruitment(b)
        training = b.section("training", "Applicants for training")
        events.build_training_applications(b, training)
        events.build_promotion(b)
        monitoring.build_monitoring(b, size)
        if not previous_run:
            # the comparison tables restate counts from the tables built so far: a count declaring
            # whom it counts follows its source through the engine, the others take their
            # source's state now; then the tables go back as they were, for the engine's pass
            # over the finished document (it knows the headline figures) to decide
            restore = ctx.protect(doc)
            comparisons.build_relative_rates(b)
            comparisons.build_benchmark(b)
            if previous or ctx.previous is not None:
                comparisons.build_previous(b, previous)
            restore()
            text.add_data_quality(b)
            text.add_actions(b)
        text.fill_summary(b)
        # the tracked percentages and each stage's relative rate sum the report up
        doc.mark_headlines(fid for fid in [fid for fid, _ in b.tracked] + [
            b.fid("comparison", st.key, "relative_rate") for st in b.stages] if fid in doc.figures)
        return doc
