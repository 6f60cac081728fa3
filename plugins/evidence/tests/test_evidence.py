"""The evidence pack: gaps, gate capping, readiness, overdue actions, links, outcomes, frameworks.

Expected values are worked out by hand from helpers_evidence.evidence_dataset: of the 15 journey
criteria, JRE-R-1, JRE-R-4 and JRE-I-1 are met, JRE-R-3 is partly met, the other 11 have none.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from helpers_evidence import JRE, USER_FRAMEWORK, all_text, build, column, evidence_dataset

RESISTING_TO_STARTING_UNMET = ["JRE-R-2", "JRE-R-3", "JRE-I-2", "JRE-S-2", "JRE-S-1", "JRE-S-3"]


def _bullets_after(text: str, heading: str) -> list[str]:
    lines = text.split(heading, 1)[1].strip().splitlines()
    out = []
    for line in lines:
        if not line.startswith("- "):
            break
        out.append(line[2:].split(":")[0])
    return out


def test_gaps_are_criteria_without_full_evidence(tmp_path: Path) -> None:
    ds = evidence_dataset(tmp_path)
    _, doc = build(ds)
    # 11 of the 15 criteria have no evidence yet: the area tables say so beside each, and the gaps
    # table lists only the criterion with some evidence short of met
    gaps = doc.table("journey_to_race_equality_gaps")
    assert column(gaps, "status") == {"JRE-R-3": "Partly met"}
    assert gaps.title.endswith("criteria with some evidence, not yet fully met")
    assert doc.figures["evidence-pack.journey-to-race-equality.gaps"].value == 12
    assert doc.figures["evidence-pack.journey-to-race-equality.met"].value == 3
    assert doc.figures["evidence-pack.journey-to-race-equality.met_pct"].value == pytest.approx(20.0)
    assert ("12 of the 15 criteria do not yet have evidence that fully meets them: "
            "11 have no evidence and 1 is partly met.") in all_text(doc)  # no "0 are recorded as not met"
    assert 'The tables above mark each criterion with no evidence yet ("No evidence")' in all_text(doc)
    # with evidence gathered for most criteria, every gap is listed, by stage then in framework order
    more = pd.DataFrame({"evidence_id": [f"EV{9 + i}" for i in range(8)], "framework": [JRE] * 8,
                         "criterion": ["JRE-R-2", "JRE-I-2", "JRE-S-2", "JRE-S-1", "JRE-S-3", "JRE-D-2", "JRE-D-1",
                                       "JRE-A-3"], "title": ["Draft"] * 8, "status": ["partly"] * 8})
    ds.tables["evidence"] = pd.concat([ds.tables["evidence"], more], ignore_index=True)
    _, doc = build(ds)
    gaps = doc.table("journey_to_race_equality_gaps")
    status = column(gaps, "status")
    assert len(status) == 12 and status["JRE-R-3"] == "Partly met" and status["JRE-D-3"] == "No evidence"
    assert not {"JRE-R-1", "JRE-R-4", "JRE-I-1"} & set(status)  # met, even though EV3's file is missing
    assert column(gaps, "level")["JRE-D-1"] == "Developing"
    assert gaps.data["criterion"].tolist() == [  # by stage, then in framework order
        "JRE-R-2", "JRE-R-3", "JRE-I-2", "JRE-S-2", "JRE-S-1", "JRE-S-3", "JRE-D-2", "JRE-D-1", "JRE-D-3",
        "JRE-A-3", "JRE-A-1", "JRE-A-2"]


def test_not_met_evidence_is_a_gap_and_the_best_item_counts(tmp_path: Path) -> None:
    evidence = pd.DataFrame({"evidence_id": ["A", "B", "C"], "framework": [JRE] * 3,
                             "criterion": ["JRE-R-1", "JRE-R-1", "JRE-R-2"], "title": ["a", "b", "c"],
                             "status": ["not_met", "partly", "not_met"]})
    _, doc = build(evidence_dataset(tmp_path, evidence=evidence))
    status = column(doc.table("journey_to_race_equality_gaps"), "status")
    assert status["JRE-R-1"] == "Partly met" and status["JRE-R-2"] == "Not met"
    rows = doc.table("crit_journey_to_race_equality_culture").data
    assert rows["status"].tolist() == ["Not met", "Partly met", "Not met"]  # one row per evidence item


def test_gate_question_answered_no_caps_the_overall_stage(tmp_path: Path) -> None:
    ds = evidence_dataset(tmp_path)
    ds.tables["self_assessment"].loc[0, "stage_or_level"] = "Developing"
    _, doc = build(ds)
    assert doc.figures["evidence-pack.journey-to-race-equality.overall"].value == "Starting"
    levels = column(doc.table("journey_to_race_equality_assessment"), "level")
    assert levels == {"Overall": "Starting (recorded as Developing; capped)", "Leadership": "Intending"}
    text = all_text(doc)
    assert ("Overall stage: Starting (recorded as Developing, but held at Starting because gate question G3 "
            "is answered no)") in text
    assert "G3: Have we said what race equality means for us in concrete outcomes? Answer: No." in text
    # readiness works from the capped stage: the next stage is Developing
    assert _bullets_after(text, "To reach the next stage, 'Developing', these criteria still need full "
                                "evidence:") == ["JRE-D-2", "JRE-D-1", "JRE-D-3"]


def test_all_gate_questions_yes_leaves_the_stage_as_recorded(tmp_path: Path) -> None:
    ds = evidence_dataset(tmp_path)
    sa = ds.tables["self_assessment"]
    sa.loc[0, "stage_or_level"] = "Developing"
    sa.loc[4, "stage_or_level"] = "Yes"
    _, doc = build(ds)
    assert doc.figures["evidence-pack.journey-to-race-equality.overall"].value == "Developing"
    text = all_text(doc)
    assert "Overall, the organisation assesses itself at the 'Developing' stage." in text
    assert _bullets_after(text, "To reach the next stage, 'Achieving', these criteria still need full "
                                "evidence:") == ["JRE-A-3", "JRE-A-1", "JRE-A-2"]


def test_stage_at_the_cap_is_allowed_but_the_limit_is_stated(tmp_path: Path) -> None:
    _, doc = build(evidence_dataset(tmp_path))
    assert doc.figures["evidence-pack.journey-to-race-equality.overall"].value == "Starting"
    assert "- Gate question G3 is answered no, so the overall stage cannot go beyond Starting for now." in all_text(doc)
    assert ("Because gate question G3 is answered no, the overall stage cannot go beyond 'Starting' until it "
            "changes.") in all_text(doc)


def test_readiness_by_stage_and_area(tmp_path: Path) -> None:
    _, doc = build(evidence_dataset(tmp_path))
    by_level = doc.table("journey_to_race_equality_by_level").data.set_index("group")
    assert by_level.loc["Resisting", ["criteria", "met", "partly", "missing"]].tolist() == [4, 2, 1, 1]
    assert by_level.loc["Intending", ["criteria", "met", "partly", "missing"]].tolist() == [2, 1, 0, 1]
    assert by_level["share"].tolist() == pytest.approx([50.0, 50.0, 0.0, 0.0, 0.0])
    by_area = doc.table("journey_to_race_equality_by_area").data.set_index("group")
    assert by_area.loc["Leadership", ["criteria", "met", "partly", "missing"]].tolist() == [6, 1, 1, 4]
    assert by_area.loc["Leadership", "share"] == pytest.approx(100 / 6)
    text = all_text(doc)
    assert _bullets_after(text, "These criteria at or below the assessed stage 'Starting' are not yet fully "
                                "evidenced, so the assessment rests partly on judgement:") == RESISTING_TO_STARTING_UNMET
    assert "- 6 criteria at or below the assessed stage are not yet fully evidenced." in text
    assert "- Next stage: Developing, with 3 criteria still to evidence." in text


def test_readiness_without_an_assessment_targets_the_first_unevidenced_stage(tmp_path: Path) -> None:
    ctx, doc = build(evidence_dataset(tmp_path, self_assessment=pd.DataFrame(
        {"framework": [], "area": [], "stage_or_level": []})))
    text = all_text(doc)
    assert "No self-assessment has been recorded for this framework yet, so no stage is given." in text
    assert "self_assessment" not in text  # what to add is for the operator, not the reader
    assert any("no self-assessment. Add self_assessment rows" in n for n in ctx.operator_notes)
    assert _bullets_after(text, "To reach the next stage, 'Resisting', these criteria still need full "
                                "evidence:") == ["JRE-R-2", "JRE-R-3"]
    assert doc.figures["evidence-pack.journey-to-race-equality.overall"].value is None


def test_one_evidence_row_can_support_several_criteria(tmp_path: Path) -> None:
    evidence = pd.DataFrame({"evidence_id": ["A"], "framework": [JRE], "criterion": ["JRE-S-1; JRE-S-3"],
                             "title": ["Cabinet report"], "status": ["met"]})
    _, doc = build(evidence_dataset(tmp_path, evidence=evidence))
    assert doc.figures["evidence-pack.journey-to-race-equality.met"].value == 2
    assert doc.figures["evidence-pack.journey-to-race-equality.gaps"].value == 13
    assert column(doc.table("evidence_register"), "criteria") == {"E001": "JRE-S-1; JRE-S-3"}


def test_overdue_actions_are_marked_in_text(tmp_path: Path) -> None:
    _, doc = build(evidence_dataset(tmp_path))
    plan = doc.table("action_plan")
    assert column(plan, "status") == {"1": "In progress, past its date", "2": "Not started",
                                      "3": "Complete"}  # 3 is past its date but complete
    assert column(plan, "action") == {"1": "Publish the vision (JRE-S-1)", "2": "Train managers",
                                      "3": "Old task done"}
    assert column(plan, "by_when")["1"] == "31 January 2026"
    assert doc.figures["evidence-pack.actions.overdue"].value == 1
    text = all_text(doc)
    assert ("The plan has three actions, of which one is complete. One is past its date on 31 March 2026 and not "
            "complete: its status in the table says \"past its date\". Two of the actions are workforce actions "
            "that the monitoring reports list too; the others belong to the frameworks in this pack.") in text
    assert ("For the next six months, one open action falls due between 31 March 2026 and 30 September 2026: "
            "the table gives its date.") in text
    assert "The action plan has 3 actions; 1 is overdue." in text


def test_an_action_due_on_the_snapshot_date_is_not_overdue_but_falls_due(tmp_path: Path) -> None:
    actions = pd.DataFrame({"action": ["Due today", "Undated"], "by_when": pd.to_datetime(["2026-03-31", None]),
                            "status": ["Open", "Open"]})
    _, doc = build(evidence_dataset(tmp_path, actions=actions))
    assert column(doc.table("action_plan"), "status") == {"1": "Open", "2": "Open"}
    text = all_text(doc)
    assert "One open action has no date set yet." in text
    # due on the snapshot date: not past its date, and due within the next six months
    assert ("For the next six months, one open action falls due between 31 March 2026 and 30 September 2026: "
            "the table gives its date.") in text


def test_evidence_links_and_register(tmp_path: Path) -> None:
    _, doc = build(evidence_dataset(tmp_path))
    table = doc.table("crit_journey_to_race_equality_leadership")
    assert table.column("evidence").link == "location" and table.column("location").hidden
    rows = table.data.set_index("criterion")
    # a local file is not linked: a path on the machine the pack was made on would be a broken
    # link wherever the pack is read (the bundle links its copy instead); the register says where it is
    assert rows.loc["JRE-R-3", "location"] == ""
    assert rows.loc["JRE-R-3", "evidence"] == "Staff forum minutes (EV2)"
    assert rows.loc["JRE-R-3", "text"] == ("JRE-R-3 (Resisting): Staff, members and non-executives have been asked "
                                           "which race equality issues they see and how they would tackle them.")
    assert rows.loc["JRE-S-2", "evidence"] == "No evidence recorded"
    register = doc.table("evidence_register")
    assert register.column("title").link == "location"
    assert column(register, "location") == {"E001": "", "E002": "", "E003": "", "E004": "https://example.org/vision"}
    # no file names: they mean nothing to the pack's readers (the owner provides a document)
    assert column(register, "title") == {"E001": "Equality policy", "E002": "Staff forum minutes",
                                         "E003": "Missing report", "E004": "Vision paper"}
    assert column(register, "date") == {"E001": "1 June 2025", "E002": "1 September 2025", "E003": "1 October 2025",
                                        "E004": "10 January 2026"}
    text = all_text(doc)
    assert "not found" not in text  # the operator is told (check_register), the readers need not be
    assert "the owner of any other item, named in the evidence register, can provide it" in text
    assert ("A criterion starts with its reference in this pack (JRE-R-1 is the first), followed in brackets by "
            "the stage it belongs to; the evidence register lists the criteria each item supports") in text
    assert "minutes.txt" not in text
    assert doc.figures["evidence-pack.evidence.missing_files"].value == 1


def test_outcomes_framework(tmp_path: Path) -> None:
    outcomes = pd.DataFrame({"outcome_area": ["employment", "Access to services and information", "Housing"],
                             "local_objective": ["More senior minority ethnic staff", "Fair access", "x"]})
    _, doc = build(evidence_dataset(tmp_path, outcomes=outcomes))
    table = doc.table("journey_to_race_equality_outcomes")
    assert column(table, "objective", "area") == {
        "Service outcomes": "Not yet set", "Community-wide trust and confidence": "Not yet set",
        "Positive community relations": "Not yet set", "Access to services and information": "Fair access",
        "Influence over decision making": "Not yet set", "Employment": "More senior minority ethnic staff"}
    assert column(table, "issue", "area")["Employment"] == "[z]"
    assert "Objectives recorded for areas outside this framework are not shown: Housing." in all_text(doc)


def test_several_frameworks_in_one_pack(tmp_path: Path) -> None:
    ds = evidence_dataset(tmp_path)
    extra = pd.DataFrame({"evidence_id": ["EV9"], "framework": ["adss-leadership"], "criterion": ["ADSS-EP-1"],
                          "title": ["Workforce publication"], "status": ["met"]})
    ds.tables["evidence"] = pd.concat([ds.tables["evidence"], extra], ignore_index=True)
    _, doc = build(ds)  # the frameworks named in the register, in order
    assert [s.title for s in doc.sections][2:4] == [
        "The journey to race equality (Audit Commission self-assessment)",
        "Race equality through leadership in social care (ADSS self-assessment checks)"]
    assert doc.figures["evidence-pack.journey-to-race-equality.met"].value == 3
    assert doc.figures["evidence-pack.adss-leadership.met"].value == 1
    by_area = doc.table("adss_leadership_by_area").data.set_index("group")
    assert by_area.loc["Directing employment practice", ["criteria", "met"]].tolist() == [6, 1]
    with pytest.raises(KeyError):
        doc.table("adss_leadership_by_level")  # a checklist has no levels
    assert "This framework is a checklist without levels" in all_text(doc)
    _, only = build(ds, framework="adss-leadership")
    assert [s.title for s in only.sections][2] == "Race equality through leadership in social care (ADSS " \
                                                 "self-assessment checks)"


def test_one_document_for_criteria_of_two_frameworks_is_one_register_row(tmp_path: Path) -> None:
    """A row naming no framework counts for every framework whose criteria it cites: the staff
    forum minutes evidence a journey criterion and an ADSS check, listed once in the register."""
    ds = evidence_dataset(tmp_path)
    ds.tables["evidence"].loc[1, ["framework", "criterion"]] = ["", "JRE-R-3; ADSS-CO-3"]
    _, doc = build(ds)
    assert [s.title for s in doc.sections][2:4] == [
        "The journey to race equality (Audit Commission self-assessment)",
        "Race equality through leadership in social care (ADSS self-assessment checks)"]
    by_area = doc.table("adss_leadership_by_area").data.set_index("group")
    assert by_area.loc["Directing communications", ["criteria", "missing"]].tolist() == [6, 5]  # partly met
    register = doc.table("evidence_register").data
    assert register["criteria"].tolist().count("JRE-R-3; ADSS-CO-3") == 1


def test_framework_without_shipped_criteria(tmp_path: Path) -> None:
    ctx, doc = build(evidence_dataset(tmp_path), framework="eflg-2021")
    text = all_text(doc)
    assert "No criteria are given for Diverse and engaged workforce in this pack" in text
    assert "--option" not in text and any("--option framework_file=PATH" in n for n in ctx.operator_notes)
    assert "readiness cannot be measured" in text
    assert doc.figures["evidence-pack.eflg-2021.met_pct"].value is None


def test_user_framework_file_option(tmp_path: Path) -> None:
    path = tmp_path / "ours.yaml"
    path.write_text(USER_FRAMEWORK)
    evidence = pd.DataFrame({"evidence_id": ["A"], "framework": ["our-framework"], "criterion": ["P1"],
                             "title": ["Data"], "location": [""], "status": ["met"]})
    _, doc = build(evidence_dataset(tmp_path / "d", evidence=evidence), framework_file=str(path))
    readiness = doc.table("our_framework_by_level").data.set_index("group")
    assert readiness.loc["Bronze", "met"] == 1 and readiness.loc["Gold", "met"] == 0
    assert doc.subtitle == "Northshire County Council: evidence against Our framework, as at 31 March 2026"


def test_actions_say_what_they_serve(tmp_path: Path) -> None:
    actions = pd.DataFrame({"action": ["Brief members", "Fund groups", "Review panels"],
                            "by_when": pd.to_datetime(["2026-06-30"] * 3), "framework": [JRE, JRE, "rraa-employment"],
                            "area": ["", "community", ""], "criterion": ["JRE-R-2", "", ""], "status": ["Open"] * 3})
    _, doc = build(evidence_dataset(tmp_path, actions=actions))
    assert column(doc.table("action_plan"), "action") == {
        "1": "Brief members (JRE-R-2)", "2": "Fund groups (Community engagement)", "3": "Review panels (rraa-employment)"}


def test_areas_without_a_recorded_stage_are_named(tmp_path: Path) -> None:
    """Only Leadership has a stage recorded: the other six areas are named as not yet assessed."""
    _, doc = build(evidence_dataset(tmp_path))
    [sentence] = [line for line in all_text(doc).split("\n") if line.startswith("No stage has been recorded yet")]
    assert sentence.startswith("No stage has been recorded yet for Culture and rationale, Vision, priorities and "
                               "outcomes, Community engagement")
    assert sentence.endswith("and Managing performance: their criteria and evidence are still listed below.")
    assert "Leadership" not in sentence
