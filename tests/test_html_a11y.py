"""Every sample report's HTML page passes axe-core (WCAG 2.0, 2.1 and 2.2 A and AA rules, and axe's
best practices) in headless Chromium with zero violations, and requests nothing from outside itself.

Needs /usr/bin/chromium (Debian package ``chromium``) and ``npm ci`` in tests/a11y; scripts/test.sh
installs both.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from equality_reports.cli import main

A11Y = Path(__file__).parent / "a11y"
SAMPLES = Path(__file__).parents[1] / "sample_data"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def run(args: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code in (0, None)


@pytest.mark.browser
def test_sample_pages_have_no_axe_violations(tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node and Path(CHROMIUM).exists(), "install nodejs and chromium (apt-get install chromium nodejs npm)"
    assert (A11Y / "node_modules" / "axe-core").is_dir(), "run npm ci in tests/a11y (scripts/test.sh does)"
    for name in ("council", "nhs_trust", "social_care", "small_body"):
        run(["run", "--all", "--data", str(SAMPLES / name), "--out", str(tmp_path / name), "--format", "html"])
    run(["run", "--all", "--data", str(SAMPLES / "nhs_trust"), "--out", str(tmp_path / "internal"),
         "--format", "html", "--audience", "internal"])
    pages = sorted(tmp_path.glob("*/*.html"))
    assert len(pages) == 22  # every report run --all picks for the samples, and the NHS internal run
    started = time.perf_counter()
    proc = subprocess.run([node, str(A11Y / "axe.mjs"), *map(str, pages)], capture_output=True, text=True,
                          cwd=A11Y, timeout=600, env={**os.environ, "CHROMIUM": CHROMIUM})
    assert proc.returncode == 0, proc.stderr
    print(f"axe-core: {len(pages)} pages in {time.perf_counter() - started:.1f} s")
    results = json.loads(proc.stdout)
    assert results.pop("external requests") == []
    assert set(results) == set(map(str, pages))
    assert {page: found for page, found in results.items() if found} == {}
