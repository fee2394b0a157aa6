"""Repeat rules: expansion in Helsinki wall-clock time across daylight saving, validation, descriptions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from kotoverkko.activities.recurrence import HELSINKI, RecurrenceError, describe, expand, validate_rrule

UTC = dt.UTC
TUESDAYS_TO_MAY = "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270531"


def _helsinki(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=HELSINKI)


def _expand(
    rrule: str,
    *,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    exdates: list[str] | None = None,
    rdates: list[str] | None = None,
    window_start: dt.datetime | None = None,
    window_end: dt.datetime | None = None,
    limit: int | None = None,
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Tuesday 1 September 2026 from 17:00 to 19:00 by default, over the whole season."""
    return expand(
        starts_at=starts_at or _helsinki(2026, 9, 1, 17),
        ends_at=ends_at or _helsinki(2026, 9, 1, 19),
        rrule=rrule,
        exdates=exdates or [],
        rdates=rdates or [],
        window_start=window_start or _helsinki(2026, 1, 1),
        window_end=window_end or _helsinki(2028, 1, 1),
        limit=limit,
    )


def _starts(occurrences: list[tuple[dt.datetime, dt.datetime]]) -> list[dt.date]:
    return [start.date() for start, _end in occurrences]


def _describe(rrule: str, language: str) -> str:
    return describe(
        rrule=rrule, starts_at=_helsinki(2026, 9, 1, 17), ends_at=_helsinki(2026, 9, 1, 19), language=language
    )


def _validation_error(rrule: str, **kwargs) -> RecurrenceError:
    with translation.override("en"), pytest.raises(RecurrenceError) as caught:
        validate_rrule(rrule, **kwargs)
    return caught.value


# --- expand: daylight saving ----------------------------------------------------------------------


def test_expand__weekly_tuesdays_september_to_may__every_tuesday_until_the_inclusive_until_date():
    occurrences = _expand(TUESDAYS_TO_MAY)

    assert len(occurrences) == 39
    assert occurrences[0][0] == _helsinki(2026, 9, 1, 17)
    assert occurrences[-1][0] == _helsinki(2027, 5, 25, 17)
    assert {start.weekday() for start, _end in occurrences} == {1}


def test_expand__weekly_across_both_dst_changes__stays_17_to_19_local():
    occurrences = _expand(TUESDAYS_TO_MAY)

    assert {(start.hour, start.minute, end.hour, end.minute) for start, end in occurrences} == {
        (17, 0, 19, 0)
    }
    assert all(start.tzinfo is HELSINKI and end.tzinfo is HELSINKI for start, end in occurrences)


def test_expand__weekly_across_both_dst_changes__utc_hour_moves_from_14_to_15_and_back():
    utc_hours = {start.date(): start.astimezone(UTC).hour for start, _end in _expand(TUESDAYS_TO_MAY)}

    assert utc_hours[dt.date(2026, 10, 20)] == 14  # last Tuesday of summer time (UTC+3)
    assert utc_hours[dt.date(2026, 10, 27)] == 15  # after the change on 2026-10-25 (UTC+2)
    assert utc_hours[dt.date(2027, 3, 23)] == 15  # last Tuesday of winter time
    assert utc_hours[dt.date(2027, 3, 30)] == 14  # after the change on 2027-03-28
    assert set(utc_hours.values()) == {14, 15}


def test_expand__start_in_spring_forward_gap__moves_forward_by_the_gap_keeping_the_duration():
    occurrences = _expand(
        "FREQ=DAILY;COUNT=3",
        starts_at=_helsinki(2027, 3, 27, 3, 30),
        ends_at=_helsinki(2027, 3, 27, 4, 30),
    )

    gap_day_start, gap_day_end = occurrences[1]
    assert gap_day_start == dt.datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert (gap_day_start.hour, gap_day_start.minute, gap_day_start.utcoffset()) == (
        4,
        30,
        dt.timedelta(hours=3),
    )
    assert gap_day_end - gap_day_start == dt.timedelta(hours=1)
    assert occurrences[2][0] == _helsinki(2027, 3, 29, 3, 30)


def test_expand__end_in_spring_forward_gap__ends_at_the_moved_forward_time():
    occurrences = _expand(
        "FREQ=DAILY;COUNT=2",
        starts_at=_helsinki(2027, 3, 27, 2, 0),
        ends_at=_helsinki(2027, 3, 27, 3, 30),
    )

    start, end = occurrences[1]
    assert start == dt.datetime(2027, 3, 28, 0, 0, tzinfo=UTC)  # 02:00 winter time
    assert end == dt.datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # 03:30 read as 04:30 summer time


def test_expand__start_in_autumn_fold__takes_the_first_pass():
    occurrences = _expand(
        "FREQ=DAILY;COUNT=2",
        starts_at=_helsinki(2026, 10, 24, 3, 30),
        ends_at=_helsinki(2026, 10, 24, 4, 30),
    )

    # Ambiguous local times never compare equal across zones (PEP 495), so compare in UTC.
    start, end = (moment.astimezone(UTC) for moment in occurrences[1])
    assert start == dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 03:30 summer time
    assert end == dt.datetime(2026, 10, 25, 2, 30, tzinfo=UTC)  # 04:30 winter time


def test_expand__first_start_given_in_second_pass_of_fold__keeps_that_exact_instant():
    second_pass = dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 03:30 winter time

    ((start, end),) = _expand("", starts_at=second_pass, ends_at=second_pass + dt.timedelta(hours=1))

    assert (start.astimezone(UTC), end.astimezone(UTC)) == (second_pass, second_pass + dt.timedelta(hours=1))
    assert (start.hour, start.fold) == (3, 1)


# --- expand: exception and extra dates ------------------------------------------------------------


def test_expand__exdate__removes_exactly_that_day():
    with_all = _expand(TUESDAYS_TO_MAY)

    without = _expand(TUESDAYS_TO_MAY, exdates=["2026-12-22"])

    assert _starts(without) == [day for day in _starts(with_all) if day != dt.date(2026, 12, 22)]
    assert len(without) == len(with_all) - 1


def test_expand__exdate_on_a_day_without_occurrence__changes_nothing():
    assert _expand(TUESDAYS_TO_MAY, exdates=["2026-12-23"]) == _expand(TUESDAYS_TO_MAY)


def test_expand__rdate__adds_that_day_at_the_start_time():
    occurrences = _expand(TUESDAYS_TO_MAY, rdates=["2027-06-03"])

    assert occurrences[-1] == (_helsinki(2027, 6, 3, 17), _helsinki(2027, 6, 3, 19))
    assert len(occurrences) == 40


def test_expand__rdate_on_an_occurrence_day__is_not_duplicated():
    assert _expand(TUESDAYS_TO_MAY, rdates=["2026-09-08"]) == _expand(TUESDAYS_TO_MAY)


def test_expand__exdate_and_rdate_on_the_same_day__exdate_wins():
    assert _expand("", rdates=["2026-09-03"], exdates=["2026-09-03"]) == _expand("")


def test_expand__rdate_in_winter__keeps_local_start_time():
    (_first, (start, end)) = _expand("", rdates=["2026-11-05"])

    assert (start, end) == (_helsinki(2026, 11, 5, 17), _helsinki(2026, 11, 5, 19))
    assert start.astimezone(UTC).hour == 15


def test_expand__invalid_exdate__raises():
    with pytest.raises(RecurrenceError) as caught:
        _expand(TUESDAYS_TO_MAY, exdates=["22.12.2026"])

    assert caught.value.part == "exdates"


# --- expand: window, limit, single occurrence -----------------------------------------------------


def test_expand__window__only_occurrences_inside():
    occurrences = _expand(
        TUESDAYS_TO_MAY, window_start=_helsinki(2026, 11, 1), window_end=_helsinki(2026, 12, 1)
    )

    assert _starts(occurrences) == [dt.date(2026, 11, day) for day in (3, 10, 17, 24)]


def test_expand__occurrence_in_progress_at_window_start__included():
    occurrences = _expand(
        TUESDAYS_TO_MAY, window_start=_helsinki(2026, 11, 3, 18), window_end=_helsinki(2026, 11, 4)
    )

    assert occurrences == [(_helsinki(2026, 11, 3, 17), _helsinki(2026, 11, 3, 19))]


def test_expand__occurrence_ending_at_window_start__excluded():
    occurrences = _expand(
        TUESDAYS_TO_MAY, window_start=_helsinki(2026, 11, 3, 19), window_end=_helsinki(2026, 11, 10, 17)
    )

    assert occurrences == []


def test_expand__occurrence_starting_at_window_end__excluded():
    occurrences = _expand(
        TUESDAYS_TO_MAY, window_start=_helsinki(2026, 11, 3, 12), window_end=_helsinki(2026, 11, 10, 17)
    )

    assert _starts(occurrences) == [dt.date(2026, 11, 3)]


def test_expand__window_in_utc__same_occurrences_as_in_helsinki_time():
    in_utc = _expand(
        TUESDAYS_TO_MAY,
        window_start=_helsinki(2026, 11, 3, 18).astimezone(UTC),
        window_end=_helsinki(2026, 11, 4).astimezone(UTC),
    )

    assert in_utc == [(_helsinki(2026, 11, 3, 17), _helsinki(2026, 11, 3, 19))]


def test_expand__limit__first_n_sorted():
    occurrences = _expand(TUESDAYS_TO_MAY, rdates=["2026-09-03"], limit=3)

    assert _starts(occurrences) == [dt.date(2026, 9, 1), dt.date(2026, 9, 3), dt.date(2026, 9, 8)]


def test_expand__rule_without_end__bounded_by_window():
    occurrences = _expand("FREQ=DAILY", window_end=_helsinki(2026, 9, 11))

    assert len(occurrences) == 10


def test_expand__monthly_first_tuesday__first_tuesday_of_each_month():
    occurrences = _expand("FREQ=MONTHLY;BYDAY=1TU;COUNT=4")

    assert _starts(occurrences) == [
        dt.date(2026, 9, 1),
        dt.date(2026, 10, 6),
        dt.date(2026, 11, 3),
        dt.date(2026, 12, 1),
    ]
    assert {start.hour for start, _end in occurrences} == {17}


def test_expand__every_other_week__skips_alternate_weeks():
    occurrences = _expand("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=3")

    assert _starts(occurrences) == [dt.date(2026, 9, 1), dt.date(2026, 9, 15), dt.date(2026, 9, 29)]


def test_expand__empty_rule__single_occurrence():
    assert _expand("") == [(_helsinki(2026, 9, 1, 17), _helsinki(2026, 9, 1, 19))]


def test_expand__empty_rule_with_rdates__single_occurrence_and_extra_days():
    assert _starts(_expand("", rdates=["2026-09-10", "2026-08-20"])) == [
        dt.date(2026, 8, 20),
        dt.date(2026, 9, 1),
        dt.date(2026, 9, 10),
    ]


def test_expand__single_occurrence_outside_window__empty():
    assert _expand("", window_start=_helsinki(2026, 10, 1)) == []


def test_expand__rule_with_prefix_and_lowercase__accepted():
    assert _expand("RRULE:freq=weekly;byday=tu;until=20270531") == _expand(TUESDAYS_TO_MAY)


def test_expand__invalid_rule__raises():
    with pytest.raises(RecurrenceError):
        _expand("FREQ=FORTNIGHTLY")


def test_expand__naive_datetime__raises():
    with pytest.raises(ValueError, match="aware"):
        _expand(TUESDAYS_TO_MAY, window_start=dt.datetime(2026, 1, 1))  # noqa: DTZ001


# --- validate_rrule -------------------------------------------------------------------------------


def test_validate_rrule__prefix_lowercase_and_spaces__normalised_freq_first():
    assert (
        validate_rrule(" rrule:byday=tu,th; freq=weekly ;interval=02 ")
        == "FREQ=WEEKLY;BYDAY=TU,TH;INTERVAL=2"
    )


def test_validate_rrule__blank__empty_string():
    assert validate_rrule("  ") == ""


@pytest.mark.parametrize(
    "rrule",
    [
        "FREQ=WEEKLY;UNTIL=20270531",
        "FREQ=WEEKLY;UNTIL=20270531T210000Z",
        "FREQ=MONTHLY;BYDAY=1TU",
        "FREQ=MONTHLY;BYDAY=-1FR;COUNT=10",
        "FREQ=MONTHLY;BYMONTHDAY=15",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
        "FREQ=DAILY;BYHOUR=10,14",
    ],
)
def test_validate_rrule__valid_rule__returned_unchanged(rrule):
    assert validate_rrule(rrule) == rrule


@pytest.mark.parametrize(
    ("rrule", "part", "message"),
    [
        ("FREQ=WEEKLY;BYDAY", None, "“BYDAY” is not of the form NAME=VALUE"),
        ("FREQ=WEEKLY;BYDAYS=TU", "BYDAYS", "unknown part BYDAYS"),
        ("FREQ=WEEKLY;BYDAY=TU;BYDAY=WE", "BYDAY", "BYDAY more than once"),
        ("BYDAY=TU", "FREQ", "needs FREQ"),
        ("FREQ=FORTNIGHTLY", "FREQ", "“FORTNIGHTLY” of FREQ"),
        ("FREQ=WEEKLY;BYDAY=TX", "BYDAY", "“TX” of BYDAY"),
        ("FREQ=WEEKLY;UNTIL=20270231", "UNTIL", "“20270231” of UNTIL"),
        ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL", "“0” of INTERVAL"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY", "“32” of BYMONTHDAY"),
        ("FREQ=WEEKLY;COUNT=5;UNTIL=20270531", "COUNT", "both COUNT and UNTIL"),
        ("FREQ=WEEKLY;BYDAY=1TU", "BYDAY", "Numbered days in BYDAY"),
        ("FREQ=WEEKLY;BYMONTHDAY=1", "BYMONTHDAY", "BYMONTHDAY cannot be used with FREQ=WEEKLY"),
        ("FREQ=MONTHLY;BYSETPOS=1", "BYSETPOS", "BYSETPOS needs another BY part"),
    ],
)
def test_validate_rrule__unreadable_part__raises_naming_the_part(rrule, part, message):
    error = _validation_error(rrule)

    assert error.part == part
    assert message in error.message


@pytest.mark.parametrize("freq", ["HOURLY", "MINUTELY", "SECONDLY"])
def test_validate_rrule__more_often_than_daily__raises(freq):
    error = _validation_error(f"FREQ={freq}")

    assert error.part == "FREQ"
    assert error.message == f"An activity cannot repeat more often than daily (FREQ={freq})."


def test_validate_rrule__no_possible_date__raises():
    assert "produces no dates" in _validation_error("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30").message


def test_validate_rrule__until_before_first_start__raises():
    error = _validation_error("FREQ=WEEKLY;UNTIL=20260831", starts_at=_helsinki(2026, 9, 1, 17))

    assert error.part == "UNTIL"
    assert error.message == "The repeat rule ends (UNTIL) before the first start."


def test_validate_rrule__no_date_from_this_start__raises():
    # Counting from 2025 in steps of four years never reaches a leap year, so never a 29 February.
    rrule = "FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29"

    assert validate_rrule(rrule, starts_at=_helsinki(2024, 2, 29, 17)) == rrule
    assert "produces no dates" in _validation_error(rrule, starts_at=_helsinki(2025, 2, 1, 17)).message


def test_validate_rrule__more_than_1000_a_year__raises():
    error = _validation_error("FREQ=DAILY;BYHOUR=9,12,15")

    assert error.message == "The repeat rule produces more than 1000 dates a year."


def test_expand__until_date__inclusive_in_helsinki_time():
    occurrences = _expand("FREQ=WEEKLY;UNTIL=20270525", window_start=_helsinki(2027, 5, 1))

    assert _starts(occurrences)[-1] == dt.date(2027, 5, 25)


@pytest.mark.parametrize(
    ("until", "last"),
    [("20270525T140000Z", dt.date(2027, 5, 25)), ("20270525T135959Z", dt.date(2027, 5, 18))],
)
def test_expand__utc_until__compared_with_the_real_start(until, last):
    occurrences = _expand(f"FREQ=WEEKLY;UNTIL={until}", window_start=_helsinki(2027, 5, 1))

    assert _starts(occurrences)[-1] == last


# --- describe -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Every Tuesday 17:00–19:00, until 31.5.2027"),
        ("fi", "Joka tiistai klo 17.00–19.00, 31.5.2027 asti"),
        ("sv", "Varje tisdag kl. 17.00–19.00, till 31.5.2027"),
    ],
)
def test_describe__weekly_until__in_each_language(language, expected):
    assert _describe(TUESDAYS_TO_MAY, language) == expected


@pytest.mark.parametrize(
    ("rrule", "language", "expected"),
    [
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE", "en", "Every other Monday and Wednesday 17:00–19:00"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE", "fi", "Joka toinen maanantai ja keskiviikko klo 17.00–19.00"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE", "sv", "Varannan måndag och onsdag kl. 17.00–19.00"),
        ("FREQ=WEEKLY;BYDAY=FR,MO,WE", "en", "Every Monday, Wednesday and Friday 17:00–19:00"),
        ("FREQ=WEEKLY", "fi", "Joka tiistai klo 17.00–19.00"),
        ("FREQ=WEEKLY;INTERVAL=3;BYDAY=TU", "fi", "Joka 3. viikko tiistaisin klo 17.00–19.00"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "sv", "Måndag till fredag kl. 17.00–19.00"),
        ("FREQ=DAILY", "en", "Every day 17:00–19:00"),
        ("FREQ=DAILY;COUNT=10", "fi", "Joka päivä klo 17.00–19.00, 10 kertaa"),
        ("FREQ=DAILY;INTERVAL=2", "sv", "Varannan dag kl. 17.00–19.00"),
        ("FREQ=MONTHLY;BYDAY=1TU", "en", "The first Tuesday of every month 17:00–19:00"),
        ("FREQ=MONTHLY;BYDAY=1TU", "fi", "Kuukauden ensimmäinen tiistai klo 17.00–19.00"),
        ("FREQ=MONTHLY;BYDAY=1TU", "sv", "Första tisdagen i månaden kl. 17.00–19.00"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "fi", "Kuukauden viimeinen perjantai klo 17.00–19.00"),
        ("FREQ=MONTHLY;BYMONTHDAY=1,15", "en", "The 1st and 15th of every month 17:00–19:00"),
        ("FREQ=MONTHLY;BYMONTHDAY=1,15", "fi", "Kuukauden 1. ja 15. päivä klo 17.00–19.00"),
        ("FREQ=MONTHLY;BYMONTHDAY=1,22", "sv", "Den 1:a och 22:a varje månad kl. 17.00–19.00"),
    ],
)
def test_describe__supported_rule__short_text(rrule, language, expected):
    assert _describe(rrule, language) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Repeats (see dates)"), ("fi", "Toistuu (katso päivämäärät)"), ("sv", "Upprepas (se datumen)")],
)
def test_describe__yearly_rule__generic_text(language, expected):
    assert _describe("FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=1", language) == expected


def test_describe__unreadable_rule__generic_text():
    assert _describe("FREQ=SOMETIMES", "en") == "Repeats (see dates)"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Tuesday 1.9.2026 17:00–19:00"),
        ("fi", "Tiistai 1.9.2026 klo 17.00–19.00"),
        ("sv", "Tisdag 1.9.2026 kl. 17.00–19.00"),
    ],
)
def test_describe__no_rule__the_single_date(language, expected):
    assert _describe("", language) == expected


def test_describe__winter_start_given_in_utc__helsinki_wall_clock_time():
    starts_at = _helsinki(2026, 11, 3, 17).astimezone(UTC)

    text = describe(
        rrule="FREQ=WEEKLY", starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=2), language="en"
    )

    assert text == "Every Tuesday 17:00–19:00"


def test_describe__positional_arguments__same_text():
    text = describe(TUESDAYS_TO_MAY, _helsinki(2026, 9, 1, 17), _helsinki(2026, 9, 1, 19), "en")

    assert text == _describe(TUESDAYS_TO_MAY, "en")


def test_describe__other_language__english():
    assert _describe("FREQ=DAILY", "ar") == "Every day 17:00–19:00"


def test_describe__regional_language_code__base_language():
    assert _describe("FREQ=DAILY", "sv-FI") == "Varje dag kl. 17.00–19.00"
