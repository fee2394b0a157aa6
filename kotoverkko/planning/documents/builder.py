"""Build the content of the planning documents from the database, in one UI language.

`programme_document` — the programme for the council: cover, summary, situation picture with
charts, goals, measures and responsibilities, indicators, monitoring, consultation summary.
`round_document` — the report of one monitoring round. `initial_phase_document` — the description
of the kotoutumisohjelma (who organises each mandatory element for each client group).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from kotoverkko.core.i18n import localized
from kotoverkko.planning import consultation as consultation_selectors
from kotoverkko.planning.enums import PUBLIC_STATUSES, MeasureStatus
from kotoverkko.planning.models import (
    Indicator,
    InitialPhasePlan,
    Measure,
    MeasureUpdate,
    MonitoringRound,
    Programme,
)

from . import charts, initial_phase
from .model import Document, Figure, Paragraph, Section, Table

UI_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def document_language(requested: str | None) -> str:
    """The UI language asked for, else the active one, else the default."""
    for code in (requested, translation.get_language()):
        code = (code or "")[:2]
        if code in UI_LANGUAGES:
            return code
    return settings.LANGUAGE_CODE


# --- Formatting -----------------------------------------------------------------------------------


def _day(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return formats.date_format(value, "j.n.Y")


def _number(value: Decimal | None, unit: str = "") -> str:
    if value is None:
        return "–"
    normalised = value.normalize()
    decimals = (
        max(0, -normalised.as_tuple().exponent) if isinstance(normalised.as_tuple().exponent, int) else 0
    )
    text = formats.number_format(value, decimal_pos=min(decimals, 2), use_l10n=True, force_grouping=True)
    return f"{text} {unit}".strip()


def _names(organisations: Iterable[object], language: str) -> str:
    return ", ".join(localized(organisation.name, language) for organisation in organisations)  # type: ignore[attr-defined]


def _text(value: dict[str, str] | None, language: str) -> str:
    return localized(value, language)


def _municipality_names(programme_or_plan: Programme | InitialPhasePlan) -> list[str]:
    return [municipality.name for municipality in programme_or_plan.municipalities.order_by("name_fi")]


# --- Sections shared by the programme and the round report -------------------------------------------


def _situation_section(programme: Programme) -> Section | None:
    codes = list(programme.municipalities.values_list("code", flat=True))
    found = charts.situation_charts_for(codes)
    section = Section(_("Situation picture"))
    if found is None:
        section.paragraph(_("No statistics have been imported for the area yet."), style="note")
        return section
    section.paragraph(
        _("Statistics on the population of %(area)s: languages, countries of origin, age and jobseekers.")
        % {"area": found.area_name}
    )
    for chart in found.charts:
        section.add(
            Figure(
                title=chart.title,
                description=chart.description,
                png=chart.png,
                width=chart.width,
                height=chart.height,
                caption=chart.caption,
            )
        )
    for source in found.sources:
        values = {
            "attribution": source.attribution,
            "title": source.title,
            "table": source.table_id,
            "licence": source.licence,
        }
        section.paragraph(
            _("Source: %(attribution)s, %(title)s (%(table)s), %(licence)s.") % values, style="note"
        )
        if source.data_as_of:
            day = datetime.date.fromisoformat(source.data_as_of)
            section.paragraph(_("Data as of %(date)s.") % {"date": _day(day)}, style="note")
    if found.has_synthetic:
        section.paragraph(_("Some of the numbers are synthetic demonstration data."), style="note")
    return section


def _latest_measurement(indicator: Indicator, until: datetime.date | None) -> tuple[str, str]:
    measurements = list(indicator.measurements.all())
    if until is not None:
        measurements = [item for item in measurements if item.measured_on <= until]
    if not measurements:
        return "–", ""
    latest = max(measurements, key=lambda item: item.measured_on)
    return _number(latest.value, indicator.unit), _day(latest.measured_on)


def _indicator_table(programme: Programme, *, language: str, until: datetime.date | None = None) -> Table:
    rows = []
    indicators = programme.indicators.select_related("goal").prefetch_related("measurements")
    for indicator in indicators.order_by("position", "pk"):
        latest, latest_on = _latest_measurement(indicator, until)
        rows.append(
            [
                _text(indicator.name, language),
                _text(indicator.goal.title, language) if indicator.goal else "",
                _number(indicator.baseline_value, indicator.unit),
                _number(indicator.target_value, indicator.unit),
                f"{latest} ({latest_on})" if latest_on else latest,
                str(indicator.get_direction_display()),
            ]
        )
    return Table(
        caption=_("Indicators: baseline, target and latest value"),
        headers=[_("Indicator"), _("Goal"), _("Baseline"), _("Target"), _("Latest"), _("Direction")],
        rows=rows,
    )


def _measures(programme: Programme) -> list[Measure]:
    return list(
        programme.measures.select_related("goal", "responsible_organisation")
        .prefetch_related("partners")
        .order_by("goal__position", "position", "pk")
    )


def _schedule(measure: Measure) -> str:
    if measure.starts_on and measure.ends_on:
        return f"{_day(measure.starts_on)}–{_day(measure.ends_on)}"
    return _day(measure.starts_on or measure.ends_on)


def _status_counts(statuses: Iterable[str]) -> Paragraph:
    counts = dict.fromkeys(MeasureStatus.values, 0)
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    parts = [f"{MeasureStatus(status).label}: {count}" for status, count in counts.items() if count]
    return Paragraph(_("Measures by status: %(counts)s.") % {"counts": "; ".join(parts) or "–"})


# --- The programme --------------------------------------------------------------------------------------


def _cover_lines(programme: Programme, language: str) -> list[str]:
    lines = [
        ", ".join(_municipality_names(programme)),
        _("Programme period %(period)s") % {"period": programme.period_label},
    ]
    if programme.status in PUBLIC_STATUSES and programme.adopted_on:
        values = {"body": programme.adopted_by or _("the municipality"), "date": _day(programme.adopted_on)}
        lines.append(_("Adopted by %(body)s on %(date)s.") % values)
        if programme.adoption_minute:
            lines.append(_("Minutes %(section)s") % {"section": programme.adoption_minute})
    else:
        lines.append(_("Status: %(status)s") % {"status": programme.get_status_display()})
    lines.append(_("Responsible: %(owner)s") % {"owner": localized(programme.owner.name, language)})
    return [line for line in lines if line]


def _goals_section(programme: Programme, measures: list[Measure], language: str) -> Section:
    section = Section(_("Goals and measures"))
    goals = list(programme.goals.prefetch_related("valko_goals").order_by("position", "pk"))
    if not goals:
        section.paragraph(_("No goals have been written yet."), style="note")
    for number, goal in enumerate(goals, start=1):
        sub = Section(f"{number}. {_text(goal.title, language)}")
        sub.paragraph(_text(goal.description, language))
        valko = [f"{item.code} {_text(item.title, language)}" for item in goal.valko_goals.all()]
        if valko:
            sub.paragraph(
                _("Government Integration Programme (VALKO): %(goals)s") % {"goals": "; ".join(valko)},
                style="note",
            )
        if goal.strategy_goal:
            sub.paragraph(_("Municipal strategy: %(goal)s") % {"goal": goal.strategy_goal}, style="note")
        for measure in (item for item in measures if item.goal_id == goal.pk):
            sub.paragraph(_text(measure.title, language), style="label")
            sub.paragraph(_text(measure.description, language))
        section.subsections.append(sub)
    return section


def _responsibility_table(measures: list[Measure], language: str) -> Table:
    rows = [
        [
            _text(measure.title, language),
            _text(measure.goal.title, language) if measure.goal else "",
            localized(measure.responsible_organisation.name, language),
            _names(measure.partners.all(), language),
            _schedule(measure),
            _number(measure.budget_eur, "€") if measure.budget_eur is not None else "",
        ]
        for measure in measures
    ]
    return Table(
        caption=_("Measures and responsibilities"),
        headers=[_("Measure"), _("Goal"), _("Responsible"), _("Partners"), _("Schedule"), _("Budget")],
        rows=rows,
    )


def _latest_round(programme: Programme) -> MonitoringRound | None:
    return programme.monitoring_rounds.order_by("-period_end", "-pk").first()


def _monitoring_section(programme: Programme, measures: list[Measure], language: str) -> Section:
    section = Section(_("Monitoring"))
    monitoring_round = _latest_round(programme)
    if monitoring_round is None:
        section.paragraph(_("Progress is reported in monitoring rounds; none has been held yet."))
        section.add(_status_counts(measure.status for measure in measures))
        return section
    values = {"name": monitoring_round.name, "date": _day(monitoring_round.period_end)}
    section.paragraph(_("Latest monitoring round: %(name)s (period ending %(date)s).") % values)
    section.paragraph(monitoring_round.summary)
    updates = {update.measure_id: update for update in monitoring_round.updates.all()}
    section.add(_status_counts(updates[m.pk].status if m.pk in updates else m.status for m in measures))
    return section


def _consultation_section(programme: Programme, language: str) -> Section | None:
    summary = consultation_selectors.consultation_summary(programme, language=language)
    if summary is None:
        return None
    consultation = summary.consultation
    section = Section(_("Consultation"))
    values = {
        "opens": _day(consultation.opens_at),
        "closes": _day(consultation.closes_at),
        "received": summary.received,
        "published": summary.published,
    }
    section.paragraph(
        _(
            "The draft was open for comments from %(opens)s to %(closes)s. %(received)s comments were "
            "received; %(published)s were published after moderation."
        )
        % values
    )
    if summary.not_published:
        section.paragraph(
            _("%(count)s comments were not published (spam, personal data or off topic).")
            % {"count": summary.not_published},
            style="note",
        )
    for group in summary.groups:
        sub = Section(group.heading)
        for comment in group.comments:
            label = comment.organisation or _("Resident (anonymous)")
            sub.paragraph(
                _("Comment from %(who)s, %(date)s:") % {"who": label, "date": _day(comment.submitted_on)},
                style="label",
            )
            sub.add(Paragraph(comment.text, language=_content_language(comment.language), style="quote"))
            if comment.answer:
                sub.paragraph(_("Answer: %(answer)s") % {"answer": comment.answer})
        section.subsections.append(sub)
    if not summary.groups:
        section.paragraph(_("No comments were published."), style="note")
    return section


def _content_language(code: str) -> str:
    """The `lang` of a commenter's chosen language ("fi-x-selko" is Finnish)."""
    return code.split("-")[0] if code else ""


def programme_document(programme: Programme, *, language: str) -> Document:
    """The programme for the council, in `language` (fi, sv or en)."""
    with translation.override(language):
        measures = _measures(programme)
        sections = [Section(_("Summary")).paragraph(_text(programme.summary, language) or "–")]
        situation = _situation_section(programme)
        if situation is not None:
            sections.append(situation)
        sections.append(_goals_section(programme, measures, language))
        sections.append(
            Section(_("Measures and responsibilities")).add(_responsibility_table(measures, language))
        )
        sections.append(Section(_("Indicators")).add(_indicator_table(programme, language=language)))
        sections.append(_monitoring_section(programme, measures, language))
        consultation = _consultation_section(programme, language)
        if consultation is not None:
            sections.append(consultation)
        return Document(
            title=localized(programme.title, language),
            subtitle=_("Integration promotion programme"),
            language=language,
            cover_lines=_cover_lines(programme, language),
            sections=sections,
            filename_stem=f"programme-{programme.pk}-{language}",
            is_draft=programme.status not in PUBLIC_STATUSES,
            generated_on=_("Printed %(date)s") % {"date": _day(timezone.now())},
            contents_heading=_("Contents"),
            draft_label=_("Draft – not adopted"),
            footer=getattr(settings, "SITE_NAME", ""),
        )


# --- A monitoring round ----------------------------------------------------------------------------------


def round_document(monitoring_round: MonitoringRound, *, language: str) -> Document:
    """The report of one monitoring round, in `language`."""
    programme = monitoring_round.programme
    with translation.override(language):
        measures = _measures(programme)
        updates: dict[int, MeasureUpdate] = {
            update.measure_id: update for update in monitoring_round.updates.select_related("measure")
        }
        summary = Section(_("Summary"))
        summary.paragraph(monitoring_round.summary or _("The coordinator has not written a summary yet."))
        summary.add(_status_counts(updates[m.pk].status if m.pk in updates else m.status for m in measures))
        rows = []
        for measure in measures:
            update = updates.get(measure.pk)
            rows.append(
                [
                    _text(measure.title, language),
                    localized(measure.responsible_organisation.name, language),
                    str(update.get_status_display()) if update else _("Not reported"),
                    update.comment if update else "",
                ]
            )
        table = Table(
            caption=_("Progress of the measures"),
            headers=[_("Measure"), _("Responsible"), _("Status"), _("Comment")],
            rows=rows,
        )
        sections = [
            summary,
            Section(_("Measures")).add(table),
            Section(_("Indicators")).add(
                _indicator_table(programme, language=language, until=monitoring_round.period_end)
            ),
        ]
        cover = [
            localized(programme.title, language),
            _("Reporting period ends %(date)s") % {"date": _day(monitoring_round.period_end)},
            _("Status: %(status)s") % {"status": monitoring_round.get_status_display()},
        ]
        if monitoring_round.compiled_at:
            cover.append(_("Compiled %(date)s") % {"date": _day(monitoring_round.compiled_at)})
        return Document(
            title=monitoring_round.name,
            subtitle=_("Monitoring report"),
            language=language,
            cover_lines=cover,
            sections=sections,
            filename_stem=f"monitoring-{monitoring_round.pk}-{language}",
            is_draft=monitoring_round.is_open,
            generated_on=_("Printed %(date)s") % {"date": _day(timezone.now())},
            contents_heading=_("Contents"),
            draft_label=_("Round still open – figures may change"),
            footer=getattr(settings, "SITE_NAME", ""),
        )


# --- The kotoutumisohjelma description -------------------------------------------------------------------


def initial_phase_document(plan: InitialPhasePlan, *, language: str) -> Document:
    """The document describing the kotoutumisohjelma, in `language`."""
    with translation.override(language):
        matrix = initial_phase.plan_matrix(plan, language=language)
        intro = Section(_("Introduction"))
        intro.paragraph(_text(plan.introduction, language) or "–")
        intro.paragraph(
            _(
                "The kotoutumisohjelma is the municipality's package of initial-phase integration services "
                "(Act on the Promotion of Integration 681/2023, section 13). This document describes who "
                "organises each of its mandatory elements for each client group."
            ),
            style="note",
        )
        sections = [intro]
        for row in matrix.rows:
            sub = Section(row.element_name)
            sub.paragraph(row.element_description)
            if row.legal_reference:
                sub.paragraph(
                    _("Legal basis: %(reference)s") % {"reference": row.legal_reference}, style="note"
                )
            if row.legal_note:
                sub.paragraph(row.legal_note, style="note")
            sub.add(
                Table(
                    caption=_("%(element)s: organisers by client group") % {"element": row.element_name},
                    headers=[
                        _("Client group"),
                        _("Organiser"),
                        _("Partners"),
                        _("How it is delivered"),
                        _("Notes"),
                    ],
                    rows=[
                        [
                            cell.group_name,
                            cell.organiser or _("Not decided"),
                            cell.partners,
                            cell.delivery,
                            cell.notes,
                        ]
                        for cell in row.cells
                    ],
                )
            )
            sections.append(sub)
        missing = initial_phase.missing_cells(matrix)
        if missing:
            gaps = Section(_("Open questions"))
            gaps.paragraph(_("No organiser has been named for these elements and client groups:"))
            for element_name, group_name in missing:
                gaps.paragraph(f"{element_name} – {group_name}")
            sections.append(gaps)
        validity = _("Valid from %(date)s") % {"date": _day(plan.valid_from)}
        if plan.valid_until:
            validity = _("Valid %(start)s–%(end)s") % {
                "start": _day(plan.valid_from),
                "end": _day(plan.valid_until),
            }
        return Document(
            title=plan.display_title if not plan.title else localized(plan.title, language),
            subtitle=_("Description of the kotoutumisohjelma"),
            language=language,
            cover_lines=[
                ", ".join(_municipality_names(plan)),
                validity,
                _("Responsible: %(owner)s") % {"owner": localized(plan.owner.name, language)},
            ],
            sections=sections,
            filename_stem=f"kotoutumisohjelma-{plan.pk}-{language}",
            is_draft=not plan.is_published,
            generated_on=_("Printed %(date)s") % {"date": _day(timezone.now())},
            contents_heading=_("Contents"),
            draft_label=_("Draft – not published"),
            footer=getattr(settings, "SITE_NAME", ""),
        )
