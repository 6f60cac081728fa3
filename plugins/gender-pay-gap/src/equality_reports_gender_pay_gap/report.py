"""The gender-pay-gap report: the figures SI 2017/353 Schedule 1 asks a public authority to publish.

Who is counted:

* relevant employees: the people in the staff extract on the snapshot date who are directly
  employed (the engine's population rules; bank-only workers are in unless
  ``--option bank_workers=exclude``), counted once each; they decide whether the 250-employee duty
  applies and are the base of the bonus measures;
* full-pay relevant employees: relevant employees not on reduced or nil pay because of leave
  (``full_pay_relevant``); the base of the hourly pay gaps and the quartile pay bands.

The measures compare men and women only; people recorded with another sex or gender, or none, are
left out of them and counted in the data notes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from equality_reports import (
    BANK_CHOICES,
    CellRef,
    Chart,
    Column,
    Document,
    Figure,
    Gap,
    Mean,
    Median,
    Option,
    Paragraph,
    Problem,
    Report,
    ReportContext,
    Table,
    add_trends,
    long_date,
    people_units,
    relevant_employees,
    scope,
    union,
)
from equality_reports_gender_pay_gap import measures
from equality_reports_gender_pay_gap.contract import REPORT
from equality_reports_gender_pay_gap.measures import BANDS, MEN, SEXES, WOMEN

TEMPLATES = Path(__file__).parent / "templates"
SEX_LABELS = {MEN: "Men", WOMEN: "Women"}
BAND_LABELS = dict(zip(BANDS, ("Lower quartile", "Lower middle quartile", "Upper middle quartile",
                               "Upper quartile")))
GAP_ROWS = (("hourly", "mean", "Mean hourly pay"), ("hourly", "median", "Median hourly pay"),
            ("bonus", "mean", "Mean bonus pay"), ("bonus", "median", "Median bonus pay"))


def fid(*parts: str) -> str:
    return ".".join((REPORT, *parts))


def _template(name: str) -> str:
    return f"{REPORT}/{name}.j2"


class GenderPayGapReport(Report):
    """Mean and median hourly pay and bonus gaps, bonus proportions and quartile pay bands."""

    name = REPORT
    title = "Gender pay gap report"
    description = ("The gender pay gap figures a public authority with 250 or more employees publishes under "
                   "Schedule 1 to the Equality Act 2010 (Specific Duties and Public Authorities) Regulations "
                   "2017: mean and median hourly pay gaps, mean and median bonus gaps, the proportions of men "
                   "and women paid a bonus, and men and women in each quartile pay band. Smaller bodies get "
                   "the same figures, published voluntarily.")
    required_tables = ("staff",)
    required_columns = {"staff": ("hourly_pay",)}
    template_dir = TEMPLATES
    outputs = ("docx", "xlsx", "ods", "csv", "json", "html", "pdf")
    options = (
        Option("employee_threshold", int, 250, "relevant employees at or above which the duty applies (the "
               "statutory figure is 250)"),
        Option("bank_workers", str, "include", "include (the default) or exclude bank-only workers from the "
               "relevant employees", choices=BANK_CHOICES),
    )

    def check(self, ctx: ReportContext) -> list[Problem]:
        problems = []
        if ctx.options["employee_threshold"] < 1:
            problems.append(Problem(f"employee_threshold={ctx.options['employee_threshold']} must be 1 or more",
                                    fix="the statutory figure is 250"))
        staff = ctx.dataset.tables.get("staff")
        if staff is None or "hourly_pay" not in staff.columns:
            problems.append(Problem("column 'hourly_pay' is missing", file="staff", column="hourly_pay",
                                    fix="add each employee's ordinary hourly pay in the pay period that includes "
                                        "the snapshot date (`equality-reports contract` describes it)"))
            return problems
        relevant = _relevant(ctx)
        full = relevant[_full_pay(relevant).to_numpy(dtype=bool)]
        blank = full[full["sex"].isin(SEXES).to_numpy(dtype=bool) & full["hourly_pay"].isna().to_numpy(dtype=bool)] \
            if "sex" in full.columns else full.iloc[:0]
        if len(blank):
            first = blank["person_id"].iloc[0]
            problems.append(Problem(
                f"hourly_pay is blank for {len(blank)} full-pay relevant employee(s), the first being the row "
                f"with person_id {first}", file="staff", row=ctx.dataset.file_row("staff", blank.index[0]),
                column="hourly_pay", value=first,
                fix="give their ordinary hourly pay, or full_pay_relevant = No for someone on reduced or nil "
                    "pay because of leave in the pay period"))
        return problems

    def build(self, ctx: ReportContext) -> Document:
        doc = ctx.new_document(title=self.title)
        doc.subtitle = f"{ctx.dataset.organisation}: pay of men and women on {long_date(ctx.dataset.snapshot)}"
        staff = _relevant(ctx)
        sex = staff["sex"] if "sex" in staff.columns else pd.Series("not_known", index=staff.index)
        staff = staff.assign(gpg_sex=sex.where(sex.isin(SEXES), "other").astype(object))
        full = _full_pay(staff).to_numpy(dtype=bool)
        counted = staff["gpg_sex"].isin(SEXES).to_numpy(dtype=bool)
        bonus = _bonus(staff)
        paid = (bonus > 0).to_numpy(dtype=bool)

        every = people_units(staff.assign(gpg_all="all"), "gpg_all", ("all",))["all"]
        size = len(every)
        threshold = ctx.options["employee_threshold"]
        # a part of an employer (a council's social care services) is never the employer the duty is on
        applies = size >= threshold and not ctx.dataset.part_of
        # a headline: whether the duty applies rests on it
        doc.add_figure(Figure(fid("employees", "count"), "Relevant employees on the snapshot date", size, "count",
                              units=every, headline=True))
        doc.add_figure(Figure(fid("duty", "applies"), "The gender pay gap duty applies (250 or more relevant "
                              "employees)", "yes" if applies else "no"))
        others = people_units(staff, "gpg_sex", ("other",))["other"]
        doc.add_figure(Figure(fid("excluded", "count"), "Relevant employees neither men nor women in the records",
                              len(others), "count", units=others))
        reduced = people_units(staff[counted], "gpg_sex", SEXES, pd.Series(~full[counted], index=staff.index[counted]))
        reduced_all = union(*reduced.values())
        doc.add_figure(Figure(fid("reduced_pay", "count"), "Men and women not full-pay relevant (on reduced or "
                              "nil pay because of leave)", len(reduced_all), "count", units=reduced_all))

        employees_table = self._employees(staff, paid)
        gaps_table = self._gaps(staff, full, paid, bonus)
        quartiles_table, bands = self._quartiles(staff[full & counted])
        full_pay = people_units(staff[full & counted].assign(gpg_all="all"), "gpg_all", ("all",))["all"]
        doc.add_figure(Figure(fid("full_pay", "count"), "Full-pay relevant men and women", len(full_pay), "count",
                              units=full_pay, cells=tuple(CellRef("quartiles", BAND_LABELS[band], "total")
                                                         for band in BANDS)))
        self._figures(doc, gaps_table, employees_table, quartiles_table)

        context = {"organisation": ctx.dataset.organisation, "snapshot": long_date(ctx.dataset.snapshot),
                   "threshold": threshold, "applies": applies, "audience": ctx.audience,
                   "part_of": ctx.dataset.part_of,
                   "bonus_supplied": "bonus_pay" in staff.columns and staff["bonus_pay"].notna().any(),
                   "population": relevant_employees(ctx.options["bank_workers"]).in_words(ctx.dataset.table("staff")),
                   "bands": BANDS, "band_labels": BAND_LABELS,
                   "sizes": bands}
        intro = doc.section("introduction", "Introduction")
        intro.add(Paragraph(template=_template("introduction"), context=context))
        doc.section("key-findings", "Key findings").add(Paragraph(template=_template("key_findings"), context=context))
        hourly = doc.section("hourly-pay", "Hourly pay gap")
        hourly.add(Paragraph(template=_template("hourly"), context=context), gaps_table)
        bonus_section = doc.section("bonus-pay", "Bonus pay")
        bonus_section.add(Paragraph(template=_template("bonus"), context=context), employees_table)
        quartiles = doc.section("quartiles", "Quartile pay bands")
        quartiles.add(Paragraph(template=_template("quartiles"), context=context), quartiles_table,
                      Chart("quartiles_chart", "Men and women in each quartile pay band (% of the band)",
                            "quartiles", "band", ["men_pct", "women_pct"], kind="stacked"))
        if ctx.history:  # --compare: the statutory figures for every year given
            rows = [(fid(kind, f"{stat}_gap_pct"), f"{label}: gap (%)") for kind, stat, label in GAP_ROWS]
            rows += [(fid("bonus", key, "pct"), f"{word} paid a bonus (%)") for key, word in (("men", "Men"),
                                                                                           ("women", "Women"))]
            add_trends(doc.section("trends", "Change over time"), doc, ctx, rows, "gpg_trends",
                       "Gender pay gap figures by year", "percent")
        doc.section("data-notes", "About the data").add(Paragraph(template=_template("data_notes"), context=context))
        return doc

    # --- tables -----------------------------------------------------------------------------------

    def _employees(self, staff: pd.DataFrame, paid: np.ndarray) -> Table:
        """Men and women paid a bonus, and the % of relevant men and women paid one."""
        index = staff.index
        relevant = people_units(staff, "gpg_sex", SEXES)
        bonus_paid = people_units(staff, "gpg_sex", SEXES, pd.Series(paid, index=index))
        rows = []
        units: dict[tuple[int, str], Any] = {}
        for i, s in enumerate(SEXES):
            n, b = len(relevant[s]), len(bonus_paid[s])
            rows.append({"group": SEX_LABELS[s], "relevant": n, "bonus": b, "not_paid": n - b,
                         "bonus_pct": b / n * 100 if n else np.nan})
            units.update({(i, "relevant"): relevant[s], (i, "bonus"): bonus_paid[s],
                          (i, "not_paid"): np.setdiff1d(relevant[s], bonus_paid[s])})
        # the statutory figures are percentages: the counts behind them are hidden count columns,
        # protected in the table (a small count withholds its percentage). Shown as counts, men and
        # women cut across every other table of a run (grades, services, ethnic groups) and the
        # joint audit then withholds far more of this and the other reports
        return Table("employees", "Men and women paid a bonus in the 12 months to the snapshot date", [
            Column("group", "Sex"),
            Column("relevant", "Relevant employees", "count", hidden=True),
            Column("bonus", "Paid a bonus", "count", hidden=True),
            # the people not paid one: a few of them are protected as a few paid one are (99.4% of
            # 160 men, a number the pay bands give, would leave 1 man not paid a bonus)
            Column("not_paid", "Not paid a bonus", "count", hidden=True),
            Column("bonus_pct", "Paid a bonus (% of relevant employees)", "percent",
                   derived_from=("bonus", "not_paid", "relevant")),
        ], pd.DataFrame(rows), units=units, column_groups=[("bonus", "not_paid")],
            column_totals={("bonus", "not_paid"): "relevant"},
            # each percentage, rounded, bounds the numbers paid and relevant: the audit relates them
            # to every count of the same people (the ethnic groups paid a bonus, say)
            shares={(i, "bonus_pct"): (bonus_paid[s], relevant[s]) for i, s in enumerate(SEXES)},
            description="The percentage is of relevant employees: men and women employed on the snapshot date.")

    def _gaps(self, staff: pd.DataFrame, full: np.ndarray, paid: np.ndarray, bonus: pd.Series) -> Table:
        """Mean and median hourly pay and bonus pay of men and women, and the gaps."""
        index = staff.index
        bases = {"hourly": (pd.Series(full, index=index), staff["hourly_pay"]),
                 "bonus": (pd.Series(paid, index=index), bonus)}
        rows, units = [], {}
        averages: dict[tuple[int, str], Mean | Median | Gap] = {}
        for i, (kind, stat, label) in enumerate(GAP_ROWS):
            mask, values = bases[kind]
            who = people_units(staff, "gpg_sex", SEXES, mask)
            # what each figure is: the audit relates the means (sums) and medians of a whole run
            averaged = people_units(staff, "gpg_sex", SEXES, mask & values.notna())
            of = Mean if stat == "mean" else Median
            men, women = (of(f"{kind}_pay", averaged[s]) for s in (MEN, WOMEN))
            averages.update({(i, "men"): men, (i, "women"): women, (i, "gap_pct"): Gap(women, men)})
            row: dict[str, Any] = {"measure": label}
            for s in SEXES:
                picked = values[mask.to_numpy(dtype=bool) & (staff["gpg_sex"] == s).to_numpy(dtype=bool)].dropna()
                mean, median = measures.mean_median(picked)
                key = "men" if s == MEN else "women"
                row[key] = mean if stat == "mean" else median
                row[f"{key}_n"] = len(who[s])
                units[(i, f"{key}_n")] = who[s]
            row["gap_pct"] = measures.gap(row["men"], row["women"])
            rows.append(row)
        data = pd.DataFrame(rows).astype({"men": float, "women": float, "gap_pct": float})
        return Table("pay_gaps", "Mean and median hourly pay and bonus pay of men and women, and the gap", [
            Column("measure", "Measure"),
            Column("men_n", "Men counted", "count", hidden=True),
            Column("women_n", "Women counted", "count", hidden=True),
            Column("men", "Men (£)", "number", derived_from=("men_n",), decimals=2),
            Column("women", "Women (£)", "number", derived_from=("women_n",), decimals=2),
            Column("gap_pct", "Gap (% of men's pay)", "percent", derived_from=("men_n", "women_n")),
        ], data, rows_additive=False, units=units, averages=averages,
            description="Hourly pay is of full-pay relevant employees; bonus pay is of those paid a bonus in the "
                        "12 months to the snapshot date. A positive gap means women's pay is lower than men's.")

    def _quartiles(self, people: pd.DataFrame) -> tuple[Table, list[int]]:
        """Men and women in each quartile pay band (paragraph 13), with each band's shares."""
        q = measures.quartile_bands(people["hourly_pay"], people["gpg_sex"] == MEN, order=people["person_id"])
        frame = people.assign(gpg_band=q.band.map(dict(enumerate(BANDS))))
        rows, units = [], {}
        for i, band in enumerate(BANDS):
            who = people_units(frame, "gpg_sex", SEXES, frame["gpg_band"] == band)
            men, women = len(who[MEN]), len(who[WOMEN])
            total = men + women
            rows.append({"band": BAND_LABELS[band], "men": men, "women": women, "total": total,
                         "men_pct": men / total * 100 if total else np.nan,
                         "women_pct": women / total * 100 if total else np.nan})
            everyone = union(who[MEN], who[WOMEN])
            units.update({(i, "men"): who[MEN], (i, "women"): who[WOMEN], (i, "total"): everyone})
        # A band's size follows from the number N of full-pay relevant men and women (N/4, the lowest
        # bands one more each), and the percentages to one decimal pin the sizes: so the sizes are
        # published, restating N (withheld whenever N is, and N whenever one of them is), where the
        # audit can relate N to the relevant employees (their difference: people neither men nor
        # women, and those on leave)
        table = Table("quartiles", "Men and women in each quartile pay band", [
            Column("band", "Quartile pay band"),
            # not shown, but each band's share to one decimal place beside its size gives it away:
            # audited as published while the share is
            Column("men", "Men", "count", hidden=True, revealed_by="men_pct"),
            Column("women", "Women", "count", hidden=True, revealed_by="women_pct"),
            Column("total", "Full-pay relevant men and women in the band", "count"),
            Column("men_pct", "Men (% of the band)", "percent", derived_from=("men", "total"), divisors=("total",)),
            Column("women_pct", "Women (% of the band)", "percent", derived_from=("women", "total"),
                   divisors=("total",)),
        ], pd.DataFrame(rows), column_groups=[("men", "women")], column_totals={("men", "women"): "total"},
            units=units, restates={(i, "total"): fid("full_pay", "count") for i in range(len(BANDS))},
            description="Full-pay relevant men and women ranked by hourly pay and divided into four bands of as "
                        "nearly as possible equal size, lowest paid first.")
        return table, [int(x) for x in q.sizes]

    def _figures(self, doc: Document, gaps: Table, employees: Table, quartiles: Table) -> None:
        """The statutory figures, each a headline (the figures an employer reports)."""
        for (kind, stat, label), (_, row) in zip(GAP_ROWS, gaps.data.iterrows()):
            doc.add_figure(Figure(fid(kind, f"{stat}_gap_pct"), f"{label}: gap between men and women (% of men's)",
                                  _value(row["gap_pct"]), "percent", cells=(CellRef("pay_gaps", label, "gap_pct"),),
                                  headline=True))
        for s in SEXES:
            doc.add_figure(Figure(fid("bonus", "men" if s == MEN else "women", "pct"),
                                  f"{SEX_LABELS[s]} paid a bonus (% of relevant {SEX_LABELS[s].lower()})",
                                  _value(employees.data.at[SEXES.index(s), "bonus_pct"]),
                                  "percent", cells=(CellRef("employees", SEX_LABELS[s], "bonus_pct"),), headline=True))
        for band in BANDS:
            for s in SEXES:
                key = "men" if s == MEN else "women"
                doc.add_figure(Figure(fid("quartile", band, key, "pct"), f"{SEX_LABELS[s]} in the "
                                      f"{BAND_LABELS[band].lower()} pay band (%)",
                                      _value(quartiles.data.at[BANDS.index(band), f"{key}_pct"]), "percent",
                                      cells=(CellRef("quartiles", BAND_LABELS[band], f"{key}_pct"),), headline=True))


def _value(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _relevant(ctx: ReportContext) -> pd.DataFrame:
    """Relevant employees: the staff in post in the report's population (directly employed)."""
    return scope(ctx.dataset, relevant_employees(ctx.options["bank_workers"])).staff


def _full_pay(staff: pd.DataFrame) -> pd.Series:
    if "full_pay_relevant" not in staff.columns:
        return pd.Series(True, index=staff.index)
    return staff["full_pay_relevant"].astype("boolean").fillna(True).astype(bool)


def _bonus(staff: pd.DataFrame) -> pd.Series:
    """Bonus pay in the 12 months; blank is none."""
    if "bonus_pay" not in staff.columns:
        return pd.Series(0.0, index=staff.index)
    return staff["bonus_pay"].astype(float).fillna(0.0)


