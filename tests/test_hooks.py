"""Meta-tests: every hook is documented in docs/plugin_hooks.md and exercised by a plugin here."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest
from helpers_cli import FIXTURES, run_cli, run_subprocess

from equality_reports import hookspecs
from equality_reports.plugins import PluginHost

ALL = FIXTURES / "plugins_all"
DOCS = Path(__file__).parent.parent / "docs" / "plugin_hooks.md"
HOOKS = sorted(name for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
               if name.startswith("register_"))


def test_hook_list() -> None:
    assert HOOKS == ["register_classifications", "register_commands", "register_frameworks", "register_loaders",
                     "register_renderers", "register_reports", "register_tables"]


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_documented_section(hook: str) -> None:
    assert f"## {hook}(" in DOCS.read_text(encoding="utf-8")


def test_every_hook_works_from_a_plugin(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    host = PluginHost(ALL)
    info = host.plugins["every_hook"]
    assert info.hooks == HOOKS
    assert "count-report" in host.reports()
    assert "martian" in host.classifications()
    assert "test-fw" in host.frameworks()
    assert "md" in host.renderers()
    assert ".psv" in host.loaders()
    assert [c.name for c in host.contract()["pay"].columns] == ["person_id", "hourly_pay"]
    data = tmp_path / "data"
    data.mkdir()
    (data / "staff.psv").write_text("person_id|ethnicity\nP1|A\nP2|N\n")
    (data / "dataset.toml").write_text('organisation = "Pipe"\nperiod_end = 2026-03-31\n')
    res = run_cli(["run", "count-report", "--plugins-dir", ALL, "--data", data, "--out", tmp_path / "out",
                   "--format", "md,json"], capsys)
    assert res.code == 0, res.err
    assert (tmp_path / "out" / "count-report.md").read_text().startswith("# Staff count\n## 2 staff")


def test_plugin_command_is_available() -> None:
    res = run_subprocess(["say-hello"], env={"EQUALITY_REPORTS_PLUGINS_DIR": str(ALL)})
    assert res.code == 0 and res.out.strip() == "hello from a plugin"


def test_plugins_dir_commands_run_and_show_in_help(capsys: pytest.CaptureFixture[str]) -> None:
    res = run_cli(["--plugins-dir", ALL, "say-hello"], capsys)
    assert res.code == 0 and res.out.strip() == "hello from a plugin"
    res = run_cli(["--plugins-dir", ALL, "--help"], capsys)
    assert res.code == 0
    assert "say-hello" in res.out and "Print a greeting." in res.out and "validate" in res.out
    res = run_cli(["--help"], capsys)
    assert "say-hello" not in res.out


def test_plugin_commands_get_the_plugin_host(capsys: pytest.CaptureFixture[str]) -> None:
    """A command sees the reports of --plugins-dir plugins as well as the installed ones."""
    res = run_cli(["--plugins-dir", ALL, "report-names"], capsys)
    assert res.code == 0, res.err
    names = res.out.strip().split(", ")
    assert "count-report" in names and "rraa-employment" in names


def test_evidence_pack_uses_frameworks_from_plugins_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The evidence pack's check and build see the run's plugins, --plugins-dir ones included."""
    council = Path(__file__).parent.parent / "sample_data" / "council"
    res = run_cli(["run", "evidence-pack", "--data", council, "--out", tmp_path / "out", "--plugins-dir", ALL,
                   "--option", "framework=test-fw", "--format", "json", "--audience", "internal"], capsys)
    assert res.code == 0, res.err
    figures = json.loads((tmp_path / "out" / "evidence-pack-internal.json").read_text())["figures"]
    assert figures["evidence-pack.test-fw.criteria"]["value"] == 1
    res = run_cli(["run", "evidence-pack", "--data", council, "--out", tmp_path / "out2",
                   "--option", "framework=test-fw", "--format", "json", "--audience", "internal"], capsys)
    assert res.code == 2 and "unknown framework" in res.err
