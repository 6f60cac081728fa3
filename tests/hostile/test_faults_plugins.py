"""Fault cases: a plugin that exits, interrupts or raises any BaseException is a broken plugin,
never the end of the command with exit 0."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from _fault_helpers import OK_DIR, REPORT, leftovers, run_args
from helpers_cli import run_cli, run_subprocess, write_staff_dataset

IMPORT_FAULTS = {
    "exits": ("import sys\nsys.exit(0)\n", "SystemExit: 0 (the plugin called sys.exit())"),
    "interrupts": ("raise KeyboardInterrupt('at import')\n", "KeyboardInterrupt: at import"),
    "odd": ("class Odd(BaseException):\n    pass\n\nraise Odd('not an Exception')\n", "equality_reports_local_plugin_odd.Odd: not an Exception"),
}

HOOK_EXITS = """
import sys
from equality_reports.hookspecs import hookimpl


@hookimpl
def register_reports(register):
    sys.exit(0)
"""

BUILD_EXITS = """
import sys
from equality_reports.hookspecs import hookimpl
from equality_reports.reports import Report


class Quitter(Report):
    name = "quitter"
    title = "Calls sys.exit while building"
    required_tables = ("staff",)

    def build(self, ctx):
        sys.exit(0)


@hookimpl
def register_reports(register):
    register(Quitter())
"""


def _plugins(tmp_path: Path, **sources: str) -> Path:
    """The test headcount plugin plus the given local plugin files."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    shutil.copy(OK_DIR / "headcount_plugin.py", folder)
    for name, source in sources.items():
        (folder / f"{name}.py").write_text(source, encoding="utf-8")
    return folder


@pytest.mark.parametrize("fault", sorted(IMPORT_FAULTS))
def test_plugin_failing_at_import_is_reported_and_the_run_still_runs(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str],
                                                                      fault: str) -> None:
    source, error = IMPORT_FAULTS[fault]
    plugins = _plugins(tmp_path, **{fault: source})
    data, out = write_staff_dataset(tmp_path / "data"), tmp_path / "out"
    args = [a if a != OK_DIR else plugins for a in run_args(data, out, "--format", "json")]
    res = run_cli(args, capsys)
    assert res.code == 0, res.err
    assert f"plugin '{fault}' could not be loaded: {error}" in res.err
    assert (out / f"{REPORT}.json").is_file() and leftovers(out) == []
    record = json.loads((out / "run.json").read_text())
    assert record["plugin_errors"] == [{"plugin": fault, "error": error}]


def test_validate_with_an_exiting_plugin_still_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plugins = _plugins(tmp_path, exits=IMPORT_FAULTS["exits"][0])
    data = write_staff_dataset(tmp_path / "data")
    (data / "staff.csv").write_text("person_id,ethnicity\nP1,Martian\n", encoding="utf-8")
    res = run_cli(["validate", data, "--plugins-dir", plugins], capsys)
    assert res.code == 2 and "Martian" in res.out  # not exit 0 having done nothing
    assert "plugin 'exits' could not be loaded: SystemExit: 0" in res.err


def test_hook_calling_sys_exit_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plugins = _plugins(tmp_path, hook_exits=HOOK_EXITS)
    res = run_cli(["list", "--json", "--plugins-dir", plugins], capsys)
    assert res.code == 0
    listing = json.loads(res.out)
    assert {"plugin": "hook_exits", "error": "SystemExit: 0 (the plugin called sys.exit())"} in listing["errors"]
    assert REPORT in {r["name"] for r in listing["reports"]}


def test_report_calling_sys_exit_while_building_fails_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plugins = _plugins(tmp_path, quitter=BUILD_EXITS)
    data, out = write_staff_dataset(tmp_path / "data"), tmp_path / "out"
    res = run_cli(["run", "quitter", REPORT, "--plugins-dir", plugins, "--data", data, "--out", out,
                   "--format", "json"], capsys)
    assert res.code == 1 and "quitter: FAILED: SystemExit: 0" in res.err
    assert (out / f"{REPORT}.json").is_file() and not (out / "quitter.json").exists()


def test_entry_point_plugin_calling_sys_exit_at_import(tmp_path: Path) -> None:
    """An installed plugin (entry point), in a real process: validate exits 2 on bad data, not 0."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "quitting_plugin.py").write_text("import sys\nsys.exit(0)\n")
    info = site / "quitting_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: quitting-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[equality_reports]\nquitting = quitting_plugin\n")
    data = write_staff_dataset(tmp_path / "data")
    (data / "staff.csv").write_text("person_id,ethnicity\nP1,Martian\n", encoding="utf-8")
    res = run_subprocess(["validate", data], env={"PYTHONPATH": str(site)})
    assert res.code == 2 and "Martian" in res.out, (res.code, res.err)
    assert "plugin 'quitting' could not be loaded: SystemExit: 0" in res.err
