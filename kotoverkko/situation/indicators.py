"""The situation picture's calculations, on plain data (no database): counts, shares, growth,
the largest language groups, the population pyramid and a simple projection.

Suppression rule: a suppressed (missing) cell stays unknown. Nothing is ever derived from a total
minus other values; a sum that includes a suppressed cell is "at least" the sum of the known cells.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

# Domestic languages: Finnish, Swedish and the Sami languages (Statistics Finland's "se" and the
# individual Sami languages). Everything else, including "other languages", is foreign.
DOMESTIC_LANGUAGES = frozenset({"fi", "sv", "se", "sme", "smn", "sms", "smi"})
TOTAL_CODES = frozenset({"SSS", "total", "TOTAL", "Total", "yhteensa", "S"})
OTHER_LANGUAGE_CODES = frozenset({"other", "99", "xx", "muu"})
MALE_CODES = frozenset({"1", "male", "men", "M"})
FEMALE_CODES = frozenset({"2", "female", "women", "N", "F"})
PROJECTION_BASE_YEARS = 5
PROJECTION_YEARS = 3


@dataclass(frozen=True)
class Amount:
    """A count: the sum of the known cells and how many suppressed cells it leaves out.

    `value is None` with `suppressed` > 0: every cell was suppressed. `suppressed` > 0 with a value:
    the real number is at least `value`. Neither: no data at all.
    """

    value: Decimal | None = None
    suppressed: int = 0

    @property
    def has_data(self) -> bool:
        return self.value is not None or self.suppressed > 0

    @property
    def is_suppressed(self) -> bool:
        return self.value is None and self.suppressed > 0

    @property
    def is_complete(self) -> bool:
        return self.value is not None and self.suppressed == 0

    @property
    def is_at_least(self) -> bool:
        return self.value is not None and self.suppressed > 0

    def __add__(self, other: Amount) -> Amount:
        if self.value is None and other.value is None:
            value = None
        else:
            value = (self.value or Decimal(0)) + (other.value or Decimal(0))
        return Amount(value, self.suppressed + other.suppressed)


NO_DATA = Amount()


def cell(value: Decimal | None) -> Amount:
    """One observation: a number, or a suppressed cell when its value is missing."""
    return Amount(value, 0) if value is not None else Amount(None, 1)


def total(amounts: Iterable[Amount]) -> Amount:
    result = NO_DATA
    for amount in amounts:
        result = result + amount
    return result


@dataclass(frozen=True)
class Share:
    """A percentage; `at_least` when the numerator leaves out suppressed cells."""

    percent: Decimal
    at_least: bool = False


def share(part: Amount, whole: Amount) -> Share | None:
    """part / whole in percent. Unknown when the whole is incomplete or zero, or the part unknown."""
    if not whole.is_complete or not whole.value or part.value is None:
        return None
    return Share(part.value * 100 / whole.value, at_least=part.suppressed > 0)


@dataclass(frozen=True)
class Growth:
    first_year: int
    last_year: int
    change: Decimal  # absolute change
    percent: Decimal  # change in percent of the first year
    annual_percent: Decimal  # compound annual growth rate


def growth(series: Mapping[int, Amount]) -> Growth | None:
    """Growth between the first and last year whose counts are complete; None if not computable."""
    years = sorted(year for year, amount in series.items() if amount.is_complete)
    if len(years) < 2:
        return None
    first, last = years[0], years[-1]
    start, end = series[first].value or Decimal(0), series[last].value or Decimal(0)
    if start <= 0:
        return None
    ratio = end / start
    annual = (Decimal(float(ratio) ** (1 / (last - first))) - 1) * 100
    return Growth(first, last, end - start, (ratio - 1) * 100, annual)


def is_foreign(language: str) -> bool:
    return language not in DOMESTIC_LANGUAGES and language not in TOTAL_CODES


@dataclass(frozen=True)
class LanguageCount:
    code: str
    amount: Amount


def top_languages(counts: Mapping[str, Amount], limit: int = 10) -> tuple[list[LanguageCount], int]:
    """The largest foreign language groups by their known counts, and how many groups are
    suppressed entirely (they cannot be ranked). "Other languages" is a residual, not a group."""
    ranked = [
        LanguageCount(code, amount)
        for code, amount in counts.items()
        if is_foreign(code) and code not in OTHER_LANGUAGE_CODES and amount.value is not None
    ]
    ranked.sort(key=lambda item: (-(item.amount.value or 0), item.code))
    hidden = sum(
        1
        for code, amount in counts.items()
        if is_foreign(code) and code not in OTHER_LANGUAGE_CODES and amount.is_suppressed
    )
    return ranked[:limit], hidden


@dataclass(frozen=True)
class PyramidRow:
    age: str
    men: Amount
    women: Amount


def pyramid_total(rows: Iterable[PyramidRow]) -> Amount:
    return total(row.men + row.women for row in rows)


@dataclass(frozen=True)
class Projection:
    """Ordinary least squares line through (year, share) for the base years, extended."""

    base: list[tuple[int, Decimal]]
    slope: Decimal  # percentage points per year
    intercept: Decimal
    points: list[tuple[int, Decimal]]  # projected years and shares

    def at(self, year: int) -> Decimal:
        return self.intercept + self.slope * year


def projection(
    shares: Mapping[int, Decimal], *, base_years: int = PROJECTION_BASE_YEARS, ahead: int = PROJECTION_YEARS
) -> Projection | None:
    """Least-squares linear trend of the last `base_years` known shares, `ahead` years on.

    Needs at least three points; projected shares are kept between 0 and 100.
    """
    base = sorted(shares.items())[-base_years:]
    if len(base) < 3:
        return None
    n = Decimal(len(base))
    mean_x = sum(Decimal(year) for year, _ in base) / n
    mean_y = sum(value for _, value in base) / n
    sxx = sum((Decimal(year) - mean_x) ** 2 for year, _ in base)
    sxy = sum((Decimal(year) - mean_x) * (value - mean_y) for year, value in base)
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x
    last = base[-1][0]
    points = [
        (year, min(Decimal(100), max(Decimal(0), intercept + slope * year)))
        for year in range(last + 1, last + ahead + 1)
    ]
    return Projection(base=list(base), slope=slope, intercept=intercept, points=points)


# --- Origin: country of birth -----------------------------------------------------------------------

# Country-of-birth codes are ISO 3166-1 alpha-2 ("FI", "SE", …); "99" is Statistics Finland's code for
# "other countries and unknown". Everyone with a country of birth other than Finland counts as born
# abroad, and so does "99" (Statistics Finland counts an unknown country of birth as abroad).
FINLAND = "FI"
OTHER_COUNTRY_CODES = frozenset({"99", "XX", "other", "muu"})

# The country groups of the origin view: a small, explicit mapping from ISO codes to a group. Codes
# not listed fall in "other" together with "99" (other and unknown); Finland is in no group.
COUNTRY_GROUP_ORDER = ("eu_efta", "other_europe", "africa", "asia", "americas", "oceania", "other")
COUNTRY_GROUPS: dict[str, frozenset[str]] = {
    # EU member states and the EFTA countries (without Finland itself).
    "eu_efta": frozenset(
        [
            "AT",
            "BE",
            "BG",
            "HR",
            "CY",
            "CZ",
            "DK",
            "EE",
            "FR",
            "DE",
            "GR",
            "HU",
            "IE",
            "IT",
            "LV",
            "LT",
            "LU",
            "MT",
            "NL",
            "PL",
            "PT",
            "RO",
            "SK",
            "SI",
            "ES",
            "SE",
            "IS",
            "LI",
            "NO",
            "CH",
        ]
    ),
    "other_europe": frozenset(
        ["RU", "UA", "BY", "MD", "GB", "RS", "BA", "ME", "MK", "AL", "XK", "TR", "GE", "AM", "AZ"]
    ),
    "africa": frozenset(
        [
            "SO",
            "ET",
            "ER",
            "NG",
            "GH",
            "KE",
            "CD",
            "CG",
            "MA",
            "DZ",
            "TN",
            "EG",
            "SD",
            "SS",
            "GM",
            "CM",
            "UG",
            "TZ",
            "ZA",
        ]
    ),
    "asia": frozenset(
        [
            "IQ",
            "AF",
            "SY",
            "IR",
            "CN",
            "VN",
            "IN",
            "TH",
            "PH",
            "PK",
            "BD",
            "NP",
            "LK",
            "MM",
            "KR",
            "JP",
            "ID",
            "MY",
            "KZ",
            "UZ",
            "IL",
            "LB",
            "JO",
            "SA",
        ]
    ),
    "americas": frozenset(["US", "CA", "MX", "BR", "AR", "CL", "CO", "PE", "VE", "CU"]),
    "oceania": frozenset(["AU", "NZ"]),
}


def country_group(code: str) -> str | None:
    """The group of a country of birth; None for Finland and for totals."""
    if code == FINLAND or code in TOTAL_CODES:
        return None
    for group, codes in COUNTRY_GROUPS.items():
        if code in codes:
            return group
    return "other"


def is_abroad(code: str) -> bool:
    return code != FINLAND and code not in TOTAL_CODES


def born_abroad(counts: Mapping[str, Amount]) -> Amount:
    """The sum of the countries other than Finland: "at least" when some are suppressed. Never the
    total minus Finland, which would reveal suppressed cells."""
    return total(amount for code, amount in counts.items() if is_abroad(code))


@dataclass(frozen=True)
class CountryCount:
    code: str
    amount: Amount


def top_countries(counts: Mapping[str, Amount], limit: int = 10) -> tuple[list[CountryCount], int]:
    """The largest countries of birth abroad by their known counts, and how many countries are
    suppressed entirely (they cannot be ranked). "Other and unknown" is a residual, not a country."""

    def ranked_code(code: str) -> bool:
        return is_abroad(code) and code not in OTHER_COUNTRY_CODES

    ranked = [
        CountryCount(code, amount)
        for code, amount in counts.items()
        if ranked_code(code) and amount.value is not None
    ]
    ranked.sort(key=lambda item: (-(item.amount.value or 0), item.code))
    hidden = sum(1 for code, amount in counts.items() if ranked_code(code) and amount.is_suppressed)
    return ranked[:limit], hidden


def country_groups(counts: Mapping[str, Amount]) -> list[tuple[str, Amount]]:
    """The born-abroad counts by country group, in COUNTRY_GROUP_ORDER, groups with data only.
    A group with a suppressed member is "at least" its known sum; all suppressed stays suppressed."""
    sums: dict[str, Amount] = {}
    for code, amount in counts.items():
        group = country_group(code)
        if group is not None:
            sums[group] = sums.get(group, NO_DATA) + amount
    return [(group, sums[group]) for group in COUNTRY_GROUP_ORDER if group in sums and sums[group].has_data]
