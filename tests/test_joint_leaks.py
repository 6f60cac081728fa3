"""Issue 10 leak classes, end to end: publication runs read back by an independent attacker.

Each test writes a small dataset, runs ``equality-reports run`` (publication audience) and reads
the JSON it wrote. A :class:`helpers_reader.Reader` turns every published count and percentage into
constraints on the true numbers of people and works out, with its own integer programs, how narrowly
each withheld count can be pinned (no use of the engine's audit, atoms or unit codes). The rule
checked is the one the engine promises: every withheld count's range is at least the protection
(the threshold, 10) wide, and no small complement (1 to 9) can be worked out.

Each leak class found by an attacker has a test here that the engine must keep passing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from helpers_cli import run_cli
from helpers_reader import (
    MINORITY,
    UNKNOWN,
    WHITE,
    Reader,
    load,
    read_benchmark,
    read_crosstab,
    read_profile,
    read_rates,
    read_senior,
    read_staff_figures,
    read_stage,
    withheld_count_cells,
)

from equality_reports import disclosure
from equality_reports.classification import CATEGORIES

THRESHOLD = 10
REPORT = "rraa-employment"
LABEL = {c.id: c.label for c in CATEGORIES}
DETAILED = tuple(c.id for c in CATEGORIES)


# --- running a publication ------------------------------------------------------------------------

def write_dataset(folder: Path, staff: pd.DataFrame, **tables: pd.DataFrame) -> Path:
    """staff.csv (ethnicity as the detailed category's published label), other tables, dataset.toml."""
    folder.mkdir(parents=True, exist_ok=True)
    frame = staff.copy()
    frame["ethnicity"] = frame["ethnicity"].map(LABEL)
    frame.to_csv(folder / "staff.csv", index=False)
    for name, table in tables.items():
        table.to_csv(folder / f"{name}.csv", index=False)
    (folder / "dataset.toml").write_text(
        'organisation = "Testshire Council"\nsector = "local_government"\n'
        "period_start = 2025-04-01\nperiod_end = 2026-03-31\n", encoding="utf-8")
    return folder


def people(*groups: tuple[str, int, dict[str, Any]]) -> pd.DataFrame:
    """Staff from (detailed category id, how many, other columns) groups; person ids P0000..."""
    parts = []
    for category, n, extra in groups:
        parts.append(pd.DataFrame({"ethnicity": [category] * n, **{k: [v] * n for k, v in extra.items()}}))
    frame = pd.concat(parts, ignore_index=True)
    frame.insert(0, "person_id", [f"P{i:04d}" for i in range(len(frame))])
    return frame


def publish(tmp_path: Path, capsys: pytest.CaptureFixture[str], staff: pd.DataFrame, *extra: str,
            formats: str = "json", name: str = "run", **tables: pd.DataFrame) -> tuple[Path, Any]:
    data = write_dataset(tmp_path / f"{name}-data", staff, **tables)
    out = tmp_path / f"{name}-out"
    result = run_cli(["run", REPORT, "--data", data, "--out", out, "--format", formats, *extra], capsys)
    return out, result


def published(tmp_path: Path, capsys: pytest.CaptureFixture[str], staff: pd.DataFrame, *extra: str,
              **tables: pd.DataFrame) -> dict[str, Any]:
    out, result = publish(tmp_path, capsys, staff, *extra, **tables)
    assert result.code == 0, result.err
    return load(out / f"{REPORT}.json")


def staff_reader(payload: dict[str, Any], **dims: tuple[Any, ...]) -> Reader:
    """A reader of the three staff profile tables, for staff crossed with ``dims``."""
    reader = Reader({"ethnicity": DETAILED, **dims})
    for table in ("staff_binary", "staff_broad", "staff_detailed"):
        if table in payload["tables"]:  # a mostly withheld detailed table is left out
            read_profile(reader, payload, table)
    return reader


def assert_protected(reader: Reader, staff: pd.DataFrame, protection: int = THRESHOLD) -> None:
    exposed = reader.exposed(reader.truth(staff), protection)
    assert not exposed, "withheld counts a reader can narrow: " + "; ".join(map(str, exposed))


def assert_benchmark_protected(tmp_path: Path, capsys: pytest.CaptureFixture[str], staff: pd.DataFrame) -> None:
    """Publish ``staff`` with a census benchmark of 1,000 people in every declared category and
    check the staff profile and benchmark tables together."""
    bench = pd.DataFrame({"ethnicity": [c.label for c in CATEGORIES if c.group != "unknown"], "count": 1000})
    payload = published(tmp_path, capsys, staff, benchmark=bench)
    reader = staff_reader(payload)
    for table in ("benchmark_binary", "benchmark_broad", "benchmark_detailed"):
        if table in payload["tables"]:  # a mostly withheld detailed table is left out
            read_benchmark(reader, payload, table)
    assert_protected(reader, staff)


# --- (a) broad and detailed ethnic groups ---------------------------------------------------------

#: Other = 15 and "Other: any other" = 13 would give Arab = 2; Black African (12) is the smallest
#: count the detailed table can withhold beside Arab, so per-table protection alone leaves "any
#: other" published and the joint pass has to step in.
BROAD_DETAILED = (("white_british", 40, {}), ("other_any", 13, {}), ("other_arab", 2, {}),
                  ("black_african", 12, {}))


def xlsx_rows(path: Path, title: str) -> list[tuple[Any, ...]]:
    """The body of the worksheet holding the table titled ``title`` (header row and below)."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    for sheet in book.worksheets:
        values = list(sheet.iter_rows(values_only=True))
        if values and values[0][0] == title:
            start = next(i for i, r in enumerate(values) if i > 0 and all(v is not None for v in r[:2]))
            return [r for r in values[start + 1:] if r[0] is not None]
    raise AssertionError(f"no worksheet for {title!r}")


def test_broad_and_detailed_groups_do_not_give_away_a_small_category(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    staff = people(*BROAD_DETAILED)
    out, result = publish(tmp_path, capsys, staff, formats="json,xlsx")
    assert result.code == 0, result.err
    payload = load(out / f"{REPORT}.json")
    if "staff_detailed" in payload["tables"]:  # else left out for being mostly withheld
        assert ("Other ethnic group: Arab", "count") in withheld_count_cells(payload, "staff_detailed")
    # the spreadsheet shows what the JSON says, [c] for [c] and number for number
    for table_id in ("staff_binary", "staff_broad", "staff_detailed"):
        if table_id not in payload["tables"]:
            continue
        table = payload["tables"][table_id]
        sheet = xlsx_rows(out / f"{REPORT}.xlsx", table["title"])
        assert [tuple(r[:len(table["columns"])]) for r in sheet] == [tuple(r) for r in table["rows"]], table_id
    reader = staff_reader(payload)
    read_staff_figures(reader, payload)
    assert_protected(reader, staff)
    arab = reader.range_of(reader.pop(ethnicity={"other_arab"}), reader.truth(staff))
    assert arab[0] <= 2 <= arab[1] and arab[1] - arab[0] >= THRESHOLD


def test_broad_and_detailed_groups_with_a_benchmark_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    staff = people(*BROAD_DETAILED)
    assert_benchmark_protected(tmp_path, capsys, staff)


# --- (b) a small complement -----------------------------------------------------------------------

PROMOTION = ("none", "applied", "promoted")  # staff who did not apply / applied, not promoted / promoted


def promotion_case() -> tuple[pd.DataFrame, pd.DataFrame]:
    """55 staff; 12 White staff applied for promotion and 11 were promoted (the 1 was not)."""
    staff = people(("white_british", 11, {"promo": "promoted"}), ("white_british", 1, {"promo": "applied"}),
                   ("white_british", 28, {"promo": "none"}), ("black_african", 15, {"promo": "none"}))
    applied = staff[staff["promo"] != "none"]
    promotions = pd.DataFrame({"person_id": applied["person_id"],
                               "promoted": np.where(applied["promo"] == "promoted", "Y", "N"),
                               "application_date": "2025-06-01"})
    return staff, promotions


def promotion_reader(payload: dict[str, Any]) -> Reader:
    reader = staff_reader(payload, promo=PROMOTION)
    read_stage(reader, payload, "promotions",
               {"applied": {"promo": {"applied", "promoted"}}, "promoted": {"promo": "promoted"}},
               {"success_rate": ("promoted", "applied")})
    return reader


def test_a_small_complement_is_not_published(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """12 applied and 11 promoted: the count tables must not let a reader work out the 1."""
    staff, promotions = promotion_case()
    payload = published(tmp_path, capsys, staff, promotions=promotions)
    reader = promotion_reader(payload)
    assert_protected(reader, staff)
    x = reader.truth(staff)
    low, high = reader.range_of(reader.pop(promo="applied"), x)  # applied and not promoted: truly 1
    assert high - low >= THRESHOLD, (low, high)


@pytest.mark.parametrize("case", ["broad and detailed", "small complement"])
def test_the_reader_finds_these_leaks_without_the_joint_pass(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    """The two checks above have teeth: with the joint pass switched off (each table protected on
    its own), the same reader pins Arab at 2 and the one applicant not promoted at 1."""
    import equality_reports.joint as joint

    monkeypatch.setattr(joint, "protect", lambda documents, threshold, protection=None, **_: joint.JointOutcome(
        joint.AuditResult(protection or threshold, threshold)))
    if case == "broad and detailed":
        staff = people(*BROAD_DETAILED)
        reader = staff_reader(published(tmp_path, capsys, staff))
        target = reader.pop(ethnicity={"other_arab"})
        expected = (2, 2)
    else:
        staff, promotions = promotion_case()
        reader = promotion_reader(published(tmp_path, capsys, staff, promotions=promotions))
        target = reader.pop(promo="applied")
        expected = (1, 1)
    assert reader.range_of(target, reader.truth(staff)) == expected


def test_a_small_complement_is_not_published_by_the_comparison_rates(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    staff, promotions = promotion_case()
    payload = published(tmp_path, capsys, staff, promotions=promotions)
    reader = promotion_reader(payload)
    read_rates(reader, payload, {"Applied for promotion": ({"promo": {"applied", "promoted"}}, {}),
                                 "Promoted": ({"promo": "promoted"}, {"promo": {"applied", "promoted"}})})
    x = reader.truth(staff)
    low, high = reader.range_of(reader.pop(promo="applied"), x)
    assert high - low >= THRESHOLD, f"applied and not promoted (truly 1) pinned to {low:g}..{high:g}"



def test_the_rates_of_a_table_left_out_do_not_publish_its_small_complement(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """When the promotions table is left out (the run built again without it), the comparison
    rates no longer follow its withheld cells: the audit must see the counts the rates give away
    (30.0% of 40 White staff applied: 12; 91.7% of them promoted: 11) and withhold enough."""
    import equality_reports.disclosure as disclosure

    real = disclosure.mostly_withheld

    def also_promotions(document: Any, any_table: bool = True) -> set[str]:
        ids = {t.id for t in document.tables()}
        return real(document, any_table) | ({"promotions"} if any_table and "promotions" in ids else set())

    monkeypatch.setattr(disclosure, "mostly_withheld", also_promotions)
    staff, promotions = promotion_case()
    payload = published(tmp_path, capsys, staff, promotions=promotions)
    assert "promotions" not in payload["tables"]
    # a rate restating a cell of the table left out: nothing relates it to the people any more
    assert payload["figures"]["rraa-employment.promotions.white.success_rate"]["value"] is None
    reader = promotion_reader(payload)
    read_rates(reader, payload, {"Applied for promotion": ({"promo": {"applied", "promoted"}}, {}),
                                 "Promoted": ({"promo": "promoted"}, {"promo": {"applied", "promoted"}})})
    low, high = reader.range_of(reader.pop(promo="applied"), reader.truth(staff))
    assert high - low >= THRESHOLD, f"applied and not promoted (truly 1) pinned to {low:g}..{high:g}"


# --- (c) zeros around one hidden cell -------------------------------------------------------------

def grade_case() -> pd.DataFrame:
    """G9 holds one person (White); the rest of the G9 row is 0."""
    return people(("white_british", 15, {"grade": "G1"}), ("white_british", 14, {"grade": "G2"}),
                  ("white_british", 1, {"grade": "G9"}), ("black_african", 10, {"grade": "G1"}),
                  ("black_african", 10, {"grade": "G2"}))


def test_zeros_around_one_hidden_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    staff = grade_case()
    payload = published(tmp_path, capsys, staff, "--option", "senior_grades=G9")
    hidden = withheld_count_cells(payload, "staff_by_grade")
    assert ("G9", "white") in hidden and ("G9", "total") in hidden
    # the zeros around it are withheld too: shown, they would say everyone in G9 is White
    assert ("G9", "minority_ethnic") in hidden and ("G9", "unknown") in hidden
    reader = staff_reader(payload, grade=("G1", "G2", "G9"))
    read_crosstab(reader, payload, "staff_by_grade", "grade",
                  {"G1": {"G1"}, "G2": {"G2"}, "G9": {"G9"}, "All staff": {"G1", "G2", "G9"}})
    read_senior(reader, payload, {"grade": "G9"})
    read_rates(reader, payload, {"In a senior post": ({"grade": "G9"}, {})})
    read_staff_figures(reader, payload, senior={"grade": "G9"})
    assert payload["figures"][f"{REPORT}.senior.total"]["suppressed"] is True
    assert_protected(reader, staff)
    low, high = reader.range_of(reader.pop(grade="G9"), reader.truth(staff))
    assert high - low >= THRESHOLD, (low, high)
    # nor can G9's withheld minority zero be worked out (the joint pass showed the G1 or G2 minority
    # count protecting it, as worked out, before: 20 - 10 - 10 = 0, so G9 was all White). Its not
    # known count is 0 all the same: nobody's ethnic group is unknown, which the run publishes
    assert reader.range_of(reader.pop(grade="G9", ethnicity=MINORITY), reader.truth(staff))[1] >= 1


# --- "% of staff who declared" and other totals no cell publishes --------------------------------

def test_declared_percentages_do_not_give_away_the_not_stated(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """40 White, 12 Black African, 3 not stated: "% of staff who declared" beside the White count
    (40 / 52 = 76.9%), or the JSON figure's denominator 52, would give the not stated (55 - 52 = 3)
    and the minority (12). The percentages over those who declared must be withheld with them."""
    staff = people(("white_british", 40, {}), ("black_african", 12, {}), ("not_stated", 3, {}))
    payload = published(tmp_path, capsys, staff)
    assert ("Not stated or not known", "count") in withheld_count_cells(payload, "staff_binary")
    reader = staff_reader(payload)
    read_staff_figures(reader, payload)
    assert_protected(reader, staff)


def senior_case() -> pd.DataFrame:
    """30 White staff (28 senior), 10 Black African staff (3 senior), nobody not stated."""
    return people(("white_british", 28, {"senior_manager": "Y"}), ("white_british", 2, {"senior_manager": "N"}),
                  ("black_african", 3, {"senior_manager": "Y"}), ("black_african", 7, {"senior_manager": "N"}))


#: The senior total (31) is no table's cell: it is published as a figure that declares its units,
#: so the audit relates it to White and minority senior (28 and 3, withheld together); without it,
#: White + minority = 31 with both published bounds pins the minority count to 1..10.
def test_the_senior_total_does_not_narrow_a_withheld_senior_count(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    staff = senior_case()
    payload = published(tmp_path, capsys, staff)
    senior = {"senior_manager": "Y"}
    reader = staff_reader(payload, senior_manager=("Y", "N"))
    read_senior(reader, payload, senior)
    read_rates(reader, payload, {"In a senior post": (senior, {})})
    read_staff_figures(reader, payload, senior=senior)
    assert_protected(reader, staff)


def test_the_benchmark_does_not_give_away_the_not_stated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    staff = people(("white_british", 40, {}), ("black_african", 12, {}), ("not_stated", 3, {}))
    assert_benchmark_protected(tmp_path, capsys, staff)


#: promotions (20 White, 3 minority, 12 not stated applicants; 35 in all) withholds the minority 3 and
#: the not stated 12; the data-quality figure "Promotions records without a known ethnic group" (12)
#: declares its units, so the audit sees that it restates the withheld cell.
def test_data_quality_figures_do_not_restate_a_withheld_count(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    staff = people(("white_british", 20, {"promo": "applied"}), ("white_british", 10, {"promo": "none"}),
                   ("black_african", 3, {"promo": "applied"}), ("black_african", 17, {"promo": "none"}),
                   ("not_stated", 12, {"promo": "applied"}), ("not_stated", 3, {"promo": "none"}))
    applied = staff[staff["promo"] == "applied"]
    promotions = pd.DataFrame({"person_id": applied["person_id"], "promoted": "N", "application_date": "2025-06-01"})
    payload = published(tmp_path, capsys, staff, promotions=promotions)
    assert ("Ethnic minority", "applied") in withheld_count_cells(payload, "promotions")
    reader = staff_reader(payload, promo=("none", "applied"))
    read_stage(reader, payload, "promotions", {"applied": {"promo": "applied"}, "promoted": {"promo": ()}},
               {"success_rate": ("promoted", "applied")})
    quality = payload["figures"][f"{REPORT}.data_quality.promotions.unknown_ethnicity"]
    if not quality["suppressed"]:  # one promotions record per applicant here
        reader.count(reader.pop(ethnicity=UNKNOWN, promo="applied"), quality["value"], "data quality")
    assert_protected(reader, staff)


#: 30 White staff appraised, 12 benefited, 12 neither and 0 detriment would publish the 6 with no
#: recorded outcome as 30 - 12 - 12 - 0: the audit's remainder rule withholds a part, so a reader
#: can bound the 6 (by the published cells) but not pin it.
def test_appraisal_outcomes_do_not_publish_a_small_remainder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    staff = people(("white_british", 12, {"appraisal": "benefit"}), ("white_british", 12, {"appraisal": "neutral"}),
                   ("white_british", 6, {"appraisal": "unrecorded"}), ("white_british", 10, {"appraisal": "none"}),
                   ("black_african", 10, {"appraisal": "benefit"}), ("black_african", 10, {"appraisal": "neutral"}),
                   ("black_african", 10, {"appraisal": "none"}))
    appraised = staff[staff["appraisal"] != "none"]
    appraisals = pd.DataFrame({"person_id": appraised["person_id"],
                               "outcome": appraised["appraisal"].replace("unrecorded", ""),
                               "appraisal_date": "2025-06-01"})
    payload = published(tmp_path, capsys, staff, appraisals=appraisals)
    reader = staff_reader(payload, appraisal=("none", "benefit", "neutral", "detriment", "unrecorded"))
    read_stage(reader, payload, "appraisals",
               {"appraised": {"appraisal": {"benefit", "neutral", "detriment", "unrecorded"}},
                "benefit": {"appraisal": "benefit"}, "neutral": {"appraisal": "neutral"},
                "detriment": {"appraisal": "detriment"}},
               {"benefit_rate": ("benefit", "appraised"), "detriment_rate": ("detriment", "appraised")})
    assert_protected(reader, staff)
    x = reader.truth(staff)
    remainder = reader.pop(ethnicity=WHITE, appraisal="unrecorded")
    assert int(remainder @ x) == 6
    low, high = reader.range_of(remainder, x)
    assert high > low, f"White staff appraised with no recorded outcome (truly 6): pinned to {low:g}"


# --- (d) run.json of a publication ----------------------------------------------------------------

#: keys that would carry counts a publication does not show: rows read per input, withheld cells
#: by reason, figures withheld, warnings (they quote counts)
FORBIDDEN = {"rows", "primary", "secondary", "derived", "joint", "unprotected", "suppressed_figures", "warnings",
             "cells_withheld_across_tables", "cells_shown_as_worked_out"}


def keys_anywhere(value: Any, path: str = "") -> list[tuple[str, str]]:
    out = []
    if isinstance(value, dict):
        for k, v in value.items():
            out.append((path, k))
            out += keys_anywhere(v, f"{path}/{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += keys_anywhere(v, f"{path}[{i}]")
    return out


def test_publication_run_json_has_no_row_or_withheld_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    staff, promotions = promotion_case()
    out, result = publish(tmp_path, capsys, staff, promotions=promotions)
    assert result.code == 0, result.err
    record = json.loads((out / "run.json").read_text())
    assert record["audience"] == "publication"
    found = [(p, k) for p, k in keys_anywhere(record) if k in FORBIDDEN and p != ""]
    assert not found, f"run.json holds diagnostics a publication must not: {found}"
    assert all(set(i) == {"path", "table", "sha256"} for i in record["inputs"])
    assert isinstance(record["warnings"], str)  # only how many, and where they are kept
    payload = load(out / f"{REPORT}.json")
    (entry,) = [r for r in record["reports"] if r["name"] == REPORT]
    assert set(entry["disclosure"]) <= {"threshold", "tables", "left_out"}
    for table_id, summary in entry["disclosure"]["tables"].items():
        assert set(summary) <= {"withheld_cells", "withheld_pct"}, table_id
        if table_id not in payload["tables"]:  # left out for being mostly withheld
            continue
        shown = sum(v == "[c]" for r in payload["tables"][table_id]["rows"] for v in r)
        assert summary["withheld_cells"] == shown, table_id  # nothing a reader cannot count from the [c] marks
    audit = record["disclosure_audit"]
    assert audit["passed"] is True
    assert not any(isinstance(v, dict) for v in audit.values())
    # the diagnostics went to the internal log, outside the publication files
    diagnostics = json.loads((out / ".equality-reports" / "diagnostics-internal.json").read_text())
    assert diagnostics["not_for_publication"] is True
    assert {i["table"]: i["rows"] for i in diagnostics["inputs"]} == {"staff": 55, "promotions": 12}


def test_internal_run_json_keeps_the_row_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The check above is not vacuous: an internal run's record does carry per-input rows."""
    staff, promotions = promotion_case()
    out, result = publish(tmp_path, capsys, staff, "--audience", "internal", promotions=promotions)
    assert result.code == 0, result.err
    record = json.loads((out / "run.json").read_text())
    assert {i["table"]: i["rows"] for i in record["inputs"]} == {"staff": 55, "promotions": 12}


def test_run_json_depends_only_on_what_is_published(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records, payloads = [], []
    # 3 or 2 Black African staff beside 40 White British: the small count and the total withheld
    for name, white, minority in (("a", 40, 3), ("b", 40, 2)):
        staff = people(("white_british", white, {}), ("black_african", minority, {}))
        out, result = publish(tmp_path, capsys, staff, name=name)
        assert result.code == 0, result.err
        payload = load(out / f"{REPORT}.json")
        payloads.append(payload)
        records.append(json.loads((out / "run.json").read_text()))
    # precondition: the two publications are identical, number for number
    assert payloads[0] == payloads[1]
    assert records[0]["disclosure_audit"] == records[1]["disclosure_audit"]


# --- (e) a report still exposed after the joint pass is refused ----------------------------------

def test_a_report_still_exposed_after_the_joint_pass_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail closed. Withholding every cell linked to an exposed one always protects it, so the joint
    pass only gives up when it runs out of rounds (80). Here it gets one round, and 12 applied
    beside 11 promoted needs two (the audit after the first choice): rraa-employment must not be
    written, the run exits 1 naming the table, row and column, and the other report (no units,
    nothing exposed) is still written."""
    import equality_reports.joint as joint

    real = joint.protect
    monkeypatch.setattr(joint, "protect", lambda *a, **k: real(*a, **{**k, "max_rounds": 1}))
    fixtures = Path(__file__).parent / "fixtures" / "plugins_ok"
    staff, promotions = promotion_case()
    out, result = publish(tmp_path, capsys, staff, "--plugins-dir", fixtures, "local-headcount",
                          promotions=promotions)
    assert result.code == 1
    assert f"{REPORT}: FAILED: disclosure audit" in result.err
    assert f"{REPORT} table 'promotions', row White, column 'Promoted (staff)'" in result.err
    written = sorted(p.name for p in out.iterdir())
    assert not [n for n in written if n.startswith(REPORT)], written
    assert "local-headcount.json" in written
    record = json.loads((out / "run.json").read_text())
    (entry,) = [r for r in record["reports"] if r["name"] == REPORT]
    assert entry["status"] == "failed" and entry["files"] == []
    assert "differ by fewer than 10" in entry["error"]
    assert record["disclosure_audit"]["passed"] is False


INCONSISTENT_PLUGIN = """
import numpy as np
import pandas as pd

from equality_reports.document import Column, Table
from equality_reports.hookspecs import hookimpl
from equality_reports.measures.units import unit_codes
from equality_reports.reports import Report


class MiscountedReport(Report):
    name = "local-miscounted"
    title = "Local miscounted"
    description = "A count that is not the number of units it declares (test plugin)."
    required_tables = ("staff",)

    def build(self, ctx):
        staff = ctx.dataset.table("staff")
        codes = np.unique(unit_codes(staff))
        data = pd.DataFrame({"row": ["All staff", "Some staff"], "count": [len(codes), 3]})
        table = Table("miscounted", "Staff", [Column("row", "Row"), Column("count", "Staff", "count")], data,
                      rows_additive=False, units={(0, "count"): codes, (1, "count"): codes[:5]})
        doc = ctx.new_document()
        doc.section("staff", "Staff").add(table)
        return doc


@hookimpl
def register_reports(register):
    register(MiscountedReport())
"""


def test_a_count_that_does_not_match_its_units_stops_the_run_before_writing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Fail closed on a plugin bug: a count of 3 declaring 5 people cannot be audited, so nothing
    of that report is written and the run exits 1 saying which cell."""
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "miscounted_plugin.py").write_text(INCONSISTENT_PLUGIN, encoding="utf-8")
    staff = people(("white_british", 40, {}), ("black_african", 12, {}))
    out, result = publish(tmp_path, capsys, staff, "--plugins-dir", plugins, "local-miscounted")
    assert result.code == 1
    assert "is not the number of units it declares" in result.err
    assert not list(out.glob("local-miscounted*"))


def test_publication_figures_carry_no_numerator_or_denominator(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A figure's denominator can be a total no table shows (the senior total withheld elsewhere
    gave itself away as the denominator of a published 0%): a publication gives neither."""
    staff = senior_case()
    payload = published(tmp_path, capsys, staff)
    leaked = {fid: (f["numerator"], f["denominator"]) for fid, f in payload["figures"].items()
              if f["numerator"] is not None or f["denominator"] is not None}
    assert not leaked


def test_a_share_of_an_unshown_total_does_not_give_the_total_away(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A page-by-page reviewer found it: the senior staff table showed White senior staff (31)
    and their share of senior staff (86.1%), so senior staff were 36 and the minority and unknown
    senior staff, withheld, 5 together. Each percentage declares whom it divides, so the audit
    sees the total it gives away."""
    samples = Path(__file__).resolve().parents[1] / "sample_data"
    out = tmp_path / "out"
    assert run_cli(["run", "--all", "--data", samples / "social_care", "--out", out, "--format", "json"],
                   capsys).code == 0
    payload = json.loads((out / "rraa-employment.json").read_text(encoding="utf-8"))
    figures = {fid.split(".", 1)[1]: fig["value"] for fid, fig in payload["figures"].items()}
    if isinstance(figures["senior.total"], int) and isinstance(figures["senior.white.pct"], float):
        # an adversary found it once the table was left out: 86.1% of 36 is 31, so 5 others
        white = round(figures["senior.white.pct"] / 100 * figures["senior.total"])
        assert figures["senior.total"] - white == 0 or figures["senior.total"] - white >= 10
    if "senior_binary" not in payload["tables"]:  # left out, all its senior counts withheld: nothing to work out
        (entry,) = [r for r in json.loads((out / "run.json").read_text())["reports"] if r["name"] == REPORT]
        assert "Senior staff and all staff by ethnic group" in entry["disclosure"]["left_out"]
        return
    rows = payload["tables"]["senior_binary"]["rows"]
    for _group, _staff, _pct, senior, senior_pct in rows:
        if isinstance(senior, int) and isinstance(senior_pct, float) and senior_pct:
            total = round(senior / (senior_pct / 100))
            assert total - senior == 0 or total - senior >= 10, (senior, senior_pct)


def test_the_pay_quarters_do_not_give_away_how_many_of_a_group_were_on_leave(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A page-by-page reviewer's run found it: the social care sample's ethnic minority counts in
    the four pay quarters (49 + 43 + 35 + 35) beside its ethnic minority staff in post in the race
    monitoring report (170) gave away the 8 on leave. The quarters' sums are a row of their own,
    which the audit sees. (Mostly withheld tables are kept in, so the quarters stay published
    however few of their cells are shown: the check below has teeth.)"""
    monkeypatch.setattr(disclosure, "mostly_withheld", lambda _doc, any_table=True: set())
    monkeypatch.setattr(disclosure, "leave_out_mostly_withheld", lambda _doc, also=frozenset(), zeros=True: [])
    samples = Path(__file__).resolve().parents[1] / "sample_data"
    out = tmp_path / "out"
    assert run_cli(["run", "--all", "--data", samples / "social_care", "--out", out,
                    "--format", "json"], capsys).code == 0
    staff = {row[0]: row[1] for row in load(out / "rraa-employment.json")["tables"]["staff_binary"]["rows"]}
    epg = load(out / "ethnicity-pay-gap.json")["tables"]
    assert "epg_quarters_binary" in epg  # the table the leak was in is published: the check below has teeth
    quarters = epg["epg_quarters_binary"]
    keys = [c["key"] for c in quarters["columns"]]
    for group, key in (("White", "white"), ("Ethnic minority", "minority_ethnic"),
                       ("Not stated or not known", "unknown")):
        rows = {row[0]: row[keys.index(key)] for row in quarters["rows"]}
        total = rows.pop("All full-pay relevant employees", None)
        known = total if isinstance(total, int) else \
            sum(rows.values()) if all(isinstance(c, int) for c in rows.values()) else None
        if known is not None:
            assert staff[group] - known == 0 or staff[group] - known >= THRESHOLD, (group, staff[group], known)


def _run_staff(tmp_path: Path, capsys: pytest.CaptureFixture[str], rows: list[dict[str, Any]]) -> Path:
    """Run every report on a staff table of ``rows`` (person ids added) in JSON; the output folder."""
    data = tmp_path / "d"
    data.mkdir()
    frame = pd.DataFrame(rows)
    frame.insert(0, "person_id", [f"E{i:05d}" for i in range(len(frame))])
    frame.to_csv(data / "staff.csv", index=False)
    (data / "dataset.toml").write_text('organisation = "Test body"\nsector = "other"\n'
                                       "period_start = 2025-04-01\nperiod_end = 2026-03-31\n")
    out = tmp_path / "out"
    assert run_cli(["run", "--all", "--data", data, "--out", out, "--format", "json"], capsys).code == 0
    return out


def test_the_white_and_ethnic_minority_means_beside_the_gender_pay_gap_do_not_weigh_out_those_on_leave(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An adversary's attack on a first version of showing pay without its full-pay count: with
    everyone a man or a woman and every ethnic group recorded, the gender pay gap gives the pay of
    all full-pay employees (men's and women's means and counts), and the White and ethnic minority
    means split them between the two groups: 297 White on full pay beside 300 White staff in post
    gave away the 3 on leave. Those counts are audited as given away while both means are shown."""
    rng = np.random.default_rng(1)
    rows = []
    for ethnicity, n, leave, mean in (("White British", 300, 3, 26), ("Asian or Asian British: Indian", 200, 12, 19)):
        rows += [{"ethnicity": ethnicity, "sex": "Male" if rng.random() < 0.4 else "Female",
                  "grade": f"Grade {rng.integers(3, 10)}", "directly_employed": "Y",
                  "hourly_pay": round(max(10.5, rng.normal(mean, 5)), 2),
                  "full_pay_relevant": "N" if k < leave else "Y"} for k in range(n)]
    out = _run_staff(tmp_path, capsys, rows)
    epg = load(out / "ethnicity-pay-gap.json")["tables"]
    means = {row[0]: row[1] for row in epg["epg_hourly_binary"]["rows"]} if "epg_hourly_binary" in epg else {}
    gpg = {row[0]: row[1:3] for row in load(out / "gender-pay-gap.json")["tables"]["pay_gaps"]["rows"]}
    staff = {row[0]: row[1] for row in load(out / "rraa-employment.json")["tables"]["staff_binary"]["rows"]}
    weighed = all(isinstance(v, float) for v in (means.get("White"), means.get("Ethnic minority"),
                                                   *gpg["Mean hourly pay"]))
    assert not weighed or not isinstance(staff["White"], int), (means, gpg["Mean hourly pay"], staff)
    assert staff["White"] == 300  # the count the attack needed is published: the check above has teeth


def test_the_gender_pay_gaps_bonus_shares_do_not_give_away_how_many_with_no_recorded_group_were_paid(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A second adversary's attack: the gender pay gap's shares of men and women paid a bonus, their
    full-pay numbers (each band's size by its share of men, to one decimal place) and the relevant
    employees allow only whole numbers paid adding up to 48; the ethnicity pay gap's White (30) and
    ethnic minority (15) numbers paid then left the 3 of the 20 with no recorded group. The shares
    and the bands' men and women are declared to the audit now, and so is that number."""
    rng = np.random.default_rng(3)
    rows = []
    for ethnicity, n, leave, paid in (("White British", 300, 12, 30), ("Asian or Asian British: Indian", 150, 10, 15),
                                      ("Prefer not to say", 20, 0, 3)):
        rows += [{"ethnicity": ethnicity, "sex": "Male" if rng.random() < 0.4 else "Female",
                  "grade": f"Grade {rng.integers(3, 10)}", "directly_employed": "Y",
                  "hourly_pay": round(max(10.5, rng.normal(24, 5)), 2),
                  "full_pay_relevant": "N" if k < leave else "Y",
                  "bonus_pay": 250.0 if k >= n - paid else 0.0} for k in range(n)]
    out = _run_staff(tmp_path, capsys, rows)
    gpg = load(out / "gender-pay-gap.json")
    figures = {k.split(".", 1)[1]: v["value"] for k, v in gpg["figures"].items()}
    epg = load(out / "ethnicity-pay-gap.json")["tables"]
    paid = {row[0]: row[1] for row in epg["epg_bonus_binary"]["rows"]} if "epg_bonus_binary" in epg else {}
    bands = gpg["tables"]["quartiles"]["rows"]
    known = [figures["bonus.men.pct"], figures["bonus.women.pct"], figures["employees.count"],
             paid.get("White"), paid.get("Ethnic minority"), *(r[1] for r in bands), *(r[2] for r in bands)]
    if all(isinstance(v, (int, float)) for v in known):  # the attack, as the adversary ran it
        men = sum(round(r[1] * r[2] / 100) for r in bands)
        women = sum(r[1] for r in bands) - men
        relevant = figures["employees.count"]
        totals = set()
        for m in range(men, relevant - women + 1):
            w = relevant - m
            for bm in (k for k in range(m + 1) if abs(k / m * 100 - figures["bonus.men.pct"]) <= 0.05 + 1e-9):
                totals |= {bm + bw for bw in range(w + 1)
                           if abs(bw / w * 100 - figures["bonus.women.pct"]) <= 0.05 + 1e-9}
        left = {t - paid["White"] - paid["Ethnic minority"] for t in totals}
        assert max(left) - min(left) + 1 >= THRESHOLD, sorted(left)  # was {3}
    assert isinstance(paid.get("White"), int)  # what the attack needs from the ethnicity pay gap is shown


@pytest.mark.parametrize("totals", ["", "sums", "White weighted"],
                         ids=["services only", "with whole-workforce rows", "White whole rows below the sums"])
def test_a_survey_given_by_service_does_not_give_a_service_away_through_the_whole(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], totals: str) -> None:
    """Found by an adversary: with the staff survey given by service and no whole-workforce rows,
    the SC-WRES adds the services' rows up for the whole workforce; 19 ethnic minority staff
    answering yes in all, less the children's services' 15, gave the adults' withheld 4. Survey
    counts declare the survey rows they add up (`tallied_units`), so the audit sees the sum; given
    whole-workforce rows holding those sums, the whole is the services' rows plus the rest, group
    by group (a third adversary: a weighted White row below its sums left the ethnic minority row,
    an exact sum, audited on its own)."""
    data = tmp_path / "data"
    shutil.copytree(Path(__file__).parent.parent / "sample_data" / "social_care", data)
    given = {"harassment_public": [(180, 50), (25, 4), (145, 39), (45, 15)],
             "harassment_colleague": [(180, 40), (25, 12), (145, 28), (45, 5)],
             "harassment_manager": [(180, 16), (25, 0), (145, 14), (45, 15)]}
    lines = [f"{q},{g},{svc},{n},{yes}" for q, rows in given.items()
             for (g, svc), (n, yes) in zip([("White", "adults"), ("BME", "adults"), ("White", "childrens"),
                                            ("BME", "childrens")], rows)]
    if totals:
        below = 20 if totals == "White weighted" else 0
        lines += [f"{q},{g},all,{a[0] + c[0] - (below if g == 'White' else 0)},"
                  f"{a[1] + c[1] - (below // 4 if g == 'White' else 0)}" for q, rows in given.items()
                  for g, a, c in (("White", rows[0], rows[2]), ("BME", rows[1], rows[3]))]
    (data / "staff_survey.csv").write_text("question,group,service,respondents,positive\n" + "\n".join(lines) + "\n",
                                           encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli(["run", "sc-wres", "--data", data, "--out", out, "--format", "json"], capsys).code == 0
    tables = json.loads((out / "sc-wres.json").read_text(encoding="utf-8"))["tables"]

    def yes(table: str) -> Any:
        return next(r for r in tables[table]["rows"] if r[0] == "Minority ethnic")[2]

    for metric, small in (("6", "adults"), ("7a", "childrens")):
        other = "childrens" if small == "adults" else "adults"
        assert yes(f"sc_wres_{small}_{metric}") == "[c]"
        # the whole less the other service must not give the small one: one more of them withheld
        assert "[c]" in (yes(f"sc_wres_{metric}"), yes(f"sc_wres_{other}_{metric}")), metric
    assert isinstance(yes("sc_wres_6"), int)  # the whole workforce's headline stays shown
