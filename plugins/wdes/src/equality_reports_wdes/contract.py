"""The tables the WDES reads besides the engine's own, declared through ``register_tables``.

* ``capability``: one row per entry into the formal capability process (metric 3), a people event
  restricted to the WRES population like the engine's disciplinary cases;
* ``applications``: the applicant's disability status (metric 2), merged into the engine's table;
* ``staff_survey``: the same table the WRES reads, with disabled / non-disabled groups, the WDES
  question ids and an engagement ``score`` (metrics 4-9a);
* ``narrative``: free text for metric 9b (the voices of disabled staff).
"""

from __future__ import annotations

import pandas as pd

from equality_reports import ColumnSpec as C
from equality_reports import SampleContext, TableSpec

#: the capability ``reason`` values: the WDES counts capability on grounds of performance only
REASONS = ("performance", "ill_health")

QUESTION_IDS = ("harassment_public", "harassment_manager", "harassment_colleague", "harassment_reported",
                "equal_opportunities", "presenteeism", "valued", "adjustments", "engagement")

_DISABILITY = C("disability", "category", help="Disability status (Yes, No, Prefer not to say, Not known; ESR's "
                "forms are recognised)", classification="disability")


def sample_capability(ctx: SampleContext) -> pd.DataFrame:
    """A few entries into the formal capability process in the period, for ``equality-reports sample``."""
    staff = list(ctx.person_ids) or [f"E{i:07d}" for i in range(1, 121 if ctx.sector != "nhs" else 2401)]
    rows = min(24 if ctx.sector == "nhs" else 5, len(staff))
    ids = ctx.rng.choice(len(staff), rows, replace=False)
    days = ctx.rng.integers(0, (ctx.period_end - ctx.period_start).days + 1, rows)
    dates = pd.Timestamp(ctx.period_start) + pd.to_timedelta(days, unit="D")
    return pd.DataFrame({
        "case_id": [f"C{i:05d}" for i in range(1, rows + 1)],
        "person_id": [staff[int(i)] for i in ids],
        "entry_date": dates.strftime("%d/%m/%Y"),
        "stage": ctx.rng.choice(["Formal stage 1", "Formal stage 2", "Final stage"], rows, p=[0.7, 0.2, 0.1]),
        "reason": ctx.rng.choice(list(REASONS), rows, p=[0.85, 0.15]),
    })


def sample_narrative(ctx: SampleContext) -> pd.DataFrame:
    return pd.DataFrame({"report": ["wdes"], "metric": ["9b"], "answer": ["Yes"], "text": [
        "The disabled staff network meets every month, is chaired by a member of staff with protected time and "
        "reports to the board twice a year."]})


TABLES = (
    TableSpec("capability", "One row per entry of a person into the formal capability process (WDES metric 3).", (
        C("person_id", "id", True, "The person's employee number (never published)"),
        C("entry_date", "date", help="Date the person entered the formal capability process (places the row in "
          "the reporting period)"),
        C("case_id", "id", help="Case reference (a person with several cases is counted once)"),
        C("stage", help="Stage of the process, e.g. Formal stage 1"),
        C("reason", "choice", help="performance or ill_health: the WDES counts capability on grounds of "
          "performance only; blank counts as performance", choices=REASONS),
        C("disability", "category", help="Disability status; may be left out when person_id matches a staff "
          "record (the staff record is used when this is blank or not known)", classification="disability"),
        C("directly_employed", "bool", help="No when the person is not directly employed (agency); taken from "
          "staff when left out"),
        C("bank", "bool", help="Yes when the person is a bank-only worker; taken from staff when left out"),
    ), joins_staff=True, period_column="entry_date", event=True, reports=("wdes",), sample=sample_capability),
    TableSpec("applications", "One row per job application.", (
        C("disability", "category", help="The applicant's disability status (WDES metric 2)",
          classification="disability"),
    ), reports=("wdes",)),
    TableSpec("staff_survey", "Aggregated staff survey results, one row per question and group.", (
        # the table is shared with the WRES returns: whichever plugin declares it first gives the
        # help, so the help says what both read
        C("question", "text", True, "Question id: harassment_public, harassment_staff, harassment_manager, "
          "harassment_colleague, equal_opportunities or discrimination (WRES); harassment_reported, "
          "presenteeism, valued, adjustments and engagement too (WDES)"),
        C("group", "text", True, "white, minority_ethnic or a detailed ethnic category (WRES); disabled, "
          "non_disabled or all for the whole organisation (WDES)"),
        C("respondents", "number", True, "Number of respondents in the group", minimum=0, integer=True),
        C("positive", "number", help="Number answering yes", minimum=0, integer=True),
        C("percentage", "number", help="Percentage answering yes, published exactly as given (with `positive` "
          "too, the counts are used for ratios and the two must agree within rounding)", minimum=0,
          maximum=100, percent=True),
        C("score", "number", help="A score out of 10 (the WDES engagement score, question engagement)",
          minimum=0, maximum=10),
        C("service", help="Service the results are for, e.g. adults, childrens (SC-WRES by service); blank "
          "or 'all' for the whole workforce"),
    ), person_table=False, reports=("wdes",)),
    TableSpec("narrative", "Free text a report publishes as given, e.g. WDES metric 9b.", (
        C("report", "text", True, "The report, e.g. wdes"),
        C("metric", "text", True, "The metric, e.g. 9b"),
        C("answer", "bool", help="Yes or No, where the metric asks a question"),
        C("text", "text", help="The text to publish"),
    ), person_table=False, reports=("wdes",), sample=sample_narrative),
)
