"""What is counted, for whom and when: the rules every report uses, written once.

A report states *what* it measures; this package decides *how* rows are counted:

* :mod:`.population`: who is in a report's population (directly employed, bank, agency), for
  staff in post and for their events alike;
* :mod:`.periods`: which event rows fall in the reporting period (applied at intake), and how a
  year is headed (``year_label``);
* :mod:`.counting`: people or records, applicants by ``applicant_id``;
* :mod:`.ethnicity`: where an event row's ethnicity comes from (its own value, else the staff
  record, else not known; applied at intake);
* :mod:`.grades`: NHS grades to Agenda for Change bands, VSM, medical and dental subgroups and
  clinical / non-clinical (only band text gives a band; staff group and medical grade names give
  the rest).

docs/measures.md states each rule with its public source.
"""

from equality_reports.measures.counting import (
    applicant_key,
    applicant_units,
    count_applicants,
    count_people,
    count_rows,
    people_units,
    record_units,
)
from equality_reports.measures.grades import (
    AFC_BANDS,
    BAND_ORDER,
    MEDICAL_BANDS,
    PAY_SCALES,
    UNKNOWN_BAND,
    classify_grades,
    grade_summary,
    order_grades,
    parse_grade,
    pay_scales,
    unrecognised_grades,
)
from equality_reports.measures.periods import dated_outside, outside_units, place_in_period, year_label
from equality_reports.measures.population import (
    ALL_STAFF,
    BANK_CHOICES,
    DIRECTLY_EMPLOYED,
    DIRECTLY_EMPLOYED_NOT_BANK,
    Population,
    Scope,
    event_codes,
    scope,
    staff_population,
)

__all__ = [
    "ALL_STAFF", "BANK_CHOICES", "DIRECTLY_EMPLOYED", "DIRECTLY_EMPLOYED_NOT_BANK", "Population", "Scope",
    "applicant_key",
    "applicant_units", "count_applicants", "count_people", "count_rows", "people_units", "record_units",
    "dated_outside", "event_codes", "outside_units", "place_in_period", "year_label", "scope",
    "staff_population",
    "AFC_BANDS", "BAND_ORDER", "MEDICAL_BANDS", "PAY_SCALES", "UNKNOWN_BAND", "classify_grades", "grade_summary",
    "order_grades", "parse_grade", "pay_scales", "unrecognised_grades",
]
