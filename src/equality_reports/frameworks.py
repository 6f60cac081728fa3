"""Self-assessment frameworks as data: areas, criteria, levels or stages, gate questions.

A framework is a YAML file (format in docs/frameworks.md) registered through the
``register_frameworks`` hook or given by a user with ``--option framework_file=PATH``. Loading
checks every field and reports problems with the file, the field and the fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from equality_reports.errors import InputError, Problem

_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Level:
    """One level or stage, in order from the first to the most advanced."""

    id: str
    label: str
    description: str = ""
    barriers: tuple[str, ...] = ()
    breakthroughs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Criterion:
    """Something an organisation shows evidence for; ``level`` is where it belongs (or None)."""

    id: str
    text: str
    area: str
    level: str | None = None


@dataclass(frozen=True)
class Area:
    id: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class GateQuestion:
    id: str
    text: str


@dataclass(frozen=True)
class Framework:
    """A self-assessment framework."""

    id: str
    title: str
    source: str
    kind: str  # "stages", "levels" or "checklist"
    levels: tuple[Level, ...]
    areas: tuple[Area, ...]
    criteria: tuple[Criterion, ...]
    gate_questions: tuple[GateQuestion, ...] = ()
    gate_cap: str | None = None  # the highest level allowed when any gate question is answered no
    outcome_areas: tuple[Area, ...] = ()
    notes: tuple[str, ...] = ()
    path: str = ""

    def level_index(self, level_id: str) -> int:
        ids = [lv.id for lv in self.levels]
        return ids.index(level_id)

    def find_level(self, text: object) -> Level | None:
        """A level by id or label, ignoring case and spacing."""
        key = re.sub(r"[^a-z0-9]", "", str(text).lower())
        for lv in self.levels:
            if key in {re.sub(r"[^a-z0-9]", "", lv.id.lower()), re.sub(r"[^a-z0-9]", "", lv.label.lower())}:
                return lv
        return None

    def criteria_for(self, area_id: str) -> list[Criterion]:
        return [c for c in self.criteria if c.area == area_id]

    @property
    def criterion_ids(self) -> set[str]:
        return {c.id for c in self.criteria}


def load_framework_file(path: Path) -> Framework:
    """Read and check a framework YAML file; :class:`InputError` lists every problem found."""
    import yaml

    path = Path(path)
    if not path.is_file():
        raise InputError(f"framework file {path} not found. Give the path of a .yaml framework "
                         f"file (format: docs/frameworks.md).")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError(f"framework file {path}{where}: not valid YAML ({getattr(exc, 'problem', exc)}). "
                         f"Check the indentation and quoting there.") from None
    except UnicodeDecodeError:
        raise InputError(f"framework file {path}: not UTF-8 text. Save it as UTF-8.") from None
    return framework_from_dict(raw, str(path))


def framework_from_dict(raw: Any, source: str = "<framework>") -> Framework:
    """Build a Framework from parsed YAML, collecting every problem."""
    problems: list[Problem] = []

    def problem(field_name: str, message: str, fix: str) -> None:
        problems.append(Problem(message, file=source, column=field_name, fix=fix))

    if not isinstance(raw, dict):
        raise InputError(f"framework file {source}: the top level must be a mapping with id, title, "
                         f"source, levels, areas and criteria (see docs/frameworks.md).")
    for key in ("id", "title", "source"):
        if not isinstance(raw.get(key), str) or not raw.get(key, "").strip():
            problem(key, f"'{key}' is missing or empty", f"add `{key}: ...` at the top level")
    fid = str(raw.get("id", ""))
    if fid and not _ID.match(fid):
        problem("id", f"'{fid}' is not a valid id", "use letters, digits, '-', '_' or '.'")
    kind = raw.get("kind", "levels")
    if kind not in ("stages", "levels", "checklist"):
        problem("kind", f"unknown kind {kind!r}", "use stages, levels or checklist")

    levels = []
    for i, item in enumerate(raw.get("levels") or []):
        if not isinstance(item, dict) or "id" not in item:
            problem(f"levels[{i}]", "each level needs an id and a label", "write `- id: ...` and `label: ...`")
            continue
        levels.append(Level(str(item["id"]), str(item.get("label", item["id"])), str(item.get("description", "")),
                            tuple(map(str, item.get("barriers") or ())),
                            tuple(map(str, item.get("breakthroughs") or ()))))
    level_ids = [lv.id for lv in levels]
    if kind != "checklist" and not levels:
        problem("levels", "a framework of stages or levels needs at least one level",
                "add a `levels:` list, or set `kind: checklist`")

    areas, criteria = [], []
    for i, item in enumerate(raw.get("areas") or []):
        if not isinstance(item, dict) or "id" not in item or "title" not in item:
            problem(f"areas[{i}]", "each area needs an id and a title", "write `- id: ...` and `title: ...`")
            continue
        area_id = str(item["id"])
        areas.append(Area(area_id, str(item["title"]), str(item.get("description", ""))))
        for j, crit in enumerate(item.get("criteria") or []):
            where = f"areas[{i}].criteria[{j}]"
            if not isinstance(crit, dict) or "id" not in crit or "text" not in crit:
                problem(where, "each criterion needs an id and a text", "write `- id: ...` and `text: ...`")
                continue
            level = crit.get("level")
            if level is not None and str(level) not in level_ids:
                problem(where, f"level {level!r} is not one of the framework's levels ({', '.join(level_ids)})",
                        "use one of the level ids")
            criteria.append(Criterion(str(crit["id"]), str(crit["text"]), area_id,
                                      None if level is None else str(level)))
    if not areas:
        problem("areas", "the framework has no areas", "add an `areas:` list, each with id, title and criteria")
    seen: set[str] = set()
    for c in criteria:
        if c.id in seen:
            problem("criteria", f"criterion id {c.id!r} is used twice", "give every criterion its own id")
        seen.add(c.id)

    gate = raw.get("gate") or {}
    questions = tuple(GateQuestion(str(q.get("id")), str(q.get("text", ""))) for q in gate.get("questions") or []
                      if isinstance(q, dict))
    cap = gate.get("cap")
    if cap is not None and str(cap) not in level_ids:
        problem("gate.cap", f"cap {cap!r} is not one of the levels", "name the level the gate questions cap at")
    outcome_areas = tuple(Area(str(o.get("id")), str(o.get("title", o.get("id")))) for o in raw.get("outcome_areas") or []
                          if isinstance(o, dict))
    if problems:
        raise InputError(f"framework file {source} cannot be used", problems)
    return Framework(fid, str(raw["title"]), str(raw["source"]), str(kind), tuple(levels), tuple(areas),
                     tuple(criteria), questions, None if cap is None else str(cap), outcome_areas,
                     tuple(map(str, raw.get("notes") or ())), source)
