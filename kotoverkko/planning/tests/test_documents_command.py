"""`manage.py export_programme` writes the programme or a round's report to a file."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document as read_docx

from kotoverkko.planning.documents import charts

from .test_documents_fixtures import MEASURE_TITLE, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_statistics(monkeypatch):
    monkeypatch.setattr(charts, "situation_charts_for", lambda codes: None)


def test_export_programme__docx_file(tmp_path):
    world = make_programme()
    target = tmp_path / "ohjelma.docx"
    call_command(
        "export_programme",
        str(world.programme.pk),
        "--format",
        "docx",
        "--output",
        str(target),
        stdout=io.StringIO(),
    )
    document = read_docx(str(target))
    assert any(
        MEASURE_TITLE in cell.text for table in document.tables for row in table.rows for cell in row.cells
    )


def test_export_programme__pdf_in_swedish(tmp_path):
    world = make_programme()
    target = tmp_path / "program.pdf"
    call_command(
        "export_programme",
        str(world.programme.pk),
        "--format",
        "pdf",
        "--language",
        "sv",
        "--output",
        str(target),
        stdout=io.StringIO(),
    )
    assert target.read_bytes().startswith(b"%PDF")


def test_export_programme__round_report(tmp_path):
    world = make_programme()
    target = tmp_path / "seuranta.docx"
    call_command(
        "export_programme",
        str(world.programme.pk),
        "--round",
        str(world.round.pk),
        "--output",
        str(target),
        stdout=io.StringIO(),
    )
    text = "\n".join(p.text for p in read_docx(str(target)).paragraphs)
    assert "Seuranta 2025" in text


def test_export_programme__unknown_id__error(tmp_path):
    with pytest.raises(CommandError):
        call_command("export_programme", "999999", "--output", str(tmp_path / "x.docx"))
