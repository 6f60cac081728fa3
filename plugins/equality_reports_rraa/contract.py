"""The tables rraa-employment reads besides the engine's own, declared through ``register_tables``."""

from equality_reports.intake.contract import ColumnSpec as C
from equality_reports.intake.contract import TableSpec
from equality_reports.intake.core_tables import ETHNICITY

TABLES = (
    TableSpec("benchmark", "Local population by ethnic group (e.g. 2021 census counts).", (
        ETHNICITY, C("count", "number", True, "Number of residents", minimum=0, integer=True),
    )),
    TableSpec("actions", "Action plan: one row per action.", (
        C("action", "text", True, "What will be done"), C("who", help="Who is responsible"),
        C("by_when", "date", help="Date by which it will be done"),
    ), person_table=False),
)
