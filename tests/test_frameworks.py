"""Framework files: the shipped ones, a user's own, and clear errors for malformed ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from equality_reports.errors import InputError
from equality_reports.frameworks import load_framework_file
from equality_reports.plugins import PluginHost

EXAMPLE = """
id: our-framework
title: Our framework
source: Our council, 2026
kind: levels
levels:
  - {id: bronze, label: Bronze}
  - {id: gold, label: Gold}
areas:
  - id: people
    title: People
    criteria:
      - {id: P1, level: bronze, text: "We publish workforce data."}
      - {id: P2, level: gold, text: "We close our pay gaps."}
"""


def test_shipped_frameworks_are_registered() -> None:
    frameworks = PluginHost().frameworks()
    assert set(frameworks) == {"journey-to-race-equality", "adss-leadership", "equality-standard-lg", "eflg-2021"}
    jre = frameworks["journey-to-race-equality"]
    assert [lv.id for lv in jre.levels] == ["resisting", "intending", "starting", "developing", "achieving"]
    assert len(jre.gate_questions) == 4 and jre.gate_cap == "starting"
    assert [a.title for a in jre.outcome_areas][0] == "Service outcomes" and len(jre.outcome_areas) == 6
    adss = frameworks["adss-leadership"]
    assert len(adss.areas) == 7 and adss.kind == "checklist"
    assert len(frameworks["eflg-2021"].areas) == 4 and len(frameworks["eflg-2021"].levels) == 3
    assert len(frameworks["equality-standard-lg"].levels) == 5


def test_user_framework_file(tmp_path: Path) -> None:
    path = tmp_path / "ours.yaml"
    path.write_text(EXAMPLE)
    fw = load_framework_file(path)
    assert fw.id == "our-framework" and fw.criterion_ids == {"P1", "P2"}
    assert fw.find_level("GOLD").id == "gold"


@pytest.mark.parametrize("text,expected", [
    ("id: x\ntitle: a: b\n", "line 2, column 9: not valid YAML"),
    ("- just a list\n", "top level must be a mapping"),
    (EXAMPLE.replace("title: Our framework\n", ""), "'title' is missing"),
    (EXAMPLE.replace("level: gold", "level: platinum"), "level 'platinum' is not one of"),
    (EXAMPLE.replace("id: P2", "id: P1"), "criterion id 'P1' is used twice"),
    (EXAMPLE.replace("kind: levels", "kind: tiers"), "unknown kind 'tiers'"),
])
def test_malformed_framework_is_a_clear_error(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        load_framework_file(path)
    message = str(info.value)
    assert "bad.yaml" in message and expected in message


def test_missing_framework_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_framework_file(tmp_path / "nope.yaml")
