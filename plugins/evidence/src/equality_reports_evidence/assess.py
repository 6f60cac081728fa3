"""Judgements drawn from the register: gate capping, evidence status per criterion, readiness."""

from __future__ import annotations

from dataclasses import dataclass

from equality_reports import Criterion, Framework, Level
from equality_reports_evidence.register import Assessed, Evidence, yes_no

#: strongest first: a criterion takes the best status among its evidence items
_ORDER = ("met", "partly", "not_met")


@dataclass(frozen=True)
class Gate:
    """Answers to a framework's gate questions (question id -> 'yes', 'no', '' or '?')."""

    answers: dict[str, str]
    cap: Level | None

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(q for q, a in self.answers.items() if a == "no")

    @property
    def capped(self) -> bool:
        return bool(self.failed) and self.cap is not None


@dataclass(frozen=True)
class SelfAssessment:
    """The recorded self-assessment of one framework."""

    framework: Framework
    overall_row: Assessed | None
    claimed: Level | None  # the overall stage or level as recorded
    overall: Level | None  # after the gate questions' cap
    gate: Gate
    areas: tuple[tuple[Assessed, Level | None], ...]  # area rows, in the order given

    @property
    def recorded(self) -> bool:
        return self.overall_row is not None or bool(self.areas)


def belongs(framework_cell: str, fw: Framework) -> bool:
    """A row belongs to a framework when it names it, or names none."""
    return framework_cell in ("", fw.id)


def cap_level(fw: Framework, level: Level | None, gate: Gate) -> Level | None:
    """``level`` lowered to the gate cap when a gate question is answered no."""
    if level is None or not gate.capped:
        return level
    cap = gate.cap
    assert cap is not None
    return cap if fw.level_index(level.id) > fw.level_index(cap.id) else level


def self_assessment(fw: Framework, items: list[Assessed]) -> SelfAssessment:
    """Split a framework's self_assessment rows into overall, areas and gate answers."""
    gate_ids = {q.id.lower(): q.id for q in fw.gate_questions}
    mine = [a for a in items if belongs(a.framework, fw)]
    answers = {q.id: "" for q in fw.gate_questions}
    overall_row, areas = None, []
    for item in mine:
        key = item.area.lower()
        if key in gate_ids:
            answers[gate_ids[key]] = yes_no(item.value)
        elif key == "overall":
            overall_row = item
        else:
            areas.append((item, fw.find_level(item.value)))
    gate = Gate(answers, fw.levels[fw.level_index(fw.gate_cap)] if fw.gate_cap else None)
    claimed = fw.find_level(overall_row.value) if overall_row else None
    return SelfAssessment(fw, overall_row, claimed, cap_level(fw, claimed, gate), gate, tuple(areas))


def evidence_for(fw: Framework, evidence: list[Evidence]) -> dict[str, list[Evidence]]:
    """Criterion id -> the evidence items recorded against it for this framework."""
    out: dict[str, list[Evidence]] = {c.id: [] for c in fw.criteria}
    for ev in evidence:
        if belongs(ev.framework, fw):
            for cid in ev.criteria:
                if cid in out:
                    out[cid].append(ev)
    return out


def best_status(items: list[Evidence]) -> str:
    """'met', 'partly', 'not_met', or 'none' when there is no evidence."""
    statuses = {e.status for e in items}
    return next((s for s in _ORDER if s in statuses), "none")


@dataclass(frozen=True)
class Coverage:
    """How many of a group's criteria are evidenced."""

    key: str
    label: str
    criteria: tuple[str, ...]
    met: int
    partly: int
    missing: int  # not met, or no evidence

    @property
    def share(self) -> float | None:
        """Percentage fully evidenced (0-100); None when the group has no criteria."""
        return self.met / len(self.criteria) * 100 if self.criteria else None


def _coverage(key: str, label: str, criteria: list[Criterion], best: dict[str, str]) -> Coverage:
    states = [best[c.id] for c in criteria]
    return Coverage(key, label, tuple(c.id for c in criteria), states.count("met"), states.count("partly"),
                    states.count("not_met") + states.count("none"))


def has_levelled_criteria(fw: Framework) -> bool:
    return bool(fw.levels) and any(c.level for c in fw.criteria)


def coverage_by_level(fw: Framework, best: dict[str, str]) -> list[Coverage]:
    """One row per level or stage that has criteria (empty when criteria carry no level)."""
    if not has_levelled_criteria(fw):
        return []
    groups = [(lv, [c for c in fw.criteria if c.level == lv.id]) for lv in fw.levels]
    return [_coverage(lv.id, lv.label, crits, best) for lv, crits in groups if crits]


def coverage_by_area(fw: Framework, best: dict[str, str]) -> list[Coverage]:
    """One row per area that has criteria."""
    groups = [(a, fw.criteria_for(a.id)) for a in fw.areas]
    return [_coverage(a.id, a.title, crits, best) for a, crits in groups if crits]


def next_level(fw: Framework, best: dict[str, str], overall: Level | None) -> Level | None:
    """The level to work towards: the one after the assessed overall level, or else the first
    level whose criteria are not all fully evidenced. None when there is none."""
    if not has_levelled_criteria(fw):
        return None
    if overall is not None:
        i = fw.level_index(overall.id)
        return fw.levels[i + 1] if i + 1 < len(fw.levels) else None
    for lv in fw.levels:
        if any(best[c.id] != "met" for c in fw.criteria if c.level == lv.id):
            return lv
    return None


def unmet(fw: Framework, best: dict[str, str], levels: list[Level]) -> list[Criterion]:
    """Criteria at the given levels that are not fully evidenced, by level, then in framework order."""
    order = {lv.id: i for i, lv in enumerate(fw.levels)}
    ids = {lv.id for lv in levels}
    return sorted((c for c in fw.criteria if c.level in ids and best[c.id] != "met"),
                  key=lambda c: order[c.level or ""])


def levels_up_to(fw: Framework, level: Level) -> list[Level]:
    return list(fw.levels[: fw.level_index(level.id) + 1])
