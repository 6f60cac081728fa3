"""WDES metrics on a small hand-countable dataset, loaded through the intake as a user's files are.

The workforce (directly employed, not bank):

| group | clinical Band 5 | non-clinical Band 3 | VSM executives | total |
|---|---|---|---|---|
| disabled ("Yes", "Y") | 20 | 10 | 1 | 31 |
| non-disabled ("No") | 60 | 30 | 1 | 91 |
| not known ("Prefer Not To Answer", "Not Declared", "Unspecified", blank) | 10 | 5 | 0 | 15 |

137 people; 4 disabled bank workers and 3 non-executive directors (not directly employed; 1
disabled, 2 not) are left out of the workforce, the directors counted in metric 10.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from equality_reports import ReportContext, load_dataset
from equality_reports_wdes.report import WdesReport

REPORT = WdesReport()
SAMPLE = Path(__file__).resolve().parents[3] / "sample_data" / "nhs_trust"


def people(prefix: str, n: int, disability: str, **columns: object) -> pd.DataFrame:
    frame = pd.DataFrame({"person_id": [f"{prefix}{i:03d}" for i in range(n)]})
    frame["ethnicity"] = "A"
    frame["disability"] = disability
    for key, value in columns.items():
        frame[key] = value
    return frame


def staff() -> pd.DataFrame:
    clinical = dict(grade="Band 5", staff_group="Nursing and Midwifery Registered", directly_employed="Y", bank="N")
    admin = dict(grade="Band 3", staff_group="Administrative and Clerical", directly_employed="Y", bank="N")
    return pd.concat([
        people("CD", 15, "Yes", **clinical), people("CY", 5, "Y", **clinical), people("CN", 60, "No", **clinical),
        people("CP", 6, "Prefer Not To Answer", **clinical), people("CU", 4, "Unspecified", **clinical),
        people("AD", 10, "Yes", **admin), people("AN", 30, "No", **admin), people("AX", 3, "Not Declared", **admin),
        people("AB", 2, "", **admin),
        people("BK", 4, "Yes", grade="Band 2", staff_group="Nursing and Midwifery Registered",
               directly_employed="Y", bank="Y"),
        people("EX", 1, "Yes", grade="VSM", staff_group="Administrative and Clerical", directly_employed="Y",
               bank="N", board_role="voting_executive"),
        people("EY", 1, "No", grade="VSM", staff_group="Administrative and Clerical", directly_employed="Y",
               bank="N", board_role="voting_executive"),
        people("NE", 1, "Yes", grade="Non-executive director", directly_employed="N", bank="N",
               board_role="voting_non_executive"),
        people("NF", 2, "No", grade="Non-executive director", directly_employed="N", bank="N",
               board_role="voting_non_executive"),
    ], ignore_index=True)


def applications() -> pd.DataFrame:
    """Shortlisted: 20 disabled (4 appointed), 50 non-disabled (15 appointed), 5 not known (1);
    applicant X0 applied twice (counted once); 30 not shortlisted."""
    rows = []

    def add(prefix: str, n: int, disability: str, shortlisted: bool, appointed: int) -> None:
        for i in range(n):
            rows.append({"applicant_id": f"{prefix}{i}", "disability": disability, "shortlisted": shortlisted,
                         "appointed": i < appointed})

    add("D", 20, "Yes", True, 4)
    add("N", 50, "No", True, 15)
    add("U", 5, "Prefer not to say", True, 1)
    add("R", 30, "No", False, 0)
    rows.append({"applicant_id": "D0", "disability": "Yes", "shortlisted": True, "appointed": True})
    frame = pd.DataFrame(rows)
    frame.insert(0, "application_id", [f"A{i:04d}" for i in range(len(frame))])
    frame["ethnicity"] = "A"
    frame["application_date"] = "01/06/2025"
    frame["shortlisted"] = frame["shortlisted"].map({True: "Y", False: "N"})
    frame["appointed"] = frame["appointed"].map({True: "Y", False: "N"})
    return frame


def capability() -> pd.DataFrame:
    """Performance: disabled CD000-CD002 and AD000 (CD000 twice) and a leaver Z1 recorded as
    disabled: 5 people; non-disabled CN000-CN002: 3. Left out: CD003 on grounds of ill health,
    a bank worker, a case from last year; CP000 (not known) counts in the not known row."""
    return pd.DataFrame([
        ("CD000", "10/05/2025", "Performance", ""), ("CD000", "10/09/2025", "Performance", ""),
        ("CD001", "11/05/2025", "", ""), ("CD002", "12/05/2025", "performance", ""),
        ("AD000", "13/05/2025", "Performance", ""), ("Z1", "14/05/2025", "Performance", "Yes"),
        ("CN000", "15/05/2025", "Performance", ""), ("CN001", "16/05/2025", "Performance", ""),
        ("CN002", "17/05/2025", "Performance", ""), ("CD003", "18/05/2025", "Ill health", ""),
        ("BK000", "19/05/2025", "Performance", ""), ("CN010", "20/02/2025", "Performance", ""),
        ("CP000", "21/05/2025", "Performance", ""),
    ], columns=["person_id", "entry_date", "reason", "disability"])


def survey() -> pd.DataFrame:
    return pd.DataFrame([
        ("harassment_public", "White", 500, 150, None, None),  # the WRES's rows, left alone
        ("harassment_public", "Disabled", 100, 40, None, None),
        ("harassment_public", "Non-disabled", 300, 90, None, None),
        ("harassment_manager", "disabled", 100, 15, None, None),
        ("harassment_manager", "non_disabled", 300, 30, None, None),
        ("equal_opportunities", "Disabled staff", 100, None, 47.5, None),
        ("equal_opportunities", "Non-disabled staff", 300, None, 55.25, None),
        ("adjustments", "Disabled", 80, 58, None, None),
        ("engagement", "Disabled", 100, None, None, 6.5),
        ("engagement", "Non-disabled", 300, None, None, 7.1),
        ("engagement", "All", 420, None, None, 6.92),
    ], columns=["question", "group", "respondents", "positive", "percentage", "score"])


def write(folder: Path, **tables: pd.DataFrame | None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dataset.toml").write_text('organisation = "Testbury NHS Trust"\nsector = "nhs"\n'
                                         "period_start = 2025-04-01\nperiod_end = 2026-03-31\n", encoding="utf-8")
    defaults = {"staff": staff(), "applications": applications(), "capability": capability(),
                "staff_survey": survey(),
                "narrative": pd.DataFrame({"report": ["wdes"], "metric": ["9b"], "answer": ["Yes"],
                                           "text": ["The disabled staff network reports to the board."]})}
    defaults.update(tables)
    for name, frame in defaults.items():
        if frame is not None:
            frame.to_csv(folder / f"{name}.csv", index=False)
    return folder


def build(folder: Path, audience: str = "internal", **options: str):
    ds = load_dataset(folder)
    ctx = ReportContext(report=REPORT, dataset=ds, options=REPORT.parse_options(options), audience=audience)  # type: ignore[arg-type]
    doc = REPORT.build(ctx)
    return ctx, doc


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    return build(write(tmp_path_factory.mktemp("wdes")))


def value(doc, fid: str):
    return doc.figures[fid].value


def test_metric_1_counts_the_workforce_by_disability_with_esr_spellings(built) -> None:
    _, doc = built
    assert value(doc, "wdes.1.disabled.count") == 31  # 20 + 10 + 1 executive; bank workers left out
    assert value(doc, "wdes.1.non_disabled.count") == 91  # 60 + 30 + 1
    assert value(doc, "wdes.1.unknown.count") == 15  # Prefer Not To Answer 6, Unspecified 4, Not Declared 3, blank 2
    assert value(doc, "wdes.1.disabled.pct") == pytest.approx(31 / 137 * 100)  # 22.6
    assert value(doc, "wdes.declaration_rate") == pytest.approx(122 / 137 * 100)  # 89.1: unknown never "No"
    clinical = doc.table("wdes_1_clinical").data.set_index("row")
    assert clinical.loc["Band 5", ["disabled", "non_disabled", "unknown", "total"]].tolist() == [20, 60, 10, 90]
    assert clinical.loc["Band 5", "disabled_pct"] == pytest.approx(20 / 90 * 100)
    non_clinical = doc.table("wdes_1_non_clinical").data.set_index("row")
    assert non_clinical.loc["Band 3", ["disabled", "non_disabled", "unknown"]].tolist() == [10, 30, 5]
    assert non_clinical.loc["VSM", ["disabled", "non_disabled", "unknown"]].tolist() == [1, 1, 0]
    overall = doc.table("wdes_1_overall").data.set_index("row")
    assert overall.loc["All staff", "total"] == 137


def test_metric_2_non_disabled_over_disabled_applicants_counted_once(built) -> None:
    _, doc = built
    # the table holds counts and rates, not the likelihood: its title says what it counts, by what
    assert doc.table("wdes_2").title == "Metric 2: appointment from shortlisting by disability"
    table = doc.table("wdes_2").data.set_index("group")
    assert table.loc["Disabled", ["base", "outcome"]].tolist() == [20, 4]  # D0 applied twice: once
    assert table.loc["Non-disabled", ["base", "outcome"]].tolist() == [50, 15]
    assert table.loc["Not known", ["base", "outcome"]].tolist() == [5, 1]
    # (15 / 50) / (4 / 20) = 0.3 / 0.2
    assert value(doc, "wdes.2.relative_likelihood") == pytest.approx(1.5)
    se = math.sqrt(1 / 15 - 1 / 50 + 1 / 4 - 1 / 20)  # 0.4967
    assert value(doc, "wdes.2.relative_likelihood.ci_low") == pytest.approx(1.5 * math.exp(-1.959964 * se), rel=1e-4)
    assert value(doc, "wdes.2.relative_likelihood.ci_low") == pytest.approx(0.567, abs=5e-4)
    assert value(doc, "wdes.2.relative_likelihood.ci_high") == pytest.approx(3.970, abs=5e-3)
    assert value(doc, "wdes.2.band") == "outside the non-adverse range (above 1.25)"


def test_metric_2_reads_in_words_with_the_engines_shared_paragraph(built) -> None:
    """The paragraph is the engine's common/likelihood.j2, calling the measure a metric."""
    from equality_reports.narrative import render_narrative
    from equality_reports.templating import TextRenderer

    _, doc = built
    render_narrative(doc, TextRenderer(report_dir=WdesReport.template_dir))
    text = "\n".join(b.text for _, s in doc.walk() for b in s.blocks if getattr(b, "text", None))
    assert "This metric compares how likely non-disabled applicants were to be appointed from shortlisting " \
           "with how likely disabled applicants were." in text
    assert "Non-disabled applicants were 1.50 times as likely to be appointed from shortlisting as disabled " \
           "applicants (95% confidence interval 0.57 to 3.97)." in text
    assert "The rates were 30.0% for non-disabled applicants and 20.0% for disabled applicants." in text
    assert "Share of respondents answering yes: Disabled, 40.0%; non-disabled, 30.0%." in text  # metric 4a
    assert "Share of disabled respondents answering yes: 72.5%. This question is asked of disabled staff only." in text


def test_metric_3_disabled_over_non_disabled_people_entering_capability_on_performance(built) -> None:
    _, doc = built
    table = doc.table("wdes_3").data.set_index("group")
    # disabled: CD000 (twice), CD001, CD002, AD000 and the leaver Z1 (own value) = 5 people;
    # CD003 (ill health), BK000 (bank) and CN010 (last year) are left out
    assert table.loc["Disabled", ["base", "outcome"]].tolist() == [31, 5]
    assert table.loc["Non-disabled", ["base", "outcome"]].tolist() == [91, 3]
    assert table.loc["Not known", ["base", "outcome"]].tolist() == [15, 1]
    assert value(doc, "wdes.3.relative_likelihood") == pytest.approx((5 / 31) / (3 / 91))  # 4.89
    assert value(doc, "wdes.3.disabled.rate") == pytest.approx(5 / 31 * 100)
    quality = doc.table("data_quality").data.set_index("measure")["records"]
    assert quality["Capability records on grounds of ill health"] == 1
    assert quality["Capability records left out (bank staff or not directly employed)"] == 1
    assert quality["Capability records dated outside the year"] == 1
    assert quality["Capability records of people no longer in post"] == 1
    assert quality["Disability not stated or not known"] == 15


def test_survey_metrics_4_to_8_disabled_and_non_disabled(built) -> None:
    _, doc = built
    assert value(doc, "wdes.4a.public.disabled.pct") == pytest.approx(40.0)  # 40 / 100
    assert value(doc, "wdes.4a.public.non_disabled.pct") == pytest.approx(30.0)  # 90 / 300, White row ignored
    assert value(doc, "wdes.4a.public.difference_pp") == pytest.approx(10.0)
    assert value(doc, "wdes.4a.managers.difference_pp") == pytest.approx(15.0 - 10.0)
    assert value(doc, "wdes.5.disabled.pct") == 47.5  # percentages published as given
    assert value(doc, "wdes.5.difference_pp") == pytest.approx(47.5 - 55.25)
    assert value(doc, "wdes.8.disabled.pct") == pytest.approx(58 / 80 * 100)  # 72.5, disabled staff only
    assert "wdes.8.non_disabled.pct" not in doc.figures
    assert value(doc, "wdes.6.difference_pp") is None  # no presenteeism rows: not reported


def test_metric_9a_engagement_scores_and_9b_narrative(built) -> None:
    _, doc = built
    assert value(doc, "wdes.9a.disabled.score") == 6.5
    assert value(doc, "wdes.9a.all.score") == 6.92
    assert value(doc, "wdes.9a.difference") == pytest.approx(6.5 - 7.1)
    # scores and their difference are published to the survey's two decimals, in the text and in
    # the summary table alike (it once gave -0.6 beside "0.55 points lower")
    assert doc.figures["wdes.9a.all.score"].published_text == "6.92"
    assert doc.figures["wdes.9a.difference"].published_text == "-0.60"
    assert doc.figures["wdes.9a.difference"].as_json()["value"] == pytest.approx(-0.6)
    assert value(doc, "wdes.9b.answer") == "Yes"
    assert value(doc, "wdes.9b.text") == "The disabled staff network reports to the board."
    table = doc.table("wdes_9b").data  # the Excel return, CSV and JSON carry 9b too
    assert table[["metric", "answer", "text"]].values.tolist() == [
        ["9b", "Yes", "The disabled staff network reports to the board."]]


def test_metric_10_board_minus_workforce_in_points(built) -> None:
    _, doc = built
    workforce = 31 / 137 * 100
    assert value(doc, "wdes.10.voting.disabled.pct") == pytest.approx(2 / 5 * 100)  # EX000 and NE000
    assert value(doc, "wdes.10.voting.difference_pp") == pytest.approx(40 - workforce)  # 17.4 points
    assert value(doc, "wdes.10.executive.difference_pp") == pytest.approx(50 - workforce)  # 27.4
    assert value(doc, "wdes.10.non_executive.difference_pp") == pytest.approx(100 / 3 - workforce)  # 10.7


def test_publication_withholds_small_counts_and_what_they_give(built) -> None:
    ctx, doc = built
    pub_ctx = ReportContext(report=REPORT, dataset=ctx.dataset, options=ctx.options, audience="publication")
    doc = REPORT.build(pub_ctx)
    pub_ctx.protect(doc)
    assert doc.figures["wdes.3.relative_likelihood"].suppressed  # 5 and 3 people
    assert doc.figures["wdes.10.voting.difference_pp"].suppressed  # 2 of 5
    assert doc.figures["wdes.2.relative_likelihood"].suppressed  # 4 appointed
    assert not doc.figures["wdes.1.disabled.pct"].suppressed
    assert not doc.figures["wdes.4a.public.difference_pp"].suppressed  # survey totals: 40 and 90


def test_missing_tables_are_not_reported_with_a_note(tmp_path: Path) -> None:
    ctx, doc = build(write(tmp_path, applications=None, capability=None, staff_survey=None, narrative=None))
    assert "wdes.2.relative_likelihood" not in doc.figures
    assert "wdes.3.relative_likelihood" not in doc.figures
    assert value(doc, "wdes.9a.difference") is None
    assert any("Metric 3 is not reported" in n for n in ctx.operator_notes)
    assert value(doc, "wdes.9b.answer") is None and doc.figures["wdes.9b.answer"].note == "not given"
    assert any("add a row for report wdes, metric 9b" in n for n in ctx.operator_notes)
    assert doc.table("wdes_9b").data[["answer", "text"]].values.tolist() == [["[x]", "[x]"]]
    assert value(doc, "wdes.1.disabled.count") == 31


def test_survey_problems_are_located_warnings(tmp_path: Path) -> None:
    bad = pd.concat([survey(), pd.DataFrame([("valued", "Disabled", 50, 60, None, None),
                                             ("presenteeism", "Disabled", 50, None, None, None)],
                                            columns=survey().columns)], ignore_index=True)
    ctx = ReportContext(report=REPORT, dataset=load_dataset(write(tmp_path, staff_survey=bad)),
                        options=REPORT.parse_options({}))
    problems = REPORT.check(ctx)
    assert [(p.column, p.severity) for p in problems] == [("positive", "warning"), ("positive", "warning")]
    assert problems[1].row == 13 and "more than respondents" in problems[1].message
    assert problems[0].row == 14 and problems[0].fix


def test_the_nhs_trust_sample_gives_a_wdes_return(tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = subprocess.run([sys.executable, "-m", "equality_reports", "run", "--all", "--data", str(SAMPLE), "--out",
                          str(out), "--audience", "internal", "--format", "json"],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout + res.stderr
    figures = json.loads((out / "wdes-internal.json").read_text(encoding="utf-8"))["figures"]
    assert figures["wdes.1.disabled.count"]["value"] == 205
    assert figures["wdes.3.relative_likelihood"]["value"] is not None
    assert figures["wdes.2.relative_likelihood"]["value"] is not None
    assert figures["wdes.9a.all.score"]["value"] is not None


def test_a_persons_disability_is_the_known_value_any_of_their_rows_gives() -> None:
    from equality_reports_wdes.metrics import with_staff_disability

    events = pd.DataFrame({
        "person_id": ["G1", "G1", "G2", "S1", "S1", "S2", "S2", None, None, "S3", "S4"],
        "disability": pd.Categorical([None, "disabled", "disabled", "disabled", "not_disabled", "disabled",
                                      "not_disabled", "disabled", None, "not_known", "not_disabled"]),
    })
    staff = pd.DataFrame({"person_id": ["S1", "S2", "S3", "S4"],
                          "disability": pd.Categorical(["not_disabled", None, "disabled", "disabled"])})
    out = with_staff_disability(events, staff)
    assert out["disability_group"].tolist() == [
        "disabled", "disabled",  # a blank row and a Yes row: disabled
        "disabled",  # a leaver not in staff: their own value
        "non_disabled", "non_disabled",  # Yes and No: the staff record
        "unknown", "unknown",  # Yes and No, staff not known: not known
        "disabled", "unknown",  # no person_id: the row stands for itself
        "disabled",  # not known on the row: the staff record
        "non_disabled",  # a known value on the row wins over the staff record
    ]
    assert out["disability_source"].tolist() == ["own", "own", "own", "staff", "staff", "unknown", "unknown", "own",
                                                 "unknown", "staff", "own"]
    assert out["disability_conflict"].tolist() == [False] * 3 + [True] * 4 + [False] * 4


def test_metric_3_counts_leavers_by_any_row_and_reports_conflicts(tmp_path: Path) -> None:
    extra = pd.DataFrame([
        ("Z2", "01/06/2025", "Performance", ""), ("Z2", "02/06/2025", "Performance", "Yes"),  # leaver: disabled
        ("CN003", "03/06/2025", "Performance", "Yes"), ("CN003", "04/06/2025", "Performance", "No"),  # staff: No
    ], columns=["person_id", "entry_date", "reason", "disability"])
    _, doc = build(write(tmp_path, capability=pd.concat([capability(), extra], ignore_index=True)))
    table = doc.table("wdes_3").data.set_index("group")
    assert table.loc["Disabled", ["base", "outcome"]].tolist() == [31, 6]  # 5 + Z2; the headcount stays 31
    assert table.loc["Non-disabled", ["base", "outcome"]].tolist() == [91, 4]  # 3 + CN003 (their staff record)
    assert table.loc["Not known", "outcome"] == 1
    quality = doc.table("data_quality").data.set_index("measure")["records"]
    assert quality["Capability records of people no longer in post"] == 3  # Z1 and Z2's two rows
    assert quality["Capability records that disagree on a person's disability"] == 2


def narrative(*rows: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"report": "wdes", "metric": "9b", "answer": [a for a, _ in rows], "text": [t for _, t in rows]})


def test_metric_9b_rows_that_disagree_are_an_error_naming_file_rows_and_column(tmp_path: Path) -> None:
    folder = write(tmp_path / "d", narrative=narrative(("Yes", "one"), ("No", "two"), ("No", "+cmd|calc")))
    ctx = ReportContext(report=REPORT, dataset=load_dataset(folder), options=REPORT.parse_options({}))
    [problem] = REPORT.check(ctx)
    assert problem.severity == "error" and problem.file == "narrative.csv" and problem.column == "answer"
    assert "rows 2, 3, 4" in problem.message and "row 2: Yes, row 3: No" in problem.message and problem.fix
    res = subprocess.run([sys.executable, "-m", "equality_reports", "run", "wdes", "--data", str(folder), "--out",
                          str(tmp_path / "out"), "--audience", "internal", "--format", "json"],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 2 and "narrative.csv, row 3, column 'answer'" in res.stdout + res.stderr


def test_metric_9b_repeated_rows_are_a_warning_and_texts_stay_inert(tmp_path: Path) -> None:
    hyperlink = '=HYPERLINK("http://example.invalid","click")'
    folder = write(tmp_path / "d", narrative=narrative(("Yes", hyperlink), ("Yes", "+cmd|calc"), ("Yes", "+cmd|calc")))
    ctx = ReportContext(report=REPORT, dataset=load_dataset(folder), options=REPORT.parse_options({}))
    [problem] = REPORT.check(ctx)
    assert (problem.severity, problem.row, problem.column) == ("warning", 3, "text")
    out = tmp_path / "out"
    res = subprocess.run([sys.executable, "-m", "equality_reports", "run", "wdes", "--data", str(folder), "--out",
                          str(out), "--audience", "internal", "--format", "csv,xlsx,json"],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "metric 9b has 3 rows" in res.stdout + res.stderr
    figures = json.loads((out / "wdes-internal.json").read_text(encoding="utf-8"))["figures"]
    assert figures["wdes.9b.text"]["value"] == f"{hyperlink}\n\n+cmd|calc"  # the identical row once
    csv = (out / "wdes-internal-csv" / "wdes_9b.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(" in csv and "'+cmd|calc" in csv  # a spreadsheet shows them as text
    import openpyxl

    cells = [c for ws in openpyxl.load_workbook(out / "wdes-internal.xlsx") for row in ws.iter_rows() for c in row
             if c.value in (hyperlink, "+cmd|calc")]
    assert len(cells) == 2 and all(c.data_type == "s" for c in cells)  # string cells, never formulas


def test_a_small_sample_names_its_own_staff_in_capability_cases(tmp_path: Path) -> None:
    """`equality-reports sample --kind nhs_trust --staff 300`: every capability case is of a member
    of the sample's staff (an independent tester found 24 cases of people not in staff.csv)."""
    from equality_reports.intake import generate_sample

    folder = generate_sample(tmp_path / "s", "nhs_trust", staff=300, seed=5)
    staff, cases = pd.read_csv(folder / "staff.csv"), pd.read_csv(folder / "capability.csv")
    assert len(cases) == 24 and cases["person_id"].isin(staff["person_id"]).all()


def test_metric_10_a_group_nobody_in_which_has_a_recorded_status_has_no_share(tmp_path: Path) -> None:
    """The non-executives' disability status is not recorded: 0% of them disabled would say
    nothing, so their share and difference are not calculable (the table shows [x])."""
    frame = staff()
    frame.loc[frame["person_id"].str.startswith(("NE", "NF")), "disability"] = "Not Declared"
    _, doc = build(write(tmp_path, staff=frame))
    assert value(doc, "wdes.10.non_executive.disabled.pct") is None
    assert value(doc, "wdes.10.non_executive.difference_pp") is None
    table = doc.table("wdes_10")
    assert table.display_value(table.row_position("Non-executive board members"), "disabled_pct") == "[x]"
    assert value(doc, "wdes.10.executive.disabled.pct") == 50.0


def test_the_summary_gives_each_relative_likelihoods_confidence_limits(built) -> None:
    """As the WRES and SC-WRES summaries do: metric 2's limits (0.57 to 3.97), [z] for a share."""
    from equality_reports.narrative import render_narrative
    from equality_reports.templating import TextRenderer

    _, doc = built
    render_narrative(doc, TextRenderer(report_dir=WdesReport.template_dir))  # the summary reads its figures
    summary = doc.table("wdes_summary")
    row = summary.row_position("2")
    assert [summary.display_value(row, k) for k in ("value", "ci_low", "ci_high")] == ["1.50", "0.57", "3.97"]
    assert summary.display_value(summary.row_position("1"), "ci_low") == "[z]"


def test_metric_9a_respondents_of_unknown_status_are_a_row_protected_as_a_small_count():
    """"Whole organisation 47" beside disabled 10 and non-disabled 35 gave 2 respondents of unknown
    status and their score from the means (an adversary's): they are a row of their own, withheld
    when few, with a cell protecting them; the whole's score goes with its count where that is it."""
    from datetime import date

    from equality_reports import Document
    from equality_reports.disclosure import apply_disclosure
    from equality_reports_wdes.metrics import Settings, engagement_metric

    survey = pd.DataFrame({"question": ["engagement"] * 3, "group": ["Disabled", "Non-disabled", "All"],
                           "respondents": [10, 35, 47], "positive": [None] * 3, "percentage": [None] * 3,
                           "score": [6.24, 7.17, 6.88]})
    doc = Document(report="wdes", title="WDES", organisation="T", period_start=date(2025, 4, 1),
                   period_end=date(2026, 3, 31))
    sec = doc.section("m9", "Metric 9")
    engagement_metric(doc, sec, survey, "wdes.9a", Settings())
    table = doc.table("wdes_9a")
    assert table.data["group"].tolist() == ["Disabled", "Non-disabled", "Not known", "Whole organisation"]
    assert table.data["respondents"].tolist() == [10, 35, 2, 47]
    apply_disclosure(doc)
    assert (2, "respondents") in table.suppressed
    hidden = {r for r, key in table.suppressed if key == "respondents"} - {2}
    assert hidden  # another count of the line protects it
    assert all((r, "score") in table.suppressed for r in hidden)
