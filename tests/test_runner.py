"""The run pipeline: outputs, run record, atomic replacement, reproducibility, audiences."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from helpers_cli import FIXTURES, run_cli, write_staff_dataset

from equality_reports.plugins import PluginHost
from equality_reports.runner import RunRequest, execute

OK_DIR = FIXTURES / "plugins_ok"


def _run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: object, data: Path | None = None):
    data = data or write_staff_dataset(tmp_path / "data")
    return run_cli(["run", "local-headcount", "--plugins-dir", OK_DIR, "--data", data,
                    "--out", tmp_path / "out", *extra], capsys)


def test_run_writes_every_output_and_a_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    res = _run(tmp_path, capsys)
    assert res.code == 0, res.err
    out = tmp_path / "out"
    names = sorted(p.name for p in out.iterdir())
    assert names == [".equality-reports", "local-headcount-csv", "local-headcount.docx", "local-headcount.json",
                     "local-headcount.xlsx", "run-notes-internal.md", "run.json"]
    record = json.loads((out / "run.json").read_text())
    staff_csv = tmp_path / "data" / "staff.csv"
    sha = hashlib.sha256(staff_csv.read_bytes()).hexdigest()
    assert any(i["sha256"] == sha and i["table"] == "staff" for i in record["inputs"])
    assert record["threshold"] == 10 and record["audience"] == "publication"
    assert record["organisation"] == "Testshire Council"
    assert record["period"] == {"start": "2025-04-01", "end": "2026-03-31"}
    rep = record["reports"][0]
    assert rep["name"] == "local-headcount" and rep["status"] == "ok" and rep["version"] == "9.9"
    assert rep["disclosure"]["tables"]["staff_by_group"]["withheld_cells"] >= 1  # the 3 unknown staff are withheld
    assert record["suppressed_cells"] == rep["disclosure"]["tables"]["staff_by_group"]["withheld_cells"]
    # a publication's record carries no row counts, reasons for withholding or warnings quoting counts
    assert all("rows" not in i for i in record["inputs"])
    assert "primary" not in json.dumps(record) and isinstance(record["warnings"], str)
    diagnostics = json.loads((out / ".equality-reports" / "diagnostics-internal.json").read_text())
    assert diagnostics["not_for_publication"] is True
    assert diagnostics["inputs"][0]["rows"] == 55
    assert any(p["name"] == "headcount_plugin" for p in record["plugins"])


def test_the_diagnostics_folder_is_never_written_through_a_link(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "diagnostics-internal.json").write_text("keep me", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / ".equality-reports").symlink_to(victim, target_is_directory=True)
    res = _run(tmp_path, capsys)
    assert res.code == 0, res.err
    assert (victim / "diagnostics-internal.json").read_text(encoding="utf-8") == "keep me"
    folder = tmp_path / "out" / ".equality-reports"
    assert not folder.is_symlink() and (folder / "diagnostics-internal.json").is_file()


def test_publication_withholds_small_counts_in_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(tmp_path, capsys, "--format", "json").code == 0
    report = json.loads((tmp_path / "out" / "local-headcount.json").read_text())
    figs = report["figures"]
    # 40 white, 12 minority, 3 unknown: 3 is withheld, and 12 with it (secondary suppression)
    assert figs["local-headcount.staff.unknown.count"] == {
        "label": "unknown staff", "value": None, "unit": "count", "numerator": None,
        "denominator": None, "suppressed": True}
    assert figs["local-headcount.staff.minority_ethnic.count"]["suppressed"] is True
    assert figs["local-headcount.staff.white.count"]["value"] == 40
    assert report["tables"]["staff_by_group"]["rows"][2][1:] == ["[c]", "[c]"]


def test_internal_audience_is_not_suppressed_and_is_stamped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    res = _run(tmp_path, capsys, "--audience", "internal", "--format", "json")
    assert res.code == 0
    assert "NOT for publication" in res.out
    report = json.loads((tmp_path / "out" / "local-headcount-internal.json").read_text())
    assert report["audience"] == "internal" and report["not_for_publication"] is True
    assert report["figures"]["local-headcount.staff.unknown.count"]["value"] == 3


def test_threshold_option_changes_suppression(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(tmp_path, capsys, "--threshold", "3", "--format", "json").code == 0
    figs = json.loads((tmp_path / "out" / "local-headcount.json").read_text())["figures"]
    assert figs["local-headcount.staff.unknown.count"]["value"] == 3
    assert figs["local-headcount.staff.minority_ethnic.count"]["value"] == 12


def test_same_inputs_give_byte_identical_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_staff_dataset(tmp_path / "data")
    digests = []
    for run_no in range(2):
        out = tmp_path / f"out{run_no}"
        res = run_cli(["run", "local-headcount", "--plugins-dir", OK_DIR, "--data", data, "--out", out],
                      capsys)
        assert res.code == 0, res.err
        digests.append({name: hashlib.sha256((out / name).read_bytes()).hexdigest()
                        for name in ("local-headcount.docx", "local-headcount.xlsx", "local-headcount.json")})
    assert digests[0] == digests[1]


def test_failed_report_leaves_previous_outputs_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(tmp_path, capsys).code == 0
    out = tmp_path / "out"
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != "run.json"}
    res = _run(tmp_path, capsys, "--option", "fail=true")
    assert res.code == 1
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != "run.json"}
    assert after == before
    assert not list(out.glob(".equality-reports-tmp-*"))


def test_renderer_failure_midway_replaces_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    assert _run(tmp_path, capsys).code == 0
    out = tmp_path / "out"
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != "run.json"}
    host = PluginHost(OK_DIR)
    xlsx = host.renderers()["xlsx"]

    def broken(*_a: object, **_k: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(xlsx, "render", broken)
    result = execute(RunRequest(data=tmp_path / "data", out=out, reports=["local-headcount"]), host)
    assert result.exit_code == 1
    assert result.outcomes[0].error == "OSError: disk full"
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != "run.json"}
    assert after == before  # the .docx rendered before the failure did not replace the old one


def test_bad_input_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_staff_dataset(tmp_path / "data")
    (data / "staff.csv").write_text("person_id,ethnicity\nP1,Martian\n", encoding="utf-8")
    res = _run(tmp_path, capsys, data=data)
    assert res.code == 2
    assert "Martian" in res.err and "Traceback" not in res.err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_compare_accepts_a_previous_run_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from equality_reports.runner import figures_from_json

    assert _run(tmp_path, capsys, "--format", "json").code == 0
    figs = figures_from_json([tmp_path / "out" / "local-headcount.json"])
    assert figs["local-headcount.staff.white.count"].value == 40
    assert figs["local-headcount.staff.unknown.count"].suppressed is True
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    res = run_cli(["run", "local-headcount", "--plugins-dir", OK_DIR, "--data", tmp_path / "data",
                   "--out", tmp_path / "o2", "--compare", bad], capsys)
    assert res.code == 2 and "bad.json" in res.err


def test_the_run_notes_ask_for_what_the_title_page_lacks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No [publication] date or contact: the run notes (not the publication) ask for them, once;
    given both, nothing is asked."""
    _run(tmp_path, capsys)
    notes = (tmp_path / "out" / "run-notes-internal.md").read_text(encoding="utf-8")
    assert notes.count("give no publication date or contact: add them under [publication] in dataset.toml") == 1
    data = tmp_path / "data"
    toml = data / "dataset.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[publication]\npublished = 2026-06-30\n', encoding="utf-8")
    _run(tmp_path, capsys, data=data)
    notes = (tmp_path / "out" / "run-notes-internal.md").read_text(encoding="utf-8")
    assert "give no contact: add it under [publication]" in notes and "publication date" not in notes
    toml.write_text(toml.read_text(encoding="utf-8") + 'contact = "Equality team"\n', encoding="utf-8")
    _run(tmp_path, capsys, data=data)
    assert "[publication]" not in (tmp_path / "out" / "run-notes-internal.md").read_text(encoding="utf-8")


def test_the_run_notes_say_when_the_contents_page_numbers_are_estimated(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Without LibreOffice the Word contents' page numbers are estimated: the console and the run
    notes say so, once however many reports the run writes, and what to install; a run writing no
    Word document says nothing of it."""
    monkeypatch.setenv("EQUALITY_REPORTS_SOFFICE", "")
    data = write_staff_dataset(tmp_path / "data")
    result = run_cli(["run", "rraa-employment", "sc-wres", "--data", data, "--out", tmp_path / "out",
                      "--format", "docx"], capsys)
    assert result.code == 0, result.err
    said = "page numbers in the Word document's contents list are estimated"
    assert result.out.count(said) == 1 and "libreoffice-writer-nogui poppler-utils" in result.out
    notes = (tmp_path / "out" / "run-notes-internal.md").read_text(encoding="utf-8")
    assert notes.count(said) == 1 and "## This machine" in notes
    result = run_cli(["run", "rraa-employment", "--data", data, "--out", tmp_path / "xlsx", "--format", "xlsx"], capsys)
    assert result.code == 0 and said not in result.out
