"""Labels for values from HR data ([labels] in dataset.toml, else humanised) and the grade order key."""

from __future__ import annotations

from pathlib import Path

from helpers_cli import write_staff_dataset

from equality_reports.intake import load_dataset
from equality_reports.intake.config_check import check_config
from equality_reports.intake.contract import default_contract
from equality_reports.labels import display_label, humanise


def test_codes_are_humanised_and_words_are_left_alone() -> None:
    assert humanise("childrens") == "Children's services"
    assert humanise("adults") == "Adults' services"
    assert humanise("business_support") == "Business support"
    assert humanise("hr_and_it") == "HR and IT"
    assert humanise("Business support") == "Business support"
    assert humanise("Grade 5") == "Grade 5"
    assert humanise("-2+3") == "-2+3"  # not a code: a sign or number first is kept (a leaver reason)
    assert humanise("_x") == "_x"


def test_labels_table_overrides_any_spelling_of_a_value() -> None:
    labels = {"Childrens": "Children and families"}
    assert display_label("childrens", labels) == "Children and families"
    assert display_label("Children's", labels) == "Children and families"
    assert display_label("adults", labels) == "Adults' services"


def test_dataset_toml_labels_and_grade_order_reach_the_dataset(tmp_path: Path) -> None:
    folder = write_staff_dataset(tmp_path / "data")
    with (folder / "dataset.toml").open("a", encoding="utf-8") as f:
        f.write('grade_order = ["Scale 2", "Scale 1"]\n\n[labels]\nplace = "Place and economy"\n')
    ds = load_dataset(folder)
    assert ds.label("place") == "Place and economy"
    assert ds.grade_order(["Scale 1", "Chief Officer", "Scale 2"]) == ["Scale 2", "Scale 1", "Chief Officer"]


def test_labels_and_grade_order_of_the_wrong_type_are_errors() -> None:
    _, problems = check_config({"grade_order": "Grade 1, Grade 2", "labels": {"x": 5}}, "dataset.toml",
                               default_contract())
    assert sorted(p.column for p in problems) == ["grade_order", "labels"]
