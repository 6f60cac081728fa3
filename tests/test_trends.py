"""Trends (issue 12 item 6): several previous years with --compare, headed with year labels."""

from __future__ import annotations

import json
import re
import shlex
from datetime import date
from pathlib import Path

import pytest
from helpers_cli import run_cli, write_staff_dataset

from equality_reports.measures.periods import year_label

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_data"


def test_year_labels() -> None:
    assert year_label(date(2024, 4, 1), date(2025, 3, 31)) == "2024/25"
    assert year_label(date(1999, 4, 1), date(2000, 3, 31)) == "1999/00"
    assert year_label(date(2025, 1, 1), date(2025, 12, 31)) == "2025"
    assert year_label(date(2024, 7, 1), date(2025, 6, 30)) == "Jul 2024 – Jun 2025"


def _period(folder: Path, start: str, end: str) -> Path:
    toml = folder / "dataset.toml"
    toml.write_text(re.sub(r"period_start = \S+\nperiod_end = \S+", f"period_start = {start}\nperiod_end = {end}",
                           toml.read_text()))
    return folder


def test_the_same_period_as_a_previous_year_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_staff_dataset(tmp_path / "data")
    res = run_cli(["run", "rraa-employment", "--data", data, "--out", tmp_path / "out", "--compare", data], capsys)
    assert res.code == 2
    assert (f"--compare {data}: its period 2025/26 (1 April 2025 to 31 March 2026) overlaps this run's period "
            "2025/26 (1 April 2025 to 31 March 2026)") in res.err
    assert not (tmp_path / "out").exists()


def test_two_given_years_that_overlap_are_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_staff_dataset(tmp_path / "data")
    a = write_staff_dataset(tmp_path / "a", year_end=2025)
    b = _period(write_staff_dataset(tmp_path / "b"), "2024-10-01", "2025-03-31")
    res = run_cli(["run", "rraa-employment", "--data", data, "--out", tmp_path / "out", "--compare", a,
                   "--compare", b], capsys)
    assert res.code == 2 and f"the period of --compare {b}" in res.err


def test_trends_over_three_years_with_withheld_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two previous years (given newest first): a trends table with one column per year, oldest
    first; a figure a previous year withheld shows [c]; the run passes the joint audit."""
    data = write_staff_dataset(tmp_path / "data", white=50, minority=20, unknown=10)
    last = write_staff_dataset(tmp_path / "last", white=45, minority=15, unknown=5, year_end=2025)
    older = write_staff_dataset(tmp_path / "older", white=40, minority=12, unknown=3, year_end=2024)
    out = tmp_path / "out"
    res = run_cli(["run", "rraa-employment", "--data", data, "--out", out, "--compare", last, "--compare", older,
                   "--format", "json,docx"], capsys)
    assert res.code == 0, res.err
    assert json.loads((out / "run.json").read_text())["disclosure_audit"]["passed"] is True
    payload = json.loads((out / "rraa-employment.json").read_text())
    trends = payload["tables"]["trends"]
    assert [c["label"] for c in trends["columns"]] == ["Measure", "2023/24", "2024/25", "2025/26"]
    rows = {r[0]: r[1:] for r in trends["rows"]}
    # 3 and 5 people not stated in the previous years: withheld then, so withheld here; 10 this year
    assert rows["Declaration rate"] == ["[c]", "[c]", 87.5]
    assert rows["White staff (% of all staff)"] == [72.7, 69.2, 62.5]  # 40/55, 45/65, 50/80
    figures = payload["figures"]
    assert figures["rraa-employment.staff.declaration_rate.y2023_24"]["suppressed"] is True
    assert figures["rraa-employment.staff.white.pct.y2023_24"]["value"] == 72.7
    labels = [c["label"] for c in payload["tables"]["previous_year"]["columns"]]
    assert labels[1:3] == ["2024/25 (%)", "2025/26 (%)"]


def _readme_commands() -> list[str]:
    block = re.search(r"## Tour of the command line\n\n```bash\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert block
    lines = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    return [line for line in lines if "--period-end" in line or "--compare" in line]


def test_the_readmes_compare_example_runs_as_written(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    commands = _readme_commands()
    assert len(commands) == 2
    (tmp_path / "sample_data").symlink_to(SAMPLES)
    monkeypatch.chdir(tmp_path)
    for command in commands:
        args = shlex.split(command)
        assert args[0] == "equality-reports"
        res = run_cli(args[1:], capsys)
        assert res.code == 0, (command, res.err)
    payload = json.loads((tmp_path / "out" / "trends" / "rraa-employment.json").read_text())
    assert [c["label"] for c in payload["tables"]["trends"]["columns"]][1:] == ["2024/25", "2025/26"]


def test_a_previous_years_sample_is_another_year_of_other_numbers(tmp_path: Path) -> None:
    from equality_reports.intake import generate_sample, load_dataset

    last = load_dataset(generate_sample(tmp_path / "last", "small_body", period_end=date(2025, 3, 31)))
    this = load_dataset(SAMPLES / "small_body")
    assert (last.period_start, last.period_end) == (date(2024, 4, 1), date(2025, 3, 31))
    assert not last.table("staff")["grade"].reset_index(drop=True).equals(this.table("staff")["grade"].reset_index(drop=True))
    again = generate_sample(tmp_path / "again", "small_body", period_end=date(2025, 3, 31))
    assert (again / "staff.csv").read_bytes() == (tmp_path / "last" / "staff.csv").read_bytes()


@pytest.mark.parametrize("kind, reports, tables", [
    ("council", ["gender-pay-gap", "ethnicity-pay-gap"], {"gender-pay-gap": "gpg_trends",
                                                         "ethnicity-pay-gap": "epg_trends"}),
    ("nhs_trust", ["wdes"], {"wdes": "wdes_trends_percent"}),
])
def test_the_newer_reports_show_their_headline_figures_by_year(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                kind: str, reports: list[str],
                                                                tables: dict[str, str]) -> None:
    """The pay gap reports and the WDES take --compare too: their headline figures, one column per
    year, each year's as published that year."""
    last = tmp_path / "last"
    assert run_cli(["sample", last, "--kind", kind, "--period-end", "2025-03-31"], capsys).code == 0
    out = tmp_path / "out"
    res = run_cli(["run", *reports, "--data", SAMPLES / kind, "--out", out, "--compare", last, "--format", "json"],
                  capsys)
    assert res.code == 0, res.err
    for report, table_id in tables.items():
        payload = json.loads((out / f"{report}.json").read_text())
        trends = payload["tables"][table_id]
        assert [c["label"] for c in trends["columns"]] == ["Measure", "2024/25", "2025/26"]
        previous = {k: v for k, v in payload["figures"].items() if k.endswith(".y2024_25")}
        assert previous and all(row[1] in ("[c]", None) or isinstance(row[1], float) for row in trends["rows"])
        # this year's column restates this year's figures
        first = trends["rows"][0]
        assert first[2] in ("[c]", None) or any(isinstance(f["value"], float) and abs(f["value"] - first[2]) < 0.06
                                               for f in payload["figures"].values())
    assert json.loads((out / "run.json").read_text())["disclosure_audit"]["passed"] is True
