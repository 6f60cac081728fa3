"""The tables the engine itself reads: staff and the people events its measures count.

Tables only a plugin reads (the staff survey, the benchmark, the evidence register, ...) are
declared by that plugin through the ``register_tables`` hook; see
:mod:`equality_reports.intake.contract`.
"""

from __future__ import annotations

from equality_reports.intake.contract import ColumnSpec, TableSpec

C = ColumnSpec
ETHNICITY_COLUMN = C("ethnicity", "category", True,
                     "Ethnic group: an NHS code (A-S, Z, 99), an ONS label or a DfE code", classification="ethnicity")
_ETH_OPT = C("ethnicity", "category", False, "Ethnic group; may be left out when person_id matches a staff record",
             classification="ethnicity")
_PERSON = C("person_id", "id", True, "The person's employee number (never published)")
#: an event row may say itself whether its person is directly employed or a bank worker (people who
#: have left, or are not in the staff extract); otherwise the staff record says (measures.population)
_EVENT_FLAGS = (C("directly_employed", "bool", help="No when the person is not directly employed (agency); "
                  "taken from staff when left out"),
                C("bank", "bool", help="Yes when the person is a bank-only worker; taken from staff when left out"))

#: the tables the engine's own measures read (measures.population); plugins declare the others
CORE_TABLES: dict[str, TableSpec] = {t.name: t for t in (
    TableSpec("staff", "One row per person in post on the snapshot date.", (
        _PERSON, ETHNICITY_COLUMN,
        C("grade", help="Pay grade or band, e.g. 'Band 5', 'Grade 7'"),
        C("staff_group", help="Staff group or occupation (NHS: clinical / non_clinical or staff group name)"),
        C("service", help="Service, e.g. adults, childrens"),
        C("contract", "choice", help="full_time or part_time", choices=("full_time", "part_time")),
        C("fte", "number", help="Full-time equivalent, e.g. 0.6", minimum=0, allow_zero=False, maximum=1.5),
        C("sex", "category", help="Sex", classification="sex"),
        C("disability", "category", help="Disability status", classification="disability"),
        C("religion", "category", help="Religion or belief", classification="religion"),
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
        C("application_id", "id", True, "Application reference"), ETHNICITY_COLUMN,
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
        _PERSON, ETHNICITY_COLUMN, C("leave_date", "date", True, "Date of leaving"),
        C("reason", help="Reason for leaving"),
        C("voluntary", "bool", help="Voluntary leaver?"), C("service", help="Service the person left"),
        C("grade", help="Grade on leaving"),
        *_EVENT_FLAGS,
    ), joins_staff=True, period_column="leave_date"),
    TableSpec("fitness_to_practise", "One row per fitness to practise referral.", (
        _PERSON, _ETH_OPT, C("referral_date", "date", help="Date of referral"),
        *_EVENT_FLAGS,
    ), joins_staff=True, period_column="referral_date"),
)}


#: staff columns copied onto event tables that lack them, through person_id
JOINED_STAFF_COLUMNS = ("grade", "service", "staff_group", "regulated_professional", "senior_manager",
                        "directly_employed", "bank")

