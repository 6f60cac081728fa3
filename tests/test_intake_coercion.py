"""Data intake: boolean and date coercion, table checks, other file shapes, scheme selection, sample generator."""

from __future__ import annotations

import filecmp
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from equality_reports.classification import classify
from equality_reports.errors import InputError
from equality_reports.intake import dataset_from_frames, generate_sample, load_dataset

PERIOD = {"organisation": "X", "period_start": date(2025, 4, 1), "period_end": date(2026, 3, 31)}


def _messages(tables: dict[str, pd.DataFrame]) -> list[str]:
    with pytest.raises(InputError) as err:
        dataset_from_frames(tables, **PERIOD)
    return [str(p) for p in err.value.problems]


@pytest.mark.parametrize("raw,expected", [
    ("Y", True), ("y", True), ("Yes", True), ("YES", True), ("True", True), ("true", True), ("1", True),
    ("N", False), ("n", False), ("No", False), ("no", False), ("FALSE", False), ("False", False), ("0", False),
])
def test_boolean_forms(raw: str, expected: bool) -> None:
    staff = pd.DataFrame({"person_id": ["P1"], "ethnicity": ["A"], "bank": [raw]})
    bank = dataset_from_frames({"staff": staff}, **PERIOD).table("staff")["bank"]
    assert str(bank.dtype) == "boolean"
    assert bool(bank.iloc[0]) is expected


@pytest.mark.parametrize("raw,expected", [
    ("2020-01-31", date(2020, 1, 31)), ("31/01/2020", date(2020, 1, 31)), ("05/03/2021", date(2021, 3, 5)),
    ("1/2/2019", date(2019, 2, 1)),
])
def test_dates_iso_and_uk_day_first(raw: str, expected: date) -> None:
    staff = pd.DataFrame({"person_id": ["P1"], "ethnicity": ["A"], "start_date": [raw]})
    start = dataset_from_frames({"staff": staff}, **PERIOD).table("staff")["start_date"]
    assert start.dtype.kind == "M"
    assert start.iloc[0].date() == expected


def test_unparseable_date_names_row_column_and_value() -> None:
    staff = pd.DataFrame({"person_id": ["P1", "P2"], "ethnicity": ["A", "A"], "start_date": ["2020-01-01", "32/13/2020"]})
    [message] = _messages({"staff": staff})
    assert "row 3, column 'start_date'" in message and "'32/13/2020'" in message and "not a date" in message


def test_duplicate_person_id_is_an_error_at_the_second_row() -> None:
    staff = pd.DataFrame({"person_id": ["P1", "P2", "P1"], "ethnicity": ["A", "A", "A"]})
    [message] = _messages({"staff": staff})
    assert "row 4, column 'person_id'" in message and "more than once" in message and "'P1'" in message


def test_missing_required_column_is_named() -> None:
    [message] = _messages({"staff": pd.DataFrame({"person_id": ["P1"]})})
    assert "required column 'ethnicity' is missing" in message


def test_appointed_without_shortlisted_is_reported_with_its_count() -> None:
    staff = pd.DataFrame({"person_id": ["P1"], "ethnicity": ["A"]})
    apps = pd.DataFrame({"application_id": ["A1", "A2", "A3"], "ethnicity": ["A", "N", "H"],
                         "shortlisted": ["N", "Y", "no"], "appointed": ["Y", "Y", "yes"]})
    ds = dataset_from_frames({"staff": staff, "applications": apps}, **PERIOD)
    [problem] = [p for p in ds.problems if p.column == "appointed"]
    assert "2 application(s) appointed without being shortlisted" in str(problem)
    assert problem.file == "applications" and problem.row == 2


def test_parquet_table_is_read(tmp_path: Path) -> None:
    pd.DataFrame({"person_id": ["P1", "P2"], "ethnicity": ["White British", "Z"]}).to_parquet(tmp_path / "staff.parquet")
    (tmp_path / "dataset.toml").write_text('organisation = "P"\nperiod_end = 2026-03-31\n')
    ds = load_dataset(tmp_path)
    assert ds.table("staff")["ethnicity"].tolist() == ["white_british", "not_stated"]
    assert [i.table for i in ds.inputs] == ["staff"] and ds.inputs[0].rows == 2


def test_workbook_sheets_are_tables_whatever_their_case(tmp_path: Path) -> None:
    book = tmp_path / "returns.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"person_id": ["P1", "P2"], "ethnicity": ["A", "N"]}).to_excel(writer, sheet_name="staff", index=False)
        pd.DataFrame({"person_id": ["P2"], "leave_date": ["01/02/2026"], "ethnicity": ["N"]}).to_excel(
            writer, sheet_name="Leavers", index=False)
    ds = load_dataset(book)
    leavers = ds.table("leavers")
    assert leavers["leave_date"].iloc[0].date() == date(2026, 2, 1)
    assert leavers["ethnic_binary"].tolist() == ["minority_ethnic"]


def test_matching_ignores_punctuation_case_and_spacing() -> None:
    raw = pd.Series(["white-british", "WHITE:BRITISH", "Black/African", "asian or asian british - indian", None])
    assert classify(raw)["ethnicity"].tolist() == [
        "white_british", "white_british", "black_african", "asian_indian", "not_known"]


def test_one_scheme_only_and_unmapped_values_are_none() -> None:
    out = classify(pd.Series(["WBRI", "Martian"]), scheme="dfe")
    assert out["ethnicity"].iloc[0] == "white_british" and out["ethnic_binary"].iloc[0] == "white"
    assert out.iloc[1].isna().all()
    with pytest.raises(ValueError, match="unknown classification scheme"):
        classify(pd.Series(["A"]), scheme="nope")


def test_generator_is_seed_deterministic_and_keeps_other_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    (first / "notes.csv").write_text("kept\n")
    generate_sample(first, "small_body", seed=3)
    generate_sample(second, "small_body", seed=3)
    assert (first / "notes.csv").read_text() == "kept\n"
    written = sorted(p.name for p in second.iterdir())
    assert "staff.csv" in written and "dataset.toml" in written
    assert all(filecmp.cmp(first / name, second / name, shallow=False) for name in written)
    generate_sample(tmp_path / "c", "small_body", seed=4)
    assert not filecmp.cmp(first / "staff.csv", tmp_path / "c" / "staff.csv", shallow=False)
