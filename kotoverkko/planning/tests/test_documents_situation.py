"""The situation picture's real charts in the programme document (with the situation demo data)."""

from __future__ import annotations

import io

import pytest
from django.template.loader import render_to_string
from docx import Document as read_docx

from kotoverkko.planning.documents import builder, charts, docx_renderer
from kotoverkko.situation.demo import load_demo as load_situation_demo

from .test_documents_fixtures import make_programme

pytestmark = pytest.mark.django_db


def test_situation_charts_for__demo_statistics__png_charts_with_sources():
    load_situation_demo()
    found = charts.situation_charts_for(["049"])
    assert found is not None
    assert found.charts
    assert all(chart.png.startswith(b"\x89PNG") and chart.description for chart in found.charts)
    assert found.sources


def test_programme_docx__demo_statistics__charts_as_images():
    load_situation_demo()
    world = make_programme(code="049")
    data = docx_renderer.render_docx(builder.programme_document(world.programme, language="fi"))
    document = read_docx(io.BytesIO(data))
    assert len(document.inline_shapes) >= 2
    assert any(p.text.startswith("Lähde:") for p in document.paragraphs)


def test_download_buttons__links_to_both_formats_in_page_language():
    world = make_programme()
    html = render_to_string(
        "planning/documents/_download_buttons.html", {"programme": world.programme, "monitoring_round": None}
    )
    assert f"/programmes/{world.programme.pk}/programme.docx?language=fi" in html
    assert f"/programmes/{world.programme.pk}/programme.pdf?language=fi" in html
