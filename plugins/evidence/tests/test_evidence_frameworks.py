"""Framework files: the shipped ones, a user's own, and clear errors for malformed ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_evidence import USER_FRAMEWORK

from equality_reports.errors import InputError
from equality_reports.frameworks import load_framework_file
from equality_reports.plugins import PluginHost
from equality_reports_evidence.report import builtin_frameworks


def test_shipped_frameworks_are_registered_through_the_hook() -> None:
    frameworks = PluginHost().frameworks()
    assert set(builtin_frameworks()) <= set(frameworks)
    assert set(builtin_frameworks()) == {"journey-to-race-equality", "adss-leadership", "equality-standard-lg",
                                         "eflg-2021", "jre-members-questions"}


def test_journey_to_race_equality() -> None:
    jre = builtin_frameworks()["journey-to-race-equality"]
    assert jre.kind == "stages"
    assert [lv.id for lv in jre.levels] == ["resisting", "intending", "starting", "developing", "achieving"]
    assert all(lv.barriers and lv.breakthroughs for lv in jre.levels)
    assert [q.id for q in jre.gate_questions] == ["G1", "G2", "G3", "G4"] and jre.gate_cap == "starting"
    assert [a.title for a in jre.outcome_areas] == [
        "Service outcomes", "Community-wide trust and confidence", "Positive community relations",
        "Access to services and information", "Influence over decision making", "Employment"]
    assert len(jre.criteria) == 15 and all(c.level for c in jre.criteria)
    assert {c.level for c in jre.criteria} == {lv.id for lv in jre.levels}


def test_other_shipped_frameworks() -> None:
    shipped = builtin_frameworks()
    adss = shipped["adss-leadership"]
    assert adss.kind == "checklist" and not adss.levels
    assert [len(a.criteria) for a in adss.areas] == [5, 4, 5, 6, 5, 5, 6]
    eflg = shipped["eflg-2021"]
    assert [lv.label for lv in eflg.levels] == ["Developing", "Achieving", "Excellent"]
    assert len(eflg.areas) == 4 and eflg.criteria == ()  # criteria are not sourced: none shipped
    eslg = shipped["equality-standard-lg"]
    assert len(eslg.levels) == 5 and len(eslg.areas) == 4
    for area in eslg.areas:  # each area has one criterion per level; levels 4 and 5 are [verify]
        assert [c.level for c in area.criteria] == [lv.id for lv in eslg.levels]
        assert ["[verify]" in c.text for c in area.criteria] == [False, False, False, True, True]
    assert len(shipped["jre-members-questions"].criteria) == 8
    assert all(isinstance(n, str) and "{" not in n for f in shipped.values() for n in f.notes)
    ids = [c.id for f in shipped.values() for c in f.criteria]
    assert len(ids) == len(set(ids))  # criterion ids are unique across the shipped frameworks
    assert all(len(f.source) > 40 for f in shipped.values())  # each cites its source document


def test_user_framework_file(tmp_path: Path) -> None:
    path = tmp_path / "ours.yaml"
    path.write_text(USER_FRAMEWORK)
    fw = load_framework_file(path)
    assert fw.id == "our-framework" and fw.criterion_ids == {"P1", "P2"}
    assert fw.find_level("GOLD").id == "gold" and fw.find_level("silver") is None
    assert fw.find_area("people").title == "People" and fw.criteria_for("people")[1].level == "gold"


@pytest.mark.parametrize("text,expected", [
    ("id: x\ntitle: a: b\n", "bad.yaml, line 2, column 9: not valid YAML"),
    ("- just a list\n", "top level must be a mapping"),
    (USER_FRAMEWORK.replace("title: Our framework\n", ""), "bad.yaml, line 1: title: 'title' is missing"),
    (USER_FRAMEWORK.replace("level: gold", "level: platinum"),
     "bad.yaml, line 13: areas[0].criteria[1].level: level 'platinum' is not one of the framework's levels "
     "(bronze, gold). Fix: use one of the level ids"),
    (USER_FRAMEWORK.replace("id: P2", "id: P1"), "criterion id 'P1' is used twice"),
    (USER_FRAMEWORK.replace("kind: levels", "kind: tiers"), "bad.yaml, line 4: kind: unknown kind 'tiers'"),
    (USER_FRAMEWORK.replace("areas:", "criterias:"), "line 8: criterias: unknown field 'criterias'"),
    (USER_FRAMEWORK.replace('text: "We close our pay gaps."', 'text: ""'),
     "line 13: areas[0].criteria[1]: each criterion needs an id and a text"),
    (USER_FRAMEWORK + "gate:\n  questions:\n    - {id: G1, text: Are we ready}\n", "gate questions need a `cap`"),
    # an unquoted "words: more words" is a mapping to YAML, which a pack would print as such
    (USER_FRAMEWORK + "notes:\n  - Fine.\n  - A checklist, not levels: read it so\n",
     "notes[1]: note 2 is not plain text (dict). Fix: put the note in double quotes"),
])
def test_malformed_framework_is_a_clear_error(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        load_framework_file(path)
    assert expected in str(info.value)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(USER_FRAMEWORK.replace("source: Our council, 2026\n", "").replace("level: gold", "level: x"))
    with pytest.raises(InputError) as info:
        load_framework_file(path)
    assert len(info.value.problems) == 2


def test_missing_and_unreadable_framework_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nope.yaml not found"):
        load_framework_file(tmp_path / "nope.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("id: caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_framework_file(latin)
