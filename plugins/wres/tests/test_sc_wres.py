"""Social Care WRES: every ratio minority ethnic over White, whole workforce and per service."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from helpers_cli import run_cli
from helpers_wres import classified, context, people

from equality_reports.dataset import Dataset
from equality_reports.disclosure import apply_disclosure
from equality_reports_wres.social_care import ScWresReport

REPORT = ScWresReport()


def sc_dataset() -> Dataset:
    """Directly employed: White 70, minority 35, unknown 5 (110); 4 agency staff left out."""
    base = dict(directly_employed=True, regulated_professional=False, senior_manager=False)
    staff = pd.concat([
        people(20, "white", 0, service="adults", grade="Grade 3", **{**base, "regulated_professional": True}),
        people(20, "white", 20, service="adults", grade="Grade 3", **base),
        people(10, "minority_ethnic", 100, service="adults", grade="Grade 3",
               **{**base, "regulated_professional": True}),
        people(10, "minority_ethnic", 110, service="adults", grade="Grade 3", **base),
        people(5, "unknown", 150, service="adults", grade="Grade 3", **base),
        people(8, "white", 200, service="childrens", grade="Grade 10",
               **{**base, "regulated_professional": True, "senior_manager": True}),
        people(2, "white", 208, service="childrens", grade="Grade 10",
               **{**base, "regulated_professional": True}),
        people(20, "white", 210, service="childrens", grade="Grade 10", **base),
        people(2, "minority_ethnic", 300, service="childrens", grade="Grade 2",
               **{**base, "regulated_professional": True, "senior_manager": True}),
        people(8, "minority_ethnic", 302, service="childrens", grade="Grade 2",
               **{**base, "regulated_professional": True}),
        people(5, "minority_ethnic", 310, service="childrens", grade="Grade 2", **base),
        people(4, "white", 900, service="adults", grade="Grade 3", directly_employed=False,
               regulated_professional=False, senior_manager=False),
    ], ignore_index=True)
    ftp = classified(pd.DataFrame({"person_id": ["P00100", "P00101", "P00300", "P00000"],
                                   "referral_date": pd.to_datetime(["2025-06-01"] * 4)}), staff)
    apps = pd.concat([
        people(32, "white", 1000, service="adults", shortlisted=True, appointed=False),
        people(8, "white", 1032, service="adults", shortlisted=True, appointed=True),
        people(36, "minority_ethnic", 1100, service="adults", shortlisted=True, appointed=False),
        people(4, "minority_ethnic", 1136, service="adults", shortlisted=True, appointed=True),
    ], ignore_index=True).rename(columns={"person_id": "application_id"})
    leavers = pd.concat([
        people(14, "white", 5000, service="adults", leave_date=pd.Timestamp("2025-09-30")),
        people(7, "minority_ethnic", 5100, service="adults", leave_date=pd.Timestamp("2025-10-31")),
        people(1, "minority_ethnic", 5200, service="adults", leave_date=pd.Timestamp("2024-10-31")),
    ], ignore_index=True)
    training = classified(pd.DataFrame({
        "person_id": [f"P{i:05d}" for i in range(14)] + [f"P{100 + i:05d}" for i in range(7)] + ["P00001"],
        "mandatory": [False] * 21 + [False], "funded": [True] * 21 + [False], "received": [True] * 22,
    }), staff)
    bench = pd.DataFrame({"ethnicity": ["white_british", "asian_indian"], "ethnic_group": ["white", "asian"],
                          "ethnic_binary": ["white", "minority_ethnic"], "count": [800, 200]})
    return Dataset(organisation="Northshire County Council", period_start=date(2025, 4, 1),
                   period_end=date(2026, 3, 31), sector="local_government",
                   tables={"staff": staff, "fitness_to_practise": ftp, "applications": apps,
                           "leavers": leavers, "training": training, "benchmark": bench})


@pytest.fixture(scope="module")
def doc():
    return REPORT.build(context(REPORT, sc_dataset()))


def value(doc, fid: str):
    return doc.figures[fid].value


def test_metric_1_grades_in_pay_order(doc) -> None:
    table = doc.table("sc_wres_1").data
    assert table["row"].tolist() == ["Grade 2", "Grade 3", "Grade 10", "All staff"]
    assert table.set_index("row").loc["All staff", ["white", "minority_ethnic", "unknown"]].tolist() == [70, 35, 5]
    assert value(doc, "sc-wres.1.minority_ethnic.pct") == pytest.approx(35 / 110 * 100)


def test_metric_2_minority_over_white(doc) -> None:
    assert value(doc, "sc-wres.2.relative_likelihood") == pytest.approx(0.1 / 0.2)


def test_metric_4_fitness_to_practise_among_regulated(doc) -> None:
    # regulated: White 30, minority 20; referred: White 1, minority 3
    assert value(doc, "sc-wres.4.relative_likelihood") == pytest.approx((3 / 20) / (1 / 30))
    assert value(doc, "sc-wres.adults.4.relative_likelihood") == pytest.approx((2 / 10) / (1 / 20))
    childrens = doc.figures["sc-wres.childrens.4.relative_likelihood"]
    assert childrens.value is None and "comparison group" in childrens.note  # no White referrals


def test_metric_5_funded_cpd_only(doc) -> None:
    assert value(doc, "sc-wres.5.relative_likelihood") == pytest.approx((7 / 35) / (14 / 70))


def test_metric_8_turnover_in_period(doc) -> None:
    assert value(doc, "sc-wres.8.relative_likelihood") == pytest.approx((7 / 35) / (14 / 70))
    assert value(doc, "sc-wres.adults.8.relative_likelihood") == pytest.approx((7 / 20) / (14 / 40))


def test_metric_9_senior_managers_against_workforce_and_population(doc) -> None:
    assert value(doc, "sc-wres.9.difference_pp") == pytest.approx(20.0 - 35 / 110 * 100)
    assert value(doc, "sc-wres.9.population.difference_pp") == pytest.approx(0.0)
    assert value(doc, "sc-wres.childrens.9.difference_pp") == pytest.approx(20.0 - 15 / 45 * 100)


def test_metric_9_names_where_the_local_population_figures_come_from(doc) -> None:
    """The sentence comparing with the local population gives its source (benchmark_source), else
    says the figures came with the data and asks the operator, outside the publication; the table
    (the organisation's staff only) cites no population."""
    def said(document) -> dict:
        sec = next(sec for _, sec in document.walk() if sec.id == "sc-wres-metric-9")
        return next(p.context for p in sec.blocks if getattr(p, "template", "") == "wres-common/difference.j2")

    assert said(doc)["population"] == "local population" and said(doc)["source"] == ""
    assert not doc.table("sc_wres_9").source
    ctx = context(REPORT, sc_dataset(), benchmark_source="Census 2021 (ONS table TS021), usual residents of Northshire")
    cited = REPORT.build(ctx)
    assert said(cited)["source"] == "Census 2021 (ONS table TS021), usual residents of Northshire"
    assert not [n for n in ctx.operator_notes if "benchmark_source" in n]
    bare = context(REPORT, sc_dataset())
    REPORT.build(bare)
    assert [n for n in bare.operator_notes if "benchmark_source under [options]" in n]


def test_metric_3_without_data_is_stated(doc) -> None:
    assert "sc-wres.3.relative_likelihood" not in doc.figures
    titles = [s.title for _, s in doc.walk()]
    assert "Metric 3: entering the formal disciplinary process" in titles


def test_the_social_care_workforce_is_the_services_named() -> None:
    """``social_care_services``: the return covers those services' staff only (a council's other
    directorates are not social care): children's services here, White 30, minority 15."""
    scoped = REPORT.build(context(REPORT, sc_dataset(), social_care_services="Childrens"))
    total = scoped.table("sc_wres_1").data.set_index("row").loc["All staff"]
    assert total[["white", "minority_ethnic", "unknown"]].tolist() == [30, 15, 0]
    assert value(scoped, "sc-wres.1.minority_ethnic.pct") == pytest.approx(15 / 45 * 100)
    # every application is for adults' services: none is for the social care workforce named
    assert "sc-wres.2.relative_likelihood" not in scoped.figures
    assert value(scoped, "sc-wres.9.difference_pp") == pytest.approx(20.0 - 15 / 45 * 100)
    titles = [s.title for _, s in scoped.walk()]
    assert "Children's services" in titles and "Adults' services" not in titles
    assert "Whole social care workforce" in titles
    assert scoped.subtitle == "Northshire County Council, social care workforce: snapshot 31 March 2026"


def test_a_social_care_service_not_in_the_data_is_named_in_the_check() -> None:
    problems = REPORT.check(context(REPORT, sc_dataset(), social_care_services="adults, housing"))
    assert [str(p.value) for p in problems if "social_care_services" in p.message] == ["housing"]


def test_services_have_their_own_sections(doc) -> None:
    titles = [s.title for _, s in doc.walk()]
    assert "Adults' services" in titles and "Children's services" in titles
    assert "Adults' services: Metric 2: appointment from shortlisting" in titles


def test_publication_suppresses_small_service_figures() -> None:
    doc = REPORT.build(context(REPORT, sc_dataset(), "publication"))
    apply_disclosure(doc, 10)
    assert doc.figures["sc-wres.4.relative_likelihood"].suppressed  # 3 and 1 referrals
    assert doc.figures["sc-wres.8.relative_likelihood"].suppressed  # 7 minority leavers
    # 5 unknown staff are withheld, and the White total with them (the total of 110 is known): the
    # reference group goes first (Table.spare), so the minority ethnic share, metric 1, stays shown
    assert doc.figures["sc-wres.1.white.count"].suppressed
    assert not doc.figures["sc-wres.1.minority_ethnic.pct"].suppressed


def test_a_service_matches_across_tables_whatever_its_apostrophes() -> None:
    """Found by an outside review: leavers' "Childrens" did not match staff's "Children's", so the
    service's turnover was 0 for both groups with no warning."""
    from equality_reports_wres.common import slug

    assert slug("Children's") == slug("Childrens") == slug("children\u2019s") == "childrens"
    assert slug("Children's services") == "childrens_services"
    assert slug("Adults") != slug("Adult Services")


def test_services_option_names_services_in_the_data_or_none(tmp_path, capsys) -> None:
    council = Path(__file__).resolve().parents[3] / "sample_data" / "council"
    res = run_cli(["run", "sc-wres", "--data", council, "--out", tmp_path / "a", "--option", "services=adult"], capsys)
    assert res.code == 2 and not (tmp_path / "a").exists()
    assert "'adult', which is no service in the data" in res.out + res.err
    assert "adults, childrens, place, resources" in res.out + res.err
    res = run_cli(["run", "sc-wres", "--data", council, "--out", tmp_path / "b", "--format", "json",
                   "--option", "services=none"], capsys)
    assert res.code == 0
    tables = json.loads((tmp_path / "b" / "sc-wres.json").read_text())["tables"]
    assert not [t for t in tables if t.startswith(("sc_wres_adults", "sc_wres_childrens"))]
    assert tables["sc_wres_2"]["rows"][1][:3] == ["Minority ethnic", 120, 24]  # published with no services


def test_data_quality_counts_what_was_left_out_within_the_services_the_return_covers() -> None:
    """The council sample's SC-WRES covers adults' and children's services: the agency staff and
    the records of people not directly employed are counted in those services, not council-wide
    (a review found 45 and 33, the whole council's, beside the services' 29 and 19)."""
    from equality_reports import ReportContext, load_dataset

    sample = Path(__file__).resolve().parents[3] / "sample_data" / "council"
    ds = load_dataset(sample)
    doc = REPORT.build(ReportContext(report=REPORT, dataset=ds, audience="internal",
                                     options=REPORT.parse_options({"social_care_services": "adults, childrens"})))
    quality = doc.table("data_quality").data.set_index("measure")["records"]
    staff, training = ds.table("staff"), ds.table("training")
    services = ("adults", "childrens")
    agency = ~staff["directly_employed"].astype("boolean").fillna(True)
    assert quality["Staff left out (not directly employed)"] == int((agency & staff["service"].isin(services)).sum()) == 29
    assert int(agency.sum()) == 45  # the whole council's, not this return's
    not_employed = ~training["directly_employed"].astype("boolean").fillna(True)
    assert quality["Training records left out (not directly employed)"] == \
        int((not_employed & training["service"].isin(services)).sum()) == 19
