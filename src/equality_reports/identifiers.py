"""Person and case references never reach a publication.

The engine never publishes an identifier column (``person_id``, ``application_id``, ``case_id``:
columns of type ``id`` in the tables about people), but free text can carry one into a
publication: a leaver reason "Dismissal (E10423)", a service named after its lead, a contact line
in dataset.toml. Before a publication run writes anything, :func:`check_documents` looks for
references in every text the documents print (and the title page and cover details) and stops the
run (exit 2), saying where each came from.

What is looked for, after folding accents, invisible characters, modifier letters and look-alikes
(full-width digits and digits of other scripts, the characters Unicode lists as confusable with a
Latin letter or digit, the letter O for a zero) and ignoring case, reading text with direction
controls as drawn and both ways:

* each reference of the dataset, rows of any date included, as a word or run of words
  ("E10423" in "Dismissal (E10423)"), and references of 6 or more characters holding a letter
  also when hyphenated, glued to other letters or spaced after a short prefix ("E-10423",
  "refE10423", "E 10 423"), or as their number alone when that has 7 digits (5 or 6 after a
  word such as "ref" or "case"; in labels, after such a word also without its leading zeros, 3
  digits or more: "staff no. 112" for "E0000112"), and in labels its letters with that number
  either way round ("E/112", "E 112", "0000112E");
* references of digits only, ignoring thousands separators and leading zeros: in table cells and
  headings (where labels from the data go), one of 4 or 5 digits only after a word such as
  "ref", "case" or "employee" or standing alone (so "ISO 9001" or "Grade 1500" is not taken for
  one); in sentences, where counts are printed with separators, one written without them (6
  digits or more) or after such a word;
* words shaped like a column's references (7 characters or more: its letters, then as many
  digits, "E" and 7 digits) though the dataset lacks them: the number of someone who has left,
  or of another year's case.

References too short or common to tell a person apart are not looked for: fewer than 4
characters, a year (1900 to 2099), or letters only shorter than 5.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from confusable_homoglyphs.confusables import confusables_data

from equality_reports.dataset import Dataset
from equality_reports.document import Chart, Document, Table
from equality_reports.errors import Problem
from equality_reports.intake.contract import Contract

#: a run of words joined by the punctuation references use ("app-2025-7", "e/104", "c.12")
_TOKEN = re.compile(r"[^\W_]+(?:[-_/.:#][^\W_]+)*")
_WORD = re.compile(r"[^\W_]+")
#: digits with thousands separators ("200,018", "200 018"): one number
_NUMBER = re.compile(r"\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?!\d)|\d+")
#: a word before a short number saying it is a reference
_MARKER = re.compile(r"(?:\b(?:ref|reference|case|employee|emp|staff|person|payroll|no|number|id|hearing|"
                     r"investigation|grievance|disciplinary|appeal|complaint|claim|file)\b|#)\W{0,3}$")
#: letters, then a number, or a number, then letters, as a word or two ("e/112", "e 112", "0000112e")
_LETTERS_NUMBER = re.compile(r"(?<![^\W_])(?:(?P<a>[a-z]{1,3})[\W_]?(?P<n>\d{3,})|(?P<m>\d{3,})[\W_]?(?P<b>[a-z]{1,3}))"
                             r"(?![^\W_])")
#: the shortest reference looked for when spaced, hyphenated or glued to other letters
_SKELETON_MIN = 6


#: characters drawn as nothing (Unicode's default-ignorable code points: fillers, joiners,
#: variation selectors, direction marks), removed before comparing
_IGNORABLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
                        "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]")
#: controls that make text read in the other direction: a reference stored backwards reads forwards
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
#: letters drawn like digits, read as the digit inside references ("EOOOO99" is "E000099")
_DIGIT_LIKE = str.maketrans("oil", "011")


class _Prototypes(dict[int, str]):
    """``str.translate`` table, filled as characters are met: a digit of any script as its ASCII
    digit ("০" of Bengali is 0), a character Unicode lists as confusable with one ASCII character
    (UTS #39 confusables: Cyrillic "О", Armenian "Օ", Tifinagh "ⵔ", "ǀ", "|") as that character."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        number = unicodedata.numeric(ch, -1.0)
        if ch.isascii() and ch != "|":
            found = ch
        elif number in range(10):  # "০", "➊", "⓿", the CJK "四"
            found = str(int(number))
        else:
            found = _LOOK_ALIKES.get(ch) or next((h["c"] for h in confusables_data.get(ch, ())
                                            if len(h["c"]) == 1 and h["c"].isascii()), ch)
        self[code] = found
        return found


#: drawn like a zero or a digit though Unicode's confusables list does not say so
_LOOK_ALIKES = {"Ø": "O", "ø": "o", "⌀": "o", "∅": "o", "Ч": "4", "ч": "4"}


_PROTOTYPES = _Prototypes()


def fold(text: str) -> str:
    """``text`` as compared: accents and other combining marks dropped, compatibility forms
    (full-width, superscript) folded, invisible characters and modifier letters ("ʼ") removed,
    digits of every script and look-alikes made ASCII, lower case."""
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in _IGNORABLE.sub("", text) if unicodedata.category(ch) not in ("Cf", "Lm"))
    return text.translate(_PROTOTYPES).lower()


def _visual(text: str) -> str:
    """``text`` in the order it is drawn where a right-to-left override ("\u202e") reverses part
    of it, up to its closing pop ("\u202c") or the end of the line."""
    return re.sub("\u202e([^\u202c\n]*)\u202c?", lambda m: m.group(1)[::-1], text)


def _pieces(folded: str) -> list[str]:
    """Where a spaced or glued reference may stand: each run without whitespace, and a short run of
    letters (a reference's prefix: "e", "dc"), alone or with digits after it, with the runs of
    digits after it ("e 0010 423", "e000 0001", split by any space, tab or line break); a word's
    last letters never join the number after it ("course 0001 2024" is no "e0001202")."""
    chunks = folded.split()
    out = list(chunks)
    for i, chunk in enumerate(chunks):
        if not re.fullmatch(r"[a-z]{1,3}\d*", _skeleton(chunk)):
            continue
        joined = chunk
        for after in chunks[i + 1:]:
            if not _skeleton(after).isdigit():
                break
            joined += after
            out.append(joined)
    return out


def _skeleton(text: str) -> str:
    """Letters and digits only, letters drawn like digits read as digits; a thousands separator or
    decimal point stays as "|", so a count ("the 100,234 applicants") never joins the word before."""
    text = re.sub(r"(?<=\d)[,.](?=\d)", "|", text)
    return "".join(ch for ch in text if ch.isalnum() or ch == "|").translate(_DIGIT_LIKE)


@dataclass(frozen=True)
class Origin:
    """A reference as the data gives it (or the shape it matched), and the table and column it is from."""

    value: str
    table: str
    column: str
    shaped: bool = False  # a word shaped like the column's references, not one of them


@dataclass(frozen=True)
class Found:
    """A reference printed by a document: where, and the column it belongs to."""

    report: str
    where: str
    origin: Origin


class Identifiers:
    """The dataset's references worth looking for, folded, with the column each is from."""

    def __init__(self, dataset: Dataset, contract: Contract) -> None:
        self.words: dict[str, Origin] = {}  # holds a letter or punctuation: looked for anywhere
        self.numbers: dict[str, Origin] = {}  # digits only, leading zeros dropped: looked for in labels
        self.skeletons: dict[int, dict[str, Origin]] = {}  # length -> letters and digits only -> origin
        self.shapes: dict[str, Origin] = {}  # "e9999999" -> the column whose references look so
        self.digit_parts: dict[str, Origin] = {}  # "0000099" of "E0000099": the number without its letters
        #: "112" of "E0000112": the number without its letters or leading zeros, looked for in labels
        #: after a word such as "staff no." ("Dismissal (staff no. 112)"), 3 digits or more (never in
        #: sentences, where counts follow such words: "staff: 118")
        self.marked_parts: dict[str, Origin] = {}
        #: ("e", "112") of "E0000112": a reference of 1 to 3 letters and a number, looked for in labels
        #: as its letters and its number without leading zeros either way round ("E/112", "0000112E")
        self.lettered: dict[tuple[str, str], Origin] = {}
        for (table, column), values in sorted(_references(dataset, contract).items(),
                                              key=lambda item: item[0][0] != "staff"):  # staff first: named
            for given in values:
                value = fold(given)
                if not _telling(value):
                    continue
                origin = Origin(given, table, column)
                if value.isdigit():
                    self.numbers.setdefault(value.lstrip("0") or "0", origin)
                    continue
                self.words.setdefault(value, origin)
                digits = "".join(re.findall(r"\d+", value))
                if len(digits) >= 5:
                    self.digit_parts.setdefault(digits, origin)
                    if len(digits.lstrip("0")) >= 3:
                        self.marked_parts.setdefault(digits.lstrip("0"), origin)
                if (parts := re.fullmatch(r"([a-z]{1,3})[\W_]?(\d+)", value)) and len(parts[2].lstrip("0")) >= 3:
                    self.lettered.setdefault((parts[1], parts[2].lstrip("0")), origin)
                skeleton = _skeleton(value)
                # a reference whose letters all read as digits ("l0000012") would match plain numbers
                if len(skeleton) >= _SKELETON_MIN and not skeleton.isalpha() and not skeleton.isdigit():
                    self.skeletons.setdefault(len(skeleton), {}).setdefault(skeleton, origin)
            if shape := _common_shape(fold(v) for v in values):
                self.shapes.setdefault(shape, Origin(shape, table, column, shaped=True))

    def __bool__(self) -> bool:
        return bool(self.words or self.numbers or self.shapes)

    def in_text(self, text: str, label: bool) -> Origin | None:
        """The first reference ``text`` prints; short digits-only references and shapes of digits
        only when ``label`` (a table cell or heading, where labels from the data go). Text holding
        direction controls is read both ways."""
        found = self._in_folded(fold(text), label)
        if found is None and _BIDI.search(text):
            found = self._in_folded(fold(_visual(text)), label) or self._in_folded(fold(text[::-1]), label)
        return found

    def _in_folded(self, folded: str, label: bool) -> Origin | None:
        for token in _TOKEN.findall(folded):
            for span in _spans(token):
                if span in self.words:
                    return self.words[span]
            shape = _shape(token)
            if shape in self.shapes and (label or not token.isdigit()):
                return self.shapes[shape]
        for piece in _pieces(folded):
            skeleton = _skeleton(piece)
            if re.fullmatch(r"[a-z]{1,3}[\d|]+", skeleton):  # "e0.000.117": a prefix glued to grouped digits
                skeleton = skeleton.replace("|", "")
            for length, known in self.skeletons.items():
                for start in range(len(skeleton) - length + 1):
                    if skeleton[start:start + length] in known:
                        return known[skeleton[start:start + length]]
        # a reference's number without its letters: a number alone, or the first groups of a number
        # grouped by spaces ("no. 0000 041"; a telephone number's later groups never join)
        for match in re.finditer(r"(?<![^\W_])\d+(?:[ \u00a0]\d+)*(?![^\W_])", folded):
            groups = list(re.finditer(r"\d+", match.group()))
            spans = [(g, g.group()) for g in groups] + [
                (groups[0], "".join(g.group() for g in groups[:j])) for j in range(2, len(groups) + 1)]
            for first, digits in spans:
                as_given = digits in self.digit_parts
                unpadded = label and digits.lstrip("0") in self.marked_parts
                if not as_given and not unpadded:
                    continue
                if as_given and len(digits) >= 7:
                    return self.digit_parts[digits]
                if _MARKER.search(folded[:match.start() + first.start()]):
                    return self.digit_parts[digits] if as_given else self.marked_parts[digits.lstrip("0")]
        if label and self.lettered and (found := self._lettered_in(folded)):
            return found
        return self._number_in(folded, label) if self.numbers else None

    def _lettered_in(self, folded: str) -> Origin | None:
        """A reference's letters and number in a label, the number without its leading zeros and
        either way round, apart or glued: "E/112", "E 112", "0000112E" for "E0000112"."""
        for match in _LETTERS_NUMBER.finditer(folded):
            letters, number = match["a"] or match["b"], (match["n"] or match["m"]).lstrip("0")
            if (letters, number) in self.lettered:
                return self.lettered[(letters, number)]
        return None

    def _number_in(self, folded: str, label: bool) -> Origin | None:
        """A digits-only reference: in a label anywhere (4 or 5 digits after a word such as "ref",
        or alone); in a sentence, where counts are printed with separators, 6 digits or more
        written without them, or any after such a word."""
        for match in _NUMBER.finditer(folded):
            digits = re.sub(r"\D", "", match.group())
            number = digits.lstrip("0") or "0"
            if number not in self.numbers:
                continue
            before, after = folded[:match.start()], folded[match.end():]
            if re.search(r"[^\W_]$", before) or re.match(r"[^\W_]", after):
                continue  # inside a longer word ("A12345"): the words above look for those
            marked = bool(_MARKER.search(before))
            if label and (len(digits) >= 6 or marked or not (before + after).strip(" ()[]-:.,")):
                return self.numbers[number]
            if not label and (marked or (len(digits) >= 6 and match.group().isdigit())):
                return self.numbers[number]
        return None


def _references(dataset: Dataset, contract: Contract) -> dict[tuple[str, str], list[str]]:
    """Every reference of the tables about people: as read (rows of any date) where the loader
    kept them, else the tables' own."""
    if dataset.references:
        return dataset.references
    out = {}
    for name, frame in dataset.tables.items():
        spec = contract[name] if name in contract else None
        if spec is not None and spec.person_table:
            for column in (c.name for c in spec.columns if c.type == "id" and c.name in frame.columns):
                out[(name, column)] = sorted(frame[column].dropna().astype(str).str.strip().unique())
    return out


def _telling(value: str) -> bool:
    """Whether a reference is distinctive enough to look for in published text."""
    if len(value) < 4 or not any(ch.isalnum() for ch in value):
        return False
    if value.isdigit():
        return not (len(value) == 4 and value[:2] in ("19", "20"))
    return not value.isalpha() or len(value) >= 5


def _shape(token: str) -> str:
    """A reference's shape: its digits as 9, its letters as they are ("e0000852" is "e9999999")."""
    return re.sub(r"\d", "9", token)


def _common_shape(values: Iterable[str]) -> str | None:
    """The shape most of a column's references share ("e9999999"), when it tells a reference
    apart from ordinary words and numbers: 7 characters or more (a course or cost-centre code of
    6 looks like a case reference) with 4 digits or more."""
    shapes = Counter(_shape(v) for v in values)
    if not shapes:
        return None
    shape, n = shapes.most_common(1)[0]
    if n < 0.8 * sum(shapes.values()) or len(shape) < 7 or shape.count("9") < 4:
        return None
    return shape if _TOKEN.fullmatch(shape) else None


def _spans(token: str) -> Iterator[str]:
    """Every run of consecutive words in ``token``, with the punctuation between them:
    "e-104/2" gives "e-104/2", "e-104", "e", "104/2", "104", "2"."""
    words = list(_WORD.finditer(token))
    for i, first in enumerate(words):
        for last in words[i:]:
            yield token[first.start():last.end()]


def _texts(document: Document) -> Iterator[tuple[str, str, bool]]:
    """(where, text, is a label) for every text the document prints."""
    yield "title", " ".join((document.title, document.subtitle, document.summary, *document.notes)), False
    for _depth, section in document.walk():
        yield f"heading '{section.title}'", section.title, True
        for block in section.blocks:
            if isinstance(block, Table):
                yield from _table_texts(block)
            elif isinstance(block, Chart):
                yield f"chart '{block.title}'", f"{block.title} {block.alt_text}", False
            elif block.text:
                yield f"section '{section.title}'", block.text, False
    for fid, figure in document.figures.items():
        yield f"figure {fid}", f"{figure.label} {figure.note}", False
        if isinstance(figure.value, str):
            yield f"figure {fid}", figure.value, True


def _table_texts(table: Table) -> Iterator[tuple[str, str, bool]]:
    where = f"table '{table.title}'"
    yield where, " ".join((table.title, table.description, table.source, *table.notes)), False
    for column in table.columns:
        yield where, column.label, True
        if column.kind == "text":
            for value in table.data[column.key].dropna().astype(str).unique():
                yield where, value, True


def find_identifiers(document: Document, identifiers: Identifiers) -> list[Found]:
    """The references ``document`` prints, one per place."""
    if not identifiers:
        return []
    return [Found(document.report, where, hit) for where, text, label in _texts(document)
            if text and (hit := identifiers.in_text(text, label))]


@dataclass(frozen=True)
class Detail:
    """A text a run publishes outside its documents (the cover's contact, the run record's data
    folder), with where it is set and how to change it."""

    what: str
    text: str
    file: str | None
    setting: str
    fix: str


def check_documents(documents: list[Document], dataset: Dataset, contract: Contract,
                    details: Iterable[Detail] = ()) -> list[Problem]:
    """A problem for each reference the documents (or ``details``) would print, saying where it
    came from."""
    identifiers = Identifiers(dataset, contract)
    problems = []
    seen: set[tuple[str, str]] = set()
    for detail in details:
        if detail.text and (hit := identifiers.in_text(detail.text, label=False)):
            problems.append(_problem(hit, detail.what, detail.file, None, detail.setting, detail.fix))
    for found in (f for d in documents for f in find_identifiers(d, identifiers)):
        if (found.report, found.origin.value) in seen:
            continue
        seen.add((found.report, found.origin.value))
        problems.append(_located(found, dataset, contract))
    return problems


def _located(found: Found, dataset: Dataset, contract: Contract) -> Problem:
    """The problem for ``found``, naming the input cell or dataset.toml setting it came from."""
    where = f"the {found.report} publication's {found.where}"
    origin = found.origin
    file, row, column = _source(dataset, contract, origin)
    if file:
        return _problem(origin, where, file, row, column, f"remove the reference from the {column} values, or give "
                        "the value a label without it under [labels] in dataset.toml")
    for key, text in _settings(dataset.config):
        if text and _holds(text, origin):
            return _problem(origin, where, "dataset.toml", None, key, f"remove the reference from {key} in "
                            "dataset.toml")
    return _problem(origin, where, None, None, None, "remove the reference from the free text of the data, or give "
                    "the value a label without it under [labels] in dataset.toml")


def _problem(origin: Origin, where: str, file: str | None, row: int | None, column: str | None,
             fix: str) -> Problem:
    what = (f"a word shaped like the references in {origin.table}.{origin.column} (\"{origin.value}\", "
            "9 standing for a digit)" if origin.shaped else f"a reference from {origin.table}.{origin.column} "
            f"({origin.value!r})")
    return Problem(f"{where} would print {what}, an identifier of a person or case; identifiers are never "
                   "published", file=file, row=row, column=column, fix=fix)


def _holds(text: str, origin: Origin) -> bool:
    """Whether ``text`` holds the reference (spaced or punctuated alike) or a word of its shape."""
    folded = fold(text)
    if origin.shaped:
        return any(_shape(token) == origin.value for token in _TOKEN.findall(folded))
    value = _skeleton(fold(origin.value))
    if value.isdigit():
        return any((re.sub(r"\D", "", m.group()).lstrip("0") or "0") == (value.lstrip("0") or "0")
                   for m in _NUMBER.finditer(folded))
    return value in _skeleton(folded)


def _settings(config: dict[str, object]) -> Iterator[tuple[str, str]]:
    """The texts of dataset.toml a publication prints: the organisation, [labels] and [publication]."""
    yield "organisation", str(config.get("organisation", ""))
    labels = config.get("labels")
    if isinstance(labels, dict):
        for given, label in labels.items():
            yield f"[labels] {given!r}", str(label)
    publication = config.get("publication")
    if isinstance(publication, dict):
        for key, value in publication.items():
            yield f"[publication] {key}", str(value)


def _source(dataset: Dataset, contract: Contract, origin: Origin) -> tuple[str | None, int | None, str | None]:
    """The first input cell outside the identifier columns holding the reference (or shape)."""
    for name, frame in dataset.tables.items():
        spec = contract[name] if name in contract else None
        ids = {c.name for c in spec.columns if c.type == "id"} if spec else set()
        for column in frame.columns:
            if column in ids or frame[column].dtype.kind not in "OSU":
                continue
            text = frame[column].dropna().astype(str)
            holding = {value for value in text.unique() if _holds(value, origin)}
            if holding:
                hits = text.isin(holding)
                index = hits.index[hits.to_numpy().argmax()]
                return dataset.input_file(name), dataset.file_row(name, index), column
    return None, None, None
