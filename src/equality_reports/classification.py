"""Ethnicity classification: canonical categories and the scheme interface.

Every raw value is mapped to a detailed category (the 2021 England and Wales census list plus
"not stated" and "not known", kept apart), which belongs to one broad group and one binary
group. Schemes (NHS Data Dictionary codes, ONS 2001/2011/2021 labels, DfE codes, ...) are data,
registered through the ``register_classifications`` hook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Category:
    """One detailed ethnic category."""

    id: str
    label: str
    group: str  # broad group id
    nhs_code: str  # NHS Data Dictionary national code letter (or "Z"/"99")

    @property
    def binary(self) -> str:
        if self.group == "unknown":
            return "unknown"
        return "white" if self.group == "white" else "minority_ethnic"


#: Detailed categories in publication order (2021 census, England and Wales, ONS harmonised
#: standard), mapped to NHS codes as in DOMAIN.md section 6.
CATEGORIES: tuple[Category, ...] = (
    Category("white_british", "White: English, Welsh, Scottish, Northern Irish or British", "white", "A"),
    Category("white_irish", "White: Irish", "white", "B"),
    Category("white_gypsy_traveller", "White: Gypsy or Irish Traveller", "white", "C"),
    Category("white_roma", "White: Roma", "white", "C"),
    Category("white_other", "White: any other White background", "white", "C"),
    Category("mixed_white_black_caribbean", "Mixed: White and Black Caribbean", "mixed", "D"),
    Category("mixed_white_black_african", "Mixed: White and Black African", "mixed", "E"),
    Category("mixed_white_asian", "Mixed: White and Asian", "mixed", "F"),
    Category("mixed_other", "Mixed: any other Mixed or multiple background", "mixed", "G"),
    Category("asian_indian", "Asian: Indian", "asian", "H"),
    Category("asian_pakistani", "Asian: Pakistani", "asian", "J"),
    Category("asian_bangladeshi", "Asian: Bangladeshi", "asian", "K"),
    Category("asian_chinese", "Asian: Chinese", "asian", "R"),
    Category("asian_other", "Asian: any other Asian background", "asian", "L"),
    Category("black_caribbean", "Black: Caribbean", "black", "M"),
    Category("black_african", "Black: African", "black", "N"),
    Category("black_other", "Black: any other Black, Black British or Caribbean background", "black", "P"),
    Category("other_arab", "Other ethnic group: Arab", "other", "S"),
    Category("other_any", "Other ethnic group: any other ethnic group", "other", "S"),
    Category("not_stated", "Not stated (declined to say)", "unknown", "Z"),
    Category("not_known", "Not known (not asked or not recorded)", "unknown", "99"),
)
CATEGORY_BY_ID: dict[str, Category] = {c.id: c for c in CATEGORIES}

#: Broad groups in publication order with default labels.
BROAD_GROUPS: dict[str, str] = {
    "white": "White",
    "mixed": "Mixed or multiple ethnic groups",
    "asian": "Asian or Asian British",
    "black": "Black, Black British, Caribbean or African",
    "other": "Other ethnic group",
    "unknown": "Not stated or not known",
}

#: Binary groups in publication order with the default (ONS style) labels. Reports override the
#: minority label: "BME" for NHS WRES, "minority ethnic" for Social Care WRES.
BINARY_GROUPS: dict[str, str] = {
    "white": "White",
    "minority_ethnic": "Ethnic minority",
    "unknown": "Unknown",
}


def binary_labels(minority_label: str | None = None, unknown_label: str | None = None) -> dict[str, str]:
    """Binary group labels with optional report-specific wording."""
    labels = dict(BINARY_GROUPS)
    if minority_label:
        labels["minority_ethnic"] = minority_label
    if unknown_label:
        labels["unknown"] = unknown_label
    return labels


@dataclass
class Classification:
    """A scheme mapping raw values to category ids.

    ``values`` maps normalised raw values (see :func:`normalise`) to a category id.
    ``prefix_codes`` maps a leading code (e.g. the NHS letter in "C3 White Unspecified") to a
    category id; it is tried when the whole value is not found.
    """

    name: str
    description: str
    values: dict[str, str] = field(default_factory=dict)
    prefix_codes: dict[str, str] = field(default_factory=dict)
    source: str = ""
