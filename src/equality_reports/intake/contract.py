"""The data contract: canonical tables, their columns, types and allowed values.

docs/data-contract.md explains it for users; this module is the single source the loader,
validation and the input template read.
"""

from __future__ import annotations

from dataclasses import dataclass

ColumnType = str  # "id", "text", "ethnicity", "bool", "date", "number", "choice"


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    type: ColumnType = "text"
    required: bool = False
    help: str = ""
    choices: tuple[str, ...] = ()
    default: object = None
    #: number columns: the smallest and largest values allowed (None: any finite value below 1e15);
    #: ``allow_zero=False`` with ``minimum=0`` means "above 0"; ``integer`` for counts; ``percent``
    #: for 0-100 percentages, which may carry a '%' sign (see equality_reports.intake.numbers)
    minimum: float | None = None
    maximum: float | None = None
    allow_zero: bool = True
    integer: bool = False
    percent: bool = False


@dataclass(frozen=True)
class TableSpec:
    name: str
    help: str
    columns: tuple[ColumnSpec, ...]
    #: people tables get ethnicity classified; events may take it from staff via person_id
    person_table: bool = True
    #: event tables may omit ethnicity when person_id joins them to staff
    joins_staff: bool = False
    #: the date that places an event row in the reporting period (see equality_reports.measures)
    period_column: str | None = None

    def column(self, name: str) -> ColumnSpec | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


C = ColumnSpec
_ETH = C("ethnicity", "ethnicity", True, "Ethnic group: an NHS code (A-S, Z, 99), an ONS label or a DfE code")
_ETH_OPT = C("ethnicity", "ethnicity", False, "Ethnic group; may be left out when person_id matches a staff record")
_PERSON = C("person_id", "id", True, "The person's employee number (never published)")
#: an event row may say itself whether its person is directly employed or a bank worker (people who
#: have left, or are not in the staff extract); otherwise the staff record says (measures.population)
_EVENT_FLAGS = (C("directly_employed", "bool", help="No when the person is not directly employed (agency); "
                  "taken from staff when left out"),
                C("bank", "bool", help="Yes when the person is a bank-only worker; taken from staff when left out"))

TABLES: dict[str, TableSpec] = {t.name: t for t in (
    TableSpec("staff", "One row per person in post on the snapshot date.", (
        _PERSON, _ETH,
        C("grade", help="Pay grade or band, e.g. 'Band 5', 'Grade 7'"),
        C("staff_group", help="Staff group or occupation (NHS: clinical / non_clinical or staff group name)"),
        C("service", help="Service, e.g. adults, childrens"),
        C("contract", "choice", help="full_time or part_time", choices=("full_time", "part_time")),
        C("fte", "number", help="Full-time equivalent, e.g. 0.6", minimum=0, allow_zero=False, maximum=1.5),
        C("sex", help="Sex"), C("disability", help="Disability status"), C("religion", help="Religion or belief"),
        C("sexual_orientation", help="Sexual orientation"),
        C("age", "number", help="Age in years", minimum=0, allow_zero=False, maximum=120),
        C("date_of_birth", "date", help="Date of birth (used only to derive age bands)"),
        C("start_date", "date", help="Start date in the organisation"),
        C("senior_manager", "bool", help="Yes for senior managers"),
        C("board_role", "choice", help="voting_executive, voting_non_executive or non_voting",
          choices=("voting_executive", "voting_non_executive", "non_voting", "none")),
        C("regulated_professional", "bool", help="Yes for regulated professionals, e.g. social workers"),
        C("directly_employed", "bool", help="No for agency or other staff not directly employed", default=True),
        C("bank", "bool", help="Yes for bank staff"),
    )),
    TableSpec("applications", "One row per job application.", (
        C("application_id", "id", True, "Application reference"), _ETH,
        C("shortlisted", "bool", True, "Was the applicant shortlisted?"),
        C("appointed", "bool", True, "Was the applicant appointed?"),
        C("vacancy_id", help="Vacancy reference"), C("internal", "bool", help="Internal applicant?"),
        C("service", help="Service of the vacancy"), C("grade", help="Grade of the vacancy"),
        C("applicant_id", "id", help="The applicant's reference, so someone who applied more than once is "
          "counted once (never published)"),
        C("application_date", "date", help="Date of the application (places it in the reporting period)"),
    ), period_column="application_date"),
    TableSpec("training", "One row per training request or record.", (
        _PERSON, _ETH_OPT, C("mandatory", "bool", True, "Is the training mandatory?"),
        C("applied", "bool", help="Did the person apply or ask for it?"),
        C("received", "bool", help="Did the person receive it?"),
        C("funded", "bool", help="Was it funded by the employer?"), C("course", help="Course name"),
        C("training_date", "date", help="Date of the training or of the request"),
        *_EVENT_FLAGS,
    ), joins_staff=True, period_column="training_date"),
    TableSpec("promotions", "One row per application for promotion.", (
        _PERSON, _ETH_OPT, C("promoted", "bool", True, "Was the person promoted?"),
        C("application_date", "date", help="Date of the application for promotion"),
        *_EVENT_FLAGS,
    ), joins_staff=True, period_column="application_date"),
    TableSpec("disciplinary", "One row per disciplinary case.", (
        C("case_id", "id", True, "Case reference"), _PERSON, _ETH_OPT,
        C("formal", "bool", help="Formal process? (default yes)", default=True),
        C("start_date", "date", help="Date the case started"), C("outcome", help="Outcome of the case"),
        *_EVENT_FLAGS,
    ), joins_staff=True, period_column="start_date"),
    TableSpec("grievances", "One row per party to a grievance case.", (
        C("case_id", "id", True, "Case reference"), _PERSON, _ETH_OPT,
        C("role", "choice", help="complainant or respondent", choices=("complainant", "respondent")),
        C("outcome", help="Outcome of the case"), C("start_date", "date", help="Date the grievance was raised"),
        *_EVENT_FLAGS,
    ), joins_staff=True, period_column="start_date"),
    TableSpec("appraisals", "One row per appraisal.", (
        _PERSON, _ETH_OPT,
        C("outcome", "choice", True, "benefit, neutral or detriment", choices=("benefit", "neutral", "detriment")),
        C("rating", help="The rating given"),
        C("appraisal_date", "date", help="Date of the appraisal"),
        *_EVENT_FLAGS,
    ), joins_staff=True, period_column="appraisal_date"),
    TableSpec("leavers", "One row per person who left during the period.", (
        _PERSON, _ETH, C("leave_date", "date", True, "Date of leaving"), C("reason", help="Reason for leaving"),
        C("voluntary", "bool", help="Voluntary leaver?"), C("service", help="Service the person left"),
        C("grade", help="Grade on leaving"),
        *_EVENT_FLAGS,
    ), joins_staff=True, period_column="leave_date"),
    TableSpec("fitness_to_practise", "One row per fitness to practise referral.", (
        _PERSON, _ETH_OPT, C("referral_date", "date", help="Date of referral"),
        *_EVENT_FLAGS,
    ), joins_staff=True, period_column="referral_date"),
    TableSpec("staff_survey", "Aggregated staff survey results, one row per question and group.", (
        C("question", "text", True, "harassment_public, harassment_staff, harassment_manager, "
          "harassment_colleague, equal_opportunities or discrimination"),
        C("group", "text", True, "white, minority_ethnic or a detailed ethnic category"),
        C("respondents", "number", True, "Number of respondents in the group", minimum=0, integer=True),
        C("positive", "number", help="Number answering yes", minimum=0, integer=True),
        C("percentage", "number", help="Percentage answering yes, published exactly as given (with `positive` "
          "too, the counts are used for ratios and the two must agree within rounding)", minimum=0,
          maximum=100, percent=True),
        C("service", help="Service the results are for, e.g. adults, childrens (SC-WRES by service); blank "
          "or 'all' for the whole workforce"),
    ), person_table=False),
    TableSpec("benchmark", "Local population by ethnic group (e.g. 2021 census counts).", (
        _ETH, C("count", "number", True, "Number of residents", minimum=0, integer=True),
    )),
    TableSpec("evidence", "Evidence register: one row per item of evidence.", (
        C("evidence_id", "id", True, "Evidence reference"), C("framework", help="Framework id"),
        C("criterion", "text", True, "Criterion id from the framework"), C("title", "text", True, "Title"),
        C("description", help="What it shows"), C("owner", help="Who holds it"), C("date", "date", help="Date"),
        C("location", help="Web address or path relative to the dataset folder (or evidence_root)"),
        C("status", "choice", help="met, partly or not_met", choices=("met", "partly", "not_met")),
    ), person_table=False),
    TableSpec("self_assessment", "Self-assessed stage or level per framework area.", (
        C("framework", "text", True, "Framework id"), C("area", "text", True, "Area id, 'overall' or a gate question id"),
        C("stage_or_level", "text", True, "Stage or level (or yes/no for gate questions)"),
        C("assessor", help="Who assessed"), C("date", "date", help="Date"), C("rationale", help="Why"),
        C("strengths", help="Strengths to build on"), C("areas_to_develop", help="Areas to develop"),
    ), person_table=False),
    TableSpec("actions", "Action plan: one row per action.", (
        C("action", "text", True, "What will be done"), C("who", help="Who is responsible"),
        C("by_when", "date", help="Date by which it will be done"), C("framework", help="Framework or report"),
        C("area", help="Framework area"), C("criterion", help="Criterion id"), C("status", help="Status"),
    ), person_table=False),
    TableSpec("outcomes", "Outcomes framework: local objectives per outcome area.", (
        C("outcome_area", "text", True, "Outcome area"), C("local_objective", "text", True, "Local objective"),
        C("how_we_know_issue", help="How we know this is an issue"),
        C("how_we_will_know_improved", help="How we will know we have improved"),
    ), person_table=False),
)}

def markdown() -> str:
    """The per-table sections of docs/data-contract.md, written from :data:`TABLES` (the doc's
    tables are generated: `python -m equality_reports.intake.contract > part.md`)."""
    out = []
    for spec in TABLES.values():
        intro = spec.help
        if spec.joins_staff and not (spec.column("ethnicity") and spec.column("ethnicity").required):
            intro += " Ethnicity may be left out: it is taken from `staff` through `person_id`."
        if spec.period_column:
            intro += (f" Rows are placed in the reporting period by `{spec.period_column}` (see "
                      f"[measures.md](measures.md)).")
        out += [f"### `{spec.name}`", "", intro, "", "| column | type | required | meaning |", "|---|---|---|---|"]
        for col in spec.columns:
            meaning = col.help + (f" ({', '.join(col.choices)})" if col.choices else "")
            out.append(f"| `{col.name}` | {col.type} | {'yes' if col.required else ''} | {meaning} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown(), end="")


#: staff columns copied onto event tables that lack them, through person_id
JOINED_STAFF_COLUMNS = ("grade", "service", "staff_group", "regulated_professional", "senior_manager",
                        "directly_employed", "bank")
