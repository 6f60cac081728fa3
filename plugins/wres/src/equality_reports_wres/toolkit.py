"""The indicator toolkit shared by the NHS WRES and the Social Care WRES.

Both standards are built from four shapes of indicator, each producing a table with its
disclosure structure declared, named figures tied to the table cells, and a result object the
summary and comparisons read:

* representation: staff by band or grade and group, with row percentages (WRES 1, SC-WRES 1);
* likelihood: the rate of an outcome in two groups and their ratio (WRES 2-4, SC-WRES 2-5, 8);
* survey: the percentage of survey respondents in each group, as the survey gave it (WRES 5-8),
  and for the SC-WRES the relative likelihood of the two groups' answers (SC-WRES 6, 7a, 7b);
* difference: a group's share in a subgroup minus its share of the workforce (WRES 9, SC-WRES 9).

The direction of every ratio is a parameter: NHS WRES puts White first for indicators 2 and 4,
the Social Care WRES always puts the minority group first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from equality_reports import (
    CellRef,
    Chart,
    Document,
    Figure,
    Headline,
    Paragraph,
    Section,
    Table,
    Tally,
    add_likelihood_figures,
    classify,
    count_by_group,
    cross_counts,
    likelihood_table,
    long_date,
    share_chart,
    share_differences,
    share_table,
    stats,
    survey_table,
    tallied_units,
)
from equality_reports import (
    representation_table as grid_table,
)

GROUPS = ("white", "minority_ethnic", "unknown")


@dataclass(frozen=True)
class Settings:
    """Report-wide choices: labels, the id used for the minority group in figure ids, bands."""

    report: str
    labels: dict[str, str]
    minority_id: str  # "bme" for NHS WRES figure ids, "minority_ethnic" for SC-WRES
    minimum_group: int = 10
    band_low: float = 0.80
    band_high: float = 1.25
    #: what the standard calls its measures in titles: "Indicator" (NHS WRES) or "Metric" (SC-WRES)
    term: str = "Indicator"
    #: the part of the workforce the indicators cover ("Children's services"); "" for the whole
    scope: str = ""
    #: the services (slugs) whose staff make up the whole workforce of the return; None: every
    #: staff member (the SC-WRES ``social_care_services`` option)
    workforce: frozenset[str] | None = None
    #: the staff survey the results come from ("NHS Staff Survey 2025"); "" when not given
    survey: str = ""
    #: where the local population figures come from ("Census 2021 (ONS table TS021), ..."); ""
    #: when not given (the SC-WRES ``benchmark_source`` option)
    benchmark: str = ""
    #: a service's repeat of the whole workforce's measures: what each measure means is said once,
    #: for the whole workforce, not again under every service
    repeat: bool = False

    @property
    def survey_source(self) -> str:
        """A survey table's source line."""
        return f"{self.survey}, the organisation's results." if self.survey else "The organisation's staff survey."

    def fig_group(self, group: str) -> str:
        return self.minority_id if group == "minority_ethnic" else group

    def titled(self, text: str) -> str:
        """A title or label that says what it covers: the scope first, when there is one."""
        return f"{self.scope}: {text}" if self.scope else text

    def measure(self, number: str, title: str) -> str:
        """An indicator's table title: "Children's services: Metric 3: entering ..."."""
        return self.titled(f"{self.term} {number}: {title}")

    def label(self, group: str) -> str:
        return self.labels[group]


@dataclass
class Result(Headline):
    """One indicator's headline, for the summary table and year-on-year comparison."""

    counts: tuple[float, ...] = ()  # the counts behind the headline (for previous-year checks)
    extra: dict[str, Any] = field(default_factory=dict)


def group_counts(staff: pd.DataFrame, mask: pd.Series | None = None) -> Tally:
    """Staff per binary group (rows of a staff table where ``mask`` is true: one row per person)."""
    return count_by_group("rows", staff, "ethnic_binary", GROUPS, mask)


def distinct_people(frame: pd.DataFrame, mask: pd.Series | None = None) -> Tally:
    """People (not records) per binary group among rows where ``mask`` is true."""
    return count_by_group("people", frame, "ethnic_binary", GROUPS, mask)


def as_bool(series: pd.Series | None, default: bool, index: pd.Index) -> pd.Series:
    """A boolean column with missing values (or a missing column) taken as ``default``."""
    if series is None:
        return pd.Series(default, index=index, dtype=bool)
    return series.astype("boolean").fillna(default).astype(bool)


def applicants(apps: pd.DataFrame, mask: pd.Series | None = None) -> Tally:
    """Applicants per binary group (people by applicant_id when given, else applications)."""
    return count_by_group("applicants", apps, "ethnic_binary", GROUPS, mask)


def shortlisting(apps: pd.DataFrame) -> tuple[Tally, Tally]:
    """Applicants shortlisted, and appointed from shortlisting, per group (people by applicant_id
    when given, else applications)."""
    shortlisted = as_bool(apps.get("shortlisted"), False, apps.index)
    appointed = shortlisted & as_bool(apps.get("appointed"), False, apps.index)
    return applicants(apps, shortlisted), applicants(apps, appointed)


def formal_disciplinary(disc: pd.DataFrame) -> Tally:
    """People (not cases) entering a formal disciplinary process (the engine keeps the period's cases)."""
    return distinct_people(disc, as_bool(disc.get("formal"), True, disc.index))


# --- representation ------------------------------------------------------------------------

def representation_table(table_id: str, title: str, rows: pd.Series, groups: pd.Series, units: np.ndarray,
                         order: Iterable[str], s: Settings, row_title: str,
                         total_label: str = "All staff", keep_empty: Iterable[str] = ()) -> Table:
    """Staff by row (band, grade) and group: counts, total and row percentages.

    ``units`` are the staff's unit codes (:func:`equality_reports.measures.units.unit_codes`),
    aligned with ``rows`` and ``groups``: every count cell declares the staff it counts.
    """
    counts, by_cell = cross_counts(rows, groups, units, GROUPS)
    wanted = [r for r in order if r in counts.index or r in set(keep_empty)]
    return grid_table(table_id, title, counts.reindex(wanted, fill_value=0), s.labels, row_title,
                      total_label=total_label, units=by_cell,
                      notes=["Percentages are shares of each row's total, including staff whose ethnic "
                             "group is not stated or not known."])


def representation_figures(doc: Document, table: Table, prefix: str, s: Settings,
                           total_label: str = "All staff") -> None:
    """``<prefix>.<group>.count`` and ``.pct`` for the table's total row, declaring whom they count:
    a service's table by pay band, left out when mostly withheld, takes with it no figure its
    shown total row gave (the summary's share of minority ethnic staff)."""
    position = table.row_position(total_label)
    total = int(table.data["total"].iloc[position])
    everyone = table.units.get((position, "total"))
    for g in GROUPS:
        gid = s.fig_group(g)
        count = int(table.data[g].iloc[position])
        units = table.units.get((position, g))
        doc.add_figure(Figure(f"{prefix}.{gid}.count", s.titled(f"{s.label(g)} staff"), count, "count",
                              cells=(CellRef(table.id, total_label, g),), units=units))
        doc.add_figure(Figure(f"{prefix}.{gid}.pct", s.titled(f"{s.label(g)} staff, % of all staff"),
                              stats.percentage(count, total), "percent", numerator=count,
                              denominator=total,
                              cells=(CellRef(table.id, total_label, g), CellRef(table.id, total_label, "total")),
                              share=None if units is None or everyone is None else (units, everyone)))


# --- likelihood ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Likelihood:
    """How to word and arrange one relative-likelihood indicator."""

    key: str  # figure prefix, e.g. "wres.2"
    number: str
    title: str
    base_label: str  # e.g. "Shortlisted"
    outcome_label: str  # e.g. "Appointed from shortlisting"
    outcome_words: str  # for the reading: "to be appointed from shortlisting"
    people: str  # "applicants", "staff"
    first: str  # the group on top of the ratio: "white" or "minority_ethnic"
    #: a further note under the table (who the counts include)
    note: str = ""


def entrants_note(process: str, snapshot: date) -> str:
    """Under a table of people entering a process in the year against the staff in post: who is
    counted on each side."""
    return (f"Everyone who entered the {process} during the year is counted, including people who had left "
            f"by {long_date(snapshot)} (for example, after dismissal); the rate is over the staff in post "
            "on that date.")


def likelihood_indicator(doc: Document, section: Section, spec: Likelihood, base_tally: Tally,
                         outcome_tally: Tally, s: Settings, chart: bool = True) -> Result:
    """Counts, rates and the relative likelihood (with 95% CI) of ``spec.first`` vs the other group.

    Every visible count cell declares whom it counts (``base_tally.units``, ``outcome_tally.units``).
    """
    base, outcome = base_tally.counts, outcome_tally.counts
    second = "white" if spec.first == "minority_ethnic" else "minority_ethnic"
    table_id = spec.key.replace(".", "_").replace("-", "_")
    # the table holds the counts and rates the likelihood is worked out from, not the likelihood
    what = spec.title.removeprefix("relative likelihood of ")
    table = likelihood_table(table_id, s.measure(spec.number, f"{what} by ethnic group"), "Ethnic group",
                             # White first in every table, whichever group the ratio puts first
                             [(g, s.label(g)) for g in ("white", "minority_ethnic", "unknown")],
                             base_tally, outcome_tally,
                             spec.base_label, spec.outcome_label,
                             f"{spec.people.capitalize()} whose ethnic group is not stated or not known are shown "
                             "for completeness and left out of the relative likelihood.",
                             base_known=spec.people == "staff")
    if spec.note:
        table.notes.append(spec.note)
    rl = stats.relative_likelihood(outcome[spec.first], base[spec.first], outcome[second], base[second],
                                   minimum_group=s.minimum_group)
    cells = tuple(CellRef(table_id, s.label(g), c) for g in (spec.first, second) for c in ("base", "outcome"))
    label = s.titled(f"{spec.title[0].upper()}{spec.title[1:]}: {s.label(spec.first)} compared with "
                     f"{s.label(second)} {spec.people}")
    caution = stats.small_group_caution(
        rl, [s.label(g) for g in (spec.first, second) if 0 < base[g] < s.minimum_group], s.minimum_group,
        spec.people, spec.base_label.lower())
    add_likelihood_figures(doc, spec.key, label, rl, cells, s.band_low, s.band_high, caution)
    for g in (spec.first, second):
        doc.add_figure(Figure(f"{spec.key}.{s.fig_group(g)}.rate", s.titled(
                              f"{s.label(g)} {spec.people}: {spec.outcome_label.lower()}, % of "
                              f"{spec.base_label.lower()}"),
                              stats.percentage(outcome[g], base[g]), "percent", numerator=outcome[g],
                              denominator=base[g],
                              cells=(CellRef(table_id, s.label(g), "base"), CellRef(table_id, s.label(g), "outcome"))))
    section.add(Paragraph(template="common/likelihood.j2", context={
        "key": spec.key, "first": s.label(spec.first), "second": s.label(second),
        "first_id": s.fig_group(spec.first), "second_id": s.fig_group(second),
        "people": spec.people, "outcome": spec.outcome_words, "low": s.band_low, "high": s.band_high,
        "explain": not s.repeat,
    }))
    if chart:
        section.add(Chart(f"{table_id}_chart", s.titled(f"{spec.outcome_label} as a % of "
                                                        f"{spec.base_label.lower()}, by ethnic group"),
                          table=table_id, category="group", values=["rate"], unit="percent"))
    section.add(table)
    return Result(spec.key, spec.number, spec.title, "ratio", f"{spec.key}.relative_likelihood", rl.value,
                  (outcome[spec.first], base[spec.first], outcome[second], base[second]),
                  {"groups": (s.label(spec.first), s.label(second)),
                   "group_ids": (s.fig_group(spec.first), s.fig_group(second))})


# --- survey --------------------------------------------------------------------------------

_MINORITY_WORDS = {"minority_ethnic", "minority ethnic", "bme", "bame", "ethnic minority",
                   "black and minority ethnic", "global majority", "non-white", "non white"}
_WHITE_WORDS = {"white", "all white", "white (all)"}


def survey_groups(group: pd.Series) -> pd.Series:
    """Survey group labels to white / minority_ethnic / unknown; detailed categories are classified."""
    text = group.astype("string").str.strip().str.lower()
    out = pd.Series("unknown", index=group.index, dtype=object)
    out[text.isin(_WHITE_WORDS).fillna(False).to_numpy(dtype=bool)] = "white"
    out[text.isin(_MINORITY_WORDS).fillna(False).to_numpy(dtype=bool)] = "minority_ethnic"
    rest = (out == "unknown").to_numpy(dtype=bool)
    if rest.any():

        classified = classify(group[rest].astype(str))
        out[rest] = classified["ethnic_binary"].to_numpy()
    return out


def survey_percentages(survey: pd.DataFrame) -> pd.Series:
    """The ``percentage`` column on a 0-100 scale, exactly as given.

    A column whose values are all between 0 and 1 (a spreadsheet's percent-formatted cells read as
    fractions) is scaled by 100; anything outside 0-100 is left out (see :func:`survey_problems`).
    """
    if "percentage" not in survey.columns:
        return pd.Series(float("nan"), index=survey.index, dtype=float)
    pct = pd.to_numeric(survey["percentage"], errors="coerce").astype(float)
    given = pct.dropna()
    if len(given) and given.max() <= 1 and given.min() >= 0 and given.max() > 0:
        pct = (pct * 100).round(10)
    return pct.where((pct >= 0) & (pct <= 100))


def survey_problems(survey: pd.DataFrame | None) -> list[str]:
    """Warnings about survey rows: percentages that disagree with their counts, unusable rows.

    When both ``positive`` and ``percentage`` are given, the counts are used for rates and ratios
    and the percentage is published as given, so the two must agree within rounding (half a
    percentage point, the rounding of a whole-number percentage).
    """
    if survey is None or not len(survey):
        return []
    # only the rows of ethnic groups: other standards' rows (the WDES's disabled and non-disabled
    # groups, its engagement scores) share the table and are theirs to check
    survey = survey[survey_groups(survey["group"]).isin(["white", "minority_ethnic"]).to_numpy(dtype=bool)]
    problems: list[str] = []
    resp = pd.to_numeric(survey["respondents"], errors="coerce").astype(float)
    pos = pd.to_numeric(survey["positive"], errors="coerce").astype(float) if "positive" in survey.columns \
        else pd.Series(float("nan"), index=survey.index)
    raw_pct = pd.to_numeric(survey["percentage"], errors="coerce") if "percentage" in survey.columns \
        else pd.Series(float("nan"), index=survey.index)
    pct = survey_percentages(survey)

    def where(i: Any) -> str:
        row = survey.loc[i]
        service = f", service {row['service']}" if "service" in survey.columns and not pd.isna(row["service"]) else ""
        return f"staff_survey ({row['question']}, {row['group']}{service})"

    for i in survey.index[raw_pct.notna() & pct.isna()]:
        problems.append(f"{where(i)}: percentage {raw_pct[i]:g} is not between 0 and 100; the row's "
                        f"percentage is left out")
    for i in survey.index[pos.isna() & pct.isna()]:
        problems.append(f"{where(i)}: neither positive nor percentage is given; the row is left out")
    for i in survey.index[pos.notna() & resp.notna() & (pos > resp)]:
        problems.append(f"{where(i)}: positive ({pos[i]:g}) is more than respondents ({resp[i]:g})")
    both = pos.notna() & pct.notna() & (resp > 0)
    derived = 100 * pos / resp.where(resp > 0)
    for i in survey.index[both & ((derived - pct).abs() > 0.5 + 1e-9)]:
        problems.append(f"{where(i)}: the percentage given ({pct[i]:g}%) does not match positive / respondents "
                        f"({pos[i]:g} of {resp[i]:g} = {derived[i]:.1f}%) within rounding; the report publishes "
                        f"the percentage as given and uses the counts for ratios")
    return problems


@dataclass
class SurveyResult:
    """One question's results per group, as the survey gave them.

    ``yes`` is the number answering yes used for rates and ratios: the ``positive`` counts when
    given, else the percentage given times the respondents (not rounded). ``positive`` is the
    count as given (None when the group's rows do not all give it). ``pct`` is the percentage to
    publish: as given when the group has one row with a percentage, else worked out from ``yes``.
    """

    respondents: dict[str, float]
    yes: dict[str, float]
    positive: dict[str, float | None]
    pct: dict[str, float | None]
    decimals: int = 1  # decimals needed to show every percentage given exactly
    #: whom each group's respondents and those answering yes count, for a survey given by service:
    #: units of the survey rows (:func:`tallied_units`), so a whole workforce adding up its services'
    #: rows is audited as their sum (its count less one service's would otherwise give the other's away)
    respondent_units: dict[str, np.ndarray] = field(default_factory=dict)
    yes_units: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def has_data(self) -> bool:
        return sum(self.respondents.values()) > 0


def _decimals(values: Iterable[float]) -> int:
    most = 1
    for v in values:
        text = f"{round(float(v), 6):.6f}".rstrip("0")
        most = max(most, len(text.split(".")[1]) if "." in text else 0)
    return min(most, 4)


def survey_results(survey: pd.DataFrame | None, question: str, groups: tuple[str, ...]) -> SurveyResult:
    """Respondents, people answering yes and the percentage to publish, per group, for one question."""
    respondents = {g: 0.0 for g in groups}
    yes = {g: 0.0 for g in groups}
    positive: dict[str, float | None] = {g: None for g in groups}
    pct: dict[str, float | None] = {g: None for g in groups}
    resp_units: dict[str, np.ndarray] = {}
    yes_units: dict[str, np.ndarray] = {}
    decimals = 1
    if survey is not None and len(survey):
        mask = (survey["question"].astype("string").str.strip().str.lower() == question).fillna(False)
        rows = survey[mask.to_numpy(dtype=bool)]
        if len(rows):
            grp = survey_groups(rows["group"]).to_numpy()
            resp = pd.to_numeric(rows["respondents"], errors="coerce").astype(float).fillna(0).to_numpy()
            pos = (pd.to_numeric(rows["positive"], errors="coerce").astype(float).to_numpy()
                   if "positive" in rows.columns else np.full(len(rows), np.nan))
            given_pct = survey_percentages(rows).to_numpy()
            row_yes = np.where(~np.isnan(pos), pos, given_pct * resp / 100)
            usable = ~np.isnan(row_yes)
            # units only where a whole and its services are published from the same rows: a survey
            # given by service (without, no published count adds up another)
            by_service = "service" in rows.columns
            service = rows["service"].astype("string").str.strip().str.lower().fillna("") \
                if by_service else pd.Series("", index=rows.index, dtype="string")
            pools = (pd.Series(grp, index=rows.index).astype("string") + "|" + service).to_numpy(dtype=object)
            for g in groups:
                m = (grp == g) & usable
                if not m.any():
                    continue
                if by_service:  # the same group of one service answering several questions: the same respondents
                    resp_units[g], yes_units[g] = tallied_units("staff_survey", list(pools[m]), np.round(resp[m]),
                                                                np.round(row_yes[m]), part_of=question)
                respondents[g] = float(resp[m].sum())
                yes[g] = float(row_yes[m].sum())
                positive[g] = float(pos[m].sum()) if not np.isnan(pos[m]).any() else None
                if m.sum() == 1 and not np.isnan(given_pct[m]).any():
                    pct[g] = float(given_pct[m][0])  # published exactly as given
                    decimals = max(decimals, _decimals([pct[g]]))
                else:
                    pct[g] = stats.percentage(yes[g], respondents[g])
    return SurveyResult(respondents, yes, positive, pct, decimals, resp_units, yes_units)


@dataclass(frozen=True)
class Survey:
    """How to word one survey indicator."""

    key: str  # figure prefix, e.g. "wres.5" or "sc-wres.adults.7a"
    number: str
    question: str  # the staff_survey question id
    title: str  # "Staff experiencing harassment, bullying or abuse from colleagues"
    words: str = ""  # for a ratio's reading: "experiencing harassment, bullying or abuse from colleagues"


def survey_indicator(doc: Document, section: Section, survey: pd.DataFrame | None, spec: Survey, s: Settings,
                     groups: tuple[str, ...], ratio_first: str | None = None) -> Result:
    """Percentage of respondents in each group answering yes, published as the survey gave it.

    With ``ratio_first`` (the SC-WRES: "minority_ethnic") the headline is the relative likelihood
    of that group answering yes compared with the other, with its 95% confidence interval;
    otherwise (NHS WRES 5-8) it is the difference between the percentages in points.
    """
    key, number, title = spec.key, spec.number, spec.title
    table_id = key.replace(".", "_").replace("-", "_")
    res = survey_results(survey, spec.question, groups)
    respondents = [int(round(res.respondents[g])) for g in groups]
    positive = [None if res.positive[g] is None else int(round(res.positive[g])) for g in groups]
    yes = [int(round(res.yes[g])) for g in groups]
    table = survey_table(
        table_id, s.measure(number, title[:1].lower() + title[1:]), "Ethnic group", [s.label(g) for g in groups],
        respondents, positive, yes, [res.pct[g] for g in groups], res.decimals, s.survey_source,
        ["Percentages are published as the survey gave them; where only a percentage was given, the number "
         "answering yes is not shown ([x])."] if any(res.positive[g] is None and res.pct[g] is not None
                                                     for g in groups) else [])
    for i, g in enumerate(groups):  # declared only where the units add up to the count shown
        resp_units, yes_units = res.respondent_units.get(g), res.yes_units.get(g)
        if resp_units is None or yes_units is None or len(resp_units) != respondents[i]:
            continue
        table.units[(i, "respondents")] = resp_units
        if positive[i] is not None and len(yes_units) == positive[i]:
            table.units[(i, "positive")] = yes_units
        if res.pct[g] is not None and len(yes_units) == yes[i]:
            table.shares[(i, "pct")] = (yes_units, resp_units)

    def refs(*groups_: str) -> tuple[CellRef, ...]:
        if not res.has_data:  # no table is shown, and every figure is not calculable
            return ()
        # the percentage too: withheld to protect a count (the joint pass may choose it), the figures
        # restating it or computed from it go with it
        return tuple(CellRef(table_id, s.label(g), c) for g in groups_
                     for c in ("respondents", "positive", "yes", "pct"))

    for g in groups:
        doc.add_figure(Figure(f"{key}.{s.fig_group(g)}.pct", s.titled(f"{s.label(g)} respondents: {title}"), res.pct[g],
                              "percent", numerator=res.positive[g], denominator=res.respondents[g], cells=refs(g)))
    white, minority = ("white", "minority_ethnic")
    context: dict[str, Any] = {
        "key": key, "white": s.label(white), "minority": s.label(minority), "white_id": s.fig_group(white),
        "minority_id": s.fig_group(minority), "has_data": res.has_data, "decimals": res.decimals,
        "ratio": ratio_first is not None, "words": spec.words, "term": s.term, "number": number,
    }
    counts = (res.yes[minority], res.respondents[minority], res.yes[white], res.respondents[white])
    if ratio_first is None:
        diff = stats.percentage_point_difference(res.pct[minority], res.pct[white])
        doc.add_figure(Figure(f"{key}.difference_pp",
                              s.titled(f"{s.label(minority)} minus {s.label(white)} respondents, percentage points"),
                              diff, "pp", cells=refs(white, minority)))
        result = Result(key, number, title, "pp", f"{key}.difference_pp", diff, counts)
    else:
        second = white if ratio_first == minority else minority
        rl = stats.relative_likelihood(res.yes[ratio_first], res.respondents[ratio_first], res.yes[second],
                                       res.respondents[second], minimum_group=s.minimum_group)
        cells = refs(ratio_first, second)
        label = s.titled(f"{title}: {s.label(ratio_first)} compared with {s.label(second)} respondents")
        caution = stats.small_group_caution(
            rl, [s.label(g) for g in (ratio_first, second) if 0 < res.respondents[g] < s.minimum_group],
            s.minimum_group, "respondents", "to this question")
        add_likelihood_figures(doc, key, label, rl, cells, s.band_low, s.band_high, caution)
        context.update(first=s.label(ratio_first), second=s.label(second), first_id=s.fig_group(ratio_first),
                       second_id=s.fig_group(second), low=s.band_low, high=s.band_high)
        result = Result(key, number, title, "ratio", f"{key}.relative_likelihood", rl.value,
                        (res.yes[ratio_first], res.respondents[ratio_first], res.yes[second], res.respondents[second]))
    if not res.has_data:  # no survey results: the summary says [x] (not available), not "not calculable"
        result = replace(result, figure=None, value=None)
    section.add(Paragraph(template="wres-common/survey.j2", context=context))
    if res.has_data:
        section.add(Chart(f"{table_id}_chart", s.titled(f"{title}: % of respondents, by ethnic group"),
                          table=table_id, category="group", values=["pct"],
                          unit="percent"))
        section.add(table)
    return result


# --- difference in representation ----------------------------------------------------------

def difference_indicator(doc: Document, section: Section, key: str, number: str, title: str,
                         rows: list[tuple[str, str, Tally]], s: Settings,
                         comparisons: list[tuple[str, str, str]],
                         population_pct: float | None = None, population_label: str = "",
                         public_rows: tuple[str, ...] = ()) -> Result:
    """Group shares in subgroups (board, senior managers) against the workforce, in points.

    ``rows`` are (row id, label, counts by group and whom they count); ``comparisons`` are
    (figure suffix, row id, row id compared with): the difference is the minority share of the first minus the second
    (suffix "" gives ``<key>.difference_pp``). With ``population_pct`` (a local population's
    minority share) the first row is also compared with it as ``<key>.population.difference_pp``.
    ``public_rows`` are the labels of rows counting people named in public (the board): they may
    show every member in one group (``Table.public_rows``).
    """
    table_id = key.replace(".", "_").replace("-", "_")
    table = share_table(table_id, s.measure(number, title), [(label, c) for _, label, c in rows],
                        {g: s.label(g) for g in GROUPS}, "minority_ethnic",
                        "Percentages are over all people in the row, including those whose ethnic group is not "
                        "stated or not known.")
    table.public_rows = public_rows

    said = share_differences(doc, table, key, rows, s.fig_group("minority_ethnic"), s.label("minority_ethnic"),
                             comparisons, s.titled)
    if population_pct is not None:
        first = rows[0][1]  # the first row's label; its share is the table's first
        fid = f"{key}.population.difference_pp"
        doc.add_figure(Figure(f"{key}.population.{s.fig_group('minority_ethnic')}.pct",
                              s.titled(f"{population_label}: {s.label('minority_ethnic')} share, %"),
                              population_pct, "percent"))
        doc.add_figure(Figure(fid, s.titled(f"{first}: {s.label('minority_ethnic')} share minus the "
                                            f"{population_label.lower()} share, percentage points"),
                              stats.percentage_point_difference(table.data.at[0, "minority_ethnic_pct"],
                                                                population_pct), "pp",
                              cells=(CellRef(table_id, first, "minority_ethnic_pct"),)))
        said.append((fid, first, population_label.lower()))
    section.add(Paragraph(template="wres-common/difference.j2", context={
        "comparisons": said, "minority": s.label("minority_ethnic"),
        "population": population_label.lower() if population_pct is not None else "", "source": s.benchmark,
        "population_fid": f"{key}.population.{s.fig_group('minority_ethnic')}.pct"}))
    section.add(share_chart(table, s.label("minority_ethnic"), f"{s.scope}: " if s.scope else ""))
    section.add(table)
    headline = said[0][0]
    return Result(key, number, title, "pp", headline, doc.figures[headline].value,  # type: ignore[arg-type]
                  tuple(float(x) for _, _, c in rows[:2] for x in (c["minority_ethnic"], c.total)))


@dataclass
class Computed:
    """Everything one report's indicators produced for one dataset (or one service)."""

    sections: list[Section]
    results: list[Result]
    quality: list[tuple[str, int | float | None, str]] = field(default_factory=list)
    #: whom a data-quality row counts (by its measure), where it counts staff in the workforce
    quality_units: dict[str, np.ndarray] = field(default_factory=dict)
    #: for whoever runs the tool: what to add to report the indicators not reported
    notes: list[str] = field(default_factory=list)


#: the data behind an indicator: in a reader's words, and what the operator adds to the dataset
MISSING_DATA: dict[str, tuple[str, str]] = {
    "applications": ("recruitment data", "the applications table"),
    "applications.service": ("recruitment data for this service",
                             "applications for this service (the service of each applicant's post)"),
    "disciplinary": ("disciplinary records", "the disciplinary table"),
    "training": ("training records", "the training table"),
    "fitness_to_practise": ("fitness to practise referrals",
                            "the fitness_to_practise table and staff.regulated_professional"),
    "leavers": ("leavers' records", "the leavers table"),
    "leavers.service": ("leavers' records by service", "a service column in the leavers table"),
}


def not_reported(section: Section, s: Settings, number: str, data: str, notes: list[str]) -> None:
    """Say in ``section`` that indicator ``number`` is not reported because ``data`` was not
    available, and add to ``notes`` what the operator adds to report it."""
    what, where = MISSING_DATA[data]
    section.add(Paragraph(template="wres-common/no-data.j2", context={"what": what, "term": s.term,
                                                                       "number": number}))
    notes.append(f"{s.term} {number} is not reported: add {where} to the dataset (see docs/data-contract.md).")


#: the note for the operator when a survey indicator has no results
SURVEY_NOTE = ("The staff survey indicators are not reported: add the staff_survey table (respondents and the "
               "number or percentage answering yes, for each group; see docs/data-contract.md).")


# --- summary and comparison ----------------------------------------------------------------

def add_previous(doc: Document, results: list[Result], previous: dict[str, float | None],
                 withheld: set[str]) -> bool:
    """Last year's value and the change for each headline known last year; True if any was."""
    found = False
    for r in results:
        if r.figure is None or (r.figure not in previous and r.figure not in withheld):
            continue
        found = True
        fig = doc.figures[r.figure]
        suppressed = r.figure in withheld
        last = previous.get(r.figure)
        doc.add_figure(Figure(f"{r.figure}.previous", f"{fig.label} (previous year)", last, r.unit,  # type: ignore[arg-type]
                              suppressed=suppressed))
        change = None if r.value is None or last is None else r.value - last
        doc.add_figure(Figure(f"{r.figure}.change", f"{fig.label}: change since the previous year", change,
                              "pp" if r.unit != "ratio" else "ratio", cells=fig.cells, suppressed=suppressed))
    return found


def previous_suppressed(result: Result, threshold: int, audience: str) -> bool:
    """Would last year's publication have withheld this headline? (any count 1..threshold-1)."""
    if audience != "publication":
        return False
    return any(0 < c < threshold for c in result.counts)
