"""Issue 9 rules 10-12: numbers read right, no silent misreads, unrecognised ethnicity values.

Every expectation here was worked out by hand from the few rows each test writes.
"""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from helpers_cli import run_cli

from equality_reports.classification import Classifier, builtin_schemes
from equality_reports.errors import InputError, Problem
from equality_reports.intake import dataset_from_frames, load_dataset
from equality_reports.intake.contract import ColumnSpec, TableSpec
from equality_reports.intake.load import Source, coerce

TOML = 'organisation = "Fidelity Council"\nperiod_start = 2025-04-01\nperiod_end = 2026-03-31\n'


def folder_with(tmp_path: Path, files: dict[str, str | bytes], toml: str = TOML, name: str = "d") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "dataset.toml").write_text(toml, encoding="utf-8")
    for file, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / file).write_bytes(data)
    return folder


def validate(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    result = run_cli(["validate", folder, "--json"], capsys)
    assert "Traceback" not in result.out + result.err
    return result.code, json.loads(result.out)


def problems_about(report: dict, column: str | None = None, kind: str = "errors") -> list[dict]:
    return [p for p in report[kind] if column is None or p["column"] == column]


# --- rule 10: numbers read right -------------------------------------------------------------------

def test_rule10_decimal_comma_in_semicolon_file(tmp_path: Path) -> None:
    # Excel's CSV with a decimal comma: "0,5" is half time, "1" full time, "0,75" three quarters
    folder = folder_with(tmp_path, {"staff.csv": "person_id;ethnicity;fte\nP1;A;0,5\nP2;H;1\nP3;N;0,75\n"})
    staff = load_dataset(folder).table("staff")
    assert staff["fte"].tolist() == [0.5, 1.0, 0.75]
    assert staff["fte"].sum() == 2.25  # not 5 + 1 + 75 = 81


def test_rule10_semicolon_file_groups_thousands_with_points(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, {"benchmark.csv": "ethnicity;count\nA;1.234.567\nH;12.345\nN;987\n",
                                    "staff.csv": "person_id;ethnicity\nP1;A\n"})
    bench = load_dataset(folder).table("benchmark")
    assert bench["count"].tolist() == [1_234_567, 12_345, 987]


def test_rule10_semicolon_file_with_points_still_reads_points(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, {"staff.csv": "person_id;ethnicity;fte\nP1;A;0.5\nP2;H;1.0\n"})
    assert load_dataset(folder).table("staff")["fte"].tolist() == [0.5, 1.0]


def test_rule10_ambiguous_point_in_decimal_comma_file_is_an_error(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    # "1.234" could be 1.234 or 1234 where the decimal mark is the comma; a percentage can be either
    folder = folder_with(tmp_path, {
        "staff_survey.csv": "question;group;respondents;percentage\ndiscrimination;white;1.234;12,5\n"
                            "discrimination;minority_ethnic;300;1.250\n",
        "staff.csv": "person_id;ethnicity\nP1;A\n"})
    code, report = validate(folder, capsys)
    assert code == 2
    [problem] = report["errors"]  # respondents 1.234 is a count, so 1234; the percentage is ambiguous
    assert (problem["file"], problem["row"], problem["column"], problem["value"]) == \
        ("staff_survey.csv", 3, "percentage", "1.250")
    assert "could be a decimal" in problem["message"] and "1234" in problem["fix"]


def test_rule10_thousands_separator_in_comma_file_stays_whole(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, {"benchmark.csv": 'ethnicity,count\nA,"1,234"\nH,"12,345,678"\n',
                                    "staff.csv": "person_id,ethnicity\nP1,A\n"})
    assert load_dataset(folder).table("benchmark")["count"].tolist() == [1234, 12_345_678]


def test_rule10_decimal_comma_in_comma_file_is_an_error_not_five(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    folder = folder_with(tmp_path, {"staff.csv": 'person_id,ethnicity,fte\nP1,A,"0,5"\nP2,H,1\n'})
    code, report = validate(folder, capsys)
    assert code == 2
    [problem] = problems_about(report, "fte")
    assert (problem["file"], problem["row"], problem["value"]) == ("staff.csv", 2, "0,5")
    assert "decimal comma" in problem["message"] and "write 0.5" in problem["fix"]


@pytest.mark.parametrize(("value", "words"), [
    ("50%", "percentage sign"),
    ("-0.5", "negative"),
    ("NaN", "NaN"),
    ("inf", "infinite"),
    ("-Infinity", "infinite"),
    ("1e300", "more than 1.5"),
    ("1.6", "more than 1.5"),
    ("0", "is 0"),
    ("full", "not a number"),
])
def test_rule10_fte_must_be_a_number_above_zero_and_at_most_one_and_a_half(tmp_path: Path,
                                                                           capsys: pytest.CaptureFixture[str],
                                                                          value: str, words: str) -> None:
    folder = folder_with(tmp_path, {"staff.csv": f"person_id,ethnicity,fte\nP1,A,1\nP2,H,{value}\nP3,N,0.6\n"})
    code, report = validate(folder, capsys)
    assert code == 2, report
    [problem] = problems_about(report, "fte")
    assert (problem["file"], problem["row"], problem["column"], problem["value"]) == ("staff.csv", 3, "fte", value)
    assert words in problem["message"]
    assert problem["fix"]  # what to do


def test_rule10_fte_percentage_says_what_to_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = folder_with(tmp_path, {"staff.csv": "person_id,ethnicity,fte\nP1,A,50%\n"})
    _, report = validate(folder, capsys)
    assert "50% of full time is 0.5" in problems_about(report, "fte")[0]["fix"]


def test_rule10_fte_bounds_accept_the_edges(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, {"staff.csv": "person_id,ethnicity,fte\nP1,A,1.5\nP2,H,0.01\nP3,N,\n"})
    fte = load_dataset(folder).table("staff")["fte"]
    assert fte.iloc[:2].tolist() == [1.5, 0.01] and pd.isna(fte.iloc[2])  # blank stays unknown


def test_rule10_fte_max_is_configurable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    staff = "person_id,ethnicity,fte\nP1,A,1.6\nP2,H,2.0\nP3,N,2.5\n"
    folder = folder_with(tmp_path, {"staff.csv": staff}, TOML + "[tables.staff]\nfte_max = 2.0\n")
    code, report = validate(folder, capsys)
    assert code == 2
    [problem] = problems_about(report, "fte")
    assert (problem["row"], problem["value"]) == (4, "2.5") and "more than 2" in problem["message"]
    assert "fte_max" in problem["fix"]
    folder = folder_with(tmp_path, {"staff.csv": staff}, TOML + "[tables.staff]\nfte_max = 2.5\n", name="e")
    assert load_dataset(folder).table("staff")["fte"].sum() == pytest.approx(6.1)


def test_rule10_fte_max_must_be_a_positive_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = folder_with(tmp_path, {"staff.csv": "person_id,ethnicity\nP1,A\n"},
                         TOML + '[tables.staff]\nfte_max = "lots"\n')
    code, report = validate(folder, capsys)
    assert code == 2 and "must be a number" in problems_about(report, "[tables.staff] fte_max")[0]["message"]
    # past the largest value any number column takes (an adversary's 1e308 let 1e300 FTE through to a crash)
    folder = folder_with(tmp_path, {"staff.csv": "person_id,ethnicity,fte\nP1,A,1e300\n"},
                         TOML + "[tables.staff]\nfte_max = 1e308\n", name="huge")
    code, report = validate(folder, capsys)
    assert code == 2 and "must be above 0 and at most 1,000,000,000,000,000" in \
        problems_about(report, "fte_max")[0]["message"]


def test_rule10_many_rows_one_problem_per_distinct_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = "".join(f"P{i},A,{'-1' if i % 2 else '0.5'}\n" for i in range(10))
    folder = folder_with(tmp_path, {"staff.csv": "person_id,ethnicity,fte\n" + rows})
    _, report = validate(folder, capsys)
    [problem] = problems_about(report, "fte")
    assert problem["message"].endswith("(5 rows)") and problem["row"] == 3  # P1 is on spreadsheet row 3


def test_rule10_pay_and_hours_columns_follow_their_contract_bounds() -> None:
    # a column a plugin adds (pay, hours) is checked by the same rule, from its ColumnSpec
    spec = TableSpec("pay", "test", (
        ColumnSpec("person_id", "id", True),
        ColumnSpec("hourly_pay", "number", minimum=0, allow_zero=False, maximum=500),
        ColumnSpec("weekly_hours", "number", minimum=0, maximum=100),
    ), person_table=False)
    frame = pd.DataFrame({"person_id": ["P1", "P2", "P3", "P4", "P5"],
                          "hourly_pay": ["15.5", "1,234.50", "0", "-3", "12"],
                          "weekly_hours": ["37.5", "0", "inf", "168", "50%"]})
    problems: list[Problem] = []
    out = coerce(frame, spec, Source("pay", Path("pay.csv"), "pay.csv"), problems)
    assert out["hourly_pay"].iloc[[0, 4]].tolist() == [15.5, 12.0]
    assert out["weekly_hours"].iloc[:2].tolist() == [37.5, 0.0]  # zero hours is allowed there
    found = {(p.column, p.row, p.value): p.message for p in problems}
    assert set(found) == {("hourly_pay", 3, "1,234.50"), ("hourly_pay", 4, "0"), ("hourly_pay", 5, "-3"),
                          ("weekly_hours", 4, "inf"), ("weekly_hours", 5, "168"), ("weekly_hours", 6, "50%")}
    assert "more than 500" in found[("hourly_pay", 3, "1,234.50")]
    assert all(p.severity == "error" and p.fix for p in problems)


def test_rule10_semicolon_decimal_comma_applies_to_pay_too() -> None:
    spec = TableSpec("pay", "test", (ColumnSpec("hourly_pay", "number", minimum=0, maximum=500),),
                     person_table=False)
    source = Source("pay", Path("pay.csv"), "pay.csv", decimal=",")
    out = coerce(pd.DataFrame({"hourly_pay": ["12,75", "1.234,5", "9"]}), spec, source, problems := [])
    assert out["hourly_pay"].tolist()[0] == 12.75 and [p.value for p in problems] == ["1.234,5"]  # 1234.5 > 500


def test_rule10_other_number_columns_have_sensible_bounds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = folder_with(tmp_path, {
        "staff.csv": "person_id,ethnicity,age\nP1,A,34\nP2,H,-2\nP3,N,250\n",
        "staff_survey.csv": "question,group,respondents,positive,percentage\n"
                            "harassment_public,white,100,20,20%\nharassment_public,minority_ethnic,40.5,-1,120\n",
        "benchmark.csv": "ethnicity,count\nA,1e300\nH,12.5\n",
    })
    code, report = validate(folder, capsys)
    assert code == 2
    got = {(p["file"], p["column"], p["value"]) for p in report["errors"]}
    assert got == {("staff.csv", "age", "-2"), ("staff.csv", "age", "250"),
                   ("staff_survey.csv", "respondents", "40.5"), ("staff_survey.csv", "positive", "-1"),
                   ("staff_survey.csv", "percentage", "120"),
                   ("benchmark.csv", "count", "1e300"), ("benchmark.csv", "count", "12.5")}


def test_rule10_survey_percentage_may_carry_a_percent_sign() -> None:
    ds = dataset_from_frames({
        "staff": pd.DataFrame({"person_id": ["P1"], "ethnicity": ["A"]}),
        "staff_survey": pd.DataFrame({"question": ["discrimination"] * 2, "group": ["white", "minority_ethnic"],
                                      "respondents": ["200", "50"], "percentage": ["7.5%", "12"]}),
    }, organisation="S", period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
    assert ds.table("staff_survey")["percentage"].tolist() == [7.5, 12.0]


# --- rule 11: no silent misreads ------------------------------------------------------------------

def _workbook(path: Path, rows: list[list[object]], title: str = "Staff", start_row: int = 1) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r, row in enumerate(rows, start=start_row):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
    return wb


def test_rule11_formula_without_cached_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # openpyxl writes formulas without their values, as many exporters do; calamine reads them as blanks
    folder = tmp_path / "f"
    folder.mkdir()
    wb = _workbook(folder / "staff.xlsx", [["person_id", "ethnicity", "fte"], ["P1", "A", "=1/2"],
                                           ["P2", "H", 1], ["P3", "N", "=0.5+0.25"]])
    wb.save(folder / "staff.xlsx")
    (folder / "dataset.toml").write_text(TOML)
    code, report = validate(folder, capsys)
    assert code == 2
    [problem] = report["errors"]
    assert "sheet 'Staff' has 2 formula cells without a saved value (C2, C4)" in problem["message"]
    assert "Open the workbook in Excel and save it" in problem["message"]


def _with_cached_values(path: Path, values: dict[str, str]) -> None:
    """Rewrite the sheet XML as Excel saves it: each formula followed by its value, no recalc flag."""
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for ref, value in values.items():
        start = sheet.index(f'<c r="{ref}"')
        end = sheet.index("</c>", start)
        cell = sheet[start:end].replace("<v></v>", f"<v>{value}</v>").replace("<v />", f"<v>{value}</v>")
        sheet = sheet[:start] + cell + sheet[end:]
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b' fullCalcOnLoad="1"', b"")
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_rule11_formula_with_cached_value_reads_its_value(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    wb = _workbook(folder / "staff.xlsx", [["person_id", "ethnicity", "fte"], ["P1", "A", "=1/2"], ["P2", "H", 1]])
    wb.save(folder / "staff.xlsx")
    _with_cached_values(folder / "staff.xlsx", {"C2": "0.5"})
    (folder / "dataset.toml").write_text(TOML)
    assert load_dataset(folder).table("staff")["fte"].tolist() == [0.5, 1.0]


def test_rule11_merged_cells_in_the_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    wb = _workbook(folder / "staff.xlsx", [["Staff in post, March 2026"], [],
                                           ["person_id", "ethnicity", "service"], ["P1", "A", "Adults"],
                                           ["P2", "H", "Adults"], ["P3", "N", "Children"]])
    ws = wb.active
    ws.merge_cells("A1:C1")  # a title above the table: allowed
    ws.merge_cells("C4:C5")  # "Adults" for two people: read as Adults and a blank
    wb.save(folder / "staff.xlsx")
    (folder / "dataset.toml").write_text(TOML)
    code, report = validate(folder, capsys)
    assert code == 2
    [problem] = report["errors"]
    assert "sheet 'Staff' has merged cells in the table (C4:C5)" in problem["message"]
    assert "A1:C1" not in problem["message"] and "Unmerge" in problem["message"]


def test_rule11_merged_title_above_the_table_is_fine(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    wb = _workbook(folder / "staff.xlsx", [["Staff in post"], ["person_id", "ethnicity"], ["P1", "A"]])
    wb.active.merge_cells("A1:B1")
    wb.save(folder / "staff.xlsx")
    (folder / "dataset.toml").write_text(TOML)
    assert load_dataset(folder).table("staff")["person_id"].tolist() == ["P1"]


@pytest.mark.parametrize(("headings", "named"), [
    ("person_id,Ethnicity,ethnicity", "'Ethnicity' (column B) and 'ethnicity' (column C)"),
    ("Person ID,ethnicity,person_id", "'Person ID' (column A) and 'person_id' (column C)"),
    ("person_id,ethnicity,ethnicity", "'ethnicity' (column B) and 'ethnicity' (column C)"),
])
def test_rule11_headings_that_collide_after_normalisation(tmp_path: Path,
                                                          capsys, headings: str,  # type: ignore[no-untyped-def]
                                                          named: str) -> None:
    folder = folder_with(tmp_path, {"staff.csv": f"{headings}\nP1,A,A\n"})
    code, report = validate(folder, capsys)
    assert code == 2
    [problem] = report["errors"]
    assert named in problem["message"] and problem["row"] == 1 and problem["file"] == "staff.csv"


def test_rule11_mapped_heading_wins_over_a_heading_of_the_same_name(tmp_path: Path) -> None:
    # columns = { ethnicity = "Ethnic Origin" } chooses that column, even with an 'Ethnicity' column first
    folder = folder_with(tmp_path, {"staff.csv": "person_id,Ethnicity,Ethnic Origin\nP1,Martian,H\n"},
                         TOML + '[tables.staff]\ncolumns = { ethnicity = "Ethnic Origin" }\n')
    assert load_dataset(folder).table("staff")["ethnicity"].tolist() == ["asian_indian"]


def test_rule11_invalid_utf8_bytes_name_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "person_id,ethnicity,service\nP1,A,Café\nP2,H,Adults\n".encode()
    broken = text + b"P3,N,Caf\xe9 bar\n"  # one Windows-1252 byte in a UTF-8 file
    folder = folder_with(tmp_path, {"staff.csv": broken})
    code, report = validate(folder, capsys)
    assert code == 2
    [problem] = report["errors"]
    assert "line 4 contains bytes that are not valid UTF-8 text" in problem["message"]
    assert "CSV UTF-8" in problem["message"]


def test_rule11_windows_1252_files_still_load(tmp_path: Path) -> None:
    leavers = "person_id,ethnicity,leave_date,reason\nL1,A,01/06/2025,Retirement – age\nL2,H,02/06/2025,Café £5\n"
    folder = folder_with(tmp_path, {"leavers.csv": leavers.encode("cp1252"),
                                    "staff.csv": "person_id,ethnicity\nP1,A\n"})
    assert load_dataset(folder).table("leavers")["reason"].tolist() == ["Retirement – age", "Café £5"]


def test_rule11_sample_council_leavers_in_windows_1252_load() -> None:
    sample = Path(__file__).parent.parent / "sample_data" / "council"
    leavers = (sample / "leavers.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        leavers.decode("utf-8")
    assert len(load_dataset(sample).table("leavers")) > 0


def test_rule11_bytes_invalid_in_windows_1252_name_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 0x81 is undefined in Windows-1252 and the rest is not UTF-8: no encoding reads it right
    data = "person_id,ethnicity,reason\nP1,A,Café\n".encode("cp1252") + b"P2,H,bad \x81 byte\n"
    folder = folder_with(tmp_path, {"staff.csv": data})
    code, report = validate(folder, capsys)
    assert code == 2
    [problem] = report["errors"]
    assert "line 3" in problem["message"] and "not valid" in problem["message"]


def test_rule11_control_characters_removed_with_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = folder_with(tmp_path, {"staff.csv": "person_id,ethnicity,service\nP1,A,Adults\nP2,H,Child\x07ren\n"
                                                 "P3,N,Adults\x0bSocial care\nP4,A,Child\uffferen\n"})
    code, report = validate(folder, capsys)
    assert code == 0
    warnings = problems_about(report, "service", "warnings")
    assert {(w["row"], w["value"]) for w in warnings} == {(3, "Child\x07ren"), (4, "Adults\x0bSocial care"),
                                                           (5, "Child\uffferen")}
    assert all("control characters removed" in w["message"] and w["file"] == "staff.csv" for w in warnings)
    staff = load_dataset(folder).table("staff")
    assert staff["service"].tolist() == ["Adults", "Children", "Adults Social care", "Children"]


def test_rule11_control_characters_in_excel_cells(tmp_path: Path) -> None:
    folder = tmp_path / "x"
    folder.mkdir()
    pd.DataFrame({"person_id": ["P1", "P2"], "ethnicity": ["A", "H"], "grade": ["Band\x0b5", "Band 6"]}).to_excel(
        folder / "staff.xlsx", index=False)
    (folder / "dataset.toml").write_text(TOML)
    ds = load_dataset(folder)
    assert ds.table("staff")["grade"].tolist() == ["Band 5", "Band 6"]  # a vertical tab separates words
    assert any(p.column == "grade" and p.row == 2 and "control characters" in p.message for p in ds.problems)


def test_rule11_tab_newline_and_carriage_return_are_kept() -> None:
    ds = dataset_from_frames({"staff": pd.DataFrame({"person_id": ["P1"], "ethnicity": ["A"],
                                                     "service": ["Adults\tand\nolder people"]})},
                             organisation="T", period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
    assert ds.table("staff")["service"].tolist() == ["Adults\tand\nolder people"]
    assert not any("control" in p.message for p in ds.problems)


def test_rule11_misspelt_top_level_key_did_you_mean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = folder_with(tmp_path, {"staff.csv": "person_id,ethnicity\nP1,A\n"},
                         TOML.replace("period_end", "period_ends").replace("organisation", "organization"))
    code, report = validate(folder, capsys)
    assert code == 2
    fixes = {p["column"]: p["fix"] for p in report["errors"]}
    assert fixes["period_ends"].startswith("did you mean 'period_end'?")
    assert fixes["organization"].startswith("did you mean 'organisation'?")


def test_rule11_misspelt_table_key_and_table_name_and_column(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    toml = TOML + ('[tables.staf]\npath = "staff.csv"\n'
                   '[tables.leavers]\npth = "leavers.csv"\ncolumns = { leave_dat = "Date left", ethnicity = "Eth" }\n'
                   'values.reasons = { "x" = "y" }\n')
    folder = folder_with(tmp_path, {"staff.csv": "person_id,ethnicity\nP1,A\n"}, toml)
    code, report = validate(folder, capsys)
    assert code == 2
    by_message = {p["message"]: p["fix"] for p in report["errors"]}
    assert by_message["[tables.staf] is not a known table"].startswith("did you mean 'staff'?")
    assert by_message["unknown key 'pth' in [tables.leavers]"].startswith("did you mean 'path'?")
    assert by_message["'leave_dat' in [tables.leavers] columns is not a column of the leavers table"].startswith(
        "did you mean 'leave_date'?")
    assert by_message["'reasons' in [tables.leavers] values is not a column of the leavers table"].startswith(
        "did you mean 'reason'?")
    # reported once, by the config check
    assert sum("staf]" in m for m in by_message) == 1


@pytest.mark.parametrize(("toml", "column", "words"), [
    ("period_end = 5\n", "period_end", "must be a date"),
    ('organisation = ["a"]\n', "organisation", "must be text"),
    ('[tables.staff]\ncolumns = "x"\n', "[tables.staff] columns", "must be {"),
    ('[tables.staff]\nvalues = { ethnicity = "A" }\n', "ethnicity", "must map your values"),
    ('[tables.staff]\ncolumns = { ethnicity = 3 }\n', "ethnicity", "must be text"),
    ("tables = 3\n", "tables", "must be a [tables.NAME] section"),
])
def test_rule11_mistyped_dataset_toml_values(tmp_path: Path,
                                             capsys, toml: str, column: str,  # type: ignore[no-untyped-def]
                                             words: str) -> None:
    base = 'period_start = 2025-04-01\n' + ('organisation = "T"\n' if "organisation" not in toml else "")
    if not toml.startswith("period_end"):
        base += "period_end = 2026-03-31\n"
    folder = folder_with(tmp_path, {"staff.csv": "person_id,ethnicity\nP1,A\n"}, base + toml)
    code, report = validate(folder, capsys)
    assert code == 2
    assert any(p["column"] == column and words in p["message"] for p in report["errors"]), report["errors"]


def test_rule11_keys_the_engine_reads_are_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    toml = ('organisation = "T"\nsector = "nhs"\nperiod_start = 2025-04-01\nperiod_end = 2026-03-31\n'
            'snapshot = 2026-03-31\nclassification = "nhs"\n[tables.staff]\npath = "s.csv"\n'
            'columns = { person_id = "Employee No" }\nvalues.ethnicity = { "WB" = "A", 99 = "99" }\nfte_max = 1.2\n')
    folder = folder_with(tmp_path, {"s.csv": "Employee No,ethnicity,fte\nE1,WB,1.0\n"}, toml)
    code, report = validate(folder, capsys)
    assert code == 0, report["errors"]


def test_rule11_section_written_without_tables_prefix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = folder_with(tmp_path, {"staff.csv": "person_id,ethnicity\nP1,A\n"}, TOML + '[staff]\npath = "staff.csv"\n')
    code, report = validate(folder, capsys)
    assert code == 2 and report["errors"][0]["fix"] == "write the section as [tables.staff]"


def test_rule11_labels_differing_only_in_case_or_punctuation_are_merged(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    staff = ("person_id,ethnicity,service,staff_group\n"
             "P1,A,Adults,Nursing\nP2,H,adults,Nursing\nP3,N,Adults ,Non-clinical\nP4,A,ADULTS,non clinical\n"
             "P5,A,Children's,Non-clinical\nP6,H,Childrens,Nursing\nP7,N,Adults,Nursing\n")
    folder = folder_with(tmp_path, {"staff.csv": staff})
    ds = load_dataset(folder)
    staff_table = ds.table("staff")
    # Adults 3 rows (the trailing space is trimmed), adults 1, ADULTS 1: merged into the most frequent
    assert staff_table["service"].tolist() == ["Adults", "Adults", "Adults", "Adults", "Children's", "Children's",
                                               "Adults"]
    assert staff_table["staff_group"].tolist() == ["Nursing", "Nursing", "Non-clinical", "Non-clinical",
                                                   "Non-clinical", "Nursing", "Nursing"]
    merged = [p for p in ds.problems if "merged" in p.message]
    service = [p.message for p in merged if p.column == "service"]
    assert service == ["spellings that differ only in case or punctuation were merged into 'Adults': 'Adults' "
                       "(3 rows), 'ADULTS' (1 row), 'adults' (1 row)",
                       "spellings that differ only in case or punctuation were merged into 'Children's': "
                       "'Children's' (1 row), 'Childrens' (1 row)"]
    assert all(p.severity == "warning" and p.file == "staff.csv" for p in merged)


def test_rule11_labels_with_different_words_or_plus_are_kept_apart() -> None:
    ds = dataset_from_frames({
        "staff": pd.DataFrame({"person_id": ["P1", "P2", "P3", "P4"], "ethnicity": ["A", "A", "H", "N"],
                               "grade": ["Grade 1-2", "Grade 12", "Band 8a", "Band 8a"]}),
        "appraisals": pd.DataFrame({"person_id": ["P1", "P2"], "outcome": ["benefit", "neutral"],
                                    "rating": ["A", "a"]}),
    }, organisation="T", period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
    assert ds.table("staff")["grade"].tolist() == ["Grade 1-2", "Grade 12", "Band 8a", "Band 8a"]
    assert ds.table("appraisals")["rating"].tolist() == ["A", "a"]  # ratings are not labels to merge
    assert not any("merged" in p.message for p in ds.problems)


# --- rule 12: unrecognised ethnicity values -------------------------------------------------------

def test_rule12_fuzzy_suggestion(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = folder_with(tmp_path, {"staff.csv": "person_id,ethnicity\nP1,A\nP2,Whte British\nP3,Pakistany\n"})
    code, report = validate(folder, capsys)
    assert code == 2
    fixes = {p["value"]: p["fix"] for p in problems_about(report, "ethnicity")}
    assert fixes["Whte British"].startswith(
        "the nearest known value is 'White British' (White: English, Welsh, Scottish, Northern Irish or British, "
        "NHS code A): if that is what it means, add values.ethnicity = { \"Whte British\" = \"A\" } under "
        "[tables.staff] in dataset.toml")
    assert "'Pakistani' (Asian: Pakistani, NHS code J)" in fixes["Pakistany"]


def test_rule12_suggested_mapping_line_works(tmp_path: Path) -> None:
    toml = TOML + '[tables.staff]\nvalues.ethnicity = { "Whte British" = "A", "Gipsy Traveller" = "Gypsy Traveller" }\n'
    folder = folder_with(tmp_path, {"staff.csv": "person_id,ethnicity\nP1,Whte British\nP2,Gipsy Traveller\n"}, toml)
    assert load_dataset(folder).table("staff")["ethnicity"].tolist() == ["white_british", "white_gypsy_traveller"]


def test_rule12_suggestion_keeps_the_detailed_category() -> None:
    # Gypsy or Irish Traveller shares NHS code C with "any other White": the mapping names the label
    suggestion = Classifier(builtin_schemes()).suggest("Gipsy Traveller")
    assert suggestion is not None
    assert (suggestion.label, suggestion.category.id, suggestion.target) == \
        ("Gypsy Traveller", "white_gypsy_traveller", "Gypsy Traveller")


def test_rule12_nothing_close_says_so_never_a_default_group(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = folder_with(tmp_path, {"staff.csv": "person_id,ethnicity\nP1,A\nP2,Martian\nP3,Jedi\n"})
    _, report = validate(folder, capsys)
    for problem in problems_about(report, "ethnicity"):
        assert problem["fix"].startswith("no known value is close to it")
        assert '= "S"' not in problem["fix"] and "NHS code (A-S)" in problem["fix"]


def test_rule12_esr_undefined_is_not_known_and_the_user_decides(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert Classifier(builtin_schemes()).lookup("Undefined") is None
    folder = folder_with(tmp_path, {"staff.csv": "person_id,ethnicity\nP1,A\nP2,Undefined\nP3,Undefined\n"})
    code, report = validate(folder, capsys)
    assert code == 2
    [problem] = problems_about(report, "ethnicity")
    assert (problem["row"], problem["value"], problem["message"]) == (3, "Undefined",
                                                                      "ethnic group not recognised (2 rows)")
    assert 'values.ethnicity = { "Undefined" = "99" } (not known)' in problem["fix"]
    assert '"Z" (not stated)' in problem["fix"]


def test_rule12_event_table_names_its_own_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = folder_with(tmp_path, {"staff.csv": "person_id,ethnicity\nP1,A\n",
                                    "leavers.csv": "person_id,ethnicity,leave_date\nL1,Blk African,01/06/2025\n"})
    _, report = validate(folder, capsys)
    [problem] = problems_about(report, "ethnicity")
    assert problem["file"] == "leavers.csv"
    assert 'add values.ethnicity = { "Blk African" = "N" } under [tables.leavers]' in problem["fix"]


def test_rule12_dataset_from_frames_suggests_too() -> None:
    with pytest.raises(InputError) as caught:
        dataset_from_frames({"staff": pd.DataFrame({"person_id": ["P1"], "ethnicity": ["Wite Irish"]})},
                            organisation="T", period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
    [problem] = caught.value.problems
    assert "'White Irish' (White: Irish, NHS code B)" in (problem.fix or "")


def test_rule11_formula_scan_finds_sheets_by_name_or_number_and_trusts_excel_string_results(tmp_path: Path) -> None:
    from equality_reports.intake import xlsx

    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    ws = wb.create_sheet("Staff")
    ws.append(["person_id", "ethnicity", "grade"])
    ws.append(["P1", "A", '=IF(1=1,"","x")'])
    wb.save(tmp_path / "book.xlsx")
    assert xlsx.scan(tmp_path / "book.xlsx", "Staff").uncached == ["C2"]
    assert xlsx.scan(tmp_path / "book.xlsx", 1).uncached == ["C2"]
    assert xlsx.scan(tmp_path / "book.xlsx").uncached == []  # the first sheet has no formulas
    # as Excel saves a formula whose result is empty text: t="str" and an empty value
    _with_cached_values(tmp_path / "book.xlsx", {})
    with zipfile.ZipFile(tmp_path / "book.xlsx") as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts["xl/worksheets/sheet2.xml"] = parts["xl/worksheets/sheet2.xml"].replace(b'<c r="C2">', b'<c r="C2" t="str">')
    with zipfile.ZipFile(tmp_path / "book.xlsx", "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    assert xlsx.scan(tmp_path / "book.xlsx", "Staff").uncached == []


def test_a_line_cut_short_is_read_as_blanks_and_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "dataset.toml").write_text('organisation = "Riverside Council"\nperiod_start = 2025-04-01\n'
                                         'period_end = 2026-03-31\n')
    (folder / "staff.csv").write_text("person_id,ethnicity,grade,fte\nP1,A,Grade 1,1.0\nP2,N\nP3,A,,\n"
                                      'P4,"H",Grade 2,0.5\n')
    result = run_cli(["validate", folder], capsys)
    assert result.code == 0, result.out
    # row 3 (P2) has 2 values of 4; row 4 (P3) has all 4, two of them empty: not cut short
    assert "staff.csv, row 3: 1 row(s) have fewer values than the header row has column names" in result.out
    assert "(rows 3)" in result.out
    ds = load_dataset(folder)
    assert ds.tables["staff"]["person_id"].tolist() == ["P1", "P2", "P3", "P4"]
