"""What is counted, for whom and when: the rules every report uses, written once.

A report states *what* it measures; this package decides *how* rows are counted:

* :mod:`.population`: who is in a report's population (directly employed, bank, agency), for
  staff in post and for their events alike;
* :mod:`.periods`: which event rows fall in the reporting period (applied at intake);
* :mod:`.counting`: people or records, applicants by ``applicant_id``;
* :mod:`.ethnicity`: where an event row's ethnicity comes from (its own value, else the staff
  record, else not known; applied at intake).

docs/measures.md states each rule with its public source.
"""

from equality_reports.measures.counting import applicant_key, count_applicants, count_people, count_rows
from equality_reports.measures.periods import place_in_period
from equality_reports.measures.population import (
    ALL_STAFF,
    DIRECTLY_EMPLOYED,
    DIRECTLY_EMPLOYED_NOT_BANK,
    Population,
    Scope,
    scope,
)

__all__ = [
    "ALL_STAFF", "DIRECTLY_EMPLOYED", "DIRECTLY_EMPLOYED_NOT_BANK", "Population", "Scope", "applicant_key",
    "count_applicants", "count_people", "count_rows", "place_in_period", "scope",
]
