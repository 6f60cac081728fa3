"""Fault cases: an --out that cannot be written (a file, read-only, a full disk) and what run.json says."""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
from pathlib import Path

import pytest
from _fault_helpers import (
    OK_DIR,
    REPORT,
    assert_failed_cleanly,
    assert_record_matches_folder,
    fail_with,
    leftovers,
    previous_run,
    read_only,
    run_args,
    snapshot,
)
from helpers_cli import run_cli

from equality_reports.outputs import RECORD
from equality_reports.plugins import PluginHost
from equality_reports.runner import RunRequest, execute


def test_out_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, _out = previous_run(tmp_path, capsys)
    target = tmp_path / "report.docx"
    target.write_bytes(b"last year's document")
    res = run_cli(run_args(data, target), capsys)
    assert_failed_cleanly(res, 2, "report.docx", "is a file")
    assert target.read_bytes() == b"last year's document"
    # the same through the API (no click check in front)
    with pytest.raises(Exception, match="is a file, not a folder") as caught:
        execute(RunRequest(data=data, out=target, reports=[REPORT]), PluginHost(OK_DIR))
    assert caught.value.exit_code == 2  # type: ignore[attr-defined]


def test_an_empty_out_is_refused_not_read_as_the_current_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    data, _out = previous_run(tmp_path, capsys)
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    res = run_cli(run_args(data, ""), capsys)  # type: ignore[arg-type]
    assert res.code == 2 and "give a folder name" in res.err and list(here.iterdir()) == []


def test_out_below_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, _out = previous_run(tmp_path, capsys)
    (tmp_path / "notes.txt").write_text("keep me")
    res = run_cli(run_args(data, tmp_path / "notes.txt" / "2026"), capsys)
    assert_failed_cleanly(res, 2, "notes.txt", "part of the path is a file, not a folder", "Give a folder for --out")
    assert (tmp_path / "notes.txt").read_text() == "keep me"


def test_read_only_out_exits_2_and_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, out = previous_run(tmp_path, capsys)
    before = snapshot(out)
    with read_only(out):
        res = run_cli(run_args(data, out), capsys)
    assert_failed_cleanly(res, 2, f"cannot write {out}", "permission denied", "Nothing in", "was replaced",
                          "Choose a folder you can write to")
    assert "Loading" not in res.err  # found before the data was read
    assert snapshot(out) == before and leftovers(out) == []


def test_read_only_parent_of_a_new_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, _out = previous_run(tmp_path, capsys)
    parent = tmp_path / "shared"
    parent.mkdir()
    with read_only(parent):
        res = run_cli(run_args(data, parent / "2026"), capsys)
    assert_failed_cleanly(res, 2, str(parent / "2026"), "permission denied")
    assert not (parent / "2026").exists()


@pytest.mark.parametrize(("err", "phrase"), [(errno.ENOSPC, "the disk is full"),
                                             (errno.EDQUOT, "the disk quota is used up"),
                                             (errno.EROFS, "the file system is read-only")])
def test_full_or_read_only_disk_while_writing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch, err: int, phrase: str) -> None:
    """The Excel writer fails half-way through its file: exit 2 (not a report 'bug'), last year's
    files byte-identical, run.json included, and no half-written file or temporary folder left."""
    from equality_reports.renderers.xlsx import XlsxRenderer

    data, out = previous_run(tmp_path, capsys)
    before = snapshot(out)
    monkeypatch.setattr(XlsxRenderer, "render", fail_with(err, b"PK\x03\x04 half a workbook"))
    res = run_cli(run_args(data, out), capsys)
    assert_failed_cleanly(res, 2, f"{REPORT}.xlsx", phrase, f"Nothing in {out} was replaced")
    assert "FAILED" not in res.err
    assert snapshot(out) == before and leftovers(out) == []


def test_a_full_disk_wrapped_in_the_writer_s_own_error_is_the_disk_s_fault(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """xlsxwriter reports a full disk as its own FileCreateError holding the OSError: still exit 2
    saying the disk is full (an adversary's real full disk got exit 1, "FAILED: FileCreateError")."""
    from xlsxwriter.exceptions import FileCreateError

    from equality_reports.renderers.xlsx import XlsxRenderer

    def render(_self: object, _doc: object, path: Path, *_args: object) -> None:
        try:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        except OSError as exc:
            raise FileCreateError(exc) from None

    data, out = previous_run(tmp_path, capsys)
    before = snapshot(out)
    monkeypatch.setattr(XlsxRenderer, "render", render)
    res = run_cli(run_args(data, out), capsys)
    assert_failed_cleanly(res, 2, "the disk is full", f"Nothing in {out} was replaced")
    assert "FAILED" not in res.err
    assert snapshot(out) == before and leftovers(out) == []


@pytest.mark.parametrize("name", [f"{REPORT}.xlsx", RECORD])
def test_a_folder_where_an_output_goes_is_kept_and_the_run_stops(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    """A folder named like an output file is no earlier output: an adversary's folder named
    "<report>.xlsx" was deleted with its contents. The run stops (exit 2) with everything kept."""
    data, out = previous_run(tmp_path, capsys)
    (out / name).unlink()
    (out / name).mkdir()
    (out / name / "keep.txt").write_text("not the tool's", encoding="utf-8")
    before = snapshot(out)
    res = run_cli(run_args(data, out), capsys)
    assert_failed_cleanly(res, 2, f"cannot write {out / name}", "is in the way", "Nothing in")
    assert snapshot(out) == before and (out / name / "keep.txt").exists()


def test_disk_full_while_writing_the_record(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """run.json is written before anything is replaced, so a disk that fills up there damages nothing."""
    data, out = previous_run(tmp_path, capsys)
    before = snapshot(out)
    real = Path.write_text

    def write_text(self: Path, *args: object, **kwargs: object) -> int:
        if self.name == RECORD:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", write_text)
    res = run_cli(run_args(data, out), capsys)
    assert_failed_cleanly(res, 2, "the disk is full", "Free some space")
    assert snapshot(out) == before and leftovers(out) == []


def test_permission_error_outside_out_is_the_reports_failure(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the folder's and the disk's faults stop the run: a report that cannot read a file of its
    own fails alone (exit 1), naming the error."""
    from equality_reports.renderers.xlsx import XlsxRenderer

    def render(*_args: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", "/etc/house-logo.png")

    data, out = previous_run(tmp_path, capsys)
    monkeypatch.setattr(XlsxRenderer, "render", render)
    res = run_cli(run_args(data, out), capsys)
    assert res.code == 1 and f"{REPORT}: FAILED: PermissionError" in res.err
    assert leftovers(out) == []


def test_a_run_that_writes_nothing_leaves_the_record_byte_identical(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    data, out = previous_run(tmp_path, capsys)
    before = snapshot(out)
    res = run_cli(run_args(data, out, "--option", "fail=true"), capsys)
    assert res.code == 1 and "deliberate failure" in res.err
    assert snapshot(out) == before and leftovers(out) == []


def test_run_json_lists_exactly_the_files_present(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A run that writes some formats into a folder holding others names those others in run.json."""
    data, out = previous_run(tmp_path, capsys, "--format", "docx,csv")
    assert assert_record_matches_folder(out)["other_files"] == []
    assert run_cli(run_args(data, out, "--format", "json"), capsys).code == 0
    record = assert_record_matches_folder(out)
    assert record["reports"][0]["files"] == [f"{REPORT}.json"]
    assert record["other_files"] == [f"{REPORT}-csv", f"{REPORT}.docx"]


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_run_json_has_the_outputs_file_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str], umask: int) -> None:
    data, _out = previous_run(tmp_path, capsys)
    old = os.umask(umask)
    try:
        assert run_cli(run_args(data, tmp_path / "new"), capsys).code == 0
    finally:
        os.umask(old)
    out = tmp_path / "new"
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir() if p.is_file()}
    modes["diagnostics"] = stat.S_IMODE((out / ".equality-reports" / "diagnostics-internal.json").stat().st_mode)
    assert set(modes.values()) == {0o666 & ~umask}, modes
    assert json.loads((out / RECORD).read_text())["reports"][0]["status"] == "ok"


def test_only_a_full_disk_is_kept_quiet_when_a_file_is_closed_late(monkeypatch: pytest.MonkeyPatch) -> None:
    """The garbage collector closing a file after the disk filled fails again; the run already
    said the disk is full. Any other late error is still printed."""
    from types import SimpleNamespace

    from equality_reports.cli import _quiet_disk_errors

    printed: list[BaseException] = []
    monkeypatch.setattr(sys, "__unraisablehook__", lambda u: printed.append(u.exc_value))
    for code in (errno.ENOSPC, errno.EDQUOT):
        _quiet_disk_errors(SimpleNamespace(exc_value=OSError(code, "full")))
    assert printed == []
    denied, other = OSError(errno.EACCES, "denied"), ValueError("bug")
    for error in (denied, other):
        _quiet_disk_errors(SimpleNamespace(exc_value=error))
    assert printed == [denied, other]
