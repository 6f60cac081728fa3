"""The staff columns the gender pay gap reads, declared through ``register_tables``.

They are merged into the engine's ``staff`` table; ``sex`` is the engine's own column, classified
by the ``uk-sex`` scheme (female, male, other (self-described), not stated, not known).
"""

from equality_reports import ColumnSpec, TableSpec

REPORT = "gender-pay-gap"

COLUMNS = (
    ColumnSpec("hourly_pay", "number", help="Ordinary pay per hour in the relevant pay period that includes the "
               "snapshot date, in pounds (SI 2017/353 Schedule 1 paragraphs 3 to 6); needed for the gender pay gap",
               minimum=0, maximum=10_000),
    ColumnSpec("bonus_pay", "number", help="Bonus pay in the 12 months ending with the snapshot date, in pounds; "
               "blank or 0 for none", minimum=0),
    ColumnSpec("full_pay_relevant", "bool", help="No for someone on reduced or nil pay because of leave (sick, "
               "maternity, unpaid...) in the relevant pay period; they are left out of the hourly pay gap and "
               "the quartiles, not of the bonus measures (default yes)", default=True),
)

TABLES = (
    TableSpec("staff", "One row per person in post on the snapshot date.", COLUMNS, reports=(REPORT,)),
)
