"""Repeating schedules: RFC 5545 rules expanded in Helsinki wall-clock time, validated and described.

Pure functions, no database. A schedule's `starts_at`/`ends_at` give the local (Europe/Helsinki)
wall-clock time of every occurrence, so a weekly 17:00 stays 17:00 in winter (UTC+2) and in summer
(UTC+3). The daylight-saving rules come from the IANA time-zone database through `zoneinfo` (the
pinned `tzdata` package), never from offsets written here.

* `validate_rrule(rrule, *, starts_at=None)` returns the normalised value (uppercase, no "RRULE:",
  FREQ first, other parts in the given order) or "" for a blank rule. UNTIL may be a date (the
  whole day in Helsinki, inclusive), a UTC time ("Z") or a time without "Z" (read as Helsinki
  time). With `starts_at` the rule is also checked against that first start (UNTIL before it, no
  date after it); without it, against a fixed reference start.
* `expand(...)`: an empty rule is the single time from `starts_at` to `ends_at`; `exdates` cancel
  every occurrence that starts on that Helsinki date (extra dates too); `rdates` add one at the
  schedule's start time, even outside the rule's range. Occurrences overlap the window when they
  start before its end and end after its start.
* `describe(...)` puts common rules into words in fi, sv or en (other languages get English) and
  anything else, unreadable rules included, into "Repeats (see dates)".

Daylight-saving policy (RFC 5545, section 3.3.5), applied to every computed wall-clock time:
* a time that happens twice (the autumn fold, 03:00-03:59 on the last Sunday of October) means
  its first pass, still in summer time;
* a time that does not exist (the spring gap, 03:00-03:59 on the last Sunday of March) is read
  with the UTC offset from before the gap, so it moves forward by the gap's length: 03:30 becomes
  04:30 summer time;
* an occurrence ends at its own wall-clock end time (start + the schedule's wall-clock duration),
  read the same way; if a start moved forward by the gap would then end before it begins, it
  ends the wall-clock duration after the moved start;
* the schedule's own first start keeps the exact instants given in `starts_at` and `ends_at`.
Results are aware Europe/Helsinki datetimes; a second pass through the fold carries fold=1. PEP 495
makes ambiguous times unequal to any other zone's datetime, so compare results in UTC.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, weekday
from django.utils.translation import gettext

HELSINKI = ZoneInfo("Europe/Helsinki")
UTC = dt.UTC

# More than this many occurrences a year (about three a day, every day) is a data-entry mistake,
# not an activity, and would swamp the materialised Occurrence table.
MAX_OCCURRENCES_PER_YEAR = 1000

# The Gregorian calendar repeats exactly every 400 years (146 097 days, a whole number of weeks).
# A rule that can never match makes dateutil search up to year 9999 (seconds for a daily rule);
# probing it in a calendar-identical year near 9999 bounds that search.
_CALENDAR_CYCLE_YEARS = 400
# Within a century the weekday-and-leap-year pattern repeats every 28 years, so a calendar rule
# that produces nothing for 28 years produces nothing at all; the probe always sees at least this.
_MIN_PROBE_YEARS = 28
# Rule checks without a start use this fixed, arbitrary start (a Monday that begins a leap year),
# so that validation is pure and repeatable.
_REFERENCE_START = dt.datetime(2024, 1, 1)  # noqa: DTZ001 (a wall-clock time, deliberately naive)

# Naive wall-clock times differ from real time by at most the UTC-offset change of a
# daylight-saving transition; a day of slack around the search window covers it.
_WINDOW_SLACK = dt.timedelta(days=1)

_WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_FREQUENCIES = {"YEARLY": YEARLY, "MONTHLY": MONTHLY, "WEEKLY": WEEKLY, "DAILY": DAILY}
_TOO_FREQUENT = frozenset({"HOURLY", "MINUTELY", "SECONDLY"})
# Integer list parts and their allowed ranges (RFC 5545, section 3.3.10); signed ones allow -max..-1.
_INT_LIST_PARTS: dict[str, tuple[int, int, bool]] = {
    "BYSECOND": (0, 59, False),
    "BYMINUTE": (0, 59, False),
    "BYHOUR": (0, 23, False),
    "BYMONTHDAY": (1, 31, True),
    "BYYEARDAY": (1, 366, True),
    "BYWEEKNO": (1, 53, True),
    "BYMONTH": (1, 12, False),
    "BYSETPOS": (1, 366, True),
}
_PART_NAMES = frozenset({"FREQ", "UNTIL", "COUNT", "INTERVAL", "BYDAY", "WKST", *_INT_LIST_PARTS})
_BY_PARTS = frozenset({"BYDAY", *_INT_LIST_PARTS} - {"BYSETPOS"})
# Parts that RFC 5545 forbids with some frequencies.
_NOT_WITH_FREQ = {
    "BYMONTHDAY": frozenset({"WEEKLY"}),
    "BYYEARDAY": frozenset({"DAILY", "WEEKLY", "MONTHLY"}),
    "BYWEEKNO": frozenset({"DAILY", "WEEKLY", "MONTHLY"}),
}
_INTEGER = re.compile(r"[+-]?\d{1,4}")
_BYDAY_ITEM = re.compile(r"(?P<n>[+-]?\d{1,2})?(?P<day>MO|TU|WE|TH|FR|SA|SU)")
_UNTIL = re.compile(r"(?P<date>\d{8})(?:T(?P<time>\d{6})(?P<utc>Z?))?")


class RecurrenceError(ValueError):
    """A repeat rule or date list is not usable; `message` is translated and safe to show."""

    def __init__(self, message: str, *, part: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.part = part


@dataclass(frozen=True, slots=True)
class _Rule:
    """A parsed, checked RRULE value."""

    text: str
    freq: str
    interval: int = 1
    count: int | None = None
    until: dt.datetime | None = None  # inclusive, naive Helsinki wall-clock time
    byday: tuple[tuple[int | None, int], ...] = ()  # (ordinal or None, weekday 0=Monday)
    wkst: int = 0
    ints: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def get(self, name: str) -> tuple[int, ...]:
        """The values of an integer list part, empty when absent."""
        return self.ints.get(name, ())


# --- Parsing and validation ---------------------------------------------------------------------


def validate_rrule(rrule: str, *, starts_at: dt.datetime | None = None) -> str:
    """The normalised rule, "" for a blank one; raises RecurrenceError for an unusable rule."""
    rule = _parse(rrule)
    if rule is None:
        return ""
    if starts_at is None:
        _probe(rule, start=_REFERENCE_START, until=None)
    else:
        start = _wall_clock(_require_aware(starts_at, "starts_at"))
        if rule.until is not None and rule.until < start:
            raise RecurrenceError(
                gettext("The repeat rule ends (UNTIL) before the first start."), part="UNTIL"
            )
        _probe(rule, start=start, until=rule.until)
    return rule.text


@functools.lru_cache(maxsize=512)
def _parse(text: str) -> _Rule | None:
    """The rule parsed and checked part by part, None for a blank rule; raises RecurrenceError."""
    value = text.strip()
    if value[:6].upper() == "RRULE:":
        value = value[6:]
    value = value.strip().upper()
    if not value:
        return None
    raw: dict[str, str] = {}
    for item in (piece.strip() for piece in value.split(";")):
        if not item:
            continue
        name, sep, part_value = (piece.strip() for piece in item.partition("="))
        if not sep or not name or not part_value:
            raise RecurrenceError(
                gettext("The repeat rule part “%(part)s” is not of the form NAME=VALUE.") % {"part": item}
            )
        if name not in _PART_NAMES:
            raise RecurrenceError(
                gettext("The repeat rule has an unknown part %(name)s.") % {"name": name}, part=name
            )
        if name in raw:
            raise RecurrenceError(
                gettext("The repeat rule has %(name)s more than once.") % {"name": name}, part=name
            )
        raw[name] = part_value
    return _build(raw)


def _build(raw: dict[str, str]) -> _Rule:
    """A _Rule from the named parts, refusing values and combinations RFC 5545 or activities rule out."""
    freq = raw.get("FREQ")
    if freq is None:
        raise RecurrenceError(gettext("The repeat rule needs FREQ, for example FREQ=WEEKLY."), part="FREQ")
    if freq in _TOO_FREQUENT:
        raise RecurrenceError(
            gettext("An activity cannot repeat more often than daily (FREQ=%(freq)s).") % {"freq": freq},
            part="FREQ",
        )
    if freq not in _FREQUENCIES:
        raise _invalid("FREQ", freq)
    if "COUNT" in raw and "UNTIL" in raw:
        raise RecurrenceError(gettext("The repeat rule cannot have both COUNT and UNTIL."), part="COUNT")
    for name, frequencies in _NOT_WITH_FREQ.items():
        if name in raw and freq in frequencies:
            raise RecurrenceError(
                gettext("%(name)s cannot be used with FREQ=%(freq)s.") % {"name": name, "freq": freq},
                part=name,
            )
    if "BYSETPOS" in raw and not _BY_PARTS & raw.keys():
        raise RecurrenceError(
            gettext("BYSETPOS needs another BY part in the repeat rule, for example BYDAY."),
            part="BYSETPOS",
        )

    normalised = {"FREQ": freq}
    ints: dict[str, tuple[int, ...]] = {}
    for name, (low, high, signed) in _INT_LIST_PARTS.items():
        if name in raw:
            ints[name] = _int_list(name, raw[name], low=low, high=high, signed=signed)
            normalised[name] = ",".join(str(number) for number in ints[name])
    interval = _positive_int("INTERVAL", raw["INTERVAL"]) if "INTERVAL" in raw else 1
    count = _positive_int("COUNT", raw["COUNT"]) if "COUNT" in raw else None
    until = _until(raw["UNTIL"]) if "UNTIL" in raw else None
    byday = _byday(raw["BYDAY"], freq=freq, has_byweekno="BYWEEKNO" in raw) if "BYDAY" in raw else ()
    wkst = _weekday_code("WKST", raw["WKST"]) if "WKST" in raw else 0
    if "INTERVAL" in raw:
        normalised["INTERVAL"] = str(interval)
    if "COUNT" in raw:
        normalised["COUNT"] = str(count)
    if "UNTIL" in raw:
        normalised["UNTIL"] = raw["UNTIL"]
    if "BYDAY" in raw:
        normalised["BYDAY"] = ",".join(f"{n or ''}{_WEEKDAY_CODES[day]}" for n, day in byday)
    if "WKST" in raw:
        normalised["WKST"] = raw["WKST"]
    # FREQ first (RFC 2445 readers expect it), the other parts in the order they were given.
    text = ";".join(f"{name}={normalised[name]}" for name in ["FREQ", *(n for n in raw if n != "FREQ")])
    return _Rule(
        text=text,
        freq=freq,
        interval=interval,
        count=count,
        until=until,
        byday=byday,
        wkst=wkst,
        ints=ints,
    )


def _invalid(name: str, value: str) -> RecurrenceError:
    """The error for a part whose value cannot be read."""
    return RecurrenceError(
        gettext("The value “%(value)s” of %(name)s in the repeat rule is not valid.")
        % {"value": value, "name": name},
        part=name,
    )


def _positive_int(name: str, value: str) -> int:
    """A positive integer part (COUNT, INTERVAL)."""
    if not value.isdigit() or int(value) < 1:
        raise _invalid(name, value)
    return int(value)


def _int_list(name: str, value: str, *, low: int, high: int, signed: bool) -> tuple[int, ...]:
    """A comma-separated integer list part within its RFC 5545 range."""
    numbers: list[int] = []
    for item in value.split(","):
        item = item.strip()
        if not _INTEGER.fullmatch(item):
            raise _invalid(name, value)
        number = int(item)
        if not (low <= number <= high or (signed and -high <= number <= -low)):
            raise _invalid(name, value)
        numbers.append(number)
    return tuple(dict.fromkeys(numbers))


def _weekday_code(name: str, value: str) -> int:
    """A two-letter weekday (MO…SU) as 0=Monday…6=Sunday."""
    if value not in _WEEKDAY_CODES:
        raise _invalid(name, value)
    return _WEEKDAY_CODES.index(value)


def _byday(value: str, *, freq: str, has_byweekno: bool) -> tuple[tuple[int | None, int], ...]:
    """BYDAY items as (ordinal or None, weekday); ordinals only where RFC 5545 allows them."""
    items: list[tuple[int | None, int]] = []
    for item in value.split(","):
        match = _BYDAY_ITEM.fullmatch(item.strip())
        if not match:
            raise _invalid("BYDAY", value)
        ordinal = int(match["n"]) if match["n"] else None
        if ordinal is not None:
            if ordinal == 0 or abs(ordinal) > 53:
                raise _invalid("BYDAY", value)
            if freq not in {"MONTHLY", "YEARLY"} or has_byweekno:
                raise RecurrenceError(
                    gettext(
                        "Numbered days in BYDAY, such as 1TU, need FREQ=MONTHLY or FREQ=YEARLY "
                        "without BYWEEKNO."
                    ),
                    part="BYDAY",
                )
        items.append((ordinal, _WEEKDAY_CODES.index(match["day"])))
    return tuple(dict.fromkeys(items))


def _until(value: str) -> dt.datetime:
    """UNTIL as an inclusive naive Helsinki wall-clock time (a date means the whole day)."""
    match = _UNTIL.fullmatch(value)
    if not match:
        raise _invalid("UNTIL", value)
    try:
        day = dt.datetime.strptime(match["date"], "%Y%m%d").date()  # noqa: DTZ007 (a calendar date)
        if match["time"] is None:
            return dt.datetime.combine(day, dt.time.max)
        moment = dt.datetime.combine(day, dt.datetime.strptime(match["time"], "%H%M%S").time())  # noqa: DTZ007
    except ValueError:
        raise _invalid("UNTIL", value) from None
    if match["utc"]:
        return _wall_clock(moment.replace(tzinfo=UTC))
    return moment


def _probe(rule: _Rule, *, start: dt.datetime, until: dt.datetime | None) -> None:
    """Refuse a rule that produces no occurrence or more than the yearly maximum from `start`."""
    # Shift by whole 400-year cycles so the search ends at year 9999 within a few centuries.
    shift = (dt.MAXYEAR - _MIN_PROBE_YEARS - start.year) // _CALENDAR_CYCLE_YEARS * _CALENDAR_CYCLE_YEARS
    shifted_start = start.replace(year=start.year + shift)
    shifted_until = None
    if until is not None and until.year + shift <= dt.MAXYEAR:
        shifted_until = until.replace(year=until.year + shift)
    probe = _dateutil_rule(rule, dtstart=shifted_start, until=shifted_until)
    first = probe.after(shifted_start, inc=True)
    if first is None:
        raise RecurrenceError(
            gettext("The repeat rule produces no dates. Check UNTIL and the BY parts of the rule.")
        )
    if first.year == dt.MAXYEAR:
        return  # a rare rule first met in year 9999; its yearly count cannot be taken there
    year_later = first + relativedelta(years=1)
    for number, occurrence in enumerate(probe.xafter(first, inc=True), start=1):
        if occurrence >= year_later:
            break
        if number > MAX_OCCURRENCES_PER_YEAR:
            raise RecurrenceError(
                gettext("The repeat rule produces more than %(limit)s dates a year.")
                % {"limit": MAX_OCCURRENCES_PER_YEAR}
            )


def _dateutil_rule(rule: _Rule, *, dtstart: dt.datetime, until: dt.datetime | None) -> rrule:
    """The dateutil rrule over naive wall-clock times."""

    def values(name: str) -> tuple[int, ...] | None:
        return rule.get(name) or None

    return rrule(
        _FREQUENCIES[rule.freq],
        dtstart=dtstart,
        interval=rule.interval,
        wkst=rule.wkst,
        count=rule.count,
        until=until,
        bysetpos=values("BYSETPOS"),
        bymonth=values("BYMONTH"),
        bymonthday=values("BYMONTHDAY"),
        byyearday=values("BYYEARDAY"),
        byweekno=values("BYWEEKNO"),
        byweekday=[weekday(day, n) for n, day in rule.byday] or None,
        byhour=values("BYHOUR"),
        byminute=values("BYMINUTE"),
        bysecond=values("BYSECOND"),
    )


# --- Expansion ----------------------------------------------------------------------------------


def expand(
    *,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    rrule: str,
    exdates: Sequence[str],
    rdates: Sequence[str],
    window_start: dt.datetime,
    window_end: dt.datetime,
    limit: int | None = None,
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Occurrences (Helsinki start, end) overlapping [window_start, window_end), sorted, at most `limit`."""
    if limit is not None and limit < 0:
        raise ValueError("limit must not be negative")
    first_start = _require_aware(starts_at, "starts_at").astimezone(UTC)
    first_end = _require_aware(ends_at, "ends_at").astimezone(UTC)
    low = _require_aware(window_start, "window_start").astimezone(UTC)
    high = _require_aware(window_end, "window_end").astimezone(UTC)
    if first_end <= first_start:
        raise ValueError("ends_at must be after starts_at")
    rule = _parse(rrule)
    start_wall = _wall_clock(first_start).replace(microsecond=0)
    duration = _wall_clock(first_end) - _wall_clock(first_start)
    if duration <= dt.timedelta(0):
        # Only when the first time straddles the autumn fold backwards; keep the real length.
        duration = first_end - first_start
    cancelled = _dates(exdates, "exdates")

    if rule is None:
        starts = [start_wall]
    else:
        search = _dateutil_rule(rule, dtstart=start_wall, until=rule.until)
        earliest = _wall_clock(low) - duration - _WINDOW_SLACK
        starts = search.between(earliest, _wall_clock(high) + _WINDOW_SLACK, inc=True)
    starts.extend(dt.datetime.combine(day, start_wall.time()) for day in _dates(rdates, "rdates"))

    found: set[tuple[dt.datetime, dt.datetime]] = set()
    for wall in starts:
        if wall.date() in cancelled:
            continue
        if wall == start_wall:
            start, end = first_start, first_end
        else:
            start, end = _real_time(wall), _real_time(wall + duration)
            if end <= start:  # the start moved forward out of the spring gap, past its own end
                end = start + duration
        if start < high and end > low:
            found.add((start, end))
    ordered = sorted(found)[:limit]
    return [(start.astimezone(HELSINKI), end.astimezone(HELSINKI)) for start, end in ordered]


def _require_aware(value: dt.datetime, name: str) -> dt.datetime:
    """The value, if it is an aware datetime."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")
    return value


def _wall_clock(moment: dt.datetime) -> dt.datetime:
    """The naive Helsinki wall-clock time of an aware datetime."""
    return moment.astimezone(HELSINKI).replace(tzinfo=None)


def _real_time(wall: dt.datetime) -> dt.datetime:
    """The UTC instant of a Helsinki wall-clock time: first pass in the fold, offset before the gap."""
    return wall.replace(tzinfo=HELSINKI, fold=0).astimezone(UTC)


def _dates(values: Sequence[str], name: str) -> set[dt.date]:
    """ISO dates ("YYYY-MM-DD") as a set; raises RecurrenceError for anything else."""
    days: set[dt.date] = set()
    for value in values:
        try:
            # Lenient on read: whatever date.fromisoformat takes (services check dates with it).
            days.add(dt.date.fromisoformat(value.strip()))
        except (AttributeError, ValueError):
            raise RecurrenceError(
                gettext("“%(value)s” is not a date of the form YYYY-MM-DD.") % {"value": value}, part=name
            ) from None
    return days


# --- Description --------------------------------------------------------------------------------


def _english_ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st…"""
    if number % 100 in {11, 12, 13}:
        return f"{number}th"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _swedish_ordinal(number: int) -> str:
    """1:a, 2:a, 3:e, 11:e, 21:a…"""
    ending = "a" if number % 10 in {1, 2} and number % 100 not in {11, 12} else "e"
    return f"{number}:{ending}"


@dataclass(frozen=True, slots=True)
class _Phrases:
    """The words of `describe` in one UI language (kept here, not in gettext, so they always match)."""

    weekdays: tuple[str, ...]  # "Every {days}"
    weekdays_definite: tuple[str, ...]  # "the first {weekday} of the month"
    weekdays_habitual: tuple[str, ...]  # "every 3 weeks on {days}"
    ordinals: dict[int, str]  # first…fifth, -1 = last
    day_number: Callable[[int], str]  # the 15th day of the month
    and_: str
    time: str
    times: str
    single: str
    sentence: str
    daily: dict[int, str]  # by INTERVAL; 0 = three or more
    weekly: dict[int, str]
    monday_to_friday: str
    monthly_weekday: dict[int, str]
    monthly_day: dict[int, str]
    monthly_last_day: dict[int, str]
    until: str
    count: str
    once: str
    generic: str


_PHRASES = {
    "en": _Phrases(
        weekdays=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        weekdays_definite=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        weekdays_habitual=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        ordinals={1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"},
        day_number=_english_ordinal,
        and_="and",
        time="{hour}:{minute:02d}",
        times="{start}–{end}",
        single="{weekday} {date} {times}",
        sentence="{rule} {times}{end}",
        daily={1: "Every day", 2: "Every other day", 0: "Every {n} days"},
        weekly={1: "Every {days}", 2: "Every other {days}", 0: "Every {n} weeks on {days_habitual}"},
        monday_to_friday="Monday to Friday",
        monthly_weekday={
            1: "The {ordinals} {weekday} of every month",
            2: "The {ordinals} {weekday} of every other month",
        },
        monthly_day={1: "The {days} of every month", 2: "The {days} of every other month"},
        monthly_last_day={1: "The last day of every month", 2: "The last day of every other month"},
        until=", until {date}",
        count=", {n} times",
        once=", once",
        generic="Repeats (see dates)",
    ),
    "fi": _Phrases(
        weekdays=("maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai"),
        weekdays_definite=(
            "maanantai",
            "tiistai",
            "keskiviikko",
            "torstai",
            "perjantai",
            "lauantai",
            "sunnuntai",
        ),
        weekdays_habitual=(
            "maanantaisin",
            "tiistaisin",
            "keskiviikkoisin",
            "torstaisin",
            "perjantaisin",
            "lauantaisin",
            "sunnuntaisin",
        ),
        ordinals={1: "ensimmäinen", 2: "toinen", 3: "kolmas", 4: "neljäs", 5: "viides", -1: "viimeinen"},
        day_number="{}.".format,
        and_="ja",
        time="{hour}.{minute:02d}",
        times="klo {start}–{end}",
        single="{weekday} {date} {times}",
        sentence="{rule} {times}{end}",
        daily={1: "Joka päivä", 2: "Joka toinen päivä", 0: "Joka {nth} päivä"},
        weekly={1: "Joka {days}", 2: "Joka toinen {days}", 0: "Joka {nth} viikko {days_habitual}"},
        monday_to_friday="Maanantaista perjantaihin",
        monthly_weekday={
            1: "Kuukauden {ordinals} {weekday}",
            2: "Joka toisen kuukauden {ordinals} {weekday}",
        },
        monthly_day={1: "Kuukauden {days} päivä", 2: "Joka toisen kuukauden {days} päivä"},
        monthly_last_day={1: "Kuukauden viimeinen päivä", 2: "Joka toisen kuukauden viimeinen päivä"},
        until=", {date} asti",
        count=", {n} kertaa",
        once=", kerran",
        generic="Toistuu (katso päivämäärät)",
    ),
    "sv": _Phrases(
        weekdays=("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
        weekdays_definite=(
            "måndagen",
            "tisdagen",
            "onsdagen",
            "torsdagen",
            "fredagen",
            "lördagen",
            "söndagen",
        ),
        weekdays_habitual=(
            "måndagar",
            "tisdagar",
            "onsdagar",
            "torsdagar",
            "fredagar",
            "lördagar",
            "söndagar",
        ),
        ordinals={1: "första", 2: "andra", 3: "tredje", 4: "fjärde", 5: "femte", -1: "sista"},
        day_number=_swedish_ordinal,
        and_="och",
        time="{hour}.{minute:02d}",
        times="kl. {start}–{end}",
        single="{weekday} {date} {times}",
        sentence="{rule} {times}{end}",
        daily={1: "Varje dag", 2: "Varannan dag", 0: "Var {nth} dag"},
        weekly={1: "Varje {days}", 2: "Varannan {days}", 0: "Var {nth} vecka på {days_habitual}"},
        monday_to_friday="Måndag till fredag",
        monthly_weekday={
            1: "{ordinals} {weekday} i månaden",
            2: "{ordinals} {weekday} varannan månad",
        },
        monthly_day={1: "Den {days} varje månad", 2: "Den {days} varannan månad"},
        monthly_last_day={1: "Sista dagen i månaden", 2: "Sista dagen varannan månad"},
        until=", till {date}",
        count=", {n} gånger",
        once=", en gång",
        generic="Upprepas (se datumen)",
    ),
}
_FALLBACK_LANGUAGE = "en"
_MONDAY_TO_FRIDAY = (0, 1, 2, 3, 4)
_EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)
# Parts that the short descriptions do not put into words; rules with them get the generic text.
_UNDESCRIBED_PARTS = ("BYMONTH", "BYYEARDAY", "BYWEEKNO", "BYHOUR", "BYMINUTE", "BYSECOND")


def describe(rrule: str, starts_at: dt.datetime, ends_at: dt.datetime, language: str) -> str:
    """A short description in fi, sv or en, e.g. "Every Tuesday 17:00-19:00"; never raises for the rule."""
    phrases = _PHRASES.get(language.lower().replace("_", "-").split("-")[0], _PHRASES[_FALLBACK_LANGUAGE])
    start = _wall_clock(_require_aware(starts_at, "starts_at"))
    end = _wall_clock(_require_aware(ends_at, "ends_at"))
    times = phrases.times.format(start=_time(phrases, start), end=_time(phrases, end))
    try:
        rule = _parse(rrule)
    except RecurrenceError:
        return phrases.generic
    if rule is None:
        weekday_name = phrases.weekdays[start.weekday()]
        return phrases.single.format(
            weekday=weekday_name[:1].upper() + weekday_name[1:], date=_date(start.date()), times=times
        )
    rule_text = _rule_text(rule, phrases, start)
    if rule_text is None:
        return phrases.generic
    if rule.until is not None:
        end_text = phrases.until.format(date=_date(rule.until.date()))
    elif rule.count is not None:
        end_text = phrases.once if rule.count == 1 else phrases.count.format(n=rule.count)
    else:
        end_text = ""
    return phrases.sentence.format(rule=rule_text[:1].upper() + rule_text[1:], times=times, end=end_text)


def _rule_text(rule: _Rule, phrases: _Phrases, start: dt.datetime) -> str | None:
    """The repeating part of the description, None when the rule has no short wording."""
    if any(rule.get(name) for name in _UNDESCRIBED_PARTS):
        return None
    if rule.freq == "DAILY" and not rule.get("BYMONTHDAY") and not rule.get("BYSETPOS"):
        if not rule.byday:
            return _by_interval(phrases.daily, rule.interval, phrases)
        if rule.interval == 1:
            return _weekly_text(rule, phrases, start)
    if rule.freq == "WEEKLY" and not rule.get("BYSETPOS"):
        return _weekly_text(rule, phrases, start)
    if rule.freq == "MONTHLY" and rule.interval in phrases.monthly_day:
        return _monthly_text(rule, phrases, start)
    return None


def _weekly_text(rule: _Rule, phrases: _Phrases, start: dt.datetime) -> str | None:
    """Every (other) Monday and Wednesday…"""
    days = tuple(sorted(day for _n, day in rule.byday)) or (start.weekday(),)
    if rule.interval == 1 and days == _EVERY_DAY:
        return phrases.daily[1]
    if rule.interval == 1 and days == _MONDAY_TO_FRIDAY:
        return phrases.monday_to_friday
    return _by_interval(
        phrases.weekly,
        rule.interval,
        phrases,
        days=_join([phrases.weekdays[day] for day in days], phrases),
        days_habitual=_join([phrases.weekdays_habitual[day] for day in days], phrases),
    )


def _monthly_text(rule: _Rule, phrases: _Phrases, start: dt.datetime) -> str | None:
    """The first Tuesday of every month, the 15th of every month…"""
    month_days = rule.get("BYMONTHDAY")
    positions = rule.get("BYSETPOS")
    if rule.byday and not month_days:
        weekdays = {day for _n, day in rule.byday}
        ordinals = [n for n, _day in rule.byday if n is not None]
        if positions and len(rule.byday) == 1 and not ordinals:
            ordinals = list(positions)  # BYDAY=TU;BYSETPOS=1 is the first Tuesday
        elif positions or len(ordinals) != len(rule.byday):
            return None
        if len(weekdays) != 1 or not set(ordinals) <= phrases.ordinals.keys():
            return None
        (day,) = weekdays
        ordered = sorted(ordinals, key=lambda n: (n < 0, n))  # first, second…, then last
        return phrases.monthly_weekday[rule.interval].format(
            ordinals=_join([phrases.ordinals[n] for n in ordered], phrases),
            weekday=phrases.weekdays_definite[day],
        )
    if rule.byday or positions:
        return None
    month_days = month_days or (start.day,)
    if month_days == (-1,):
        return phrases.monthly_last_day[rule.interval]
    if min(month_days) < 1:
        return None
    return phrases.monthly_day[rule.interval].format(
        days=_join([phrases.day_number(n) for n in sorted(month_days)], phrases)
    )


def _by_interval(templates: dict[int, str], interval: int, phrases: _Phrases, **words: str) -> str:
    """The template for this INTERVAL (1, 2 or the "every n" one) filled in."""
    template = templates.get(interval, templates[0])
    return template.format(n=interval, nth=phrases.day_number(interval), **words)


def _join(words: list[str], phrases: _Phrases) -> str:
    """A, B and C."""
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} {phrases.and_} {words[-1]}"


def _time(phrases: _Phrases, wall: dt.datetime) -> str:
    """17:00 or 17.00."""
    return phrases.time.format(hour=wall.hour, minute=wall.minute)


def _date(day: dt.date) -> str:
    """31.5.2027, the Finnish short date used in all three languages."""
    return f"{day.day}.{day.month}.{day.year}"
