"""Applicants for employment, training and promotion (every body), and the further monitoring
article 5 asks of bodies with 150 or more full-time equivalent staff."""

from __future__ import annotations

import pandas as pd

from equality_reports import Paragraph, Section, Table, applicant_key, representation_table
from equality_reports_rraa.builder import TEMPLATE, Build, Stage
from equality_reports_rraa.groups import Level, count_by, crosstab, crosstab_units, people_by, tally
from equality_reports_rraa.tables import (
    Count,
    Rate,
    cell_figure,
    stage_table,
)

ALL = "All groups"


def _flag(frame: pd.DataFrame, column: str) -> pd.Series:
    """A boolean column as plain bools (missing counts as false); all false when absent."""
    if column not in frame.columns:
        return pd.Series(False, index=frame.index)
    return frame[column].fillna(False).astype(bool)


def _publish(b: Build, table: Table, prefix: str, keys: tuple[str, ...], units: dict[str, str]) -> None:
    """Figures ``<prefix>.<group>.<key>`` for each binary group and ``all`` from a stage table."""
    rows = [(g, b.binary.label(g)) for g in b.binary.ids] + [("all", ALL)]
    for gid, label in rows:
        for key in keys:
            col = table.column(key)
            cell_figure(b.doc, b.fid(prefix, gid, key), f"{label}: {col.label}", table, label, key,
                        units.get(key, "percent" if col.kind == "percent" else "count"))


def _not_supplied(b: Build, sec: Section, what: str, where: str) -> None:
    """Say in the publication that ``what`` is not reported, and tell the operator what to add."""
    sec.add(Paragraph(template=TEMPLATE.format("not_supplied"), context={"what": what}))
    b.ctx.note_for_operator(f"{what.capitalize()} are not published: add {where} to the dataset "
                            f"(see docs/data-contract.md).")


def _staff_base(b: Build) -> Count:
    return Count("staff", "Staff in post", *tally("rows", b.staff, b.binary))


def build_recruitment(b: Build) -> None:
    """Applicants for employment through the funnel: applied, shortlisted, appointed."""
    sec = b.section("recruitment", "Applicants for employment")
    apps = b.table("applications")
    if apps is None:
        _not_supplied(b, sec, "applications for employment", "the applications table")
        b.warn("no applications table: the duty to monitor applicants for employment is not met")
        return
    shortlisted, appointed = _flag(apps, "shortlisted"), _flag(apps, "appointed")
    people = applicant_key(apps) is not None
    sec.add(Paragraph(template=TEMPLATE.format("recruitment"), context={"minority": b.minority, "people": people}))

    unit = "applicants" if people else "applications"

    def counts(lv: Level) -> list[Count]:
        return [Count("applied", unit.capitalize(), *tally("applicants", apps, lv)),
                Count("shortlisted", f"Shortlisted ({unit})", *tally("applicants", apps, lv, shortlisted)),
                Count("appointed", f"Appointed ({unit})", *tally("applicants", apps, lv, appointed))]

    rates = [Rate("shortlisted_rate", f"Shortlisted (% of {unit})", "shortlisted", "applied"),
             Rate("appointed_from_shortlist_rate", "Appointed (% of shortlisted)", "appointed", "shortlisted"),
             Rate("appointed_rate", f"Appointed (% of {unit})", "appointed", "applied")]
    note = ["Counts are people: someone who applied more than once is counted once, shortlisted if any "
            "application was, appointed if any application was." if people else
            "Counts are applications: the data gives no applicant_id, so someone who applied more than "
            "once is counted once per application."]
    table = stage_table("applications_binary", f"{unit.capitalize()} for employment by ethnic group", b.binary,
                        counts(b.binary), rates, notes=note)
    broad = stage_table("applications_broad", f"{unit.capitalize()} for employment by broad ethnic group",
                        b.levels["broad"], counts(b.levels["broad"]), rates, notes=list(note))
    for each in (table, broad):  # [x] explained where a rate is not calculable
        if each.data[[r.key for r in rates]].isna().any().any():
            each.notes.append("A rate shows [x] (not calculable) when its group had no applications, or no one "
                              "shortlisted.")
    sec.add(table, broad)
    _publish(b, table, "applications", ("applied", "shortlisted", "appointed", *(r.key for r in rates)), {})
    b.tracked += [(b.fid("applications", "white", "appointed_rate"),
                   f"{b.binary.label('white')} {unit} appointed (%)"),
                  (b.fid("applications", "minority_ethnic", "appointed_rate"),
                   f"{b.minority} {unit} appointed (%)")]
    applied, short, appt = (c.values for c in counts(b.binary))
    b.stages += [Stage("shortlisted", "Shortlisted", unit, short, applied, True,
                       (("applications_binary", "shortlisted"), ("applications_binary", "applied"))),
                 Stage("appointed", "Appointed", unit, appt, applied, True,
                       (("applications_binary", "appointed"), ("applications_binary", "applied")))]
    odd = int((appointed & ~shortlisted).sum())
    if odd:
        b.facts.setdefault("quality", []).append("appointed_not_shortlisted")
        b.warn(f"{odd} application(s) are marked appointed but not shortlisted; check the recruitment data")


def build_training_applications(b: Build, sec: Section) -> None:
    """Applicants for training and how many of them received it (every body)."""
    training = b.table("training")
    if training is None or "applied" not in training.columns or not training["applied"].notna().any():
        _not_supplied(b, sec, "applications for training", "the applied column of the training table")
        b.warn("training applications are not recorded (training.applied): the duty to monitor "
               "applicants for training is not met")
        return
    applied = _flag(training, "applied")
    received = applied & _flag(training, "received")
    table = stage_table("training_applications", "Staff who applied for training, and whether they received it",
                        b.binary, [Count("applied", "Applied for training (staff)",
                                         *tally("people", training, b.binary, applied)),
                                   Count("received", "Received the training applied for (staff)",
                                         *tally("people", training, b.binary, received))],
                        [Rate("success_rate", "Received (% of applicants)", "received", "applied")],
                        notes=["Counts are people, not applications: someone who applied more than once is "
                               "counted once."])
    sec.add(Paragraph(template=TEMPLATE.format("training"), context={"minority": b.minority}))
    sec.add(table)
    _publish(b, table, "training", ("applied", "received", "success_rate"), {})
    b.stages.append(Stage("training_success", "Received the training applied for", "staff who applied for training",
                          people_by(training, b.binary, received), people_by(training, b.binary, applied), True,
                          (("training_applications", "received"), ("training_applications", "applied"))))


def build_promotion(b: Build) -> None:
    sec = b.section("promotion", "Applicants for promotion")
    promotions = b.table("promotions")
    if promotions is None:
        _not_supplied(b, sec, "applications for promotion", "the promotions table")
        b.warn("no promotions table: the duty to monitor applicants for promotion is not met")
        return
    promoted = _flag(promotions, "promoted")
    (applied_n, applied_u), (promoted_n, promoted_u) = (tally("people", promotions, b.binary),
                                                        tally("people", promotions, b.binary, promoted))
    table = stage_table("promotions", "Staff who applied for promotion, and whether they were promoted", b.binary,
                        [Count("applied", "Applied for promotion (staff)", applied_n, applied_u),
                         Count("promoted", "Promoted (staff)", promoted_n, promoted_u)],
                        [Rate("success_rate", "Promoted (% of applicants)", "promoted", "applied")],
                        notes=["Counts are people: someone who applied for more than one post is counted once."])
    sec.add(Paragraph(template=TEMPLATE.format("promotion"), context={"minority": b.minority}))
    sec.add(table)
    _publish(b, table, "promotions", ("applied", "promoted", "success_rate"), {})
    b.stages += [Stage("promotion_applied", "Applied for promotion", "staff in post", applied_n,
                       count_by(b.staff, b.binary), True, (("promotions", "applied"), ("staff_binary", "count"))),
                 Stage("promoted", "Promoted", "staff who applied for promotion", promoted_n, applied_n, True,
                       (("promotions", "promoted"), ("promotions", "applied")))]


def build_training_received(b: Build, sec: Section) -> None:
    training = b.table("training")
    # staff in post who received training: the rate's numerator comes from its base's people
    in_post = training["person_id"].isin(b.staff["person_id"]) if "person_id" in training.columns else \
        pd.Series(True, index=training.index)
    received = _flag(training, "received") & in_post.to_numpy(dtype=bool)
    people, units = tally("people", training, b.binary, received)
    table = stage_table("training_received", "Staff who received training", b.binary,
                        [_staff_base(b), Count("received", "Received training (staff)", people, units)],
                        [Rate("received_rate", "Received training (% of staff in post)", "received", "staff")],
                        total_label=ALL,
                        notes=["Counts staff in post who received any training in the year, mandatory or not, "
                               "once each; people who received training and have since left are not counted, as "
                               "they are not in staff in post."])
    sec.add(table)
    _publish(b, table, "training", ("received_rate",), {})
    b.stages.append(Stage("training_received", "Received training", "staff in post", people,
                          count_by(b.staff, b.binary), True,
                          (("training_received", "received"), ("training_received", "staff"))))


def build_appraisals(b: Build, sec: Section) -> None:
    appraisals = b.table("appraisals")
    outcome = appraisals["outcome"].astype("string")
    outcomes = ("benefit", "neutral", "detriment")
    counts = [Count("appraised", "Appraised (staff)", *tally("people", appraisals, b.binary))]
    counts += [Count(o, {"benefit": "Benefited (staff)", "neutral": "Neither (staff)",
                         "detriment": "Detriment (staff)"}[o],
                     *tally("people", appraisals, b.binary, (outcome == o).fillna(False))) for o in outcomes]
    table = stage_table("appraisals", "Outcomes of performance assessment", b.binary, counts,
                        [Rate("benefit_rate", "Benefited (% of staff appraised)", "benefit", "appraised"),
                         Rate("detriment_rate", "Detriment (% of staff appraised)", "detriment", "appraised")],
                        # the outcomes add up to the staff appraised unless someone had two outcomes
                        column_totals={outcomes: "appraised"} if _one_outcome_each(appraisals) else None,
                        notes=["Counts are people: someone appraised more than once is counted once in each "
                               "outcome they had, so the outcomes can add up to more than the staff appraised.",
                               "Benefit and detriment are as recorded in the appraisal data, for example a "
                               "pay progression or bonus (benefit) or a capability process (detriment)."])
    sec.add(table)
    _publish(b, table, "appraisals", ("benefit_rate", "detriment_rate"), {})
    base = counts[0].values
    b.stages += [Stage("appraisal_benefit", "Benefited from appraisal", "staff appraised", counts[1].values, base,
                       True, (("appraisals", "benefit"), ("appraisals", "appraised"))),
                 Stage("appraisal_detriment", "Detriment from appraisal", "staff appraised", counts[3].values, base,
                       False, (("appraisals", "detriment"), ("appraisals", "appraised")))]


def _one_outcome_each(appraisals: pd.DataFrame) -> bool:
    """True when every person appraised has exactly one recorded outcome (the outcomes then add up)."""
    if appraisals["outcome"].isna().any():
        return False
    return not appraisals[["person_id", "outcome"]].drop_duplicates()["person_id"].duplicated().any()


def build_grievances(b: Build, sec: Section) -> None:
    grievances = b.table("grievances")
    role = grievances["role"].astype("string") if "role" in grievances.columns \
        else pd.Series(pd.NA, index=grievances.index)
    complainants, complainant_units = tally("people", grievances, b.binary, (role == "complainant"))
    respondents, respondent_units = tally("people", grievances, b.binary, (role == "respondent"))
    table = stage_table("grievances", "Staff involved in grievances", b.binary,
                        [_staff_base(b), Count("complainant", "Raised a grievance (staff)", complainants,
                                               complainant_units),
                         Count("respondent", "Complained about (staff)", respondents, respondent_units)],
                        [Rate("complainant_rate", "Raised a grievance (% of staff in post)", "complainant", "staff"),
                         Rate("respondent_rate", "Complained about (% of staff in post)", "respondent", "staff")],
                        notes=["Counts are people, once each whatever the number of cases."])
    sec.add(table)
    _publish(b, table, "grievances", ("complainant", "respondent", "complainant_rate", "respondent_rate"), {})
    roles = {"complainant": "Raised the grievance", "respondent": "Complained about"}
    outcome = _free_text(b, grievances, "outcome", "Outcome not recorded")
    labelled = grievances.assign(row=role.map(roles).fillna("Role not recorded") + ": "
                                 + outcome.str[:1].str.lower() + outcome.str[1:])
    rows = sorted(labelled["row"].unique())
    sec.add(representation_table("grievance_outcomes", "Grievance outcomes by role and ethnic group",
                                 crosstab(labelled, "row", b.binary, rows), b.binary.labels, "Role and outcome",
                                 units=crosstab_units(labelled, "row", b.binary),
                                 total_label="All grievance records", count_label="records", shares=False))
    base = count_by(b.staff, b.binary)
    b.stages += [Stage("grievance_complainant", "Raised a grievance", "staff in post", complainants, base, False,
                       (("grievances", "complainant"), ("grievances", "staff"))),
                 Stage("grievance_respondent", "Complained about in a grievance", "staff in post", respondents,
                       base, False, (("grievances", "respondent"), ("grievances", "staff")))]


def _free_text(b: Build, frame: pd.DataFrame, column: str, missing: str) -> pd.Series:
    """A free-text column as the publication shows it: each value's label under [labels] in
    dataset.toml (else as given) with a capital first letter; ``missing`` where not recorded.
    Spellings differing only in case are one value already (intake merges them)."""
    if column not in frame.columns:
        return pd.Series(missing, index=frame.index, dtype="string")
    text = frame[column].astype("string").str.strip().replace("", pd.NA)
    shown = {value: (label := b.dataset.label(value))[:1].upper() + label[1:] for value in text.dropna().unique()}
    return text.map(shown).fillna(missing).astype("string")


def build_disciplinary(b: Build, sec: Section) -> None:
    cases = b.table("disciplinary")
    formal = cases.loc[cases["formal"].fillna(True).astype(bool)] if "formal" in cases.columns else cases
    people, units = tally("people", formal, b.binary)
    table = stage_table("disciplinary", "Staff subject to formal disciplinary procedures", b.binary,
                        [_staff_base(b), Count("disciplined", "Subject to formal procedures (staff)", people, units)],
                        [Rate("rate", "Subject to formal procedures (% of staff in post)", "disciplined", "staff")],
                        notes=["Counts people, once each, in formal cases started in the year; informal "
                               "action is left out."])
    sec.add(table)
    _publish(b, table, "disciplinary", ("disciplined", "rate"), {})
    labelled = formal.assign(outcome_text=_free_text(b, formal, "outcome", "Outcome not recorded"))
    rows = sorted(labelled["outcome_text"].unique())
    sec.add(representation_table("disciplinary_outcomes", "Outcomes of formal disciplinary cases by ethnic group",
                                 crosstab(labelled, "outcome_text", b.binary, rows), b.binary.labels, "Outcome",
                                 units=crosstab_units(labelled, "outcome_text", b.binary),
                                 total_label="All formal cases", count_label="cases", shares=False))
    b.stages.append(Stage("disciplinary", "Subject to formal disciplinary procedures", "staff in post", people,
                          count_by(b.staff, b.binary), False,
                          (("disciplinary", "disciplined"), ("disciplinary", "staff"))))


def build_leavers(b: Build, sec: Section) -> None:
    leavers = b.table("leavers")
    voluntary = leavers["voluntary"] if "voluntary" in leavers.columns else pd.Series(pd.NA, index=leavers.index,
                                                                                       dtype="boolean")
    counts = [_staff_base(b), Count("leavers", "Leavers", *tally("people", leavers, b.binary)),
              Count("voluntary", "Left voluntarily", *tally("people", leavers, b.binary, voluntary.fillna(False))),
              Count("involuntary", "Left involuntarily",
                    *tally("people", leavers, b.binary, (~voluntary).fillna(False)))]
    parts = ("voluntary", "involuntary")
    if voluntary.isna().any():  # a column of zeros says nothing: only when some leaving is not recorded
        counts.append(Count("not_recorded", "Not recorded", *tally("people", leavers, b.binary, voluntary.isna())))
        parts += ("not_recorded",)
    table = stage_table("leavers", "Leavers by ethnic group", b.binary, counts,
                        [Rate("turnover_rate", "Turnover (leavers as % of staff in post)", "leavers", "staff")],
                        column_totals={parts: "leavers"},
                        notes=["Turnover divides the year's leavers by staff in post at the snapshot date.",
                               "Whether someone left voluntarily is as their HR record says, whatever the reason "
                               "given (a retirement may be either)."])
    sec.add(table)
    _publish(b, table, "leavers", ("leavers", "turnover_rate"), {})
    b.tracked.append((b.fid("leavers", "minority_ethnic", "turnover_rate"), f"{b.minority} staff turnover (%)"))
    labelled = leavers.assign(reason_text=_free_text(b, leavers, "reason", "Not recorded"))
    rows = sorted(labelled["reason_text"].unique())
    # White and ethnic minority leavers only: a column of leavers whose group is not known is
    # nearly all small counts, and with it and the reasons' totals most of the table was withheld
    by_reason = crosstab(labelled, "reason_text", b.binary, rows)[list(b.binary.declared_ids)]
    by_reason = by_reason[by_reason.sum(axis=1) > 0]  # a reason only leavers of unknown group gave
    sec.add(representation_table("leaver_reasons", f"Reasons for leaving: White and {b.minority.lower()} leavers",
                                 by_reason, b.binary.labels, "Reason",
                                 units=crosstab_units(labelled, "reason_text", b.binary),
                                 total_label="All leavers", count_label="leavers", shares=False, row_totals=False,
                                 notes=["Each leaving record counts once: someone who left twice in the year "
                                        "is counted twice.",
                                        "Leavers whose ethnic group is not stated or not known are not in this "
                                        "table; the table \u201cLeavers by ethnic group\u201d counts them."]))
    base = count_by(b.staff, b.binary)
    b.stages += [Stage("leavers", "Left the organisation", "staff in post", counts[1].values, base, False,
                       (("leavers", "leavers"), ("leavers", "staff"))),
                 Stage("leavers_involuntary", "Left involuntarily", "staff in post", counts[3].values, base, False,
                       (("leavers", "involuntary"), ("leavers", "staff")))]
