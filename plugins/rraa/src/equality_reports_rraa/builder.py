"""State shared by the parts of one rraa-employment build."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from equality_reports import EVENT_TABLES, Dataset, Document, ReportContext, Scope, Section
from equality_reports_rraa.groups import Level, levels

REPORT = "rraa-employment"
TEMPLATE = REPORT + "/{}.j2"


@dataclass(frozen=True)
class Stage:
    """One stage compared between groups: a count and the population it is a rate of.

    ``numerator`` and ``base`` are counts by binary group id. ``favourable`` says whether a
    higher rate is good for the group (being appointed) or not (being disciplined). ``sources``
    names the (table id, column) where the numerator and the base are published, rows labelled
    by binary group, so the comparison tables withhold what those tables withhold.
    """

    key: str
    label: str
    base_label: str
    numerator: pd.Series
    base: pd.Series
    favourable: bool
    sources: tuple[tuple[str, str], tuple[str, str]]


@dataclass
class Build:
    """Everything the section builders share while one document is assembled."""

    ctx: ReportContext
    dataset: Dataset
    doc: Document
    options: dict[str, Any]
    #: staff in post of the report's population (employees unless the option includes everyone)
    staff: pd.DataFrame
    #: the same population's events, in the reporting period
    people: Scope
    stages: list[Stage] = field(default_factory=list)
    #: facts for the key-findings and data-quality templates (no counts: those are figures)
    facts: dict[str, Any] = field(default_factory=dict)
    #: (figure id, plain label) of percentages compared with last year
    tracked: list[tuple[str, str]] = field(default_factory=list)
    #: True while building last year's figures for --compare (no comparisons then)
    previous_run: bool = False

    @cached_property
    def levels(self) -> dict[str, Level]:
        return levels(self.options["minority_label"], self.staff)

    @property
    def binary(self) -> Level:
        return self.levels["binary"]

    @property
    def minority(self) -> str:
        return self.binary.label("minority_ethnic")

    def fid(self, *parts: str) -> str:
        return ".".join((REPORT, *parts))

    def table(self, name: str) -> pd.DataFrame | None:
        """An optional table when supplied with rows, else None; event tables hold the population's
        rows only."""
        if name in EVENT_TABLES:
            return self.people.events(name)
        return self.dataset.table(name) if self.dataset.has(name) else None

    def warn(self, message: str, *, file: str | None = None, column: str | None = None) -> None:
        if not self.previous_run:
            self.ctx.warn(message, file=file, column=column)

    def section(self, id: str, title: str) -> Section:
        return self.doc.section(id, title)
