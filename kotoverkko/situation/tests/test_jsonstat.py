"""JSON-stat 2.0 reader on a response written here in the exact shape PxWeb's "json-stat2" format returns.

No real JSON-stat response was saved with the shared data, so POPULATION below follows the JSON-stat 2.0
specification as PxWeb emits it (class, version, id, size, dimension category index/label/unit, role,
value list, status object, extension.px). Its structure is real; its numbers are illustrative,
chosen so that males + females = total.
"""

from __future__ import annotations

import copy
import datetime
import io
import json
from decimal import Decimal

import pytest

from kotoverkko.situation.parsers import (
    JsonStatError,
    Missing,
    merge_languages,
    parse_jsonstat,
    parse_jsonstat_languages,
)
from kotoverkko.situation.parsers.jsonstat import NO_STATUS

# Population by municipality (Espoo KU049, Helsinki KU091) × year × sex, modelled on StatFin 11re.
POPULATION = {
    "class": "dataset",
    "label": "Väestö 31.12. muuttujina Alue, Vuosi, Sukupuoli ja Tiedot",
    "source": "Tilastokeskus",
    "updated": "2024-04-26T05:00:00Z",
    "id": ["Alue", "Vuosi", "Sukupuoli", "Tiedot"],
    "size": [2, 2, 3, 1],
    "dimension": {
        "Alue": {
            "extension": {"show": "value"},
            "label": "Alue",
            "category": {"index": {"KU049": 0, "KU091": 1}, "label": {"KU049": "Espoo", "KU091": "Helsinki"}},
        },
        "Vuosi": {
            "extension": {"show": "code"},
            "label": "Vuosi",
            "category": {"index": {"2022": 0, "2023": 1}, "label": {"2022": "2022", "2023": "2023"}},
        },
        "Sukupuoli": {
            "extension": {"show": "value"},
            "label": "Sukupuoli",
            "category": {
                "index": {"SSS": 0, "1": 1, "2": 2},
                "label": {"SSS": "Yhteensä", "1": "Miehet", "2": "Naiset"},
            },
        },
        "Tiedot": {
            "extension": {"show": "value"},
            "label": "Tiedot",
            "category": {
                "index": {"vaesto": 0},
                "label": {"vaesto": "Väestö 31.12."},
                "unit": {"vaesto": {"base": "lukumäärä", "decimals": 0}},
            },
        },
    },
    # Total, males, females for Espoo 2022, Espoo 2023, Helsinki 2022, Helsinki 2023 (last id fastest).
    "value": [
        305274,
        151117,
        154157,
        314024,
        155744,
        158280,
        664028,
        318753,
        345275,
        674500,
        324406,
        350094,
    ],
    "role": {"time": ["Vuosi"], "metric": ["Tiedot"], "geo": ["Alue"]},
    "version": "2.0",
    "extension": {"px": {"infofile": "None", "tableid": "statfin_vaerak_pxt_11re", "decimals": 0}},
}

SWEDISH_LABELS = {
    "label": "Befolkning 31.12. efter Område, År, Kön och Uppgifter",
    "source": "Statistikcentralen",
    "Alue": ("Område", {"KU049": "Esbo", "KU091": "Helsingfors"}),
    "Vuosi": ("År", {"2022": "2022", "2023": "2023"}),
    "Sukupuoli": ("Kön", {"SSS": "Totalt", "1": "Män", "2": "Kvinnor"}),
    "Tiedot": ("Uppgifter", {"vaesto": "Befolkning 31.12."}),
}


def _document(**changes) -> dict:
    document = copy.deepcopy(POPULATION)
    document.update(changes)
    return document


def _translated(labels: dict) -> dict:
    document = _document(label=labels["label"], source=labels["source"])
    for dimension_id, spec in document["dimension"].items():
        spec["label"], spec["category"]["label"] = labels[dimension_id]
    return document


def test_parse_jsonstat__pxweb_dataset__dimensions_and_cells_in_id_order():
    table = parse_jsonstat(json.dumps(POPULATION).encode("utf-8"))
    assert [d.code for d in table.dimensions] == ["Alue", "Vuosi", "Sukupuoli", "Tiedot"]
    assert table.shape == (2, 2, 3, 1)
    cells = list(table.cells())
    assert len(cells) == table.size == 12
    assert cells[0] == (("KU049", "2022", "SSS", "vaesto"), Decimal(305274), None)
    assert cells[-1] == (("KU091", "2023", "2", "vaesto"), Decimal(350094), None)
    values = table.as_dict()
    for area in ("KU049", "KU091"):
        for year in ("2022", "2023"):
            assert (
                values[(area, year, "1", "vaesto")] + values[(area, year, "2", "vaesto")]
                == values[(area, year, "SSS", "vaesto")]
            )


def test_parse_jsonstat__pxweb_dataset__metadata_roles_and_units():
    table = parse_jsonstat(POPULATION, language="fi")
    meta = table.metadata
    assert meta.source_format == "json-stat2"
    assert meta.table_id == "statfin_vaerak_pxt_11re"
    assert meta.title == {"fi": "Väestö 31.12. muuttujina Alue, Vuosi, Sukupuoli ja Tiedot"}
    assert meta.source == {"fi": "Tilastokeskus"}
    assert meta.last_updated == datetime.datetime(2024, 4, 26, 5, 0, tzinfo=datetime.UTC)
    assert meta.decimals == 0
    assert meta.contents_dimension == "Tiedot"
    year = table.dimension("Vuosi")
    assert year.is_time
    assert year.time_unit == "A"
    assert [p.start for p in year.periods] == [datetime.date(2022, 1, 1), datetime.date(2023, 1, 1)]
    assert table.dimension("Alue").is_geo
    assert table.dimension("Alue").value("KU091").labels == {"fi": "Helsinki"}
    content = table.dimension("Tiedot").value("vaesto")
    assert content.units == {"fi": "lukumäärä"}
    assert content.precision == 0


def test_parse_jsonstat__null_values_with_status__are_missing_with_reason():
    document = _document(status={"1": "..", "4": "...", "5": "p"})
    document["value"][1] = None
    document["value"][4] = None
    document["value"][7] = None
    cells = list(parse_jsonstat(document).cells())
    assert cells[1].value is None
    assert cells[1].missing == Missing("..", "data not available or too uncertain to be presented")
    assert cells[4].missing == Missing("...", "confidential (subject to secrecy)")
    assert cells[7].missing == NO_STATUS
    assert cells[5].missing is None


def test_parse_jsonstat__status_on_a_value__kept_as_cell_status_not_missing():
    table = parse_jsonstat(_document(status={"11": "p"}))
    assert table.cell_statuses == {("KU091", "2023", "2", "vaesto"): "p"}
    assert list(table.cells())[11].value == Decimal(350094)


@pytest.mark.parametrize(
    ("status", "expected"),
    [(".", ["."] * 12), ([None] * 11 + [".."], [None] * 11 + [".."])],
    ids=["string-for-all", "list"],
)
def test_parse_jsonstat__status_as_string_or_list__applies_per_cell(status, expected):
    document = _document(status=status, value=[None] * 12)
    cells = list(parse_jsonstat(document).cells())
    assert [c.missing.marker or None for c in cells] == expected


def test_parse_jsonstat__value_as_object__sparse_cells_missing():
    document = _document(value={"0": 305274, "11": 350094})
    cells = list(parse_jsonstat(document).cells())
    assert cells[0].value == Decimal(305274)
    assert cells[11].value == Decimal(350094)
    assert all(c.missing == NO_STATUS for c in cells[1:11])


def test_parse_jsonstat__index_as_list__same_order():
    document = _document()
    document["dimension"]["Sukupuoli"]["category"]["index"] = ["SSS", "1", "2"]
    assert parse_jsonstat(document).dimension("Sukupuoli").codes == ("SSS", "1", "2")


def test_parse_jsonstat__index_left_out_for_single_category__accepted():
    document = _document()
    del document["dimension"]["Tiedot"]["category"]["index"]
    assert parse_jsonstat(document).dimension("Tiedot").codes == ("vaesto",)


def test_parse_jsonstat__decimal_values__exact():
    document = json.dumps(_document(value=[5.8, 0.1, 49.0] * 4)).encode("utf-8")
    cells = list(parse_jsonstat(document).cells())
    assert [str(c.value) for c in cells[:3]] == ["5.8", "0.1", "49.0"]


@pytest.mark.parametrize(
    "wrap",
    [
        lambda text: text.encode("utf-8"),
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda text: io.BytesIO(text.encode("utf-8")),
        lambda text: io.StringIO(text),
        lambda text: text,
    ],
    ids=["bytes", "bytes-with-bom", "binary-file", "text-file", "str"],
)
def test_parse_jsonstat__input_kinds__all_read(wrap):
    table = parse_jsonstat(wrap(json.dumps(POPULATION, ensure_ascii=False)))
    assert table.dimension("Tiedot").value("vaesto").labels["fi"] == "Väestö 31.12."


def test_parse_jsonstat__value_count_not_size__refused_with_expected_and_found():
    with pytest.raises(JsonStatError) as caught:
        parse_jsonstat(_document(value=POPULATION["value"][:-1]))
    assert caught.value.path == "value"
    assert "expected 12, found 11" in str(caught.value)


def test_parse_jsonstat__size_not_category_count__refused_naming_dimension():
    with pytest.raises(JsonStatError) as caught:
        parse_jsonstat(_document(size=[2, 2, 2, 1]))
    assert caught.value.path == "dimension.Sukupuoli"
    assert "expected 2, found 3" in str(caught.value)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"class": "collection"}, "class"),
        ({"version": "1.0"}, "version"),
        ({"id": ["Alue", "Vuosi", "Sukupuoli"]}, "size"),
        ({"id": ["Alue", "Vuosi", "Sukupuoli", "Puuttuu"]}, "dimension"),
        ({"size": [2, 2, 3, "1"]}, "size"),
        ({"value": "305274"}, "value"),
        ({"value": ["305274"] * 12}, "value[0]"),
        ({"value": [True] * 12}, "value[0]"),
        ({"value": {"12": 1}}, "value"),
        ({"status": {"x": ".."}}, "status"),
        ({"status": [".."]}, "status"),
        ({"role": {"time": ["Aika"]}}, "role.time"),
        ({"updated": "eilen"}, "updated"),
    ],
)
def test_parse_jsonstat__malformed_members__refused_naming_the_member(change, path):
    with pytest.raises(JsonStatError) as caught:
        parse_jsonstat(_document(**change))
    assert caught.value.path == path


def test_parse_jsonstat__index_positions_not_0_to_n__refused():
    document = _document()
    document["dimension"]["Alue"]["category"]["index"] = {"KU049": 0, "KU091": 2}
    with pytest.raises(JsonStatError, match="0…n-1"):
        parse_jsonstat(document)


def test_parse_jsonstat__label_for_unknown_code__refused():
    document = _document()
    document["dimension"]["Alue"]["category"]["label"]["KU092"] = "Vantaa"
    with pytest.raises(JsonStatError, match="KU092"):
        parse_jsonstat(document)


def test_parse_jsonstat__json_stat_1_bundle__refused_with_hint():
    with pytest.raises(JsonStatError, match="json-stat2"):
        parse_jsonstat({"dataset": POPULATION})


def test_parse_jsonstat__not_json__refused():
    with pytest.raises(JsonStatError, match="not JSON"):
        parse_jsonstat(b"<html>Too many requests</html>")


def test_parse_jsonstat_languages__fi_sv__one_table_with_both_labels():
    table = parse_jsonstat_languages({"fi": POPULATION, "sv": _translated(SWEDISH_LABELS)})
    assert table.metadata.languages == ("fi", "sv")
    assert table.metadata.title["sv"] == "Befolkning 31.12. efter Område, År, Kön och Uppgifter"
    assert table.dimension("Alue").labels == {"fi": "Alue", "sv": "Område"}
    assert table.dimension("Alue").value("KU091").labels == {"fi": "Helsinki", "sv": "Helsingfors"}
    assert table.dimension("Sukupuoli").value("2").labels == {"fi": "Naiset", "sv": "Kvinnor"}
    assert len(list(table.cells())) == 12


def test_merge_languages__different_numbers__refused():
    swedish = _translated(SWEDISH_LABELS)
    swedish["value"][0] = 1
    with pytest.raises(JsonStatError, match="other numbers"):
        merge_languages({"fi": parse_jsonstat(POPULATION), "sv": parse_jsonstat(swedish, language="sv")})
