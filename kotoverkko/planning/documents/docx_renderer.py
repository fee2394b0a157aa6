"""A `Document` as DOCX (python-docx): what municipal offices circulate and edit.

Accessibility: real Title/Heading 1/Heading 2 styles (the navigation pane and screen readers use
them), a table of contents field Word fills in, table header rows marked as such (repeated on
every page), alternative text on every chart, the document's language in its styles and
properties, and right-to-left runs for comments written in right-to-left scripts.
"""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from .model import Document, Figure, Paragraph, Section, Table

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LANGUAGE_TAGS = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}
FIGURE_WIDTH = Cm(16)
NOTE_COLOUR = RGBColor(0x40, 0x40, 0x40)


def _language_tag(code: str) -> str:
    return LANGUAGE_TAGS.get(code, code)


def _set_run_language(run: object, code: str, *, rtl: bool) -> None:
    properties = run._element.get_or_add_rPr()  # type: ignore[attr-defined]
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), _language_tag(code))
    if rtl:
        language.set(qn("w:bidi"), _language_tag(code))
        properties.append(OxmlElement("w:rtl"))
    properties.append(language)


def _set_default_language(document: object, code: str) -> None:
    normal = document.styles["Normal"]  # type: ignore[attr-defined]
    properties = normal.element.get_or_add_rPr()
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), _language_tag(code))
    properties.append(language)


def _mark_header_row(table: DocxTable) -> None:
    """Mark the first row as the header: assistive technology reads it, Word repeats it."""
    row_properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row_properties.append(header)
    cant_split = OxmlElement("w:cantSplit")
    row_properties.append(cant_split)


def _add_contents_field(document: object, heading: str) -> None:
    """A table-of-contents field; Word fills it in when the document is opened or printed."""
    document.add_heading(heading, level=1)  # type: ignore[attr-defined]
    paragraph = document.add_paragraph()  # type: ignore[attr-defined]
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), 'TOC \\o "1-2" \\h \\z \\u')
    field.set(qn("w:dirty"), "true")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "…"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    settings = document.settings.element  # type: ignore[attr-defined]
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _paragraph(document: object, block: Paragraph, language: str) -> DocxParagraph:
    paragraph = document.add_paragraph()  # type: ignore[attr-defined]
    run = paragraph.add_run(block.text)
    if block.style == "note":
        run.italic = True
        run.font.color.rgb = NOTE_COLOUR
        run.font.size = Pt(9)
    elif block.style == "label":
        run.bold = True
    elif block.style == "quote":
        paragraph.paragraph_format.left_indent = Cm(1)
    if block.language and block.language != language:
        rtl = block.direction == "rtl"
        _set_run_language(run, block.language, rtl=rtl)
        if rtl:
            paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
    return paragraph


def _table(document: object, block: Table) -> None:
    caption = document.add_paragraph(style="Caption")  # type: ignore[attr-defined]
    caption.add_run(block.caption)
    table = document.add_table(rows=1, cols=len(block.headers))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    # Word uses the caption as the table's title for assistive technology (tblCaption).
    table_properties = table._tbl.tblPr
    title = OxmlElement("w:tblCaption")
    title.set(qn("w:val"), block.caption[:250])
    table_properties.append(title)
    for cell, text in zip(table.rows[0].cells, block.headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    _mark_header_row(table)
    for values in block.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text or ""
    if not block.rows:
        cells = table.add_row().cells
        cells[0].text = "–"


def _figure(document: object, block: Figure) -> None:
    document.add_picture(io.BytesIO(block.png), width=FIGURE_WIDTH)  # type: ignore[attr-defined]
    inline = document.inline_shapes[-1]  # type: ignore[attr-defined]
    properties = inline._inline.docPr
    properties.set("title", block.title[:250])
    properties.set("descr", block.description)
    caption = document.add_paragraph(style="Caption")  # type: ignore[attr-defined]
    caption.add_run(block.title)
    if block.caption:
        caption.add_run(f" – {block.caption}")


def _section(document: object, section: Section, level: int, language: str) -> None:
    document.add_heading(section.heading, level=level)  # type: ignore[attr-defined]
    for block in section.blocks:
        if isinstance(block, Paragraph):
            _paragraph(document, block, language)
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Figure):
            _figure(document, block)
    for subsection in section.subsections:
        _section(document, subsection, min(level + 1, 3), language)


def render_docx(content: Document) -> bytes:
    """The document as DOCX bytes."""
    document = new_docx()
    _set_default_language(document, content.language)
    properties = document.core_properties
    properties.title = content.title
    properties.subject = content.subtitle
    properties.language = _language_tag(content.language)
    properties.author = content.footer
    page = document.sections[0]
    page.orientation = WD_ORIENT.PORTRAIT
    page.page_width, page.page_height = Cm(21), Cm(29.7)
    page.left_margin = page.right_margin = Cm(2.5)
    if content.footer:
        page.footer.paragraphs[0].text = f"{content.footer} – {content.title}"

    # Cover page
    document.add_paragraph(content.subtitle, style="Subtitle")
    document.add_heading(content.title, level=0)
    if content.is_draft:
        draft = document.add_paragraph().add_run(content.draft_label)
        draft.bold = True
        draft.font.color.rgb = RGBColor(0xA4, 0x00, 0x00)
    for line in content.cover_lines:
        document.add_paragraph(line)
    document.add_paragraph(content.generated_on)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    _add_contents_field(document, content.contents_heading)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for section in content.sections:
        _section(document, section, 1, content.language)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
