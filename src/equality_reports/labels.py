"""How values from HR data are shown in publications: ``childrens`` becomes "Children's services".

A dataset's ``[labels]`` table in dataset.toml names a label for any value (matched ignoring case,
spaces, underscores and apostrophes); every other value is humanised: a value written like a code
(a letter first, then lower case or with underscores) has its underscores and hyphens replaced by
spaces, known words spelt out ("childrens" is "Children's", "hr" is "HR") and its first letter
capitalised. Values already written as words ("Business support", "Grade 5") or starting with a
sign or digit ("-2+3") are shown as given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

#: whole values that name a service in the words the SC-WRES and councils use
KNOWN_VALUES: dict[str, str] = {
    "childrens": "Children's services",
    "children": "Children's services",
    "childrens services": "Children's services",
    "adults": "Adults' services",
    "adult": "Adults' services",
    "adults services": "Adults' services",
    "asc": "Adult social care",
    "csc": "Children's social care",
}

#: single words spelt out wherever they appear in a code
KNOWN_WORDS: dict[str, str] = {
    "childrens": "children's", "adults": "adults'", "hr": "HR", "it": "IT", "ict": "ICT",
    "nhs": "NHS", "ceo": "CEO", "sen": "SEN", "send": "SEND", "vsm": "VSM",
}


def label_key(value: object) -> str:
    """The form values are matched in: lower case, apostrophes dropped, runs of spaces, underscores
    and hyphens as one space."""
    text = re.sub(r"['’`]", "", str(value).strip().lower())
    return re.sub(r"[\s_\-]+", " ", text).strip()


def humanise(value: object) -> str:
    """A reader's label for a value written like a code; other values unchanged."""
    text = str(value).strip()
    if not text[:1].isalpha() or not (text == text.lower() or "_" in text):
        return text  # "-2+3" is no code: its sign stays
    key = label_key(text)
    if key in KNOWN_VALUES:
        return KNOWN_VALUES[key]
    words = [KNOWN_WORDS.get(w, w) for w in key.split(" ")]
    phrase = " ".join(words)
    return phrase[0].upper() + phrase[1:]


def display_label(value: object, overrides: Mapping[str, str] | None = None) -> str:
    """``value``'s label: the dataset's ``[labels]`` entry for it, else :func:`humanise`."""
    if overrides:
        key = label_key(value)
        for given, label in overrides.items():
            if label_key(given) == key:
                return str(label)
    return humanise(value)
