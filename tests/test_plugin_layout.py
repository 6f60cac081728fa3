"""Every plugin under plugins/ owns its resources: one folder with its own pyproject.toml (one
version), README.md, package under src/ (with its templates, frameworks or data) and tests/.

Checked for every folder under plugins/, so a new plugin is held to the same layout."""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from importlib import import_module
from importlib.metadata import entry_points, version
from pathlib import Path

import pytest
from helpers_cli import run_cli

from equality_reports import __version__ as core_version
from equality_reports.plugins import ENTRY_POINT_GROUP, PluginHost
from equality_reports.templating import TextRenderer, builtin_templates_dir, shared_templates_dir

ROOT = Path(__file__).resolve().parents[1]
PLUGINS = sorted(p for p in (ROOT / "plugins").iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def _project(folder: Path) -> dict:
    return tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _package(entry_point: str) -> str:
    """The top-level package an entry point's value (``pkg``, ``pkg.module``, ``pkg:obj``) names."""
    return entry_point.split(":")[0].split(".")[0].strip()


def test_the_first_party_plugins_are_there() -> None:
    assert {"rraa", "wres", "evidence"} <= {p.name for p in PLUGINS}


@pytest.mark.parametrize("folder", PLUGINS, ids=lambda p: p.name)
def test_plugin_folder_layout(folder: Path) -> None:
    assert (folder / "pyproject.toml").is_file() and (folder / "README.md").is_file()
    project = _project(folder)
    assert project["name"] == f"equality-reports-{folder.name}"
    assert re.fullmatch(r"\d+\.\d+\.\d+", project["version"])
    (core,) = [d for d in project["dependencies"] if re.match(r"equality-reports\b(?!-)", d)]
    assert core.startswith("equality-reports>=")
    eps = project["entry-points"][ENTRY_POINT_GROUP]
    packages = {p.name for p in (folder / "src").iterdir() if (p / "__init__.py").is_file()}
    assert packages and {_package(v) for v in eps.values()} <= packages, "entry points name packages under src/"
    assert sorted((folder / "tests").glob("test_*.py")), "the plugin's own tests"


@pytest.mark.parametrize("folder", PLUGINS, ids=lambda p: p.name)
def test_one_version_from_the_distribution(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """pyproject.toml's version is the installed distribution's, the package's ``__version__`` and
    what ``equality-reports list`` shows (reinstall the plugin after changing it)."""
    project = _project(folder)
    assert version(project["name"]) == project["version"], f"reinstall {folder}"
    listed = {p["name"]: p for p in json.loads(run_cli(["list", "--json"], capsys).out)["plugins"]}
    for name, value in project["entry-points"][ENTRY_POINT_GROUP].items():
        assert import_module(_package(value)).__version__ == project["version"]
        assert listed[name]["version"] == project["version"]
        assert listed[name]["source"] == f"entry point ({project['name']})"


@pytest.mark.parametrize("folder", PLUGINS, ids=lambda p: p.name)
def test_reports_take_templates_from_their_own_plugin(folder: Path) -> None:
    """First-party reports find their templates as third-party ones do: ``Report.template_dir``,
    inside the plugin's own package; the engine's report_templates/ holds no narrative."""
    source = f"entry point ({_project(folder)['name']})"
    reports = [r.item for r in PluginHost().reports().values() if r.plugin.source == source]
    assert reports or folder.name not in {"rraa", "wres", "evidence"}
    for report in reports:
        if report.template_dir is None:
            continue
        package = Path(import_module(type(report).__module__.split(".")[0]).__file__).resolve().parent
        assert report.template_dir.is_relative_to(package), report.name
        assert (folder / "src").resolve() in package.parents, f"{folder} is not the installed copy"
        assert any(report.template_dir.rglob("*.j2")), report.name


def test_engine_report_templates_hold_only_the_shared_narrative() -> None:
    """A report's own wording lives in its plugin; the engine ships only what any report may use
    (common/), found after the report's own folder."""
    found = {p.relative_to(shared_templates_dir()).as_posix() for p in builtin_templates_dir().rglob("*.j2")}
    assert found == {"common/likelihood.j2"}
    assert (builtin_templates_dir() / "base.docx").is_file()
    assert TextRenderer(report_dir=Path("/nonexistent")).search_path[-1] == shared_templates_dir()


def test_plugins_need_the_core_they_are_tested_with() -> None:
    for folder in PLUGINS:
        (core,) = [d for d in _project(folder)["dependencies"] if re.match(r"equality-reports\b(?!-)", d)]
        needed = tuple(int(x) for x in core.split(">=")[1].split(",")[0].split("."))
        assert needed <= tuple(int(x) for x in core_version.split(".")[:3]), folder.name


def test_test_module_names_are_unique_across_the_repository() -> None:
    """Tests and their helpers are imported by module name (conftest.py puts every tests folder on
    sys.path), so two with the same name would shadow each other."""
    names = [p.name for folder in [ROOT / "tests", *(p / "tests" for p in PLUGINS)] if folder.is_dir()
             for p in folder.rglob("*.py") if p.name not in ("__init__.py", "conftest.py")
             and "fixtures" not in p.relative_to(folder).parts]  # fixtures are loaded by path
    assert [n for n, count in Counter(names).items() if count > 1] == []


def test_every_plugin_entry_point_comes_from_a_plugin_folder() -> None:
    """The root pyproject.toml packages the engine only; every first-party entry point is a plugin's."""
    root = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert ENTRY_POINT_GROUP not in root["project"].get("entry-points", {})
    assert not [p for p in root["tool"]["setuptools"]["packages"] if not p.startswith("equality_reports.")
                and p != "equality_reports"]
    ours = {_project(f)["name"] for f in PLUGINS}
    installed = {ep.dist.name for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.dist is not None}
    assert ours <= installed
