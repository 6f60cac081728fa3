"""HTML output: structure, escaping of hostile text, links, the internal stamp, identical bytes."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from test_renderers import INJECTION, render, sample_document

from equality_reports.renderers.html import HtmlRenderer

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


class Outline(HTMLParser):
    """Tags, attributes and text of a page, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def outline(path: Path) -> Outline:
    parser = Outline()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_page_structure(tmp_path: Path) -> None:
    page = outline(render(HtmlRenderer(), sample_document(), tmp_path / "r.html"))
    tags = [t for t, _ in page.tags]
    assert page.tags[0] == ("html", {"lang": "en-GB"})
    assert [t for t in tags if t in ("header", "nav", "main", "footer")] == ["header", "main", "nav", "footer"]
    first_link = next(a for t, a in page.tags if t == "a")
    assert first_link == {"class": "skip-link", "href": "#main"}
    headings = [int(t[1]) for t in tags if t in ("h1", "h2", "h3", "h4", "h5", "h6")]
    assert headings[0] == 1 and all(b - a <= 1 for a, b in zip(headings, headings[1:]))
    assert tags.count("caption") == 2  # the table and the data beside the figure
    scopes = [a.get("scope") for t, a in page.tags if t == "th"]
    assert "col" in scopes and "row" in scopes and None not in scopes
    svg = next(a for t, a in page.tags if t == "svg")
    assert svg["role"] == "img" and svg["aria-labelledby"] == "figure-1-title figure-1-desc"
    assert not [a for t, a in page.tags if t in ("script", "link", "img", "iframe")]
    text = " ".join(page.text)
    assert "[c]" in text and "Confidential: withheld to protect individuals" in text
    assert "Withheld to protect individuals, shown as [c] and not plotted: Ethnic minority." in text
    assert "NOT FOR PUBLICATION" not in text


def test_hostile_text_is_escaped_and_links_follow_the_rule(tmp_path: Path) -> None:
    doc = sample_document()
    table = doc.tables()[0]
    doc.title = HOSTILE
    table.data.at[0, "doc"] = HOSTILE
    table.data.at[1, "where"] = "javascript:alert(1)"
    table.data.at[1, "doc"] = "Minutes\x0b\x00 page"
    path = render(HtmlRenderer(), doc, tmp_path / "r.html")
    page = outline(path)
    assert not [t for t, _ in page.tags if t in ("script", "img")]
    assert not [a for _, a in page.tags if any(k.startswith("on") for k in a)]
    assert HOSTILE in "".join(page.text) and INJECTION in "".join(page.text)
    hrefs = [a["href"] for t, a in page.tags if t == "a" and not (a["href"] or "").startswith("#")]
    assert hrefs == ["evidence/policy.md", "https://example.org/page"]
    assert "Minutes  page" in path.read_text(encoding="utf-8")  # XML-invalid characters gone


def test_internal_page_is_stamped(tmp_path: Path) -> None:
    page = outline(render(HtmlRenderer(), sample_document("internal"), tmp_path / "r.html"))
    text = "".join(page.text)
    assert text.count("NOT FOR PUBLICATION: internal output without disclosure control") == 3  # title, top, footer
    assert ("meta", {"name": "robots", "content": "noindex, nofollow"}) in page.tags


def test_byte_identical(tmp_path: Path) -> None:
    a = render(HtmlRenderer(), sample_document(), tmp_path / "a.html").read_bytes()
    b = render(HtmlRenderer(), sample_document(), tmp_path / "b.html").read_bytes()
    assert a == b


def test_stacked_chart_draws_published_segments_only() -> None:
    from equality_reports.document import Chart
    from equality_reports.renderers.svg import chart_svg

    doc = sample_document()
    chart = Chart("c2", "Stacked <b>share</b>", table="by_group", category="group", values=["pct"], kind="stacked")
    svg = chart_svg(doc, chart, "f9")
    assert svg.count("<rect ") == 2  # White and the third group; the withheld one is not drawn
    assert '<text x="3.0" y="' in svg and ">[c]</text>" in svg
    assert "Stacked &lt;b&gt;share&lt;/b&gt;" in svg and "<b>" not in svg
