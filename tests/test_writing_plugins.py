"""docs/writing-plugins.md runs as written, and `new-plugin` writes a plugin whose tests pass.

The tutorial's shell and Python blocks are executed in order in an empty folder, with a fresh
virtual environment (seeing this environment's packages) holding the engine and, once the
tutorial installs it, the generated plugin, exactly as a plugin author would work.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers_cli import run_cli

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = ROOT / "docs" / "writing-plugins.md"
BLOCK = re.compile(r"^```(bash|python)\n(.*?)^```", re.S | re.M)


def _venv(folder: Path) -> dict[str, str]:
    """A virtual environment with the engine installed from this checkout; its environment variables."""
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(ROOT)],
                   check=True, capture_output=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EQUALITY_REPORTS_", "PYTHON"))}
    return {**env, "PATH": f"{venv / 'bin'}{os.pathsep}{env['PATH']}", "VIRTUAL_ENV": str(venv)}


def test_the_tutorial_runs_as_written(tmp_path: Path) -> None:
    blocks = BLOCK.findall(TUTORIAL.read_text(encoding="utf-8"))
    assert [kind for kind, _ in blocks].count("bash") >= 5 and "python" in [kind for kind, _ in blocks]
    work = tmp_path / "work"
    work.mkdir()
    env = _venv(tmp_path)
    for kind, code in blocks:
        command = ["bash", "-euo", "pipefail", "-c", code] if kind == "bash" else ["python", "-c", code]
        done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{kind} block failed:\n{code}\n{done.stdout}\n{done.stderr}"
    # what the tutorial says it makes
    assert {p.name for p in (work / "out").iterdir()} >= {"secondments.docx", "secondments.xlsx",
                                                          "secondments.json", "run.json"}
    published = json.loads((work / "out" / "secondments.json").read_text(encoding="utf-8"))
    seconded = published["figures"]["secondments.people.total"]
    assert not seconded["suppressed"] and seconded["value"] > 0
    local = json.loads((work / "out-local" / "leavers-count.json").read_text(encoding="utf-8"))
    assert [row[0] for row in local["tables"]["leavers"]["rows"]] == ["white", "minority_ethnic", "unknown"]


def test_new_plugin_refuses_a_bad_name_or_an_existing_folder(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    bad = run_cli(["new-plugin", "Pay Gap!", "--dir", tmp_path], capsys)
    assert bad.code == 2 and "lower-case letters and digits" in bad.err
    assert run_cli(["new-plugin", "pay-gap", "--dir", tmp_path], capsys).code == 0
    assert (tmp_path / "pay-gap" / "src" / "equality_reports_pay_gap" / "templates" / "pay-gap" / "summary.j2").is_file()
    again = run_cli(["new-plugin", "pay-gap", "--dir", tmp_path], capsys)
    assert again.code == 2 and "already exists" in again.err
    for installed in ("wres", "rraa-employment", "staff"):  # a report or a table of the engine's plugins
        taken = run_cli(["new-plugin", installed, "--dir", tmp_path], capsys)
        assert taken.code == 2 and "already installed" in taken.err
        assert not (tmp_path / installed).exists()


def test_the_generated_plugin_uses_only_the_public_api(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(["new-plugin", "overtime-hours", "--dir", tmp_path], capsys)
    from test_public_api import _private_imports

    files = sorted((tmp_path / "overtime-hours" / "src").rglob("*.py"))
    assert len(files) == 2
    assert [bad for path in files for bad in _private_imports(path, tmp_path)] == []
