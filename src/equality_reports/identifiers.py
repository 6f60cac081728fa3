"""Person and case references never reach a publication.

The engine never publishes an identifier column (``person_id``, ``application_id``, ``case_id``:
columns of type ``id`` in the tables about people), but free-text columns can carry one into
a publication as a label: a leaver reason "Dismissed (E10423)", a course named after a case, an
evidence file named after the member of staff it concerns. Before a publication run writes
anything, :func:`check_documents` looks for the dataset's identifiers in every text the documents
print and stops the run (exit 2) with the file, row and column each one came from.

What counts as a match: the identifier as a whole word or run of words (``E10423`` in
"Dismissed (E10423)", ``APP-2025-7`` in "APP-2025-7 withdrawn"), ignoring case. References too
short or too common to tell a person apart are not looked for: fewer than 4 characters, a year
(1900 to 2099), or letters only shorter than 5. References of digits only are looked for in table
cells and headings (where labels from the data go), not in prose, where counts are printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from equality_reports.dataset import Dataset
from equality_reports.document import Chart, Document, Table
from equality_reports.errors import Problem
from equality_reports.intake.contract import Contract

#: a run of words joined by the punctuation references use ("APP-2025-7", "E/104", "C.12")
_TOKEN = re.compile(r"[^\W_]+(?:[-_/.:#][^\W_]+)*")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Origin:
    """An identifier as the data gives it, and the table and column it is from."""

    value: str
    table: str
    column: str


@dataclass(frozen=True)
class Found:
    """An identifier printed by a document: where, and the column it belongs to."""

    report: str
    where: str
    identifier: str
    table: str
    column: str


class Identifiers:
    """The dataset's identifiers worth looking for, lower-cased, with the column each is from."""

    def __init__(self, dataset: Dataset, contract: Contract) -> None:
        self.words: dict[str, Origin] = {}  # holds a letter or punctuation: looked for anywhere
        self.numbers: dict[str, Origin] = {}  # digits only: looked for in labels
        self.spaced: dict[str, Origin] = {}  # holds a space: looked for as a substring
        for name in sorted(dataset.tables, key=lambda t: t != "staff"):  # staff first: named as the source
            frame = dataset.tables[name]
            spec = contract[name] if name in contract else None
            if spec is None or not spec.person_table:
                continue
            for column in (c.name for c in spec.columns if c.type == "id" and c.name in frame.columns):
                for given in frame[column].dropna().astype(str).str.strip().unique():
                    value = given.lower()
                    if _telling(value):
                        into = self.numbers if value.isdigit() else self.spaced if not _TOKEN.fullmatch(value) \
                            else self.words
                        into.setdefault(value, Origin(given, name, column))

    def __bool__(self) -> bool:
        return bool(self.words or self.numbers or self.spaced)

    def in_text(self, text: str, label: bool) -> Origin | None:
        """The first identifier ``text`` prints; digits-only identifiers only when ``label`` (a
        table cell or heading, where labels from the data go)."""
        lowered = text.lower()
        for token in _TOKEN.findall(lowered):
            for span in _spans(token):
                if span in self.words:
                    return self.words[span]
                if label and span in self.numbers:
                    return self.numbers[span]
        for value, origin in self.spaced.items():
            if re.search(rf"(?<![^\W_]){re.escape(value)}(?![^\W_])", lowered):
                return origin
        return None


def _telling(value: str) -> bool:
    """Whether a reference is distinctive enough to look for in published text."""
    if len(value) < 4 or not any(ch.isalnum() for ch in value):
        return False
    if value.isdigit():
        return not (len(value) == 4 and value[:2] in ("19", "20"))
    return not value.isalpha() or len(value) >= 5


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
    """The identifiers ``document`` prints, one per place."""
    if not identifiers:
        return []
    found = []
    for where, text, label in _texts(document):
        if text and (hit := identifiers.in_text(text, label)):
            found.append(Found(document.report, where, hit.value, hit.table, hit.column))
    return found


def check_documents(documents: list[Document], dataset: Dataset, contract: Contract) -> list[Problem]:
    """A problem for each identifier the documents print, located in the free-text column of
    the input it came from where it can be found there."""
    identifiers = Identifiers(dataset, contract)
    problems = []
    seen: set[tuple[str, str]] = set()
    for found in (f for d in documents for f in find_identifiers(d, identifiers)):
        if (found.report, found.identifier) in seen:
            continue
        seen.add((found.report, found.identifier))
        file, row, column = _source(dataset, contract, found.identifier)
        problems.append(Problem(
            f"the {found.report} publication would print a reference from {found.table}.{found.column} "
            f"(a person's or case's identifier) in its {found.where}; identifiers are never published",
            file=file, row=row, column=column, value=found.identifier,
            fix=f"remove the reference from the {column or 'text'} values, or give the value a label without "
                "it under [labels] in dataset.toml"))
    return problems


def _source(dataset: Dataset, contract: Contract, identifier: str) -> tuple[str | None, int | None, str | None]:
    """The first input cell outside the identifier columns that holds ``identifier``."""
    pattern = rf"(?<![^\W_]){re.escape(identifier)}(?![^\W_])"
    for name, frame in dataset.tables.items():
        spec = contract[name] if name in contract else None
        ids = {c.name for c in spec.columns if c.type == "id"} if spec else set()
        for column in frame.columns:
            if column in ids or frame[column].dtype.kind not in "OSU":
                continue
            hits = frame[column].astype("string").str.contains(pattern, case=False, regex=True, na=False)
            if hits.any():
                index = hits.to_numpy().argmax()
                return dataset.input_file(name), dataset.file_row(name, frame.index[index]), column
    return None, None, None
