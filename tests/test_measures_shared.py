"""The shared building blocks both the RRAA and WRES reports use: counts by group with their units,
and the representation table (hand-computed numbers)."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest

from equality_reports import Table, count_by_group, representation_table, unit_codes

GROUPS = ("white", "minority_ethnic", "unknown")


def _events() -> pd.DataFrame:
    return pd.DataFrame({"person_id": ["A", "A", "B", "C", None],
                         "ethnic_binary": ["white", "white", "minority_ethnic", "minority_ethnic", "unknown"],
                         "outcome": [True, True, False, True, True]})


def test_count_by_group_counts_rows_people_and_applicants_with_their_units() -> None:
    events = _events()
    rows = count_by_group("rows", events, "ethnic_binary", GROUPS)
    people = count_by_group("people", events, "ethnic_binary", GROUPS)
    assert rows.counts == {"white": 2, "minority_ethnic": 2, "unknown": 1} and rows.total == 5
    assert people.counts == {"white": 1, "minority_ethnic": 2, "unknown": 1} and people["white"] == 1
    assert {g: len(u) for g, u in people.units.items()} == people.counts
    chosen = count_by_group("people", events, "ethnic_binary", GROUPS, events["outcome"])
    assert chosen.counts == {"white": 1, "minority_ethnic": 1, "unknown": 1}
    assert chosen.series.tolist() == [1, 1, 1] and list(chosen.series.index) == list(GROUPS)
    apps = pd.DataFrame({"application_id": ["x", "y", "z"], "applicant_id": ["p", "p", "q"],
                         "ethnic_binary": ["white", "white", "unknown"]})
    assert count_by_group("applicants", apps, "ethnic_binary", GROUPS).counts == \
        {"white": 1, "minority_ethnic": 0, "unknown": 1}


def test_representation_table_counts_totals_row_shares_and_units() -> None:
    staff = pd.DataFrame({"person_id": list("ABCDE"), "grade": ["G1", "G1", "G1", "G2", "G2"],
                          "ethnic_binary": ["white", "minority_ethnic", "white", "unknown", "white"]})
    counts = pd.crosstab(staff["grade"], staff["ethnic_binary"]).reindex(columns=list(GROUPS), fill_value=0)
    codes = unit_codes(staff)
    by_cell = {(g, e): np.unique(codes[((staff["grade"] == g) & (staff["ethnic_binary"] == e)).to_numpy()])
               for g in ("G1", "G2") for e in GROUPS}
    labels = {"white": "White", "minority_ethnic": "Ethnic minority", "unknown": "Not known"}
    table = representation_table("by_grade", "Staff by grade", counts, labels, "Grade", units=by_cell)
    assert table.data["row"].tolist() == ["G1", "G2", "All staff"]
    assert table.data["white"].tolist() == [2, 1, 3] and table.data["total"].tolist() == [3, 2, 5]
    assert [round(p, 1) for p in table.data["white_pct"]] == [66.7, 50.0, 60.0]
    assert table.column("minority_ethnic").label == "Ethnic minority (staff)"
    assert table.column("white_pct").derived_from == ("white", "total")
    assert len(table.units[(2, "total")]) == 5 and len(table.units[(0, "white")]) == 2
    assert table.notes[0].startswith("Percentages are shares of each row's total")
    plain = representation_table("by_grade", "Staff by grade", counts, labels, "Grade", shares=False)
    assert "white_pct" not in plain.data.columns and plain.notes == [] and plain.units == {}


def test_a_quality_table_lists_the_checks_that_found_something() -> None:
    from equality_reports import quality_table

    table = quality_table([("Excluded: bank staff", 186, "Left out of every indicator."),
                           ("Grade not recognised", 0, "Shown as 'Other or unknown grade'."),
                           ("Disciplinary records dated outside the year", None, "Left out.")],
                          {"Excluded: bank staff": np.arange(186, dtype=np.uint64)})
    assert table.data["measure"].tolist() == ["Excluded: bank staff", "Disciplinary records dated outside the year"]
    assert table.notes == ["Checks that found nothing are not listed."]
    assert list(table.units) == [(0, "records")] and len(table.units[(0, "records")]) == 186
    assert quality_table([("Staff", 5, "All staff.")]).notes == []


def test_a_share_table_gives_each_row_its_share_and_none_where_nobody_is_known() -> None:
    from equality_reports import Tally, share_table

    def tally(*counts: int) -> Tally:
        groups, start, units = ("disabled", "non_disabled", "unknown"), 0, {}
        for g, n in zip(groups, counts):
            units[g], start = np.arange(start, start + n, dtype=np.uint64), start + n
        return Tally(dict(zip(groups, counts)), units)

    labels = {"disabled": "Disabled", "non_disabled": "Non-disabled", "unknown": "Not known"}
    table = share_table("t", "Board", [("Voting members", tally(1, 7, 2)), ("Non-executive", tally(0, 0, 4))],
                        labels, "disabled", "Percentages are over everyone in the row.")
    assert table.data["total"].tolist() == [10, 4]
    assert table.data["disabled_pct"].tolist()[0] == 10.0 and table.data["disabled_pct"].isna().tolist()[1]
    assert [c.label for c in table.columns][1:] == ["Disabled (people)", "Non-disabled (people)",
                                                    "Not known (people)", "All (people)", "Disabled (% of all)"]
    assert len(table.units[(0, "total")]) == 10 and table.column_totals == {tuple(labels): "total"}


GRADE_LABELS = {"white": "White", "minority_ethnic": "Ethnic minority", "unknown": "Not known"}


def _grades(white: list[int], minority: list[int], unknown: list[int]) -> tuple[Any, Table]:
    """A document with one staff-by-grade table of three grades, disclosure control applied."""
    from equality_reports import Document
    from equality_reports.disclosure import apply_disclosure

    counts = pd.DataFrame({"white": white, "minority_ethnic": minority, "unknown": unknown},
                          index=["Grade 1", "Grade 2", "Grade 3"])
    doc = Document(report="demo", title="Demo", organisation="Testshire Council",
                   period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
    table = representation_table("by_grade", "Staff by grade", counts, GRADE_LABELS, "Grade")
    doc.section("grades", "Grades").add(table)
    apply_disclosure(doc, threshold=10)
    return doc, table


def test_a_table_withholding_its_white_counts_in_several_rows_says_why_under_the_table() -> None:
    from equality_reports.disclosure import apply_disclosure, explain_spare_withheld

    doc, table = _grades([120, 95, 80], [40, 30, 25], [3, 4, 12])
    counts = pd.DataFrame({"white": [120, 95, 80], "minority_ethnic": [40, 30, 25], "unknown": [3, 4, 12]},
                          index=["Grade 1", "Grade 2", "Grade 3"])
    assert {(0, "unknown"), (1, "unknown"), (0, "white"), (1, "white")} <= table.suppressed
    assert (2, "white") not in table.suppressed and (0, "minority_ethnic") not in table.suppressed
    explain_spare_withheld(doc)
    explain_spare_withheld(doc)  # once only
    [note] = [n for n in table.notes if "withheld" in n]
    assert "In each such row the count withheld is the one in the \u201cWhite (staff)\u201d column, so that" in note
    clear = representation_table("clear", "Staff by grade", counts.assign(unknown=[13, 14, 12]), GRADE_LABELS, "Grade")
    doc.section("clear", "Nothing withheld").add(clear)
    apply_disclosure(doc, threshold=10)
    explain_spare_withheld(doc)
    assert not clear.suppressed and not [n for n in clear.notes if "withheld" in n]


def test_a_table_without_row_totals_builds_no_row_lines_and_says_nothing_of_rows() -> None:
    """White and ethnic minority leavers by reason, no total column: only the columns add up (to
    the total row), so a White count withheld is not said to protect a row's small count."""
    from equality_reports import Document
    from equality_reports.disclosure import apply_disclosure, explain_spare_withheld, table_lines

    counts = pd.DataFrame({"white": [13, 24, 31], "minority_ethnic": [5, 24, 17]},
                          index=["Dismissal", "Fixed term", "Retirement"])
    table = representation_table("reasons", "Reasons", counts, GRADE_LABELS, "Reason", shares=False,
                                 row_totals=False)
    assert [c.key for c in table.columns] == ["row", "white", "minority_ethnic"]
    assert table.data.iloc[-1].tolist() == ["All staff", 68, 46]
    assert sorted(len(line.parts) for line in table_lines(table)) == [3, 3]  # the two columns only
    doc = Document(report="demo", title="Demo", organisation="Testshire Council",
                   period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
    doc.section("s", "S").add(table)
    apply_disclosure(doc, threshold=10)
    table.suppressed.add((0, "white"))  # as the joint pass may withhold it for another table
    explain_spare_withheld(doc)
    assert not [n for n in table.notes if "row's total" in n]
    with pytest.raises(ValueError, match="need the row's total"):
        representation_table("reasons", "Reasons", counts, GRADE_LABELS, "Reason", row_totals=False)


def test_the_white_column_note_says_when_other_rows_withhold_something_else() -> None:
    """A row whose two small counts are both withheld needs no White count withheld, and withholds
    nothing that is not small: the White column is still the only larger count withheld. A row
    with no White staff withholds another group's larger count: the note then says the White
    count is chosen only where possible."""
    from equality_reports.disclosure import explain_spare_withheld

    doc, table = _grades([120, 95, 80], [40, 3, 2], [3, 4, 12])
    assert {(0, "white"), (2, "white"), (1, "minority_ethnic"), (1, "unknown")} <= table.suppressed
    assert (1, "white") not in table.suppressed and (1, "total") not in table.suppressed
    explain_spare_withheld(doc)
    [note] = [n for n in table.notes if "withheld" in n]
    assert "In each such row the count withheld is the one in the \u201cWhite (staff)\u201d column" in note

    doc, table = _grades([120, 95, 0], [40, 30, 25], [3, 4, 2])
    assert (2, "minority_ethnic") in table.suppressed  # no White count to withhold in Grade 3
    explain_spare_withheld(doc)
    [note] = [n for n in table.notes if "withheld" in n]
    assert ("Where possible the count withheld is the one in the \u201cWhite (staff)\u201d column, so that the "
            "other groups' counts and shares stay shown; elsewhere it is the row's total or another group's "
            "count.") in note


def test_tallied_units_stand_for_rows_given_as_totals() -> None:
    """A survey's rows: each stands for its respondents, of whom its "yes" answers are a part; a
    whole adding rows up holds exactly their units; the same group answering two questions is the
    same respondents, each question's "yes" its own part of them."""
    from equality_reports import tallied_units
    from equality_reports.measures.units import fingerprint

    sizes, parts = np.array([30, 40]), np.array([4, 15])
    everyone, yes = tallied_units("staff_survey", ["bme|adults", "bme|childrens"], sizes, parts, part_of="q6")
    assert len(everyone) == len(set(everyone.tolist())) == 70 and len(yes) == 19
    assert set(yes.tolist()) <= set(everyone.tolist())
    adults, adults_yes = tallied_units("staff_survey", ["bme|adults"], sizes[:1], parts[:1], part_of="q6")
    assert set(adults.tolist()) <= set(everyone.tolist()) and set(adults_yes.tolist()) <= set(yes.tolist())
    again, other_yes = tallied_units("staff_survey", ["bme|adults", "bme|childrens"], sizes, np.array([12, 8]),
                                     part_of="q7b")
    assert fingerprint(again) == fingerprint(everyone)  # the same respondents
    assert set(other_yes.tolist()) - set(yes.tolist())  # another question's answers: another part
    assert len(tallied_units("staff_survey", ["bme|adults"], np.array([29]), np.array([4]))[0]) == 29
    assert not set(tallied_units("staff_survey", ["bme|adults"], np.array([29]), np.array([4]))[0].tolist()) \
        & set(adults.tolist())  # 29 respondents are not the 30: the audit relates only what it can
