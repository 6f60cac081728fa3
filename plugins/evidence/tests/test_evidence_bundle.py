"""The inspection bundle: the pack, the matrix, every local file under its number, and an index."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from helpers_cli import run_cli
from helpers_evidence import JRE, REPORT, all_text, build, column, evidence_dataset

SAMPLE = Path(__file__).resolve().parents[3] / "sample_data" / "council"


def _bundle(tmp_path: Path, ds) -> Path:  # type: ignore[no-untyped-def]
    ctx, doc = build(ds, bundle="true")
    work = tmp_path / "work"
    work.mkdir(parents=True, exist_ok=True)
    rendered = {"docx": work / "evidence-pack.docx", "xlsx": work / "evidence-pack.xlsx"}
    rendered["docx"].write_bytes(b"docx bytes")
    rendered["xlsx"].write_bytes(b"xlsx bytes")
    [path] = REPORT.extra_outputs(ctx, doc, rendered, work)
    return path


def test_bundle_contents_and_index(tmp_path: Path) -> None:
    ds = evidence_dataset(tmp_path / "data")
    extra = pd.DataFrame({"evidence_id": ["EV5"], "framework": [JRE], "criterion": ["JRE-S-1"],
                          "title": ["Same policy again"], "location": ["evidence/policy.md"], "status": ["partly"]})
    ds.tables["evidence"] = pd.concat([ds.tables["evidence"], extra], ignore_index=True)
    path = _bundle(tmp_path, ds)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        index = list(csv.DictReader(io.StringIO(zf.read("index.csv").decode("utf-8"))))
        index_md = zf.read("index.md").decode("utf-8")
        assert zf.read("evidence/E001-equality-policy.md") == b"# Equality policy (sample)\n"
        assert zf.read("evidence-pack.docx") == b"docx bytes"
        assert {i.date_time for i in zf.infolist()} == {(2026, 3, 31, 0, 0, 0)}
    assert names == sorted(names)
    assert names == ["evidence-pack.docx", "evidence-pack.xlsx", "evidence/E001-equality-policy.md",
                     "evidence/E002-staff-forum-minutes.txt", "index.csv", "index.md"]  # the policy is copied once
    assert [(r["number"], r["evidence_id"], r["bundle_file"], r["state"]) for r in index] == [
        ("E001", "EV1", "evidence/E001-equality-policy.md", "included"),
        ("E002", "EV2", "evidence/E002-staff-forum-minutes.txt", "included"),
        ("E003", "EV3", "", "MISSING: file not found"),
        ("E004", "EV4", "", "web address (not copied)"),
        ("E005", "EV5", "evidence/E001-equality-policy.md", "included")]
    assert index[2]["location"] == "evidence/missing.pdf" and index[0]["date"] == "2025-06-01"
    assert "| E003 | EV3 | JRE-R-4 | Missing report | - | MISSING: file not found |" in index_md
    assert "5 evidence items; 2 files included; 1 missing." in index_md
    assert "- E003 EV3: evidence/missing.pdf was not found" in index_md


def test_bundle_is_deterministic_and_pack_links_point_into_it(tmp_path: Path) -> None:
    ds = evidence_dataset(tmp_path / "data")
    first = _bundle(tmp_path / "a", ds).read_bytes()
    second = _bundle(tmp_path / "b", ds).read_bytes()
    assert first == second
    _, doc = build(ds, bundle="true")
    assert column(doc.table("evidence_register"), "location") == {
        "E001": "evidence/E001-equality-policy.md", "E002": "evidence/E002-staff-forum-minutes.txt",
        "E003": "", "E004": "https://example.org/vision"}  # a missing file: named, never a broken link
    assert ("1 evidence file was not found when the bundle was made, so it holds no copy of it: the index lists "
            "it as missing.") in all_text(doc)


def test_no_bundle_unless_asked(tmp_path: Path) -> None:
    ctx, doc = build(evidence_dataset(tmp_path))
    assert REPORT.extra_outputs(ctx, doc, {}, tmp_path) == []


@pytest.mark.skipif(not (SAMPLE / "evidence.csv").is_file(), reason="sample council evidence not present")
def test_sample_council_run_writes_a_bundle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    result = run_cli(["run", "evidence-pack", "--data", SAMPLE, "--out", out, "--option", "bundle=true"], capsys)
    assert result.code == 0, result.err + result.out
    register = pd.read_csv(SAMPLE / "evidence.csv")
    with zipfile.ZipFile(out / "evidence-pack-bundle.zip") as zf:
        names = set(zf.namelist())
        index = list(csv.DictReader(io.StringIO(zf.read("index.csv").decode("utf-8"))))
        docx = zf.read("evidence-pack.docx")
    assert {"evidence-pack.docx", "evidence-pack.xlsx", "index.csv", "index.md"} <= names
    assert docx == (out / "evidence-pack.docx").read_bytes()
    assert [r["evidence_id"] for r in index] == register["evidence_id"].tolist()
    local = register[~register["location"].str.contains("://")]
    for _, row in local.iterrows():
        entry = next(r for r in index if r["evidence_id"] == row["evidence_id"])
        exists = (SAMPLE / row["location"]).is_file()
        assert entry["state"] == ("included" if exists else "MISSING: file not found")
        if exists:
            assert entry["bundle_file"] in names


def test_a_file_or_location_holding_a_reference_to_a_person_is_not_bundled(tmp_path: Path) -> None:
    """Staff references never leave in the bundle: a text file quoting an employee number, or a
    file named after one, is refused (and the operator told); other files are copied unread,
    and the operator is asked to check them."""
    ds = evidence_dataset(tmp_path / "data")
    folder = tmp_path / "data"
    ds.tables["staff"] = pd.DataFrame({"person_id": [f"E{n:07d}" for n in range(1, 40)], "ethnicity": ["A"] * 39})
    person = "E0000004"
    (folder / "evidence" / "forum-notes.txt").write_text(f"Raised by {person} at the forum.\n", encoding="utf-8")
    (folder / "evidence" / f"case-{person}.md").write_text("Notes.\n", encoding="utf-8")
    (folder / "evidence" / "report.pdf").write_bytes(b"%PDF-1.4 not read")
    extra = pd.DataFrame({"evidence_id": ["EV5", "EV6", "EV7"], "framework": [JRE] * 3, "criterion": ["JRE-S-1"] * 3,
                          "title": ["Forum notes", "Case notes", "Annual report"], "status": ["partly"] * 3,
                          "location": ["evidence/forum-notes.txt", f"evidence/case-{person}.md", "evidence/report.pdf"]})
    ds.tables["evidence"] = pd.concat([ds.tables["evidence"], extra], ignore_index=True)
    ctx, doc = build(ds, bundle="true")
    work = tmp_path / "work"
    work.mkdir()
    [path] = REPORT.extra_outputs(ctx, doc, {}, work)
    with zipfile.ZipFile(path) as zf:
        blob = b"".join(zf.read(n) for n in zf.namelist())
        index = {r["evidence_id"]: r for r in csv.DictReader(io.StringIO(zf.read("index.csv").decode("utf-8")))}
    assert person.encode() not in blob
    assert index["EV5"]["state"] == index["EV6"]["state"] == "REFUSED: the file holds a reference to a person or case"
    assert index["EV7"]["state"] == "included" and index["EV7"]["location"] == ""  # a path on our machine: left out
    assert sum("was not put in the bundle" in str(w) for w in ctx.warnings) == 2
    assert any("bundled as given, unread (evidence/report.pdf)" in n for n in ctx.operator_notes)


@pytest.mark.parametrize(("name", "content"), [
    ("page.html", b"<p>Raised by E000<b></b>0004</p>"),  # a tag inside it
    ("page.htm", b"<p>Raised by &#69;&#x30;000004</p>"),  # character references
    ("data.json", b'{"raised_by": "\\u0045\\u0030000004"}'),  # JSON escapes
    ("notes.txt", "Raised by E0000004".encode("utf-16")),  # UTF-16 with a BOM
    ("notes.csv", "who\nE0000004\n".encode("utf-16-le")),  # UTF-16 without one
])
def test_a_reference_written_in_a_file_format_s_own_escapes_is_found(tmp_path: Path, name: str,
                                                                     content: bytes) -> None:
    ds = evidence_dataset(tmp_path / "data")
    ds.tables["staff"] = pd.DataFrame({"person_id": [f"E{n:07d}" for n in range(1, 40)], "ethnicity": ["A"] * 39})
    (tmp_path / "data" / "evidence" / name).write_bytes(content)
    extra = pd.DataFrame({"evidence_id": ["EV5"], "framework": [JRE], "criterion": ["JRE-S-1"], "title": ["Notes"],
                          "status": ["partly"], "location": [f"evidence/{name}"]})
    ds.tables["evidence"] = pd.concat([ds.tables["evidence"], extra], ignore_index=True)
    ctx, doc = build(ds, bundle="true")
    (tmp_path / "work").mkdir()
    [path] = REPORT.extra_outputs(ctx, doc, {}, tmp_path / "work")
    with zipfile.ZipFile(path) as zf:
        index = {r["evidence_id"]: r for r in csv.DictReader(io.StringIO(zf.read("index.csv").decode("utf-8")))}
    assert index["EV5"]["state"] == "REFUSED: the file holds a reference to a person or case"
