"""Whom the WRES and Social Care WRES counts count (issue 10): units on every visible count cell,
and the joint pass protecting what the tables alone did not (a service inside the whole workforce)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from helpers_wres import classified, context, nhs_dataset, people
from test_sc_wres import sc_dataset

from equality_reports.audit import AuditCell, audit
from equality_reports.dataset import Dataset
from equality_reports.disclosure import apply_disclosure
from equality_reports.document import Document, Table, is_missing
from equality_reports.joint import collect, protect
from equality_reports.measures.units import RECORD, UNIT, in_universe_of_its_own, unit_codes
from equality_reports_wres.nhs import WresReport
from equality_reports_wres.social_care import ScWresReport

WRES = WresReport()
SC_WRES = ScWresReport()
#: survey tables hold counts from the aggregated staff_survey table: no microdata, no units
SURVEY_TABLES = {"wres_5", "wres_6", "wres_7", "wres_8"}
#: data-quality rows that count something not kept in the dataset (rows dropped at intake, events
#: outside the population): no units, protected by the table on its own
UNDECLARED_QUALITY = ("Staff records supplied", "left out (", "records dated outside the year")


def _survey(table_id: str) -> bool:
    return table_id in SURVEY_TABLES or table_id.split("_")[-1] in {"6", "7a", "7b"}


def count_cells(doc: Document) -> list[tuple[Table, int, str, int]]:
    """(table, row, column, value) of every visible count cell with a value, survey tables aside."""
    found = []
    for table in doc.tables():
        if _survey(table.id):
            continue
        for column in table.columns:
            if column.kind != "count" or column.hidden:
                continue
            for row in range(len(table.data)):
                raw = table.data.at[row, column.key]
                if not is_missing(raw):
                    found.append((table, row, column.key, int(raw)))
    return found


def _rolling_context(report, dataset: Dataset, previous: Dataset):
    ctx = context(report, dataset, "internal", rolling_average="true")
    ctx.previous = previous
    return ctx


def _last_year_nhs() -> Dataset:
    """nhs_dataset with other disciplinary cases: the same people in post both years."""
    last = nhs_dataset()
    last.tables["disciplinary"] = classified(pd.DataFrame({
        "case_id": ["A", "B", "C", "D"], "person_id": ["P00100", "P00101", "P00000", "P00001"],
        "formal": [True] * 4}), last.tables["staff"])
    return last


def _documents() -> dict[str, Document]:
    return {
        "wres": WRES.build(_rolling_context(WRES, nhs_dataset(), _last_year_nhs())),
        "sc-wres": SC_WRES.build(context(SC_WRES, sc_dataset())),
    }


@pytest.fixture(scope="module")
def documents() -> dict[str, Document]:
    return _documents()


@pytest.mark.parametrize("report", ["wres", "sc-wres"])
def test_every_visible_count_cell_declares_its_units(documents, report) -> None:
    doc = documents[report]
    cells = count_cells(doc)
    assert len(cells) > 100
    missing = []
    for table, row, column, value in cells:
        units = table.units.get((row, column))
        if units is None:
            label = str(table.data.at[row, table.row_key])
            if table.id == "data_quality" and any(words in label for words in UNDECLARED_QUALITY):
                continue
            missing.append((table.id, label, column))
            continue
        units = np.asarray(units, dtype=np.uint64)
        assert len(np.unique(units)) == len(units) == value, (table.id, row, column)
    assert not missing


def test_the_tables_declare_the_expected_cells(documents) -> None:
    wres, sc = documents["wres"], documents["sc-wres"]
    for table_id in ("wres_1_overall", "wres_1_clinical", "wres_1_non_clinical", "wres_2", "wres_3", "wres_4",
                     "wres_9", "wres_3_rolling_average"):
        assert wres.table(table_id).units, table_id
    for table_id in ("sc_wres_1", "sc_wres_adults_1", "sc_wres_childrens_1", "sc_wres_2", "sc_wres_4",
                     "sc_wres_adults_5", "sc_wres_childrens_8", "sc_wres_9", "sc_wres_childrens_9"):
        assert sc.table(table_id).units, table_id
    surveys = [table for table in wres.tables() if _survey(table.id)]
    assert surveys and not any(table.units for table in surveys)
    # the hidden "not appointed" column of a likelihood table is not published: no units
    assert not any(column == "without" for _, column in wres.table("wres_2").units)
    quality = wres.table("data_quality")
    declared = {quality.data.at[row, "measure"] for row, _ in quality.units}
    assert {"Staff in the workforce", "Ethnic group not stated or not known"} <= declared


def test_cells_counting_the_same_people_share_their_units(documents) -> None:
    wres, sc = documents["wres"], documents["sc-wres"]

    def units(doc: Document, table_id: str, row: str, column: str) -> np.ndarray:
        table = doc.table(table_id)  # a cell's units are a set: compared in order
        return np.sort(np.asarray(table.units[(table.row_position(row), column)], dtype=np.uint64))

    # indicator 1 overall restates each part's total row; indicator 9's workforce row is the headcount
    assert np.array_equal(units(wres, "wres_1_overall", "Clinical", "minority_ethnic"),
                          units(wres, "wres_1_clinical", "All clinical staff", "minority_ethnic"))
    assert np.array_equal(units(wres, "wres_9", "Overall workforce", "total"),
                          units(wres, "wres_1_overall", "All staff", "total"))
    assert np.array_equal(units(wres, "wres_3", "BME", "base"),
                          units(wres, "wres_1_overall", "All staff", "minority_ethnic"))
    # the people entering the process are among the staff in post
    assert np.isin(units(wres, "wres_3", "BME", "outcome"), units(wres, "wres_3", "BME", "base")).all()
    # SC-WRES: each service is part of the whole workforce, and the services make it up
    whole = units(sc, "sc_wres_1", "All staff", "minority_ethnic")
    parts = [units(sc, f"sc_wres_{s}_1", "All staff", "minority_ethnic") for s in ("adults", "childrens")]
    assert np.array_equal(np.sort(np.concatenate(parts)), whole)
    assert np.isin(units(sc, "sc_wres_childrens_4", "Minority ethnic", "outcome"),
                   units(sc, "sc_wres_4", "Minority ethnic", "outcome")).all()


def test_pooled_years_declare_each_years_people(documents) -> None:
    """Each year's counts in the two-year table count that year's people, as that year's table
    does; the pooled columns (a person in post both years counts twice: no set of people) are
    hidden and declare no units."""
    doc = documents["wres"]
    pooled, yearly = doc.table("wres_3_rolling_average"), doc.table("wres_3")
    for label in ("BME", "White"):
        row, this_row = pooled.row_position(label), yearly.row_position(label)
        for column in ("base", "outcome"):
            now, before = (np.asarray(pooled.units[(row, c)]) for c in (f"{column}_this", f"{column}_last"))
            assert np.array_equal(np.sort(now), np.sort(yearly.units[(this_row, column)]))
            assert len(before) == pooled.data.at[row, f"{column}_last"]
            assert (row, column) not in pooled.units and pooled.column(column).hidden


def test_last_years_people_are_units_of_their_own() -> None:
    """--compare a dataset: last year's tables move to a universe of their own, consistently (the
    same person is one unit throughout last year), so last year's publication relates to this
    year's restatements of it but the audit assumes nothing about who joined or left."""
    frame = pd.DataFrame({"person_id": ["P1", "P2", "P1"], UNIT: unit_codes(pd.DataFrame({"person_id": ["P1", "P2", "P1"]})),
                          RECORD: np.array([5, 6, 7], dtype=np.uint64)})
    moved = in_universe_of_its_own({"leavers": frame}, "last year")["leavers"]
    assert not np.isin(moved[UNIT], frame[UNIT]).any() and not np.isin(moved[RECORD], frame[RECORD]).any()
    assert moved[UNIT].iloc[0] == moved[UNIT].iloc[2] != moved[UNIT].iloc[1]


@pytest.mark.parametrize("report", ["wres", "sc-wres"])
def test_published_documents_pass_the_audit_consistency_check(report) -> None:
    doc = _documents()[report]
    apply_disclosure(doc, 10)
    outcome = protect({report: doc}, 10)  # raises if a cell's value is not its number of units
    assert outcome.audit.passed, outcome.failures


# --- the leak the tables alone left open: a service = the whole workforce minus the others ----

def _two_services() -> Dataset:
    """One pay grade. Adults: White 40, minority 25, unknown 12. Children's: White 40, minority 4,
    unknown 11. The whole workforce publishes minority 29 and adults 25, so children's 4 (withheld
    in its own table) is 29 - 25."""
    base = dict(directly_employed=True, grade="Grade 5", regulated_professional=False, senior_manager=False)
    staff = pd.concat([
        people(40, "white", 0, service="adults", **base),
        people(25, "minority_ethnic", 100, service="adults", **base),
        people(12, "unknown", 200, service="adults", **base),
        people(40, "white", 300, service="childrens", **base),
        people(4, "minority_ethnic", 400, service="childrens", **base),
        people(11, "unknown", 500, service="childrens", **base),
    ], ignore_index=True)
    return Dataset(organisation="Twoservice Council", period_start=date(2025, 4, 1), period_end=date(2026, 3, 31),
                   sector="local_government", tables={"staff": staff})


def _range(documents: dict[str, Document], table_id: str, row: int, column: str):
    cells, _ = collect(documents)
    result = audit(cells, 10)
    return next(r for r in result.ranges if r.key == ("sc-wres", table_id, row, column))


def test_joint_pass_protects_a_service_recoverable_from_the_whole_workforce() -> None:
    doc = SC_WRES.build(context(SC_WRES, _two_services(), "publication"))
    apply_disclosure(doc, 10)
    childrens, whole, adults = doc.table("sc_wres_childrens_1"), doc.table("sc_wres_1"), doc.table("sc_wres_adults_1")
    cell = (childrens.row_position("Grade 5"), "minority_ethnic")
    assert childrens.data.at[cell] == 4 and cell in childrens.suppressed
    # each table on its own is protected, but the whole workforce and adults both publish the grade
    grade = whole.row_position("Grade 5")
    assert (grade, "minority_ethnic") not in whole.suppressed
    assert (adults.row_position("Grade 5"), "minority_ethnic") not in adults.suppressed
    documents = {"sc-wres": doc}
    before = _range(documents, "sc_wres_childrens_1", *cell)
    assert before.low == before.high == 4  # 29 - 25: pinned without the joint pass

    outcome = protect(documents, 10)
    assert outcome.audit.passed and outcome.withheld
    after = _range(documents, "sc_wres_childrens_1", *cell)
    assert after.width >= 10
    assert after.low <= 4 <= after.high


def test_a_withheld_zero_counts_nobody_and_is_left_to_its_table() -> None:
    """A zero withheld to protect another cell has no units to relate it to anything: the audit
    does not try to bound it (it used to stop on an empty program)."""
    a, b = np.arange(1, 4, dtype=np.uint64), np.arange(10, 30, dtype=np.uint64)
    cells = [AuditCell("zero", np.empty(0, dtype=np.uint64), 0, True),
             AuditCell("small", a, 3, True), AuditCell("other", b, 20, True),
             AuditCell("total", np.concatenate([a, b]), 23, False)]
    result = audit(cells, 10)
    assert [r.key for r in result.ranges] == ["small", "other"]
    assert result.passed
