"""dataset.toml ``[options]``: report options kept with the data, overridden by ``--option``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers_cli import run_cli

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "council"


def _council(tmp_path: Path, options: str) -> Path:
    """The council sample with its ``[options]`` section replaced by ``options``."""
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    toml = data / "dataset.toml"
    text = toml.read_text(encoding="utf-8")
    start = text.index("[options]")
    end = text.index("\n[", start + 1)
    toml.write_text(text[:start] + options + text[end:], encoding="utf-8")
    return data


def _staff_total(out: Path) -> int:
    table = json.loads((out / "sc-wres.json").read_text(encoding="utf-8"))["tables"]["sc_wres_1"]
    return dict((row[0], row) for row in table["rows"])["All staff"][4]


def test_dataset_options_apply_and_a_command_line_option_overrides_them(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    data = _council(tmp_path, '[options]\nsocial_care_services = "adults, childrens"\n')
    result = run_cli(["run", "sc-wres", "--data", data, "--out", tmp_path / "a", "--format", "json"], capsys)
    assert result.code == 0, result.err
    assert _staff_total(tmp_path / "a") == 987  # directly employed in adults' and children's services only
    record = json.loads((tmp_path / "a" / "run.json").read_text(encoding="utf-8"))
    assert record["options"] == {"social_care_services": "adults, childrens"}
    result = run_cli(["run", "sc-wres", "--data", data, "--out", tmp_path / "b", "--format", "json",
                      "--option", "social_care_services="], capsys)
    assert result.code == 0, result.err
    assert _staff_total(tmp_path / "b") == 1755  # every directly employed staff member


def test_a_dataset_option_no_report_takes_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _council(tmp_path, '[options]\nsocial_care_service = "adults"\n')
    result = run_cli(["run", "sc-wres", "--data", data, "--out", tmp_path / "out"], capsys)
    assert result.code == 2
    assert "[options] names social_care_service, which no installed report takes" in result.err
    assert "social_care_services" in result.err and "Traceback" not in result.err
    assert not (tmp_path / "out").exists()


def test_a_dataset_option_for_another_report_is_left_to_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _council(tmp_path, '[options]\nsocial_care_services = "adults"\n')
    result = run_cli(["run", "rraa-employment", "--data", data, "--out", tmp_path / "out", "--format", "json"],
                     capsys)
    assert result.code == 0, result.err


def test_a_dataset_option_of_the_wrong_type_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _council(tmp_path, '[options]\nsocial_care_services = ["adults"]\n')
    result = run_cli(["validate", data], capsys)
    assert result.code == 2
    assert "'options' must be an [options] section of report option lines" in result.out + result.err


@pytest.mark.parametrize("line", ['framework_file = "/etc/passwd"', 'figures = "../elsewhere/wres.json"'])
def test_a_dataset_may_not_point_the_run_at_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str) -> None:
    """Options naming files to read are the operator's, given on the command line: a dataset (which
    comes from users) may not set them."""
    data = _council(tmp_path, f"[options]\n{line}\n")
    result = run_cli(["run", "--all", "--data", data, "--out", tmp_path / "out"], capsys)
    assert result.code == 2 and "Traceback" not in result.err
    assert "which name files to read: give them on the command line with --option" in result.err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("line", "said"), [
    ('band_low = "abc"', "[options] option band_low=abc: not a number"),
    ('band_high = "1e400"', "[options] option band_high=1e400: not a finite number"),
    ('band_high = "nan"', "[options] option band_high=nan: not a finite number"),
    ('minimum_group = 0', "[options] option minimum_group=0: must be 1 or more"),
    ('rolling_average = "maybe"', "[options] option rolling_average=maybe: not a yes or no"),
    ('social_care_services = ",,,"', "option social_care_services names no service"),
])
def test_a_bad_dataset_option_value_is_an_error_naming_dataset_toml(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str], line: str,
                                                                  said: str) -> None:
    data = _council(tmp_path, f"[options]\n{line}\n")
    result = run_cli(["run", "sc-wres", "--data", data, "--out", tmp_path / "out"], capsys)
    assert result.code == 2 and said in result.err, result.err
    assert "Traceback" not in result.err and not (tmp_path / "out").exists()


def test_a_long_option_value_is_cut_short_in_the_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(["run", "sc-wres", "--data", SAMPLE, "--out", tmp_path / "out", "--option",
                      "band_low=" + "9" * 100_000 + "x"], capsys)
    assert result.code == 2 and len(result.err) < 2_000


def test_an_option_longer_than_a_spreadsheet_cell_could_hold_is_refused(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """A text option is printed in publications (a source line): one of megabytes would be cut short
    in a spreadsheet cell without a word, so it is refused, from dataset.toml as on the command line."""
    data = _council(tmp_path, f'[options]\nbenchmark_source = "Census {"A" * 5_000}"\n')
    result = run_cli(["run", "rraa-employment", "--data", data, "--out", tmp_path / "out"], capsys)
    assert result.code == 2 and "5,007 characters, more than the 4,000 an option may hold" in result.err, result.err
    assert not (tmp_path / "out").exists()


def test_options_for_one_report_apply_to_it_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``[options.<report>]``: an NHS trust's RRAA report can count the WRES population while its
    pay gap reports count every employee; here the RRAA report's non-adverse range alone."""
    data = _council(tmp_path, '[options]\nsocial_care_services = "adults, childrens"\n\n'
                              '[options.rraa-employment]\nband_low = 0.75\n')
    result = run_cli(["run", "rraa-employment", "sc-wres", "--data", data, "--out", tmp_path / "a", "--format",
                      "json"], capsys)
    assert result.code == 0, result.err
    record = json.loads((tmp_path / "a" / "run.json").read_text(encoding="utf-8"))
    assert record["options"] == {"social_care_services": "adults, childrens"}
    assert record["report_options"] == {"rraa-employment": {"band_low": "0.75"}}
    rraa = (tmp_path / "a" / "rraa-employment.json").read_text(encoding="utf-8")
    sc_wres = (tmp_path / "a" / "sc-wres.json").read_text(encoding="utf-8")
    assert "0.75 to 1.25" in rraa and "0.75" not in sc_wres and "0.80" in sc_wres
    # --option overrides it
    result = run_cli(["run", "rraa-employment", "--data", data, "--out", tmp_path / "b", "--format", "json",
                      "--option", "band_low=0.7"], capsys)
    assert result.code == 0, result.err
    assert "0.70 to 1.25" in (tmp_path / "b" / "rraa-employment.json").read_text(encoding="utf-8")


@pytest.mark.parametrize(("table", "said"), [
    ("[options.rraa]\nband_low = 0.75\n", "[options.rraa] names no installed report"),
    ("[options.rraa-employment]\nservices = \"adults\"\n", "[options.rraa-employment] sets services, which "
                                                            "rraa-employment does not take"),
    ("[options.rraa-employment]\nband_low = \"low\"\n", "[options.rraa-employment] option band_low=low: not a number"),
    ("[options.evidence-pack]\nframework_file = \"/etc/passwd\"\n", "[options.evidence-pack] sets framework_file"),
])
def test_a_bad_report_options_table_is_an_error_naming_dataset_toml(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                    table: str, said: str) -> None:
    data = _council(tmp_path, f'[options]\nsocial_care_services = "adults, childrens"\n\n{table}')
    result = run_cli(["run", "--all", "--data", data, "--out", tmp_path / "out"], capsys)
    assert result.code == 2 and said in result.err, result.err
    assert "Traceback" not in result.err and not (tmp_path / "out").exists()
