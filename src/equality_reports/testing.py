"""Test helpers for plugin authors: build a tiny dataset, run a report, read back what it wrote.

Use the functions directly, or the pytest fixtures this module also provides (loaded
automatically when equality-reports is installed, through the ``pytest11`` entry point):

* :func:`write_dataset` (fixture ``make_dataset``, writing under the test's temporary folder)
  writes a dataset folder: one CSV per table and a ``dataset.toml``; :func:`staff_table` makes a
  staff table with so many people per ethnic group;
* :func:`run_report` (fixture ``report_runner``, writing under the test's temporary folder) runs
  ``equality-reports run`` in-process and returns a :class:`RunResult`: the exit code, the
  console output, and readers for the figures, tables and text the report wrote.

Reports run exactly as a user runs them: from the plugins installed in the environment (and
``plugins_dir``), with disclosure control, the audit and every requested format.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeAlias

import pandas as pd

__all__ = ["RunResult", "make_dataset", "report_runner", "run_report", "staff_table", "write_dataset"]

Rows: TypeAlias = pd.DataFrame | Sequence[Mapping[str, Any]]


def staff_table(groups: Mapping[str, int], **columns: Any) -> pd.DataFrame:
    """A staff table with ``count`` people per ethnicity code (``{"A": 40, "H": 12, "Z": 2}``: NHS
    codes, ONS labels or any value your dataset.toml maps), person ids S0001..., and any further
    columns given as one value for everyone or a list with one value per person."""
    codes = [code for code, count in groups.items() for _ in range(count)]
    frame = pd.DataFrame({"person_id": [f"S{i:04d}" for i in range(1, len(codes) + 1)], "ethnicity": codes})
    for name, value in columns.items():
        frame[name] = value
    return frame


def write_dataset(folder: Path, tables: Mapping[str, Rows], *, organisation: str = "Test organisation",
                  sector: str = "other", period_start: date = date(2025, 4, 1),
                  period_end: date = date(2026, 3, 31), toml: str = "") -> Path:
    """Write ``tables`` (name -> DataFrame or list of row dicts) as CSV files in ``folder`` with a
    dataset.toml for the period; ``toml`` is appended to it (mappings, labels, [limits] ...)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
        frame.to_csv(folder / f"{name}.csv", index=False)
    settings = (f'organisation = {json.dumps(organisation)}\nsector = {json.dumps(sector)}\n'
                f"period_start = {period_start.isoformat()}\nperiod_end = {period_end.isoformat()}\n")
    (folder / "dataset.toml").write_text(settings + toml, encoding="utf-8")
    return folder


@dataclass
class RunResult:
    """What one ``equality-reports run`` did: exit code, console output and the files written."""

    exit_code: int
    output: str
    out: Path
    report: str

    def _json(self) -> dict[str, Any]:
        path = next(self.out.glob(f"{self.report}*.json"), None)
        if path is None:
            raise AssertionError(f"{self.report} wrote no JSON (exit code {self.exit_code}):\n{self.output}")
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    def figures(self) -> dict[str, Any]:
        """Figure id -> published value (None where withheld)."""
        return {key: (None if f["suppressed"] else f["value"]) for key, f in self._json()["figures"].items()}

    def table(self, table_id: str) -> pd.DataFrame:
        """A table as published (column labels as headings, ``[c]`` where withheld)."""
        table = self._json()["tables"][table_id]
        return pd.DataFrame(table["rows"], columns=[c["label"] for c in table["columns"]])

    def text(self) -> str:
        """Every paragraph of the Word document, one per line."""
        from docx import Document as WordDocument

        path = next(self.out.glob(f"{self.report}*.docx"), None)
        if path is None:
            raise AssertionError(f"{self.report} wrote no Word document (exit code {self.exit_code}):\n{self.output}")
        return "\n".join(p.text for p in WordDocument(str(path)).paragraphs)


def run_report(report: str, data: Path, *, out: Path, options: Mapping[str, Any] | None = None,
               formats: Sequence[str] = ("docx", "json"), audience: str = "publication",
               threshold: int | None = None, plugins_dir: Path | None = None,
               extra_args: Sequence[str] = ()) -> RunResult:
    """Run ``equality-reports run REPORT --data DATA --out OUT`` in-process and return what it wrote."""
    from equality_reports.cli import main

    args = ["run", report, "--data", str(data), "--out", str(out), "--format", ",".join(formats),
            "--audience", audience]
    if threshold is not None:
        args += ["--threshold", str(threshold)]
    if plugins_dir is not None:
        args += ["--plugins-dir", str(plugins_dir)]
    for key, value in (options or {}).items():
        args += ["--option", f"{key}={value}"]
    args += list(extra_args)
    buffer = io.StringIO()
    code = 0
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        try:
            main(args)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return RunResult(code, buffer.getvalue(), out, report)


def _fixture(function: Any) -> Any:
    try:
        import pytest
    except ImportError:  # pragma: no cover - pytest is only needed to use the fixtures
        return function
    return pytest.fixture(function)


@_fixture
def make_dataset(tmp_path: Path) -> Iterator[Any]:
    """Fixture: ``make_dataset({"staff": staff_table({"A": 30, "H": 12})}, sector="nhs")`` writes a
    dataset folder under the test's temporary folder and returns its path."""
    made = iter(range(1, 1_000_000))

    def make(tables: Mapping[str, Rows], **settings: Any) -> Path:
        return write_dataset(tmp_path / f"dataset-{next(made)}", tables, **settings)

    yield make


@_fixture
def report_runner(tmp_path: Path) -> Iterator[Any]:
    """Fixture: ``report_runner("my-report", data, options={"x": 1})`` runs the report into a new
    folder under the test's temporary folder and returns the :class:`RunResult`."""
    runs = iter(range(1, 1_000_000))

    def run(report: str, data: Path, **kwargs: Any) -> RunResult:
        return run_report(report, data, out=tmp_path / f"out-{next(runs)}", **kwargs)

    yield run
