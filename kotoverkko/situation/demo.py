"""Demo data of the situation picture: the real Statistics Finland files in `data/`, and synthetic tables.

Real data on language, country of birth and age by municipality is not in the project, so four
SYNTHETIC tables are generated (clearly labelled in their titles and flagged `is_synthetic`):
population by language, area, sex and year; population by country of birth, area and year; unemployed
jobseekers by language; and population by area, age and sex in the latest year (for the municipalities
and the region only: the whole country's pyramid comes from the real 11rc file). They are written as
PX text in memory and imported through `parse_px`, so the demo exercises the real importer. Totals are
consistent (males + females = total, the languages, the countries of birth and the age groups sum to
the total). In Kauniainen counts under 5 are suppressed as ".." and, as a statistics office would,
further cells are suppressed so that no suppressed count can be worked out from the totals
(secondary suppression, `suppress_block`).

    count = load_demo()   # new dataset versions imported; 0 when everything is already there
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from .models import DatasetVersion
from .parsers import parse_px, parse_pxweb_csv
from .services import dataset_import, default_table_id

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("fi", "sv", "en")
SYNTHETIC_UPDATED = "20250315 08:00"
SUPPRESS_BELOW = 5
SMALL_AREA = "KU235"  # Kauniainen: its small counts are suppressed
SUPPRESSED = '".."'
SYNTHETIC_ATTRIBUTION = {
    "fi": "Synteettinen esimerkkiaineisto, ei tilastotietoa",
    "sv": "Syntetiska exempeldata, inte statistik",
    "en": "Synthetic demo data, not statistics",
}

# --- A small PX writer -----------------------------------------------------------------------------


@dataclass
class PxVariable:
    """A variable to write: its name and value labels per language, its codes, a time unit if time."""

    names: dict[str, str]
    codes: list[str]
    labels: dict[str, list[str]]
    time_unit: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _list(values: Iterable[str], per_line: int = 12) -> str:
    quoted = [_q(value) for value in values]
    lines = [",".join(quoted[i : i + per_line]) for i in range(0, len(quoted), per_line)]
    return ",\n".join(lines)


def _suffix(language: str) -> str:
    return "" if language == LANGUAGES[0] else f"[{language}]"


def px_header(
    *,
    matrix: str,
    title: dict[str, str],
    contents: dict[str, str],
    units: dict[str, str],
    stub: list[PxVariable],
    heading: list[PxVariable],
    last_updated: str,
    content: PxVariable | None = None,
) -> str:
    """The keyword part of a UTF-8, trilingual PX file, up to and including "DATA=" and a newline.
    `content`, one of the heading or stub variables, is written as the CONTVARIABLE."""
    lines = [
        'CHARSET="ANSI";',
        'AXIS-VERSION="2013";',
        'CODEPAGE="utf-8";',
        f'LANGUAGE="{LANGUAGES[0]}";',
        f"LANGUAGES={_list(LANGUAGES)};",
        f"TABLEID={_q(matrix)};",
        "DECIMALS=0;",
        "SHOWDECIMALS=0;",
        f"MATRIX={_q(matrix)};",
        'SUBJECT-CODE="DEMO";',
    ]
    for language in LANGUAGES:
        s = _suffix(language)
        lines += [
            f'SUBJECT-AREA{s}="demo";',
            f"TITLE{s}={_q(title[language])};",
            f"DESCRIPTION{s}={_q(title[language])};",
            f"CONTENTS{s}={_q(contents[language])};",
            f"UNITS{s}={_q(units[language])};",
            f"STUB{s}={_list(v.names[language] for v in stub)};",
            f"HEADING{s}={_list(v.names[language] for v in heading)};",
        ]
        if content is not None:
            lines.append(f"CONTVARIABLE{s}={_q(content.names[language])};")
    for variable in [*stub, *heading]:
        for language in LANGUAGES:
            name = variable.names[language]
            lines.append(f"VALUES{_suffix(language)}({_q(name)})={_list(variable.labels[language])};")
        name = variable.names[LANGUAGES[0]]
        lines.append(f"CODES({_q(name)})={_list(variable.codes)};")
        if variable.time_unit:
            lines.append(f"TIMEVAL({_q(name)})=TLIST({variable.time_unit}1),{_list(variable.codes)};")
        for keyword, value in variable.extra.items():
            lines.append(f"{keyword}({_q(name)})={_q(value)};")
    lines.append(f"LAST-UPDATED={_q(last_updated)};")
    lines.append('SOURCE="Kotoverkko";')
    lines.append("DATA=")
    return "\n".join(lines) + "\n"


def _cell(value: int | None) -> str:
    return SUPPRESSED if value is None else str(value)


# --- Suppression -----------------------------------------------------------------------------------

Cell = tuple[int, int]  # row, column of a block


def _relations(block: list[list[int]], *, row_totals: bool, column_totals: bool) -> list[list[Cell]]:
    """The sums of a block, each as [its total, its parts…]: a row's first cell is the sum of the
    row's other cells, a column's first cell the sum of the column's other cells."""
    rows, columns = len(block), len(block[0]) if block else 0
    relations = []
    if row_totals:
        relations += [[(r, c) for c in range(columns)] for r in range(rows)]
    if column_totals:
        relations += [[(r, c) for r in range(rows)] for c in range(columns)]
    return [relation for relation in relations if len(relation) > 1]


def derivable_cells(hidden: set[Cell], relations: list[list[Cell]]) -> list[Cell]:
    """The hidden cells whose values follow from the known cells and the sums (exact linear
    algebra: a cell is determined when its unit vector lies in the row space of the sums' equations
    restricted to the hidden cells)."""
    unknowns = sorted(hidden)
    column_of = {cell: index for index, cell in enumerate(unknowns)}
    equations = []
    for total, *parts in relations:
        row = [Fraction(0)] * len(unknowns)
        for cell, sign in [(total, 1), *((part, -1) for part in parts)]:
            if cell in column_of:
                row[column_of[cell]] += sign
        if any(row):
            equations.append(row)
    basis: list[tuple[int, list[Fraction]]] = []  # (pivot column, row) in reduced echelon form
    for row in equations:
        row = _reduce(row, basis)
        pivot = next((i for i, value in enumerate(row) if value), None)
        if pivot is None:
            continue
        row = [value / row[pivot] for value in row]
        basis = [(p, [a - b * r[pivot] for a, b in zip(r, row, strict=True)]) for p, r in basis]
        basis.append((pivot, row))
    found = []
    for index, cell in enumerate(unknowns):
        unit = [Fraction(int(i == index)) for i in range(len(unknowns))]
        if not any(_reduce(unit, basis)):
            found.append(cell)
    return found


def _reduce(row: list[Fraction], basis: list[tuple[int, list[Fraction]]]) -> list[Fraction]:
    for pivot, base in basis:
        if row[pivot]:
            factor = row[pivot]
            row = [a - factor * b for a, b in zip(row, base, strict=True)]
    return row


def suppress_block(
    block: list[list[int]], *, row_totals: bool, column_totals: bool, below: int = SUPPRESS_BELOW
) -> list[list[int | None]]:
    """Counts under `below` hidden (primary suppression), then more cells hidden until no hidden
    cell can be worked out from the sums (secondary suppression): for a cell that still can, the
    smallest visible part in one of its sums is hidden too, preferring a part whose other sum
    already hides something (that closes the pattern with the fewest extra cells)."""
    relations = _relations(block, row_totals=row_totals, column_totals=column_totals)
    hidden = {(r, c) for r, row in enumerate(block) for c, value in enumerate(row) if value < below}
    while derivable := derivable_cells(hidden, relations):
        cell = derivable[0]
        candidates = [
            (relation.index(other) == 0, _hides_nothing(other, relation, hidden, relations), value, other)
            for relation in relations
            if cell in relation
            for other in relation
            if other not in hidden
            for value in [block[other[0]][other[1]]]
        ]
        if not candidates:  # cannot happen: a determined cell has a sum with a visible cell
            break
        hidden.add(min(candidates)[-1])
    return [
        [None if (r, c) in hidden else value for c, value in enumerate(row)] for r, row in enumerate(block)
    ]


def _hides_nothing(cell: Cell, relation: list[Cell], hidden: set[Cell], relations: list[list[Cell]]) -> bool:
    crossing = [other for other in relations if cell in other and other is not relation]
    return not any(any(item in hidden for item in other) for other in crossing)


# --- Synthetic population by language --------------------------------------------------------------

AREAS = [
    # code, fi, sv, en, population 2015, growth per year, Swedish share, foreign share 2015, 2024
    ("KU049", "Espoo", "Esbo", "Espoo", 265_500, 0.0175, 0.070, 0.08, 0.14),
    ("KU235", "Kauniainen", "Grankulla", "Kauniainen", 9_500, 0.008, 0.330, 0.040, 0.060),
    ("KU257", "Kirkkonummi", "Kyrkslätt", "Kirkkonummi", 38_200, 0.008, 0.160, 0.060, 0.090),
    ("MK01", "Uusimaa", "Nyland", "Uusimaa", 1_620_000, 0.0085, 0.080, 0.090, 0.150),
    ("SSS", "KOKO MAA", "HELA LANDET", "WHOLE COUNTRY", 5_487_000, 0.0022, 0.053, 0.060, 0.090),
]
YEARS = list(range(2015, 2025))
# code, fi, sv, en, share of the foreign languages in 2015, in 2024
FOREIGN = [
    ("ru", "venäjä", "ryska", "Russian", 0.20, 0.16),
    ("et", "viro", "estniska", "Estonian", 0.13, 0.09),
    ("ar", "arabia", "arabiska", "Arabic", 0.07, 0.08),
    ("so", "somali", "somaliska", "Somali", 0.05, 0.04),
    ("en", "englanti", "engelska", "English", 0.05, 0.06),
    ("fa", "persia", "persiska", "Persian", 0.03, 0.04),
    ("ku", "kurdi (ckb)", "kurdiska (ckb)", "Kurdish (ckb)", 0.03, 0.03),
    ("zh", "kiina", "kinesiska", "Chinese", 0.05, 0.05),
    ("vi", "vietnam", "vietnamesiska", "Vietnamese", 0.03, 0.04),
    ("uk", "ukraina", "ukrainska", "Ukrainian", 0.01, 0.10),
]
LANGUAGE_CODES = ["total", "fi", "sv", *(code for code, *_ in FOREIGN), "other"]
LANGUAGE_LABELS = {
    "fi": ["Yhteensä", "suomi", "ruotsi", *(row[1] for row in FOREIGN), "muut kielet"],
    "sv": ["Totalt", "finska", "svenska", *(row[2] for row in FOREIGN), "övriga språk"],
    "en": ["Total", "Finnish", "Swedish", *(row[3] for row in FOREIGN), "Other languages"],
}
SEX = PxVariable(
    names={"fi": "Sukupuoli", "sv": "Kön", "en": "Sex"},
    codes=["SSS", "1", "2"],
    labels={
        "fi": ["Yhteensä", "Miehet", "Naiset"],
        "sv": ["Totalt", "Män", "Kvinnor"],
        "en": ["Total", "Males", "Females"],
    },
)
AREA = PxVariable(
    names={"fi": "Alue", "sv": "Område", "en": "Area"},
    codes=[row[0] for row in AREAS],
    labels={
        "fi": [row[1] for row in AREAS],
        "sv": [row[2] for row in AREAS],
        "en": [row[3] for row in AREAS],
    },
)
LANGUAGE = PxVariable(
    names={"fi": "Kieli", "sv": "Språk", "en": "Language"}, codes=LANGUAGE_CODES, labels=LANGUAGE_LABELS
)
POPULATION_TITLE = {
    "fi": "Väestö kielen, alueen, sukupuolen ja vuoden mukaan (synteettinen esimerkkiaineisto)",
    "sv": "Befolkning efter språk, område, kön och år (syntetiska exempeldata)",
    "en": "Population by language, area, sex and year (synthetic demo data)",
}
JOBSEEKERS_TITLE = {
    "fi": "Työttömät työnhakijat kielen mukaan (synteettinen esimerkkiaineisto)",
    "sv": "Arbetslösa arbetssökande efter språk (syntetiska exempeldata)",
    "en": "Unemployed jobseekers by language (synthetic demo data)",
}


def _split(total: int, weights: list[float]) -> list[int]:
    """Whole numbers in proportion to `weights` that add up to `total` exactly (largest remainder)."""
    weight_sum = sum(weights)
    exact = [total * weight / weight_sum for weight in weights]
    parts = [int(value) for value in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def population_blocks(seed: int = 2025) -> Iterator[tuple[str, int, list[list[int]]]]:
    """(area, year, rows): a row per code of LANGUAGE_CODES, each (total, males, females); the
    first row is the sum of the others, in every column."""
    rng = random.Random(seed)  # noqa: S311 - made-up demo numbers
    for code, _fi, _sv, _en, base, growth, swedish, foreign_start, foreign_end in AREAS:
        for index, year in enumerate(YEARS):
            t = index / (len(YEARS) - 1)
            total = round(base * (1 + growth) ** index)
            foreign = round(total * (foreign_start + (foreign_end - foreign_start) * t))
            swedes = round(total * swedish)
            finns = total - foreign - swedes
            weights = [
                start + (end - start) * t ** (3 if lang == "uk" else 1) for lang, *_, start, end in FOREIGN
            ]
            weights.append(max(0.01, 1 - sum(weights)))
            by_language = [finns, swedes, *_split(foreign, [w * rng.uniform(0.95, 1.05) for w in weights])]
            rows = [[count, *_sexes(count, rng)] for count in by_language]
            # The language totals must add up per sex too: the total row is the sum of the languages.
            males = sum(row[1] for row in rows)
            yield code, year, [[total, males, total - males], *rows]


def population_rows(seed: int = 2025) -> Iterator[str]:
    """Data lines of the population table: STUB Alue × Vuosi × Kieli, HEADING Sukupuoli (total, m, f)."""
    for code, _year, block in population_blocks(seed):
        shown = _protected(code, block, row_totals=True, column_totals=True)
        for row in shown:
            yield " ".join(_cell(value) for value in row)


def _protected(
    area: str, block: list[list[int]], *, row_totals: bool, column_totals: bool
) -> list[list[int | None]]:
    """Kauniainen, the small municipality of the demo, gets primary and secondary suppression."""
    if area != SMALL_AREA:
        return [list(row) for row in block]
    return suppress_block(block, row_totals=row_totals, column_totals=column_totals)


def _sexes(count: int, rng: random.Random) -> tuple[int, int]:
    males = round(count * rng.uniform(0.47, 0.52))
    return males, count - males


def population_px(seed: int = 2025) -> bytes:
    """The synthetic population table as a PX file (UTF-8)."""
    year = PxVariable(
        names={"fi": "Vuosi", "sv": "År", "en": "Year"},
        codes=[str(y) for y in YEARS],
        labels={language: [str(y) for y in YEARS] for language in LANGUAGES},
        time_unit="A",
    )
    header = px_header(
        matrix="lang-demo",
        title=POPULATION_TITLE,
        contents=POPULATION_TITLE,
        units={"fi": "henkilöä", "sv": "personer", "en": "persons"},
        stub=[AREA, year, LANGUAGE],
        heading=[SEX],
        last_updated=SYNTHETIC_UPDATED,
    )
    return (header + "\n".join(population_rows(seed)) + ";\n").encode("utf-8")


# --- Synthetic unemployed jobseekers by language ---------------------------------------------------

MONTHS = [f"{year}M{month:02d}" for year in (2023, 2024) for month in range(1, 13)]
JOBSEEKER_LANGUAGES = PxVariable(
    names={"fi": "Kieli", "sv": "Språk", "en": "Language"},
    codes=["total", "fi", "sv", "foreign"],
    labels={
        "fi": ["Yhteensä", "suomenkieliset", "ruotsinkieliset", "vieraskieliset"],
        "sv": ["Totalt", "finskspråkiga", "svenskspråkiga", "främmandespråkiga"],
        "en": ["Total", "Finnish-speaking", "Swedish-speaking", "Foreign-language speakers"],
    },
)


def jobseeker_rows(seed: int = 2025) -> Iterator[str]:
    """Data lines: STUB Alue × Kuukausi, HEADING Kieli (total, fi, sv, foreign)."""
    rng = random.Random(seed)  # noqa: S311 - made-up demo numbers
    for code, _fi, _sv, _en, base, _growth, swedish, _start, foreign_share in AREAS:
        block = []
        for index, month in enumerate(MONTHS):
            season = 1.12 if month.endswith(("M06", "M07", "M12", "M01")) else 1.0
            trend = 1 + 0.012 * index  # unemployment rose through 2023–2024
            total = max(1, round(base * 0.68 * 0.075 * season * trend * rng.uniform(0.97, 1.03)))
            foreign = round(total * min(0.6, foreign_share * 2.6))
            swedes = round(total * swedish * 0.7)
            finns = total - foreign - swedes
            block.append([total, finns, swedes, foreign])
        # Months are not added up in the table: only each month's total is a sum.
        for row in _protected(code, block, row_totals=True, column_totals=False):
            yield " ".join(_cell(value) for value in row)


def jobseekers_px(seed: int = 2025) -> bytes:
    month = PxVariable(
        names={"fi": "Kuukausi", "sv": "Månad", "en": "Month"},
        codes=MONTHS,
        labels={language: MONTHS for language in LANGUAGES},
        time_unit="M",
    )
    header = px_header(
        matrix="jobseekers-demo",
        title=JOBSEEKERS_TITLE,
        contents=JOBSEEKERS_TITLE,
        units={"fi": "henkilöä", "sv": "personer", "en": "persons"},
        stub=[AREA, month],
        heading=[JOBSEEKER_LANGUAGES],
        last_updated=SYNTHETIC_UPDATED,
    )
    return (header + "\n".join(jobseeker_rows(seed)) + ";\n").encode("utf-8")


# --- Synthetic population by country of birth ------------------------------------------------------

# code (ISO 3166-1 alpha-2; "99" other and unknown), fi, sv, en, share of the born abroad in 2015, 2024
COUNTRIES = [
    ("SE", "Ruotsi", "Sverige", "Sweden", 0.10, 0.07),
    ("RU", "Venäjä", "Ryssland", "Russia", 0.18, 0.14),
    ("EE", "Viro", "Estland", "Estonia", 0.14, 0.10),
    ("IQ", "Irak", "Irak", "Iraq", 0.06, 0.07),
    ("SO", "Somalia", "Somalia", "Somalia", 0.04, 0.04),
    ("AF", "Afganistan", "Afghanistan", "Afghanistan", 0.03, 0.04),
    ("SY", "Syyria", "Syrien", "Syria", 0.01, 0.03),
    ("UA", "Ukraina", "Ukraina", "Ukraine", 0.02, 0.09),
    ("CN", "Kiina", "Kina", "China", 0.04, 0.04),
    ("VN", "Vietnam", "Vietnam", "Vietnam", 0.03, 0.04),
    ("IN", "Intia", "Indien", "India", 0.02, 0.05),
    ("TH", "Thaimaa", "Thailand", "Thailand", 0.03, 0.03),
]
COUNTRY_CODES = ["SSS", "FI", *(row[0] for row in COUNTRIES), "99"]
COUNTRY = PxVariable(
    names={"fi": "Syntymämaa", "sv": "Födelseland", "en": "Country of birth"},
    codes=COUNTRY_CODES,
    labels={
        "fi": ["Yhteensä", "Suomi", *(row[1] for row in COUNTRIES), "Muut maat ja tuntematon"],
        "sv": ["Totalt", "Finland", *(row[2] for row in COUNTRIES), "Övriga länder och okänt"],
        "en": ["Total", "Finland", *(row[3] for row in COUNTRIES), "Other countries and unknown"],
    },
)
ORIGIN_TITLE = {
    "fi": "Väestö syntymämaan, alueen ja vuoden mukaan (synteettinen esimerkkiaineisto)",
    "sv": "Befolkning efter födelseland, område och år (syntetiska exempeldata)",
    "en": "Population by country of birth, area and year (synthetic demo data)",
}
# The born abroad are a little more than the foreign-language speakers (Swedes, returning Finns…).
BORN_ABROAD_FACTOR = 1.15


def origin_counts(seed: int = 2025) -> dict[tuple[str, int], list[int]]:
    """{(area, year): counts in COUNTRY_CODES order}: the total is the sum of the countries."""
    rng = random.Random(seed)  # noqa: S311 - made-up demo numbers
    result = {}
    for code, _fi, _sv, _en, base, growth, _swedish, foreign_start, foreign_end in AREAS:
        for index, year in enumerate(YEARS):
            t = index / (len(YEARS) - 1)
            total = round(base * (1 + growth) ** index)
            abroad = round(total * (foreign_start + (foreign_end - foreign_start) * t) * BORN_ABROAD_FACTOR)
            weights = [
                start + (end - start) * t ** (3 if country == "UA" else 1)
                for country, *_, start, end in COUNTRIES
            ]
            weights.append(max(0.01, 1 - sum(weights)))
            parts = _split(abroad, [w * rng.uniform(0.95, 1.05) for w in weights])
            result[(code, year)] = [total, total - abroad, *parts]
    return result


def origin_rows(seed: int = 2025) -> Iterator[str]:
    """Data lines: STUB Alue × Syntymämaa, HEADING Vuosi; counts under 5 in Kauniainen are ".."."""
    counts = origin_counts(seed)
    for code, *_ in AREAS:
        # Rows are the countries (the first is their total), columns the years (not added up).
        block = [[counts[(code, year)][position] for year in YEARS] for position in range(len(COUNTRY_CODES))]
        for row in _protected(code, block, row_totals=False, column_totals=True):
            yield " ".join(_cell(value) for value in row)


def origin_px(seed: int = 2025) -> bytes:
    """The synthetic country-of-birth table as a PX file (UTF-8)."""
    year = PxVariable(
        names={"fi": "Vuosi", "sv": "År", "en": "Year"},
        codes=[str(y) for y in YEARS],
        labels={language: [str(y) for y in YEARS] for language in LANGUAGES},
        time_unit="A",
    )
    header = px_header(
        matrix="origin-demo",
        title=ORIGIN_TITLE,
        contents=ORIGIN_TITLE,
        units={"fi": "henkilöä", "sv": "personer", "en": "persons"},
        stub=[AREA, COUNTRY],
        heading=[year],
        last_updated=SYNTHETIC_UPDATED,
    )
    return (header + "\n".join(origin_rows(seed)) + ";\n").encode("utf-8")


# --- Synthetic population by area, age and sex -----------------------------------------------------

# The same dimensions as the real StatFin 11rc table (Sukupuoli, Ikä in 5-year groups, Tiedot), so the
# pyramid is read the same way; only the latest year, and not the whole country (11rc has it).
AGE_AREAS = [row for row in AREAS if row[0] != "SSS"]
AGE_YEAR = YEARS[-1]
AGE_BANDS = [f"{start}-{start + 4}" for start in range(0, 85, 5)] + ["85-"]
AGE_CODES = ["SSS", *AGE_BANDS]
AGE = PxVariable(
    names={"fi": "Ikä", "sv": "Ålder", "en": "Age"},
    codes=AGE_CODES,
    labels={
        language: [total, *(band.replace("-", " - ").rstrip() for band in AGE_BANDS)]
        for language, total in (("fi", "Yhteensä"), ("sv", "Totalt"), ("en", "Total"))
    },
)
AGE_AREA = PxVariable(
    names=AREA.names,
    codes=[row[0] for row in AGE_AREAS],
    labels={language: AREA.labels[language][: len(AGE_AREAS)] for language in LANGUAGES},
)
AGE_INFORMATION = PxVariable(
    names={"fi": "Tiedot", "sv": "Uppgifter", "en": "Information"},
    codes=["vaesto"],
    labels={"fi": ["Väestö 31.12."], "sv": ["Befolkning 31.12."], "en": ["Population 31 Dec"]},
)
AGE_TITLE = {
    "fi": "Väestö alueen, iän ja sukupuolen mukaan (synteettinen esimerkkiaineisto)",
    "sv": "Befolkning efter område, ålder och kön (syntetiska exempeldata)",
    "en": "Population by area, age and sex (synthetic demo data)",
}
# Rough shares of the 5-year age groups (0–4 … 85+) of men and of women in a Finnish urban area.
AGE_WEIGHTS_MEN = [5.2, 5.8, 6.1, 5.9, 5.9, 6.8, 7.2, 7.0, 6.8, 6.2, 6.3, 6.2, 5.9, 5.5, 5.2, 3.6, 2.2, 1.4]
AGE_WEIGHTS_WOMEN = [4.8, 5.4, 5.7, 5.5, 5.8, 6.5, 6.8, 6.7, 6.5, 6.0, 6.2, 6.3, 6.1, 6.0, 5.9, 4.4, 3.2, 2.9]


def language_totals(seed: int = 2025) -> dict[tuple[str, int], tuple[int, int, int]]:
    """{(area, year): (total, males, females)} of the synthetic language table."""
    return {(code, year): tuple(block[0]) for code, year, block in population_blocks(seed)}


def age_counts(seed: int = 2025) -> dict[str, dict[str, tuple[int, int, int]]]:
    """{area: {age code: (total, males, females)}} in AGE_YEAR, before suppression. The sexes are
    those of the language table; the age groups of each sex add up to it."""
    rng = random.Random(seed)  # noqa: S311 - made-up demo numbers
    totals = language_totals(seed)
    result = {}
    for code, *_ in AGE_AREAS:
        total, males, females = totals[(code, AGE_YEAR)]
        men = _split(males, [w * rng.uniform(0.9, 1.1) for w in AGE_WEIGHTS_MEN])
        women = _split(females, [w * rng.uniform(0.9, 1.1) for w in AGE_WEIGHTS_WOMEN])
        by_age = {"SSS": (total, males, females)}
        for band, m, f in zip(AGE_BANDS, men, women, strict=True):
            by_age[band] = (m + f, m, f)
        result[code] = by_age
    return result


def age_rows(seed: int = 2025) -> Iterator[str]:
    """Data lines: STUB Alue × Vuosi × Ikä, HEADING Sukupuoli × Tiedot; under 5 in Kauniainen is ".."."""
    counts = age_counts(seed)
    for code, *_ in AGE_AREAS:
        block = [list(counts[code][age]) for age in AGE_CODES]
        for row in _protected(code, block, row_totals=True, column_totals=True):
            yield " ".join(_cell(value) for value in row)


def age_px(seed: int = 2025) -> bytes:
    """The synthetic age-and-sex table as a PX file (UTF-8)."""
    year = PxVariable(
        names={"fi": "Vuosi", "sv": "År", "en": "Year"},
        codes=[str(AGE_YEAR)],
        labels={language: [str(AGE_YEAR)] for language in LANGUAGES},
        time_unit="A",
    )
    header = px_header(
        matrix="age-demo",
        title=AGE_TITLE,
        contents=AGE_TITLE,
        units={"fi": "henkilöä", "sv": "personer", "en": "persons"},
        stub=[AGE_AREA, year, AGE],
        heading=[SEX, AGE_INFORMATION],
        last_updated=SYNTHETIC_UPDATED,
        content=AGE_INFORMATION,
    )
    return (header + "\n".join(age_rows(seed)) + ";\n").encode("utf-8")


# --- Loading ---------------------------------------------------------------------------------------


def _exists(source: str, table_id: str, file_name: str, last_updated: object) -> bool:
    return DatasetVersion.objects.filter(
        dataset__source=source,
        dataset__table_id=table_id,
        file_name=file_name,
        last_updated=last_updated,
        is_staged=False,
    ).exists()


def _load(table, *, source: str, table_id: str, file_name: str, **options: object) -> int:  # noqa: ANN001
    if _exists(source, table_id, file_name, table.metadata.last_updated):
        return 0
    dataset_import(table=table, source=source, table_id=table_id, file_name=file_name, actor=None, **options)
    return 1


def load_demo() -> int:
    """Import the real files and the synthetic tables; returns how many new versions were imported."""
    count = 0
    for path in sorted((DATA / "statfin_px").glob("*.px")):
        with path.open("rb") as stream:
            table = parse_px(stream)
            count += _load(
                table, source="statfin", table_id=default_table_id(table, path.name), file_name=path.name
            )
    for path in sorted((DATA / "statfin_pxweb_csv").glob("*.csv")):
        with path.open("rb") as stream:
            table = parse_pxweb_csv(stream, language="en")
            count += _load(
                table, source="statfin", table_id=default_table_id(table, path.name), file_name=path.name
            )
    synthetic = (
        ("lang-demo", population_px()),
        ("jobseekers-demo", jobseekers_px()),
        ("origin-demo", origin_px()),
        ("age-demo", age_px()),
    )
    for table_id, document in synthetic:
        table = parse_px(io.BytesIO(document))
        count += _load(
            table,
            source="demo",
            table_id=table_id,
            file_name=f"synthetic:{table_id}.px",
            is_synthetic=True,
            attribution=SYNTHETIC_ATTRIBUTION,
        )
    return count
