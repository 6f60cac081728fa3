"""What the sample publications say (issue 12): nothing for the operator, titles that say what they
cover, labels in words, one grade order, no [c] in the narrative, no chart of one published bar.

Each sample dataset is run once, as the README's main job (``run --all --format json,docx``), and
the Word and JSON outputs are read back as a reader would see them.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document as read_docx

from equality_reports.cli import main

SAMPLES = Path(__file__).parent.parent / "sample_data"
KINDS = ("council", "nhs_trust", "small_body", "social_care")
#: words meant for whoever runs the tool, never for a reader of a publication
OPERATOR_PHRASES = ("--option", "dataset.toml", "self_assessment rows", "data contract", "Run with",
                    "--compare", "run.json", "staff_survey", "self_assessment table", "staff.hourly_pay",
                    "staff.bonus_pay", "staff.full_pay_relevant", "map the grades", "Correct the disability",
                    "Check the wording", "actions table", "rraa-employment and", "By default",
                    # a framework note YAML read as a mapping, printed as Python
                    "{'")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every sample's publications, as ``run --all --format json,docx`` writes them."""
    out = {}
    for kind in KINDS:
        folder = tmp_path_factory.mktemp(kind)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            with pytest.raises(SystemExit) as ended:
                main(["run", "--all", "--data", str(SAMPLES / kind), "--out", str(folder), "--format", "json,docx"])
        assert ended.value.code == 0, kind
        out[kind] = folder
    return out


def publications(runs: dict[str, Path], suffix: str) -> Iterator[tuple[str, Path]]:
    for kind, folder in runs.items():
        for path in sorted(folder.glob(f"*{suffix}")):
            if path.name != "run.json":
                yield kind, path


def paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style, text) of every paragraph outside tables, in order."""
    return [(p.style.name, p.text) for p in read_docx(str(path)).paragraphs if p.text.strip()]


def narrative(path: Path) -> list[str]:
    """The report's own sentences: every paragraph before the closing Notes section that explains the
    table symbols, other than captions and the notes under tables."""
    texts = []
    for style, text in paragraphs(path):
        if style.startswith("Heading") and text == "Notes":
            break
        if style != "Caption" and not text.startswith("Note:"):
            texts.append(text)
    return texts


def table_cells(path: Path) -> list[str]:
    return [cell.text for table in read_docx(str(path)).tables for row in table.rows for cell in row.cells]


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def test_publications_hold_nothing_for_the_operator(runs: dict[str, Path]) -> None:
    found = []
    for kind, path in publications(runs, ".docx"):
        for text in [t for _, t in paragraphs(path)] + table_cells(path):
            found += [(kind, path.name, phrase, text) for phrase in OPERATOR_PHRASES if phrase in text]
    for kind, path in publications(runs, ".json"):
        for text in strings(json.loads(path.read_text(encoding="utf-8"))):
            found += [(kind, path.name, phrase, text) for phrase in OPERATOR_PHRASES if phrase in text]
    assert not found, "\n".join(map(str, found[:10]))


def test_publications_hold_no_unfilled_placeholder(runs: dict[str, Path]) -> None:
    """A Python format field or jinja2 expression printed as written ("{low:.2f}") is a bug a
    reader sees: no text of any sample publication holds braces."""
    found = []
    for kind, path in publications(runs, ".docx"):
        found += [(kind, path.name, text) for text in [t for _, t in paragraphs(path)] + table_cells(path)
                  if "{" in text or "}" in text]
    for kind, path in publications(runs, ".json"):
        found += [(kind, path.name, text) for text in strings(json.loads(path.read_text(encoding="utf-8")))
                  if "{" in text or "}" in text]
    assert not found, "\n".join(map(str, found[:10]))


def test_operator_instructions_go_to_the_run_notes_listed_in_run_json(runs: dict[str, Path]) -> None:
    council = runs["council"]
    record = json.loads((council / "run.json").read_text(encoding="utf-8"))
    assert record["internal_notes"]["file"] == "run-notes-internal.md"
    assert record["internal_notes"]["not_for_publication"] is True
    notes = (council / "run-notes-internal.md").read_text(encoding="utf-8")
    assert "NOT FOR PUBLICATION" in notes
    # the council has no staff survey by service: the SC-WRES asks for it here, not in the return
    assert "## sc-wres" in notes and "staff_survey" in notes
    entry = next(r for r in record["reports"] if r["name"] == "sc-wres")
    assert any("staff_survey" in n for n in entry["notes_for_operator"])
    # run.json and the run notes count the reports' warnings alike
    raised = re.search(r"The reports also raised (\d+) data warning", notes)
    said = re.search(r"and (\d+) from the reports", record["warnings"])
    assert said and int(said.group(1)) == (int(raised.group(1)) if raised else 0), (record["warnings"], raised)


def test_missing_data_is_said_in_plain_words(runs: dict[str, Path]) -> None:
    text = "\n".join(narrative(runs["council"] / "sc-wres.docx"))
    assert "Staff survey results for this question were not available, so metric 6 is not reported this year." in text
    # the council's SC-WRES covers its social care services only (dataset.toml [options]), and says so
    assert "using the directly employed staff of Adults' services and Children's services" in text
    assert "Place" not in text and "Resources" not in text


def test_narrative_never_prints_a_withheld_figure_as_c(runs: dict[str, Path]) -> None:
    said = []
    for kind, path in publications(runs, ".docx"):
        said += [(kind, path.name, t) for t in narrative(path) if "[c]" in t]
        # the gender pay gap publishes percentages of large groups: nothing to withhold on the samples
        assert "[c]" in " ".join(table_cells(path)) or kind == "small_body" or path.stem in ("evidence-pack",
                                                                                           "gender-pay-gap")
    assert not said, "\n".join(map(str, said[:10]))
    findings = "\n".join(narrative(runs["council"] / "rraa-employment.docx"))
    assert "is not shown, to protect individuals" in findings


def test_every_sc_wres_service_title_names_its_service(runs: dict[str, Path]) -> None:
    for kind in ("council", "social_care"):
        doc = json.loads((runs[kind] / "sc-wres.json").read_text(encoding="utf-8"))
        services = {"adults": "Adults' services", "childrens": "Children's services"}
        for table_id, table in doc["tables"].items():
            match = re.match(r"sc_wres_([a-z_]+?)_(\d+[ab]?)$", table_id)
            if match and match.group(1) in services:
                assert table["title"].startswith(services[match.group(1)] + ": "), table["title"]
        labels = [f["label"] for fid, f in doc["figures"].items() if fid.startswith("sc-wres.childrens.")]
        assert labels and all(label.startswith("Children's services: ") for label in labels)
        captions = [t for s, t in paragraphs(runs[kind] / "sc-wres.docx") if s == "Caption"]
        assert not any("Childrens" in c or "childrens" in c for c in captions)
    pack = json.loads((runs["council"] / "evidence-pack.json").read_text(encoding="utf-8"))
    shown = [row[0] for row in pack["tables"]["figures_sc_wres"]["rows"]]
    assert len(shown) == len(set(shown)), "the appendix lists a figure label twice"


def test_hr_codes_show_as_words(runs: dict[str, Path]) -> None:
    rraa = json.loads((runs["council"] / "rraa-employment.json").read_text(encoding="utf-8"))
    services = [row[0] for row in rraa["tables"]["staff_by_service"]["rows"]]
    assert "Children's services" in services and "childrens" not in services


def _grade_rows(doc: dict[str, Any], table_id: str) -> list[str]:
    return [row[0] for row in doc["tables"][table_id]["rows"] if row[0] not in ("All staff", "Not recorded")]


def test_one_grade_order_in_every_report(runs: dict[str, Path]) -> None:
    for kind in ("council", "social_care"):
        rraa = json.loads((runs[kind] / "rraa-employment.json").read_text(encoding="utf-8"))
        sc = json.loads((runs[kind] / "sc-wres.json").read_text(encoding="utf-8"))
        order = _grade_rows(rraa, "staff_by_grade")
        assert order == _grade_rows(sc, "sc_wres_1")
        assert order.index("Grade 2") < order.index("Grade 10") < order.index("Chief Officer")


def test_no_chart_is_drawn_with_fewer_than_two_published_bars(runs: dict[str, Path]) -> None:
    """Each chart's alt text states every bar as published: at least two have a value."""
    drawn = 0
    for kind, path in publications(runs, ".docx"):
        for shape in read_docx(str(path)).inline_shapes:
            alt = shape._inline.docPr.get("descr")
            values = alt.split(". ", 2)[1].rstrip(".").split("; ")  # "Bar chart: title. values. more"
            bars = [v for value in values for v in value.split(": ", 1)[1].split(", ")]
            published = [b for b in bars if not b.endswith(("withheld", "not calculable"))]
            assert len(published) >= 2, (kind, path.name, alt)
            drawn += 1
    assert drawn


def test_withheld_data_quality_counts_are_said_once(runs: dict[str, Path]) -> None:
    """The RRAA data-quality list names every records table whose unknown count is withheld in one
    sentence, not one "not shown, to protect ..." bullet each."""
    text = "\n".join(narrative(runs["council"] / "rraa-employment.docx"))
    assert text.count("records, the number of people without a known ethnic group is not given on its own") == 1
    assert "records without a known ethnic group: their number is not shown" not in text


def test_a_count_readers_add_up_from_the_services_is_shown_with_its_likelihood(runs: dict[str, Path]) -> None:
    """Council SC-WRES metric 2: the minority ethnic appointed of the whole social care workforce
    are the adults' plus the children's, both shown, so the whole's count is no secret: it is
    shown, and so is the relative likelihood it makes (and the RRAA report's copy of it)."""
    sc = json.loads((runs["council"] / "sc-wres.json").read_text(encoding="utf-8"))
    rows = {t: {r[0]: r for r in sc["tables"][t]["rows"]} for t in ("sc_wres_2", "sc_wres_adults_2",
                                                                      "sc_wres_childrens_2")}
    services = [rows[t]["Minority ethnic"][2] for t in ("sc_wres_adults_2", "sc_wres_childrens_2")]
    assert all(isinstance(n, int) for n in services)
    assert rows["sc_wres_2"]["Minority ethnic"][2] == sum(services)
    assert not sc["figures"]["sc-wres.2.relative_likelihood"]["suppressed"]
    rraa = json.loads((runs["council"] / "rraa-employment.json").read_text(encoding="utf-8"))
    assert {r[0]: r for r in rraa["tables"]["applications_binary"]["rows"]}["Ethnic minority"][3] == sum(services)


def test_every_ethnicity_pay_gap_states_its_headline_gaps(runs: dict[str, Path]) -> None:
    """The social care sample's headline gaps were all withheld: its ethnic minority full-pay count
    has to be (beside the staff in post it gives away the 8 on leave), and every pay figure went
    with that unpublished count. Medians weigh nothing, so its median gap is shown; its mean gap
    stays withheld, as the White and ethnic minority means beside the gender pay gap's (all
    employees' pay) would weigh the two groups and give the count away after all."""
    said = {}
    for kind in ("council", "nhs_trust", "social_care"):
        payload = json.loads((runs[kind] / "ethnicity-pay-gap.json").read_text(encoding="utf-8"))
        figures = payload["figures"]
        gaps = [figures[f"ethnicity-pay-gap.hourly.binary.minority_ethnic.{key}"]["value"]
                for key in ("mean_gap", "median_gap")]
        said[kind] = gaps
        rows = {row[0]: row for row in payload["tables"]["epg_hourly_binary"]["rows"]}
        assert rows["Ethnic minority"][3:5] == [g if g is not None else "[c]" for g in gaps], kind
        text = " ".join(narrative(runs[kind] / "ethnicity-pay-gap.docx"))
        assert f"their median hourly pay is {gaps[1]}% lower" in text, kind
        if gaps[0] is None:
            assert "The mean hourly pay of ethnic minority employees is not shown, to protect individuals" in text
        else:
            assert f"{gaps[0]}% lower" in text, kind
    assert all(isinstance(g, float) for kind in ("council", "nhs_trust") for g in said[kind]), said
    assert said["social_care"] == [None, 5.6]


def _json_table(path: Path, table: str) -> list[dict[str, Any]]:
    """The rows of one table of a JSON publication, as {column label: value as published}."""
    found = json.loads(path.read_text(encoding="utf-8"))["tables"][table]
    labels = [c["label"] for c in found["columns"]]
    return [dict(zip(labels, row)) for row in found["rows"]]


def test_no_outcome_of_a_withheld_group_is_shown_anywhere(runs: dict[str, Path]) -> None:
    """The small body appointed none of its few shortlisted ethnic minority applicants: "shortlisted
    [c], appointed 0" would say what befell every one of them, so the 0 is withheld, with every
    rate restating it (the rates table's 0.0% of applicants would give it back), and the key
    findings say the share is not shown rather than print [c]."""
    report = runs["small_body"] / "rraa-employment.json"
    applicants = {r["Ethnic group"]: r for r in _json_table(report, "applications_binary")}
    rates = {r["Stage"]: r for r in _json_table(report, "relative_rates")}
    assert applicants["Ethnic minority"]["Shortlisted (applicants)"] == "[c]"
    assert applicants["Ethnic minority"]["Appointed (applicants)"] == "[c]"
    assert applicants["Ethnic minority"]["Applicants"] == 21  # the applicants, not a small group, stay
    assert rates["Appointed"]["Ethnic minority rate (%)"] == "[c]"
    findings = "\n".join(narrative(runs["small_body"] / "rraa-employment.docx"))
    assert "The share of ethnic minority applicants appointed is not shown, to protect individuals" in findings
    assert "[c]" not in findings


def test_the_key_findings_count_every_stage_the_rates_table_compares(runs: dict[str, Path]) -> None:
    for kind in KINDS:
        report = runs[kind] / "rraa-employment.json"
        stages = len(_json_table(report, "relative_rates"))
        said = re.findall(r"Of the (\d+) stages this report compares", "\n".join(narrative(report.with_suffix(".docx"))))
        assert all(int(n) == stages for n in said), (kind, said, stages)
    # none of the 14 shown (the one the small body had, appointment at 0.00, gave away what befell its
    # few shortlisted ethnic minority applicants): said in a sentence, not left unsaid
    small = "\n".join(narrative(runs["small_body"] / "rraa-employment.docx"))
    assert ("None of the 14 stages this report compares have their relative rate (the ethnic minority rate divided "
            "by the White rate) shown: each is not shown, to protect individuals, or cannot be calculated.") in small
    assert "largest difference" not in small
    # several: ranked, each saying whom it disadvantages (a lower rate of a good outcome, a higher rate of a bad one)
    council = "\n".join(narrative(runs["council"] / "rraa-employment.docx"))
    assert "were: appointed, 0.41 (below, to the disadvantage of ethnic minority people); detriment from appraisal, " \
           "1.73 (above, to the disadvantage of ethnic minority people); shortlisted, 0.63 (below, to the " \
           "disadvantage of ethnic minority people)." in council


def test_a_paragraph_about_tables_left_out_goes_with_them(runs: dict[str, Path]) -> None:
    """The small body's staff tables by ethnic group and by grade are left out: the sentences that
    described them ("The first table shows ...", "Grades are listed ...") go too, and the tables
    left out one after another are named in one sentence."""
    text = narrative(runs["small_body"] / "rraa-employment.docx")
    assert not any(t.startswith(("The first table shows", "Grades are listed")) for t in text)
    assert ("The tables \u201cStaff in post by ethnic group\u201d, \u201cStaff in post by broad ethnic group\u201d and "
            "\u201cStaff in post by detailed ethnic group\u201d are not shown: most of their numbers would have to be "
            "withheld to protect the people they describe.") in text
    # of its five voluntary sections, only performance assessment keeps a table: it alone says so
    assert sum(t.startswith("Published voluntarily") for t in text) == 1
    # where the tables stand, so do the sentences
    council = narrative(runs["council"] / "rraa-employment.docx")
    assert any(t.startswith("The first table shows") for t in council)
    assert any(t.startswith("Grades are listed") for t in council)


def test_where_nobody_was_paid_a_bonus_the_text_says_so_plainly(runs: dict[str, Path]) -> None:
    """Nobody at the small body was paid a bonus: the text says that plainly instead of naming
    shares it cannot show (its ethnic minority group is also below the 50 relevant employees the
    bonus figures need), and not that anything protects anyone; the table (zeros and [x]) is left
    out. (A share too small to show beside bonuses paid: the plugin's own tests.)"""
    path = runs["small_body"] / "ethnicity-pay-gap.docx"
    bonus = next(t for t in narrative(path) if t.startswith("Bonus measures count"))
    assert "No employee was paid a bonus in that time, so there are no bonus shares or gaps to compare." in bonus
    assert "to protect" not in bonus
    published = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert "epg_bonus_binary" not in published["tables"]
    share = published["figures"]["ethnicity-pay-gap.bonus.binary.minority_ethnic.paid_pct"]
    assert (share["value"], share["suppressed"], share["note"]) == (None, False, "too few people to show")


def test_every_title_page_gives_the_publication_date_and_contact(runs: dict[str, Path]) -> None:
    for kind, path in publications(runs, ".docx"):
        opening = [t for _, t in paragraphs(path)][:8]
        assert any(t.startswith("Published ") for t in opening), (kind, path.name, opening)
        assert any(t.startswith("Contact: ") for t in opening), (kind, path.name, opening)


def test_a_count_the_others_give_is_never_called_withheld(runs: dict[str, Path]) -> None:
    """Relevant employees = full-pay men and women + those on leave + those neither men nor women:
    with three shown, the fourth is worked out, so it is shown too (the trust's 104 on leave), not
    said to be "not shown, to protect individuals"."""
    checked = 0
    for kind in KINDS:
        figures = json.loads((runs[kind] / "gender-pay-gap.json").read_text(encoding="utf-8"))["figures"]
        parts = [figures[f"gender-pay-gap.{name}.count"] for name in ("employees", "full_pay", "reduced_pay", "excluded")]
        shown = [not f["suppressed"] for f in parts]
        assert sum(shown) != 3, (kind, parts)
        if all(shown):
            checked += 1
            assert parts[0]["value"] == sum(f["value"] for f in parts[1:]), (kind, parts)
    assert checked  # the trust shows all four


def test_pay_gap_headings_name_their_part(runs: dict[str, Path]) -> None:
    """The hourly, bonus and quarters parts break down by the same groups: a list of headings (a
    screen reader's, the contents) tells them apart."""
    for kind in KINDS:
        headings = [t for s, t in paragraphs(runs[kind] / "ethnicity-pay-gap.docx") if s.startswith("Heading")]
        assert len(headings) == len(set(headings)), (kind, headings)
    council = [t for s, t in paragraphs(runs["council"] / "ethnicity-pay-gap.docx") if s.startswith("Heading")]
    assert {"Hourly pay: White and ethnic minority", "Bonus pay: White and ethnic minority",
            "Hourly pay: broad ethnic groups", "Pay quarters: White and ethnic minority"} <= set(council)


def test_the_sc_wres_says_what_a_measure_means_once(runs: dict[str, Path]) -> None:
    """The council's SC-WRES explains each relative likelihood under the whole workforce; its
    services' sections, read the same way, do not repeat it."""
    text = narrative(runs["council"] / "sc-wres.docx")
    by_service = text.index(next(t for t in text if t.startswith("The SC-WRES asks for each service")))
    explained = [i for i, t in enumerate(text) if t.startswith("This measure compares how likely")]
    assert explained and max(explained) < by_service
    assert sum(t.startswith("Metric 1 shows how many") for t in text) == 1
    assert "counts once in each and once in the whole workforce" in text[by_service]


def test_the_quartile_bands_are_told_in_one_sentence_beside_their_table(runs: dict[str, Path]) -> None:
    """The table gives every band's shares; the text names the lowest and highest band's women
    (four bullets repeating the table pushed its chart onto a page of its own)."""
    text = narrative(runs["council"] / "gender-pay-gap.docx")
    assert ("Women are 71.1% of the lower quartile pay band and 63.5% of the upper quartile pay band; the table "
            "gives the shares of women and men in every band.") in text
    assert not any(t.startswith("Lower middle quartile: women") for t in text)


def test_the_text_never_points_at_tables_left_out(runs: dict[str, Path]) -> None:
    """The social care pay quarters and bonus tables are left out (and the small body's, where
    nobody was paid a bonus): the text neither says who is "shown separately in the pay quarters"
    nor introduces "the tables below"; the council keeps its bonus tables and their introduction."""
    social = "\n".join(narrative(runs["social_care"] / "ethnicity-pay-gap.docx"))
    assert "shown separately in the pay quarters" not in social
    assert "The tables below give the White group as a whole" not in social
    assert "The tables below give the White group as a whole" not in "\n".join(
        narrative(runs["small_body"] / "ethnicity-pay-gap.docx"))
    assert "The tables below give the White group as a whole" in "\n".join(
        narrative(runs["council"] / "ethnicity-pay-gap.docx"))
    # the social care sample's detailed staff table is left out: its sentence goes, the first stays
    staff = narrative(runs["social_care"] / "rraa-employment.docx")
    assert any(t.startswith("The first table shows") for t in staff)
    assert not any("The detailed table keeps" in t for t in staff)


def test_a_table_showing_no_number_is_left_out_and_no_symbol_it_would_show_is_explained(runs: dict[str, Path]) -> None:
    """The small body's ethnicity pay gap can show only White British pay: the tables comparing
    White with ethnic minority employees and the broad groups hold nothing but [c] and [x], so a
    sentence stands for each, the text names only the table left, and no note explains a [c]
    that no table shows."""
    path = runs["small_body"] / "ethnicity-pay-gap.docx"
    text = narrative(path)
    assert ("The table \u201cHourly pay gaps against White British employees: broad ethnic groups\u201d is not "
            "shown: none of its figures can be shown, as its groups are too small or its figures would have to be "
            "withheld to protect the people it describes.") in text
    assert any(t.startswith("The table gives the gaps for detailed groups where they are large enough.") for t in text)
    every = "\n".join(t for _, t in paragraphs(path))
    assert "[c]" not in every
    assert "where a figure or table is not shown, the report says so" in every


def test_the_voluntary_monitoring_text_names_only_the_parts_it_shows(runs: dict[str, Path]) -> None:
    """The small body publishes performance assessment voluntarily, but none of the tables on
    training received, grievances, discipline or leavers can be shown: the section's text says
    so, as the key findings do, instead of claiming to publish all five (a reviewer found the two
    contradicting each other)."""
    text = narrative(runs["small_body"] / "rraa-employment.docx")
    [said] = [t for t in text if "Though not required to" in t]
    assert ("we publish figures for staff who benefited or suffered detriment from performance assessment; the "
            "section is marked as voluntary. We would publish figures for staff who received training, staff "
            "involved in grievances, staff subject to disciplinary procedures and staff who left too, but this "
            "year none of their tables can be shown.") in said


def test_a_pay_gap_report_showing_no_gap_says_so_first(runs: dict[str, Path]) -> None:
    """No group of the small body is large enough for its pay to be compared with White British
    employees': the introduction says so before the sections that show it piece by piece; the
    council, which shows gaps, has no such sentence."""
    said = "In short, no hourly pay gap can be shown this year"
    small = narrative(runs["small_body"] / "ethnicity-pay-gap.docx")
    assert any(t.startswith(said) for t in small)
    assert small.index(next(t for t in small if t.startswith(said))) < small.index("Who is counted")
    assert not any(t.startswith(said) for t in narrative(runs["council"] / "ethnicity-pay-gap.docx"))


def test_tables_whose_every_number_is_zero_give_way_to_a_sentence(runs: dict[str, Path]) -> None:
    """Nobody at the small body was paid a bonus: its bonus tables would show 0, 0.0% and [x]
    only, so one sentence stands for both; the council's bonus tables, with bonuses paid, stay."""
    text = narrative(runs["small_body"] / "ethnicity-pay-gap.docx")
    assert ("The tables \u201cBonus pay gaps against White British employees: White and ethnic minority "
            "employees\u201d and \u201cBonus pay gaps against White British employees: broad ethnic groups\u201d are "
            "not shown: every number they would show is zero, and their other figures cannot be given.") in text
    def captions(path: Path) -> list[str]:
        return [text for style, text in paragraphs(path) if style == "Caption" and "Bonus pay gaps" in text]

    assert not captions(runs["small_body"] / "ethnicity-pay-gap.docx")
    assert captions(runs["council"] / "ethnicity-pay-gap.docx")


def test_a_body_below_150_employees_is_told_the_english_employee_duty_does_not_reach_it(runs: dict[str, Path]) -> None:
    small = narrative(runs["small_body"] / "rraa-employment.docx")
    assert any("With 118 staff in post, Eastbrook Parish Council has fewer than the 150 employees" in t for t in small)
    council = narrative(runs["council"] / "rraa-employment.docx")
    assert not any("fewer than the 150 employees" in t for t in council)


def test_no_list_item_runs_into_the_sentence_before_it(runs: dict[str, Path]) -> None:
    """A template line ending in a block tag loses its line break: the list item after it was
    printed inside the paragraph ("... include them.- Applicants without ...")."""
    found = [(kind, path.name, text[:120]) for kind, path in publications(runs, ".docx")
             for _, text in paragraphs(path) if re.search(r"[.:;]-\s+[A-Z]", text)]
    assert not found, "\n".join(map(str, found))


def test_no_row_says_which_group_everyone_who_raised_a_grievance_is_in(runs: dict[str, Path]) -> None:
    """The small body: a few staff raised a grievance, none of them White and none of unknown
    ethnic group. A White rate of 0.0% beside a withheld minority ethnic rate said every one of them
    is from an ethnic minority; the White zero is withheld in its own table, and the comparison
    table restating it follows (docs/disclosure.md, Everyone in one group)."""
    rows = [[cell.text for cell in row.cells] for table in read_docx(str(runs["small_body"] / "rraa-employment.docx"))
            .tables for row in table.rows]
    grievance = [row for row in rows if row[0] == "Raised a grievance"]
    assert grievance and all(set(row[2:]) == {"[c]"} for row in grievance), grievance
    # nor what befell every one of a withheld group: none of the few shortlisted ethnic minority
    # applicants was appointed, so the 0 (and the 0.0% of applicants restating it) is withheld
    appointed = [row for row in rows if row[:2] == ["Appointed", "applicants"]]
    assert appointed and appointed[0][2] == "13.5" and appointed[0][3] == "[c]", appointed
