"""Fault cases: a --style or --templates the run could not use is refused before any data is loaded."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from _fault_helpers import assert_failed_cleanly, leftovers, previous_run, run_args, snapshot
from docx import Document as open_docx
from docx.oxml.ns import qn
from helpers_cli import run_cli

from equality_reports.templating import builtin_templates_dir


def _run_before_data(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: object):  # type: ignore[no-untyped-def]
    """Run with a dataset that does not exist: the refusal must come first, and create no --out."""
    res = run_cli(run_args(tmp_path / "no-such-dataset", tmp_path / "new-out", *extra), capsys)
    assert "no-such-dataset" not in res.err and "Loading" not in res.err, res.err
    assert not (tmp_path / "new-out").exists()
    return res


def _house_style(tmp_path: Path, change: str) -> Path:
    """The built-in base document with one thing broken."""
    doc = open_docx(str(builtin_templates_dir() / "base.docx"))
    if change == "heading-is-a-character-style":
        doc.styles["Heading 1"].element.set(qn("w:type"), "character")
    elif change == "no-normal":
        normal = doc.styles["Normal"].element
        normal.getparent().remove(normal)
    path = tmp_path / f"{change}.docx"
    doc.save(str(path))
    return path


def test_style_that_is_not_a_word_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "house.docx"
    fake.write_text("not a zip at all")
    res = _run_before_data(tmp_path, capsys, "--style", fake)
    assert_failed_cleanly(res, 2, f"--style {fake}: python-docx cannot open it", "Give a Word .docx")


def test_style_that_is_a_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "house.docx"
    with zipfile.ZipFile(book, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"/>')
        zf.writestr("xl/workbook.xml", "<workbook/>")
    res = _run_before_data(tmp_path, capsys, "--style", book)
    assert_failed_cleanly(res, 2, f"--style {book}: python-docx cannot open it")


def test_style_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    res = _run_before_data(tmp_path, capsys, "--style", tmp_path / "nowhere.docx")
    assert_failed_cleanly(res, 2, "nowhere.docx: file not found")


@pytest.mark.parametrize(("change", "phrase"), [
    ("heading-is-a-character-style", "'Heading 1' must be paragraph styles"),
    ("no-normal", "has no 'Normal' paragraph style"),
])
def test_style_without_the_styles_the_output_needs(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch, change: str,
                                                   phrase: str) -> None:
    style = _house_style(tmp_path, change)
    assert_failed_cleanly(_run_before_data(tmp_path, capsys, "--style", style), 2, phrase)
    # unchecked, the same style fails the Word output only after the data is loaded and built
    from equality_reports.renderers import docx

    monkeypatch.setattr(docx, "check_style", lambda _path: None)
    data, out = previous_run(tmp_path, capsys)
    before = snapshot(out)
    res = run_cli(run_args(data, out, "--style", style), capsys)
    assert res.code == 1 and "FAILED" in res.err
    assert snapshot(out) == before and leftovers(out) == []


def test_templates_that_is_not_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    res = _run_before_data(tmp_path, capsys, "--templates", tmp_path / "wording")
    assert_failed_cleanly(res, 2, "--templates", "wording: not a folder")


def test_template_with_a_syntax_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wording = tmp_path / "wording" / "rraa"
    wording.mkdir(parents=True)
    (wording / "intro.md.j2").write_text("Staff in post:\n{{ staff | fmt }\n", encoding="utf-8")
    res = _run_before_data(tmp_path, capsys, "--templates", tmp_path / "wording")
    assert_failed_cleanly(res, 2, "intro.md.j2 line 2", "remove your copy to use the built-in one")


def test_template_that_is_not_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "wording").mkdir()
    (tmp_path / "wording" / "intro.md.j2").write_bytes(b"\xff\xfe\x00binary")
    res = _run_before_data(tmp_path, capsys, "--templates", tmp_path / "wording")
    assert_failed_cleanly(res, 2, "cannot read", "intro.md.j2", "UTF-8")


@pytest.mark.parametrize(("entry", "phrase"), [
    ("link-out", "outside the templates folder"), ("fifo", "is not a regular file"),
    ("folder-link", "is a link to a folder"), ("huge", "too large for a template"),
    ("hard-link", "has other names (a hard link)"), ("loop", "is not a regular file"),
])
def test_a_templates_folder_reading_outside_itself_or_for_ever_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], entry: str, phrase: str) -> None:
    """An adversary's templates: a template linked to /etc/passwd (printed in the publication), a
    pipe (the run waited for ever), a linked folder, a file of gigabytes (/dev/zero's kind). Each is
    refused before any data is loaded."""
    wording = tmp_path / "wording" / "rraa-employment"
    wording.mkdir(parents=True)
    target = wording / "introduction.j2"
    if entry == "link-out":
        target.symlink_to("/etc/passwd")
    elif entry == "fifo":
        os.mkfifo(target)
    elif entry == "folder-link":
        (wording / "more").symlink_to(tmp_path / "wording")  # inside, but a loop to walk
    elif entry == "hard-link":  # another name of a file outside the folder (its text was published)
        (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
        os.link(tmp_path / "secret.txt", target)
    elif entry == "loop":  # a link to itself: an internal error (exit 1) before
        target.symlink_to(target)
    else:
        with open(target, "wb") as fh:
            fh.truncate(2_000_000)
    res = _run_before_data(tmp_path, capsys, "--templates", tmp_path / "wording")
    assert_failed_cleanly(res, 2, "--templates", phrase)


@pytest.mark.parametrize("text", [
    "{{ 'a'.ljust(10**9) }}", "{{ 'a'.rjust(2000000) }}", "{{ 'a'.zfill(2000000) }}",
    "{{ ('\\t' * 1000).expandtabs(100000) }}", "{{ ('a' * 1000).replace('a', 'b' * 10000) }}",
    "{% set ns = namespace(x=2**60) %}{% for i in range(20) %}{% set ns.x = ns.x * ns.x %}{% endfor %}{{ ns.x }}",
    # doubling with ~ or +, and lists grown item by item (each took every byte of memory: exit 1)
    "{% set ns = namespace(s='x' * 999999) %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
    "{{ ns.s | length }}",
    "{% set ns = namespace(s='x' * 999999) %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}"
    "{{ ns.s | length }}",
    "{% set a = 'x' * 999999 %}{% set b = a ~ a %}{% set c = b ~ b %}{{ c | length }}",
    "{% set l = [] %}{% for i in range(100000) %}{% set _ = l.append('x' * 999999) %}{% endfor %}{{ l | length }}",
    "{% set l = ['x' * 999999] * 1 %}{% for i in range(100) %}{% set _ = l.extend(l) %}{% endfor %}{{ l | length }}",
    "{% set l = ['x' * 999] * 1000 %}{{ ''.join(l + l) | length }}",
])
def test_template_text_methods_cannot_build_huge_strings_or_numbers(tmp_path: Path, text: str) -> None:
    """An adversary built 1 GB strings through str methods the width checks did not cover, and a
    number of millions of digits by squaring: each is refused before it is built."""
    from equality_reports.errors import InputError
    from equality_reports.templating import TextRenderer

    (tmp_path / "big.j2").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="more than a template may write|too large for a template"):
        TextRenderer(user_dir=tmp_path).render("big.j2")



@pytest.mark.parametrize(("text", "error"), [("{{ 1 // 0 }}", "ZeroDivisionError"),
                                             ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "RecursionError")])
def test_a_template_failing_on_its_own_is_named_with_its_line(tmp_path: Path, text: str, error: str) -> None:
    """A division by zero or a recursion without end in a user's template was a failed report (exit
    1) naming no template: it is an input error naming the file and line."""
    from equality_reports.errors import InputError
    from equality_reports.templating import TextRenderer

    (tmp_path / "bad.j2").write_text("Opening line.\n" + text, encoding="utf-8")
    with pytest.raises(InputError, match=rf"bad\.j2 line 2: {error}"):
        TextRenderer(user_dir=tmp_path).render("bad.j2")
