"""Issue 9 rules 1-4, decided once in the engine (equality_reports.measures) and used by every report.

Each dataset here is written as files shaped like a real HR export (ESR-style headings mapped in
dataset.toml, mostly blank event ethnicity, bank and agency workers, cases from last year) and
read through the intake, so the rules are tested as a user meets them. Expected values are
counted by hand in the comments.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from helpers_cli import run_cli

from equality_reports.errors import InputError
from equality_reports.intake import load_dataset, validate_dataset
from equality_reports.measures import (
    DIRECTLY_EMPLOYED,
    DIRECTLY_EMPLOYED_NOT_BANK,
    count_applicants,
    count_people,
    count_rows,
    place_in_period,
    scope,
)
from equality_reports.narrative import render_narrative
from equality_reports.reports import ReportContext
from equality_reports.templating import TextRenderer
from equality_reports_rraa import RraaEmploymentReport
from equality_reports_wres import ScWresReport, WresReport

TOML = '''organisation = "Testbury NHS Trust"
sector = "nhs"
period_start = 2025-04-01
period_end = 2026-03-31

[tables.staff]
columns = { person_id = "Employee Number", ethnicity = "Ethnic Origin", grade = "Pay Band", staff_group = "Staff Group", fte = "FTE", directly_employed = "Directly Employed", bank = "Bank Only" }

[tables.disciplinary]
columns = { case_id = "Case Ref", person_id = "Employee Number", ethnicity = "Ethnic Origin", formal = "Formal", start_date = "Case Start Date" }

[tables.training]
columns = { person_id = "Employee Number", mandatory = "Mandatory", received = "Attended", training_date = "Course Start Date" }

[tables.applications]
columns = { application_id = "Application Ref", applicant_id = "Candidate Ref", ethnicity = "Ethnic Origin", shortlisted = "Shortlisted", appointed = "Appointed", application_date = "Date Applied" }
'''


def _write(folder: Path, name: str, rows: list[dict[str, object]]) -> None:
    pd.DataFrame(rows).to_csv(folder / f"{name}.csv", index=False)


def esr_extract(folder: Path, *, extra_leaver: str | None = None) -> Path:
    """An ESR-shaped trust extract.

    WRES workforce (directly employed, not bank): White 40 (E001-E040), BME 20 (E101-E120),
    unknown 4 (E201-E204). Also 5 bank-only workers (B1-B3 White, B4-B5 BME) and 2 agency
    workers (G1-G2 White).
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dataset.toml").write_text(TOML, encoding="utf-8")
    staff = []
    for i in range(1, 41):
        staff.append({"Employee Number": f"E{i:03d}", "Ethnic Origin": "A White - British", "Pay Band": "Band 5"})
    for i in range(101, 121):
        staff.append({"Employee Number": f"E{i:03d}", "Ethnic Origin": "N Black or Black British - African",
                      "Pay Band": "Band 5"})
    for i in range(201, 205):
        staff.append({"Employee Number": f"E{i:03d}", "Ethnic Origin": "Z Not Stated", "Pay Band": "Band 3"})
    for row in staff:
        row.update({"Staff Group": "Nursing and Midwifery Registered", "FTE": "1", "Directly Employed": "Y",
                    "Bank Only": "N"})
    for pid, code in (("B1", "A"), ("B2", "A"), ("B3", "A"), ("B4", "N"), ("B5", "N")):
        staff.append({"Employee Number": pid, "Ethnic Origin": code, "Pay Band": "Band 5",
                      "Staff Group": "Nursing and Midwifery Registered", "FTE": "0.5", "Directly Employed": "Y",
                      "Bank Only": "Y"})
    for pid in ("G1", "G2"):
        staff.append({"Employee Number": pid, "Ethnic Origin": "A", "Pay Band": "Band 5",
                      "Staff Group": "Nursing and Midwifery Registered", "FTE": "1", "Directly Employed": "N",
                      "Bank Only": "N"})
    _write(folder, "staff", staff)
    # Formal disciplinary. The ethnicity column exists but is mostly blank (rule 1).
    disc = [
        ("D1", "E101", "", "Y", "2025-05-01"),   # BME, from staff
        ("D2", "E101", "", "Y", "2025-09-01"),   # same person again: counted once (rule 4)
        ("D3", "E102", "", "Y", "2025-06-01"),   # BME, from staff
        ("D4", "E103", "N", "Y", "2025-07-01"),  # BME, its own value
        ("D5", "E104", "", "Y", "2026-01-15"),   # BME, from staff
        ("D6", "E001", "", "Y", "2025-08-01"),   # White, from staff
        ("D7", "E002", "", "Y", "2025-10-01"),   # White, from staff
        ("D8", "E003", "", "Y", "2023-06-01"),   # before the period: left out (rule 3)
        ("D9", "B4", "", "Y", "2025-11-01"),     # bank-only worker: left out (rule 2)
        ("D10", "E005", "", "N", "2025-11-01"),  # informal: not counted
        ("D11", "X999", "", "Y", "2025-12-01"),  # not in staff, no ethnicity: unknown
    ]
    _write(folder, "disciplinary", [{"Case Ref": c, "Employee Number": p, "Ethnic Origin": e, "Formal": f,
                                     "Case Start Date": d} for c, p, e, f, d in disc])
    # Non-mandatory training attended: White E001-E010 (10 people, E001 twice), BME E101-E104 (4).
    training = [{"Employee Number": f"E{i:03d}", "Mandatory": "N", "Attended": "Y",
                 "Course Start Date": "2025-06-01"} for i in list(range(1, 11)) + [1] + list(range(101, 105))]
    training += [{"Employee Number": p, "Mandatory": "N", "Attended": "Y", "Course Start Date": "2025-06-01"}
                 for p in ("B4", "B5", "G1")]  # bank and agency: left out
    training.append({"Employee Number": "E050", "Mandatory": "N", "Attended": "Y",
                     "Course Start Date": "2025-02-01"})  # last year: left out
    _write(folder, "training", training)
    # Applications: White 10 shortlisted candidates (W01 applied twice, both shortlisted), 5 appointed;
    # BME 10 shortlisted candidates (M01 and M02 twice), 2 appointed; one White application from
    # last year (left out).
    apps = []
    n = 0

    def app(candidate: str, eth: str, short: str, appointed: str, when: str = "2025-07-01") -> None:
        nonlocal n
        n += 1
        apps.append({"Application Ref": f"APP{n:03d}", "Candidate Ref": candidate, "Ethnic Origin": eth,
                     "Shortlisted": short, "Appointed": appointed, "Date Applied": when})

    for i in range(1, 11):
        app(f"W{i:02d}", "A", "Y", "Y" if i <= 5 else "N")
    app("W01", "A", "Y", "N")
    for i in range(1, 11):
        app(f"M{i:02d}", "H", "Y", "Y" if i <= 2 else "N")
    app("M01", "H", "Y", "N")
    app("M02", "H", "Y", "N")
    app("W99", "A", "Y", "Y", "2024-12-01")
    _write(folder, "applications", apps)
    return folder


def wres(folder: Path):
    ds = load_dataset(folder)
    report = WresReport()
    ctx = ReportContext(report=report, dataset=ds, options=report.parse_options({}), audience="internal")
    return ds, report.build(ctx)


def fig(doc, fid: str):
    return doc.figures[fid].value


# --- rule 1: ethnicity of event rows --------------------------------------------------------------

def test_rule1_event_ethnicity_own_value_else_staff_else_unknown(tmp_path: Path) -> None:
    ds = load_dataset(esr_extract(tmp_path / "trust"))
    disc = ds.tables["disciplinary"].set_index("case_id")
    assert disc.loc["D1", "ethnic_binary"] == "minority_ethnic"
    assert disc.loc["D1", "ethnicity_source"] == "staff"
    assert disc.loc["D4", "ethnicity_source"] == "own"
    assert disc.loc["D6", "ethnic_binary"] == "white"
    assert disc.loc["D11", "ethnic_binary"] == "unknown"
    assert disc.loc["D11", "ethnicity_source"] == "unknown"
    # 10 cases in the period (D8 is from 2023): 1 own value, 8 from staff, 1 not known
    assert ds.ethnicity_sources["disciplinary"] == {"own": 1, "staff": 8, "leavers": 0, "unknown": 1}


def test_rule1_own_not_stated_gives_way_to_a_known_staff_value() -> None:
    from equality_reports.measures.ethnicity import resolve

    events = pd.DataFrame({"ethnicity_raw": ["Z", "", "H"], "ethnicity": ["not_stated", "not_known", "asian_indian"],
                           "ethnic_group": ["unknown", "unknown", "asian"],
                           "ethnic_binary": ["unknown", "unknown", "minority_ethnic"]})
    staff = pd.DataFrame({"ethnicity_raw": ["A", None, "A"], "ethnicity": ["white_british", None, "white_british"],
                          "ethnic_group": ["white", None, "white"], "ethnic_binary": ["white", None, "white"]})
    out = resolve(events, staff)
    assert list(out["ethnic_binary"]) == ["white", "unknown", "minority_ethnic"]
    assert list(out["ethnicity_source"]) == ["staff", "unknown", "own"]


def test_rule1_wres3_with_a_mostly_blank_event_ethnicity_column(tmp_path: Path) -> None:
    _, doc = wres(esr_extract(tmp_path / "trust"))
    # BME entrants E101-E104 = 4 of 20; White E001, E002 = 2 of 40: (4/20) / (2/40) = 4.0
    assert fig(doc, "wres.3.relative_likelihood") == pytest.approx((4 / 20) / (2 / 40))


def test_rule1_validate_reports_where_event_ethnicity_came_from(tmp_path: Path, capsys) -> None:
    res = run_cli(["validate", esr_extract(tmp_path / "trust")], capsys)
    assert res.code == 0, res.err
    assert "ethnicity from its own column 1, from staff 8, not known 1" in res.out
    summary = validate_dataset(tmp_path / "trust").summary
    assert summary["tables"]["disciplinary"]["ethnicity_from"] == {"own": 1, "staff": 8, "leavers": 0, "unknown": 1}


# --- rule 2: one population per indicator ---------------------------------------------------------

def test_rule2_wres_bank_and_agency_events_left_out_of_numerators(tmp_path: Path) -> None:
    ds, doc = wres(esr_extract(tmp_path / "trust"))
    people = scope(ds, DIRECTLY_EMPLOYED_NOT_BANK)
    assert len(people.staff) == 64  # 40 + 20 + 4; 5 bank and 2 agency left out
    assert people.excluded_staff == 7
    assert people.excluded_events["disciplinary"] == 1  # D9 (bank)
    assert people.excluded_events["training"] == 3  # B4, B5, G1
    # indicator 4: White 10 of 40 (E001 once), BME 4 of 20: (10/40) / (4/20) = 1.25
    assert fig(doc, "wres.4.relative_likelihood") == pytest.approx((10 / 40) / (4 / 20))
    quality = doc.table("data_quality").data.set_index("measure")["records"]
    assert quality["Disciplinary records left out (bank staff or not directly employed)"] == 1
    assert quality["Training records left out (bank staff or not directly employed)"] == 3
    assert quality["Staff left out (bank staff or not directly employed)"] == 7


def test_rule2_sc_wres_counts_directly_employed_staff_and_their_events(tmp_path: Path) -> None:
    folder = esr_extract(tmp_path / "council")
    toml = (folder / "dataset.toml").read_text().replace('sector = "nhs"', 'sector = "social_care"')
    (folder / "dataset.toml").write_text(toml)
    ds = load_dataset(folder)
    people = scope(ds, DIRECTLY_EMPLOYED)
    assert len(people.staff) == 69  # bank workers are directly employed; 2 agency left out
    report = ScWresReport()
    doc = report.build(ReportContext(report=report, dataset=ds, options=report.parse_options({}),
                                     audience="internal"))
    # metric 3 counts bank workers on both sides: BME 5 of 22 (D9 included), White 2 of 43
    assert fig(doc, "sc-wres.3.relative_likelihood") == pytest.approx((5 / 22) / (2 / 43))


def _council(folder: Path, *, agency: int = 4) -> Path:
    """148 employees at 1.0 FTE (100 White, 40 Indian, 8 not stated) and ``agency`` agency workers."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dataset.toml").write_text('organisation = "Testshire Council"\nsector = "local_government"\n'
                                         'period_start = 2025-04-01\nperiod_end = 2026-03-31\n')
    codes = ["A"] * 100 + ["H"] * 40 + ["Z"] * 8
    staff = [{"person_id": f"P{i:03d}", "ethnicity": c, "grade": "Grade 5", "fte": "1.0",
              "directly_employed": "Yes"} for i, c in enumerate(codes)]
    staff += [{"person_id": f"AG{i}", "ethnicity": "A", "grade": "Grade 5", "fte": "1.0",
               "directly_employed": "No"} for i in range(agency)]
    _write(folder, "staff", staff)
    return folder


def rraa(folder: Path, **options: str):
    ds = load_dataset(folder)
    report = RraaEmploymentReport()
    ctx = ReportContext(report=report, dataset=ds, options=report.parse_options(options), audience="internal")
    return report.build(ctx)


def test_rule2_rraa_agency_staff_left_out_of_staff_in_post_and_the_fte_test(tmp_path: Path) -> None:
    folder = _council(tmp_path / "council")
    doc = rraa(folder)
    assert fig(doc, "rraa-employment.staff.total") == 148
    assert fig(doc, "rraa-employment.fte.total") == pytest.approx(148.0)
    assert fig(doc, "rraa-employment.large_body") == 0
    assert fig(doc, "rraa-employment.data_quality.outside_population") == 4
    everyone = rraa(folder, include_not_directly_employed="true")
    assert fig(everyone, "rraa-employment.staff.total") == 152
    assert fig(everyone, "rraa-employment.fte.total") == pytest.approx(152.0)
    assert fig(everyone, "rraa-employment.large_body") == 1


def _text(doc) -> str:
    render_narrative(doc, TextRenderer(report_dir=RraaEmploymentReport.template_dir))
    return " ".join(b.text for _, sec in doc.walk() for b in sec.blocks if getattr(b, "text", None))


def test_rule2_rraa_can_count_the_wres_population(tmp_path: Path) -> None:
    """A trust's RRAA report counts the people the WRES counts, without its bank-only workers (by
    default in the NHS: a run publishing both would otherwise give away the few bank workers of a
    group by the difference of its two counts), or with them when told; a body outside the NHS
    counts them by default. The 2 agency workers are left out either way."""
    folder = esr_extract(tmp_path / "trust")
    wres_people = rraa(folder)
    assert fig(wres_people, "rraa-employment.staff.total") == 64
    assert fig(wres_people, "rraa-employment.data_quality.outside_population") == 7
    assert fig(rraa(folder, bank_workers="exclude"), "rraa-employment.staff.total") == 64
    doc = rraa(folder, bank_workers="include")
    assert fig(doc, "rraa-employment.staff.total") == 69  # 64 + 5 bank-only workers
    assert fig(doc, "rraa-employment.data_quality.outside_population") == 2
    said = "(the people the Workforce Race Equality Standard return counts)"
    assert said in _text(wres_people) and said not in _text(doc)
    toml = folder / "dataset.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('sector = "nhs"', 'sector = "local_government"'),
                    encoding="utf-8")
    assert fig(rraa(folder), "rraa-employment.staff.total") == 69
    with pytest.raises(InputError, match="option bank_workers=maybe: choose one of auto, include, exclude"):
        RraaEmploymentReport().parse_options({"bank_workers": "maybe"})


# --- rule 3: the reporting period -----------------------------------------------------------------

def test_rule3_place_in_period() -> None:
    dates = pd.Series(pd.to_datetime(["2025-04-01", "2026-03-31", "2025-03-31", "2026-04-01", "2099-01-01",
                                      "1899-12-31", None]))
    from datetime import date

    got = place_in_period(dates, date(2025, 4, 1), date(2026, 3, 31), date(2026, 4, 30))
    assert list(got) == ["in_period", "in_period", "before_period", "after_period", "after_snapshot",
                         "implausible", "undated"]


def test_rule3_rows_before_the_period_are_left_out_and_counted(tmp_path: Path) -> None:
    ds = load_dataset(esr_extract(tmp_path / "trust"))
    assert "D8" not in set(ds.tables["disciplinary"]["case_id"])
    assert ds.period_exclusions["disciplinary"] == {"before_period": 1}
    assert ds.period_exclusions["training"] == {"before_period": 1}
    assert ds.period_exclusions["applications"] == {"before_period": 1}
    warning = next(p for p in ds.warnings if p.file == "disciplinary.csv" and "before the period" in p.message)
    assert warning.row == 9  # D8 is the 8th data row, below the header


def _leavers(folder: Path, rows: list[tuple[str, str, str, str]]) -> None:
    _write(folder, "leavers", [{"person_id": p, "ethnicity": e, "leave_date": d, "voluntary": v}
                               for p, e, d, v in rows])


def test_rule3_rraa_leavers_and_disciplinary_from_before_the_period_are_not_counted(tmp_path: Path) -> None:
    folder = _council(tmp_path / "council")
    _leavers(folder, [("L1", "A", "2025-05-01", "Y"), ("L2", "A", "2025-06-01", "Y"), ("L3", "H", "2025-07-01", "N"),
                      ("L3", "H", "2025-07-01", "N"),  # two assignments ending together: one person
                      ("L4", "A", "2024-01-15", "Y"),  # January 2024: last year's leaver
                      ("L5", "H", "2025-03-31", "Y")])  # the day before the period
    _write(folder, "disciplinary", [{"case_id": "C1", "person_id": "P000", "start_date": "2023-05-01"},
                                    {"case_id": "C2", "person_id": "P001", "start_date": "2025-05-01"},
                                    {"case_id": "C3", "person_id": "P100", "start_date": "2025-08-01"}])
    doc = rraa(folder, large_body="true")
    assert fig(doc, "rraa-employment.leavers.white.leavers") == 2
    assert fig(doc, "rraa-employment.leavers.minority_ethnic.leavers") == 1
    assert fig(doc, "rraa-employment.disciplinary.white.disciplined") == 1
    assert fig(doc, "rraa-employment.disciplinary.minority_ethnic.disciplined") == 1
    assert fig(doc, "rraa-employment.data_quality.leavers.outside_period") == 2
    assert fig(doc, "rraa-employment.data_quality.disciplinary.outside_period") == 1


def test_rule3_dates_after_the_snapshot_are_errors_naming_the_row(tmp_path: Path, capsys) -> None:
    folder = _council(tmp_path / "council")
    _leavers(folder, [("L1", "A", "2025-05-01", "Y"), ("L2", "A", "2099-06-01", "Y")])
    res = run_cli(["run", "rraa-employment", "--data", folder, "--out", tmp_path / "out"], capsys)
    assert res.code == 2
    assert "leavers.csv, row 3, column 'leave_date'" in res.err
    assert "after the snapshot" in res.err and "2099-06-01" in res.err
    assert "Traceback" not in res.err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_rule3_dates_before_1900_are_errors(tmp_path: Path) -> None:
    folder = _council(tmp_path / "council")
    _leavers(folder, [("L1", "A", "1899-12-30", "Y")])
    with pytest.raises(InputError) as info:
        load_dataset(folder)
    problem = info.value.problems[0]
    assert (problem.file, problem.row, problem.column) == ("leavers.csv", 2, "leave_date")
    assert "before 1900" in problem.message


def test_rule3_a_table_without_its_date_column_is_taken_as_the_period_with_one_warning(tmp_path: Path) -> None:
    folder = _council(tmp_path / "council")
    _write(folder, "grievances", [{"case_id": "G1", "person_id": "P000", "role": "complainant"},
                                  {"case_id": "G2", "person_id": "P100", "role": "complainant"}])
    ds = load_dataset(folder)
    assert len(ds.tables["grievances"]) == 2
    warnings = [p for p in ds.warnings if p.file == "grievances.csv" and "start_date" in p.message]
    assert len(warnings) == 1
    assert "taken to be in the reporting period" in warnings[0].message


def test_rule3_scope_applies_the_period_to_datasets_built_in_code() -> None:
    from datetime import date

    from equality_reports.dataset import Dataset

    staff = pd.DataFrame({"person_id": ["P1"], "ethnic_binary": ["white"]})
    leavers = pd.DataFrame({"person_id": ["L1", "L2"], "ethnic_binary": ["white", "white"],
                            "leave_date": pd.to_datetime(["2025-06-01", "2024-06-01"])})
    ds = Dataset("Org", date(2025, 4, 1), date(2026, 3, 31), {"staff": staff, "leavers": leavers})
    assert list(scope(ds, DIRECTLY_EMPLOYED).events("leavers")["person_id"]) == ["L1"]


# --- rule 4: people, not records ------------------------------------------------------------------

def test_rule4_counting_helpers() -> None:
    frame = pd.DataFrame({"person_id": ["a", "a", "b", None, None], "g": ["x", "x", "y", "x", "x"],
                          "applicant_id": ["1", "1", "2", "3", "4"]})
    assert count_rows(frame, "g", ["x", "y"]).tolist() == [4, 1]
    assert count_people(frame, "g", ["x", "y"]).tolist() == [3, 1]  # rows without an id count once each
    assert count_applicants(frame, "g", ["x", "y"]).tolist() == [3, 1]
    assert count_applicants(frame.drop(columns="applicant_id"), "g", ["x", "y"]).tolist() == [4, 1]


def test_rule4_wres2_counts_applicants_by_applicant_id(tmp_path: Path) -> None:
    _, doc = wres(esr_extract(tmp_path / "trust"))
    # White: 5 appointed of 10 shortlisted candidates; BME: 2 of 10: (5/10) / (2/10) = 2.5
    assert fig(doc, "wres.2.relative_likelihood") == pytest.approx(2.5)
    table = doc.table("wres_2").data.set_index("group")
    assert table.loc["White", "base"] == 10 and table.loc["BME", "base"] == 10


def test_rule4_rraa_applicants_by_applicant_id_and_the_note_says_so(tmp_path: Path) -> None:
    folder = _council(tmp_path / "council")
    _write(folder, "applications", [
        {"application_id": "A1", "applicant_id": "C1", "ethnicity": "A", "shortlisted": "Y", "appointed": "N"},
        {"application_id": "A2", "applicant_id": "C1", "ethnicity": "A", "shortlisted": "Y", "appointed": "Y"},
        {"application_id": "A3", "applicant_id": "C2", "ethnicity": "A", "shortlisted": "N", "appointed": "N"},
        {"application_id": "A4", "applicant_id": "C3", "ethnicity": "H", "shortlisted": "Y", "appointed": "N"},
    ])
    doc = rraa(folder)
    assert fig(doc, "rraa-employment.applications.white.applied") == 2
    assert fig(doc, "rraa-employment.applications.white.shortlisted") == 1
    assert fig(doc, "rraa-employment.applications.white.appointed") == 1
    assert fig(doc, "rraa-employment.applications.minority_ethnic.applied") == 1
    table = doc.table("applications_binary")
    assert any("someone who applied more than once is counted once" in n for n in table.notes)
    # without applicant_id the same rows are three White applications
    (folder / "applications.csv").write_text((folder / "applications.csv").read_text()
                                             .replace(",C1,", ",,").replace(",C2,", ",,").replace(",C3,", ",,"))
    doc = rraa(folder)
    assert fig(doc, "rraa-employment.applications.white.applied") == 3
    assert any("counted once per application" in n for n in doc.table("applications_binary").notes)


def test_rule4_appraisal_outcomes_count_each_person_once_per_outcome(tmp_path: Path) -> None:
    folder = _council(tmp_path / "council")
    _write(folder, "appraisals", [
        {"person_id": "P000", "outcome": "benefit", "appraisal_date": "2025-06-01"},
        {"person_id": "P000", "outcome": "benefit", "appraisal_date": "2025-12-01"},
        {"person_id": "P001", "outcome": "benefit", "appraisal_date": "2025-06-01"},
        {"person_id": "P001", "outcome": "detriment", "appraisal_date": "2025-12-01"},
        {"person_id": "P002", "outcome": "neutral", "appraisal_date": "2025-06-01"},
        {"person_id": "P100", "outcome": "detriment", "appraisal_date": "2025-06-01"},
    ])
    doc = rraa(folder, large_body="true")
    data = doc.table("appraisals").data.set_index("group")
    # White: P000, P001, P002 appraised (3); benefit P000, P001 (2); detriment P001 (1)
    assert (data.loc["White", "appraised"], data.loc["White", "benefit"], data.loc["White", "detriment"]) == (3, 2, 1)
    assert (data.loc["Ethnic minority", "appraised"], data.loc["Ethnic minority", "detriment"]) == (1, 1)
    # P001 had two outcomes, so the outcomes are not declared to add up to the staff appraised
    assert doc.table("appraisals").column_totals == {}


def test_rule4_duplicate_application_id_is_an_error(tmp_path: Path, capsys) -> None:
    folder = _council(tmp_path / "council")
    _write(folder, "applications", [
        {"application_id": "A1", "ethnicity": "A", "shortlisted": "Y", "appointed": "N"},
        {"application_id": "A1", "ethnicity": "H", "shortlisted": "N", "appointed": "N"},
    ])
    res = run_cli(["validate", folder], capsys)
    assert res.code == 2
    assert "applications.csv, row 3, column 'application_id'" in res.out + res.err
    assert "appears more than once" in res.out + res.err


# --- end to end, as a user runs it ----------------------------------------------------------------

def test_end_to_end_esr_extract_wres_return(tmp_path: Path, capsys) -> None:
    import json

    from docx import Document as Docx

    folder = esr_extract(tmp_path / "trust")
    out = tmp_path / "out"
    res = run_cli(["run", "wres", "--data", folder, "--out", out, "--audience", "internal"], capsys)
    assert res.code == 0, res.err
    figures = json.loads((out / "wres-internal.json").read_text())["figures"]
    assert figures["wres.2.relative_likelihood"]["value"] == pytest.approx(2.5)
    assert figures["wres.3.relative_likelihood"]["value"] == pytest.approx(4.0)
    assert figures["wres.4.relative_likelihood"]["value"] == pytest.approx(1.25)
    text = "\n".join(p.text for p in Docx(str(out / "wres-internal.docx")).paragraphs)
    assert "4.00" in text


def test_end_to_end_council_extract_rraa_publication(tmp_path: Path, capsys) -> None:
    import json

    folder = _council(tmp_path / "council", agency=30)
    _leavers(folder, [(f"L{i}", "A", "2025-06-01", "Y") for i in range(12)] +
             [(f"M{i}", "H", "2025-06-01", "Y") for i in range(10)] + [("OLD", "H", "2024-01-10", "N")])
    out = tmp_path / "out"
    res = run_cli(["run", "rraa-employment", "--data", folder, "--out", out, "--option", "large_body=true"], capsys)
    assert res.code == 0, res.err
    figures = json.loads((out / "rraa-employment.json").read_text())["figures"]
    assert figures["rraa-employment.staff.total"]["value"] == 148  # 30 agency workers left out
    assert figures["rraa-employment.leavers.white.leavers"]["value"] == 12
    assert figures["rraa-employment.leavers.minority_ethnic.leavers"]["value"] == 10
    res = run_cli(["run", "rraa-employment", "--data", folder, "--out", tmp_path / "internal", "--option",
                   "large_body=true", "--audience", "internal"], capsys)
    assert res.code == 0, res.err
    figures = json.loads((tmp_path / "internal" / "rraa-employment-internal.json").read_text())["figures"]
    assert figures["rraa-employment.leavers.minority_ethnic.turnover_rate"]["value"] == pytest.approx(10 / 40 * 100)
    assert figures["rraa-employment.data_quality.leavers.outside_period"]["value"] == 1


def test_rule4_a_person_stays_in_one_group_for_every_outcome() -> None:
    """An applicant whose two applications disagree on ethnicity is counted in the group of their
    first application for every stage (found by an outside review: they were counted as minority
    ethnic applied and not stated shortlisted)."""
    frame = pd.DataFrame({"applicant_id": ["MX", "MX", "W1"], "g": ["minority_ethnic", "unknown", "white"],
                          "shortlisted": [False, True, True]})
    ids = ["white", "minority_ethnic", "unknown"]
    assert count_applicants(frame, "g", ids).tolist() == [1, 1, 0]
    assert count_applicants(frame, "g", ids, frame["shortlisted"]).tolist() == [1, 1, 0]


def test_rule4_a_person_is_in_one_group_in_every_part_of_a_table(tmp_path: Path) -> None:
    """Intake gives every row of a person the group of their first row with a known group, so a
    service's count is never of other people than the whole's (an outside review found minority
    ethnic shortlisted 63 in adults' and 56 in children's services but 120 in all: an applicant was
    minority ethnic on an adults' application and not stated on a children's one)."""
    folder = tmp_path / "council"
    folder.mkdir()
    (folder / "dataset.toml").write_text('organisation = "Testshire Council"\nsector = "social_care"\n'
                                         'period_start = 2025-04-01\nperiod_end = 2026-03-31\n')
    _write(folder, "staff", [{"person_id": f"S{i}", "ethnicity": "A", "service": "adults"} for i in range(3)])
    # X: not stated (adults, not shortlisted), Indian (children's, shortlisted), White British (adults, shortlisted)
    # Y: not stated only; Z: White British twice
    apps = [("X", "Z", "adults", "No"), ("X", "H", "childrens", "Yes"), ("X", "A", "adults", "Yes"),
            ("Y", "Z", "childrens", "Yes"), ("Z", "A", "adults", "Yes"), ("Z", "A", "childrens", "Yes")]
    _write(folder, "applications", [
        {"application_id": f"A{i}", "applicant_id": who, "ethnicity": code, "service": service,
         "shortlisted": shortlisted, "appointed": "No", "application_date": "2025-06-01"}
        for i, (who, code, service, shortlisted) in enumerate(apps)])
    ds = load_dataset(folder)
    apps_table = ds.table("applications").set_index("application_id")
    # X's first row with a known group is their Indian application (the first, not stated, is not known)
    assert apps_table["ethnic_binary"].tolist() == ["minority_ethnic"] * 3 + ["unknown", "white", "white"]
    warning = next(p for p in ds.warnings if "different ethnic groups" in p.message)
    assert warning.message.startswith("1 applicant(s) have different ethnic groups on different rows")
    assert (warning.file, warning.row, warning.column, warning.value) == ("applications.csv", 4, "ethnicity", "X")
    ids = ["white", "minority_ethnic", "unknown"]
    shortlisted = ds.table("applications")["shortlisted"].astype(bool)
    by_service = {service: count_applicants(part, "ethnic_binary", ids, shortlisted[part.index]).tolist()
                  for service, part in ds.table("applications").groupby("service")}
    assert count_applicants(ds.table("applications"), "ethnic_binary", ids, shortlisted).tolist() == [1, 1, 1]
    assert by_service == {"adults": [1, 1, 0], "childrens": [1, 1, 1]}


def test_rule3_dates_outside_what_a_timestamp_holds_are_errors_not_crashes(tmp_path: Path, capsys) -> None:
    folder = _council(tmp_path / "council")
    _leavers(folder, [("L1", "A", "01/05/0024", "Y"), ("L2", "A", "01/05/2300", "Y"), ("L3", "A", "03/31/2025", "Y")])
    res = run_cli(["validate", folder], capsys)
    assert res.code == 2
    text = res.out + res.err
    assert "Traceback" not in text and "Internal error" not in text
    for row, value in ((2, "01/05/0024"), (3, "01/05/2300"), (4, "03/31/2025")):
        assert f"leavers.csv, row {row}, column 'leave_date'" in text and value in text


def test_rule2_an_event_row_can_say_its_person_is_bank_or_agency(tmp_path: Path) -> None:
    """Found by an outside review: a bank worker missing from the staff extract, flagged bank on
    their disciplinary row, was counted in WRES 3."""
    folder = esr_extract(tmp_path / "trust")
    disc = pd.read_csv(folder / "disciplinary.csv", dtype=str, keep_default_na=False)
    extra = pd.DataFrame([{"Case Ref": "D20", "Employee Number": "X1", "Ethnic Origin": "N", "Formal": "Y",
                           "Case Start Date": "2025-07-01", "Bank Worker": "Y"},
                          {"Case Ref": "D21", "Employee Number": "X2", "Ethnic Origin": "N", "Formal": "Y",
                           "Case Start Date": "2025-07-01", "Bank Worker": ""}])
    pd.concat([disc, extra]).fillna("").to_csv(folder / "disciplinary.csv", index=False)
    toml = (folder / "dataset.toml").read_text().replace(
        'start_date = "Case Start Date" }', 'start_date = "Case Start Date", bank = "Bank Worker" }')
    (folder / "dataset.toml").write_text(toml)
    ds, doc = wres(folder)
    people = scope(ds, DIRECTLY_EMPLOYED_NOT_BANK)
    assert people.excluded_events["disciplinary"] == 2  # D9 (bank on staff) and D20 (bank on its row)
    # BME entrants E101-E104 and X2 (not on staff, no flag: counted) = 5 of 20; White 2 of 40
    assert fig(doc, "wres.3.relative_likelihood") == pytest.approx((5 / 20) / (2 / 40))


@pytest.mark.parametrize("footer", [["Source: iTrent HR, extracted 01/04/2025", "", "", "", ""],
                                    ["Total", "", "", "", "6"], ["", "", "", "", "Page 1 of 1"]])
def test_footer_and_total_lines_below_a_table_are_not_staff(tmp_path: Path, footer: list[str]) -> None:
    """Found by an outside review: a footer line under the staff table became a seventh member of
    staff with ethnicity not known."""
    folder = tmp_path / "council"
    folder.mkdir()
    rows = [["person_id", "ethnicity", "grade", "fte", "directly_employed"]]
    rows += [[f"P{i}", "A" if i < 3 else "H", "Grade 5", "1", "Y"] for i in range(6)]
    rows.append(footer)
    (folder / "staff.csv").write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    ds = load_dataset(folder)
    assert len(ds.tables["staff"]) == 6
    warning = next(p for p in ds.warnings if "footer" in p.message)
    assert warning.row == 8 and warning.file == "staff.csv"
