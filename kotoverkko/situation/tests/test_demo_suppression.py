"""The synthetic demo tables protect Kauniainen's small counts as a statistics office would: counts
under 5 are suppressed, and enough other cells too that no suppressed count follows from the totals."""

from __future__ import annotations

import io
from fractions import Fraction

import pytest

from kotoverkko.situation import demo
from kotoverkko.situation.parsers import parse_px

SMALL = "KU235"


def _rank(rows: list[list[Fraction]]) -> int:
    """Rank by Gaussian elimination (written out here, independent of the generator's own check)."""
    matrix = [list(row) for row in rows]
    rank = 0
    columns = len(matrix[0]) if matrix else 0
    for column in range(columns):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column]), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column]:
                factor = matrix[r][column] / matrix[rank][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        rank += 1
    return rank


def _determined(block: list[list[int | None]], *, row_totals: bool, column_totals: bool) -> list[tuple]:
    """Suppressed cells of a block whose value the block's sums fix: e_i lies in the row space of the
    equations (restricted to the unknowns) exactly when adding it does not raise the rank."""
    hidden = [(r, c) for r, row in enumerate(block) for c, value in enumerate(row) if value is None]
    index = {cell: i for i, cell in enumerate(hidden)}
    sums = []
    if row_totals:
        sums += [[(r, c) for c in range(len(block[0]))] for r in range(len(block))]
    if column_totals:
        sums += [[(r, c) for r in range(len(block))] for c in range(len(block[0]))]
    equations = []
    for total, *parts in sums:
        row = [Fraction(0)] * len(hidden)
        for cell, sign in [(total, 1), *((part, -1) for part in parts)]:
            if cell in index:
                row[index[cell]] += sign
        equations.append(row)
    base = _rank(equations)
    return [
        cell
        for cell, i in index.items()
        if _rank([*equations, [Fraction(int(j == i)) for j in range(len(hidden))]]) == base
    ]


def _cells(document: bytes) -> dict[tuple[str, ...], int | None]:
    table = parse_px(io.BytesIO(document))
    return {key: (int(value) if value is not None else None) for key, value, _missing in table.cells()}


def _grid(cells, rows, columns, key) -> list[list[int | None]]:
    return [[cells[key(row, column)] for column in columns] for row in rows]


def _blocks():
    """(name, block, row_totals, column_totals) of Kauniainen in every synthetic table."""
    sexes = demo.SEX.codes
    population = _cells(demo.population_px())
    for year in demo.YEARS:
        grid = _grid(population, demo.LANGUAGE_CODES, sexes, lambda r, c, y=year: (SMALL, str(y), r, c))
        yield f"population {year}", grid, True, True
    jobseekers = _cells(demo.jobseekers_px())
    grid = _grid(jobseekers, demo.MONTHS, demo.JOBSEEKER_LANGUAGES.codes, lambda r, c: (SMALL, r, c))
    yield "jobseekers", grid, True, False
    origin = _cells(demo.origin_px())
    years = [str(year) for year in demo.YEARS]
    yield "origin", _grid(origin, demo.COUNTRY_CODES, years, lambda r, c: (SMALL, r, c)), False, True
    age = _cells(demo.age_px())
    grid = _grid(age, demo.AGE_CODES, sexes, lambda r, c: (SMALL, str(demo.AGE_YEAR), r, c, "vaesto"))
    yield "age", grid, True, True


@pytest.mark.parametrize(("name", "block", "row_totals", "column_totals"), list(_blocks()))
def test_synthetic_kauniainen__suppressed_counts__not_derivable_from_totals(
    name, block, row_totals, column_totals
):
    assert not any(value is not None and value < demo.SUPPRESS_BELOW for row in block for value in row)
    assert _determined(block, row_totals=row_totals, column_totals=column_totals) == [], name


def test_synthetic_population__kauniainen__has_secondary_suppression():
    """Some suppressed cells are not small themselves: they hide a small one."""
    blocks = [block for name, block, _r, _c in _blocks() if name.startswith("population")]
    raw = {year: block for _code, year, block in demo.population_blocks() if _code == SMALL}
    hidden_large = [
        raw[year][r][c]
        for year, block in zip(demo.YEARS, blocks, strict=True)
        for r, row in enumerate(block)
        for c, value in enumerate(row)
        if value is None and raw[year][r][c] >= demo.SUPPRESS_BELOW
    ]
    assert hidden_large


def test_suppress_block__one_small_part__another_hidden_in_its_row_and_column():
    block = [[30, 15, 15], [3, 1, 2], [27, 14, 13]]
    shown = demo.suppress_block(block, row_totals=True, column_totals=True)
    hidden = {(r, c) for r, row in enumerate(shown) for c, value in enumerate(row) if value is None}
    assert {(1, 0), (1, 1), (1, 2)} <= hidden
    assert len(hidden) > 3
    assert _determined(shown, row_totals=True, column_totals=True) == []


def test_suppress_block__nothing_small__unchanged():
    block = [[30, 15, 15], [10, 5, 5], [20, 10, 10]]
    assert demo.suppress_block(block, row_totals=True, column_totals=True) == block
