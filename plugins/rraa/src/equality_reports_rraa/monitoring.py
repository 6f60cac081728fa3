"""Organisation size in full-time equivalents and the further monitoring for large bodies.

Article 5(2) of SI 2001/3458 asks bodies with 150 or more full-time staff (aggregated hours,
article 1(2): read here as 150 FTE) to monitor training received, performance assessment,
grievances, disciplinary action and leavers. Smaller bodies may publish these voluntarily.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from equality_reports import CellRef, Figure, Paragraph, Section, Table
from equality_reports_rraa import events
from equality_reports_rraa.builder import TEMPLATE, Build
from equality_reports_rraa.tables import ALL_STAFF


@dataclass(frozen=True)
class Size:
    """The organisation's FTE and whether the large-body duties apply."""

    fte: float
    fte_missing: int
    large: bool
    decided_by: str  # "fte" or "option"


def organisation_size(staff: pd.DataFrame, threshold: float, override: bool | None) -> Size:
    """Total FTE from ``staff.fte``; staff without an FTE count as 1.0 each (see docs).

    The total is rounded to 6 decimal places before comparing with the threshold, so
    1,499 staff at 0.1 FTE compare as 149.9 and not 149.89999999.
    """
    if "fte" in staff.columns:
        fte = pd.to_numeric(staff["fte"], errors="coerce")
    else:
        fte = pd.Series(float("nan"), index=staff.index)
    missing = int(fte.isna().sum())
    total = round(float(fte.fillna(1.0).sum()), 6)
    if override is not None:
        return Size(total, missing, bool(override), "option")
    return Size(total, missing, total >= threshold, "fte")


#: (table, section id, title, builder, statutory wording for the omitted-sections sentence)
PARTS: tuple[tuple[str, str, str, Callable[[Build, Section], None], str], ...] = (
    ("training", "training-received", "Staff who received training", events.build_training_received,
     "staff who received training"),
    ("appraisals", "appraisal", "Performance assessment", events.build_appraisals,
     "staff who benefited or suffered detriment from performance assessment"),
    ("grievances", "grievances", "Grievances", events.build_grievances, "staff involved in grievances"),
    ("disciplinary", "disciplinary", "Disciplinary procedures", events.build_disciplinary,
     "staff subject to disciplinary procedures"),
    ("leavers", "leavers", "Leavers", events.build_leavers, "staff who left"),
)


def build_size(b: Build) -> Size:
    """Publish the FTE total and the large-body flag; warn when FTE had to be assumed."""
    size = organisation_size(b.staff, b.options["fte_threshold"], b.options["large_body"])
    note = ""
    if size.fte_missing:
        note = "staff without a recorded FTE are counted as 1.0 each"
        b.warn(f"{size.fte_missing} staff have no FTE recorded; each was counted as 1.0 FTE, which overstates "
               f"the total for part-time staff. Fill in the column, or set --option large_body=true|false.",
               file="staff", column="fte")
    # withheld with the headcount: when every FTE is 1.0 (or missing) it is the headcount
    b.doc.add_figure(Figure(b.fid("fte", "total"), "Full-time equivalent staff", size.fte, "fte", note=note,
                            cells=(CellRef("staff_binary", ALL_STAFF, "count"),)))
    b.doc.add_figure(Figure(b.fid("large_body"), "Large-body monitoring applies (1 yes, 0 no)",
                            int(size.large), "flag"))
    b.facts["size"] = size
    return size


def build_monitoring(b: Build, size: Size) -> None:
    """The large-body sections: statutory when large, voluntary when data is given anyway."""
    sec = b.section("further-monitoring", "Further monitoring for bodies with 150 or more full-time equivalent staff")
    present = [p for p in PARTS if b.dataset.has(p[0]) and _usable(b, p[0])]
    absent = [p for p in PARTS if p not in present]
    part_of = b.dataset.part_of
    if part_of and not size.large and size.decided_by == "fte":
        b.ctx.note_for_operator(f"The dataset is part of {part_of} (part_of in dataset.toml): the 150 FTE test "
                                f"applies to {part_of} as a whole. If it has 150 or more FTE staff, run with "
                                f"--option large_body=true.")
    parts: list[tuple[tuple[str, ...], str]] = []  # each part's tables and words, as it is built
    sec.add(Paragraph(template=TEMPLATE.format("monitoring"), context={
        "part_of": part_of, "organisation": b.dataset.organisation,
        "large": size.large, "decided_by": size.decided_by, "threshold": f"{b.options['fte_threshold']:g}",
        "parts": parts, "absent": [p[4] for p in absent]}))
    for _table, sid, title, build, words in present:
        sub = sec.subsection(sid, title if size.large else f"{title} (voluntary)")
        voluntary = Paragraph(template=TEMPLATE.format("voluntary"), context={})
        if not size.large:
            sub.add(voluntary)
        build(b, sub)
        # "published voluntarily" says nothing once every table it introduces is left out
        voluntary.describes = tuple(block.id for block in sub.blocks if isinstance(block, Table))
        parts.append((_table_ids(sub), words))
    if size.large:
        for table, *_rest, words in absent:
            b.warn(f"no usable '{table}' table: the duty to monitor {words} (150+ FTE) is not met")
    b.facts["voluntary"] = [p[2] for p in present] if not size.large else []


def _table_ids(section: Section) -> tuple[str, ...]:
    """The ids of the tables in ``section`` and its subsections."""
    return (*(block.id for block in section.blocks if isinstance(block, Table)),
            *(tid for child in section.sections for tid in _table_ids(child)))


def _usable(b: Build, table: str) -> bool:
    """Training only counts here when it records who received training."""
    if table != "training":
        return True
    frame = b.dataset.table("training")
    return "received" in frame.columns and bool(frame["received"].notna().any())
