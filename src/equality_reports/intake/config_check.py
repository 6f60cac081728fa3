"""Checking dataset.toml's keys and value types, so a misspelt key is an error, never ignored.

The keys below are every key the engine reads. A plugin or engine module that reads another key
adds it to :data:`TOP_LEVEL_KEYS` (or :data:`TABLE_KEYS`) so it is accepted.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from equality_reports.errors import Problem
from equality_reports.intake.bounds import LIMIT_KEYS, Limits, valid_limit
from equality_reports.intake.contract import Contract, TableSpec
from equality_reports.intake.numbers import HUGE
from equality_reports.renderers import Publication

#: top-level keys and the types their values take ("date" accepts a TOML date or a date string)
TOP_LEVEL_KEYS: dict[str, str] = {
    "organisation": "text",
    "part_of": "text",
    "sector": "text",
    "period_start": "date",
    "period_end": "date",
    "snapshot": "date",
    "classification": "classification",
    "evidence_root": "text",
    "grade_order": "list",
    "labels": "labels",
    "tables": "table",
    "limits": "limits",
    "publication": "publication",
    "options": "options",
}

#: keys of the optional [publication] section, shown on the spreadsheet cover
PUBLICATION_KEYS: dict[str, str] = {
    "contact": "text",
    "published": "iso date",
    "source": "text",
}

#: keys of a [tables.NAME] section; ``<column>_max`` is accepted too for each number column with a
#: maximum in the contract (``fte_max``)
TABLE_KEYS: dict[str, str] = {
    "path": "text",
    "sheet": "sheet",
    "columns": "mapping",
    "values": "values",
}

_TYPE_WORDS = {"text": 'text in quotes, e.g. "..."', "date": "a date such as 2026-03-31",
               "table": "a [tables.NAME] section", "mapping": '{ column = "Your heading", ... }',
               "values": '{ column = { "Your value" = "known value" } }', "sheet": 'the sheet\'s name in quotes',
               "number": "a number such as 1.5", "limits": "a [limits] section",
               "publication": "a [publication] section", "iso date": "a date such as 2026-06-30",
               "list": 'a list of text, e.g. ["Grade 1", "Grade 2"]',
               "options": 'an [options] section of report option lines, e.g. services = "adults, childrens", and '
                          '[options.<report>] sections of option lines for one report',
               "labels": 'a [labels] section of "value" = "Label" lines',
               "classification": 'a scheme name for ethnicity, e.g. "nhs", or a [classification] section of '
                                 'characteristic = "scheme" lines'}


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? " if close else ""


def _type_ok(value: Any, kind: str) -> bool:
    if kind == "text":
        return isinstance(value, str)
    if kind == "date":
        return isinstance(value, (date, str))
    if kind == "iso date":
        return isinstance(value, date) or isinstance(value, str) and _iso_date(value) is not None
    if kind in ("table", "mapping", "values", "limits", "publication"):
        return isinstance(value, dict)
    if kind == "sheet":
        return isinstance(value, (str, int)) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "list":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "classification":
        return isinstance(value, str) or isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
    if kind == "options":  # option lines, and [options.<report>] tables of them
        return isinstance(value, dict) and all(
            isinstance(v, (str, int, float, bool)) or isinstance(v, dict)
            and all(isinstance(w, (str, int, float, bool)) for w in v.values()) for v in value.values())
    if kind == "labels":
        return isinstance(value, dict) and all(isinstance(v, str) and v.strip() for v in value.values())
    return True


def _wrong_type(key: str, value: Any, kind: str, file: str) -> Problem:
    return Problem(f"'{key}' must be {_TYPE_WORDS[kind]}", file=file, column=key, value=value,
                   fix=f"write {key} as {_TYPE_WORDS[kind]} (see docs/data-contract.md)")


def maximum_keys(spec: TableSpec) -> dict[str, str]:
    """``<column>_max`` keys of a table: one per number column the contract bounds above."""
    return {f"{c.name}_max": c.name for c in spec.columns if c.type == "number" and c.maximum is not None}


def _chosen(raw: dict[str, Any]) -> dict[str, Any]:
    """``classification`` in dataset.toml as characteristic -> scheme (a bare name is for ethnicity)."""
    value = raw.get("classification")
    return {"ethnicity": value} if isinstance(value, str) else value if isinstance(value, dict) else {}


def chosen_schemes(raw: dict[str, Any], contract: Contract) -> dict[str, str]:
    """The registered schemes dataset.toml chooses, by characteristic (check_config reports the others)."""
    return {k: v for k, v in _chosen(raw).items() if isinstance(v, str) and contract.schemes_for(k, v)}


def _check_classification(raw: dict[str, Any], contract: Contract, file: str) -> list[Problem]:
    """Every scheme chosen in dataset.toml must be registered for its characteristic."""
    problems = []
    for characteristic, scheme in _chosen(raw).items():
        if not isinstance(scheme, str) or contract.schemes_for(characteristic, scheme):
            continue
        names = [s.name for s in contract.schemes_for(characteristic)]
        what = f"a {characteristic} scheme" if names else "a characteristic with a registered scheme"
        problems.append(Problem(f"classification '{scheme}' for {characteristic} is not {what}", file=file,
                                column="classification", value=scheme,
                                fix=_did_you_mean(scheme, names) + (f"use one of {', '.join(names)}" if names else
                                    f"the characteristics are {', '.join(contract.characteristics())}")))
    return problems


def check_config(raw: dict[str, Any], file: str, contract: Contract) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    """The usable [tables.NAME] sections and every problem with dataset.toml's keys and types."""
    tables_known = contract.tables
    problems: list[Problem] = []
    table_level = set(TABLE_KEYS) | {k for t in tables_known.values() for k in maximum_keys(t)}
    for key, value in raw.items():
        if key not in TOP_LEVEL_KEYS:
            if key in tables_known:
                hint = f"write the section as [tables.{key}]"
            elif key in table_level:
                hint = f"'{key}' belongs in a [tables.NAME] section, e.g. under [tables.staff]"
            else:
                hint = (_did_you_mean(key, list(TOP_LEVEL_KEYS)) +
                        f"the keys are {', '.join(TOP_LEVEL_KEYS)}").strip()
            problems.append(Problem(f"unknown key '{key}'", file=file, column=key, fix=hint))
        elif not _type_ok(value, TOP_LEVEL_KEYS[key]):
            problems.append(_wrong_type(key, value, TOP_LEVEL_KEYS[key], file))
    if isinstance(raw.get("limits"), dict):
        problems.extend(_check_limits(raw["limits"], file))
    if isinstance(raw.get("publication"), dict):
        problems.extend(_check_publication(raw["publication"], file))
    if _type_ok(raw.get("classification"), "classification"):
        problems.extend(_check_classification(raw, contract, file))
    tables = raw.get("tables", {})
    if not isinstance(tables, dict):
        return {}, problems
    usable: dict[str, dict[str, Any]] = {}
    for name, section in tables.items():
        if name not in tables_known:
            problems.append(Problem(f"[tables.{name}] is not a known table", file=file,
                                    fix=_did_you_mean(name, list(tables_known)) +
                                    f"use one of {', '.join(tables_known)}"))
            continue
        if not isinstance(section, dict):
            problems.append(Problem(f"tables.{name} must be a [tables.{name}] section", file=file,
                                    column=f"tables.{name}", value=section,
                                    fix=f'write [tables.{name}] on its own line, then path = "..." below it'))
            continue
        usable[name], found = _check_table(tables_known[name], section, file)
        problems.extend(found)
    return usable, problems


def _check_table(spec: TableSpec, section: dict[str, Any], file: str) -> tuple[dict[str, Any], list[Problem]]:
    """The section's well-typed keys (so later steps never meet a wrong type) and its problems."""
    name = spec.name
    maxima = maximum_keys(spec)
    kinds = TABLE_KEYS | dict.fromkeys(maxima, "number")
    columns = [c.name for c in spec.columns]
    where = f"[tables.{name}]"
    problems: list[Problem] = []
    clean: dict[str, Any] = {}
    for key, value in section.items():
        if key not in kinds:
            problems.append(Problem(f"unknown key '{key}' in {where}", file=file, column=key,
                                    fix=(_did_you_mean(key, list(kinds)) + f"the keys are {', '.join(kinds)}")))
            continue
        if not _type_ok(value, kinds[key]):
            problems.append(_wrong_type(f"{where} {key}", value, kinds[key], file))
            continue
        if key in maxima and not 0 < value <= HUGE:
            problems.append(Problem(f"'{key}' in {where} must be above 0 and at most {HUGE:,.0f}", file=file,
                                    column=key, value=value, fix=f"write {key} = 1.5, say"))
            continue
        clean[key] = value
        if key in ("columns", "values"):
            clean[key] = dict(value)
            for column, target in value.items():
                if column not in columns:
                    problems.append(Problem(f"'{column}' in {where} {key} is not a column of the {name} table",
                                            file=file, column=column,
                                            fix=_did_you_mean(column, columns) +
                                            f"the columns are {', '.join(columns)}"))
                    del clean[key][column]
                    continue
                if key == "columns" and (not isinstance(target, str) or not target.strip()):
                    problems.append(Problem(f"the heading for '{column}' in {where} columns must be text",
                                            file=file, column=column, value=target,
                                            fix=f'write {column} = "Your heading"'))
                    del clean[key][column]
                if key == "values" and not (isinstance(target, dict) and all(
                        isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in target.values())):
                    problems.append(Problem(f"values.{column} in {where} must map your values to known ones",
                                            file=file, column=column, value=target,
                                            fix=f'write values.{column} = {{ "Your value" = "known value" }}'))
                    del clean[key][column]
    return clean, problems


def _unknown_key(key: str, section: str, keys: Iterable[str], file: str) -> Problem:
    """A key a ``[section]`` of dataset.toml does not know, with the nearest known one."""
    keys = list(keys)
    return Problem(f"unknown key '{key}' in [{section}]", file=file, column=key,
                   fix=_did_you_mean(key, keys) + f"the keys are {', '.join(keys)}")


def _check_limits(section: dict[str, Any], file: str) -> list[Problem]:
    """Every [limits] key must be known and a whole number above 0."""
    problems = []
    for key, value in section.items():
        if key not in LIMIT_KEYS:
            problems.append(_unknown_key(key, "limits", LIMIT_KEYS, file))
        elif not valid_limit(value):
            problems.append(Problem(f"'{key}' in [limits] must be a whole number above 0", file=file, column=key,
                                    value=value,
                                    fix=f"write {key} = {getattr(Limits(), key)}, say (see docs/data-contract.md)"))
    return problems


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _check_publication(section: dict[str, Any], file: str) -> list[Problem]:
    """Every [publication] key must be known and of its type."""
    problems = []
    for key, value in section.items():
        if key not in PUBLICATION_KEYS:
            problems.append(_unknown_key(key, "publication", PUBLICATION_KEYS, file))
        elif not _type_ok(value, PUBLICATION_KEYS[key]):
            problems.append(_wrong_type(f"[publication] {key}", value, PUBLICATION_KEYS[key], file))
    return problems


def publication_details(raw: dict[str, Any]) -> Publication:
    """The [publication] section's well-typed values (check_config reports the others)."""
    section = raw.get("publication")
    if not isinstance(section, dict):
        return Publication()
    text = {k: v.strip() for k, v in section.items() if PUBLICATION_KEYS.get(k) == "text" and isinstance(v, str)}
    published = section.get("published")
    if isinstance(published, datetime):
        published = published.date()
    elif isinstance(published, str):
        published = _iso_date(published)
    return Publication(contact=text.get("contact", ""), source=text.get("source", ""),
                       published=published if isinstance(published, date) else None)
