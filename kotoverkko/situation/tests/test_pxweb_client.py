"""PxWeb API client: query building against the real saved queries, fetching against recorded replies.

No network: the client gets an opener that replays responses. The metadata replies are written here
in PxWeb v1's real shape ({"title", "variables": [{"code", "text", "values", "valueTexts",
"elimination", "time"}]}). The variables of 139e that the saved query selects are the real ones;
"ika" (an eliminable age variable) and the value lists are illustrative.
"""

from __future__ import annotations

import email.message
import email.utils
import io
import json
import urllib.error
from pathlib import Path

import pytest

from kotoverkko.situation.parsers import Missing
from kotoverkko.situation.pxweb_client import (
    PxWebClient,
    PxWebError,
    PxWebHTTPError,
    PxWebQueryError,
    PxWebRateLimitError,
    PxWebTableMetadata,
    Selection,
    build_query,
    estimated_cells,
    validate_query,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "pxweb_api"
BASE = "https://pxdata.stat.fi/PXWeb/api/v1/fi/StatFin"
TABLE_139E = "vaenn/statfin_vaenn_pxt_139e.px"

METADATA_139E = {
    "title": "Väestöennuste 2024: Väestö iän ja sukupuolen mukaan alueittain, 2024-2070",
    "variables": [
        {
            "code": "timeperiod_y",
            "text": "Vuosi",
            "values": ["2024", "2025", "2026"],
            "valueTexts": ["2024", "2025", "2026"],
            "time": True,
        },
        {
            "code": "contentscode",
            "text": "Tiedot",
            "values": ["vaenn-vm01"],
            "valueTexts": ["Väestö 31.12. (ennuste)"],
        },
        {
            "code": "sukupuoli_9_20180101",
            "text": "Sukupuoli",
            "values": ["SSS", "1", "2"],
            "valueTexts": ["Yhteensä", "Miehet", "Naiset"],
            "elimination": True,
        },
        {
            "code": "ika",
            "text": "Ikä",
            "values": ["SSS", "000", "001"],
            "valueTexts": ["Yhteensä", "0", "1"],
            "elimination": True,
        },
        {
            "code": "vaestoennuste_2_20240101",
            "text": "Väestöennuste",
            "values": ["ennuste2024"],
            "valueTexts": ["Väestöennuste 2024"],
        },
    ],
}

# What PxWeb answers to statfin_vaenn_139e_query.json in json-stat2 (one cell; the number is illustrative).
RESPONSE_139E = {
    "class": "dataset",
    "label": "Väestö 31.12. (ennuste) muuttujina Vuosi, Tiedot, Sukupuoli ja Väestöennuste",
    "source": "Tilastokeskus",
    "updated": "2024-09-30T05:00:00Z",
    "id": ["timeperiod_y", "contentscode", "sukupuoli_9_20180101", "vaestoennuste_2_20240101"],
    "size": [1, 1, 1, 1],
    "dimension": {
        "timeperiod_y": {"label": "Vuosi", "category": {"index": {"2025": 0}, "label": {"2025": "2025"}}},
        "contentscode": {
            "label": "Tiedot",
            "category": {
                "index": {"vaenn-vm01": 0},
                "label": {"vaenn-vm01": "Väestö 31.12. (ennuste)"},
                "unit": {"vaenn-vm01": {"base": "henkilöä", "decimals": 0}},
            },
        },
        "sukupuoli_9_20180101": {
            "label": "Sukupuoli",
            "category": {"index": {"SSS": 0}, "label": {"SSS": "Yhteensä"}},
        },
        "vaestoennuste_2_20240101": {
            "label": "Väestöennuste",
            "category": {"index": {"ennuste2024": 0}, "label": {"ennuste2024": "Väestöennuste 2024"}},
        },
    },
    "value": [5650000],
    "role": {"time": ["timeperiod_y"], "metric": ["contentscode"]},
    "version": "2.0",
    "extension": {"px": {"infofile": "None", "tableid": "statfin_vaenn_pxt_139e", "decimals": 0}},
}

# Statistics Sweden's BefolkningR1860N, only the age variable the real query selects (illustrative texts).
METADATA_SCB = {
    "title": "Befolkning efter ålder och år",
    "variables": [
        {
            "code": "Alder",
            "text": "ålder",
            "values": [str(age) for age in range(110)] + ["110+"],
            "valueTexts": [f"{age} år" for age in range(110)] + ["110+ år"],
            "elimination": True,
        }
    ],
}


class _Response:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def read(self) -> bytes:
        return self._body

    def __enter__(self) -> _Response:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None


class Recorded:
    """An opener that replays replies in order and keeps every request it was given."""

    def __init__(self, *replies: bytes | Exception) -> None:
        self.replies = list(replies)
        self.requests: list = []

    def open(self, request, data=None, timeout=None):
        self.requests.append(request)
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return _Response(reply)


def _http_error(code: int, body: bytes = b"", **headers: str) -> urllib.error.HTTPError:
    message = email.message.Message()
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    return urllib.error.HTTPError(f"{BASE}/{TABLE_139E}", code, "error", message, io.BytesIO(body))


def _json(document: object, *, bom: bool = False) -> bytes:
    return (b"\xef\xbb\xbf" if bom else b"") + json.dumps(document, ensure_ascii=False).encode("utf-8")


def _client(opener: Recorded, sleeps: list[float] | None = None, **options) -> PxWebClient:
    waits = sleeps if sleeps is not None else []
    return PxWebClient(BASE, opener=opener, sleep=waits.append, **options)


@pytest.fixture
def metadata_139e() -> PxWebTableMetadata:
    return PxWebTableMetadata.from_json(METADATA_139E)


# --- Query building ------------------------------------------------------------------------------------


def test_build_query__statfin_139e_selections__reproduce_the_saved_query(metadata_139e):
    saved = json.loads((DATA / "statfin_vaenn_139e_query.json").read_bytes())
    query = build_query(
        metadata_139e,
        {
            "timeperiod_y": ["2025"],
            "contentscode": ["vaenn-vm01"],
            "sukupuoli_9_20180101": ["SSS"],
            "vaestoennuste_2_20240101": ["ennuste2024"],
        },
    )
    assert query == saved
    assert list(query) == ["query", "response"]
    assert [list(part) for part in query["query"]] == [["code", "selection"]] * 4
    assert all(list(part["selection"]) == ["filter", "values"] for part in query["query"])


def test_build_query__scb_value_set__reproduces_the_real_request_body():
    saved = json.loads((DATA / "scb_BefolkningR1860N_query.json").read_bytes().decode("utf-8"))
    metadata = PxWebTableMetadata.from_json(METADATA_SCB)
    ages = saved["query"][0]["selection"]["values"]
    query = build_query(metadata, {"Alder": Selection("vs:Ålder1årL", ages)}, response_format="px")
    assert query == saved


def test_fetch__scb_query__value_set_filter_survives_utf8_round_trip():
    raw = (DATA / "scb_BefolkningR1860N_query.json").read_bytes()
    assert "vs:Ålder1årL".encode() in raw
    saved = json.loads(raw.decode("utf-8"))
    opener = Recorded(b"...")
    _client(opener).fetch("START/BE/BE0101/BE0101A/BefolkningR1860N", saved)
    sent = opener.requests[0]
    assert sent.get_method() == "POST"
    assert sent.get_header("Content-type") == "application/json; charset=utf-8"
    assert "vs:Ålder1årL".encode() in sent.data
    assert json.loads(sent.data.decode("utf-8")) == saved
    assert json.loads(sent.data.decode("utf-8"))["query"][0]["selection"]["filter"] == "vs:Ålder1årL"


def test_build_query__all_and_top__pxweb_filters(metadata_139e):
    query = build_query(
        metadata_139e,
        {"timeperiod_y": "top:2", "contentscode": "all", "vaestoennuste_2_20240101": ["ennuste2024"]},
        response_format="csv",
    )
    assert query["query"][0]["selection"] == {"filter": "top", "values": ["2"]}
    assert query["query"][1]["selection"] == {"filter": "all", "values": ["*"]}
    assert query["response"] == {"format": "csv"}
    assert estimated_cells(metadata_139e, query) == 2


def test_estimated_cells__items_times_items__product(metadata_139e):
    query = build_query(
        metadata_139e,
        {
            "timeperiod_y": ["2024", "2025", "2026"],
            "contentscode": ["vaenn-vm01"],
            "sukupuoli_9_20180101": ["1", "2"],
            "ika": "all",
            "vaestoennuste_2_20240101": ["ennuste2024"],
        },
    )
    assert estimated_cells(metadata_139e, query) == 3 * 1 * 2 * 3 * 1


@pytest.mark.parametrize(
    ("selections", "fragment"),
    [
        ({"alue": ["KU091"]}, "no variable 'alue'"),
        ({"timeperiod_y": ["2025"], "vaestoennuste_2_20240101": ["ennuste2024"]}, "'contentscode'"),
        (
            {"timeperiod_y": ["2099"], "contentscode": "all", "vaestoennuste_2_20240101": "all"},
            "no value '2099'",
        ),
        (
            {
                "timeperiod_y": ["2025"],
                "contentscode": "all",
                "sukupuoli_9_20180101": ["Miehet"],
                "vaestoennuste_2_20240101": "all",
            },
            "'Miehet' is a value text; its code is '1'",
        ),
        (
            {"timeperiod_y": ["2025", "2025"], "contentscode": "all", "vaestoennuste_2_20240101": "all"},
            "twice",
        ),
        ({"timeperiod_y": [], "contentscode": "all", "vaestoennuste_2_20240101": "all"}, "no values"),
        (
            {"timeperiod_y": "2025", "contentscode": "all", "vaestoennuste_2_20240101": "all"},
            "give value codes",
        ),
        ({"timeperiod_y": "top:9", "contentscode": "all", "vaestoennuste_2_20240101": "all"}, "more than"),
        (
            {
                "timeperiod_y": Selection("best", ["1"]),
                "contentscode": "all",
                "vaestoennuste_2_20240101": "all",
            },
            "unknown filter",
        ),
    ],
    ids=[
        "unknown-variable",
        "mandatory-left-out",
        "unknown-value",
        "value-text",
        "duplicate",
        "empty",
        "bare-string",
        "top-too-many",
        "unknown-filter",
    ],
)
def test_build_query__bad_selection__refused_naming_variable(metadata_139e, selections, fragment):
    with pytest.raises(PxWebQueryError, match=fragment.replace("(", r"\(")):
        build_query(metadata_139e, selections)


def test_build_query__unknown_response_format__refused(metadata_139e):
    with pytest.raises(PxWebQueryError, match="response format"):
        build_query(metadata_139e, {}, response_format="parquet")


@pytest.mark.parametrize(
    "query",
    [
        [],
        {"query": [{"code": "a"}], "response": {"format": "px"}},
        {
            "query": [{"code": "a", "selection": {"filter": "item", "values": []}}],
            "response": {"format": "px"},
        },
        {"query": [{"code": "a", "selection": {"filter": "item", "values": ["1"]}}]},
        {
            "query": [{"code": "a", "selection": {"filter": "some", "values": ["1"]}}],
            "response": {"format": "px"},
        },
    ],
    ids=["not-an-object", "no-selection", "no-values", "no-response", "bad-filter"],
)
def test_validate_query__malformed__refused(query):
    with pytest.raises(PxWebQueryError):
        validate_query(query)


def test_validate_query__real_queries__accepted():
    for path in DATA.glob("*.json"):
        validate_query(json.loads(path.read_bytes().decode("utf-8")))


# --- Metadata and fetching --------------------------------------------------------------------------------


def test_table_metadata__recorded_reply_with_bom__variables_read():
    opener = Recorded(_json(METADATA_139E, bom=True))
    metadata = _client(opener).table_metadata(TABLE_139E)
    request = opener.requests[0]
    assert request.get_method() == "GET"
    assert request.full_url == f"{BASE}/vaenn/statfin_vaenn_pxt_139e.px"
    assert metadata.codes == (
        "timeperiod_y",
        "contentscode",
        "sukupuoli_9_20180101",
        "ika",
        "vaestoennuste_2_20240101",
    )
    assert metadata.variable("timeperiod_y").time
    assert metadata.variable("sukupuoli_9_20180101").elimination
    assert not metadata.variable("contentscode").elimination
    assert metadata.variable("sukupuoli_9_20180101").text_of("2") == "Naiset"


def test_table_metadata__folder_listing__refused():
    listing = [{"id": "vaenn", "type": "l", "text": "Väestöennuste"}]
    with pytest.raises(PxWebError, match="folder"):
        _client(Recorded(_json(listing))).table_metadata("vaenn")


def test_table_metadata__values_and_texts_differ_in_length__refused():
    broken = json.loads(json.dumps(METADATA_139E))
    broken["variables"][0]["valueTexts"].pop()
    with pytest.raises(PxWebError, match="timeperiod_y"):
        _client(Recorded(_json(broken))).table_metadata(TABLE_139E)


def test_fetch_table__json_stat2_reply__parsed_into_a_table(metadata_139e):
    saved = json.loads((DATA / "statfin_vaenn_139e_query.json").read_bytes())
    table = _client(Recorded(_json(RESPONSE_139E, bom=True))).fetch_table(TABLE_139E, saved)
    assert table.metadata.table_id == "statfin_vaenn_pxt_139e"
    assert table.as_dict() == {("2025", "vaenn-vm01", "SSS", "ennuste2024"): 5650000}
    assert estimated_cells(metadata_139e, saved) == table.size == 1


def test_fetch_table__px_reply__parsed_with_the_px_reader():
    px = (
        Path(__file__).resolve().parents[1] / "data" / "statfin_px" / "statfin_tyonv_eckero.px"
    ).read_bytes()
    query = {"query": [], "response": {"format": "px"}}
    table = _client(Recorded(px)).fetch_table("tyonv/statfin_tyonv_pxt_12r5.px", query)
    assert table.validate() == 253
    assert table.as_dict()[("2024M01", "TYOTTOMAT20", "KU043")] == Missing(
        "...", "confidential (subject to secrecy)"
    )


def test_fetch__429_with_retry_after_seconds__waits_that_long_then_succeeds():
    sleeps: list[float] = []
    opener = Recorded(_http_error(429, Retry_After="7"), b"ok")
    assert _client(opener, sleeps).fetch(TABLE_139E, {"query": [], "response": {"format": "px"}}) == b"ok"
    assert sleeps == [7.0]
    assert len(opener.requests) == 2


def test_fetch__429_with_retry_after_date__waits_until_then():
    sleeps: list[float] = []
    later = email.utils.formatdate(1_700_000_030, usegmt=True)
    opener = Recorded(_http_error(429, Retry_After=later), b"ok")
    _client(opener, sleeps, clock=lambda: 1_700_000_000.0).fetch(
        TABLE_139E, {"query": [], "response": {"format": "px"}}
    )
    assert sleeps == [30.0]


def test_fetch__429_without_retry_after__exponential_backoff_then_rate_limit_error():
    sleeps: list[float] = []
    opener = Recorded(*[_http_error(429, b"Too Many Requests") for _ in range(4)])
    with pytest.raises(PxWebRateLimitError) as caught:
        _client(opener, sleeps, max_retries=3).fetch(TABLE_139E, {"query": [], "response": {"format": "px"}})
    assert sleeps == [1.0, 2.0, 4.0]
    assert caught.value.status == 429
    assert "Too Many Requests" in str(caught.value)


def test_fetch__retry_after_longer_than_allowed__refused_without_waiting():
    sleeps: list[float] = []
    opener = Recorded(_http_error(429, Retry_After="3600"))
    with pytest.raises(PxWebRateLimitError):
        _client(opener, sleeps).fetch(TABLE_139E, {"query": [], "response": {"format": "px"}})
    assert sleeps == []


def test_fetch__503_then_ok__retried_with_backoff():
    sleeps: list[float] = []
    opener = Recorded(_http_error(503), b"ok")
    assert _client(opener, sleeps, backoff_seconds=0.5).fetch(
        TABLE_139E, {"query": [], "response": {"format": "px"}}
    )
    assert sleeps == [0.5]


@pytest.mark.parametrize(
    ("status", "hint"),
    [(400, "did not accept the query"), (403, "cell limit"), (404, "no such table"), (500, "server error")],
)
def test_fetch__http_error__raised_at_once_with_status_and_body(status, hint):
    sleeps: list[float] = []
    opener = Recorded(_http_error(status, b'{"error": "Parameter error"}'))
    with pytest.raises(PxWebHTTPError) as caught:
        _client(opener, sleeps).fetch(TABLE_139E, {"query": [], "response": {"format": "px"}})
    assert caught.value.status == status
    assert hint in str(caught.value)
    assert "Parameter error" in str(caught.value)
    assert f"HTTP {status}" in str(caught.value)
    assert sleeps == []
    assert len(opener.requests) == 1


def test_fetch__network_unreachable__clear_error():
    opener = Recorded(urllib.error.URLError("Name or service not known"))
    with pytest.raises(PxWebError, match="cannot reach the server"):
        _client(opener).table_metadata(TABLE_139E)


def test_fetch__malformed_query__refused_before_sending():
    opener = Recorded()
    with pytest.raises(PxWebQueryError):
        _client(opener).fetch(TABLE_139E, {"query": [{"code": "x"}]})
    assert opener.requests == []


def test_client__path_with_spaces_and_non_ascii__percent_encoded():
    client = PxWebClient("https://api.scb.se/OV0104/v1/doris/sv/ssd/")
    assert (
        client.url("/START/BE/Befolkning år/")
        == "https://api.scb.se/OV0104/v1/doris/sv/ssd/START/BE/Befolkning%20%C3%A5r"
    )


def test_client__non_http_base_url__refused():
    with pytest.raises(ValueError, match="http"):
        PxWebClient("file:///etc/passwd")
