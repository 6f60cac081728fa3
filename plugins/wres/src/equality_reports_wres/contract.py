"""The tables the WRES returns read besides the engine's own, declared through ``register_tables``."""

from equality_reports import ETHNICITY_COLUMN, TableSpec
from equality_reports import ColumnSpec as C

TABLES = (
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
        ETHNICITY_COLUMN, C("count", "number", True, "Number of residents", minimum=0, integer=True),
    )),
    TableSpec("actions", "Action plan: one row per action.", (
        C("action", "text", True, "What will be done"), C("who", help="Who is responsible"),
        C("by_when", "date", help="Date by which it will be done"), C("framework", help="Framework or report"),
        C("status", help="Status"),
    ), person_table=False),
)
