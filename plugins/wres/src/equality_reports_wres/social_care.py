"""Social Care Workforce Race Equality Standard (SC-WRES) for local authorities.

Nine SC-WRES metrics (Skills for Care; docs/sources.md, Social Care WRES) for directly employed staff,
for the whole workforce and for each service. Unlike the NHS WRES, every ratio puts minority
ethnic staff first: a value above 1 means minority ethnic staff are more likely to experience the
outcome than White staff.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from equality_reports import (
    BENCHMARK_SOURCE,
    DIRECTLY_EMPLOYED,
    Document,
    Option,
    Paragraph,
    Problem,
    Report,
    ReportContext,
    Section,
    Tally,
    binary_labels,
    long_date,
    quality_table,
    scope,
    stats,
    summary_table,
    unit_codes,
)
from equality_reports_wres import common
from equality_reports_wres.bands import natural_key
from equality_reports_wres.toolkit import (
    SURVEY_NOTE,
    Computed,
    Likelihood,
    Result,
    Settings,
    Survey,
    as_bool,
    difference_indicator,
    distinct_people,
    entrants_note,
    formal_disciplinary,
    group_counts,
    likelihood_indicator,
    not_reported,
    representation_figures,
    representation_table,
    shortlisting,
    survey_groups,
    survey_indicator,
    survey_percentages,
    survey_problems,
)

SURVEY = (
    ("6", "harassment_public", "Staff experiencing harassment, bullying or abuse from people who use "
     "services, their relatives or the public"),
    ("7a", "harassment_colleague", "Staff experiencing harassment, bullying or abuse from colleagues"),
    ("7b", "harassment_manager", "Staff experiencing harassment, bullying or abuse from managers"),
)
#: the pay band row of staff with no grade recorded, listed last
NOT_RECORDED = "Not recorded"
#: survey rows for the whole workforce when the survey also gives services
_WHOLE_WORKFORCE = {"", "all", "all services", "whole workforce", "total", "overall", "organisation"}


def _survey(ds: Any, services: frozenset[str] | None, whole: frozenset[str] | None) -> pd.DataFrame | None:
    """The survey rows for ``services`` (slugs: one service, or ``whole``, the services making up
    the workforce; None: every staff member); None when not given.

    With a ``service`` column, the rows of the services asked for, together; for every staff
    member, the rows without a service (or marked "all"/"total") when there are any for a question,
    else the services' rows together. A survey without the column is taken as the survey of the
    workforce the return covers.
    """
    if not ds.has("staff_survey"):
        return None
    survey = ds.table("staff_survey")
    if "service" not in survey.columns:
        return survey if services == whole else None
    if services != whole or whole is not None:
        return _scope(survey, services)
    text = survey["service"].astype("string").str.strip().str.lower().fillna("")
    overall = text.isin(_WHOLE_WORKFORCE).to_numpy(dtype=bool)
    question = survey["question"].astype("string").str.strip().str.lower()
    frames = []
    for asked in question.dropna().unique():  # a handful of questions
        rows = (question == asked).fillna(False).to_numpy(dtype=bool)
        whole, parts = survey[rows & overall], survey[rows & ~overall]
        if not len(whole) or not len(parts):
            frames.append(whole if len(whole) else parts)
            continue
        summed, others = _others(whole, parts)  # per group: the services and the rest, or the whole's rows
        in_parts = survey_groups(parts["group"]).isin(summed).to_numpy(dtype=bool)
        in_whole = survey_groups(whole["group"]).isin(summed).to_numpy(dtype=bool)
        frames += [parts[in_parts], others, whole[~in_whole]]
    return pd.concat(frames) if frames else survey.iloc[:0]


#: the service of the survey rows standing for the whole workforce's respondents in no service given
_OTHERS = "(others)"


def _others(whole: pd.DataFrame, parts: pd.DataFrame) -> tuple[set[str], pd.DataFrame]:
    """One question's whole-workforce rows, group by group, as its services' rows plus the rest:
    the groups (ids) whose whole holds at least its services' sums, with rows (service
    :data:`_OTHERS`) of the respondents and answers it has beyond them. A reader taking the whole
    to hold the services subtracts one from the other (the whole less one service bounds the
    rest), so the audit must see such a whole as that sum (the services' units, see
    :func:`tallied_units`, and the rest's). A group whose whole has fewer respondents or answers
    than its services (weighted, or another survey) keeps its whole rows, audited on their own; a
    group only the services give is their sum."""
    def tally(rows: pd.DataFrame) -> pd.DataFrame:
        respondents = pd.to_numeric(rows["respondents"], errors="coerce").astype(float)
        given = pd.to_numeric(rows["positive"], errors="coerce").astype(float) if "positive" in rows.columns \
            else pd.Series(float("nan"), index=rows.index)
        yes = given.fillna(survey_percentages(rows) * respondents / 100)
        return pd.DataFrame({"respondents": respondents, "yes": yes}).groupby(
            survey_groups(rows["group"]).to_numpy()).sum(min_count=1)

    total, summed = tally(whole), tally(parts)
    rest = total - summed.reindex(total.index).fillna(0)
    holds = rest.notna().all(axis=1) & (rest >= -1e-9).all(axis=1) & (rest["yes"] <= rest["respondents"] + 1e-9)
    groups = {str(g) for g in summed.index if g not in total.index} | {str(g) for g in holds.index[holds]}
    rest = rest[holds & (rest["respondents"] > 1e-9)]
    label = dict(zip(survey_groups(whole["group"]).to_numpy(), whole["group"]))
    return groups, pd.DataFrame({"question": whole["question"].iloc[0], "group": [label[g] for g in rest.index],
                                 "service": _OTHERS, "respondents": rest["respondents"].to_numpy(),
                                 "positive": rest["yes"].to_numpy()})


def _scope(frame: pd.DataFrame, services: frozenset[str] | None) -> pd.DataFrame:
    """The rows of ``services`` (slugs), by the frame's own ``service`` column; none without it."""
    return frame if services is None else frame[_in_services(frame, services)]


def _in_services(frame: pd.DataFrame, services: frozenset[str]) -> np.ndarray:
    """True for the rows of ``services`` (slugs) by the frame's ``service`` column (none without it)."""
    if "service" not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    values = frame["service"].astype("string")
    slugs = {value: common.slug(value) for value in values.dropna().unique()}  # each distinct value once
    in_services: np.ndarray = values.map(slugs).isin(services).fillna(False).to_numpy(dtype=bool)
    return in_services


def compute(doc: Document, ds: Any, s: Settings, service: str | None = None,
            service_label: str = "") -> Computed:
    """The nine metrics for the whole workforce (``service`` None) or one service: every title,
    caption and figure label of a service names it."""
    key = f"sc-wres.{service}" if service else "sc-wres"
    # every title and label says what it covers: a service, or the social care workforce when the
    # return covers some services only (the whole council's figures are not these)
    s = replace(s, scope=service_label if service else ("Social care workforce" if s.workforce else ""),
                repeat=service is not None)
    people = scope(ds, DIRECTLY_EMPLOYED)
    services = frozenset({service}) if service else s.workforce
    wf = _scope(people.staff, services)

    def events(name: str) -> pd.DataFrame | None:
        frame = people.events(name)
        return None if frame is None else _scope(frame, services)
    headcount = group_counts(wf)
    sections: list[Section] = []
    results: list[Result] = []
    notes: list[str] = []

    def section(number: str, title: str) -> Section:
        sec = Section(f"{key.replace('.', '-')}-metric-{number}", s.measure(number, title))
        sections.append(sec)
        return sec

    sec1 = section("1", "staff in each pay band")
    if not s.repeat:  # a service's table is read as the whole workforce's is
        sec1.add(Paragraph(template="sc-wres/metric-1.j2", context={"minority": s.label("minority_ethnic")}))
    grades = wf["grade"].astype("string").fillna(NOT_RECORDED) if "grade" in wf.columns else \
        pd.Series(NOT_RECORDED, index=wf.index)
    order = [*ds.grade_order(g for g in grades.unique() if g != NOT_RECORDED), NOT_RECORDED]
    table = representation_table(f"{key.replace('.', '_').replace('-', '_')}_1", s.measure("1", "staff by pay band"),
                                 grades, wf["ethnic_binary"], unit_codes(wf), order, s, "Pay band")
    if service is not None:  # mostly withheld by pay band: the whole workforce's table stands
        table.coarser = "sc_wres_1"
    representation_figures(doc, table, f"{key}.1", s)
    sec1.add(table)
    results.append(Result(f"{key}.1", "1", "minority ethnic staff as a share of all staff", "percent",
                          f"{key}.1.minority_ethnic.pct", doc.figures[f"{key}.1.minority_ethnic.pct"].value))

    def likelihood(number: str, title: str, base_label: str, outcome_label: str, words: str, people: str,
                   base: Tally, outcome: Tally, note: str = "") -> None:
        sec = section(number, title)
        results.append(likelihood_indicator(doc, sec, Likelihood(
            f"{key}.{number}", number, f"relative likelihood of {title}", base_label, outcome_label, words,
            people, "minority_ethnic", note), base, outcome, s))

    def missing(number: str, title: str, data: str) -> None:
        not_reported(section(number, title), s, number, data, notes)

    apps = events("applications")
    if apps is not None and len(apps):
        likelihood("2", "appointment from shortlisting", "Shortlisted", "Appointed",
                   "to be appointed from shortlisting", "applicants", *shortlisting(apps))
    else:
        missing("2", "appointment from shortlisting", "applications" if apps is None else "applications.service")

    disc = events("disciplinary")
    if disc is not None:
        likelihood("3", "entering the formal disciplinary process", "Staff in post",
                   "Entered the formal disciplinary process", "to enter the formal disciplinary process", "staff",
                   headcount, formal_disciplinary(disc), entrants_note("formal disciplinary process", ds.period_end))
    else:
        missing("3", "entering the formal disciplinary process", "disciplinary")

    regulated = as_bool(wf.get("regulated_professional"), False, wf.index)
    ftp = people.events("fitness_to_practise")
    if ftp is not None and regulated.any():
        referred = regulated & wf["person_id"].isin(ftp["person_id"])
        likelihood("4", "regulated professionals entering fitness to practise", "Regulated professionals",
                   "Referred for fitness to practise", "to be referred for fitness to practise",
                   "regulated professionals", group_counts(wf, regulated), group_counts(wf, referred))
    else:
        missing("4", "regulated professionals entering fitness to practise", "fitness_to_practise")

    tr = events("training")
    if tr is not None:
        cpd = ~as_bool(tr.get("mandatory"), True, tr.index)
        if "funded" in tr.columns:
            cpd &= as_bool(tr["funded"], False, tr.index)
        if "received" in tr.columns:
            cpd &= as_bool(tr["received"], False, tr.index)
        likelihood("5", "accessing funded non-mandatory CPD", "Staff in post", "Accessed funded CPD",
                   "to access funded non-mandatory CPD", "staff", headcount, distinct_people(tr, cpd))
    else:
        missing("5", "accessing funded non-mandatory CPD", "training")

    survey = _survey(ds, services, s.workforce)
    if service is None or survey is not None:  # by service only when the survey gives services
        for number, question, title in SURVEY:
            sec = section(number, title[0].lower() + title[1:])
            results.append(survey_indicator(doc, sec, survey, Survey(
                f"{key}.{number}", number, question, title, title[6].lower() + title[7:]), s,
                ("white", "minority_ethnic"), ratio_first="minority_ethnic"))

    leavers = people.events("leavers")
    if leavers is not None and (services is None or "service" in leavers.columns):
        likelihood("8", "leaving the organisation (turnover)", "Staff in post", "Left during the year",
                   "to leave the organisation during the year", "staff", headcount,
                   distinct_people(_scope(leavers, services)))
    else:
        missing("8", "leaving the organisation (turnover)", "leavers" if leavers is None else "leavers.service")

    sec9 = section("9", "senior management compared with the workforce")
    senior = as_bool(wf.get("senior_manager"), False, wf.index)
    population = None
    if ds.has("benchmark"):
        bench = ds.table("benchmark")
        counts = pd.to_numeric(bench["count"], errors="coerce").fillna(0)
        known = bench["ethnic_binary"] != "unknown"
        population = stats.percentage(counts[(bench["ethnic_binary"] == "minority_ethnic").to_numpy(dtype=bool)].sum(),
                                      counts[known.to_numpy(dtype=bool)].sum())
    results.append(difference_indicator(doc, sec9, f"{key}.9", "9", "senior management compared with the workforce", [
        ("senior", "Senior managers", group_counts(wf, senior)),
        ("workforce", f"{s.scope} workforce" if service else s.scope or "Whole workforce", headcount)],
        s, [("", "senior", "workforce")], population_pct=population, population_label="Local population"))
    # the staff and records left out are counted within the services this return covers
    covered = people if services is None else \
        scope(ds, DIRECTLY_EMPLOYED, within=lambda frame: _in_services(frame, services))
    excluded, excluded_units = common.staff_left_out_rows(
        covered, "not directly employed",
        "Agency and other staff not directly employed are left out, as the SC-WRES requires.")
    left_out, left_out_units = common.left_out_rows(
        covered, ds, "not directly employed", "metric",
        events=("disciplinary", "fitness_to_practise", "training", "leavers"),
        dated=("applications", "disciplinary", "fitness_to_practise", "training", "leavers"))
    quality = [
        *excluded,
        *left_out,
        ("Directly employed staff", len(wf), "The headcount used for metrics 1, 3, 5, 8 and 9."),
        ("Ethnic group not stated or not known", headcount["unknown"],
         "Shown in metric 1 and left out of both sides of every ratio."),
        ("Regulated professionals", int(regulated.sum()), "The population for metric 4."),
        ("Senior managers", int(senior.sum()), "The population for metric 9."),
    ]
    # the rows counting staff in the workforce declare whom they count, like the metrics' cells
    codes = unit_codes(wf)
    quality_units = {**excluded_units, **left_out_units, "Directly employed staff": codes,
                     "Ethnic group not stated or not known": headcount.units["unknown"],
                     "Regulated professionals": codes[regulated.to_numpy(dtype=bool)],
                     "Senior managers": codes[senior.to_numpy(dtype=bool)]}
    return Computed(sections, results, quality, quality_units, notes)


class ScWresReport(Report):
    name = "sc-wres"
    title = "Social Care Workforce Race Equality Standard return"
    description = ("The Social Care WRES for councils' adults' and children's services: nine metrics, "
                   "every ratio minority ethnic staff compared with White staff, for the whole "
                   "workforce and for each service, with confidence intervals, plain-English readings "
                   "and year-on-year change.")
    sectors = ("local_government", "social_care")
    template_dir = common.TEMPLATES
    required_tables = ("staff",)
    optional_tables = ("applications", "disciplinary", "fitness_to_practise", "training", "staff_survey",
                       "leavers", "benchmark", "actions")
    options = common.COMMON_OPTIONS + (
        Option("minority_label", str, "Minority ethnic", "Label for staff from minority ethnic groups."),
        Option("social_care_services", str, "", "Comma-separated services (values of staff.service) whose "
               "staff make up the social care workforce the return covers, e.g. 'adults, childrens' in a "
               "council's dataset (default: every staff member). Set it in dataset.toml's [options]."),
        Option("services", str, "", "Comma-separated services to report separately (default: every "
               "service of the social care workforce; none: the whole workforce only, which keeps more of "
               "its figures published, as fewer small counts link to them)."),
        BENCHMARK_SOURCE,
    )

    def check(self, ctx: ReportContext) -> list[Problem]:
        problems = [Problem(p, severity="warning") for p in survey_problems(ctx.dataset.tables.get("staff_survey"))]
        present = _present(ctx, None)
        known = {common.slug(v) for v in present}
        if ctx.options["social_care_services"].strip() and not _listed(ctx.options["social_care_services"]):
            problems.append(Problem("option social_care_services names no service",
                                    value=ctx.options["social_care_services"][:60],
                                    fix=f"name services from {', '.join(present) or '(none)'}, or leave the option "
                                        "out to cover every staff member"))
        for option, wanted in (("social_care_services", _listed(ctx.options["social_care_services"])),
                               ("services", _wanted(ctx))):
            unknown = [w for w in wanted if common.slug(w) not in known]
            if unknown:
                problems.append(Problem(
                    f"option {option} names {', '.join(repr(w) for w in unknown)}, which is no service in the data",
                    file="staff", column="service", value=unknown[0],
                    fix=f"name services from {', '.join(present) or '(none: staff.service is empty)'}"
                        + (", or give services=none to report the whole workforce only" if option == "services"
                           else "")))
        return problems

    def build(self, ctx: ReportContext) -> Document:
        labels = binary_labels(ctx.options["minority_label"], "Unknown")
        ds = ctx.dataset
        workforce = frozenset(common.slug(v) for v in _listed(ctx.options["social_care_services"])) or None
        s = replace(common.settings(ctx, labels, "minority_ethnic"), term="Metric", workforce=workforce,
                    benchmark=ctx.benchmark_source())
        covered = [ds.label(v) for v in _present(ctx, workforce)] if workforce else []
        doc = ctx.new_document(subtitle=f"{ds.organisation}{', social care workforce' if covered else ''}: snapshot "
                                        f"{long_date(ds.snapshot)}")
        doc.section("about", "About this return").add(Paragraph(template="sc-wres/intro.j2", context={
            "organisation": ds.organisation, "snapshot": f"{long_date(ds.snapshot)}", "covered": covered,
            "low": s.band_low, "high": s.band_high, "minority": s.label("minority_ethnic"),
            "audience": ctx.audience}))
        whole = compute(doc, ds, s)
        has_survey = ds.has("staff_survey")
        for note in whole.notes + ([] if has_survey else [SURVEY_NOTE]):
            ctx.note_for_operator(note)
        doc.sections.append(common.summary_section(doc, ctx, whole.results, compute, s, "wres-common/summary.j2"))
        if ctx.options["rolling_average"]:
            section = next(sec for sec in whole.sections if sec.id == "sc-wres-metric-3")
            common.rolling_average_section(section, doc, ctx, compute, s, whole.results, "sc-wres.3", "staff",
                                           "to enter the formal disciplinary process")
        top = doc.section("whole-workforce", "Whole social care workforce" if covered else "Whole workforce")
        top.sections.extend(whole.sections)
        services = self._services(ctx, workforce)
        if services:
            by_service = doc.section("by-service", "By service")
            by_service_survey = has_survey and "service" in ds.table("staff_survey").columns
            by_service.add(Paragraph(template="sc-wres/by-service.j2", context={
                "services": [label for _, label in services], "survey": has_survey,
                "survey_by_service": by_service_survey}))
            if has_survey and not by_service_survey:
                ctx.note_for_operator("The staff survey metrics (6, 7a and 7b) are reported for the whole workforce "
                                      "only: give a service column in staff_survey to report them by service.")
            for sid, label in services:
                part = compute(doc, ds, s, sid, label)
                for note in part.notes:
                    ctx.note_for_operator(note)
                sub = by_service.subsection(f"service-{sid}", label)
                # the service's own summary first, so its figures are in one table (and one sheet)
                sub.add(summary_table(f"sc_wres_{sid}_summary", doc, part.results, term=s.term,
                                      years=("", ctx.year), scope=label))
                sub.sections.extend(part.sections)
        quality = doc.section("data-quality", "Data quality")
        quality.add(Paragraph(template="wres-common/quality.j2", context={}))
        quality.add(quality_table(whole.quality, whole.quality_units))
        actions = common.actions_section(doc, ctx, self.name)
        if actions is not None:
            doc.sections.append(actions)
        return doc

    def _services(self, ctx: ReportContext, workforce: frozenset[str] | None) -> list[tuple[str, str]]:
        if ctx.options["services"].strip().lower() == "none":
            return []
        wanted = {common.slug(w) for w in _wanted(ctx)}
        chosen = [v for v in _present(ctx, workforce) if not wanted or common.slug(v) in wanted]
        return [(common.slug(v), ctx.dataset.label(v)) for v in chosen]


def _present(ctx: ReportContext, workforce: frozenset[str] | None) -> list[str]:
    """The services in ``staff.service`` (of ``workforce``, slugs, when given), in natural order
    (none without the column)."""
    staff = ctx.dataset.table("staff")
    if "service" not in staff.columns:
        return []
    present = sorted(staff["service"].dropna().astype(str).unique(), key=natural_key)
    return [v for v in present if workforce is None or common.slug(v) in workforce]


def _listed(text: str) -> list[str]:
    return [v.strip() for v in text.split(",") if v.strip()]


def _wanted(ctx: ReportContext) -> list[str]:
    """The services named by ``--option services`` (none named: every service; ``none``: no service)."""
    given = ctx.options["services"].strip()
    return [] if given.lower() == "none" else _listed(given)
