"""The PC-Axis reader on the real StatFin files in situation/data/statfin_px and on broken copies of them."""

from __future__ import annotations

import datetime
import io
import itertools
import json
import random
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kotoverkko.situation.parsers import Missing, PxFormatError, municipality_code, open_px, parse_px

DATA = Path(__file__).resolve().parents[1] / "data" / "statfin_px"
POPULATION = DATA / "statfin_vaerak_pxt_11rc.px"
ECKERO = DATA / "statfin_tyonv_eckero.px"
REPO_ROOT = Path(__file__).resolve().parents[3]
HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture(scope="module")
def population_bytes() -> bytes:
    return POPULATION.read_bytes()


@pytest.fixture(scope="module")
def eckero_bytes() -> bytes:
    return ECKERO.read_bytes()


@pytest.fixture(scope="module")
def population(population_bytes):
    table = parse_px(io.BytesIO(population_bytes))
    return table, list(table.cells())


@pytest.fixture(scope="module")
def eckero(eckero_bytes):
    table = parse_px(io.BytesIO(eckero_bytes))
    return table, list(table.cells())


def _replace(raw: bytes, old: bytes, new: bytes, count: int = 1) -> bytes:
    assert raw.count(old) >= count, old
    return raw.replace(old, new, count)


def _error(raw: bytes) -> PxFormatError:
    with pytest.raises(PxFormatError) as caught:
        list(parse_px(io.BytesIO(raw)).cells())
    return caught.value


def _minimal(body: str, *, data: str, codepage: str = "utf-8") -> bytes:
    """A small valid PX file around the given variable keywords and data block."""
    head = textwrap.dedent(
        f"""\
        CHARSET="ANSI";
        AXIS-VERSION="2010";
        CODEPAGE="{codepage}";
        LANGUAGE="fi";
        DECIMALS=1;
        MATRIX="test";
        SUBJECT-CODE="T";
        SUBJECT-AREA="testi";
        TITLE="Testitaulu";
        CONTENTS="Testi";
        UNITS="lkm";
        """
    )
    return (head + textwrap.dedent(body) + "DATA=\n" + data + ";\n").replace("\n", "\r\n").encode(codepage)


# --- 11rc: population by age and sex 1865–2023, AXIS 2013, ISO-8859-15 --------------------------------


def test_parse_px__11rc_iso_8859_15__decodes_finnish_text(population):
    table, _ = population
    assert table.metadata.encoding == "iso-8859-15"
    assert table.metadata.format_version == "2013"
    assert table.metadata.contents["fi"] == "Väestö 31.12."
    assert table.dimension("Ikä").labels == {"fi": "Ikä", "sv": "Ålder", "en": "Age"}
    assert table.metadata.title["sv"] == "Befolkning 31.12. efter År, Kön, Ålder och Uppgifter"


def test_parse_px__11rc__has_9063_cells_in_stub_then_heading_order(population):
    table, cells = population
    assert [d.code for d in table.dimensions] == ["Vuosi", "Sukupuoli", "Ikä", "Tiedot"]
    assert [d.placement for d in table.dimensions] == ["stub", "heading", "heading", "heading"]
    assert table.shape == (159, 3, 19, 1)
    assert table.size == len(cells) == 9063
    assert [c.key for c in cells] == list(itertools.product(*(d.codes for d in table.dimensions)))
    # The first data row is 1865: total by age band, then males, then females (last HEADING fastest).
    assert cells[0] == (("1865", "SSS", "SSS", "vaesto"), Decimal(1843245), None)
    assert cells[1] == (("1865", "SSS", "0-4", "vaesto"), Decimal(264002), None)
    assert cells[19] == (("1865", "1", "SSS", "vaesto"), Decimal(898974), None)
    assert cells[57] == (("1866", "SSS", "SSS", "vaesto"), Decimal(1837506), None)
    assert cells[-1] == (("2023", "2", "85-", "vaesto"), Decimal(108625), None)
    assert all(c.missing is None for c in cells)


def test_parse_px__11rc__maps_codes_to_labels_in_fi_sv_en(population):
    table, _ = population
    sex = table.dimension("Sukupuoli")
    assert sex.codes == ("SSS", "1", "2")
    assert [v.labels for v in sex.values] == [
        {"fi": "Yhteensä", "sv": "Totalt", "en": "Total"},
        {"fi": "Miehet", "sv": "Män", "en": "Males"},
        {"fi": "Naiset", "sv": "Kvinnor", "en": "Females"},
    ]
    age = table.dimension("Ikä")
    assert age.value("85-").labels == {"fi": "85 -", "sv": "85 -", "en": "85 -"}
    assert age.elimination == "Yhteensä"
    assert table.dimension("Tiedot").is_content
    assert table.dimension("Tiedot").value("vaesto").labels["en"] == "Population 31 Dec"


def test_parse_px__11rc_every_year__males_plus_females_equal_total(population):
    table, cells = population
    values = {cell.key: cell.value for cell in cells}
    for year in table.dimension("Vuosi").codes:
        for age in table.dimension("Ikä").codes:
            total = values[(year, "SSS", age, "vaesto")]
            assert values[(year, "1", age, "vaesto")] + values[(year, "2", age, "vaesto")] == total, (
                year,
                age,
            )


def test_parse_px__11rc_every_year_and_sex__age_bands_sum_to_total(population):
    table, cells = population
    values = {cell.key: cell.value for cell in cells}
    bands = table.dimension("Ikä").codes[1:]
    assert len(bands) == 18
    for year, sex in itertools.product(table.dimension("Vuosi").codes, ("SSS", "1", "2")):
        assert (
            sum(values[(year, sex, band, "vaesto")] for band in bands) == values[(year, sex, "SSS", "vaesto")]
        )


def test_parse_px__11rc_metadata__table_id_dates_and_multiline_note(population):
    table, _ = population
    meta = table.metadata
    assert meta.table_id == "statfin_vaerak_pxt_11rc"
    assert meta.matrix == "001_11rc_2023"
    assert meta.languages == ("fi", "sv", "en")
    assert meta.default_language == "fi"
    assert meta.decimals == 0
    assert meta.last_updated == datetime.datetime(2024, 4, 26, 8, 0, tzinfo=HELSINKI)
    assert meta.source == {
        "fi": "Tilastokeskus, väestörakenne",
        "sv": "Statistikcentralen, befolkningsstruktur",
        "en": "Statistics Finland, population structure",
    }
    # NOTE is split over three quoted lines; the pieces join without inserting anything.
    assert "guides.stat.fi/historiallisentilastotiedonopas" in meta.notes["fi"]
    assert meta.notes["fi"].endswith("# #  ---")
    assert table.dimension("Ikä").notes["en"].startswith("Age refers to")
    assert table.dimension("Tiedot").values[0].notes["sv"] == "Folkmängden vid slutet av statistikperioden."


def test_parse_px__11rc_annual_timeval__gives_years(population):
    table, _ = population
    years = table.dimension("Vuosi")
    assert years.is_time
    assert years.time_unit == "A"
    assert years.periods[0].start == datetime.date(1865, 1, 1)
    assert years.periods[-1].end == datetime.date(2023, 12, 31)
    assert table.time_dimension is years


def test_open_px__path__streams_cells_inside_with_block():
    with open_px(POPULATION) as table:
        first = next(table.cells())
    assert first.value == Decimal(1843245)


# --- Eckerö: employment service statistics, AXIS 2010, monthly, confidential cells -------------------------


def test_parse_px__eckero_confidential_cells__are_none_with_reason_never_zero(eckero):
    _, cells = eckero
    missing = [cell for cell in cells if cell.missing is not None]
    assert len(cells) == 253
    assert len(missing) == 61
    assert all(cell.value is None for cell in missing)
    assert {cell.missing for cell in missing} == {Missing("...", "confidential (subject to secrecy)")}
    # A real zero stays a zero and is not confused with a suppressed count.
    assert dict((c.key, c) for c in cells)[("2024M01", "TYOTTOMATSAIR", "KU043")].value == Decimal("0.0")
    assert dict((c.key, c) for c in cells)[("2024M01", "TYOTTOMAT20", "KU043")].missing.marker == "..."


def test_parse_px__eckero_decimals_1__values_parse_exactly(eckero):
    table, cells = eckero
    values = {cell.key: cell.value for cell in cells}
    assert values[("2024M01", "HAKIJALOPUSSA", "KU043")] == Decimal("49.0")
    assert str(values[("2024M01", "HAKIJALOPUSSA", "KU043")]) == "49.0"
    assert str(values[("2024M01", "TYOTOSUUS", "KU043")]) == "5.8"
    assert table.metadata.decimals == 1
    assert table.metadata.show_decimals == 0
    assert table.dimension("Tiedot").value("TYOTOSUUS").precision == 1
    assert table.dimension("Tiedot").value("HAKIJALOPUSSA").precision is None


def test_parse_px__eckero_monthly_timeval__gives_month_start_dates(eckero):
    table, _ = eckero
    months = table.dimension("Kuukausi")
    assert months.is_time
    assert months.time_unit == "M"
    assert months.codes[0] == "2024M01"
    assert [p.start for p in months.periods] == [datetime.date(2024, m, 1) for m in range(1, 12)]
    assert months.value("2024M02").period.end == datetime.date(2024, 2, 29)


def test_parse_px__eckero_area__exposes_ku043_for_the_municipality_join(eckero):
    from kotoverkko.reference.sources import read_classification

    table, _ = eckero
    area = table.dimension("Alue")
    assert area.codes == ("KU043",)
    assert area.is_geo
    assert area.map == "Alue 2024"
    municipalities = {item.code: item.names for item in read_classification("kunta_2025")}
    assert municipalities[municipality_code("KU043")]["fi"] == "Eckerö"
    assert municipality_code("SSS") is None
    assert municipality_code("MK21") is None


def test_parse_px__eckero_languages__sv_and_en_labels_and_units(eckero):
    table, _ = eckero
    assert table.dimension("Kuukausi").labels == {"fi": "Kuukausi", "sv": "Månad", "en": "Month"}
    foreign = table.dimension("Tiedot").value("TYOTTOMATULK")
    assert foreign.labels == {
        "fi": "Ulkomaalaisia työttömiä työnhakijoita laskentapäivänä (lkm.)",
        "sv": "Utländska arbetslösa arbetssökande på beräkningsdagen (st.)",
        "en": "Foreign unemployed jobseekers on calculation date (number)",
    }
    assert foreign.units == {"fi": "lukumäärä", "sv": "stycke", "en": "number"}
    assert table.dimension("Tiedot").value("TYOTOSUUS").units["sv"] == "procent"
    assert foreign.last_updated == datetime.datetime(2024, 12, 23, 8, 0, tzinfo=HELSINKI)
    # VALUENOTEs come after the data block in this file and are still attached to their values.
    assert foreign.notes["fi"]
    assert table.metadata.table_id == "statfin_tyonv_pxt_12r5"


def test_parse_px__eckero_windows_1252_apostrophe_in_iso_8859_15__reads_as_quote(eckero):
    table, _ = eckero
    assert (
        table.dimension("Tiedot").value("TYOVOIMATK").labels["en"]
        == "Workforce in Statistic Finland’s RES (number)"
    )
    assert table.metadata.extra["windows_1252_strings"] > 0


def test_parse_px__eckero_declared_windows_1252__parses(eckero_bytes):
    raw = _replace(eckero_bytes, b'CODEPAGE="iso-8859-15"', b'CODEPAGE="windows-1252"')
    table = parse_px(io.BytesIO(raw))
    assert table.metadata.encoding == "windows-1252"
    assert table.dimension("Alue").value("KU043").labels["fi"] == "Eckerö"
    assert table.validate() == 253


# --- Malformed files, made from the real ones ------------------------------------------------------------


def test_parse_px__truncated_data_block__refused_naming_data(population_bytes):
    error = _error(population_bytes[: len(population_bytes) - 5000])
    assert error.keyword == "DATA"
    assert "truncated" in str(error)


def test_parse_px__truncated_before_data__refused_naming_data(population_bytes):
    error = _error(population_bytes[: population_bytes.index(b"DATA=")])
    assert error.keyword == "DATA"
    assert "DATA keyword is missing" in str(error)


def test_parse_px__truncated_inside_keyword__names_the_keyword(population_bytes):
    cut = population_bytes.index(b'VALUES("Sukupuoli")') + 30
    error = _error(population_bytes[:cut])
    assert error.keyword == "VALUES"
    assert "ends inside" in str(error)


def test_parse_px__one_cell_too_many__message_names_expected_and_found(population_bytes):
    error = _error(_replace(population_bytes, b"108625;", b"108625 1;"))
    assert error.keyword == "DATA"
    assert "expected 9063, found 9064" in str(error)
    assert "159 × 3 × 19 × 1" in str(error)
    assert error.line == population_bytes.count(b"\n", 0, population_bytes.index(b"108625;")) + 1


def test_parse_px__one_cell_too_few__message_names_expected_and_found(population_bytes):
    error = _error(_replace(population_bytes, b" 108625;", b";"))
    assert "expected 9063, found 9062" in str(error)


def test_parse_px__too_many_cells__refused_before_yielding_extra_ones(population_bytes):
    table = parse_px(io.BytesIO(_replace(population_bytes, b"108625;", b"108625 1 2 3;")))
    seen = []
    with pytest.raises(PxFormatError, match="found 9066"):
        seen.extend(table.cells())
    assert len(seen) == 9063


def test_parse_px__unterminated_string__names_its_line(population_bytes):
    raw = _replace(
        population_bytes,
        b'TITLE[en]="Population 31.12. by Year, Sex, Age and Information";',
        b'TITLE[en]="Population',
    )
    error = _error(raw)
    assert error.line == 22
    assert error.keyword == "TITLE"
    assert "unterminated string" in str(error)


@pytest.mark.parametrize(
    "removed",
    [[b'STUB="Vuosi";\r\n'], [b'STUB="Vuosi";\r\n', b'STUB[sv]="\xc5r";\r\n', b'STUB[en]="Year";\r\n']],
    ids=["default-language", "all-languages"],
)
def test_parse_px__missing_stub__refused_naming_stub(population_bytes, removed):
    raw = population_bytes
    for line in removed:
        raw = _replace(raw, line, b"")
    error = _error(raw)
    assert error.keyword == "STUB"
    assert "STUB" in error.message


def test_parse_px__missing_values_for_a_variable__refused_naming_values(population_bytes):
    raw = _replace(population_bytes, 'VALUES("Tiedot")="Väestö 31.12.";\r\n'.encode("iso-8859-15"), b"")
    error = _error(raw)
    assert error.keyword == "VALUES"
    assert 'VALUES("Tiedot")' in error.message


def test_parse_px__missing_required_decimals__refused(population_bytes):
    error = _error(_replace(population_bytes, b"DECIMALS=0;\r\n", b""))
    assert error.keyword == "DECIMALS"


def test_parse_px__utf8_bytes_declared_iso_8859_15__refused_as_utf8(population_bytes):
    raw = population_bytes.decode("iso-8859-15").encode("utf-8")
    error = _error(raw)
    assert "text is UTF-8" in error.message
    assert error.line == 17
    assert error.keyword == "DESCRIPTION"


def test_parse_px__iso_bytes_declared_utf8__refused_naming_first_bad_line(population_bytes):
    error = _error(_replace(population_bytes, b'CODEPAGE="iso-8859-15"', b'CODEPAGE="utf-8"'))
    assert "not valid utf-8" in error.message
    assert error.line == 17


def test_parse_px__utf8_file_declared_utf8__reads_like_the_original(population_bytes, population):
    original, original_cells = population
    text = population_bytes.decode("iso-8859-15").replace('CODEPAGE="iso-8859-15"', 'CODEPAGE="utf-8"')
    table = parse_px(io.BytesIO(b"\xef\xbb\xbf" + text.encode("utf-8")))
    assert table.metadata.encoding == "utf-8"
    assert table.dimensions == original.dimensions
    assert list(table.cells()) == original_cells


def test_parse_px__unsupported_codepage__refused_naming_codepage(population_bytes):
    error = _error(_replace(population_bytes, b'CODEPAGE="iso-8859-15"', b'CODEPAGE="ibm437"'))
    assert error.keyword == "CODEPAGE"
    assert error.line == 3


def test_parse_px__garbage_bytes__refused_at_line_1():
    error = _error(random.Random(5).randbytes(4096))
    assert error.line == 1


def test_parse_px__binary_garbage_after_header__refused(population_bytes):
    header = population_bytes[: population_bytes.index(b"DATA=") + 5]
    error = _error(header + b"\r\n\x00\x01\x02\xff\xfe;\r\n")
    assert error.keyword == "DATA"


def test_parse_px__unparseable_number__names_line_and_cell(population_bytes):
    first_row = population_bytes.index(b"DATA=") + 7
    raw = population_bytes[:first_row] + b"1843x45" + population_bytes[first_row + 7 :]
    assert population_bytes[first_row : first_row + 7] == b"1843245"
    error = _error(raw)
    assert error.line == 221
    assert "'1843x45'" in error.message
    assert "cell 1 " in error.message


@pytest.mark.parametrize("token", [b"NaN", b"Infinity", b"1_000", b"0x1F", b"1,5e"])
def test_parse_px__non_numbers_decimal_would_accept__refused(population_bytes, token):
    first_row = population_bytes.index(b"DATA=") + 7
    error = _error(population_bytes[:first_row] + token + population_bytes[first_row + 7 :])
    assert error.keyword == "DATA"


def test_parse_px__lf_line_endings__read_like_crlf(population_bytes, population):
    _, cells = population
    table = parse_px(io.BytesIO(population_bytes.replace(b"\r\n", b"\n")))
    assert list(table.cells()) == cells


def test_parse_px__unseekable_stream__is_spooled_and_read(eckero_bytes):
    class Pipe(io.RawIOBase):
        def __init__(self, raw: bytes) -> None:
            self._inner = io.BytesIO(raw)

        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

        def readinto(self, buffer) -> int:
            chunk = self._inner.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    table = parse_px(io.BufferedReader(Pipe(eckero_bytes)))
    assert table.validate() == 253


def test_parse_px__text_stream__refused_with_type_error():
    with pytest.raises(TypeError, match="binary"):
        parse_px(io.StringIO('CHARSET="ANSI";'))


def test_parse_px__cells_twice_and_interleaved__both_complete(eckero_bytes):
    table = parse_px(io.BytesIO(eckero_bytes))
    first, second = table.cells(), table.cells()
    pairs = list(zip(first, second, strict=True))
    assert len(pairs) == 253
    assert all(a == b for a, b in pairs)


# --- Features the real files do not exercise, on small files written here --------------------------------


def test_parse_px__markers_and_datasymbols__become_none_with_their_meaning():
    raw = _minimal(
        """\
        DATASYMBOL2="x";
        STUB="Alue";
        VALUES("Alue")="A","B","C","D","E","F","G","H";
        """,
        data='"." ".." "..." "...." "-" "x" 0 -1.5',
    )
    cells = list(parse_px(io.BytesIO(raw)).cells())
    assert [c.missing.marker if c.missing else c.value for c in cells] == [
        ".",
        "..",
        "...",
        "....",
        "-",
        "x",
        Decimal(0),
        Decimal("-1.5"),
    ]
    assert (
        cells[5].missing.meaning
        == cells[1].missing.meaning
        == "data not available or too uncertain to be presented"
    )
    assert cells[4].missing.meaning == "magnitude nil"
    assert all(c.value is None for c in cells[:6])


def test_parse_px__quarterly_and_ranged_timeval__give_periods():
    raw = _minimal(
        """\
        STUB="Neljännes";
        HEADING="Vuosi";
        VALUES("Neljännes")="2023Q1","2023Q2","2023Q3","2023Q4";
        VALUES("Vuosi")="2020","2021","2022";
        TIMEVAL("Neljännes")=TLIST(Q1),"20231","20232","20233","20234";
        TIMEVAL("Vuosi")=TLIST(A1, "2020"-"2022");
        """,
        data="1 2 3\n4 5 6\n7 8 9\n10 11 12",
    )
    table = parse_px(io.BytesIO(raw))
    quarters = table.dimension("Neljännes")
    assert [p.start for p in quarters.periods] == [datetime.date(2023, m, 1) for m in (1, 4, 7, 10)]
    assert quarters.periods[0].end == datetime.date(2023, 3, 31)
    assert [p.year for p in table.dimension("Vuosi").periods] == [2020, 2021, 2022]
    assert table.as_dict()[("2023Q2", "2021")] == Decimal(5)


def test_parse_px__timeval_count_mismatch__refused_naming_timeval():
    raw = _minimal(
        """\
        STUB="Vuosi";
        VALUES("Vuosi")="2020","2021";
        TIMEVAL("Vuosi")=TLIST(A1),"2020";
        """,
        data="1 2",
    )
    assert _error(raw).keyword == "TIMEVAL"


def test_parse_px__escaped_quotes_and_split_strings__join_exactly():
    raw = _minimal(
        'NOTE="Sanottiin ""hei"" ja "\n"jatkettiin";\nSTUB="Alue";\nVALUES("Alue")="Iso ""A""","B";\n',
        data="1,2",
    )
    table = parse_px(io.BytesIO(raw))
    assert table.metadata.notes["fi"] == 'Sanottiin "hei" ja jatkettiin'
    assert table.dimension("Alue").values[0].labels["fi"] == 'Iso "A"'
    assert [c.value for c in table.cells()] == [Decimal(1), Decimal(2)]


def test_parse_px__keys_sparse_format__refused_as_unsupported():
    raw = _minimal('STUB="Alue";\nVALUES("Alue")="A";\nKEYS("Alue")=VALUES;\n', data='"A",1')
    error = _error(raw)
    assert error.keyword == "KEYS"


def test_parse_px__duplicate_codes__refused_naming_codes():
    raw = _minimal('STUB="Alue";\nVALUES("Alue")="A","B";\nCODES("Alue")="X","X";\n', data="1 2")
    error = _error(raw)
    assert error.keyword == "CODES"
    assert "'X' twice" in error.message


def test_parse_px__variable_code_and_default_language_fallback__used():
    raw = _minimal('STUB="Alue";\nVARIABLECODE("Alue")="alue";\nVALUES("Alue")="A";\n', data="1").replace(
        b'LANGUAGE="fi";\r\n', b""
    )
    table = parse_px(io.BytesIO(raw), default_language="sv")
    assert table.dimensions[0].code == "alue"
    assert table.metadata.languages == ("sv",)
    assert table.dimensions[0].labels == {"sv": "Alue"}


# --- Streaming -----------------------------------------------------------------------------------------

_MEASURE = """
import json, sys, time
from pathlib import Path
from kotoverkko.situation.parsers.px import parse_px

def status(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])

rss_before = status("VmRSS")
started = time.perf_counter()
count = missing = 0
with open(sys.argv[1], "rb") as stream:
    table = parse_px(stream)
    for cell in table.cells():
        count += 1
        missing += cell.missing is not None
# Peak since the process started minus what it used before parsing: an upper bound on the growth.
print(json.dumps({"cells": count, "missing": missing, "seconds": time.perf_counter() - started,
                  "rss_growth_kib": status("VmHWM") - rss_before}))
"""


def _write_synthetic_px(path: Path, *, areas: int, years: int, languages: int) -> int:
    """Municipalities × years (STUB) × languages (HEADING), one row of 6-digit counts per line."""
    rng = random.Random(11)
    header = [
        'CHARSET="ANSI";',
        'AXIS-VERSION="2013";',
        'CODEPAGE="utf-8";',
        'LANGUAGE="fi";',
        "DECIMALS=0;",
        'MATRIX="synteettinen";',
        'SUBJECT-CODE="TEST";',
        'SUBJECT-AREA="testi";',
        'TITLE="Synteettinen väestö kielen mukaan";',
        'CONTENTS="Väestö";',
        'UNITS="henkilöä";',
        'STUB="Alue","Vuosi";',
        'HEADING="Kieli";',
        'VALUES("Alue")=' + ",".join(f'"KU{i:03d}"' for i in range(areas)) + ";",
        'VALUES("Vuosi")=' + ",".join(f'"{1990 + i}"' for i in range(years)) + ";",
        'VALUES("Kieli")=' + ",".join(f'"kieli {i}"' for i in range(languages)) + ";",
        'TIMEVAL("Vuosi")=TLIST(A1),' + ",".join(f'"{1990 + i}"' for i in range(years)) + ";",
        "DATA=",
    ]
    rows = [
        " ".join(str(rng.randint(100000, 999999)) for _ in range(languages - 1)) + ' "..." \r\n'
        for _ in range(7)
    ]
    with path.open("wb") as stream:
        stream.write(("\r\n".join(header) + "\r\n").encode("utf-8"))
        for row in range(areas * years):
            stream.write(rows[row % 7].encode("ascii"))
        stream.write(b";\r\n")
    return areas * years * languages


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads peak memory from Linux /proc")
def test_parse_px__20_mb_file__streams_in_flat_memory(tmp_path):
    path = tmp_path / "synthetic.px"
    expected = _write_synthetic_px(path, areas=308, years=30, languages=300)
    size = path.stat().st_size
    assert size > 19_000_000
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", _MEASURE, str(path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    figures = json.loads(result.stdout)
    print(f"\nstreamed {size / 1e6:.1f} MB, {figures['cells']} cells in {figures['seconds']:.2f} s,"
          f" peak RSS growth {figures['rss_growth_kib'] / 1024:.1f} MiB")  # fmt: skip
    assert figures["cells"] == expected
    assert figures["missing"] == 308 * 30
    # The whole file never sits in memory: growth stays a small fraction of its size.
    assert figures["rss_growth_kib"] * 1024 < size / 8


def test_parse_px__axis_2006_style_without_codepage_or_languages__iso_8859_1_default():
    raw = (
        'CHARSET="ANSI";\r\nAXIS-VERSION="2006";\r\nLANGUAGE="fi";\r\nDECIMALS=0;\r\nMATRIX="vanha";\r\n'
        'SUBJECT-CODE="V";\r\nSUBJECT-AREA="vanha";\r\nTITLE="Väkiluku";\r\nCONTENTS="Väkiluku";\r\n'
        'UNITS="henkeä";\r\nSTUB="Kunta";\r\nHEADING="Vuosi";\r\nVALUES("Kunta")="Ähtäri","Närpiö";\r\n'
        'VALUES("Vuosi")="2005","2006";\r\nTIMEVAL("Vuosi")=TLIST(A1),"2005","2006";\r\n'
        "DATA=\r\n6781 6700\r\n9877 9800\r\n;\r\n"
    ).encode("iso-8859-1")
    table = parse_px(io.BytesIO(raw))
    assert table.metadata.encoding == "iso-8859-1"
    assert table.metadata.format_version == "2006"
    assert table.metadata.languages == ("fi",)
    assert table.dimension("Kunta").codes == ("Ähtäri", "Närpiö")
    assert table.as_dict()[("Närpiö", "2006")] == Decimal(9800)
