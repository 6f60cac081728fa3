"""The plugin host and the CLI around it: loading, isolation of failures, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers_cli import (
    FIXTURES,
    make_entry_point_plugin,
    run_cli,
    run_subprocess,
    write_staff_dataset,
)

from equality_reports.plugins import PluginHost

OK_DIR = FIXTURES / "plugins_ok"
BROKEN_DIR = FIXTURES / "plugins_broken"


def test_first_party_reports_are_registered_through_entry_points() -> None:
    host = PluginHost()
    reports = host.reports()
    for name in ("rraa-employment", "wres", "sc-wres", "evidence-pack"):
        assert name in reports, name
        assert reports[name].plugin.source.startswith("entry point")
    assert {"docx", "xlsx", "csv", "json"} <= set(host.renderers())


def test_list_shows_the_api_version_and_one_version_per_plugin(capsys: pytest.CaptureFixture[str]) -> None:
    import equality_reports_evidence
    import equality_reports_rraa
    import equality_reports_wres
    from equality_reports import HOOKSPEC_VERSION

    res = run_cli(["list", "--json"], capsys)
    data = json.loads(res.out)
    assert data["api_version"] == HOOKSPEC_VERSION
    plugins = {p["name"]: p["version"] for p in data["plugins"]}
    assert plugins["rraa-employment"] == equality_reports_rraa.__version__ == "1.0.0"
    assert plugins["wres"] == equality_reports_wres.__version__
    assert plugins["evidence-pack"] == equality_reports_evidence.__version__
    for report in data["reports"]:
        assert report["version"] == plugins[report["plugin"]], report
    res = run_cli(["list"], capsys)
    assert f"plugin API version {HOOKSPEC_VERSION}" in res.out


def test_plugins_dir_reports_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    res = run_cli(["list", "--json", "--plugins-dir", OK_DIR], capsys)
    assert res.code == 0
    data = json.loads(res.out)
    names = {r["name"]: r for r in data["reports"]}
    assert names["local-headcount"]["plugin"] == "headcount_plugin"
    assert names["local-headcount"]["version"] == "9.9"
    assert names["local-headcount"]["required_tables"] == ["staff"]
    plugin = next(p for p in data["plugins"] if p["name"] == "headcount_plugin")
    assert plugin["hooks"] == ["register_reports"]
    assert plugin["source"].endswith("headcount_plugin.py")


def test_broken_plugin_is_reported_and_others_still_load(capsys: pytest.CaptureFixture[str]) -> None:
    res = run_cli(["list", "--json", "--plugins-dir", BROKEN_DIR], capsys)
    assert res.code == 0
    data = json.loads(res.out)
    assert [e["plugin"] for e in data["errors"]] == ["broken_import"]
    assert "broken on purpose" in data["errors"][0]["error"]
    assert "local-headcount" in {r["name"] for r in data["reports"]}
    assert "plugin 'broken_import' could not be loaded" in res.err
    assert "Traceback" not in res.err


def test_entry_point_plugin_lists_and_runs(tmp_path: Path) -> None:
    site = make_entry_point_plugin(tmp_path / "site")
    env = {"PYTHONPATH": str(site)}
    listed = run_subprocess(["list", "--json"], env=env)
    assert listed.code == 0, listed.err
    data = json.loads(listed.out)
    rep = next(r for r in data["reports"] if r["name"] == "ep-report")
    assert rep["plugin"] == "ep-test" and rep["version"] == "1.2.3"

    data_dir = write_staff_dataset(tmp_path / "data")
    ran = run_subprocess(["run", "ep-report", "--data", data_dir, "--out", tmp_path / "out",
                          "--format", "json"], env=env)
    assert ran.code == 0, ran.err
    figures = json.loads((tmp_path / "out" / "ep-report.json").read_text())
    assert figures["report"] == "ep-report"
    assert figures["tables"]["t"]["rows"] == [["All staff", 55]]


def test_load_plugins_env_restricts_installed_plugins(tmp_path: Path) -> None:
    site = make_entry_point_plugin(tmp_path / "site")
    res = run_subprocess(["list", "--json"], env={"PYTHONPATH": str(site),
                                                  "EQUALITY_REPORTS_LOAD_PLUGINS": "ep-test"})
    assert res.code == 0, res.err
    names = {r["name"] for r in json.loads(res.out)["reports"]}
    assert names == {"ep-report"}
    none = run_subprocess(["list", "--json"], env={"EQUALITY_REPORTS_LOAD_PLUGINS": ""})
    assert json.loads(none.out)["reports"] == []


def test_failing_report_does_not_stop_the_others(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = write_staff_dataset(tmp_path / "data")
    out = tmp_path / "out"
    res = run_cli(["run", "exploding", "local-headcount", "--data", data_dir, "--out", out,
                   "--plugins-dir", OK_DIR, "--format", "json"], capsys)
    assert res.code == 1
    assert "exploding: FAILED: ZeroDivisionError: boom in build" in res.err
    assert "Traceback" not in res.err
    assert (out / "local-headcount.json").is_file()
    assert not (out / "exploding.json").exists()
    record = json.loads((out / "run.json").read_text())
    status = {r["name"]: r["status"] for r in record["reports"]}
    assert status == {"exploding": "failed", "local-headcount": "ok"}


def test_debug_shows_the_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = write_staff_dataset(tmp_path / "data")
    res = run_cli(["--debug", "run", "exploding", "--data", data_dir, "--out", tmp_path / "out",
                   "--plugins-dir", OK_DIR, "--format", "json"], capsys)
    assert res.code == 1
    assert "Traceback" in res.err and "ZeroDivisionError" in res.err


def test_unknown_report_and_option_are_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = write_staff_dataset(tmp_path / "data")
    res = run_cli(["run", "no-such-report", "--data", data_dir, "--out", tmp_path / "out"], capsys)
    assert res.code == 2
    assert "unknown report 'no-such-report'" in res.err
    res = run_cli(["run", "local-headcount", "--plugins-dir", OK_DIR, "--data", data_dir,
                   "--out", tmp_path / "out", "--option", "colour=red"], capsys)
    assert res.code == 2
    assert "unknown --option colour" in res.err and "fail" in res.err
    res = run_cli(["run", "local-headcount", "--plugins-dir", OK_DIR, "--data", data_dir,
                   "--out", tmp_path / "out", "--option", "fail=maybe"], capsys)
    assert res.code == 2 and "expected true or false" in res.err
    assert not (tmp_path / "out" / "run.json").exists()


def test_missing_dataset_is_exit_2_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    res = run_cli(["run", "rraa-employment", "--data", tmp_path / "nowhere", "--out", tmp_path / "o"], capsys)
    assert res.code == 2
    assert "nowhere" in res.err and "Traceback" not in res.err
    assert not (tmp_path / "o" / "run.json").exists()


@pytest.mark.parametrize("args", [["--version"], ["run", "--help"], ["validate", "--help"]])
def test_version_and_command_help_do_not_import_pandas(args: list[str]) -> None:
    """A built-in command's help answers at once; only the top-level --help loads the plugins (to list
    their commands)."""
    code = ("import sys; from equality_reports.cli import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
            "print('PANDAS' if 'pandas' in sys.modules else 'NO-PANDAS')")
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().endswith("NO-PANDAS"), out.stdout + out.stderr
    assert "equality-reports" in out.stdout


def test_describe_shows_options_and_outputs(capsys: pytest.CaptureFixture[str]) -> None:
    res = run_cli(["describe", "local-headcount", "--plugins-dir", OK_DIR], capsys)
    assert res.code == 0
    assert "Required tables: staff" in res.out
    assert "fail=False" in res.out and "raise while building" in res.out
    assert "local-headcount.docx" in res.out and "run.json" in res.out
