"""The calculations on hand-made numbers, and the selectors on ORM-built datasets."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kotoverkko.situation import indicators, selectors
from kotoverkko.situation.indicators import Amount, cell

from . import factories

D = Decimal


def test_share__complete__percent():
    assert indicators.share(Amount(D(25)), Amount(D(200))) == indicators.Share(D("12.5"))


def test_share__incomplete_part__at_least():
    result = indicators.share(Amount(D(25), suppressed=1), Amount(D(200)))
    assert result == indicators.Share(D("12.5"), at_least=True)


def test_share__suppressed_whole__unknown():
    assert indicators.share(Amount(D(25)), Amount(D(200), suppressed=1)) is None
    assert indicators.share(Amount(D(25)), cell(None)) is None


def test_total__suppressed_cell__at_least_never_derived():
    amount = indicators.total([cell(D(10)), cell(None), cell(D(5))])
    assert amount.value == D(15)
    assert amount.is_at_least
    assert not amount.is_complete


def test_total__all_suppressed__stays_suppressed():
    amount = indicators.total([cell(None), cell(None)])
    assert amount.is_suppressed
    assert amount.value is None


def test_growth__first_to_last__percent_and_annual():
    result = indicators.growth({2020: cell(D(100)), 2021: cell(D(110)), 2022: cell(D(121))})
    assert result.change == D(21)
    assert result.percent == D(21)
    assert round(result.annual_percent, 6) == D(10)


def test_growth__incomplete_years__skipped():
    result = indicators.growth({2020: Amount(D(1), 1), 2021: cell(D(100)), 2022: cell(D(150))})
    assert (result.first_year, result.last_year, result.percent) == (2021, 2022, D(50))


def test_top_languages__largest_first_excluding_domestic_other_and_suppressed():
    counts = {
        "fi": cell(D(1000)),
        "sv": cell(D(500)),
        "se": cell(D(300)),
        "total": cell(D(9999)),
        "other": cell(D(400)),
        "ru": cell(D(50)),
        "ar": cell(D(70)),
        "so": cell(None),
        "et": cell(D(50)),
    }
    ranked, hidden = indicators.top_languages(counts, limit=2)
    assert [item.code for item in ranked] == ["ar", "et"]
    assert hidden == 1


def test_pyramid_total__sums_men_and_women():
    rows = [
        indicators.PyramidRow("0-4", cell(D(10)), cell(D(12))),
        indicators.PyramidRow("5-9", cell(D(20)), cell(None)),
    ]
    total = indicators.pyramid_total(rows)
    assert total.value == D(42)
    assert total.is_at_least


def test_projection__least_squares_on_last_five_years():
    shares = {2018: D(1), 2019: D(2), 2020: D(2), 2021: D(3), 2022: D(4), 2023: D(4)}
    result = indicators.projection(shares)
    # Last five points (2019..2023): x mean 2021, y mean 3; slope = sum(dx*dy)/sum(dx²) = 6/10.
    assert [year for year, _ in result.base] == [2019, 2020, 2021, 2022, 2023]
    assert result.slope == D("0.6")
    assert result.at(2021) == D(3)
    assert result.points == [(2024, D("4.8")), (2025, D("5.4")), (2026, D("6.0"))]


def test_projection__too_few_points__none():
    assert indicators.projection({2022: D(1), 2023: D(2)}) is None


def test_projection__never_below_zero():
    result = indicators.projection({2020: D(3), 2021: D(2), 2022: D(1)}, ahead=3)
    assert all(value >= 0 for _year, value in result.points)


@pytest.mark.django_db
def test_current_sources__old_version__ignored():
    old = factories.language_dataset(lambda c: 1)
    new = factories.language_dataset(lambda c: 2, dataset_obj=old.dataset)
    versions = [source.version for source in selectors.current_sources()]
    assert versions == [new]
    picture = selectors.situation_picture(selectors.area_get("049"))
    assert picture.languages[0].latest.population.value == D(2)


@pytest.mark.django_db
def test_situation_picture__municipality__share_top_sex_and_comparisons():
    factories.demo_languages()
    picture = selectors.situation_picture(selectors.area_get("049"))
    part = picture.languages[0]
    latest = part.latest
    # 2024 in KU049: foreign (40+30+20+10+8+12 + 6*18)*10*2, total adds fi 800 and sv 50.
    foreign = (120 + 6 * 18) * 20
    assert latest.year == 2024
    assert latest.foreign == Amount(D(foreign))
    assert latest.population == Amount(D(foreign + 850 * 20))
    assert part.top[0][0] == "ru"
    assert part.top[0][1] == "venäjä"
    assert part.men.value + part.women.value == latest.foreign.value
    assert [c.area.key for c in part.comparisons] == ["049", "MK01", "HV03", "SSS"]
    # MK01 is in the data itself, the county is the sum of its municipalities in the data.
    assert part.comparisons[1].population.value == latest.population.value * 10
    assert part.projection is not None
    assert len(part.rows) == 10


@pytest.mark.django_db
def test_situation_picture__group__sum_with_suppressed_cell_is_at_least():
    def value(codes):
        if codes["area"] == "KU235" and codes["language"] == "so":
            return None
        return 10

    factories.language_dataset(value)
    part = selectors.situation_picture(selectors.area_get("049+235")).languages[0]
    # 6 foreign languages (ru, et, ar, so, en, other) × 2 areas, one cell suppressed.
    assert part.latest.foreign == Amount(D(110), suppressed=1)
    assert part.latest.population == Amount(D(20))
    assert part.latest.share.at_least
    # The suppressed Somali count was not derived from the total minus the other languages.
    so = next(amount for code, _label, amount in part.top if code == "so")
    assert so == Amount(D(10), suppressed=1)


@pytest.mark.django_db
def test_situation_picture__single_municipality__suppressed_cell_shown_suppressed():
    factories.language_dataset(lambda c: None if c["area"] == "KU235" and c["language"] == "so" else 10)
    part = selectors.situation_picture(selectors.area_get("235")).languages[0]
    assert part.top_hidden == 1
    assert "so" not in [code for code, _l, _a in part.top]


@pytest.mark.django_db
def test_situation_picture__country__pyramid_sums_to_total():
    factories.population_dataset()
    part = selectors.situation_picture(selectors.area_get("SSS")).populations[0]
    assert part.year == 2023
    assert [row.age for row in part.rows] == ["0-4", "5-9", "10-14", "15-64", "65-"]
    # ages 1..5 × 100 + 10 (men) / + 20 (women)
    assert part.total.value == sum(D(i * 100 + 10) + D(i * 100 + 20) for i in range(1, 6))


@pytest.mark.django_db
def test_situation_picture__municipality__no_country_only_pyramid():
    factories.population_dataset()
    assert selectors.situation_picture(selectors.area_get("049")).populations == []


@pytest.mark.django_db
def test_situation_picture__jobseekers__monthly_foreign_count_and_suppression():
    factories.jobseekers_dataset()
    rows = selectors.situation_picture(selectors.area_get("049+235")).jobseekers[0].rows
    assert [label for label, _a in rows] == ["2024M01", "2024M02", "2024M03"]
    assert rows[0][1] == Amount(D(7), suppressed=1)


@pytest.mark.django_db
def test_area_get__county__its_municipalities():
    area = selectors.area_get("HV03")
    assert "049" in area.codes
    assert area.kind == "county"
