"""NHS Workforce Disability Equality Standard (WDES): the ten metrics.

Definitions follow NHS England's WDES technical guidance as summarised in docs/sources.md (NHS
WDES). The population, period and counting rules are the WRES's: directly employed staff who are
not bank-only workers, events in the reporting year, people not records. Disability comes from the
classified ``disability`` column (``uk-disability``: Yes / No / Prefer not to say / Not known, with
ESR's spellings); not stated and not known are shown as their own group and left out of both
sides of every ratio, never counted as non-disabled.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from equality_reports import (
    AFC_BANDS,
    DIRECTLY_EMPLOYED_NOT_BANK,
    MEDICAL_BANDS,
    UNKNOWN_BAND,
    CellRef,
    Column,
    Dataset,
    Document,
    Figure,
    Option,
    Paragraph,
    Problem,
    Report,
    ReportContext,
    Section,
    Table,
    action_plan,
    add_trends,
    classify_grades,
    cross_counts,
    dated_outside,
    long_date,
    outside_units,
    quality_table,
    representation_table,
    scope,
    stats,
    summary_table,
    union,
    unit_codes,
)
from equality_reports_wdes.metrics import (
    COLUMN,
    GROUPS,
    Likelihood,
    Result,
    Settings,
    Survey,
    as_bool,
    difference_metric,
    engagement_metric,
    likelihood_metric,
    survey_metric,
    survey_problems,
    tally,
    with_groups,
    with_staff_disability,
)

#: (metric number, figure key, staff_survey question id, title)
SURVEY = (
    ("4a", "wdes.4a.public", "harassment_public", "Staff experiencing harassment, bullying or abuse from patients, "
     "service users, their relatives or other members of the public in the last 12 months"),
    ("4a", "wdes.4a.managers", "harassment_manager", "Staff experiencing harassment, bullying or abuse from "
     "managers in the last 12 months"),
    ("4a", "wdes.4a.colleagues", "harassment_colleague", "Staff experiencing harassment, bullying or abuse from "
     "other colleagues in the last 12 months"),
    ("4b", "wdes.4b", "harassment_reported", "Staff saying that the last time they experienced harassment, "
     "bullying or abuse at work, they or a colleague reported it"),
    ("5", "wdes.5", "equal_opportunities", "Staff believing that the organisation provides equal opportunities "
     "for career progression or promotion"),
    ("6", "wdes.6", "presenteeism", "Staff saying they have felt pressure from their manager to come to work "
     "despite not feeling well enough to perform their duties"),
    ("7", "wdes.7", "valued", "Staff saying they are satisfied with the extent to which the organisation values "
     "their work"),
    ("8", "wdes.8", "adjustments", "Disabled staff saying their employer has made adequate adjustments to enable "
     "them to carry out their work"),
)

#: capability reasons the WDES leaves out (it counts capability on grounds of performance)
NOT_PERFORMANCE = ("ill_health",)


def _units(tallied: Any) -> np.ndarray:
    return union(*(tallied.units[g] for g in GROUPS))


def compute(doc: Document, ds: Any, s: Settings) -> tuple[list[Section], list[Result], list[tuple[str, int, str]],
                                                           dict[str, np.ndarray], list[str]]:
    """Every metric into ``doc``: sections, headlines, data-quality rows (with whom they count), notes."""
    out: list[Section] = []
    results: list[Result] = []
    notes: list[str] = []
    staff = with_groups(ds.table("staff"))
    people = scope(ds, DIRECTLY_EMPLOYED_NOT_BANK)
    wf = with_groups(people.staff)
    codes = unit_codes(wf)
    graded = classify_grades(wf.get("grade"), wf.get("staff_group"), wf.get("board_role"), wf.index)
    band, split = graded["band"], graded["clinical"]
    headcount = tally("rows", wf)

    # --- metric 1 ---
    sec1 = Section("metric-1", "Metric 1: staff in each pay band")
    sec1.add(Paragraph(template="wdes/metric-1.j2", context={}))
    frame = pd.DataFrame({"row": band.to_numpy(), "split": split.to_numpy(), "group": wf[COLUMN].to_numpy(),
                          "unit": np.asarray(codes, dtype=np.uint64)})

    def grid(table_id: str, title: str, rows: pd.Series, mask: np.ndarray, order: list[str], row_title: str,
             total_label: str, keep: list[str]) -> Table:
        part = frame.assign(row=rows.to_numpy())[mask]
        counts, units = cross_counts(part["row"], part["group"], part["unit"].to_numpy(), GROUPS)
        wanted = [r for r in order if r in counts.index or r in keep]
        return representation_table(table_id, title, counts.reindex(wanted, fill_value=0), s.labels, row_title,
                                    total_label=total_label, units=units,
                                    notes=["Percentages are shares of each row's total, including staff whose "
                                           "disability status is not stated or not known."])

    everyone = np.ones(len(wf), dtype=bool)
    overall = grid("wdes_1_overall", "Metric 1: clinical and non-clinical staff",
                   split.map({"clinical": "Clinical", "non_clinical": "Non-clinical"}), everyone,
                   ["Clinical", "Non-clinical"], "Staff group", "All staff", ["Clinical", "Non-clinical"])
    sec1.add(overall)
    for g in GROUPS:
        doc.add_figure(Figure(f"wdes.1.{g}.count", f"{s.label(g)} staff", headcount[g], "count",
                              cells=(CellRef(overall.id, "All staff", g),)))
        doc.add_figure(Figure(f"wdes.1.{g}.pct", f"{s.label(g)} staff, % of all staff",
                              stats.percentage(headcount[g], headcount.total), "percent", numerator=headcount[g],
                              denominator=headcount.total,
                              cells=(CellRef(overall.id, "All staff", g), CellRef(overall.id, "All staff", "total"))))
    declared = headcount["disabled"] + headcount["non_disabled"]
    doc.add_figure(Figure("wdes.declaration_rate", "Staff whose disability status is known, % of all staff",
                          stats.percentage(declared, headcount.total), "percent", numerator=declared,
                          denominator=headcount.total,
                          cells=(CellRef(overall.id, "All staff", "unknown"),
                                 CellRef(overall.id, "All staff", "total"))))
    for part, label, order in (("clinical", "Clinical staff", list(AFC_BANDS) + list(MEDICAL_BANDS)),
                               ("non_clinical", "Non-clinical staff", list(AFC_BANDS))):
        mask = (split == part).to_numpy(dtype=bool)
        sub = sec1.subsection(f"metric-1-{part.replace('_', '-')}", label)
        sub.add(grid(f"wdes_1_{part}", f"Metric 1: {label.lower()} by pay band", band, mask,
                     order + [UNKNOWN_BAND], "Pay band", f"All {label.lower()}", order))
    results.append(Result("wdes.1", "1", "Disabled staff as a share of all staff", "percent", "wdes.1.disabled.pct",
                          doc.figures["wdes.1.disabled.pct"].value))  # type: ignore[arg-type]
    results.append(Result("wdes.declaration", "1", "Staff whose disability status is known (declaration rate)",
                          "percent", "wdes.declaration_rate", doc.figures["wdes.declaration_rate"].value))  # type: ignore[arg-type]
    out.append(sec1)

    # --- metric 2 ---
    sec2 = Section("metric-2", "Metric 2: appointment from shortlisting")
    if ds.has("applications"):
        apps = with_groups(ds.table("applications"))
        if "disability" not in ds.table("applications").columns:
            notes.append("Metric 2 has no disabled or non-disabled applicants: add the applicant's disability "
                         "status as a disability column in the applications table.")
        shortlisted = as_bool(apps.get("shortlisted"), False, apps.index)
        appointed = shortlisted & as_bool(apps.get("appointed"), False, apps.index)
        results.append(likelihood_metric(doc, sec2, Likelihood(
            "wdes.2", "2", "relative likelihood of appointment from shortlisting", "Shortlisted",
            "Appointed from shortlisting", "to be appointed from shortlisting", "applicants", "non_disabled"),
            tally("applicants", apps, shortlisted), tally("applicants", apps, appointed), s))
    else:
        _not_reported(sec2, "2", "recruitment data", "the applications table (with the applicant's disability)", notes)
    out.append(sec2)

    # --- metric 3 ---
    sec3 = Section("metric-3", "Metric 3: entering the formal capability process")
    cap = people.events("capability")
    quality_extra: list[tuple[str, int, str]] = []
    quality_units: dict[str, np.ndarray] = {}
    if cap is not None:
        cap = with_staff_disability(cap, ds.table("staff"))
        reason = cap["reason"].astype("string").fillna("") if "reason" in cap.columns else \
            pd.Series("", index=cap.index, dtype="string")
        performance = ~reason.isin(NOT_PERFORMANCE).to_numpy(dtype=bool)
        entered = tally("people", cap, pd.Series(performance, index=cap.index))
        sec3.add(Paragraph(template="wdes/metric-3.j2", context={}))
        results.append(likelihood_metric(doc, sec3, Likelihood(
            "wdes.3", "3", "relative likelihood of entering the formal capability process", "Staff in post",
            "Entered the formal capability process", "to enter the formal capability process", "staff", "disabled"),
            headcount, entered, s))
        ill = tally("rows", cap, pd.Series(~performance, index=cap.index))
        name = "Capability records on grounds of ill health"
        quality_extra.append((name, ill.total, "Left out of metric 3, which counts capability on grounds of "
                                               "performance."))
        quality_units[name] = _units(ill)
        stranger = cap["person_id"].notna() & ~cap["person_id"].isin(ds.table("staff")["person_id"])
        name = "Capability records of people no longer in post"
        strangers = tally("rows", cap, stranger)
        quality_extra.append((name, strangers.total, "Counted in metric 3, as in WRES indicator 3 (people who "
                                                     "entered the process and left before the snapshot), with the "
                                                     "disability status their records give, else as not known; they "
                                                     "are not in the headcount."))
        quality_units[name] = _units(strangers)
        name = "Capability records that disagree on a person's disability"
        disagree = tally("rows", cap, pd.Series(cap["disability_conflict"], index=cap.index))
        quality_extra.append((name, disagree.total, "One record says disabled, another non-disabled: the "
                                                    "person's staff record is used, else the status is counted as "
                                                    "not known."))
        if disagree.total:
            notes.append("Some capability records disagree on a person's disability: correct the disability column.")
        quality_units[name] = _units(disagree)
    else:
        _not_reported(sec3, "3", "capability records", "the capability table", notes)
    out.append(sec3)

    # --- metrics 4-8 ---
    survey = ds.table("staff_survey") if ds.has("staff_survey") else None
    titles = {"4a": "Metric 4a: harassment, bullying or abuse", "4b": "Metric 4b: reporting harassment, bullying "
              "or abuse", "5": "Metric 5: equal opportunities for career progression or promotion",
              "6": "Metric 6: pressure to come to work when unwell", "7": "Metric 7: feeling valued",
              "8": "Metric 8: adequate adjustments"}
    sections: dict[str, Section] = {}
    for number, key, question, title in SURVEY:
        if number not in sections:
            sections[number] = Section(f"metric-{number}", titles[number])
            out.append(sections[number])
        target = sections[number]
        if number == "4a":
            target = target.subsection(f"metric-4a-{key.rsplit('.', 1)[1]}", {
                "public": "From patients, service users, their relatives or the public", "managers": "From managers",
                "colleagues": "From other colleagues"}[key.rsplit(".", 1)[1]])
        results.append(survey_metric(doc, target, survey, Survey(key, number, question, title), s,
                                     disabled_only=number == "8"))
    if survey is None:
        notes.append("The staff survey metrics (4 to 9a) are not reported: add the staff_survey table with "
                     "disabled and non_disabled groups (see docs/reports/wdes.md).")

    # --- metric 9 ---
    sec9 = Section("metric-9", "Metric 9: engagement and the voices of disabled staff")
    sub = sec9.subsection("metric-9a", "Metric 9a: staff engagement score")
    results.append(engagement_metric(doc, sub, survey, "wdes.9a", s))
    sub = sec9.subsection("metric-9b", "Metric 9b: facilitating the voices of disabled staff")
    narrative_metric(doc, sub, ds)
    if doc.figures["wdes.9b.answer"].value is None or doc.figures["wdes.9b.text"].value is None:
        notes.append("Metric 9b is published as not given: add a row for report wdes, metric 9b (with an answer "
                     "and a text) to the narrative table (see docs/reports/wdes.md).")
    out.append(sec9)

    # --- metric 10 ---
    sec10 = Section("metric-10", "Metric 10: board membership compared with the workforce")
    role = staff["board_role"].astype("string").fillna("") if "board_role" in staff.columns else \
        pd.Series("", index=staff.index, dtype="string")
    rows = [("voting", "Voting board members", tally("rows", staff, role.isin(["voting_executive",
                                                                                "voting_non_executive"]))),
            ("executive", "Executive board members", tally("rows", staff, role == "voting_executive")),
            ("non_executive", "Non-executive board members", tally("rows", staff, role == "voting_non_executive"))]
    if (role == "non_voting").any():
        rows.append(("non_voting", "Non-voting board members", tally("rows", staff, role == "non_voting")))
    rows.append(("workforce", "Overall workforce", headcount))
    results.append(difference_metric(doc, sec10, "wdes.10", rows, s,
                                     [(rid, rid, "workforce") for rid, _, _ in rows[:-1]]))
    out.append(sec10)

    # --- data quality ---
    excluded = "Staff left out (bank staff or not directly employed)"
    quality: list[tuple[str, int, str]] = [
        (excluded, people.excluded_staff, "Left out of every metric except board membership, as the WDES requires."),
    ]
    units: dict[str, np.ndarray] = {excluded: people.excluded_units}
    for name, count in people.excluded_events.items():
        if name in ("capability",):
            measure = f"{name.capitalize()} records left out (bank staff or not directly employed)"
            quality.append((measure, count, "Not counted: these records are of people outside the workforce the "
                                            "metrics cover."))
            units[measure] = people.excluded_event_units(name)
    for name, left in ds.period_exclusions.items():
        if name in ("applications", "capability") and dated_outside(left):
            measure = f"{name.capitalize()} records dated outside the year"
            quality.append((measure, dated_outside(left), "Left out: the metrics count the reporting year's events."))
            units[measure] = outside_units(name, left)
    quality += [
        ("Staff in the workforce", headcount.total, "The headcount used for metrics 1, 3 and 10."),
        ("Disability not stated or not known", headcount["unknown"],
         "Shown in metric 1 and left out of both sides of every ratio (never counted as non-disabled)."),
        ("Grade not recognised as a pay band", int((band == UNKNOWN_BAND).sum()),
         f"Shown as '{UNKNOWN_BAND}' in metric 1."),
        *quality_extra,
    ]
    if (band == UNKNOWN_BAND).any():
        notes.append(f"Some grades are not recognised as Agenda for Change bands and show as '{UNKNOWN_BAND}' in "
                     "metric 1: check the grade column, or map the grades in dataset.toml.")
    units.update({"Staff in the workforce": codes, "Disability not stated or not known": headcount.units["unknown"],
                  "Grade not recognised as a pay band": codes[(band == UNKNOWN_BAND).to_numpy(dtype=bool)],
                  **quality_units})
    return out, results, quality, units, notes


#: the symbol for a value not available (the engine's tables use it too)
NOT_AVAILABLE = "[x]"
#: the question metric 9b asks
QUESTION_9B = "Has the organisation taken action to facilitate the voices of disabled staff to be heard?"


def _narrative_rows(table: pd.DataFrame | None) -> pd.DataFrame:
    """The narrative table's rows for metric 9b (report ``wdes`` or blank), in file order."""
    if table is None or not len(table):
        return pd.DataFrame(columns=["answer", "text"])
    report = table["report"].astype("string").str.strip().str.lower().fillna("")
    metric = table["metric"].astype("string").str.strip().str.lower().fillna("")
    rows = table[(report.isin(["wdes", ""]) & (metric == "9b")).to_numpy(dtype=bool)]
    answer = rows["answer"].astype("boolean") if "answer" in rows.columns else \
        pd.Series(pd.NA, index=rows.index, dtype="boolean")
    text = rows["text"].astype("string").str.strip() if "text" in rows.columns else \
        pd.Series(pd.NA, index=rows.index, dtype="string")
    return pd.DataFrame({"answer": answer, "text": text.where(text != "")}, index=rows.index)


def _narrative(ds: Any) -> tuple[str | None, list[str]]:
    """Metric 9b's answer ("Yes", "No" or None) and its texts (each distinct text once, in order).
    Rows that disagree on the answer are an error found by :meth:`WdesReport.check`."""
    rows = _narrative_rows(ds.table("narrative") if ds.has("narrative") else None)
    answers = rows["answer"].dropna()
    answer = None if not len(answers) else ("Yes" if bool(answers.iloc[0]) else "No")
    return answer, list(dict.fromkeys(str(t) for t in rows["text"].dropna()))


def narrative_metric(doc: Document, section: Section, ds: Any) -> None:
    """Metric 9b: the answer and the organisation's account, as given, in every format: a
    paragraph, a table (metric, question, answer, text; a row per paragraph of text) and the
    figures ``wdes.9b.answer`` and ``wdes.9b.text`` (the paragraphs separated by a blank line)."""
    answer, texts = _narrative(ds)
    text = "\n\n".join(texts) or None
    doc.add_figure(Figure("wdes.9b.answer", f"Metric 9b: {QUESTION_9B}", answer, "text",
                          note="" if answer else "not given"))
    doc.add_figure(Figure("wdes.9b.text", "Metric 9b: the action taken", text, "text",
                          note="" if text else "not given"))
    section.add(Paragraph(template="wdes/metric-9b.j2", context={"question": QUESTION_9B}))
    parts = texts or [NOT_AVAILABLE]  # one row per paragraph: Word and HTML table cells keep no line breaks
    data = pd.DataFrame({"metric": ["9b"] if len(parts) == 1 else [f"9b ({i})" for i in range(1, len(parts) + 1)],
                         "question": QUESTION_9B, "answer": answer or NOT_AVAILABLE, "text": parts})
    section.add(Table("wdes_9b", "Metric 9b: facilitating the voices of disabled staff", [
        Column("metric", "Metric"), Column("question", "Question"), Column("answer", "Answer"),
        Column("text", "Action taken")], data, row_key="metric", rows_additive=False,
        source="The organisation's own account.",
        notes=[f"{NOT_AVAILABLE} marks an answer or text not given in this return."] if not (answer and texts) else []))


def _narrative_problems(ctx_files: list[Any], table: pd.DataFrame | None) -> list[Problem]:
    """Repeated metric 9b rows: an error when their answers disagree (the return has one answer),
    else a warning (identical texts are published once, different texts one after another)."""
    rows = _narrative_rows(table)
    if len(rows) < 2:
        return []
    file = next((Path(f.path).name for f in ctx_files if f.table == "narrative"), "narrative")
    numbers = [int(i) + 2 if isinstance(i, (int, np.integer)) else None for i in rows.index]
    listed = ", ".join(str(n) for n in numbers if n is not None)
    answers = rows["answer"].dropna()
    if answers.nunique() > 1:
        said = ", ".join(f"row {n}: {'Yes' if bool(a) else 'No'}" for n, a in zip(numbers, rows["answer"])
                         if not pd.isna(a))
        return [Problem(f"metric 9b has {len(rows)} rows (rows {listed}) whose answers disagree ({said}); the "
                        f"return has one answer", file=file, row=numbers[1], column="answer",
                        fix="keep one row for report wdes, metric 9b, with the organisation's answer (put several "
                            "paragraphs of text in rows with the same answer)")]
    same = rows["text"].fillna("").duplicated()
    how = "identical texts are published once" if same.iloc[1:].all() else \
        "identical texts are published once, different texts one after another"
    return [Problem(f"metric 9b has {len(rows)} rows (rows {listed}); {how}", file=file, row=numbers[1],
                    column="text", fix="keep one row for report wdes, metric 9b, unless the texts are meant as "
                                       "separate paragraphs", severity="warning")]


def _not_reported(section: Section, number: str, what: str, where: str, notes: list[str]) -> None:
    section.add(Paragraph(template="wdes/no-data.j2", context={"what": what, "number": number}))
    notes.append(f"Metric {number} is not reported: add {where} to the dataset (see docs/reports/wdes.md).")



class WdesReport(Report):
    name = "wdes"
    title = "Workforce Disability Equality Standard return"
    description = ("The NHS Workforce Disability Equality Standard: the ten metrics (pay bands, appointment "
                   "from shortlisting, the formal capability process, six staff survey measures, the "
                   "engagement score, the voices of disabled staff and board membership), with relative "
                   "likelihoods, 95% confidence intervals and the disability declaration rate.")
    sectors = ("nhs",)
    required_tables = ("staff",)
    optional_tables = ("applications", "capability", "staff_survey", "narrative", "actions")
    template_dir = Path(__file__).parent / "templates"
    options = (
        Option("minimum_group", int, 10, "Smallest group (people) for a reliable relative likelihood; the ratio "
               "of a smaller group is still given, with its confidence interval and a caution.", minimum=1),
        Option("band_low", float, 0.80, "Lower end of the non-adverse range for relative likelihoods.", minimum=0.01),
        Option("band_high", float, 1.25, "Upper end of the non-adverse range for relative likelihoods.",
               minimum=1.0),
        Option("survey", str, "", "Which staff survey the results come from, for each survey table's source "
               "line, e.g. 'NHS Staff Survey 2025' (default: the organisation's staff survey)."),
    )

    def check(self, ctx: ReportContext) -> list[Problem]:
        return _survey_problems(ctx.dataset) + \
            _narrative_problems(ctx.dataset.inputs, ctx.dataset.tables.get("narrative"))

    def build(self, ctx: ReportContext) -> Document:
        o = ctx.options
        s = Settings(minimum_group=o["minimum_group"], band_low=o["band_low"], band_high=o["band_high"],
                     survey=o["survey"])
        ds = ctx.dataset
        doc = ctx.new_document(subtitle=f"{ds.organisation}: snapshot {long_date(ds.snapshot)}")
        intro = doc.section("about", "About this return")
        intro.add(Paragraph(template="wdes/intro.j2", context={
            "organisation": ds.organisation, "snapshot": long_date(ds.snapshot), "low": s.band_low,
            "high": s.band_high, "audience": ctx.audience}))
        sections, results, quality, units, notes = compute(doc, ds, s)
        for note in notes:
            ctx.note_for_operator(note)
        summary = Section("summary", "Summary of the metrics")
        summary.add(Paragraph(template="wdes/summary.j2", context={"low": s.band_low, "high": s.band_high}))
        summary.add(summary_table("wdes_summary", doc, results, term="Metric", years=("", ctx.year),
                                  note="Relative likelihoods are ratios; shares are percentages; differences in a "
                                       "share are in percentage points; the engagement score is out of 10."))
        doc.mark_headlines(r.figure for r in results)
        for unit, words in (("ratio", "Relative likelihoods"), ("percent", "Percentages"),
                            ("pp", "Differences (percentage points)")):  # --compare: every year given
            rows = [(r.figure, r.title[0].upper() + r.title[1:]) for r in results if r.figure and r.unit == unit]
            add_trends(summary, doc, ctx, rows, f"wdes_trends_{unit}", f"{words} by year", unit)
        doc.sections.append(summary)
        doc.sections.extend(sections)
        section = doc.section("data-quality", "Data quality")
        section.add(Paragraph(template="wdes/quality.j2", context={}))
        section.add(quality_table(quality, units))
        plan = action_plan(ds.table("actions"), self.name, ds.snapshot, table_id="action_plan",
                           title="Action plan") if ds.has("actions") else None
        if plan is not None:
            doc.section("actions", "Action plan").add(
                Paragraph(template="wdes/actions.j2", context={"count": len(plan.data)}), plan)
        return doc


def _survey_problems(dataset: Dataset) -> list[Problem]:
    """Warnings about WDES survey rows, each located by its row of the file read."""
    return [Problem(message, file="staff_survey", row=dataset.file_row("staff_survey", i),
                    column=column, value=None if value is None or pd.isna(value) else value, fix=fix,
                    severity="warning")
            for message, i, column, value, fix in survey_problems(dataset.tables.get("staff_survey"))]
