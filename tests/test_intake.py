"""Data intake: code forms, encodings, header search, mapping, joins and the sample datasets."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from helpers_cli import run_cli

from equality_reports.classification import classify
from equality_reports.errors import InputError
from equality_reports.intake import dataset_from_frames, load_dataset, validate_dataset, write_template

SAMPLES = Path(__file__).parent.parent / "sample_data"

CODES = [
    ("A", "white_british"), ("A White - British", "white_british"), ("C3 White Unspecified", "white_other"),
    ("CG Gypsy/Traveller", "white_other"), ("B", "white_irish"), ("H", "asian_indian"), ("R Chinese", "asian_chinese"),
    ("S", "other_any"), ("Z", "not_stated"), ("Z Not Stated", "not_stated"), ("99", "not_known"), ("X", "not_known"),
    ("", "not_known"), ("White British", "white_british"), ("White - British", "white_british"),
    ("White: English, Welsh, Scottish, Northern Irish or British", "white_british"),
    ("Asian or Asian British: Indian", "asian_indian"), ("Black African", "black_african"),
    ("Black, African, Caribbean or Black British: African", "black_african"),
    ("Mixed White and Asian", "mixed_white_asian"), ("Mixed - White & Black Caribbean", "mixed_white_black_caribbean"),
    ("Any other Mixed background", "mixed_other"), ("Gypsy or Irish Traveller", "white_gypsy_traveller"),
    ("Roma", "white_roma"), ("Arab", "other_arab"), ("Other ethnic group: Arab", "other_arab"),
    ("Chinese", "asian_chinese"), ("Any other ethnic group", "other_any"), ("Prefer not to say", "not_stated"),
    ("Not declared", "not_stated"), ("not known", "not_known"), ("WBRI", "white_british"), ("wiri", "white_irish"),
    ("WIRT", "white_gypsy_traveller"), ("WROM", "white_roma"), ("MWBC", "mixed_white_black_caribbean"),
    ("AIND", "asian_indian"), ("APKN", "asian_pakistani"), ("ABAN", "asian_bangladeshi"), ("BCRB", "black_caribbean"),
    ("BAFR", "black_african"), ("CHNE", "asian_chinese"), ("OOTH", "other_any"), ("REFU", "not_stated"),
    ("NOBT", "not_known"), ("  white   BRITISH ", "white_british"),
]


@pytest.mark.parametrize("raw,expected", CODES)
def test_every_accepted_code_form(raw: str, expected: str) -> None:
    assert classify(pd.Series([raw]))["ethnicity"].iloc[0] == expected


def test_binary_groups_keep_not_stated_apart_from_not_known() -> None:
    out = classify(pd.Series(["Z", "99", "N", "A"]))
    assert out["ethnicity"].tolist() == ["not_stated", "not_known", "black_african", "white_british"]
    assert out["ethnic_binary"].tolist() == ["unknown", "unknown", "minority_ethnic", "white"]


def _write(folder: Path, text: str, encoding: str, name: str = "staff.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(text.encode(encoding))
    (folder / "dataset.toml").write_text('organisation = "Enc"\nperiod_end = 2026-03-31\n')
    return folder


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-32", "utf-32-le", "utf-32-be"])
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    text = "person_id,ethnicity,service\nP1,White British,Café society\nP2,Black African,Zoë’s\n"
    ds = load_dataset(_write(tmp_path / encoding, text, encoding))
    staff = ds.table("staff")
    assert staff["service"].tolist() == ["Café society", "Zoë’s"]
    assert staff["ethnicity"].tolist() == ["white_british", "black_african"]


def test_a_column_without_a_heading_between_named_ones_is_named(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A heading left empty in the middle was reported as a row with 'more values than the header
    row'; the message names the column, the heading before it and a value in it."""
    folder = _write(tmp_path / "h", "person_id,ethnicity,,service\nP1,White British,Grade 7,Adults\n", "utf-8")
    res = run_cli(["validate", folder], capsys)
    assert res.code == 2
    assert ("staff.csv: column 3 (after 'ethnicity') has no name in the header row (row 1) but holds values "
            "(row 2: 'Grade 7')") in res.out
    assert f"{folder}" not in res.out.split("staff.csv: column 3")[1].split("\n")[0]  # the path once, not twice


def test_loaded_tables_carry_no_reader_notes(tmp_path: Path) -> None:
    """What a reader notes about the file (a CSV's width of every line) stays with the reader:
    pandas deep-copies a frame's attrs on every operation, so a list per line made a 100k-staff run
    four times slower (benchmarks/README.md)."""
    text = "person_id,ethnicity,service\n" + "".join(f"P{i},White British,Adults\n" for i in range(50))
    ds = load_dataset(_write(tmp_path / "csv", text, "utf-8"))
    assert all(not frame.attrs for frame in ds.tables.values())


def test_header_row_below_titles_is_found_and_rows_counted_from_it(tmp_path: Path) -> None:
    text = "Staff in post at 31 March 2026\nExtracted by HR\n\nperson_id,ethnicity,bank\nP1,A,Y\nP2,A,sometimes\n"
    result = validate_dataset(_write(tmp_path / "h", text, "utf-8"))
    [problem] = [p for p in result.problems if p.severity == "error"]
    assert problem.row == 6 and problem.column == "bank" and problem.value == "sometimes"


def test_excel_with_title_row_and_mapped_columns(tmp_path: Path) -> None:
    folder = tmp_path / "x"
    folder.mkdir()
    with pd.ExcelWriter(folder / "HR extract.xlsx") as writer:
        pd.DataFrame([["Staff in post"]]).to_excel(writer, sheet_name="Staff", header=False, index=False)
        pd.DataFrame({"Employee No": ["E1", "E2"], "Ethnic Origin": ["WB", "Eastern European"],
                      "Bank?": ["Yes", "no"]}).to_excel(writer, sheet_name="Staff", startrow=2, index=False)
    (folder / "dataset.toml").write_text(
        'organisation = "Map"\nperiod_end = 2026-03-31\n[tables.staff]\npath = "HR extract.xlsx"\nsheet = "Staff"\n'
        'columns = { person_id = "Employee No", ethnicity = "Ethnic Origin", bank = "Bank?" }\n'
        'values.ethnicity = { "WB" = "A" }\n')
    ds = load_dataset(folder)
    staff = ds.table("staff")
    assert staff["person_id"].tolist() == ["E1", "E2"]
    assert staff["ethnicity"].tolist() == ["white_british", "white_other"]
    assert staff["bank"].tolist() == [True, False]
    assert ds.inputs[0].path == "HR extract.xlsx [Staff]" and len(ds.inputs[0].sha256) == 64


def test_a_message_names_a_mapped_column_by_its_heading_in_the_file(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A column read through dataset.toml's mapping is named as the file heads it ("Ethnic Origin"),
    with the name the fix refers to beside it, on the console and in the JSON."""
    folder = tmp_path / "x"
    folder.mkdir()
    with pd.ExcelWriter(folder / "HR extract.xlsx") as writer:
        pd.DataFrame([["Staff in post"]]).to_excel(writer, sheet_name="Staff", header=False, index=False)
        pd.DataFrame({"Employee No": ["E1", "E2"], "Ethnic Origin": ["A", "Martian"]}).to_excel(
            writer, sheet_name="Staff", startrow=2, index=False)
    (folder / "dataset.toml").write_text(
        'organisation = "Map"\nperiod_end = 2026-03-31\n[tables.staff]\npath = "HR extract.xlsx"\nsheet = "Staff"\n'
        'columns = { person_id = "Employee No", ethnicity = "Ethnic Origin" }\n')
    res = run_cli(["validate", folder], capsys)
    assert res.code == 2
    assert "HR extract.xlsx [Staff], row 5, column 'Ethnic Origin' (read as ethnicity): ethnic group not recognised" in res.out
    assert 'add values.ethnicity = { "Martian" = "..." }' in res.out
    res = run_cli(["validate", folder, "--json"], capsys)
    error = json.loads(res.out)["errors"][0]
    assert (error["column"], error["heading"], error["row"]) == ("ethnicity", "Ethnic Origin", 5)
    # a column the file heads with its canonical name has no second name
    plain = _write(tmp_path / "u", "person_id,ethnicity\nP1,Martian\n", "utf-8")
    assert "staff.csv, row 2, column 'ethnicity': ethnic" in run_cli(["validate", plain], capsys).out


def test_a_reports_check_names_the_file_sheet_and_heading_it_reads(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A report's check names the table ("staff"); the message names the file and sheet it was read
    from and the file's heading, in validate and in run (once, among the report's warnings)."""
    folder = tmp_path / "x"
    folder.mkdir()
    with pd.ExcelWriter(folder / "HR extract.xlsx") as writer:
        pd.DataFrame({"Employee No": ["E1", "E2"], "Ethnic Origin": ["A", "N"], "Pay Band": ["Band 5", "Band 6"]}
                     ).to_excel(writer, sheet_name="Staff", index=False)
    (folder / "dataset.toml").write_text(
        'organisation = "Map"\nperiod_end = 2026-03-31\n[options]\ngrade_order = "Band 5, Band 99"\n'
        '[tables.staff]\npath = "HR extract.xlsx"\nsheet = "Staff"\n'
        'columns = { person_id = "Employee No", ethnicity = "Ethnic Origin", grade = "Pay Band" }\n')
    said = "HR extract.xlsx [Staff], column 'Pay Band' (read as grade): grade_order names grade(s) not in " \
           "staff.grade: Band 99"
    assert said in run_cli(["validate", folder], capsys).out
    res = run_cli(["run", "rraa-employment", "--data", folder, "--out", tmp_path / "out", "--format", "json"], capsys)
    assert res.code == 0 and (res.out + res.err).count(said) == 1, res.out + res.err


def test_unmapped_value_message_names_file_row_column_and_fix(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    folder = _write(tmp_path / "u", "person_id,ethnicity\nP1,A\nP2,Martian\nP3,Martian\n", "utf-8")
    res = run_cli(["validate", folder], capsys)
    assert res.code == 2
    assert ("staff.csv, row 3, column 'ethnicity': ethnic group not recognised (2 rows) (value: 'Martian'). "
            'Fix: no known value is close to it: add values.ethnicity = { "Martian" = "..." } under [tables.staff] '
            'in dataset.toml with an NHS code (A-S), "Z" for not stated or "99" for not known') in res.out


def test_events_join_ethnicity_from_staff_and_warn_for_strangers(tmp_path: Path) -> None:
    staff = pd.DataFrame({"person_id": ["P1", "P2"], "ethnicity": ["A", "N"], "service": ["adults", "childrens"]})
    disc = pd.DataFrame({"case_id": ["D1", "D2"], "person_id": ["P2", "P9"], "formal": [True, False]})
    ds = dataset_from_frames({"staff": staff, "disciplinary": disc}, organisation="J",
                             period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
    d = ds.table("disciplinary")
    assert d["ethnic_binary"].tolist() == ["minority_ethnic", "unknown"]
    assert d["service"].tolist() == ["childrens", None] or d["service"].iloc[0] == "childrens"
    assert any("person_id neither in staff nor on a leavers record giving one" in str(p) for p in ds.problems)


def test_events_of_people_who_left_take_their_ethnic_group_from_the_leavers_table(tmp_path: Path) -> None:
    """A disciplinary case ending in dismissal belongs to someone no longer in post: their leaving
    record gives their ethnic group (and service), not "not known"; staff in post come first."""
    staff = pd.DataFrame({"person_id": ["P1", "P2"], "ethnicity": ["A", "N"], "service": ["adults", "childrens"]})
    leavers = pd.DataFrame({"person_id": ["L1", "L2", "P1"], "ethnicity": ["H", "", "N"],
                            "leave_date": ["2025-06-01"] * 3, "service": ["childrens", "adults", "adults"]})
    disc = pd.DataFrame({"case_id": ["D1", "D2", "D3", "D4"], "person_id": ["L1", "L2", "P1", "P9"],
                         "formal": [True] * 4, "outcome": ["Dismissal"] * 4})
    ds = dataset_from_frames({"staff": staff, "leavers": leavers, "disciplinary": disc}, organisation="J",
                             period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
    d = ds.table("disciplinary")
    assert d["ethnic_binary"].tolist() == ["minority_ethnic", "unknown", "white", "unknown"]
    assert d["ethnicity_source"].tolist() == ["leavers", "unknown", "staff", "unknown"]
    assert d["service"].tolist()[0] == "childrens"
    assert ds.ethnicity_sources["disciplinary"] == {"own": 0, "staff": 1, "leavers": 1, "unknown": 2}
    warnings = {p.file: p for p in ds.problems if "neither in staff" in str(p)}
    assert set(warnings) == {"disciplinary", "leavers"}, warnings
    assert warnings["disciplinary"].message.startswith("2 row(s)") and warnings["disciplinary"].value == "L2"
    assert warnings["leavers"].message.startswith("1 row(s)")  # L2's leaving record gives none


def test_dataset_from_frames_rejects_bad_values() -> None:
    with pytest.raises(InputError, match="not a yes/no value"):
        dataset_from_frames({"staff": pd.DataFrame({"person_id": ["P1"], "ethnicity": ["A"], "bank": ["often"]})},
                            organisation="X", period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))


@pytest.mark.parametrize("kind,rows", [("council", 1800), ("nhs_trust", 2506), ("social_care", 900),
                                       ("small_body", 120)])
def test_sample_datasets_validate(kind: str, rows: int, capsys) -> None:  # type: ignore[no-untyped-def]
    res = run_cli(["validate", SAMPLES / kind], capsys)
    assert res.code == 0, res.out
    result = validate_dataset(SAMPLES / kind)
    assert result.summary["tables"]["staff"]["rows"] == rows
    staff = result.dataset.table("staff")
    declared = (staff["ethnic_binary"] != "unknown").mean() * 100
    assert result.summary["declaration_rate_pct"]["ethnicity"] == round(declared, 1)


def test_template_workbook_has_sheets_notes_and_dropdowns(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write_template(tmp_path, ["staff", "applications"])
    wb = load_workbook(path)
    assert wb.sheetnames == ["Notes", "staff", "applications"]
    assert wb["staff"]["A1"].value == "person_id *"
    lists = [dv.formula1 for dv in wb["applications"].data_validations.dataValidation]
    assert any('"Y,N"' in f for f in lists)


@pytest.mark.parametrize(("data", "expected"), [
    ("person_id,ethnicity\n".encode("utf-16"), "utf-16"),
    ("person_id,ethnicity\n".encode("utf-16-le"), "utf-16-le"),
    ("person_id,ethnicity\n".encode("utf-16-be"), "utf-16-be"),
    (b"person_id,ethnicity\n", None),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 3 + b"IHDR" + bytes(range(1, 200)), None),
])
def test_utf16_is_told_by_its_mark_or_its_zero_bytes(data: bytes, expected: str | None) -> None:
    """The public helper the CSV reader and the evidence bundle share: a few zero bytes in a binary
    file do not make it UTF-16."""
    from equality_reports import utf16_encoding

    assert utf16_encoding(data) == expected


def test_a_mapping_to_a_heading_the_file_lacks_is_an_error(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """An optional column mapped to a heading the file does not have was ignored without a word
    (the file's own 'grade' column read instead); it is an error naming the mapping."""
    folder = _write(tmp_path / "m", "person_id,ethnicity,grade\nP1,A,B5\nP2,A,B6\n", "utf-8")
    (folder / "dataset.toml").write_text('organisation = "M"\nperiod_end = 2026-03-31\n[tables.staff]\n'
                                         'columns = { grade = "No Such Heading" }\n', encoding="utf-8")
    res = run_cli(["validate", folder], capsys)
    assert res.code == 2
    assert "dataset.toml maps grade to the heading 'No Such Heading', which staff.csv does not have" in res.out


def test_an_unused_column_named_like_a_mapped_one_is_named_as_the_file_heads_it(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """'Pay Band' mapped to grade beside a literal 'grade' heading: the warning about the unused
    column names 'grade', not the mapped 'Pay Band'."""
    folder = _write(tmp_path / "c", "person_id,ethnicity,Pay Band,grade\nP1,A,B5,x\nP2,A,B6,y\n", "utf-8")
    (folder / "dataset.toml").write_text('organisation = "M"\nperiod_end = 2026-03-31\n[tables.staff]\n'
                                         'columns = { grade = "Pay Band" }\n', encoding="utf-8")
    out = run_cli(["validate", folder], capsys).out
    assert "column 'Pay Band' (read as grade): column grade" not in out
    assert "column grade in staff.csv is not used" in out


def test_control_characters_from_the_data_are_shown_escaped_in_messages() -> None:
    """A NUL or an escape sequence in dataset.toml's sector reached the terminal as it was."""
    from equality_reports.errors import Problem

    text = str(Problem("unknown sector 'a\x00b\x1b[31m'", file="dataset.toml", value="a\x00b"))
    assert text == "dataset.toml: unknown sector 'a\\x00b\\x1b[31m' (value: 'a\\x00b')"
