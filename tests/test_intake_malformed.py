"""A corpus of malformed datasets: each gives exit code 2, a clear message, and no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_cli import run_cli

CORPUS = Path(__file__).parent / "malformed"
CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir())


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_malformed_input_is_a_clear_error(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = (case / "EXPECTED").read_text().strip()
    result = run_cli(["validate", case], capsys)
    output = result.out + result.err
    assert result.code == 2, output
    assert expected in output, output
    assert "Traceback" not in output
    assert "\x1b" not in output and "\x07" not in output  # control characters are shown, never obeyed
    run = run_cli(["run", "--all", "--data", case, "--out", case.parent.parent / "tmp-out-never"], capsys)
    assert run.code == 2 and "Traceback" not in run.out + run.err
    assert not (case.parent.parent / "tmp-out-never").exists()
