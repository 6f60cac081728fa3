"""The inspection bundle: one zip with the pack, the matrix, every local evidence file and an index.

Files are copied under index-numbered names (``evidence/E001-equality-policy.md``) so inspectors
can match the index to the files; a missing file is listed as missing, never silently left out.
The zip is deterministic: fixed timestamps and a sorted order.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date
from pathlib import Path

from equality_reports_evidence.register import Evidence, is_url


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "evidence"


def bundle_names(items: list[Evidence]) -> dict[str, str]:
    """Evidence id -> the path of its copy inside the bundle (local files only)."""
    names = {}
    for i, ev in enumerate(items, start=1):
        if ev.location and not is_url(ev.location):
            suffix = Path(ev.location).suffix
            names[ev.evidence_id] = f"evidence/E{i:03d}-{_slug(ev.title or ev.evidence_id)}{suffix}"
    return names


def write_bundle(target: Path, items: list[Evidence], base: Path | None, rendered: dict[str, Path],
                 stamp: date) -> Path:
    """Write the bundle zip to ``target`` and return it."""
    names = bundle_names(items)
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    index_rows = []
    files: dict[str, bytes] = {}
    for fmt in ("docx", "xlsx"):
        if fmt in rendered:
            files[rendered[fmt].name] = rendered[fmt].read_bytes()
    for ev in items:
        name = names.get(ev.evidence_id, "")
        local = ev.local_path(base)
        if is_url(ev.location):
            state = "link (not copied)"
        elif local is not None and local.is_file():
            files[name] = local.read_bytes()
            state = "included"
        else:
            state = "MISSING: file not found"
            name = ""
        index_rows.append([ev.evidence_id, ev.criterion, ev.title, ev.location, name, state])
    header = ["evidence_id", "criterion", "title", "location", "bundle_file", "state"]
    csv_text = io.StringIO()
    csv.writer(csv_text, lineterminator="\n").writerows([header, *index_rows])
    files["index.csv"] = csv_text.getvalue().encode("utf-8")
    md = ["# Evidence bundle index", "", "| Evidence | Criterion | Title | File in bundle | State |",
          "|---|---|---|---|---|"]
    md += [f"| {r[0]} | {r[1]} | {r[2]} | {r[4] or '-'} | {r[5]} |" for r in index_rows]
    missing = [r for r in index_rows if r[5].startswith("MISSING")]
    md += ["", f"{len(index_rows)} evidence items; {len(missing)} file(s) missing."]
    files["index.md"] = ("\n".join(md) + "\n").encode("utf-8")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[name])
    return target
