"""Who is in a report's population: one rule for staff in post and for their events.

A population is chosen from two facts on the staff record, ``directly_employed`` (missing counts
as yes) and ``bank`` (missing counts as no). Events (disciplinary cases, training, leavers ...)
carry the same two facts, joined from ``staff`` by ``person_id`` at intake or given on the event
row itself, so an indicator's numerator comes from the same people as its denominator:

* NHS WRES: directly employed staff who are not bank-only workers (bank workers have their own
  Bank WRES);
* Social Care WRES: directly employed staff;
* RRAA employment monitoring: employees, i.e. directly employed staff (article 1(2) of
  SI 2001/3458: agency and other workers are not the body's staff); options include everyone,
  or leave bank-only workers out as the WRES does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from equality_reports.measures.periods import KEPT, place_in_period
from equality_reports.measures.units import RECORD, record_codes, unit_codes

if TYPE_CHECKING:
    from equality_reports.dataset import Dataset

#: The engine's event tables, restricted to a population (people's events, not survey or framework
#: data); a plugin declares its own with ``TableSpec(event=True)`` (``Dataset.event_tables``).
EVENT_TABLES = ("applications", "training", "promotions", "appraisals", "grievances", "disciplinary",
                "leavers", "fitness_to_practise")


def _flag(frame: pd.DataFrame, column: str, default: bool) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(default, index=frame.index, dtype=bool)
    return frame[column].astype("boolean").fillna(default).astype(bool)


@dataclass(frozen=True)
class Population:
    """Which staff (and whose events) a report counts."""

    id: str
    description: str  # plain words for notes: "directly employed staff, not bank-only workers"
    directly_employed_only: bool = True
    exclude_bank: bool = False

    def in_words(self, staff: pd.DataFrame) -> str:
        """The description for a publication, saying that bank-only workers are counted where the
        staff include some and the population keeps them (two reports of one trust can count
        different people: the reader is told which)."""
        if not self.exclude_bank and bool(_flag(staff, "bank", False).any()):
            return f"{self.description}, bank-only workers included"
        return self.description

    def members(self, frame: pd.DataFrame) -> pd.Series:
        """True for rows (staff or events) whose person belongs to the population."""
        keep = pd.Series(True, index=frame.index, dtype=bool)
        if self.directly_employed_only:
            keep &= _flag(frame, "directly_employed", True)
        if self.exclude_bank:
            keep &= ~_flag(frame, "bank", False)
        return keep


#: the values of the ``bank_workers`` option of reports that let users leave bank-only workers out
#: (a report may add its own default, as the RRAA report's ``auto``: by sector)
BANK_CHOICES = ("include", "exclude")

DIRECTLY_EMPLOYED_NOT_BANK = Population(
    "directly_employed_not_bank", "directly employed staff, not bank-only workers", True, True)
DIRECTLY_EMPLOYED = Population("directly_employed", "directly employed staff", True, False)
ALL_STAFF = Population("all_staff", "all staff, including agency and other staff not directly employed",
                       False, False)
ALL_STAFF_NOT_BANK = Population(
    "all_staff_not_bank", "all staff, including agency and other staff not directly employed, but not "
    "bank-only workers", False, True)


def staff_population(*, directly_employed_only: bool, exclude_bank: bool) -> Population:
    """The population counting directly employed staff only (or everyone), without bank-only workers
    or with them."""
    return {(True, True): DIRECTLY_EMPLOYED_NOT_BANK, (True, False): DIRECTLY_EMPLOYED,
            (False, True): ALL_STAFF_NOT_BANK, (False, False): ALL_STAFF}[(directly_employed_only, exclude_bank)]


def relevant_employees(bank_workers: str = "include") -> Population:
    """Relevant employees for a pay gap (SI 2017/353 Schedule 1; the ethnicity pay gap guidance
    mirrors it): directly employed staff, bank-only workers among them unless ``bank_workers`` is
    ``"exclude"`` (one of :data:`BANK_CHOICES`)."""
    return staff_population(directly_employed_only=True, exclude_bank=bank_workers == "exclude")


@dataclass
class Scope:
    """A dataset seen through one population: its staff in post and its events."""

    population: Population
    staff: pd.DataFrame
    #: staff records left out of the population
    excluded_staff: int
    #: per event table, rows left out because their person is outside the population
    excluded_events: dict[str, int] = field(default_factory=dict)
    #: whom the staff left out are (person unit codes), for data-quality counts the audit relates
    excluded_units: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint64), repr=False)
    _events: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    _excluded_event_units: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def events(self, name: str) -> pd.DataFrame | None:
        """The event table's rows for people in the population (None when not supplied)."""
        return self._events.get(name)

    def excluded_event_units(self, name: str) -> np.ndarray:
        """The records of ``name`` left out because their person is outside the population."""
        return self._excluded_event_units.get(name, np.empty(0, dtype=np.uint64))


def scope(dataset: Dataset, population: Population,
          within: Callable[[pd.DataFrame], np.ndarray] | None = None) -> Scope:
    """Staff and event tables of ``dataset`` restricted to ``population`` and to the period.

    Intake already keeps only the period's events (and reports the rest); the period is applied
    here too, by the same rule, so a Dataset built directly from DataFrames is counted the same way.
    ``within`` (rows of a table -> True for those a report covers, such as its services) narrows
    every table first, so the people and records left out are counted within it too.
    """
    from equality_reports.intake.core_tables import CORE_TABLES

    staff = dataset.table("staff")
    if within is not None:
        staff = staff[within(staff)]
    keep = population.members(staff).to_numpy(dtype=bool)
    codes = unit_codes(staff)
    result = Scope(population, staff[keep], int((~keep).sum()), excluded_units=codes[~keep])
    periods = {name: CORE_TABLES[name].period_column for name in EVENT_TABLES}
    periods.update({name: column for name, column in dataset.event_tables.items() if name not in periods})
    for name, column in periods.items():
        if not dataset.has(name):
            continue
        frame = dataset.table(name)
        if column is not None and column in frame.columns:
            place = place_in_period(frame[column], dataset.period_start, dataset.period_end, dataset.snapshot)
            frame = frame[place.isin(KEPT).to_numpy(dtype=bool)]
        if within is not None:
            frame = frame[within(frame)]
        rows = population.members(frame).to_numpy(dtype=bool)
        result._events[name] = frame[rows]
        result.excluded_events[name] = int((~rows).sum())
        result._excluded_event_units[name] = event_codes(frame[~rows])
    return result


def event_codes(frame: pd.DataFrame) -> np.ndarray:
    """Each event row's record code (added at intake; by position for a table built in code)."""
    if RECORD in frame.columns:
        codes: np.ndarray = frame[RECORD].to_numpy(dtype=np.uint64)
        return codes
    return record_codes(frame, "events")
