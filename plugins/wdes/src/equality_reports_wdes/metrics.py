"""The building blocks of the WDES metrics: disability groups, and the four shapes of metric.

* representation: staff by band and disability group, with shares of each row (metric 1);
* likelihood: the rate of an outcome in two groups and their ratio, with a 95% confidence
  interval (metrics 2 and 3);
* survey: the percentage (or score) of survey respondents in each group, as the survey gave it
  (metrics 4-9a);
* difference: the disabled share of the board minus that of the workforce, in points (metric 10).

Every count a table publishes declares whom it counts (``Tally.units``), so the joint
disclosure audit protects it; percentages and ratios name the counts they come from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from equality_reports import (
    CellRef,
    Chart,
    Column,
    Document,
    Figure,
    Headline,
    Paragraph,
    Section,
    Table,
    Tally,
    add_likelihood_figures,
    count_by_group,
    likelihood_table,
    share_chart,
    share_differences,
    share_table,
    stats,
    survey_table,
)

#: the groups every WDES count is split by; "unknown" holds not stated and not known
GROUPS = ("disabled", "non_disabled", "unknown")
LABELS = {"disabled": "Disabled", "non_disabled": "Non-disabled", "unknown": "Not known"}
#: the column of a table holding the group of each row
COLUMN = "disability_group"

_CATEGORY_GROUP = {"disabled": "disabled", "not_disabled": "non_disabled"}


def disability_groups(categories: pd.Series | None, index: pd.Index) -> pd.Series:
    """Classified disability categories (``disabled``, ``not_disabled``, ``not_stated``,
    ``not_known``) to the WDES groups. Not stated and not known (and a missing column) are
    ``unknown``: never folded into non-disabled."""
    if categories is None:
        return pd.Series("unknown", index=index, dtype=object)
    return categories.astype(object).map(_CATEGORY_GROUP).fillna("unknown").astype(object)


def with_groups(frame: pd.DataFrame, column: str = "disability") -> pd.DataFrame:
    """``frame`` with :data:`COLUMN` from its classified ``column``."""
    return frame.assign(**{COLUMN: disability_groups(frame.get(column), frame.index)})


def with_staff_disability(events: pd.DataFrame, staff: pd.DataFrame) -> pd.DataFrame:
    """Event rows with :data:`COLUMN`, one status per person (``person_id``):

    1. the known status (disabled or non-disabled) the person's own rows give: any of their rows,
       so a blank row and a "Yes" row make the person disabled;
    2. when their rows give none, or disagree (one "Yes", another "No"), the status on their
       ``staff`` record;
    3. otherwise not known.

    A row without ``person_id`` stands for itself (its own status, else not known).
    ``disability_source`` says which (own, staff, unknown); ``disability_conflict`` marks the rows
    of people whose rows disagree."""
    own = disability_groups(events.get("disability"), events.index)
    known = own != "unknown"
    ids = events["person_id"] if "person_id" in events.columns else pd.Series(pd.NA, index=events.index)
    has_id = ids.notna()
    given = pd.DataFrame({"id": ids[known & has_id], "group": own[known & has_id]})
    per = given.groupby("id", sort=False)["group"].agg(["nunique", "first"])
    agreed = per.loc[per["nunique"] == 1, "first"]
    conflict = ids.isin(per.index[per["nunique"] > 1]).to_numpy(dtype=bool) & has_id.to_numpy(dtype=bool)
    person = ids.map(agreed).astype(object).where(has_id, own.where(known))
    lookup = with_groups(staff).drop_duplicates("person_id").set_index("person_id")[COLUMN]
    from_staff = ids.map(lookup).fillna("unknown").astype(object)
    use_own = person.notna().to_numpy(dtype=bool)
    group = person.where(use_own, from_staff)
    source = np.where(use_own, "own", np.where(from_staff != "unknown", "staff", "unknown"))
    return events.assign(**{COLUMN: group.astype(object), "disability_source": source,
                            "disability_conflict": conflict})


@dataclass(frozen=True)
class Settings:
    labels: dict[str, str] = field(default_factory=lambda: dict(LABELS))
    minimum_group: int = 10
    band_low: float = 0.80
    band_high: float = 1.25
    #: the staff survey the results come from ("NHS Staff Survey 2025"); "" when not given
    survey: str = ""

    @property
    def survey_source(self) -> str:
        """A survey table's source line."""
        return f"{self.survey}, the organisation's results." if self.survey else "The organisation's staff survey."

    def label(self, group: str) -> str:
        return self.labels[group]


#: one metric's headline, for the summary table
Result = Headline


def tally(kind: str, frame: pd.DataFrame, mask: pd.Series | None = None) -> Tally:
    """People, applicants or rows per disability group, with whom each count counts."""
    return count_by_group(kind, frame, COLUMN, GROUPS, mask)  # type: ignore[arg-type]


def as_bool(series: pd.Series | None, default: bool, index: pd.Index) -> pd.Series:
    """A boolean column with missing values (or a missing column) taken as ``default``."""
    if series is None:
        return pd.Series(default, index=index, dtype=bool)
    return series.astype("boolean").fillna(default).astype(bool)


def table_id(key: str) -> str:
    return key.replace(".", "_").replace("-", "_")


# --- likelihood (metrics 2 and 3) ----------------------------------------------------------------

@dataclass(frozen=True)
class Likelihood:
    key: str
    number: str
    title: str
    base_label: str  # "Shortlisted"
    outcome_label: str  # "Appointed from shortlisting"
    outcome_words: str  # "to be appointed from shortlisting"
    people: str  # "applicants", "staff"
    first: str  # the group on top of the ratio


def likelihood_metric(doc: Document, section: Section, spec: Likelihood, base: Tally, outcome: Tally,
                      s: Settings) -> Result:
    """Counts, rates and the relative likelihood (95% CI) of ``spec.first`` compared with the other group."""
    second = "non_disabled" if spec.first == "disabled" else "disabled"
    tid = table_id(spec.key)
    # the table holds the counts and rates the likelihood is worked out from, not the likelihood
    what = spec.title.removeprefix("relative likelihood of ")
    table = likelihood_table(tid, f"Metric {spec.number}: {what} by disability", "Disability",
                             [(g, s.label(g)) for g in (spec.first, second, "unknown")], base, outcome,
                             spec.base_label, spec.outcome_label,
                             "People whose disability status is not stated or not known are shown for completeness "
                             "and left out of the relative likelihood.",
                             base_known=spec.people == "staff")
    rl = stats.relative_likelihood(outcome[spec.first], base[spec.first], outcome[second], base[second],
                                   minimum_group=s.minimum_group)
    cells = tuple(CellRef(tid, s.label(g), c) for g in (spec.first, second) for c in ("base", "outcome"))
    label = (f"{spec.title[0].upper()}{spec.title[1:]}: {s.label(spec.first)} compared with "
             f"{s.label(second).lower()} {spec.people}")
    caution = stats.small_group_caution(rl, [s.label(g) for g in (spec.first, second) if 0 < base[g] < s.minimum_group],
                                        s.minimum_group, spec.people)
    add_likelihood_figures(doc, spec.key, label, rl, cells, s.band_low, s.band_high, caution)
    for g in (spec.first, second):
        doc.add_figure(Figure(f"{spec.key}.{g}.rate", f"{s.label(g)} {spec.people}: {spec.outcome_label.lower()}, "
                              f"% of {spec.base_label.lower()}", stats.percentage(outcome[g], base[g]), "percent",
                              numerator=outcome[g], denominator=base[g],
                              cells=(CellRef(tid, s.label(g), "base"), CellRef(tid, s.label(g), "outcome"))))
    section.add(Paragraph(template="common/likelihood.j2", context={
        "term": "metric", "key": spec.key, "first": s.label(spec.first), "second": s.label(second).lower(),
        "first_id": spec.first, "second_id": second, "people": spec.people, "outcome": spec.outcome_words,
        "low": s.band_low, "high": s.band_high}))
    section.add(Chart(f"{tid}_chart", f"{spec.outcome_label} as a % of {spec.base_label.lower()}, by disability",
                      table=tid, category="group", values=["rate"], unit="percent"))
    section.add(table)
    return Result(spec.key, spec.number, spec.title, "ratio", f"{spec.key}.relative_likelihood", rl.value)


# --- survey (metrics 4-9a) -----------------------------------------------------------------------

_SURVEY_GROUPS = {
    "disabled": "disabled", "disabledstaff": "disabled", "disabledrespondents": "disabled",
    "withadisability": "disabled", "disabledlltc": "disabled", "yes": "disabled",
    "nondisabled": "non_disabled", "notdisabled": "non_disabled", "nondisabledstaff": "non_disabled",
    "nondisabledrespondents": "non_disabled", "withoutadisability": "non_disabled", "no": "non_disabled",
    "all": "all", "allstaff": "all", "overall": "all", "organisation": "all", "trust": "all",
    "allrespondents": "all",
}


def survey_group(group: pd.Series) -> pd.Series:
    """Survey group labels to ``disabled``, ``non_disabled``, ``all`` (the whole organisation) or
    None (another standard's groups, e.g. the WRES's ethnic groups, which the WDES leaves alone)."""
    text = group.astype("string").fillna("").str.lower().str.replace(r"[^a-z0-9]+", "", regex=True)
    return text.map(_SURVEY_GROUPS).astype(object)


def survey_percentages(survey: pd.DataFrame) -> pd.Series:
    """The ``percentage`` column on a 0-100 scale, exactly as given (a column of fractions from a
    percent-formatted spreadsheet is scaled by 100)."""
    if "percentage" not in survey.columns:
        return pd.Series(np.nan, index=survey.index, dtype=float)
    pct = pd.to_numeric(survey["percentage"], errors="coerce").astype(float)
    given = pct.dropna()
    if len(given) and given.max() <= 1 and given.min() >= 0 and given.max() > 0:
        pct = (pct * 100).round(10)
    return pct.where((pct >= 0) & (pct <= 100))


def survey_rows(survey: pd.DataFrame | None, question: str) -> pd.DataFrame:
    """The WDES rows of one question: group, respondents, positive, percentage, score."""
    if survey is None or not len(survey):
        return pd.DataFrame(columns=["group", "respondents", "positive", "percentage", "score"])
    q = survey["question"].astype("string").str.strip().str.lower().fillna("")
    rows = survey[(q == question).to_numpy(dtype=bool)]
    out = pd.DataFrame({
        "group": survey_group(rows["group"]),
        "respondents": pd.to_numeric(rows["respondents"], errors="coerce").astype(float),
        "positive": pd.to_numeric(rows["positive"], errors="coerce").astype(float) if "positive" in rows.columns
        else np.nan,
        "percentage": survey_percentages(rows),
        "score": pd.to_numeric(rows["score"], errors="coerce").astype(float) if "score" in rows.columns else np.nan,
    }, index=rows.index)
    return out[out["group"].notna().to_numpy(dtype=bool)]


@dataclass
class SurveyResult:
    respondents: dict[str, int]
    positive: dict[str, int | None]  # as given (None when not given)
    yes: dict[str, int]  # given, or implied by the percentage, for disclosure control
    pct: dict[str, float | None]  # as given when given, else positive / respondents
    decimals: int = 1

    @property
    def has_data(self) -> bool:
        return sum(self.respondents.values()) > 0


def survey_result(rows: pd.DataFrame, groups: tuple[str, ...]) -> SurveyResult:
    """Per group: the group's row (the first when repeated; see :func:`survey_problems`)."""
    first = rows[~rows["group"].duplicated().to_numpy(dtype=bool)].set_index("group")
    res = SurveyResult({}, {}, {}, {})
    for g in groups:
        if g not in first.index or pd.isna(first.at[g, "respondents"]):
            res.respondents[g], res.positive[g], res.yes[g], res.pct[g] = 0, None, 0, None
            continue
        n, pos, pct = first.at[g, "respondents"], first.at[g, "positive"], first.at[g, "percentage"]
        res.respondents[g] = int(n)
        res.positive[g] = None if pd.isna(pos) else int(pos)
        res.yes[g] = int(pos) if not pd.isna(pos) else (0 if pd.isna(pct) else int(round(pct * n / 100)))
        res.pct[g] = float(pct) if not pd.isna(pct) else (None if pd.isna(pos) else stats.percentage(pos, n))
        if not pd.isna(pct):
            text = f"{round(float(pct), 6):.6f}".rstrip("0")
            res.decimals = min(max(res.decimals, len(text.split(".")[1])), 4)
    return res


@dataclass(frozen=True)
class Survey:
    key: str  # "wdes.4a.public"
    number: str  # "4a"
    question: str  # staff_survey question id
    title: str  # "Staff experiencing harassment, bullying or abuse from managers"


def survey_metric(doc: Document, section: Section, survey: pd.DataFrame | None, spec: Survey, s: Settings,
                  disabled_only: bool = False) -> Result:
    """The percentage of disabled and non-disabled respondents answering yes, as the survey gave it;
    the headline is the difference (disabled minus non-disabled, points), or with ``disabled_only``
    the disabled percentage (metric 8)."""
    groups = ("disabled",) if disabled_only else ("disabled", "non_disabled")
    res = survey_result(survey_rows(survey, spec.question), groups)
    tid = table_id(spec.key)
    table = survey_table(tid, f"Metric {spec.number}: {spec.title[0].lower() + spec.title[1:]}", "Disability",
                         [s.label(g) for g in groups], [res.respondents[g] for g in groups],
                         [res.positive[g] for g in groups], [res.yes[g] for g in groups], [res.pct[g] for g in groups],
                         res.decimals, s.survey_source)

    def refs(*gs: str) -> tuple[CellRef, ...]:
        if not res.has_data:
            return ()
        return tuple(CellRef(tid, s.label(g), c) for g in gs for c in ("respondents", "positive", "yes"))

    for g in groups:
        doc.add_figure(Figure(f"{spec.key}.{g}.pct", f"{s.label(g)} respondents: {spec.title[0].lower()}"
                              f"{spec.title[1:]}", res.pct[g], "percent", numerator=res.yes[g],
                              denominator=res.respondents[g], cells=refs(g)))
    if disabled_only:
        headline, unit = f"{spec.key}.disabled.pct", "percent"
    else:
        headline, unit = f"{spec.key}.difference_pp", "pp"
        doc.add_figure(Figure(headline, f"{spec.title}: disabled minus non-disabled respondents, percentage points",
                              stats.percentage_point_difference(res.pct["disabled"], res.pct["non_disabled"]),
                              "pp", cells=refs("disabled", "non_disabled")))
    section.add(Paragraph(template="wdes/survey.j2", context={
        "key": spec.key, "has_data": res.has_data, "decimals": res.decimals, "disabled_only": disabled_only,
        "number": spec.number, "disabled": s.label("disabled"), "non_disabled": s.label("non_disabled")}))
    if res.has_data:
        if not disabled_only:
            section.add(Chart(f"{tid}_chart", f"{spec.title}: % of respondents, by disability", table=tid,
                              category="group", values=["pct"], unit="percent"))
        section.add(table)
    return Result(spec.key, spec.number, spec.title, unit, headline, doc.figures[headline].value)  # type: ignore[arg-type]


def engagement_metric(doc: Document, section: Section, survey: pd.DataFrame | None, key: str, s: Settings
                      ) -> Result:
    """Metric 9a: the staff engagement score (out of 10) of disabled and non-disabled respondents
    and of the whole organisation, as the survey gave it; the headline is disabled minus non-disabled."""
    groups = ("disabled", "non_disabled", "all")
    labels = {**s.labels, "all": "Whole organisation"}
    rows = survey_rows(survey, "engagement")
    first = rows[~rows["group"].duplicated().to_numpy(dtype=bool)].set_index("group")
    resp = {g: int(first.at[g, "respondents"]) if g in first.index and not pd.isna(first.at[g, "respondents"])
            else 0 for g in groups}
    score = {g: float(first.at[g, "score"]) if g in first.index and not pd.isna(first.at[g, "score"]) else None
             for g in groups}
    tid = table_id(key)
    rest = resp["all"] - resp["disabled"] - resp["non_disabled"]
    # the whole organisation's respondents less the two groups' are those whose disability status is
    # not known: a row of their own (no score given: [x]), so that a few of them are protected as a
    # small count ("47 - 10 - 35" gave 2 respondents, and their score from the means); a whole
    # smaller than its parts (the survey's own inconsistency) is shown as given, adding up nothing
    adds_up = resp["all"] > 0 and rest >= 0
    shown = [*groups[:2], *(["unknown"] if adds_up and rest else []), "all"]
    counts = {**resp, "unknown": rest}
    data = pd.DataFrame({"group": [labels[g] for g in shown], "respondents": [counts[g] for g in shown],
                         "score": [score.get(g) for g in shown]})
    table = Table(tid, "Metric 9a: staff engagement score (out of 10)", [
        Column("group", "Group"), Column("respondents", "Respondents", "count", external=True),
        Column("score", "Engagement score (0 to 10)", "number", derived_from=("respondents",), decimals=2)],
        data, row_key="group", rows_additive=adds_up, total_row=adds_up,
        notes=["The survey gives no score for respondents whose disability status is not known ([x])."]
        if adds_up and rest else [], source=s.survey_source)
    if "unknown" in shown:
        table.not_available = {(shown.index("unknown"), "score")}
    has_data = any(v is not None for v in score.values())

    def refs(*gs: str) -> tuple[CellRef, ...]:
        return tuple(CellRef(tid, labels[g], c) for g in gs for c in ("respondents", "score")) if has_data else ()

    for g in groups:
        doc.add_figure(Figure(f"{key}.{g}.score", f"Engagement score: {labels[g].lower()}", score[g], "score",
                              cells=refs(g)))
    diff = None if score["disabled"] is None or score["non_disabled"] is None else \
        round(score["disabled"] - score["non_disabled"], 6)
    doc.add_figure(Figure(f"{key}.difference", "Engagement score: disabled minus non-disabled respondents", diff,
                          "score", cells=refs("disabled", "non_disabled")))
    section.add(Paragraph(template="wdes/engagement.j2", context={"key": key, "has_data": has_data}))
    if has_data:
        section.add(table)
    return Result(key, "9a", "Staff engagement score, disabled minus non-disabled (points out of 10)", "score",
                  f"{key}.difference", diff)


def survey_problems(survey: pd.DataFrame | None) -> list[tuple[str, Any, str, Any, str]]:
    """(message, row index, column, value, fix) for WDES survey rows that cannot be read as given."""
    if survey is None or not len(survey):
        return []
    out: list[tuple[str, Any, str, Any, str]] = []
    q = survey["question"].astype("string").str.strip().str.lower().fillna("")
    group = survey_group(survey["group"])
    wdes = group.notna() & q.isin(["harassment_public", "harassment_manager", "harassment_colleague",
                                   "harassment_reported", "equal_opportunities", "presenteeism", "valued",
                                   "adjustments", "engagement"]).to_numpy(dtype=bool)
    rows = survey[wdes.to_numpy(dtype=bool)]
    if not len(rows):
        return []
    key = q[rows.index] + "|" + group[rows.index].astype(str)
    for i in rows.index[key.duplicated().to_numpy(dtype=bool)]:
        out.append((f"question {survey.at[i, 'question']} has more than one row for group "
                    f"{survey.at[i, 'group']}; the first is used", i, "group", survey.at[i, "group"],
                    "keep one row per question and group"))
    resp = pd.to_numeric(rows["respondents"], errors="coerce").astype(float)
    pos = pd.to_numeric(rows["positive"], errors="coerce").astype(float) if "positive" in rows.columns else \
        pd.Series(np.nan, index=rows.index)
    pct = survey_percentages(rows)
    score = pd.to_numeric(rows["score"], errors="coerce").astype(float) if "score" in rows.columns else \
        pd.Series(np.nan, index=rows.index)
    engagement = (q[rows.index] == "engagement").to_numpy(dtype=bool)
    for i in rows.index[engagement & score.isna().to_numpy(dtype=bool)]:
        out.append(("the engagement question has no score; the row is left out", i, "score", None,
                    "give the engagement score out of 10 in the score column"))
    for i in rows.index[~engagement & (pos.isna() & pct.isna()).to_numpy(dtype=bool)]:
        out.append(("neither positive nor percentage is given; the row is left out", i, "positive", None,
                    "give the number answering yes (positive) or the percentage"))
    for i in rows.index[(pos > resp).to_numpy(dtype=bool)]:
        out.append((f"positive ({pos[i]:g}) is more than respondents ({resp[i]:g})", i, "positive", pos[i],
                    "check the two counts"))
    derived = 100 * pos / resp.where(resp > 0)
    for i in rows.index[(pos.notna() & pct.notna() & ((derived - pct).abs() > 0.5 + 1e-9)).to_numpy(dtype=bool)]:
        out.append((f"the percentage given ({pct[i]:g}%) does not match positive / respondents ({derived[i]:.1f}%) "
                    f"within rounding; the percentage is published as given", i, "percentage", pct[i],
                    "correct the percentage or the counts"))
    return out


# --- difference in representation (metric 10) ---------------------------------------------------

def difference_metric(doc: Document, section: Section, key: str, rows: list[tuple[str, str, Tally]], s: Settings,
                      comparisons: list[tuple[str, str, str]]) -> Result:
    """Disabled shares of groups of people (board, workforce) and the differences in points.

    ``rows``: (row id, label, tally); ``comparisons``: (figure suffix, row id, row id compared with).
    A share is over everyone in the row, including people whose status is not known.
    """
    table = share_table(table_id(key), "Metric 10: board members compared with the overall workforce",
                        [(label, c) for _, label, c in rows], {g: s.label(g) for g in GROUPS}, "disabled",
                        "Percentages are over all people in the row, including those whose disability status is "
                        "not stated or not known.")
    said = share_differences(doc, table, key, rows, "disabled", "disabled", comparisons)
    section.add(Paragraph(template="wdes/difference.j2", context={"comparisons": said}))
    section.add(share_chart(table, "Disabled"))
    section.add(table)
    headline = said[0][0]
    return Result(key, "10", "Disabled share of board voting members compared with the overall workforce", "pp",
                  headline, doc.figures[headline].value)  # type: ignore[arg-type]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
