"""NHS Workforce Race Equality Standard (WRES): the nine indicators.

Definitions follow NHS England's WRES technical guidance as summarised in docs/sources.md, NHS WRES:
White = NHS codes A, B, C; BME = every other known code; unknown (Z, 99, blank) is shown as its
own column in indicator 1 and left out of both sides of every ratio. Bank staff and staff who are
not directly employed are excluded from the workforce.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from equality_reports import (
    DIRECTLY_EMPLOYED_NOT_BANK,
    Document,
    Option,
    Paragraph,
    Problem,
    Report,
    ReportContext,
    Section,
    binary_labels,
    long_date,
    quality_table,
    scope,
    unit_codes,
)
from equality_reports_wres import common
from equality_reports_wres.bands import AFC_BANDS, MEDICAL_BANDS, UNKNOWN_BAND, staff_bands, unrecognised_staff_groups
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
    survey_indicator,
    survey_problems,
)

SURVEY = (
    ("5", "harassment_public", "Staff experiencing harassment, bullying or abuse from patients, "
     "relatives or the public in the last 12 months"),
    ("6", "harassment_staff", "Staff experiencing harassment, bullying or abuse from staff in the last "
     "12 months"),
    ("7", "equal_opportunities", "Staff believing the organisation provides equal opportunities for "
     "career progression or promotion"),
    ("8", "discrimination", "Staff personally experiencing discrimination at work from a manager, "
     "team leader or other colleague in the last 12 months"),
)


def compute(doc: Document, ds: Any, s: Settings) -> Computed:
    """All nine indicators into ``doc``: their sections, headlines and data-quality rows."""
    out: list[Section] = []
    staff = ds.table("staff")
    people = scope(ds, DIRECTLY_EMPLOYED_NOT_BANK)
    wf = people.staff
    graded = staff_bands(wf)  # band text gives the band; staff group and medical grade names the rest
    band, split = graded["band"], graded["clinical"]
    codes = unit_codes(wf)  # whom each staff row counts, for the disclosure audit
    results: list[Result] = []
    notes: list[str] = []

    sec1 = Section("indicator-1", "Indicator 1: staff in each pay band")
    sec1.add(Paragraph(template="wres/indicator-1.j2", context={"bme": s.label("minority_ethnic")}))
    overall = representation_table("wres_1_overall", "Indicator 1: clinical and non-clinical staff",
                                   split.map({"clinical": "Clinical", "non_clinical": "Non-clinical"}),
                                   wf["ethnic_binary"], codes, ["Clinical", "Non-clinical"], s, "Staff group",
                                   keep_empty=["Clinical", "Non-clinical"])
    representation_figures(doc, overall, "wres.1", s)
    sec1.add(overall)
    for part, label, order in (("clinical", "Clinical staff", AFC_BANDS + MEDICAL_BANDS),
                               ("non_clinical", "Non-clinical staff", AFC_BANDS)):
        mask = (split == part).to_numpy(dtype=bool)
        table = representation_table(f"wres_1_{part}", f"Indicator 1: {label.lower()} by pay band",
                                     band[mask], wf.loc[mask, "ethnic_binary"], codes[mask],
                                     list(order) + [UNKNOWN_BAND],
                                     s, "Pay band", total_label=f"All {label.lower()}", keep_empty=order)
        sub = sec1.subsection(f"indicator-1-{part.replace('_', '-')}", label)
        representation_figures(doc, table, f"wres.1.{part}", s, total_label=f"All {label.lower()}")
        sub.add(table)
    results.append(Result("wres.1", "1", "BME staff as a share of all staff", "percent",
                          f"wres.1.{s.minority_id}.pct", doc.figures[f"wres.1.{s.minority_id}.pct"].value))
    out.append(sec1)

    sec2 = Section("indicator-2", "Indicator 2: appointment from shortlisting")
    if ds.has("applications"):
        apps = ds.table("applications")
        results.append(likelihood_indicator(doc, sec2, Likelihood(
            "wres.2", "2", "relative likelihood of appointment from shortlisting", "Shortlisted",
            "Appointed", "to be appointed from shortlisting", "applicants", "white"),
            *shortlisting(apps), s))
    else:
        not_reported(sec2, s, "2", "applications", notes)
    out.append(sec2)

    headcount = group_counts(wf)
    sec3 = Section("indicator-3", "Indicator 3: entering the formal disciplinary process")
    disc = people.events("disciplinary")
    if disc is not None:
        results.append(likelihood_indicator(doc, sec3, Likelihood(
            "wres.3", "3", "relative likelihood of entering the formal disciplinary process", "Staff in post",
            "Entered the formal disciplinary process", "to enter the formal disciplinary process", "staff",
            "minority_ethnic", entrants_note("formal disciplinary process", ds.period_end)),
            headcount, formal_disciplinary(disc), s))
    else:
        not_reported(sec3, s, "3", "disciplinary", notes)
    out.append(sec3)

    sec4 = Section("indicator-4", "Indicator 4: non-mandatory training and CPD")
    tr = people.events("training")
    if tr is not None:
        accessed = ~as_bool(tr.get("mandatory"), True, tr.index)
        if "received" in tr.columns:
            accessed &= as_bool(tr["received"], False, tr.index)
        results.append(likelihood_indicator(doc, sec4, Likelihood(
            "wres.4", "4", "relative likelihood of accessing non-mandatory training and CPD", "Staff in post",
            "Accessed non-mandatory training or CPD", "to access non-mandatory training and CPD", "staff",
            "white"), headcount, distinct_people(tr, accessed), s))
    else:
        not_reported(sec4, s, "4", "training", notes)
    out.append(sec4)

    survey = ds.table("staff_survey") if ds.has("staff_survey") else None
    for number, question, title in SURVEY:
        sec = Section(f"indicator-{number}", f"Indicator {number}: {title[0].lower() + title[1:]}")
        results.append(survey_indicator(doc, sec, survey, Survey(f"wres.{number}", number, question, title), s,
                                        ("white", "minority_ethnic")))
        out.append(sec)

    sec9 = Section("indicator-9", "Indicator 9: board membership compared with the workforce")
    role = staff["board_role"].astype("string").fillna("") if "board_role" in staff.columns else \
        pd.Series("", index=staff.index)
    voting = role.isin(["voting_executive", "voting_non_executive"])
    executive = role == "voting_executive"
    # the summary's headline is the voting board's difference (the executive's is in the section)
    results.append(replace(difference_indicator(doc, sec9, "wres.9", "9", "board membership (voting and executive) "
                                        "compared with the overall workforce", [
                                            ("voting", "Voting board members", group_counts(staff, voting)),
                                            ("executive", "Executive board members", group_counts(staff, executive)),
                                            ("workforce", "Overall workforce", headcount)],
                                        s, [("voting", "voting", "workforce"),
                                            ("executive", "executive", "workforce")],
                                        public_rows=("Voting board members", "Executive board members")),
                           title="voting board membership compared with the overall workforce"))
    out.append(sec9)

    excluded, excluded_units = common.staff_left_out_rows(
        people, "bank staff or not directly employed",
        "Left out of every indicator except board membership, as the WRES requires.")
    left_out, left_out_units = common.left_out_rows(people, ds, "bank staff or not directly employed", "indicator",
                                                    events=("disciplinary", "training"), keep_zero=True,
                                                    dated=("applications", "disciplinary", "training"))
    quality = [
        *excluded,
        *left_out,
        ("Staff in the workforce", len(wf), "The headcount used for indicators 1, 3, 4 and 9."),
        ("Ethnic group not stated or not known", headcount["unknown"],
         "Shown in indicator 1 and left out of both sides of every ratio."),
        ("Grade not recognised as a pay band", int((band == UNKNOWN_BAND).sum()),
         f"Shown as '{UNKNOWN_BAND}' in indicator 1."),
    ]
    if (band == UNKNOWN_BAND).any():
        notes.append(f"Some grades are not recognised as Agenda for Change bands and show as '{UNKNOWN_BAND}' in "
                     "indicator 1: check the grade column, or map the grades in dataset.toml.")
    # the rows counting staff in the workforce declare whom they count, like the indicators' cells
    quality_units = {**excluded_units, **left_out_units, "Staff in the workforce": codes,
                     "Ethnic group not stated or not known": headcount.units["unknown"],
                     "Grade not recognised as a pay band": codes[(band == UNKNOWN_BAND).to_numpy(dtype=bool)]}
    if "staff_group" in wf.columns:
        odd = unrecognised_staff_groups(wf["staff_group"])
        unrecognised = wf["staff_group"].astype("string").str.strip().str.lower().isin(odd).fillna(False)
        quality.append(("Staff group not recognised as clinical or non-clinical", int(unrecognised.sum()),
                        "Counted as non-clinical."))
        if odd:
            notes.append("Staff groups not recognised as clinical or non-clinical, counted as non-clinical: "
                         + ", ".join(odd[:8]) + (" and more" if len(odd) > 8 else "") + ".")
        quality_units["Staff group not recognised as clinical or non-clinical"] = \
            codes[unrecognised.to_numpy(dtype=bool)]
    return Computed(out, results, quality, quality_units, notes)


class WresReport(Report):
    name = "wres"
    title = "Workforce Race Equality Standard return"
    description = ("The NHS Workforce Race Equality Standard: the nine indicators (pay bands, "
                   "appointment from shortlisting, disciplinary, training, four staff survey "
                   "measures and board membership) with relative likelihoods, 95% confidence "
                   "intervals, plain-English readings and year-on-year change.")
    sectors = ("nhs",)
    template_dir = common.TEMPLATES
    required_tables = ("staff",)
    optional_tables = ("applications", "disciplinary", "training", "staff_survey", "actions")
    options = common.COMMON_OPTIONS + (
        Option("minority_label", str, "BME", "Label for staff from minority ethnic groups (the WRES uses BME)."),
    )

    def check(self, ctx: ReportContext) -> list[Problem]:
        return [Problem(p, severity="warning") for p in survey_problems(
            ctx.dataset.tables.get("staff_survey"))]

    def build(self, ctx: ReportContext) -> Document:
        labels = binary_labels(ctx.options["minority_label"], "Unknown")
        s = common.settings(ctx, labels, "bme")
        ds = ctx.dataset
        doc = ctx.new_document(subtitle=f"{ds.organisation}: snapshot {long_date(ds.snapshot)}")
        intro = doc.section("about", "About this return")
        intro.add(Paragraph(template="wres/intro.j2", context={
            "organisation": ds.organisation, "snapshot": f"{long_date(ds.snapshot)}",
            "low": s.band_low, "high": s.band_high, "bme": s.label("minority_ethnic"),
            "audience": ctx.audience}))
        done = compute(doc, ds, s)
        for note in done.notes + ([] if ds.has("staff_survey") else [SURVEY_NOTE]):
            ctx.note_for_operator(note)
        doc.sections.append(common.summary_section(doc, ctx, done.results, compute, s, "wres-common/summary.j2"))
        if ctx.options["rolling_average"]:
            section = next(sec for sec in done.sections if sec.id == "indicator-3")
            common.rolling_average_section(section, doc, ctx, compute, s, done.results, "wres.3", "staff",
                                           "to enter the formal disciplinary process")
        doc.sections.extend(done.sections)
        quality = doc.section("data-quality", "Data quality")
        quality.add(Paragraph(template="wres-common/quality.j2", context={}))
        quality.add(quality_table(done.quality, done.quality_units))
        actions = common.actions_section(doc, ctx, self.name)
        if actions is not None:
            doc.sections.append(actions)
        return doc
