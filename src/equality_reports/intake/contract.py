"""The data contract: tables, their columns, types and allowed values, merged from every plugin.

The engine declares the tables its own measures need (:mod:`equality_reports.intake.core_tables`);
plugins declare theirs through the ``register_tables`` hook. :func:`merge` unites them into one
:class:`Contract`, which the loader, ``validate``, ``template``, ``sample`` and
docs/data-contract.md (``equality-reports contract --markdown``) all read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from equality_reports.classification import Classification

#: "id", "text", "bool", "date", "number", "choice" or "category" (classified by a scheme)
ColumnType = str
TYPES = ("id", "text", "bool", "date", "number", "choice", "category")


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    type: ColumnType = "text"
    required: bool = False
    help: str = ""
    choices: tuple[str, ...] = ()
    default: object = None
    #: number columns: the smallest and largest values allowed (None: any finite value below 1e15);
    #: ``allow_zero=False`` with ``minimum=0`` means "above 0"; ``integer`` for counts; ``percent``
    #: for 0-100 percentages, which may carry a '%' sign (see equality_reports.intake.numbers)
    minimum: float | None = None
    maximum: float | None = None
    allow_zero: bool = True
    integer: bool = False
    percent: bool = False
    #: category columns: the characteristic whose classification schemes read the values
    #: ("ethnicity", "sex", ...; see equality_reports.classification)
    classification: str | None = None


@dataclass(frozen=True)
class SampleContext:
    """What a table's sample writer gets: the kind of organisation, its period and a random stream."""

    kind: str
    sector: str
    period_start: date
    period_end: date
    rng: np.random.Generator
    #: the sample's staff, for event rows that name a member of staff
    person_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    name: str
    help: str
    columns: tuple[ColumnSpec, ...]
    #: people tables get ethnicity classified; events may take it from staff via person_id
    person_table: bool = True
    #: event tables may omit ethnicity when person_id joins them to staff
    joins_staff: bool = False
    #: the date that places an event row in the reporting period (see equality_reports.measures)
    period_column: str | None = None
    #: people's events (one row per case or record of a person): a report's population restricts
    #: them by the person's staff facts, as it does the engine's own event tables
    #: (:data:`equality_reports.measures.population.EVENT_TABLES`; see ``scope``)
    event: bool = False
    #: the reports that read the table (besides those naming it in required/optional_tables)
    reports: tuple[str, ...] = ()
    #: rows for ``equality-reports sample`` (default: a few rows made from the column specs)
    sample: Callable[[SampleContext], pd.DataFrame] | None = field(default=None, compare=False)

    def column(self, name: str) -> ColumnSpec | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def classified(self) -> list[ColumnSpec]:
        """The columns classification schemes read."""
        return [c for c in self.columns if c.classification]


@dataclass(frozen=True)
class Contract:
    """Every table the installed plugins read, the classification schemes and who uses each table."""

    tables: dict[str, TableSpec]
    schemes: dict[str, Classification] = field(default_factory=dict)
    #: table -> the reports that read it
    used_by: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __contains__(self, name: object) -> bool:
        return name in self.tables

    def __getitem__(self, name: str) -> TableSpec:
        return self.tables[name]

    def characteristics(self) -> list[str]:
        """Every characteristic a scheme classifies, in registration order."""
        return list(dict.fromkeys(s.characteristic for s in self.schemes.values()))

    def schemes_for(self, characteristic: str, chosen: str | None = None) -> list[Classification]:
        """The schemes classifying ``characteristic``: the one chosen in dataset.toml, else all."""
        schemes = [s for s in self.schemes.values() if s.characteristic == characteristic]
        return [s for s in schemes if s.name == chosen] if chosen else schemes


@cache
def default_contract() -> Contract:
    """The contract of the installed plugins (built-in, entry points and $EQUALITY_REPORTS_PLUGINS_DIR),
    for callers without a plugin host of their own; built once."""
    from equality_reports.plugins import PluginHost

    return PluginHost().contract()


def merge(declared: list[tuple[str, TableSpec]]) -> tuple[dict[str, TableSpec], list[tuple[str, str]]]:
    """One spec per table from every (plugin, spec) declaration, in order.

    A table declared twice gets the union of the columns; a column declared twice keeps the first
    declaration, becomes required when any declaration requires it, and must have the same type
    (and choices and classification): a conflict is returned as (plugin, message) and the later
    column is left out.
    """
    tables: dict[str, TableSpec] = {}
    owners: dict[tuple[str, str], str] = {}
    conflicts: list[tuple[str, str]] = []
    for plugin, spec in declared:
        held = tables.get(spec.name)
        if held is None:
            tables[spec.name] = spec
            owners.update({(spec.name, c.name): plugin for c in spec.columns})
            continue
        columns = list(held.columns)
        for col in spec.columns:
            index = next((i for i, c in enumerate(columns) if c.name == col.name), None)
            if index is None:
                columns.append(col)
                owners[(spec.name, col.name)] = plugin
                continue
            first = columns[index]
            clash = [f"{attr} {getattr(first, attr)!r} (plugin {owners[(spec.name, col.name)]!r}) and "
                     f"{getattr(col, attr)!r}" for attr in ("type", "choices", "classification")
                     if getattr(first, attr) != getattr(col, attr)]
            if clash:
                conflicts.append((plugin, f"register_tables: column '{col.name}' of table '{spec.name}' is "
                                          f"declared with {'; '.join(clash)}; this declaration is ignored"))
            elif col.required and not first.required:
                columns[index] = replace(first, required=True)
        tables[spec.name] = replace(held, columns=tuple(columns), reports=tuple(dict.fromkeys(
            (*held.reports, *spec.reports))), sample=held.sample or spec.sample,
            period_column=held.period_column or spec.period_column, event=held.event or spec.event)
    return tables, conflicts


def _type_words(col: ColumnSpec) -> str:
    return f"category ({col.classification})" if col.classification else col.type


def markdown(contract: Contract) -> str:
    """The per-table sections of docs/data-contract.md (``equality-reports contract --markdown``)."""
    out = []
    for spec in contract.tables.values():
        intro = spec.help
        ethnicity = spec.column("ethnicity")
        if spec.joins_staff and not (ethnicity and ethnicity.required):
            intro += " Ethnicity may be left out: it is taken from `staff` through `person_id`."
        if spec.period_column:
            intro += (f" Rows are placed in the reporting period by `{spec.period_column}` (see "
                      f"[measures.md](measures.md)).")
        users = contract.used_by.get(spec.name, ())
        intro += f" Read by: {', '.join(f'`{u}`' for u in users)}." if users else ""
        out += [f"### `{spec.name}`", "", intro, "", "| column | type | required | meaning |", "|---|---|---|---|"]
        for col in spec.columns:
            meaning = col.help + (f" ({', '.join(col.choices)})" if col.choices else "")
            out.append(f"| `{col.name}` | {_type_words(col)} | {'yes' if col.required else ''} | {meaning} |")
        out.append("")
    schemes = sorted(contract.schemes.values(), key=lambda s: (s.characteristic, s.name))
    if schemes:
        out += ["### Classification schemes", "", "Category columns are read by these schemes; `classification` "
                "in dataset.toml chooses one per characteristic (see [Values](#values)).", "",
                "| characteristic | scheme | description |", "|---|---|---|"]
        out += [f"| {s.characteristic} | `{s.name}` | {s.description} |" for s in schemes]
        out.append("")
    return "\n".join(out)
