"""The loaded, checked and classified input that every report reads.

A :class:`Dataset` is produced by :func:`equality_reports.intake.load_dataset` from a folder or
workbook (see docs/data-contract.md). Its tables use canonical column names; every table with
ethnicity carries the classified columns

* ``ethnicity_raw``: the value as it came in;
* ``ethnicity``: the detailed category id (see :data:`equality_reports.classification.CATEGORIES`);
* ``ethnic_group``: the broad group id (``white``, ``mixed``, ``asian``, ``black``, ``other``,
  ``unknown``);
* ``ethnic_binary``: ``white``, ``minority_ethnic`` or ``unknown``.

Other category columns (``sex``, ``disability``, ``religion``, ...) hold their category id, with
the value as it came in as ``<column>_raw``. Booleans are pandas ``boolean``; dates are
``datetime64``. Event tables hold only the reporting period's rows, and each event row's ethnicity
is its own known value, else the person's value on ``staff`` (``ethnicity_source`` says which):
see :mod:`equality_reports.measures`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from equality_reports.errors import InputError, Problem

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pandas as pd

    from equality_reports.intake.bounds import Limits

SECTORS = ("local_government", "nhs", "social_care", "other")


@dataclass
class InputFile:
    """One file read for a dataset, with its checksum for the run record."""

    path: str
    sha256: str
    table: str
    rows: int
    #: the spreadsheet row of the header (rows of data follow it)
    header_row: int = 1
    #: canonical column -> its heading in the file, where they differ (a dataset.toml mapping)
    headings: dict[str, str] = field(default_factory=dict)


@dataclass
class Dataset:
    """Canonical tables plus the facts about the organisation and period."""

    organisation: str
    period_start: date
    period_end: date
    tables: dict[str, pd.DataFrame]
    sector: str = "other"
    snapshot: date | None = None
    path: Path | None = None
    inputs: list[InputFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)
    #: per event table, rows left out because of their date (see equality_reports.measures.periods)
    period_exclusions: dict[str, dict[str, int]] = field(default_factory=dict)
    #: per event table, rows by source of their ethnicity (see equality_reports.measures.ethnicity)
    ethnicity_sources: dict[str, dict[str, int]] = field(default_factory=dict)
    #: event tables a plugin declared (``TableSpec.event``), with the column dating their rows:
    #: a population restricts them as it does the engine's own (see equality_reports.measures)
    event_tables: dict[str, str | None] = field(default_factory=dict)
    #: per table, the columns as read that no installed report declares (``validate`` lists them):
    #: text, indexed like the rows as read (``tables`` holds the period's rows only). Kept apart from
    #: ``tables`` so that no report reads them and no publication shows them.
    extra_columns: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: every reference of the tables about people as read, rows of any date included: (table,
    #: column) -> the distinct values (see equality_reports.identifiers: never published)
    references: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.snapshot is None:
            self.snapshot = self.period_end

    @property
    def part_of(self) -> str:
        """The employer the organisation is part of (``part_of`` in dataset.toml: a council's social
        care services are part of the council), or "" when it is an employer itself. Duties that
        depend on an employer's size rest on that employer, not on the part."""
        value = self.config.get("part_of")
        return value if isinstance(value, str) else ""

    def has(self, name: str) -> bool:
        """True when the table was supplied and has at least one row."""
        frame = self.tables.get(name)
        return frame is not None and len(frame) > 0

    def table(self, name: str) -> pd.DataFrame:
        """The canonical table ``name``; a clear :class:`InputError` when it was not supplied."""
        if name not in self.tables:
            where = f" in {self.path}" if self.path else ""
            raise InputError(
                f"the dataset has no '{name}' table{where}",
                [Problem(f"table '{name}' is needed", file=str(self.path) if self.path else None,
                         fix=f"add {name}.csv (or a '{name}' sheet) to the dataset")],
            )
        return self.tables[name]

    def input_file(self, table: str) -> str:
        """The file ``table`` was read from, for messages (``<table>.csv`` when not read)."""
        return next((item.path for item in self.inputs if item.table == table), f"{table}.csv")

    def name_headings(self, problems: Iterable[Problem]) -> None:
        """Name each problem's file as it was read, where a problem gives the table ("staff" from a
        report's check: "HR extract.xlsx [Staff]"), and give a problem about one of its columns
        the file's heading for it, where it differs from the canonical name (``Problem.heading``):
        a user finds "Ethnic Origin" in the file, not "ethnicity"."""
        for problem in problems:
            item = next((i for i in self.inputs if i.path == problem.file), None) or \
                next((i for i in self.inputs if i.table == problem.file), None)
            if item is None:
                continue
            problem.file = item.path
            if problem.column is not None and problem.heading is None:
                problem.heading = item.headings.get(problem.column)

    def file_row(self, table: str, index: object) -> int | None:
        """The row of ``table``'s input file that holds the row with ``index`` (None when unknown)."""
        if not isinstance(index, (int, np.integer)):
            return None
        header = next((item.header_row for item in self.inputs if item.table == table), 1)
        return header + 1 + int(index)

    def label(self, value: object) -> str:
        """How a value from the data (a service, a staff group) is shown: dataset.toml ``[labels]``,
        else humanised (see :mod:`equality_reports.labels`)."""
        from equality_reports.labels import display_label

        return display_label(value, self.config.get("labels"))

    def grade_order(self, grades: Iterable[object]) -> list[str]:
        """Distinct ``grades`` lowest first, as every report lists them: dataset.toml
        ``grade_order``, else pay order (:func:`equality_reports.measures.grades.order_grades`)."""
        from equality_reports.measures.grades import order_grades

        return order_grades(grades, self.config.get("grade_order") or ())

    @property
    def limits(self) -> Limits:
        """The size limits in force for this dataset: dataset.toml ``[limits]``, else the defaults."""
        from equality_reports.intake.bounds import limits_from_config

        return limits_from_config(self.config)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]
