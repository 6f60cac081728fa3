"""The action plan a publication ends with: the organisation's actions for the report, with their
progress (the ``actions`` table; see docs/data-contract.md)."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from equality_reports.document import Column, Table, long_date
from equality_reports.errors import Problem

#: an action's status that says it is finished (lower case)
DONE_STATUSES = frozenset({"complete", "completed", "done", "closed", "achieved", "met"})
#: what a missing value of the action plan shows
NOT_STATED = "Not stated"


def _names(actions: pd.DataFrame) -> list[set[str]]:
    """What each action's ``framework`` names, lower case (several separated by commas or
    semicolons; "all" among them); an empty set for a blank cell, which means every report."""
    return [{part.strip().lower() for part in re.split(r"[,;]", value)} - {""}
            for value in actions["framework"].astype("string").fillna("").tolist()]


def actions_for(actions: pd.DataFrame, report: str) -> pd.DataFrame:
    """The actions for ``report``: those whose ``framework`` is blank, "all" or names the report
    (several names separated by commas or semicolons: "rraa-employment; wres"); every action when
    the table has no framework column."""
    if "framework" not in actions.columns:
        return actions
    keep = [not names or bool(names & {report, "all"}) for names in _names(actions)]
    return actions[np.array(keep, dtype=bool)]


def unknown_names(actions: pd.DataFrame, known: set[str], file: str = "actions") -> list[Problem]:
    """A warning for each action whose ``framework`` names neither a report nor a framework in
    ``known``: no report's plan would show it (a misspelt name drops it silently otherwise)."""
    if "framework" not in actions.columns:
        return []
    problems = []
    values = actions["framework"].astype("string").fillna("").tolist()
    for position, (value, names) in enumerate(zip(values, _names(actions))):
        unknown = sorted(names - {"all"} - {k.lower() for k in known})
        if unknown:
            problems.append(Problem(f"the action is for {', '.join(repr(u) for u in unknown)}, which is no report or "
                                    "framework: no report's action plan will show it", file=file, row=position + 2,
                                    column="framework", value=str(value)[:60], severity="warning",
                                    fix=f"name a report ({', '.join(sorted(known)[:8])}, ...) or leave it blank "
                                        "for every report"))
    return problems


def action_plan(actions: pd.DataFrame, report: str, snapshot: date | None, *, table_id: str = "actions",
                title: str = "Our action plan") -> Table | None:
    """The action plan of ``report`` as a text table (no counts, nothing for disclosure control):
    number, action, who, by when and, when the data gives it, status; an unfinished action dated
    before ``snapshot`` says so ("In progress, past its date"). None when no action is for it."""
    actions = actions_for(actions, report)
    if not len(actions):
        return None

    def text(column: str) -> list[str]:
        if column not in actions.columns:
            return [NOT_STATED] * len(actions)
        values = actions[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            return [long_date(v) if not pd.isna(v) else NOT_STATED for v in values]
        shown = values.astype("string").str.strip()
        return shown.where(shown != "", NOT_STATED).fillna(NOT_STATED).tolist()

    data = pd.DataFrame({"number": [str(i) for i in range(1, len(actions) + 1)], "action": text("action"),
                         "who": text("who"), "by_when": text("by_when")})
    columns = [Column("number", "No."), Column("action", "Action"), Column("who", "Who is responsible"),
               Column("by_when", "By when")]
    if "status" in actions.columns:
        status = actions["status"].astype("string").str.strip().fillna("")
        due = pd.to_datetime(actions["by_when"], errors="coerce") if "by_when" in actions.columns else \
            pd.Series(pd.NaT, index=actions.index)
        late = (due < pd.Timestamp(snapshot)) if snapshot is not None else pd.Series(False, index=actions.index)
        late = late.fillna(False) & ~status.str.lower().isin(DONE_STATUSES)
        shown = status.where(status != "", NOT_STATED)
        data["status"] = (shown + late.map({True: ", past its date", False: ""})).tolist()
        # the status the data records, as at the snapshot date (the publication comes later)
        columns.append(Column("status", f"Status at {long_date(snapshot)}" if snapshot is not None else "Status"))
    return Table(table_id, title, columns, data, row_key="number", rows_additive=False)
