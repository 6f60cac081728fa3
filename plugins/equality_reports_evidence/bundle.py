"""The inspection bundle: one zip with the pack, the matrix, every local evidence file and an index.

Each evidence item gets an index number in register order (E001, E002, ...). A local file is
copied once, under the number of the first item that cites it (``evidence/E001-equality-policy.md``);
web addresses are listed, not fetched; a missing file is listed as missing, never silently left
out. The zip is deterministic: fixed timestamps, fixed permissions, sorted names.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from equality_reports_evidence.register import Evidence

INCLUDED, LINK, MISSING = "included", "web address (not copied)", "MISSING: file not found"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-") or "evidence"


@dataclass(frozen=True)
class Entry:
    """One evidence item's line in the bundle index."""

    number: str  # E001
    evidence: Evidence
    bundle_file: str  # path inside the zip ('' for web addresses and missing files)
    source: Path | None  # the local file to copy
    state: str


def plan(items: list[Evidence], base: Path | None) -> list[Entry]:
    """Decide each item's number, name in the bundle and state (no files are read)."""
    by_path: dict[Path, str] = {}
    out = []
    for i, ev in enumerate(items, start=1):
        number = f"E{i:03d}"
        local = ev.local_path(base)
        if local is None:
            out.append(Entry(number, ev, "", None, LINK if ev.location else "no location given"))
        elif not local.is_file():
            out.append(Entry(number, ev, "", None, MISSING))
        else:
            key = local.resolve()
            name = by_path.setdefault(key, f"evidence/{number}-{_slug(ev.title or ev.evidence_id)}{local.suffix.lower()}")
            out.append(Entry(number, ev, name, local, INCLUDED))
    return out


def bundle_links(items: list[Evidence], base: Path | None) -> dict[str, str]:
    """Evidence id -> where the pack should link to inside the bundle (copied files only)."""
    return {e.evidence.evidence_id: e.bundle_file for e in plan(items, base) if e.bundle_file}


_HEADER = ["number", "evidence_id", "criteria", "title", "owner", "date", "status", "location", "bundle_file", "state"]


def _index_rows(entries: list[Entry]) -> list[list[str]]:
    return [[e.number, e.evidence.evidence_id, "; ".join(e.evidence.criteria), e.evidence.title, e.evidence.owner,
             e.evidence.date.isoformat() if e.evidence.date else "", e.evidence.status, e.evidence.location,
             e.bundle_file, e.state] for e in entries]


def _index_md(entries: list[Entry], rendered: list[str], organisation: str) -> str:
    def cell(value: str) -> str:
        return value.replace("|", "\\|") or "-"

    lines = [f"# Evidence bundle index: {organisation}", "",
             f"This bundle holds the evidence pack and matrix ({', '.join(rendered) or 'not rendered'}), "
             "every local evidence file under its index number, and this index (also as index.csv).", "",
             "| Number | Evidence | Criteria | Title | File in bundle | State |", "|---|---|---|---|---|---|"]
    lines += [f"| {e.number} | {cell(e.evidence.evidence_id)} | {cell('; '.join(e.evidence.criteria))} | "
              f"{cell(e.evidence.title)} | {cell(e.bundle_file)} | {e.state} |" for e in entries]
    missing = [e for e in entries if e.state == MISSING]
    lines += ["", f"{len(entries)} evidence items; {len({e.bundle_file for e in entries if e.bundle_file})} "
                  f"files included; {len(missing)} missing."]
    lines += [f"- {e.number} {e.evidence.evidence_id}: {e.evidence.location} was not found" for e in missing]
    return "\n".join(lines) + "\n"


def write_bundle(target: Path, items: list[Evidence], base: Path | None, rendered: dict[str, Path],
                 stamp: date, organisation: str) -> Path:
    """Write the bundle zip to ``target`` and return it."""
    entries = plan(items, base)
    files: dict[str, bytes] = {}
    for fmt in ("docx", "xlsx"):
        if fmt in rendered:
            files[rendered[fmt].name] = rendered[fmt].read_bytes()
    for e in entries:
        if e.source is not None and e.bundle_file not in files:
            files[e.bundle_file] = e.source.read_bytes()
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([_HEADER, *_index_rows(entries)])
    files["index.csv"] = buffer.getvalue().encode("utf-8")
    files["index.md"] = _index_md(entries, sorted(p.name for f, p in rendered.items() if f in ("docx", "xlsx")),
                                  organisation).encode("utf-8")
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[name])
    return target
