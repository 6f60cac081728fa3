"""The inspection bundle: one zip with the pack, the matrix, every local evidence file and an index.

Each evidence item gets an index number in register order (E001, E002, ...). A local file is
copied once, under the number of the first item that cites it (``evidence/E001-equality-policy.md``);
web addresses are listed, not fetched; a missing file is listed as missing, never silently left
out; a location the evidence folder's rules refuse (:mod:`equality_reports_evidence.files`) is
listed as refused and never read. Files are streamed into the zip, never read whole. Entry names
are made only of the index number, a slug of the title and the file's suffix; index cells hold no
control characters, and index.csv's text cells are inert in spreadsheets. The zip is
deterministic: fixed timestamps, fixed permissions, sorted names.
"""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from equality_reports import inert_text
from equality_reports_evidence import files
from equality_reports_evidence.files import EvidenceFolder
from equality_reports_evidence.register import Evidence

INCLUDED, LINK, MISSING = "included", "web address (not copied)", "MISSING: file not found"
NOT_LINKED, REFUSED = "not a web address (not linked or copied)", "REFUSED"
_STATES = {files.WEB: LINK, files.UNSAFE_LINK: NOT_LINKED, files.NONE: "no location given", files.MISSING: MISSING}


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


#: evidence files read as text before they are bundled, for references to people or cases
TEXT_SUFFIXES = frozenset({".txt", ".md", ".csv", ".tsv", ".html", ".htm", ".json", ".xml"})
HOLDS_REFERENCE = "REFUSED: the file holds a reference to a person or case"


def _readings(text: str) -> list[str]:
    """``text`` as a reader may see it: as stored, as a browser shows it (tags dropped, entities
    such as ``&#48;`` decoded) and with JSON's ``\\u0030`` escapes decoded."""
    shown = html.unescape(re.sub(r"<[^>]*>", "", text))
    unescaped = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return [text, shown, unescaped]


def plan(items: list[Evidence], folder: EvidenceFolder,
         reference_in: Callable[[str], str | None] | None = None) -> list[Entry]:
    """Decide each item's number, name in the bundle and state. With ``reference_in`` (what finds
    a person's or case's reference in a text), a text file or a location holding one is refused."""
    by_path: dict[Path, str] = {}
    out = []
    for i, ev in enumerate(items, start=1):
        number = f"E{i:03d}"
        found = folder.locate(ev.location)
        if reference_in and found.kind == files.FILE and found.path is not None and (
                reference_in(ev.location) or (found.path.suffix.lower() in TEXT_SUFFIXES and any(
                    reference_in(text) for text in _readings(files.read_text_bounded(found.path, folder.max_bytes))))):
            out.append(Entry(number, ev, "", None, HOLDS_REFERENCE))
        elif found.kind == files.FILE and found.path is not None:
            suffix = re.sub(r"[^a-z0-9]", "", found.path.suffix.lower())[:10]
            name = by_path.setdefault(found.path, f"evidence/{number}-{_slug(ev.title or ev.evidence_id)}"
                                                  + (f".{suffix}" if suffix else ""))
            out.append(Entry(number, ev, name, found.path, INCLUDED))
        elif found.kind == files.REFUSED:
            out.append(Entry(number, ev, "", None, f"{REFUSED}: {found.reason}"))
        else:
            out.append(Entry(number, ev, "", None, _STATES[found.kind]))
    return out


@dataclass(frozen=True)
class Links:
    """What the pack's evidence titles link to, per evidence id: the copy in the bundle, or a web
    address; never a path on the machine the pack was made on, which would be a broken link
    wherever the pack is read (nor a file name, which means nothing to its readers: the owner in the
    register provides a document). A location no renderer may link stays as the target, which
    renderers write as plain text."""

    bundled: bool
    targets: dict[str, str]

    def target(self, evidence: Evidence) -> str:
        return self.targets.get(evidence.evidence_id, "")


def evidence_links(items: list[Evidence], folder: EvidenceFolder, bundled: bool) -> Links:
    """The pack's :class:`Links`: with a bundle, copied files link to their copies."""
    copies = {e.evidence.evidence_id: e.bundle_file for e in plan(items, folder) if e.bundle_file} if bundled else {}
    targets = {}
    for ev in items:  # the register's items, not staff
        kind = folder.locate(ev.location).kind
        if ev.evidence_id in copies:
            targets[ev.evidence_id] = copies[ev.evidence_id]
        elif kind not in (files.FILE, files.MISSING):
            # a web address links; an unsafe or refused one the renderers write as plain text, with a warning
            targets[ev.evidence_id] = ev.location
    return Links(bundled, targets)


_HEADER = ["number", "evidence_id", "criteria", "title", "owner", "date", "status", "location", "bundle_file", "state"]


def _plain(text: str) -> str:
    """One line of text: control characters and line breaks become spaces."""
    return re.sub(r"[\x00-\x1f\x7f\ufffe\uffff]", " ", text)


def _index_rows(entries: list[Entry]) -> list[list[str]]:
    # a copied file's location on the machine the bundle was made on is left out (the bundle file
    # says where it is), as is one holding a reference to a person or case
    return [[inert_text(_plain(v)) for v in (
        e.number, e.evidence.evidence_id, "; ".join(e.evidence.criteria), e.evidence.title, e.evidence.owner,
        e.evidence.date.isoformat() if e.evidence.date else "", e.evidence.status,
        "" if e.state in (INCLUDED, HOLDS_REFERENCE) else e.evidence.location, e.bundle_file, e.state)]
        for e in entries]


def _md(value: str) -> str:
    """Text that Markdown shows as written: no links, HTML or table breaks."""
    return re.sub(r"([\\|<>\[\]`*_])", r"\\\1", _plain(value))


def _index_md(entries: list[Entry], rendered: list[str], organisation: str) -> str:
    def cell(value: str) -> str:
        return _md(value) or "-"

    lines = [f"# Evidence bundle index: {_md(organisation)}", "",
             f"This bundle holds the evidence pack and matrix ({', '.join(rendered) or 'not rendered'}), "
             "every local evidence file under its index number, and this index (also as index.csv).", "",
             "| Number | Evidence | Criteria | Title | File in bundle | State |", "|---|---|---|---|---|---|"]
    lines += [f"| {e.number} | {cell(e.evidence.evidence_id)} | {cell('; '.join(e.evidence.criteria))} | "
              f"{cell(e.evidence.title)} | {cell(e.bundle_file)} | {cell(e.state)} |" for e in entries]
    missing = [e for e in entries if e.state == MISSING]
    refused = [e for e in entries if e.state.startswith(REFUSED)]
    lines += ["", f"{len(entries)} evidence items; {len({e.bundle_file for e in entries if e.bundle_file})} "
                  f"files included; {len(missing)} missing" + (f"; {len(refused)} refused." if refused else ".")]
    lines += [f"- {e.number} {_md(e.evidence.evidence_id)}: {_md(e.evidence.location)} was not found"
              for e in missing]
    lines += [f"- {e.number} {_md(e.evidence.evidence_id)}: "
              f"{'the file' if e.state == HOLDS_REFERENCE else _md(e.evidence.location)} was not copied: "
              f"{_md(e.state)}" for e in refused]
    return "\n".join(lines) + "\n"


def write_bundle(target: Path, items: list[Evidence], folder: EvidenceFolder, rendered: dict[str, Path],
                 stamp: date, organisation: str, reference_in: Callable[[str], str | None] | None = None
                 ) -> tuple[Path, list[Entry]]:
    """Write the bundle zip to ``target``; return it with its entries. Evidence files are streamed,
    at most the evidence folder's size limit each; one holding a reference to a person or case
    (``reference_in``, for text files and locations) is refused."""
    entries = plan(items, folder, reference_in)
    ours: dict[str, Path] = {rendered[fmt].name: rendered[fmt] for fmt in ("docx", "xlsx") if fmt in rendered}
    evidence: dict[str, Path] = {}
    for e in entries:
        if e.source is not None:
            evidence.setdefault(e.bundle_file, e.source)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([_HEADER, *_index_rows(entries)])
    texts = {"index.csv": buffer.getvalue(),
             "index.md": _index_md(entries, sorted(ours), organisation)}
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted({*ours, *evidence, *texts}):
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with zf.open(info, "w", force_zip64=True) as out:
                if name in texts:
                    out.write(texts[name].encode("utf-8"))
                elif name in evidence:
                    files.copy_bounded(evidence[name], out, folder.max_bytes)
                else:
                    with ours[name].open("rb") as fh:
                        shutil.copyfileobj(fh, out)
    return target, entries
