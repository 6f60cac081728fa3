"""Hostile evidence locations: files outside the evidence folder are refused, never copied.

`validate --report evidence-pack` names file, row, column and value; the bundle, built directly
from such a register, lists them as refused and holds no byte of them.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from _input_cases import TOML, assert_refused, csv_cells, dataset, link_targets, run_report

from equality_reports.dataset import Dataset
from equality_reports.renderers.common import inert_text
from equality_reports_evidence import bundle
from equality_reports_evidence.files import EvidenceFolder, copy_bounded
from equality_reports_evidence.register import evidence_items

HEADER = "evidence_id,framework,criterion,title,location,status\n"
SECRET = "secret: not evidence\n"


def _register(*locations: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(
        [f"EV{i}", "journey-to-race-equality", "JRE-R-1", f"Item {i}", loc, "met"]
        for i, loc in enumerate(locations, start=1))
    return HEADER + buffer.getvalue()


def _outside(tmp: Path) -> Path:
    """A secret file outside the dataset folder."""
    secret = tmp / "outside" / "secret.txt"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text(SECRET, encoding="utf-8")
    return secret


def _evidence_folder(folder: Path, tmp: Path, big: int = 0) -> None:
    """evidence/ with a good file and the hostile entries the cases point at."""
    ev = folder / "evidence"
    ev.mkdir(parents=True, exist_ok=True)
    (ev / "ok.md").write_text("# Equality policy\n", encoding="utf-8")
    os.symlink("/etc", ev / "etc")
    os.symlink(_outside(tmp), ev / "link-out.md")
    os.symlink(ev / "link-out.md", ev / "chain.md")
    os.symlink("/dev/zero", ev / "zero.md")
    os.symlink("/proc/self/environ", ev / "environ.txt")
    os.mkfifo(ev / "fifo.md")
    os.link(_outside(tmp), ev / "hard.md")  # another name of the secret file outside
    (ev / "folder.md").mkdir()
    if big:
        (ev / "big.pdf").write_bytes(b"%" * big)


#: (case id, location, what the refusal says)
REFUSED = [
    ("etc-shadow", "/etc/shadow", "an absolute path"),
    ("dot-dot-passwd", "../../../etc/passwd", "'..'"),
    ("dot-dot-inside-then-out", "evidence/../../outside/secret.txt", "'..'"),
    ("proc-environ", "/proc/self/environ", "an absolute path"),
    ("dev-zero", "/dev/zero", "an absolute path"),
    ("home-tilde", "~/.ssh/id_rsa", "an absolute path"),
    ("windows-drive", "C:\\Windows\\win.ini", "an absolute path"),
    ("unc-share", "\\\\attacker.example\\share\\payslip.docx", "an absolute path"),
    ("link-to-etc-folder", "evidence/etc/passwd", "leads outside the evidence folder"),
    ("link-to-file-outside", "evidence/link-out.md", "leads outside the evidence folder"),
    ("link-to-dev-zero", "evidence/zero.md", "leads outside the evidence folder"),
    ("link-to-proc", "evidence/environ.txt", "leads outside the evidence folder"),
    ("fifo", "evidence/fifo.md", "it is a pipe"),
    ("folder", "evidence/folder.md", "it is a folder"),
    ("link-to-link-outside", "evidence/chain.md", "leads outside the evidence folder"),
    ("hard-link-to-file-outside", "evidence/hard.md", "it has other names (a hard link)"),
    ("over-size-limit", "evidence/big.pdf", "more than the limit of 1 MB"),
]


@pytest.mark.parametrize(("location", "reason"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_evidence_outside_the_folder_is_an_error(location: str, reason: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    folder = dataset(tmp_path / "data", {"evidence.csv": _register("evidence/ok.md", location)},
                     TOML + "[limits]\nevidence_file_mb = 1\n")
    _evidence_folder(folder, tmp_path, big=(2 << 20) if "big" in location else 0)
    shown = repr(location)[1:-1]
    assert_refused(folder, ("evidence.csv, row 3, column 'location'", "evidence file refused", reason, shown),
                   capsys, report="evidence-pack")


def _evidence_dataset(folder: Path, locations: list[str], config: dict | None = None) -> Dataset:
    frame = pd.DataFrame({"evidence_id": [f"EV{i}" for i in range(len(locations))],
                          "framework": ["journey-to-race-equality"] * len(locations),
                          "criterion": ["JRE-R-1"] * len(locations), "title": ["Item"] * len(locations),
                          "location": locations, "status": ["met"] * len(locations)})
    return Dataset("Testshire", date(2025, 4, 1), date(2026, 3, 31), {"evidence": frame}, path=folder,
                   config=config or {})


def test_bundle_refuses_every_hostile_location_and_copies_no_byte_of_it(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    _evidence_folder(folder, tmp_path, big=2 << 20)
    locations = ["evidence/ok.md"] + [loc for _, loc, _ in REFUSED] + ["evidence/ok.md\x07"]
    ds = _evidence_dataset(folder, locations, {"limits": {"evidence_file_mb": 1}})
    target, _ = bundle.write_bundle(tmp_path / "bundle.zip", evidence_items(ds), EvidenceFolder.of(ds), {},
                                    date(2026, 3, 31), "Testshire")
    with zipfile.ZipFile(target) as zf:
        assert sorted(zf.namelist()) == ["evidence/E001-item.md", "index.csv", "index.md"]
        blob = b"".join(zf.read(n) for n in zf.namelist())
        index = list(csv.DictReader(io.StringIO(zf.read("index.csv").decode("utf-8"))))
    assert SECRET.encode() not in blob and b"root:" not in blob
    assert [r["state"] for r in index][0] == "included"
    assert all(r["state"].startswith("REFUSED: ") and not r["bundle_file"] for r in index[1:])
    assert all("\x07" not in r["location"] for r in index)


def test_copy_stops_at_the_limit_when_a_file_grows(tmp_path: Path) -> None:
    source = tmp_path / "grown.pdf"
    source.write_bytes(b"x" * (3 << 20))
    sink = io.BytesIO()
    with pytest.raises(OSError, match="grew past"):
        copy_bounded(source, sink, 1 << 20)
    assert len(sink.getvalue()) <= 1 << 20


def test_copy_refuses_a_file_replaced_by_a_link(tmp_path: Path) -> None:
    swapped = tmp_path / "swapped.md"
    os.symlink(_outside(tmp_path), swapped)
    with pytest.raises(OSError):
        copy_bounded(swapped, io.BytesIO(), 1 << 20)


def test_evidence_root_holds_the_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """evidence_root moves the folder within the dataset folder: a file inside it is bundled, the
    dataset folder's own is not. One outside the dataset folder (absolute, or by "..") is refused
    before anything is read (an adversary's evidence_root = "/etc" bundled /etc/passwd)."""
    folder = dataset(tmp_path / "data", {"evidence.csv": _register("policy.md"), "policy2.md": "x"},
                     TOML + 'evidence_root = "shared"\n')
    (folder / "shared").mkdir()
    (folder / "shared" / "policy.md").write_text("# Policy\n", encoding="utf-8")
    run_report(folder, tmp_path / "out", capsys, "evidence-pack", "docx", "bundle=true")
    with zipfile.ZipFile(tmp_path / "out" / "evidence-pack-bundle.zip") as zf:
        assert "evidence/E001-item-1.md" in zf.namelist()
    bad = dataset(tmp_path / "bad", {"evidence.csv": _register("policy.md")}, TOML + 'evidence_root = "nowhere"\n')
    assert_refused(bad, ("dataset.toml", "evidence_root", "is not a folder"), capsys, report="evidence-pack")
    _outside(tmp_path)
    for root in ("/etc", "../outside", str(tmp_path / "outside")):
        out = dataset(tmp_path / f"out-{len(root)}", {"evidence.csv": _register("passwd")},
                      TOML + f'evidence_root = "{root}"\n')
        assert_refused(out, ("dataset.toml", "evidence_root", "is outside the dataset folder"), capsys,
                       report="evidence-pack")


#: locations that are not files and not safe links: a warning, plain text in the pack
UNSAFE_LINKS = ["javascript:alert(document.cookie)", "file:///etc/passwd", "data:text/html,<b>x</b>",
                "vbscript:msgbox(1)", "ftp://files.example/x.pdf"]


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """An evidence pack whose register mixes unsafe links with a web address and a mail address."""
    import contextlib

    from equality_reports.cli import main

    root = tmp_path_factory.mktemp("pack")
    locations = UNSAFE_LINKS + ["https://www.gov.uk/guidance", "mailto:equality@example.org"]
    folder = dataset(root / "data", {"evidence.csv": _register(*locations)})
    err = io.StringIO()
    with contextlib.redirect_stdout(err), contextlib.redirect_stderr(err):
        with pytest.raises(SystemExit) as exit_info:
            main(["run", "evidence-pack", "--data", str(folder), "--out", str(root / "out"), "--format",
                  "docx,xlsx,csv"])
    assert exit_info.value.code in (0, None), err.getvalue()
    return root / "out", err.getvalue()


@pytest.mark.parametrize("location", UNSAFE_LINKS)
def test_unsafe_evidence_link_is_plain_text_with_a_warning(location: str, pack: tuple[Path, str]) -> None:
    out, messages = pack
    for name in ("evidence-pack.docx", "evidence-pack.xlsx"):
        targets = link_targets(out / name)
        assert location not in targets
        assert {"https://www.gov.uk/guidance", "mailto:equality@example.org"} <= set(targets)
    assert f"written as plain text (value: '{location}')" in messages
    assert inert_text(location) in csv_cells(out / "evidence-pack-csv")  # listed, as text
