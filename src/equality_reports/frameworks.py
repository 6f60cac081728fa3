"""Self-assessment frameworks as data: levels or stages, areas with criteria, gate questions.

A framework is a YAML file (format in docs/frameworks.md) registered through the
``register_frameworks`` hook or given by a user with ``--option framework_file=PATH``. Loading
checks every field and reports each problem with the file, the line, the field and the fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from equality_reports.errors import InputError, Problem

_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$", re.IGNORECASE)
KINDS = ("stages", "levels", "checklist")
_TOP_KEYS = {"id", "title", "source", "kind", "levels", "areas", "gate", "outcome_areas", "notes", "url", "version"}


def _key(text: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


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
    """An area (module, theme) of a framework with its criteria."""

    id: str
    title: str
    description: str = ""
    criteria: tuple[Criterion, ...] = ()


@dataclass(frozen=True)
class GateQuestion:
    id: str
    text: str


@dataclass(frozen=True)
class Framework:
    """A self-assessment framework: what to show, at which level, and where it comes from."""

    id: str
    title: str
    source: str  # the citation of the source document
    kind: str  # "stages", "levels" or "checklist"
    levels: tuple[Level, ...]
    areas: tuple[Area, ...]
    gate_questions: tuple[GateQuestion, ...] = ()
    gate_cap: str | None = None  # the highest level allowed when any gate question is answered no
    outcome_areas: tuple[Area, ...] = ()
    notes: tuple[str, ...] = ()
    path: str = ""

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for a in self.areas for c in a.criteria)

    @property
    def criterion_ids(self) -> set[str]:
        return {c.id for c in self.criteria}

    def level_index(self, level_id: str) -> int:
        return [lv.id for lv in self.levels].index(level_id)

    def find_level(self, text: object) -> Level | None:
        """A level by id or label, ignoring case, spaces and punctuation."""
        key = _key(text)
        return next((lv for lv in self.levels if key and key in (_key(lv.id), _key(lv.label))), None)

    def find_area(self, text: object) -> Area | None:
        """An area by id or title, ignoring case, spaces and punctuation."""
        key = _key(text)
        return next((a for a in self.areas if key and key in (_key(a.id), _key(a.title))), None)

    def criteria_for(self, area_id: str) -> list[Criterion]:
        return [c for c in self.criteria if c.area == area_id]


def load_framework_file(path: Path | str) -> Framework:
    """Read and check a framework YAML file; :class:`InputError` lists every problem found."""
    import yaml

    path = Path(path)
    if not path.is_file():
        raise InputError(f"framework file {path} not found. Give the path of a .yaml framework "
                         f"file (format: docs/frameworks.md).")
    try:
        content = path.read_text(encoding="utf-8")
        node = yaml.compose(content, Loader=yaml.SafeLoader)
        raw = yaml.safe_load(content)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError(f"framework file {path}{where}: not valid YAML ({getattr(exc, 'problem', exc)}). "
                         f"Check the indentation and quoting there; a text containing ': ' must be "
                         f"in quotes.") from None
    except UnicodeDecodeError:
        raise InputError(f"framework file {path}: not UTF-8 text. Save it as UTF-8.") from None
    return framework_from_dict(raw, str(path), _lines(node))


def _lines(node: Any, prefix: str = "", out: dict[str, int] | None = None) -> dict[str, int]:
    """Field path ('areas[0].criteria[1]') -> 1-based line, from a composed YAML node tree."""
    import yaml

    out = {} if out is None else out
    if node is None:
        return out
    out[prefix] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = f"{prefix}.{key.value}" if prefix else str(key.value)
            _lines(value, name, out)
            out[name] = key.start_mark.line + 1  # point at the key, not its value
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _lines(item, f"{prefix}[{i}]", out)
    return out


class _Collector:
    """Gathers problems, each located by field path and line."""

    def __init__(self, source: str, lines: dict[str, int]) -> None:
        self.source, self.lines = source, lines
        self.problems: list[Problem] = []

    def __call__(self, field_path: str, message: str, fix: str) -> None:
        line = self._line(field_path)
        where = f"{self.source}, line {line}" if line else self.source
        self.problems.append(Problem(f"{field_path}: {message}", file=where, fix=fix))

    def _line(self, field_path: str) -> int | None:
        path = field_path
        while path and path not in self.lines:
            shorter = re.sub(r"(\.[^.\[]*|\[\d+\])$", "", path)
            path = "" if shorter == path else shorter
        return self.lines.get(path)


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _check_notes(value: Any, problem: _Collector) -> None:
    """Notes are a list of plain sentences: YAML reads an unquoted "words: more words" as a field."""
    if value is None:
        return
    if not isinstance(value, list):
        problem("notes", "notes must be a list of sentences", "write each note on its own line starting with '- '")
        return
    for i, note in enumerate(value, start=1):
        if not isinstance(note, str):
            problem(f"notes[{i - 1}]", f"note {i} is not plain text ({type(note).__name__})",
                    "put the note in double quotes: a colon followed by a space makes YAML read it as a field")


def framework_from_dict(raw: Any, source: str = "<framework>", lines: dict[str, int] | None = None) -> Framework:
    """Build a Framework from parsed YAML, collecting every problem before raising."""
    if not isinstance(raw, dict):
        raise InputError(f"framework file {source}: the top level must be a mapping with id, title, "
                         f"source, levels, areas and criteria (see docs/frameworks.md).")
    problem = _Collector(source, lines or {})
    for key in sorted(set(map(str, raw)) - _TOP_KEYS):
        problem(key, f"unknown field '{key}'", f"use only {', '.join(sorted(_TOP_KEYS))} at the top level")
    for key in ("id", "title", "source"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            problem(key, f"'{key}' is missing or empty", f"add `{key}: ...` at the top level"
                    + (" citing the source document" if key == "source" else ""))
    fid = str(raw.get("id") or "")
    if fid and not _ID.match(fid):
        problem("id", f"'{fid}' is not a valid id", "use letters, digits, '-', '_' or '.', no spaces")
    kind = raw.get("kind", "levels")
    if kind not in KINDS:
        problem("kind", f"unknown kind {kind!r}", f"use {', '.join(KINDS)}")

    levels = _levels(raw.get("levels"), problem)
    level_ids = [lv.id for lv in levels]
    if kind != "checklist" and not levels:
        problem("levels", "a framework of stages or levels needs at least one level",
                "add a `levels:` list, or set `kind: checklist`")
    areas = _areas(raw.get("areas"), level_ids, problem)
    seen: set[str] = set()
    for i, area in enumerate(areas):
        for c in area.criteria:
            if c.id in seen:
                problem(f"areas[{i}].criteria", f"criterion id '{c.id}' is used twice",
                        "give every criterion its own id")
            seen.add(c.id)

    gate = raw.get("gate") or {}
    questions: list[GateQuestion] = []
    cap = None
    if not isinstance(gate, dict):
        problem("gate", "gate must be a mapping with `cap` and `questions`", "see docs/frameworks.md")
    else:
        for i, q in enumerate(gate.get("questions") or []):
            if not isinstance(q, dict) or not q.get("id") or not q.get("text"):
                problem(f"gate.questions[{i}]", "each gate question needs an id and a text",
                        "write `- id: G1` and `text: ...`")
                continue
            questions.append(GateQuestion(str(q["id"]), str(q["text"])))
        cap = gate.get("cap")
        if questions and cap is None:
            problem("gate", "gate questions need a `cap`", "name the highest level allowed when any answer is no")
        if cap is not None and str(cap) not in level_ids:
            problem("gate.cap", f"cap {cap!r} is not one of the levels ({', '.join(level_ids)})",
                    "name the level the gate questions cap at")

    outcome_areas = []
    for i, o in enumerate(raw.get("outcome_areas") or []):
        if not isinstance(o, dict) or not o.get("id") or not o.get("title"):
            problem(f"outcome_areas[{i}]", "each outcome area needs an id and a title",
                    "write `- {id: ..., title: ...}`")
            continue
        outcome_areas.append(Area(str(o["id"]), str(o["title"]), str(o.get("description", ""))))
    _check_notes(raw.get("notes"), problem)
    if problem.problems:
        raise InputError(f"framework file {source} cannot be used", problem.problems)
    return Framework(fid, str(raw["title"]), str(raw["source"]).strip(), str(kind), tuple(levels), tuple(areas),
                     tuple(questions), None if cap is None else str(cap), tuple(outcome_areas),
                     _texts(raw.get("notes")), source)


def _levels(items: Any, problem: _Collector) -> list[Level]:
    if items is not None and not isinstance(items, list):
        problem("levels", "levels must be a list", "write each level as `- {id: ..., label: ...}`")
        return []
    levels = []
    for i, item in enumerate(items or []):
        if not isinstance(item, dict) or not item.get("id"):
            problem(f"levels[{i}]", "each level needs an id and a label", "write `- id: ...` and `label: ...`")
            continue
        levels.append(Level(str(item["id"]), str(item.get("label", item["id"])), str(item.get("description", "")),
                            _texts(item.get("barriers")), _texts(item.get("breakthroughs"))))
    ids = [lv.id for lv in levels]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problem("levels", f"level id '{dup}' is used twice", "give every level its own id")
    return levels


def _areas(items: Any, level_ids: list[str], problem: _Collector) -> list[Area]:
    if not isinstance(items, list) or not items:
        problem("areas", "the framework has no areas", "add an `areas:` list, each with id, title and criteria")
        return []
    areas = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not item.get("id") or not item.get("title"):
            problem(f"areas[{i}]", "each area needs an id and a title", "write `- id: ...` and `title: ...`")
            continue
        area_id = str(item["id"])
        criteria = []
        for j, crit in enumerate(item.get("criteria") or []):
            where = f"areas[{i}].criteria[{j}]"
            if not isinstance(crit, dict) or not crit.get("id") or not crit.get("text"):
                problem(where, "each criterion needs an id and a text", "write `- {id: ..., text: \"...\"}`")
                continue
            level = crit.get("level")
            if level is not None and str(level) not in level_ids:
                problem(f"{where}.level", f"level {level!r} is not one of the framework's levels "
                        f"({', '.join(level_ids) or 'none defined'})", "use one of the level ids")
            criteria.append(Criterion(str(crit["id"]), str(crit["text"]), area_id,
                                      None if level is None else str(level)))
        areas.append(Area(area_id, str(item["title"]), str(item.get("description", "")), tuple(criteria)))
    return areas
