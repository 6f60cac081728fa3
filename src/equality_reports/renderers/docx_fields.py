"""Word fields with their results already filled in: page numbers in the footer and the contents.

Every field carries a cached result, so the document is right as opened, in any program, and never
asks to update fields (no ``w:updateFields``).
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from equality_reports.renderers.docx_pages import Heading


def _run(child_tag: str, text: str | None = None, **attrs: str):  # type: ignore[no-untyped-def]
    run = OxmlElement("w:r")
    child = OxmlElement(child_tag)
    for key, value in attrs.items():
        child.set(qn(key), value)
    if text is not None:
        child.set(qn("xml:space"), "preserve")
        child.text = text
    run.append(child)
    return run


def text_run(text: str):  # type: ignore[no-untyped-def]
    return _run("w:t", text)


def field_runs(instruction: str, result: str) -> tuple[list, object]:  # type: ignore[type-arg]
    """The runs of a complex field with a cached result, and the result's ``w:t`` (to fill in later)."""
    shown = text_run(result)
    runs = [_run("w:fldChar", **{"w:fldCharType": "begin"}), _run("w:instrText", f" {instruction} "),
            _run("w:fldChar", **{"w:fldCharType": "separate"}), shown, _run("w:fldChar", **{"w:fldCharType": "end"})]
    return runs, shown.find(qn("w:t"))


def bookmark(paragraph, name: str, number: int) -> None:  # type: ignore[no-untyped-def]
    """Wrap the paragraph's runs in a bookmark (the target of a contents entry)."""
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), str(number))
    p = paragraph._p
    ppr = p.find(qn("w:pPr"))
    p.insert(0 if ppr is None else list(p).index(ppr) + 1, start)
    p.append(end)


def footer_paragraph(paragraph, prefix: str) -> object:  # type: ignore[no-untyped-def]
    """'<prefix>Page N of M' with PAGE and NUMPAGES fields; returns the NUMPAGES result ``w:t``."""
    paragraph._p.append(text_run(f"{prefix}Page "))
    page, _ = field_runs("PAGE", "1")
    total, shown = field_runs("NUMPAGES", "1")
    paragraph._p.extend([*page, text_run(" of "), *total])
    return shown


def contents(anchor, headings: list[tuple[str, Heading]]) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """A TOC field after paragraph ``anchor`` with one entry paragraph per heading (given with the
    id of its 'toc n' style): a hyperlink to the heading's bookmark holding a PAGEREF field.
    Returns each entry's page number ``w:t``, to fill in."""
    pages: dict[str, object] = {}
    if not headings:
        return pages
    previous = anchor
    for number, (style_id, heading) in enumerate(headings):
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        style = OxmlElement("w:pStyle")
        style.set(qn("w:val"), style_id)
        ppr.append(style)
        p.append(ppr)
        if number == 0:
            begin, _ = field_runs('TOC \\o "1-2" \\h \\z \\u', "")
            p.extend(begin[:3])
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), heading.bookmark)
        link.set(qn("w:history"), "1")
        ref, shown = field_runs(f"PAGEREF {heading.bookmark} \\h", "1")
        link.extend([text_run(heading.text), _run("w:tab"), *ref])
        p.append(link)
        pages[heading.bookmark] = shown
        previous.addnext(p)
        previous = p
    end = OxmlElement("w:p")
    end.append(_run("w:fldChar", **{"w:fldCharType": "end"}))
    previous.addnext(end)
    return pages
