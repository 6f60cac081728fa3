"""Classification of protected characteristics: canonical categories and the scheme interface.

Ethnicity: every raw value is mapped to a detailed category (the 2021 England and Wales census
list plus "not stated" and "not known", kept apart), which belongs to one broad group and one
binary group. Other characteristics (sex, disability, religion, or one a plugin adds) have the
categories their scheme lists. Schemes (NHS Data Dictionary codes, ONS labels, DfE codes, ...) are
data, registered through the ``register_classifications`` hook; intake classifies each category
column of the data contract with the schemes of its characteristic.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
#: standard), mapped to NHS codes (docs/sources.md, Ethnicity classifications).
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


#: categories meaning the characteristic was not declared, in every scheme
NOT_KNOWN = "not_known"
UNDECLARED = ("not_stated", NOT_KNOWN)
ETHNICITY = "ethnicity"


@dataclass
class Classification:
    """A scheme mapping raw values of one characteristic to category ids.

    ``values`` maps raw values to a category id; keys are normalised (see :func:`normalise`), so
    "White Scottish", "white scottish" and "WHITE-SCOTTISH" are one key.
    ``characteristic`` is what it classifies ("ethnicity", "sex", ...); ethnicity schemes map to
    :data:`CATEGORIES`, other schemes to their own ``categories`` (id -> published label), which
    should include ``not_stated`` and ``not_known``.
    ``prefix_codes`` maps a leading code (e.g. the NHS letter in "C3 White Unspecified") to a
    category id; it is tried when the whole value is not found.
    """

    name: str
    description: str
    values: dict[str, str] = field(default_factory=dict)
    prefix_codes: dict[str, str] = field(default_factory=dict)
    source: str = ""
    #: a readable spelling of each key of ``values`` (for suggestions: "White British", "WBRI")
    labels: dict[str, str] = field(default_factory=dict)
    characteristic: str = ETHNICITY
    categories: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # keys as a plugin author writes them ("White Scottish") match as the data is read
        self.values = {normalise(k): v for k, v in self.values.items()}
        self.labels = {normalise(k): v for k, v in self.labels.items()}


# --- matching ------------------------------------------------------------------------------

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# a code letter, then an optional local sub-code (a digit or capital), then a space or the end
_LEADING_CODE = re.compile(r"^\s*([A-Za-z]|99)([A-Z0-9]?\d*)(?=[\s:_-]|$)")


def normalise(value: object) -> str:
    """Lower case with punctuation and spacing removed: 'White - British' -> 'whitebritish'."""
    if value is None:
        return ""
    text = str(value)
    if text != text:  # NaN
        return ""
    return _NON_ALNUM.sub("", text.lower())


def scheme_from_toml(path: Path) -> Classification:
    """Load a scheme file: plain ``values``, ``prefix_codes`` and ONS-style label generation.

    A scheme for another characteristic than ethnicity sets ``characteristic`` and lists
    ``[categories]`` as ``id = ["Published label", "other spelling", ...]``.
    """
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    characteristic = data.get("characteristic", ETHNICITY)
    if characteristic != ETHNICITY:
        return _other_scheme(path, data, characteristic)
    values = {normalise(k): v for k, v in data.get("values", {}).items()}
    labels = {normalise(k): _readable(k) for k in data.get("values", {})}
    prefixes = data.get("prefixes", {})
    generated: dict[str, tuple[int, str]] = {}
    for category, cores in data.get("categories", {}).items():
        group = CATEGORY_BY_ID[category].group
        group_prefixes = prefixes.get(group, [""]) if group != "unknown" else [""]
        for core in cores:
            for prefix in group_prefixes:
                key = normalise(f"{prefix} {core}")
                labels.setdefault(key, _readable(f"{prefix} {core}"))
                rank = 2 if prefix else 1
                held = generated.get(key)
                if held is None or held[0] < rank:
                    generated[key] = (rank, category)
                elif held[0] == rank and held[1] != category:
                    # an ambiguous bare word ("other"): the "other ethnic group" reading wins
                    keep = category if CATEGORY_BY_ID[category].group == "other" else held[1]
                    generated[key] = (rank, keep)
    for key, (_, category) in generated.items():
        values.setdefault(key, category)
    prefix_codes = {str(k).lower(): v for k, v in data.get("prefix_codes", {}).items()}
    for target in [*values.values(), *prefix_codes.values()]:
        if target not in CATEGORY_BY_ID:
            raise ValueError(f"{path}: unknown category {target!r}")
    return Classification(data["name"], data.get("description", ""), values, prefix_codes, data.get("source", ""),
                          labels)


def _other_scheme(path: Path, data: dict[str, Any], characteristic: str) -> Classification:
    """A scheme of a characteristic other than ethnicity: each category's spellings, label first."""
    categories = {cat: spellings[0] for cat, spellings in data.get("categories", {}).items()}
    values = {normalise(k): v for k, v in data.get("values", {}).items()}
    for cat, spellings in data.get("categories", {}).items():
        for spelling in spellings:
            values.setdefault(normalise(spelling), cat)
    unknown = sorted(set(values.values()) - set(categories))
    if unknown:
        raise ValueError(f"{path}: unknown category {unknown[0]!r}")
    return Classification(data["name"], data.get("description", ""), values, {}, data.get("source", ""),
                          characteristic=characteristic, categories=categories)


#: words written with a capital in suggestions (names of groups, nations and languages)
_CAPITALISED = {"white", "black", "asian", "mixed", "british", "irish", "english", "welsh", "scottish", "northern",
                "caribbean", "african", "indian", "pakistani", "bangladeshi", "chinese", "arab", "roma", "gypsy",
                "traveller", "european", "eastern", "uk"}


def _readable(text: str) -> str:
    """A scheme spelling as a user would write it: 'white british' -> 'White British', 'wbri' -> 'WBRI'."""
    words = str(text).split()
    if len(words) == 1 and len(words[0]) <= 4 and words[0].isalpha() and words[0].lower() not in _CAPITALISED:
        return words[0].upper()  # a code: WBRI, REFU
    out = [w.upper() if w.lower() == "uk" else w.capitalize() if w.lower() in _CAPITALISED or i == 0 else w
           for i, w in enumerate(words)]
    return " ".join(out)


@dataclass(frozen=True)
class Suggestion:
    """The known value nearest to an unrecognised one."""

    label: str  # the known spelling matched, e.g. "White British"
    category: Category
    #: what to write in ``values.ethnicity``: the NHS code when it stands for this category alone,
    #: else the known spelling
    target: str


def builtin_schemes() -> list[Classification]:
    folder = Path(__file__).parent / "classifications"
    return [scheme_from_toml(p) for p in sorted(folder.glob("*.toml"))]


class Classifier:
    """Maps raw values of one characteristic with one or more schemes; every distinct value is looked
    up once."""

    def __init__(self, schemes: list[Classification], characteristic: str = ETHNICITY) -> None:
        self.characteristic = characteristic
        self.schemes = [s for s in schemes if s.characteristic == characteristic]
        schemes = self.schemes
        self.values: dict[str, str] = {}
        self.prefix_codes: dict[str, str] = {}
        for scheme in schemes:
            for key, cat in scheme.values.items():
                self.values.setdefault(key, cat)
            for key, cat in scheme.prefix_codes.items():
                self.prefix_codes.setdefault(key, cat)
        for cat, label in self.categories().items():  # canonical ids and labels always work
            self.values.setdefault(normalise(cat), cat)
            self.values.setdefault(normalise(label), cat)
        self.values.setdefault("", "not_known")
        self._labels: dict[str, str] | None = None

    def categories(self) -> dict[str, str]:
        """Every category id with its label, in publication order."""
        if self.characteristic == ETHNICITY:
            return {c.id: c.label for c in CATEGORIES}
        out = {k: v for s in self.schemes for k, v in s.categories.items()}
        return {**out, **{u: u.replace("_", " ").capitalize() for u in UNDECLARED if u not in out}}

    def suggest(self, raw: object, cutoff: float = 0.75) -> Suggestion | None:
        """The nearest known ethnicity spelling to an unrecognised value (difflib over every label and
        alias the schemes define), or None when nothing is close. Codes of one to three characters
        are never suggested: a near miss there is a different group."""
        key = normalise(raw)
        if len(key) < 3 or self.characteristic != ETHNICITY:
            return None
        if self._labels is None:
            labels = {normalise(c.label): c.label for c in CATEGORIES}
            for scheme in reversed(self.schemes):
                labels.update({k: v for k, v in scheme.labels.items() if k in self.values})
            self._labels = {k: v for k, v in labels.items() if len(k) >= 3}
        match = difflib.get_close_matches(key, list(self._labels), n=1, cutoff=cutoff)
        if not match:
            return None
        category = CATEGORY_BY_ID[self.values[match[0]]]
        code = category.nhs_code
        target = code if self.lookup(code) == category.id else self._labels[match[0]]
        return Suggestion(self._labels[match[0]], category, target)

    def lookup(self, raw: object) -> str | None:
        """The category id for one raw value, or None when it is not recognised."""
        key = normalise(raw)
        if key in self.values:
            return self.values[key]
        if key in self.prefix_codes:
            return self.prefix_codes[key]
        # "A White - British" or "C3 White Unspecified": a code (and local sub-code), then words
        match = _LEADING_CODE.match(str(raw))
        if match and match.group(1).lower() in self.prefix_codes:
            return self.prefix_codes[match.group(1).lower()]
        return None

    def classify(self, series: pd.Series) -> pd.DataFrame:
        """The category of each value (None when unmapped), in a column named after the
        characteristic; for ethnicity also ``ethnic_group`` and ``ethnic_binary``."""
        import pandas as pd

        raw = series.astype("string").fillna("")
        uniques = raw.unique()
        mapping = {u: self.lookup(u) for u in uniques}
        cats = raw.map(mapping)
        if self.characteristic != ETHNICITY:
            return pd.DataFrame({self.characteristic: cats.astype(object)}, index=series.index)
        group = {c.id: c.group for c in CATEGORIES}
        binary = {c.id: c.binary for c in CATEGORIES}
        return pd.DataFrame({"ethnicity": cats.astype(object),
                             "ethnic_group": cats.map(group).astype(object),
                             "ethnic_binary": cats.map(binary).astype(object)}, index=series.index)


def classify(series: pd.Series, scheme: str | None = None, characteristic: str = ETHNICITY) -> pd.DataFrame:
    """Classify raw values of a characteristic with the built-in schemes (or one named scheme)."""
    schemes = [s for s in builtin_schemes() if s.characteristic == characteristic]
    if scheme is not None:
        schemes = [s for s in schemes if s.name == scheme]
        if not schemes:
            raise ValueError(f"unknown classification scheme {scheme!r}")
    return Classifier(schemes, characteristic).classify(series)
