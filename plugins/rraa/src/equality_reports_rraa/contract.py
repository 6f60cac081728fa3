"""The tables rraa-employment reads besides the engine's own, declared through ``register_tables``."""

from equality_reports import ETHNICITY_COLUMN, TableSpec
from equality_reports import ColumnSpec as C

TABLES = (
    TableSpec("benchmark", "Local population by ethnic group (e.g. 2021 census counts).", (
        ETHNICITY_COLUMN, C("count", "number", True, "Number of residents", minimum=0, integer=True),
    )),
    TableSpec("actions", "Action plan: one row per action.", (
        C("action", "text", True, "What will be done"), C("who", help="Who is responsible"),
        C("by_when", "date", help="Date by which it will be done"),
    ), person_table=False),
)
