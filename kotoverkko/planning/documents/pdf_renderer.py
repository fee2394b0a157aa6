"""A `Document` as PDF (WeasyPrint) from the HTML template `planning/documents/document_pdf.html`.

The PDF is tagged (PDF/UA-1): headings, tables with header cells, images with alternative text
and the document language are in its structure, so screen readers can read it. The fetcher
allows data: URIs only; the template carries its own styles and the charts as embedded PNG.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from .model import Document, Figure, Paragraph, Table

CONTENT_TYPE = "application/pdf"
PDF_VARIANT = "pdf/ua-1"


def _fetcher() -> Any:
    """A WeasyPrint URL fetcher for data: URIs only (imported here: WeasyPrint loads slowly)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class DataOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
            if not url.startswith("data:"):
                raise ValueError(f"Not fetched: {url}")
            return super().fetch(url, headers)

    return DataOnlyFetcher(allowed_protocols={"data"}, allow_redirects=False)


def _kind(block: object) -> str:
    if isinstance(block, Paragraph):
        return "paragraph"
    if isinstance(block, Table):
        return "table"
    if isinstance(block, Figure):
        return "figure"
    return ""


def html_for(content: Document) -> str:
    """The HTML the PDF is laid out from."""

    def prepare(section: Any, level: int) -> dict[str, Any]:
        blocks = []
        for block in section.blocks:
            item = {"kind": _kind(block), "block": block}
            if isinstance(block, Figure):
                item["src"] = "data:image/png;base64," + base64.b64encode(block.png).decode("ascii")
            blocks.append(item)
        return {
            "heading": section.heading,
            "level": min(level, 4),
            "blocks": blocks,
            "subsections": [prepare(sub, level + 1) for sub in section.subsections],
        }

    sections = [prepare(section, 2) for section in content.sections]
    with translation.override(content.language):
        return render_to_string(
            "planning/documents/document_pdf.html", {"document": content, "sections": sections}
        )


def pdf_document(content: Document) -> Any:
    """The laid-out WeasyPrint document (tests inspect its pages)."""
    from weasyprint import HTML

    return HTML(string=html_for(content), base_url="data:,", url_fetcher=_fetcher()).render(
        pdf_variant=PDF_VARIANT
    )


def render_pdf(content: Document) -> bytes:
    """The document as tagged PDF bytes."""
    return pdf_document(content).write_pdf(pdf_variant=PDF_VARIANT)
