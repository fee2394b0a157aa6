"""Programme and monitoring documents as DOCX and PDF, read back as a reader would."""

from __future__ import annotations

import io

import pytest
from docx import Document as read_docx
from docx.oxml.ns import qn

from kotoverkko.planning.documents import builder, charts, docx_renderer, pdf_renderer
from kotoverkko.planning.enums import ProgrammeStatus

from .test_documents_fixtures import (
    MEASURE_TITLE,
    RESPONSIBLE_NAME,
    add_comment,
    make_consultation,
    make_programme,
)

pytestmark = pytest.mark.django_db

CHART_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="200" viewBox="0 0 640 200">'
    '<rect width="640" height="200" fill="#fff"/>'
    '<rect x="10" y="50" width="300" height="40" fill="#1f4e79"/></svg>'
)


@pytest.fixture
def with_chart(monkeypatch):
    """The situation picture with one chart (the area has no imported statistics in tests)."""
    image = charts.ChartImage(
        slug="trend",
        title="Vieraskielisten osuus",
        description="Osuus kasvoi 8 prosentista 12 prosenttiin.",
        caption="Kirkkonummi",
        png=charts.svg_to_png(CHART_SVG),
        width=640,
        height=200,
        headers=[],
        rows=[],
    )
    source = charts.SourceNote("Tilastokeskus", "Väestörakenne", "11rm", "CC BY 4.0", "2025-05-01", False)
    found = charts.SituationCharts(area_name="Kirkkonummi", charts=[image], sources=[source])
    monkeypatch.setattr(charts, "situation_charts_for", lambda codes: found)
    return found


def _docx(data: bytes):
    document = read_docx(io.BytesIO(data))
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        texts.extend(cell.text for row in table.rows for cell in row.cells)
    return document, "\n".join(texts)


def _pdf(content) -> tuple[int, str]:
    rendered = pdf_renderer.pdf_document(content)
    texts: list[str] = []

    def walk(box):
        text = getattr(box, "text", None)
        if isinstance(text, str):
            texts.append(text)
        for child in getattr(box, "children", None) or []:
            walk(child)

    for page in rendered.pages:
        walk(page._page_box)
    return len(rendered.pages), " ".join(texts)


def test_svg_to_png__png_bytes():
    assert charts.svg_to_png(CHART_SVG).startswith(b"\x89PNG")


def test_programme_docx__headings_tables_image_and_responsibility(with_chart):
    world = make_programme()
    document, text = _docx(
        docx_renderer.render_docx(builder.programme_document(world.programme, language="fi"))
    )
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    styles = {style for style, _text in headings}
    assert {"Title", "Heading 1", "Heading 2"} <= styles
    assert len(document.tables) >= 2
    assert len(document.inline_shapes) == 1
    assert MEASURE_TITLE in text
    assert RESPONSIBLE_NAME in text
    assert "Tilastokeskus" in text
    # Every table's first row is a header row (repeated on each page, read as headers).
    for table in document.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_programme_docx__chart_has_alternative_text(with_chart):
    world = make_programme()
    document, _text = _docx(
        docx_renderer.render_docx(builder.programme_document(world.programme, language="en"))
    )
    assert (
        document.inline_shapes[0]._inline.docPr.get("descr") == "Osuus kasvoi 8 prosentista 12 prosenttiin."
    )
    assert document.core_properties.language == "en-GB"


def test_programme_docx__indicator_baseline_target_latest(with_chart):
    world = make_programme()
    _document, text = _docx(
        docx_renderer.render_docx(builder.programme_document(world.programme, language="en"))
    )
    assert "55.5 %" in text
    assert "62 %" in text
    assert "57.25 %" in text


def test_programme_docx__consultation_summary_with_arabic_comment(with_chart):
    world = make_programme()
    closed = make_consultation(world.programme, is_open=False)
    add_comment(
        closed, "نحتاج إلى دروس مسائية", language="ar", answer="Iltaryhmä alkaa syksyllä.", goal=world.goal
    )
    document, text = _docx(
        docx_renderer.render_docx(builder.programme_document(world.programme, language="fi"))
    )
    assert "نحتاج إلى دروس مسائية" in text
    assert "Iltaryhmä alkaa syksyllä." in text
    arabic = next(p for p in document.paragraphs if "نحتاج" in p.text)
    assert arabic.runs[0]._r.rPr.find(qn("w:rtl")) is not None


def test_programme_docx__draft_is_marked(with_chart):
    world = make_programme(status=ProgrammeStatus.DRAFT)
    _document, text = _docx(
        docx_renderer.render_docx(builder.programme_document(world.programme, language="en"))
    )
    assert "Draft – not adopted" in text


def test_programme_pdf__tagged_pdf_with_measure_and_pages(with_chart):
    world = make_programme()
    content = builder.programme_document(world.programme, language="fi")
    data = pdf_renderer.render_pdf(content)
    assert data.startswith(b"%PDF")
    uncompressed = pdf_renderer.pdf_document(content).write_pdf(
        pdf_variant=pdf_renderer.PDF_VARIANT, uncompressed_pdf=True
    )
    assert b"/StructTreeRoot" in uncompressed  # tagged (PDF/UA)
    assert b"/Lang (fi)" in uncompressed
    pages, text = _pdf(content)
    assert 3 <= pages <= 12
    assert MEASURE_TITLE in text
    assert RESPONSIBLE_NAME in text


def test_programme_document__no_statistics__says_so(monkeypatch):
    monkeypatch.setattr(charts, "situation_charts_for", lambda codes: None)
    world = make_programme()
    content = builder.programme_document(world.programme, language="en")
    situation = next(section for section in content.sections if section.heading == "Situation picture")
    assert "No statistics" in situation.blocks[0].text


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_round_document__both_formats(with_chart, language):
    world = make_programme()
    content = builder.round_document(world.round, language=language)
    _document, text = _docx(docx_renderer.render_docx(content))
    assert "Kävijöitä 40 viikossa." in text
    assert RESPONSIBLE_NAME in text
    assert pdf_renderer.render_pdf(content).startswith(b"%PDF")
