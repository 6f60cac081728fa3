"""No silent misreads: the checks intake runs between reading a table and using its values.

- XML-invalid control characters are removed (they cannot be written to Word or Excel) with a
  warning naming file, row and column (a vertical tab or form feed becomes a space);
- labels that differ only in case or punctuation ("Adults", "adults", "ADULTS") are merged to the
  most frequent spelling, with a warning naming the spellings;
- two headings that read as the same column ("Ethnicity" and "ethnicity") are an error;
- an unrecognised ethnicity value gets the nearest known value as its suggested mapping.

Every check works on distinct values, never row by row.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from equality_reports.classification import Classifier
from equality_reports.errors import Problem
from equality_reports.intake.bounds import column_letters
from equality_reports.intake.contract import ColumnSpec, TableSpec
from equality_reports.intake.readers import CONTROL_CHARACTERS

_KEY_APOSTROPHES = re.compile(r"['\u2019`]")
_KEY_SEPARATORS = re.compile(r"[^\w+]+|_+")

#: free-text label columns never merged: identifiers and ratings ("A" and "A-" are different ratings)
_NOT_LABELS = {"rating"}


def strip_control(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The values without XML-invalid control characters, and which values had some. Vertical tab
    and form feed (line breaks in some exports) become spaces so words stay apart; the rest go."""
    had = raw.str.contains(CONTROL_CHARACTERS, regex=True).fillna(False).astype(bool)
    if not had.any():
        return raw, had
    cleaned = raw[had].str.replace("[\x0b\x0c]", " ", regex=True).str.replace(CONTROL_CHARACTERS, "", regex=True)
    return raw.where(~had, cleaned), had


def control_warning(column: str) -> tuple[str, str]:
    """Message and fix for values whose control characters were removed."""
    return ("control characters removed (they cannot be written to Word or Excel files)",
            f"nothing to do if the {column} values still read right; otherwise correct them in the source system")


def is_label_column(spec: TableSpec, col: ColumnSpec) -> bool:
    """Free-text labels of people tables that group people in publications: services, staff groups,
    grades, outcomes, reasons, courses, characteristics."""
    return spec.person_table and col.type == "text" and not col.name.endswith("_id") and col.name not in _NOT_LABELS


def label_key(text: str) -> str:
    """'Adults', 'adults ', 'ADULTS' and 'Children's' / 'Childrens' share a key; '+' stays significant."""
    return _KEY_SEPARATORS.sub(" ", _KEY_APOSTROPHES.sub("", text.casefold())).strip()


def merge_spellings(values: pd.Series, report: Callable[[pd.Series, str, str], None], column: str) -> pd.Series:
    """Labels differing only in case or punctuation merged to the most frequent spelling (ties: the
    first in sort order); ``report(mask, message, fix)`` is called once per merged group."""
    distinct = [s for s in values.unique() if isinstance(s, str)]
    if len(distinct) < 2 or len({label_key(s) for s in distinct}) == len(distinct):
        return values  # the usual case: no two spellings share a key, nothing to count
    counts = values.value_counts(dropna=True)
    spellings = pd.Series([str(s) for s in counts.index], dtype=object)
    keys = spellings.map(label_key)  # distinct values only
    table = pd.DataFrame({"spelling": spellings, "key": keys, "rows": counts.to_numpy()})
    table = table[table["key"].duplicated(keep=False)].sort_values(["key", "rows", "spelling"],
                                                                   ascending=[True, False, True])
    replace: dict[str, str] = {}
    groups = []
    for _, group in table.groupby("key", sort=False):
        keep = str(group["spelling"].iloc[0])
        others = [str(s) for s in group["spelling"].iloc[1:]]
        replace.update(dict.fromkeys(others, keep))
        groups.append((keep, group))
    for keep, group in groups:
        listed = ", ".join(f"'{s}' ({n} row{'s' if n != 1 else ''})" for s, n in zip(group["spelling"], group["rows"]))
        merged = set(map(str, group["spelling"].iloc[1:]))
        report(values.isin(merged).fillna(False).astype(bool),
               f"spellings that differ only in case or punctuation were merged into '{keep}': {listed}",
               f"nothing to do if they mean the same {column}; if they differ, make the labels differ by more than "
               f"case or punctuation (or map them under values.{column} in dataset.toml)")
    return values.replace(replace)


def heading_collisions(headings: list[str], positions: list[int], spec: TableSpec, mapping: dict[str, str],
                       normalise: Callable[[object], str]) -> list[tuple[str, list[tuple[int, str]]]]:
    """Contract columns that two or more headings would fill: (column, [(position, heading), ...]),
    positions 0-based in the file.

    A heading named in the ``columns`` mapping wins over headings that only match by name, so
    ``columns = { ethnicity = "Ethnic Origin" }`` beside an 'Ethnicity' heading is no collision.
    """
    by_source = {str(v).strip().lower(): k for k, v in mapping.items()}
    names = {c.name for c in spec.columns}
    mapped: dict[str, list[tuple[int, str]]] = {}
    matched: dict[str, list[tuple[int, str]]] = {}
    for i, heading in zip(positions, headings):
        key = str(heading).strip().lower()
        if key in by_source:
            mapped.setdefault(by_source[key], []).append((i, heading))
        elif normalise(heading) in names:
            matched.setdefault(normalise(heading), []).append((i, heading))
    out = []
    for column in [c.name for c in spec.columns]:
        found = mapped.get(column) or matched.get(column) or []
        if len(found) > 1:
            out.append((column, found))
    return out


def collision_problem(column: str, found: list[tuple[int, str]], label: str, header_row: int,
                      table: str) -> Problem:
    listed = " and ".join(f"'{h}' (column {column_letters(i)})" for i, h in found)
    return Problem(f"the headings {listed} both read as the column '{column}', so one of them would be ignored",
                   file=label, row=header_row, column=column,
                   fix=f"delete or rename the heading you do not want, or choose one with columns = {{ {column} = "
                       f"\"Your heading\" }} under [tables.{table}] in dataset.toml")


#: raw values that look like a code but must stay unrecognised so the user decides what they mean
_NEVER_GUESSED = {"undefined": (
    "'Undefined' is what ESR shows when no ethnic origin was recorded, and it is not treated as a known "
    "value. If that is what it means in your system, add values.ethnicity = {{ \"{value}\" = \"99\" }} "
    "(not known) under [tables.{table}] in dataset.toml; if the people declined to say, map it to \"Z\" "
    "(not stated)")}


def ethnicity_fix(value: str, table: str, classifier: Classifier) -> str:
    """The fix for an unrecognised ethnicity value: the nearest known value as a mapping line, or, when
    nothing is close, how to map it; never a default group."""
    from equality_reports.classification import normalise

    special = _NEVER_GUESSED.get(normalise(value))
    if special:
        return special.format(value=value, table=table)
    quoted = value.replace("\\", "\\\\").replace('"', '\\"')
    suggestion = classifier.suggest(value)
    codes = "an NHS code (A-S), \"Z\" for not stated or \"99\" for not known"
    if suggestion is None:
        return (f"no known value is close to it: add values.ethnicity = {{ \"{quoted}\" = \"...\" }} under "
                f"[tables.{table}] in dataset.toml with {codes}, or an ONS label (see docs/data-contract.md)")
    cat = suggestion.category
    return (f"the nearest known value is '{suggestion.label}' ({cat.label}, NHS code {cat.nhs_code}): if that is "
            f"what it means, add values.ethnicity = {{ \"{quoted}\" = \"{suggestion.target}\" }} under "
            f"[tables.{table}] in dataset.toml; otherwise map it to {codes}")
