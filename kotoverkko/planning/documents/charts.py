"""The situation picture's charts for documents: the situation app's SVG charts as PNG images.

Word processors do not all show SVG, so the documents carry PNG at twice the chart's size
(sharp when printed). The chart's own title and description become the image's alternative text.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from kotoverkko.core.i18n import localized
from kotoverkko.situation import charts as situation_charts
from kotoverkko.situation import selectors as situation_selectors

# The charts a council document shows, in this order (the area page has the same ones).
DOCUMENT_CHARTS = ("trend", "languages", "countries", "country-groups", "pyramid", "jobseekers")
PNG_SCALE = 2


@dataclass(frozen=True)
class ChartImage:
    slug: str
    title: str
    description: str  # the alternative text
    caption: str
    png: bytes
    width: int  # CSS pixels of the chart
    height: int
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class SourceNote:
    attribution: str
    title: str
    table_id: str
    licence: str
    data_as_of: str  # ISO date, "" when unknown
    is_synthetic: bool


@dataclass
class SituationCharts:
    area_name: str
    charts: list[ChartImage]
    sources: list[SourceNote]

    @property
    def has_synthetic(self) -> bool:
        return any(source.is_synthetic for source in self.sources)


def svg_to_png(svg: str | bytes, *, scale: int = PNG_SCALE) -> bytes:
    """Render an SVG image as PNG (cairosvg is imported here: only documents need it)."""
    import cairosvg

    data = svg.encode("utf-8") if isinstance(svg, str) else svg
    return cairosvg.svg2png(bytestring=data, scale=scale, unsafe=False)


def area_key_for(municipality_codes: list[str]) -> str:
    """The situation picture's address of the area: one municipality or several together."""
    return "+".join(sorted(dict.fromkeys(municipality_codes)))


def situation_charts_for(municipality_codes: list[str]) -> SituationCharts | None:
    """The area's charts as images, with their sources; None without municipalities or data.

    Call in the document's language: chart texts are translated when the chart is built.
    """
    if not municipality_codes:
        return None
    try:
        area = situation_selectors.area_get(area_key_for(municipality_codes))
    except Http404:
        return None
    picture = situation_selectors.situation_picture(area)
    if not picture.has_data:
        return None
    built = situation_charts.picture_charts(picture)
    images = []
    for slug in DOCUMENT_CHARTS:
        chart = built.get(slug)
        if chart is None:
            continue
        images.append(
            ChartImage(
                slug=slug,
                title=chart.title,
                description=chart.description,
                caption=chart.caption,
                png=svg_to_png(str(chart.svg(standalone=True))),
                width=situation_charts.WIDTH,
                height=chart.height,
                headers=list(chart.headers),
                rows=[list(row) for row in chart.rows],
            )
        )
    sources = [_source_note(source) for source in picture.sources]
    return SituationCharts(area_name=area.name, charts=images, sources=sources)


def _source_note(source: situation_selectors.Source) -> SourceNote:
    dataset = source.dataset
    updated = source.version.last_updated
    return SourceNote(
        attribution=localized(dataset.attribution) or dataset.source,
        title=localized(dataset.title) or dataset.table_id,
        table_id=dataset.table_id,
        licence=dataset.licence,
        data_as_of=updated.date().isoformat() if updated else "",
        is_synthetic=dataset.is_synthetic,
    )
