"""Build report_templates/base.docx: python-docx's default template with accessible house styles.

Run from the repository root: python scripts/make_base_docx.py
Sans-serif 12pt body, dark heading colours with good contrast, British English language.
"""

from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

FONT = "Arial"
TARGET = Path(__file__).resolve().parent.parent / "report_templates" / "base.docx"


def set_font(style, size: float, bold: bool | None = None, colour: RGBColor | None = None) -> None:
    style.font.name = FONT
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if colour is not None:
        style.font.color.rgb = colour


def main() -> None:
    doc = Document()
    styles = doc.styles
    set_font(styles["Normal"], 12)
    styles["Normal"].paragraph_format.space_after = Pt(8)
    styles["Normal"].paragraph_format.line_spacing = 1.15
    set_font(styles["Title"], 26, True, RGBColor(0x0B, 0x0C, 0x0C))
    set_font(styles["Subtitle"], 16, False, RGBColor(0x26, 0x26, 0x26))
    sizes = {1: 18, 2: 15, 3: 13, 4: 12, 5: 12, 6: 12, 7: 12, 8: 12, 9: 12}
    for level, size in sizes.items():
        style = styles[f"Heading {level}"]
        set_font(style, size, True, RGBColor(0x1D, 0x3B, 0x6E))
        style.font.italic = False
        style.paragraph_format.space_before = Pt(14 if level <= 2 else 10)
        style.paragraph_format.keep_with_next = True
    set_font(styles["Caption"], 12, True, RGBColor(0x0B, 0x0C, 0x0C))
    styles["Caption"].font.italic = False
    set_font(styles["List Bullet"], 12)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    for para in list(doc.paragraphs):
        para._p.getparent().remove(para._p)
    doc.core_properties.language = "en-GB"
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    doc.save(TARGET)
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
