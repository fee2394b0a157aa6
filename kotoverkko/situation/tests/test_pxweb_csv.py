"""The PxWeb CSV reader on the real downloads in situation/data/statfin_pxweb_csv and on variants of them."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest

from kotoverkko.situation.parsers import Missing, PxWebCsvError, parse_pxweb_csv, split_code_label
from kotoverkko.situation.parsers.pxweb_csv import CHUNK_BYTES, EMPTY_CELL

DATA = Path(__file__).resolve().parents[1] / "data" / "statfin_pxweb_csv"
PAAVO = DATA / "paavo_12f7_2023_helsinki_region_all.csv"
INCOME = DATA / "statfin_tjt_128c_2020-2023.csv"


@pytest.fixture(scope="module")
def paavo_bytes() -> bytes:
    return PAAVO.read_bytes()


@pytest.fixture(scope="module")
def paavo(paavo_bytes):
    table = parse_pxweb_csv(io.BytesIO(paavo_bytes), language="en")
    return table, list(table.cells())


@pytest.fixture(scope="module")
def income():
    with INCOME.open("rb") as stream:
        table = parse_pxweb_csv(stream, language="en")
        return table, list(table.cells())


def _csv(*rows: str, title: str | None = '"1234 -- Testitaulu"') -> bytes:
    head = [title, ""] if title is not None else []
    return ("\r\n".join([*head, *rows]) + "\r\n").encode("utf-8")


def _error(raw: bytes, **options) -> PxWebCsvError:
    with pytest.raises(PxWebCsvError) as caught:
        list(parse_pxweb_csv(raw, **options).cells())
    return caught.value


# --- Paavo 12f7: 84 postal code areas × 107 variables, ISO-8859-1 -------------------------------------------


def test_parse_pxweb_csv__paavo_iso_8859_1__detected_and_decoded(paavo):
    table, _ = paavo
    assert table.encoding == "iso-8859-1"
    assert table.metadata.encoding == "iso-8859-1"
    area = table.dimension("Postal code area").value("00100")
    assert area.labels == {"en": "Helsinki keskusta - Etu-Töölö (Helsinki)"}


def test_parse_pxweb_csv__paavo_preamble__title_skipped_and_kept(paavo):
    table, _ = paavo
    assert table.metadata.title == {"en": "12f7 -- 9. All data groups, 2010-2023"}
    assert table.metadata.table_id == "12f7"
    assert table.metadata.extra["delimiter"] == ","


def test_parse_pxweb_csv__paavo_code_name_labels__split_into_code_and_name(paavo):
    table, _ = paavo
    areas = table.dimension("Postal code area")
    assert len(areas) == 84
    assert areas.codes[0] == "00100"
    assert all(len(code) == 5 and code.isdigit() for code in areas.codes)
    assert areas.value("00990").labels["en"] == "Aurinkolahti (Helsinki)"
    # "Information" has no codes in the download: its text is its code.
    information = table.dimension("Information")
    assert len(information) == 107
    assert information.value("Males (HE)").labels == {"en": "Males (HE)"}


def test_parse_pxweb_csv__paavo_wide_year__unpivoted_to_8988_long_cells(paavo):
    table, cells = paavo
    assert table.shape == (84, 107, 1)
    assert table.row_count == 8988
    assert len(cells) == 8988
    assert cells[0] == (("00100", "X coordinate", "2023"), Decimal(384979), None)
    assert table.dimension("time").periods[0].start == datetime.date(2023, 1, 1)


def test_parse_pxweb_csv__paavo_every_area__males_plus_females_equal_inhabitants(paavo):
    table, cells = paavo
    values = {cell.key: cell.value for cell in cells}
    for area in table.dimension("Postal code area").codes:
        males = values[(area, "Males (HE)", "2023")]
        females = values[(area, "Females (HE)", "2023")]
        assert males + females == values[(area, "Inhabitants, total (HE)", "2023")], area
    assert values[("00100", "Inhabitants, total (HE)", "2023")] == Decimal(18462)


def test_parse_pxweb_csv__paavo_decimals__exact(paavo):
    _, cells = paavo
    fractional = [c.value for c in cells if c.value is not None and c.value != c.value.to_integral_value()]
    assert fractional
    assert all(isinstance(value, Decimal) for value in fractional)


def test_parse_pxweb_csv__paavo_as_utf8_with_bom__same_cells(paavo_bytes, paavo):
    _, cells = paavo
    table = parse_pxweb_csv(b"\xef\xbb\xbf" + paavo_bytes.decode("iso-8859-1").encode("utf-8"), language="en")
    assert table.encoding == "utf-8"
    assert table.metadata.extra["bom"] is True
    assert list(table.cells()) == cells


def test_parse_pxweb_csv__paavo_as_utf8_without_bom__detected(paavo_bytes, paavo):
    _, cells = paavo
    table = parse_pxweb_csv(paavo_bytes.decode("iso-8859-1").encode("utf-8"), language="en")
    assert table.encoding == "utf-8"
    assert list(table.cells()) == cells


def test_parse_pxweb_csv__paavo_reordered_row__refused_naming_line(paavo_bytes):
    lines = paavo_bytes.split(b"\r\n")
    lines[111], lines[112] = lines[112], lines[111]  # the second area's 2nd and 3rd rows (lines 112, 113)
    error = _error(b"\r\n".join(lines))
    assert error.line == 112
    assert "(00120, Surface area) is a repeat or out of order" in error.message


def test_parse_pxweb_csv__paavo_missing_rows__refused_with_expected_and_found(paavo_bytes):
    lines = paavo_bytes.split(b"\r\n")
    assert lines[-1] == b""
    error = _error(b"\r\n".join([*lines[:-8], b""]))
    assert "expected 8988, found 8981" in error.message


# --- 128c: income deciles, 10 rows × 4 years, ASCII -------------------------------------------------------


def test_parse_pxweb_csv__income_wide_years__unpivoted_to_40_cells(income):
    table, cells = income
    assert table.encoding == "ascii"
    assert [d.code for d in table.dimensions] == ["Information", "Decile", "time"]
    assert table.shape == (1, 10, 4)
    assert table.dimension("time").codes == ("2020", "2021", "2022", "2023")
    assert table.dimension("time").is_time
    assert len(cells) == 40
    assert cells[:4] == [
        (("6. GROSS INCOME, mean", "I (Lowest-income 10 %)", "2020"), Decimal(16825), None),
        (("6. GROSS INCOME, mean", "I (Lowest-income 10 %)", "2021"), Decimal(16785), None),
        (("6. GROSS INCOME, mean", "I (Lowest-income 10 %)", "2022"), Decimal(16030), None),
        (("6. GROSS INCOME, mean", "I (Lowest-income 10 %)", "2023"), Decimal(15495), None),
    ]
    assert cells[-1].value == Decimal(180001)
    assert table.metadata.table_id == "128c"


def test_parse_pxweb_csv__income_named_wide_dimension__used():
    table = parse_pxweb_csv(INCOME.read_bytes(), language="en", wide_dimension="Year")
    assert table.dimensions[-1].code == "Year"


# --- Variants written here ----------------------------------------------------------------------------


def test_parse_pxweb_csv__markers_and_empty_cells__none_with_reason():
    raw = _csv('"Alue","2022","2023"', '"KU049  Espoo",".",".."', '"KU091  Helsinki","...",""')
    cells = list(parse_pxweb_csv(raw).cells())
    assert [c.value for c in cells] == [None] * 4
    assert [c.missing for c in cells] == [
        Missing(".", "category not applicable (logically impossible to present)"),
        Missing("..", "data not available or too uncertain to be presented"),
        Missing("...", "confidential (subject to secrecy)"),
        EMPTY_CELL,
    ]
    assert [c.key[0] for c in cells] == ["KU049", "KU049", "KU091", "KU091"]


def test_parse_pxweb_csv__no_title_line__header_first():
    table = parse_pxweb_csv(_csv('"Alue","2023"', '"KU049  Espoo",314024', title=None))
    assert table.metadata.title == {}
    assert table.as_dict() == {("KU049", "2023"): Decimal(314024)}


def test_parse_pxweb_csv__semicolons_and_decimal_comma__read():
    raw = _csv('"Alue";"2023M01";"2023M02"', '"KU049  Espoo";5,8;6', '"KU091  Helsinki";7,25;".."')
    table = parse_pxweb_csv(raw)
    assert table.metadata.extra["delimiter"] == ";"
    assert table.dimension("time").time_unit == "M"
    assert [c.value for c in table.cells()] == [Decimal("5.8"), Decimal(6), Decimal("7.25"), None]


def test_parse_pxweb_csv__windows_1252_euro__detected():
    raw = _csv('"Tieto","2023"', '"Tulot \u20ac",100').decode("utf-8").encode("cp1252")
    table = parse_pxweb_csv(raw)
    assert table.encoding == "windows-1252"
    assert table.dimensions[0].codes == ("Tulot €",)


def test_parse_pxweb_csv__non_ascii_after_first_chunk__still_detected():
    rows = [f'"{i:05d}  Alue {i}",{i}' for i in range(CHUNK_BYTES // 20)]
    rows.append('"99999  Närpiö",1')
    table = parse_pxweb_csv(_csv('"Alue","2023"', *rows).decode("utf-8").encode("iso-8859-1"))
    assert table.encoding == "iso-8859-1"
    assert table.dimensions[0].value("99999").labels["fi"] == "Närpiö"


def test_parse_pxweb_csv__utf8_character_across_chunk_boundary__decoded():
    prefix = _csv('"Alue","2023"')
    filler = "x" * (CHUNK_BYTES - len(prefix) - len('"KU001  ') - 1)
    raw = prefix + f'"KU001  {filler}ä",1\r\n'.encode()
    assert raw[CHUNK_BYTES - 1 : CHUNK_BYTES + 1] == "ä".encode()
    table = parse_pxweb_csv(raw)
    assert table.encoding == "utf-8"
    assert table.dimensions[0].values[0].labels["fi"].endswith("xä")


def test_parse_pxweb_csv__unseekable_stream__spooled():
    class Pipe(io.BytesIO):
        def seekable(self) -> bool:
            return False

    table = parse_pxweb_csv(Pipe(INCOME.read_bytes()), language="en")
    assert len(list(table.cells())) == 40


def test_parse_pxweb_csv__footnotes_after_blank_line__kept():
    raw = _csv('"Alue","2023"', '"KU049  Espoo",1', "", '"Lähde: Tilastokeskus"')
    table = parse_pxweb_csv(raw)
    assert table.footnotes == ("Lähde: Tilastokeskus",)


@pytest.mark.parametrize(
    ("rows", "line", "fragment"),
    [
        (['"Alue","2023"', '"KU049  Espoo",1,2'], 4, "3 fields but the header has 2"),
        (['"Alue","2023"', '"KU049  Espoo",12a'], 4, "neither a number"),
        (['"Alue","2023"', '"KU049  Espoo",1 234'], 4, "neither a number"),
        (['"Alue","2023"', '"KU049  Espoo",1', '"KU049  Espoo",2'], 5, "repeat or out of order"),
        (['"Alue","2023"', '"KU049  Espoo,1'], 4, "malformed CSV"),
        (['"Alue","2023"', '"KU049  Espoo",1', "", '"KU091",2'], 6, "after the blank line"),
    ],
    ids=[
        "field-count",
        "not-a-number",
        "thousands-space",
        "duplicate-row",
        "unterminated-quote",
        "data-after-end",
    ],
)
def test_parse_pxweb_csv__malformed_rows__refused_naming_the_line(rows, line, fragment):
    error = _error(_csv(*rows))
    assert error.line == line
    assert fragment in error.message


def test_parse_pxweb_csv__header_only__refused():
    assert "no data rows" in _error(_csv('"Alue","2023"')).message


def test_parse_pxweb_csv__garbage_bytes__refused():
    error = _error(b"\x81\x8d\x90 binary \x00 junk")
    assert "not text" in error.message


def test_parse_pxweb_csv__empty_file__refused():
    assert "empty" in _error(b"").message


def test_parse_pxweb_csv__title_without_header__refused():
    assert "no header" in _error(_csv(title='"Pelkkä otsikko"')).message


def test_parse_pxweb_csv__wide_columns_not_periods__first_row_decides():
    table = parse_pxweb_csv(_csv('"Alue","Miehet","Naiset"', '"KU049  Espoo",1,2'))
    assert table.dimensions[-1].code == "heading"
    assert table.dimensions[-1].codes == ("Miehet", "Naiset")
    assert not table.dimensions[-1].is_time


def test_split_code_label__two_spaces__code_and_name():
    assert split_code_label("00100  Helsinki keskusta - Etu-Töölö (Helsinki)") == (
        "00100",
        "Helsinki keskusta - Etu-Töölö (Helsinki)",
    )
    assert split_code_label("Males (HE)") is None
    assert split_code_label("X coordinate") is None
