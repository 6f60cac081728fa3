"""The open data contract: plugins declare tables (register_tables), the engine merges them, intake,
validate, template and sample follow the merged contract, unused columns are kept and listed, and
registered classification schemes classify category columns."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from helpers_cli import run_cli, write_staff_dataset

from equality_reports.errors import InputError
from equality_reports.intake import load_dataset
from equality_reports.intake.contract import ColumnSpec, TableSpec, merge
from equality_reports.plugins import PluginHost

DOCS = Path(__file__).parent.parent / "docs" / "plugin_hooks.md"

HOURS_PLUGIN = '''
from equality_reports.classification import Classification
from equality_reports.hookspecs import hookimpl
from equality_reports.intake.contract import ColumnSpec, TableSpec
from equality_reports.reports import Report


class HoursReport(Report):
    name = "hours"
    title = "Contracted hours"
    required_tables = ("hours",)

    def build(self, ctx):
        hours = ctx.dataset.table("hours")
        doc = ctx.new_document()
        doc.section("hours", f"Total hours {int(hours['weekly_hours'].sum())} over {hours['band'].nunique()} bands")
        return doc


@hookimpl
def register_tables(register):
    register(TableSpec("hours", "Weekly contracted hours per person.", (
        ColumnSpec("person_id", "id", True, "Employee number"),
        ColumnSpec("weekly_hours", "number", True, "Contracted hours a week", minimum=0, maximum=60),
        ColumnSpec("band", "choice", help="Hours band", choices=("short", "long")),
        ColumnSpec("gender", "category", help="Gender as the rota system codes it", classification="sex"),
    ), person_table=False, reports=("hours",)))


@hookimpl
def register_classifications(register):
    register(Classification("rota-sex", "The rota system's codes", {"1": "female", "2": "male"},
                            characteristic="sex", categories={"female": "Female", "male": "Male"}))


@hookimpl
def register_reports(register):
    register(HoursReport())
'''


@pytest.fixture()
def hours_plugin(tmp_path: Path) -> Path:
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "hours_plugin.py").write_text(HOURS_PLUGIN, encoding="utf-8")
    return folder


def _hours_dataset(folder: Path, rows: str = "P00000,37.5,long,1\nP00001,16,short,2\n") -> Path:
    write_staff_dataset(folder)
    (folder / "hours.csv").write_text("person_id,weekly_hours,band,gender\n" + rows, encoding="utf-8")
    return folder


def test_a_plugin_table_validates_and_its_report_reads_it(tmp_path: Path, hours_plugin: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    data = _hours_dataset(tmp_path / "data")
    res = run_cli(["validate", data, "--plugins-dir", hours_plugin], capsys)
    assert res.code == 0, res.out
    assert re.search(r"hours\s+2 rows", res.out)
    res = run_cli(["run", "hours", "--data", data, "--out", tmp_path / "out", "--format", "html",
                   "--plugins-dir", hours_plugin], capsys)
    assert res.code == 0, res.err
    assert "Total hours 53 over 2 bands" in (tmp_path / "out" / "hours.html").read_text()


def test_a_plugin_table_is_unknown_without_the_plugin(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    res = run_cli(["validate", _hours_dataset(tmp_path / "data")], capsys)
    assert res.code == 0
    assert "'hours.csv' is not named after a table and was ignored" in res.out


def test_a_plugin_table_is_checked_by_its_column_specs(tmp_path: Path, hours_plugin: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    data = _hours_dataset(tmp_path / "data", "P00000,75,long,1\nP00001,16,medium,2\n")
    res = run_cli(["validate", data, "--plugins-dir", hours_plugin], capsys)
    assert res.code == 2
    assert "hours.csv, row 2, column 'weekly_hours'" in res.out and "(value: '75')" in res.out
    assert "hours.csv, row 3, column 'band': not one of the allowed values (value: 'medium')" in res.out


def test_a_registered_scheme_classifies_the_column_and_unknown_codes_are_errors(
        tmp_path: Path, hours_plugin: Path, capsys: pytest.CaptureFixture[str]) -> None:
    host = PluginHost(hours_plugin)
    ds = load_dataset(_hours_dataset(tmp_path / "ok"), contract=host.contract())
    hours = ds.table("hours")
    assert hours["gender"].tolist() == ["female", "male"]
    assert hours["gender_raw"].tolist() == ["1", "2"]
    res = run_cli(["validate", _hours_dataset(tmp_path / "bad", "P00000,37.5,long,7\n"), "--plugins-dir",
                   hours_plugin], capsys)
    assert res.code == 2
    assert "hours.csv, row 2, column 'gender': sex not recognised (value: '7')" in res.out


def test_dataset_toml_chooses_the_scheme_per_characteristic(tmp_path: Path, hours_plugin: Path) -> None:
    contract = PluginHost(hours_plugin).contract()
    data = _hours_dataset(tmp_path / "data", "P00000,37.5,long,F\n")
    with (data / "dataset.toml").open("a") as fh:
        fh.write('[classification]\nsex = "rota-sex"\n')
    with pytest.raises(InputError) as caught:  # "F" is the built-in scheme's spelling, not the rota system's
        load_dataset(data, contract=contract)
    assert [(p.column, p.value) for p in caught.value.problems] == [("gender", "F")]
    (data / "hours.csv").write_text("person_id,weekly_hours\nP1,3\n")
    (data / "dataset.toml").write_text('organisation = "X"\nperiod_end = 2026-03-31\n[classification]\n'
                                       'sex = "rota-sexx"\n')
    with pytest.raises(InputError) as caught:
        load_dataset(data, contract=contract)
    [problem] = caught.value.problems
    assert problem.message == "classification 'rota-sexx' for sex is not a sex scheme"
    assert problem.fix is not None and "did you mean 'rota-sex'?" in problem.fix


def test_staff_sex_disability_and_religion_are_classified(tmp_path: Path) -> None:
    data = write_staff_dataset(tmp_path / "data", white=2, minority=0, unknown=0)
    (data / "staff.csv").write_text("person_id,ethnicity,sex,disability,religion\n"
                                    "P1,A,F,Yes,Church of England\nP2,N,Man,,Prefer not to say\n")
    staff = load_dataset(data).table("staff")
    assert staff["sex"].tolist() == ["female", "male"]
    assert staff["disability"].tolist() == ["disabled", "not_known"]
    assert staff["religion"].tolist() == ["christian", "not_stated"]
    assert staff["religion_raw"].tolist() == ["Church of England", "Prefer not to say"]


def test_unused_columns_are_kept_listed_and_never_published(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    data = write_staff_dataset(tmp_path / "data")
    text = (data / "staff.csv").read_text().splitlines()
    rows = [text[0] + ",locker_number"] + [f"{line},{900_001 + i}" for i, line in enumerate(text[1:])]
    (data / "staff.csv").write_text("\n".join(rows) + "\n")
    res = run_cli(["validate", data], capsys)
    assert res.code == 0
    assert "column locker_number in staff.csv is not used by any installed report; it is kept" in res.out
    ds = load_dataset(data)
    assert "locker_number" not in ds.table("staff").columns
    assert ds.extra_columns["staff"]["locker_number"].iloc[0] == "900001"
    res = run_cli(["run", "rraa-employment", "--data", data, "--out", tmp_path / "out", "--format",
                   "csv,json,xlsx,docx"], capsys)
    assert res.code == 0, res.err
    for path in (tmp_path / "out").rglob("*"):
        if not path.is_file():
            continue
        content = path.read_bytes()
        if path.suffix in (".docx", ".xlsx"):  # zip archives: their parts, uncompressed
            with zipfile.ZipFile(path) as archive:
                content = b"".join(archive.read(name) for name in archive.namelist())
        assert b"90000" not in content, path
        # the name is only in the run's internal diagnostics (validate's warnings)
        assert b"locker_number" not in content or path.name == "diagnostics-internal.json", path


def test_many_unused_columns_are_summarised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_staff_dataset(tmp_path / "data", white=3, minority=0, unknown=0)
    extra = [f"extra_{i}" for i in range(40)]
    (data / "staff.csv").write_text("person_id,ethnicity," + ",".join(extra) + "\n"
                                    + "".join(f"P{i},A," + ",".join("x" * 40) + "\n" for i in range(3)))
    res = run_cli(["validate", data], capsys)
    assert res.code == 0
    assert res.out.count("is not used by any installed report") == 10
    assert "30 more columns in staff.csv are not used by any installed report; they are kept" in res.out


def test_merge_unites_columns_and_reports_conflicting_types() -> None:
    first = TableSpec("pay", "Pay", (ColumnSpec("person_id", "id", True), ColumnSpec("hourly_pay", "number")))
    second = TableSpec("pay", "Pay", (ColumnSpec("hourly_pay", "text", True), ColumnSpec("bonus", "number")))
    tables, conflicts = merge([("a", first), ("b", second)])
    assert [(c.name, c.type, c.required) for c in tables["pay"].columns] == [
        ("person_id", "id", True), ("hourly_pay", "number", False), ("bonus", "number", False)]
    [(plugin, message)] = conflicts
    assert plugin == "b" and "column 'hourly_pay' of table 'pay'" in message and "'number'" in message


def test_a_conflicting_declaration_is_a_plugin_error_shown_by_list(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "clash.py").write_text(
        "from equality_reports.hookspecs import hookimpl\n"
        "from equality_reports.intake.contract import ColumnSpec, TableSpec\n\n"
        "@hookimpl\ndef register_tables(register):\n"
        "    register(TableSpec('staff', 'x', (ColumnSpec('fte', 'text'), ColumnSpec('hourly_pay', 'number'))))\n")
    res = run_cli(["list", "--plugins-dir", folder], capsys)
    assert res.code == 0
    assert re.search(r"clash\s+FAILED TO LOAD: register_tables: column 'fte' of table 'staff'", res.out)
    contract = PluginHost(folder).contract()
    assert contract["staff"].column("fte").type == "number" and contract["staff"].column("hourly_pay")


def test_evidence_tables_still_validate(capsys: pytest.CaptureFixture[str]) -> None:
    res = run_cli(["validate", Path(__file__).parent.parent / "sample_data" / "council"], capsys)
    assert res.code == 0, res.out
    for table in ("evidence", "self_assessment", "outcomes", "actions"):
        assert re.search(rf"\n  {table}\s+\d+ rows", res.out), table


def test_sample_and_template_cover_every_registered_table(tmp_path: Path, hours_plugin: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    res = run_cli(["sample", tmp_path / "s", "--kind", "small_body", "--staff", "40", "--plugins-dir",
                   hours_plugin], capsys)
    assert res.code == 0, res.err
    tables = set(PluginHost(hours_plugin).contract().tables)
    written = {p.stem for p in (tmp_path / "s").glob("*.csv")}
    assert tables <= written and {"hours", "evidence", "staff_survey"} <= written
    res = run_cli(["validate", tmp_path / "s", "--plugins-dir", hours_plugin], capsys)
    assert res.code == 0, res.out
    res = run_cli(["template", tmp_path / "t", "--plugins-dir", hours_plugin], capsys)
    assert res.code == 0
    import openpyxl

    sheets = openpyxl.load_workbook(tmp_path / "t" / "equality-data-template.xlsx").sheetnames
    assert set(sheets) == tables | {"Notes"}


def test_the_register_tables_example_in_the_docs_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("## register_tables(register)"):]
    code = section[section.index("```python\n") + 10:section.index("```\n\n")]
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "pay_plugin.py").write_text(code, encoding="utf-8")
    data = write_staff_dataset(tmp_path / "data")
    (data / "pay.csv").write_text("person_id,hourly_pay,sex,pay_date\nP00000,14.20,F,28/02/2026\n"
                                  "P00001,15.10,Male,28/02/2026\n")
    res = run_cli(["validate", data, "--plugins-dir", folder], capsys)
    assert res.code == 0 and "not used" not in res.out, res.out
    res = run_cli(["run", "pay-summary", "--data", data, "--out", tmp_path / "out", "--format", "html",
                   "--plugins-dir", folder], capsys)
    assert res.code == 0, res.err
    assert "Pay records for 2 people" in (tmp_path / "out" / "pay-summary.html").read_text()


def test_contract_command_prints_the_merged_contract(hours_plugin: Path, capsys: pytest.CaptureFixture[str]) -> None:
    res = run_cli(["contract", "--markdown", "--plugins-dir", hours_plugin], capsys)
    assert res.code == 0
    assert "### `hours`" in res.out and "| `gender` | category (sex) |  | Gender as the rota system codes it |" in res.out
