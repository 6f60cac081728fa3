"""Identifiers of people and cases never reach a publication, whatever free text carries them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from helpers_cli import run_cli

from equality_reports.dataset import Dataset
from equality_reports.document import Column, Document, Paragraph, Table
from equality_reports.identifiers import Identifiers, find_identifiers
from equality_reports.intake.contract import default_contract


def _dataset(ids: list[str]) -> Dataset:
    staff = pd.DataFrame({"person_id": ids, "ethnicity": ["A"] * len(ids)})
    cases = pd.DataFrame({"case_id": ["DC-2025-017"], "person_id": [ids[0]]})
    return Dataset("Org", date(2025, 4, 1), date(2026, 3, 31), {"staff": staff, "disciplinary": cases})


def _document(labels: list[str], prose: str = "") -> Document:
    doc = Document(report="demo", title="Demo", organisation="Org",
                   period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
    table = Table("reasons", "Reasons for leaving", [Column("reason", "Reason"), Column("n", "Leavers", "count")],
                  pd.DataFrame({"reason": labels, "n": [10] * len(labels)}))
    doc.section("leavers", "Leavers").add(table, Paragraph(text=prose or "Nothing to add."))
    return doc


def _found(labels: list[str], prose: str = "", ids: tuple[str, ...] = ("E0010423", "104234", "2024", "E12"),
           data: Dataset | None = None) -> list[str]:
    identifiers = Identifiers(data or _dataset(list(ids)), default_contract())
    return [f.origin.value for f in find_identifiers(_document(labels, prose), identifiers)]


@pytest.mark.parametrize("label", [
    "Dismissed (E0010423)", "e0010423 transferred", "Moved: E0010423/2",
    "Dismissal \uff25\uff10\uff10\uff11\uff10\uff14\uff12\uff13",  # full-width
    "Redundancy E0010\u200b423",  # a zero-width space inside
    "Relocation (\u04150010423)",  # a Cyrillic capital E
    "Retirement E 0010423", "Better pay (E-0010423)", "End of contract refE0010423",
    "Review case \u202e3240100E\u202c",  # stored backwards, read forwards by a right-to-left override
    "Review case of E\u31640010423",  # a Hangul filler, drawn as nothing
    "Review dismissal of EOO1O423",  # the letter O for zero
    "Review E\u0328 0010423",  # a combining mark
    "Follow up staff member 0010423",  # the number without its letter
    "Review E 001\u09e6423",  # a Bengali zero, spaced
    "Review E\u0660\u0660\u0661\u0660\u0664\u0662\u0663",  # Arabic-Indic digits
    "Review \u0555\u2c9e case E\u2d54010423",  # Armenian, Coptic and Tifinagh look-alikes of O
    "Review E-0010\u202e324\u202c",  # a right-to-left override around part of it
    "Review E0010\u02bc423",  # a modifier letter apostrophe inside
    "Review E0.010.423",  # grouped digits after the prefix
    "Review E\u24ff\u24ff\u2780\u24ff\u278d\u2781\u2782",  # negative-circled and dingbat digits
    "Review E\u00d8\u00d810423",  # the Latin O with stroke for a zero
    "Review E\u2300\u2205104\u4e8c3",  # the diameter and empty-set signs, a CJK numeral
    "Follow up staff no. 0010 423",  # the number alone, grouped
    "Dismissed, see E001 0423", "Dismissed, see E001\u00a00423",  # split inside its digits (an adversary's)
    "Dismissed, see E001\t0423", "Dismissed, see E001\n0423", "Dismissed, see E00\r\n10 423",
    # the number without its leading zeros after a word saying it is a reference (an adversary's)
    "Dismissal (staff no. 10423)", "Relocation emp 010423", "Personnel number 10423",
])
def test_a_reference_in_a_label_is_found_however_it_is_written(label: str) -> None:
    assert _found(["Retirement", label]) == ["E0010423"]


def test_a_case_reference_is_found_with_its_own_punctuation() -> None:
    assert _found(["Case DC-2025-017 closed"]) == ["DC-2025-017"]
    assert _found(["Case DC\u20112025\u2011017 closed"]) == ["DC-2025-017"]  # non-breaking hyphens


def test_digits_only_references_in_labels_and_in_sentences() -> None:
    assert _found(["Redundancy 104234"]) == ["104234"]
    assert _found(["Dismissal \u2013 104,234"]) == ["104234"]  # a thousands separator
    assert _found(["Redundancy ref 0104234"]) == ["104234"]  # a leading zero
    # sentences print counts with separators: a number written without them, or after "employee", is a reference
    assert _found(["Redundancy"], prose="Applications rose to 104,234 this year.") == []
    assert _found(["Redundancy"], prose="We had 10,423 applications, the 0,010,423rd.", ids=("E0010423",)) == []
    assert _found(["Redundancy"], prose="The network met after employee 104234 left.") == ["104234"]
    assert _found(["Redundancy"], prose="Raised by 104234 at the forum.") == ["104234"]


def test_short_numbers_are_references_only_where_the_label_says_so() -> None:
    ids = tuple(str(n) for n in range(1000, 9999))
    assert _found(["ISO 9001 lead auditor", "Grade 1500", "Cost centre 4410", "\u00a320000 to \u00a329999"],
                  ids=ids) == []
    assert _found(["Dismissal (case 4410)"], ids=ids) == ["4410"]
    assert _found(["4410"], ids=ids) == ["4410"]  # a label that is the number alone


def test_references_too_short_or_common_to_tell_anyone_apart_are_not_looked_for() -> None:
    # a year, three characters, a five-character reference inside a longer word
    assert _found(["Left in 2024", "Grade E12", "Xe1234y"], ids=("2024", "E12", "E1234")) == []


def test_a_word_shaped_like_the_references_is_found_though_the_dataset_lacks_it() -> None:
    ids = [f"E{n:07d}" for n in range(1, 60)]
    assert _found(["Dismissal \u2013 E0099999"], data=_dataset(ids)) == ["e9999999"]
    # the letters are part of the shape: another kind of code is not taken for a staff number
    assert _found(["Cost centre C1234567", "Vacancy V0000123"], data=_dataset(ids)) == []


def test_identifier_columns_of_tables_not_about_people_are_not_identifiers() -> None:
    data = _dataset(["E0010423"])
    data.tables["evidence"] = pd.DataFrame({"evidence_id": ["EV-0042"], "title": ["Policy"]})
    assert _found(["EV-0042 policy"], data=data) == []


def test_references_from_rows_outside_the_period_are_looked_for(tmp_path: Path) -> None:
    from equality_reports.intake import load_dataset

    data = _people(tmp_path / "data", "adults")
    (data / "disciplinary.csv").write_text("case_id,person_id,start_date\nDC-2023-017,E0000001,01/06/2023\n"
                                           "DC-2025-001,E0000002,01/06/2025\n", encoding="utf-8")
    dataset = load_dataset(data)
    assert "DC-2023-017" not in set(dataset.table("disciplinary")["case_id"])  # last year's: left out
    assert _found(["Dismissal after DC-2023-017"], data=dataset) == ["DC-2023-017"]


def _people(folder: Path, service: str) -> Path:
    folder.mkdir()
    codes = ["A"] * 150 + ["N"] * 60 + ["H"] * 60 + ["Z"] * 30
    rows = ["person_id,ethnicity,service"] + [
        f"E{i:07d},{code},{'adults' if i % 2 else service}" for i, code in enumerate(codes)]
    (folder / "staff.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "dataset.toml").write_text(
        'organisation = "Testshire Council"\nsector = "local_government"\n'
        "period_start = 2025-04-01\nperiod_end = 2026-03-31\n", encoding="utf-8")
    return folder


def test_a_publication_that_would_print_a_reference_is_not_written(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    data = _people(tmp_path / "data", "Childrens (lead E0000217)")
    out = tmp_path / "out"
    out.mkdir()
    (out / "last-year.docx").write_bytes(b"kept")
    res = run_cli(["run", "rraa-employment", "--data", data, "--out", out], capsys)
    assert res.code == 2 and "Traceback" not in res.err
    assert "staff.csv, row 2, column 'service'" in res.err
    assert "a reference from staff.person_id" in res.err and "'E0000217'" in res.err
    assert "[labels]" in res.err
    assert sorted(p.name for p in out.iterdir()) == ["last-year.docx"]


def test_a_label_under_labels_lets_the_publication_through(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    data = _people(tmp_path / "data", "Childrens (lead E0000217)")
    with (data / "dataset.toml").open("a", encoding="utf-8") as toml:
        toml.write('[labels]\n"Childrens (lead E0000217)" = "Children\'s services"\n')
    res = run_cli(["run", "rraa-employment", "--data", data, "--out", tmp_path / "out", "--format", "json"], capsys)
    assert res.code == 0, res.err
    text = (tmp_path / "out" / "rraa-employment.json").read_text(encoding="utf-8")
    assert "E0000217" not in text
    assert "Children's services" in json.dumps(json.loads(text)["tables"])


def test_references_in_dataset_toml_are_found_and_named_there(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    data = _people(tmp_path / "data", "childrens")
    with (data / "dataset.toml").open("a", encoding="utf-8") as toml:
        toml.write('[publication]\ncontact = "Equality team; cases of E0000020 to hr@example.gov.uk"\n'
                   '[labels]\nchildrens = "Children\'s services (lead E0000021)"\n')
    res = run_cli(["run", "rraa-employment", "--data", data, "--out", tmp_path / "out"], capsys)
    assert res.code == 2 and "Traceback" not in res.err
    assert "dataset.toml, column 'contact': the contact under [publication] would print a reference from " \
           "staff.person_id ('E0000020')" in res.err
    assert "dataset.toml, column '[labels] 'childrens'': the rraa-employment publication's" in res.err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_data_folder_named_after_a_case_is_not_written_into_the_run_record(tmp_path: Path,
                                                                             capsys: pytest.CaptureFixture[str]) -> None:
    data = _people(tmp_path / "case-E0000099", "adults")
    res = run_cli(["run", "rraa-employment", "--data", data, "--out", tmp_path / "out"], capsys)
    assert res.code == 2
    assert "column '--data': the run record's --data would print a reference from staff.person_id" in res.err


def test_an_option_holding_a_reference_is_named_with_its_own_fix(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """An option printed in the run record (and here in a table's source line) names the option
    and says to remove the reference from it, not to rename a folder."""
    data = _people(tmp_path / "data", "adults")
    res = run_cli(["run", "rraa-employment", "--data", data, "--out", tmp_path / "out", "--option",
                   "benchmark_source=Census 2021 per E0000020 records"], capsys)
    assert res.code == 2 and "Traceback" not in res.err
    assert "the option benchmark_source would print a reference from staff.person_id ('E0000020')" in res.err
    assert "Fix: remove the reference from the option benchmark_source (given with --option or under [options] " \
           "in dataset.toml)" in res.err and "give the folder a name" not in res.err


def test_codes_and_numbers_that_only_look_like_parts_of_references_are_not_refused() -> None:
    """A word's last letter never joins the number after it ("Course 0001 2024" is no E0001202), a
    reference whose letters read as digits ("L0000001") is no plain number, and a short number
    counts as a reference's digits only after "ref", "case" and the like."""
    data = _dataset([f"E{n:07d}" for n in range(1, 3000)])
    data.tables["leavers"] = pd.DataFrame({"person_id": [f"L{n:07d}" for n in range(1, 300)]})
    labels = ["Course 0001 2024", "Module 0001, 2025", "Licence 0002/2025", "Profile 0001-2020", "0161 000 0001",
              "Call 0161 000 0123", "Cost centre 00012", "Account 000001", "Course code C10234"]
    assert _found(labels, data=data) == []
    assert _found(["Retirement E 0000 117"], data=data) == ["E0000117"]  # a prefix and its digits, spaced
    assert _found(["Retirement 0000117 2025"], data=data) == ["E0000117"]  # a number before a year
    assert _found(["Hearing 10423 closed"], ids=("E10423",)) == ["E10423"]  # a number after "hearing"


def test_a_short_number_without_its_zeros_is_a_reference_only_after_such_a_word() -> None:
    """"staff no. 112" names E0000112 (the adversary's); "112 leavers" or "Band 112" do not."""
    assert _found(["Dismissal (staff no. 112)"], ids=("E0000112",)) == ["E0000112"]
    assert _found(["Relocation emp 0112"], ids=("E0000112",)) == ["E0000112"]
    assert _found(["Band 112", "Moved to site 112"], "There were 112 leavers.", ids=("E0000112",)) == []
    assert _found(["Dismissal (staff no. 12)"], ids=("E0000012",)) == []  # two digits tell nobody apart
    assert _found(["Dismissal"], "Relevant employees (staff: 112) are counted.", ids=("E0000112",)) == []


def test_a_references_letters_and_short_number_either_way_round_are_found_in_labels() -> None:
    """"E/200" and the reversed "0000123E" named E0000200 and E0000123 (an adversary's); a number
    alone, another prefix or a sentence are not taken for them."""
    ids = ("E0000200", "E0000123")
    for label in ("Dismissal E/200", "Dismissal (E 200)", "Dismissal E200", "Dismissal 0000123E", "Moved 123-E"):
        assert _found(["Retirement", label], ids=ids), label
    assert _found(["Band 200", "Dismissal 200", "Site F 200", "E 2000", "Grade E12"], ids=ids) == []
    assert _found(["Retirement"], "Grade E 200 posts were filled.", ids=ids) == []  # sentences: counts
