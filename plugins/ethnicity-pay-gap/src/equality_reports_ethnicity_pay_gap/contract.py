"""The staff pay columns the ethnicity pay gap reads, declared through ``register_tables``.

The gender-pay-gap plugin declares the same three columns with the same specifications: the engine
merges identical declarations, so either plugin works alone and both work together.
"""

from equality_reports import ColumnSpec as C
from equality_reports import TableSpec

PAY_COLUMNS = (
    C("hourly_pay", "number", help="Ordinary pay per hour in the relevant pay period", minimum=0),
    C("bonus_pay", "number", help="Bonus pay in the 12 months to the snapshot date", minimum=0),
    C("full_pay_relevant", "bool", help="No for someone on reduced or nil pay because of leave in the relevant "
      "pay period (default yes)", default=True),
)

TABLES = (
    TableSpec("staff", "One row per person in post on the snapshot date.", PAY_COLUMNS,
              reports=("ethnicity-pay-gap",)),
)
