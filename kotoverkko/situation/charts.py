"""Server-rendered SVG charts: no JavaScript, no CDN.

Each chart has a <title> and <desc> (role="img", aria-labelledby), a data table with the same
numbers (the alternative shown under the chart), and CSV rows for the download. Series differ by
more than colour: line style and markers, hatching, and direct labels. Colours meet WCAG AA
against white (text 4.5:1, graphics 3:1).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404
from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kotoverkko.core import i18n

from . import selectors
from .indicators import Amount

INK = "#1a1a1a"
BLUE = "#1f4e79"  # 8.9:1 on white
BROWN = "#8a4b00"  # 6.3:1 on white
GRID = "#767676"  # 4.5:1 on white
WIDTH = 640
STANDALONE_TOP = 34  # the title printed above a standalone chart
STANDALONE_BOTTOM = 26  # the source line under it
FONT = 'font-family="system-ui, sans-serif" font-size="13"'


@dataclass
class Chart:
    slug: str
    title: str
    description: str
    caption: str
    headers: list[str]
    rows: list[list[str]]  # for the data table, formatted for the page's language
    csv_rows: list[list[str]]  # plain numbers, ".." for suppressed, ">=N" for "at least N"
    body: str = ""  # the SVG's drawing, without the outer element
    height: int = 320
    notes: list[str] = field(default_factory=list)
    source_line: str = ""  # attribution, table, data as of and licence: printed under a standalone image

    @property
    def title_id(self) -> str:
        return f"chart-{self.slug}-title"

    @property
    def desc_id(self) -> str:
        return f"chart-{self.slug}-desc"

    def svg(self, *, standalone: bool = False) -> SafeString:
        """The chart as SVG: inline in the page (scales, reachable with the keyboard: focus reads
        its title and description), or `standalone` as an image file with the title printed on
        top and the source line under it, e.g. for a document (cairosvg turns it into PNG)."""
        if standalone:
            top, bottom = STANDALONE_TOP, STANDALONE_BOTTOM if self.source_line else 0
            height = self.height + top + bottom
            head = '<?xml version="1.0" encoding="UTF-8"?>\n'
            attributes = f'xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}"'
            heading = _text(10, 22, self.title, weight="bold")
            footer = _small_text(10, height - 10, self.source_line) if self.source_line else ""
            drawing = f'{heading}<g transform="translate(0 {top})">{self.body}</g>{footer}'
        else:
            height, head, drawing = self.height, "", self.body
            attributes = 'class="chart-svg" tabindex="0" focusable="true"'
        markup = (
            f'{head}<svg {attributes} viewBox="0 0 {WIDTH} {height}" role="img" '
            f'aria-labelledby="{self.title_id} {self.desc_id}" {FONT}>'
            f'<title id="{self.title_id}">{escape(self.title)}</title>'
            f'<desc id="{self.desc_id}">{escape(self.description)}</desc>'
            f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>'
            f"{drawing}</svg>"
        )
        return mark_safe(markup)  # noqa: S308 - every text above and in body is escaped

    def csv_text(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self.headers)
        writer.writerows(self.csv_rows)
        return buffer.getvalue()


# --- Numbers ------------------------------------------------------------------------------------


def plain(value: Decimal, decimals: int = 0) -> str:
    return f"{value:.{decimals}f}"


def shown(value: Decimal, decimals: int = 0) -> str:
    return number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True)


def amount_csv(amount: Amount) -> str:
    if amount.is_suppressed:
        return ".."
    if amount.value is None:
        return ""
    return (">=" if amount.is_at_least else "") + plain(amount.value)


def amount_text(amount: Amount) -> str:
    if amount.is_suppressed:
        return _("suppressed")
    if amount.value is None:
        return "–"
    text = shown(amount.value)
    return _("at least %(number)s") % {"number": text} if amount.is_at_least else text


def _text(x: float, y: float, text: str, *, anchor: str = "start", weight: str = "normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{INK}" font-weight="{weight}">'
        f"{escape(text)}</text>"
    )


def _small_text(x: float, y: float, text: str) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" fill="{INK}" font-size="11">{escape(text)}</text>'


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10.0 * magnitude


# --- Line chart ---------------------------------------------------------------------------------


@dataclass
class Series:
    label: str
    points: list[tuple[str, float | None]]  # x label, y (None: a gap, e.g. suppressed)
    dashed: bool = False
    colour: str = BLUE


def line_body(series: Sequence[Series], *, unit: str = "", height: int = 320) -> str:
    """Lines over shared x labels (in order of first appearance); a gap where a value is None."""
    xs: list[str] = []
    for item in series:
        for x, _y in item.points:
            if x not in xs:
                xs.append(x)
    values = [y for item in series for _x, y in item.points if y is not None]
    top = _nice_max(max(values, default=0))
    left, right, upper, lower = 60, WIDTH - 20, 30, height - 60
    step = (right - left) / max(len(xs) - 1, 1)

    def px(x: str) -> float:
        return left + xs.index(x) * step

    def py(y: float) -> float:
        return lower - (y / top) * (lower - upper)

    parts = []
    for tick in range(5):
        value = top * tick / 4
        y = py(value)
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="0.5"/>'
        )
        label = f"{value:g}{unit}"
        parts.append(_text(left - 6, y + 4, label, anchor="end"))
    every = max(1, len(xs) // 8)
    for index, x in enumerate(xs):
        if index % every == 0 or index == len(xs) - 1:
            parts.append(_text(px(x), lower + 18, x, anchor="middle"))
    for number, item in enumerate(series):
        dash = ' stroke-dasharray="6 4"' if item.dashed else ""
        segment: list[str] = []
        segments = []
        for x, y in item.points:
            if y is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{px(x):.1f},{py(y):.1f}")
        if segment:
            segments.append(segment)
        for points in segments:
            parts.append(
                f'<polyline points="{" ".join(points)}" fill="none" stroke="{item.colour}" '
                f'stroke-width="2.5"{dash}/>'
            )
        for x, y in item.points:
            if y is None:
                continue
            fill = "#ffffff" if item.dashed else item.colour
            if number % 2:
                cx, cy = px(x), py(y)
                parts.append(
                    f'<rect x="{cx - 4:.1f}" y="{cy - 4:.1f}" width="8" height="8" fill="{fill}" '
                    f'stroke="{item.colour}" stroke-width="2"/>'
                )
            else:
                parts.append(
                    f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="4" fill="{fill}" '
                    f'stroke="{item.colour}" stroke-width="2"/>'
                )
    # Legend: line samples with their style and the series' names.
    for number, item in enumerate(series):
        y = height - 18
        x = left + number * 250
        dash = ' stroke-dasharray="6 4"' if item.dashed else ""
        parts.append(
            f'<line x1="{x}" x2="{x + 30}" y1="{y - 4}" y2="{y - 4}" stroke="{item.colour}" '
            f'stroke-width="2.5"{dash}/>'
        )
        parts.append(_text(x + 36, y, item.label))
    return "".join(parts)


# --- Horizontal bars ----------------------------------------------------------------------------


def bar_body(items: Sequence[tuple[str, float, str]], *, height: int) -> str:
    """Horizontal bars: (label, value, value text) each, the value written at the bar's end."""
    left, right = 170, WIDTH - 110
    top = _nice_max(max((value for _l, value, _t in items), default=0))
    parts = []
    for index, (label, value, text) in enumerate(items):
        y = 20 + index * 30
        width = (value / top) * (right - left)
        parts.append(_text(left - 8, y + 15, label, anchor="end"))
        parts.append(f'<rect x="{left}" y="{y}" width="{width:.1f}" height="20" fill="{BLUE}"/>')
        parts.append(_text(left + width + 6, y + 15, text))
    return "".join(parts)


# --- Population pyramid -------------------------------------------------------------------------


PATTERN = (
    '<defs><pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="{colour}" stroke-width="3"/></pattern></defs>'
)


def pyramid_body(
    rows: Sequence[tuple[str, float | None, float | None]], *, men: str, women: str, height: int, slug: str
) -> str:
    """Age groups from the youngest (bottom) up; men left (hatched), women right (solid)."""
    middle, half = WIDTH / 2, WIDTH / 2 - 70
    top = _nice_max(max((v for _a, m, w in rows for v in (m, w) if v is not None), default=0))
    pattern_id = f"hatch-{slug}"
    parts = [PATTERN.format(id=pattern_id, colour=BROWN)]
    parts.append(_text(middle - 30, 18, men, anchor="end", weight="bold"))
    parts.append(_text(middle + 30, 18, women, weight="bold"))
    bar = (height - 60) / max(len(rows), 1)
    for index, (age, male, female) in enumerate(reversed(list(rows))):
        y = 30 + index * bar
        parts.append(_text(middle, y + bar * 0.7, age, anchor="middle"))
        if male is not None:
            width = male / top * (half - 30)
            parts.append(
                f'<rect x="{middle - 30 - width:.1f}" y="{y:.1f}" width="{width:.1f}" '
                f'height="{bar * 0.8:.1f}" '
                f'fill="url(#{pattern_id})" stroke="{BROWN}"/>'
            )
        if female is not None:
            width = female / top * (half - 30)
            parts.append(
                f'<rect x="{middle + 30:.1f}" y="{y:.1f}" width="{width:.1f}" '
                f'height="{bar * 0.8:.1f}" fill="{BLUE}"/>'
            )
    return "".join(parts)


# --- The charts of a situation picture ----------------------------------------------------------


def share_text(share: object, *, csv_form: bool) -> str:
    if share is None:
        return "" if csv_form else "–"
    percent = share.percent  # type: ignore[attr-defined]
    at_least = share.at_least  # type: ignore[attr-defined]
    if csv_form:
        return (">=" if at_least else "") + plain(percent, 1)
    text = shown(percent, 1)
    return _("at least %(number)s") % {"number": text} if at_least else text


def trend_chart(part: selectors.LanguagePicture, area_name: str) -> Chart:
    rows, csv_rows = [], []
    actual = []
    for row in part.rows:
        rows.append(
            [
                str(row.year),
                amount_text(row.foreign),
                amount_text(row.population),
                share_text(row.share, csv_form=False),
                "",
            ]
        )
        csv_rows.append(
            [
                str(row.year),
                amount_csv(row.foreign),
                amount_csv(row.population),
                share_text(row.share, csv_form=True),
                "",
            ]
        )
        exact = row.share and not row.share.at_least
        actual.append((str(row.year), float(row.share.percent) if exact else None))
    series = [Series(_("Share of foreign-language speakers"), actual)]
    projection = part.projection
    if projection:
        last = projection.base[-1]
        projected = [(str(last[0]), float(last[1]))] + [(str(y), float(v)) for y, v in projection.points]
        series.append(Series(_("Projection (linear trend)"), projected, dashed=True, colour=BROWN))
        for year, value in projection.points:
            rows.append([str(year), "", "", "", shown(value, 1)])
            csv_rows.append([str(year), "", "", "", plain(value, 1)])
    first, last_row = part.rows[0], part.rows[-1]
    description = _(
        "Line chart of the share of foreign-language speakers in %(area)s from %(first)s to %(last)s, "
        "in percent of the population."
    ) % {"area": area_name, "first": first.year, "last": last_row.year}
    if last_row.share:
        description += " " + _("In %(year)s the share was %(share)s %%.") % {
            "year": last_row.year,
            "share": share_text(last_row.share, csv_form=False),
        }
    if projection:
        description += " " + _("A dashed line continues the trend for %(count)s years.") % {
            "count": len(projection.points)
        }
    title = _("Foreign-language speakers in %(area)s, share of the population") % {"area": area_name}
    return Chart(
        slug="trend",
        title=title,
        description=description,
        caption=title,
        headers=[
            _("Year"),
            _("Foreign-language speakers"),
            _("Population"),
            _("Share (%)"),
            _("Projected share (%)"),
        ],
        rows=rows,
        csv_rows=csv_rows,
        body=line_body(series, unit=" %"),
    )


def languages_chart(part: selectors.LanguagePicture, area_name: str) -> Chart:
    year = part.latest.year if part.latest else ""
    items = [(label, float(amount.value or 0), amount_text(amount)) for _code, label, amount in part.top]
    title = _("Largest foreign language groups in %(area)s, %(year)s") % {"area": area_name, "year": year}
    names = ", ".join(f"{label} {text}" for label, _v, text in items[:3])
    description = _(
        "Horizontal bar chart of the %(count)s largest foreign language groups. Largest: %(names)s."
    ) % {
        "count": len(items),
        "names": names,
    }
    height = 40 + 30 * max(len(items), 1)
    return Chart(
        slug="languages",
        title=title,
        description=description,
        caption=title,
        headers=[_("Language"), _("Speakers")],
        rows=[[label, amount_text(amount)] for _c, label, amount in part.top],
        csv_rows=[[code, amount_csv(amount)] for code, _l, amount in part.top],
        body=bar_body(items, height=height),
        height=height,
    )


def pyramid_chart(part: selectors.PopulationPicture, area_name: str) -> Chart:
    rows = [(part.labels.get(row.age, row.age), row.men.value, row.women.value) for row in part.rows]
    title = _("Population by age and sex in %(area)s, %(year)s") % {"area": area_name, "year": part.year}
    description = _(
        "Population pyramid: age groups from the youngest at the bottom to the oldest at the top, "
        "men on the left (hatched bars) and women on the right (solid bars). Total %(total)s."
    ) % {"total": amount_text(part.total)}
    height = 60 + 22 * max(len(rows), 1)
    return Chart(
        slug="pyramid",
        title=title,
        description=description,
        caption=title,
        headers=[_("Age"), _("Men"), _("Women")],
        rows=[[part.labels.get(r.age, r.age), amount_text(r.men), amount_text(r.women)] for r in part.rows],
        csv_rows=[[r.age, amount_csv(r.men), amount_csv(r.women)] for r in part.rows],
        body=pyramid_body(
            [
                (label, float(m) if m is not None else None, float(w) if w is not None else None)
                for label, m, w in rows
            ],
            men=_("Men"),
            women=_("Women"),
            height=height,
            slug="pyramid",
        ),
        height=height,
    )


def jobseekers_chart(part: selectors.JobseekerPicture, area_name: str) -> Chart:
    points = [(label, float(amount.value) if amount.is_complete else None) for label, amount in part.rows]
    title = _("Foreign unemployed jobseekers in %(area)s") % {"area": area_name}
    description = _(
        "Line chart of the number of foreign unemployed jobseekers from %(first)s to %(last)s."
    ) % {
        "first": part.rows[0][0],
        "last": part.rows[-1][0],
    }
    if any(point is None for _label, point in points):
        description += " " + _("Suppressed months are gaps in the line.")
    return Chart(
        slug="jobseekers",
        title=title,
        description=description,
        caption=title,
        headers=[_("Period"), _("Foreign unemployed jobseekers")],
        rows=[[label, amount_text(amount)] for label, amount in part.rows],
        csv_rows=[[label, amount_csv(amount)] for label, amount in part.rows],
        body=line_body([Series(_("Foreign unemployed jobseekers"), points)]),
    )


def countries_chart(part: selectors.OriginPicture, area_name: str) -> Chart:
    items = [(label, float(amount.value or 0), amount_text(amount)) for _code, label, amount in part.top]
    title = _("Largest countries of birth abroad in %(area)s, %(year)s") % {
        "area": area_name,
        "year": part.year,
    }
    names = ", ".join(f"{label} {text}" for label, _v, text in items[:3])
    description = _(
        "Horizontal bar chart of the %(count)s largest countries of birth of people born abroad. "
        "Largest: %(names)s."
    ) % {"count": len(items), "names": names}
    height = 40 + 30 * max(len(items), 1)
    return Chart(
        slug="countries",
        title=title,
        description=description,
        caption=title,
        headers=[_("Country of birth"), _("People")],
        rows=[[label, amount_text(amount)] for _c, label, amount in part.top],
        csv_rows=[[code, amount_csv(amount)] for code, _l, amount in part.top],
        body=bar_body(items, height=height),
        height=height,
    )


def country_groups_chart(part: selectors.OriginPicture, area_name: str) -> Chart:
    items = [(label, float(amount.value or 0), amount_text(amount)) for _g, label, amount in part.groups]
    title = _("People born abroad by country group in %(area)s, %(year)s") % {
        "area": area_name,
        "year": part.year,
    }
    description = _("Horizontal bar chart of the people born abroad by country group: %(groups)s.") % {
        "groups": ", ".join(f"{label} {text}" for label, _v, text in items)
    }
    height = 40 + 30 * max(len(items), 1)
    return Chart(
        slug="country-groups",
        title=title,
        description=description,
        caption=title,
        headers=[_("Country group"), _("People")],
        rows=[[label, amount_text(amount)] for _g, label, amount in part.groups],
        csv_rows=[[group, amount_csv(amount)] for group, _l, amount in part.groups],
        body=bar_body(items, height=height),
        height=height,
    )


def comparison_chart(part: selectors.LanguagePicture, area_name: str) -> Chart:
    """The share of foreign-language speakers in the area and in its region, county and country."""
    year = part.latest.year if part.latest else ""
    rows = [row for row in part.comparisons if row.share is not None]
    items = [
        (row.area.name, float(row.share.percent), share_text(row.share, csv_form=False) + " %")
        for row in rows
    ]
    title = _("Share of foreign-language speakers in %(area)s and for comparison, %(year)s") % {
        "area": area_name,
        "year": year,
    }
    description = _("Horizontal bar chart of the share of foreign-language speakers: %(areas)s.") % {
        "areas": ", ".join(f"{label} {text}" for label, _v, text in items)
    }
    height = 40 + 30 * max(len(items), 1)
    return Chart(
        slug="comparison",
        title=title,
        description=description,
        caption=title,
        headers=[_("Area"), _("Foreign-language speakers"), _("Population"), _("Share (%)")],
        rows=[
            [
                row.area.name,
                amount_text(row.foreign),
                amount_text(row.population),
                share_text(row.share, csv_form=False),
            ]
            for row in part.comparisons
        ],
        csv_rows=[
            [
                row.area.key,
                amount_csv(row.foreign),
                amount_csv(row.population),
                share_text(row.share, csv_form=True),
            ]
            for row in part.comparisons
        ],
        body=bar_body(items, height=height),
        height=height,
    )


def source_line(source: selectors.Source) -> str:
    """Attribution, table, data as of and licence in one line, as under every chart on the page."""
    dataset = source.dataset
    parts = [i18n.localized(dataset.attribution) or dataset.source, i18n.localized(dataset.title)]
    if source.version.last_updated:
        parts.append(
            _("Data as of %(date)s") % {"date": date_format(source.version.last_updated, "SHORT_DATE_FORMAT")}
        )
    parts.append(_("Licence: %(licence)s") % {"licence": dataset.licence})
    line = ". ".join(part.rstrip(".") for part in parts if part) + "."
    if dataset.is_synthetic:
        line = _("Synthetic demo data — not real statistics") + ". " + line
    return line


def picture_charts(picture: selectors.Picture) -> dict[str, Chart]:
    """The charts the area's page shows, by their address name (see CHART_KINDS)."""
    name = picture.area.name
    charts: dict[str, Chart] = {}
    if picture.languages:
        part = picture.languages[0]
        charts["trend"] = _sourced(trend_chart(part, name), part.source)
        if part.top:
            charts["languages"] = _sourced(languages_chart(part, name), part.source)
        if len(part.comparisons) > 1:
            charts["comparison"] = _sourced(comparison_chart(part, name), part.source)
    if picture.origins:
        part_origin = picture.origins[0]
        if part_origin.top:
            charts["countries"] = _sourced(countries_chart(part_origin, name), part_origin.source)
        if part_origin.groups:
            charts["country-groups"] = _sourced(country_groups_chart(part_origin, name), part_origin.source)
    if picture.populations:
        population = picture.populations[0]
        charts["pyramid"] = _sourced(pyramid_chart(population, name), population.source)
    if picture.jobseekers:
        jobseekers = picture.jobseekers[0]
        charts["jobseekers"] = _sourced(jobseekers_chart(jobseekers, name), jobseekers.source)
    return charts


def _sourced(chart: Chart, source: selectors.Source) -> Chart:
    chart.source_line = source_line(source)
    return chart


# --- Reuse without a request ----------------------------------------------------------------------

CHART_KINDS = ("trend", "languages", "comparison", "countries", "country-groups", "pyramid", "jobseekers")


def area_chart(area_key: str, kind: str) -> Chart | None:
    """The chart `kind` (one of CHART_KINDS) of an area as on its page, e.g. ("091", "trend"),
    ("MK01", "languages"), ("049+235", "pyramid"), ("SSS", "jobseekers"); None when the area is
    unknown or has no data for that chart. Texts are in the active language."""
    try:
        area = selectors.area_get(area_key)
    except Http404:
        return None
    if kind not in CHART_KINDS:
        return None
    return picture_charts(selectors.situation_picture(area)).get(kind)


def area_chart_svg(area_key: str, kind: str) -> str | None:
    """The standalone SVG document of `area_chart` (title on top, source line under it, white
    background, fixed size), ready for cairosvg.svg2png(bytestring=svg.encode()); None as above."""
    chart = area_chart(area_key, kind)
    return str(chart.svg(standalone=True)) if chart is not None else None
