"""An indicator's measurements against its target as an accessible SVG line chart, drawn with the
situation picture's chart helpers (same look, same accessibility pattern: title, desc, table)."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kotoverkko.core import i18n
from kotoverkko.situation import charts as situation_charts

from .models import Indicator


def indicator_chart(indicator: Indicator) -> situation_charts.Chart | None:
    measurements = list(indicator.measurements.all())
    if not measurements:
        return None
    name = i18n.localized(indicator.name)
    points = [(f"{m.measured_on:%d.%m.%Y}", float(m.value)) for m in measurements]
    series = [situation_charts.Series(_("Measured"), points)]
    if indicator.target_value is not None:
        target = float(indicator.target_value)
        series.append(
            situation_charts.Series(
                _("Target"), [(x, target) for x, _y in points], dashed=True, colour=situation_charts.BROWN
            )
        )
    rows = [
        [f"{m.measured_on:%d.%m.%Y}", number_format(m.value, decimal_pos=None, use_l10n=True)]
        for m in measurements
    ]
    target_text = (
        number_format(indicator.target_value, use_l10n=True) if indicator.target_value is not None else "–"
    )
    return situation_charts.Chart(
        slug=f"indicator-{indicator.pk}",
        title=name,
        description=_("Measured values of %(name)s over time; the target is %(target)s.")
        % {"name": name, "target": target_text},
        caption=name,
        headers=[_("Date"), _("Value")],
        rows=rows,
        csv_rows=[[m.measured_on.isoformat(), str(m.value)] for m in measurements],
        body=situation_charts.line_body(series, unit=""),
    )
