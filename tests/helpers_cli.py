"""Helpers for running the command line in tests, in-process or as a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from equality_reports.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> Result:
    """Run the CLI in-process through ``main`` (as the console script does)."""
    code = 0
    try:
        main([str(a) for a in args])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def run_subprocess(args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Result:
    """Run ``python -m equality_reports`` as a separate process."""
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "equality_reports", *map(str, args)],
                          capture_output=True, text=True, env=full_env, cwd=cwd, timeout=300)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def write_staff_dataset(folder: Path, white: int = 40, minority: int = 12, unknown: int = 3,
                        year_end: int = 2026) -> Path:
    """A minimal dataset folder: staff.csv plus dataset.toml, for the financial year ending in ``year_end``."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["person_id,ethnicity"]
    codes = ["A"] * white + ["N"] * minority + ["Z"] * unknown
    rows += [f"P{i:05d},{code}" for i, code in enumerate(codes)]
    (folder / "staff.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "dataset.toml").write_text(
        'organisation = "Testshire Council"\nsector = "local_government"\n'
        f"period_start = {year_end - 1}-04-01\nperiod_end = {year_end}-03-31\n", encoding="utf-8")
    return folder


def previous_year_sample(folder: Path, kind: str) -> Path:
    """``equality-reports sample FOLDER --kind KIND --period-end 2025-03-31``: last year's sample."""
    from equality_reports.intake import generate_sample

    return generate_sample(folder, kind, period_end=date(2025, 3, 31))


def make_entry_point_plugin(root: Path) -> Path:
    """Install a throwaway distribution with an ``equality_reports`` entry point under ``root``.

    Returns the folder to put on PYTHONPATH: importlib.metadata finds the .dist-info there.
    """
    root.mkdir(parents=True, exist_ok=True)
    (root / "ep_test_plugin.py").write_text((FIXTURES / "ep_plugin_source.py").read_text())
    info = root / "ep_test_plugin-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: ep-test-plugin\nVersion: 1.2.3\n")
    (info / "entry_points.txt").write_text("[equality_reports]\nep-test = ep_test_plugin\n")
    (info / "RECORD").write_text("")
    return root
