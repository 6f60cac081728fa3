"""docs/plugin_hooks.md's examples work as written, through the public API only."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers_cli import run_cli
from test_public_api import _private_imports

from equality_reports import load_dataset

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "plugin_hooks.md"
COUNCIL = ROOT / "sample_data" / "council"


def _blocks(heading: str | None = None) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    if heading is not None:
        start = text.index(f"\n## {heading}")
        end = text.find("\n## ", start + 1)
        text = text[start:end if end > 0 else None]
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def _plugin(tmp_path: Path, heading: str) -> Path:
    folder = tmp_path / "plugins"
    folder.mkdir(exist_ok=True)
    (folder / f"{heading.split('(')[0]}.py").write_text(_blocks(heading)[0], encoding="utf-8")
    return folder


def test_every_example_compiles_and_imports_only_the_public_api(tmp_path: Path) -> None:
    blocks = _blocks()
    assert len(blocks) >= 7
    for i, code in enumerate(blocks):
        path = tmp_path / f"block{i}.py"
        path.write_text(code, encoding="utf-8")
        compile(code, str(path), "exec")
        assert _private_imports(path, tmp_path) == []


def test_the_example_report_runs_on_sample_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plugins = _plugin(tmp_path, "register_reports(register)")
    out = tmp_path / "out"
    res = run_cli(["run", "headcount", "--data", COUNCIL, "--out", out, "--plugins-dir", plugins,
                   "--format", "json,csv", "--audience", "internal"], capsys)
    assert res.code == 0, res.err
    figures = json.loads((out / "headcount-internal.json").read_text(encoding="utf-8"))["figures"]
    staff = load_dataset(COUNCIL).table("staff")
    expected = staff.drop_duplicates("person_id")["ethnic_binary"].value_counts()
    for group in ("white", "minority_ethnic", "unknown"):
        assert figures[f"headcount.staff.{group}.count"]["value"] == int(expected.get(group, 0))
    assert sum(f["value"] for f in figures.values()) == staff["person_id"].nunique()


def test_the_example_report_publishes_and_checks_its_option(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    plugins = _plugin(tmp_path, "register_reports(register)")
    res = run_cli(["run", "headcount", "--data", COUNCIL, "--out", tmp_path / "pub", "--plugins-dir", plugins,
                   "--format", "json"], capsys)
    assert res.code == 0, res.err
    assert json.loads((tmp_path / "pub" / "headcount.json").read_text(encoding="utf-8"))["audience"] == "publication"
    res = run_cli(["run", "headcount", "--data", COUNCIL, "--out", tmp_path / "bad", "--plugins-dir", plugins,
                   "--option", "minority_label= ", "--format", "json"], capsys)
    assert res.code == 2 and "minority_label is empty" in res.err


def test_the_example_command_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plugins = _plugin(tmp_path, "register_commands(cli, host)")
    _plugin(tmp_path, "register_reports(register)")
    res = run_cli(["--plugins-dir", plugins, "headcount", COUNCIL], capsys)
    assert res.code == 0, res.err
    count, reports = res.out.strip().splitlines()
    assert int(count) == len(load_dataset(COUNCIL).table("staff"))
    assert "headcount" in reports.split(", ")


def test_the_example_classifications_feed_intake(tmp_path: Path) -> None:
    """The two schemes of the register_classifications example classify a staff table's values."""
    from equality_reports import PluginHost

    host = PluginHost(_plugin(tmp_path, "register_classifications(register)"))
    assert host.errors == []
    data = tmp_path / "data"
    data.mkdir()
    (data / "staff.csv").write_text("person_id,ethnicity,sex\nP1,White Scottish,1\nP2,Polish,9\n", encoding="utf-8")
    (data / "dataset.toml").write_text('organisation = "X"\nperiod_end = 2026-03-31\n'
                                       '[classification]\nethnicity = "scotland-2022"\nsex = "hr-gender"\n')
    staff = load_dataset(data, contract=host.contract()).table("staff")
    assert staff["ethnicity"].tolist() == ["white_british", "white_other"]
    assert staff["sex"].tolist() == ["female", "not_stated"]


def test_the_example_framework_is_registered(tmp_path: Path) -> None:
    from equality_reports import PluginHost

    plugins = _plugin(tmp_path, "register_frameworks(register)")
    source = ROOT / "plugins" / "evidence" / "src" / "equality_reports_evidence" / "frameworks"
    (plugins / "our-framework.yaml").write_bytes((source / "journey-to-race-equality.yaml").read_bytes())
    host = PluginHost(plugins)
    assert host.errors == []
    assert "journey-to-race-equality" in host.frameworks()


def test_the_example_renderer_writes_its_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plugins = _plugin(tmp_path, "register_renderers(register)")
    _plugin(tmp_path, "register_reports(register)")
    res = run_cli(["run", "headcount", "--data", COUNCIL, "--out", tmp_path / "out", "--plugins-dir", plugins,
                   "--format", "md"], capsys)
    assert res.code == 0, res.err
    assert (tmp_path / "out" / "headcount.md").read_text(encoding="utf-8").splitlines() == [
        "# Staff in post by ethnic group", "## Staff in post"]


def test_the_example_loader_reads_its_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The register_loaders example reads an OpenDocument spreadsheet as a table."""
    import pandas as pd

    plugins = _plugin(tmp_path, "register_loaders(register)")
    data = tmp_path / "data"
    data.mkdir()
    pd.DataFrame({"person_id": ["P1", "P2", "P3"], "ethnicity": ["A", "H", "Z"]}).to_excel(
        data / "staff.ods", engine="odf", index=False)
    (data / "dataset.toml").write_text('organisation = "X"\nperiod_end = 2026-03-31\n')
    res = run_cli(["validate", data, "--plugins-dir", plugins], capsys)
    assert res.code == 0, res.out + res.err
    assert re.search(r"staff\s+3 rows", res.out)
