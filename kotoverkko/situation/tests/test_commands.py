"""manage.py import_px, import_pxweb (a recorded json-stat2 reply, no network) and load_situation_demo."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from kotoverkko.situation.management.commands import import_pxweb
from kotoverkko.situation.models import Dataset, DatasetVersion, Observation
from kotoverkko.situation.tests.test_pxweb_client import RESPONSE_139E, Recorded

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """The messages asserted here are the English source texts (other tests cover fi and sv)."""
    translation.activate("en")
    yield
    translation.activate("fi")


DATA = Path(__file__).resolve().parents[1] / "data"
ECKERO = DATA / "statfin_px" / "statfin_tyonv_eckero.px"
QUERY_139E = DATA / "pxweb_api" / "statfin_vaenn_139e_query.json"
URL_139E = "https://pxdata.stat.fi/PXWeb/api/v1/fi/StatFin/vaenn/statfin_vaenn_pxt_139e.px"


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_px__eckero__prints_title_and_cells():
    output = _run("import_px", str(ECKERO))
    assert "(statfin/statfin_tyonv_pxt_12r5): 253 cells" in output
    # The title comes in the active language (English here), from the file's own translations.
    assert output.startswith("Imported 12r5 -- Unemployed jobseekers")


def test_import_px__source_and_table_options__used():
    output = _run("import_px", str(ECKERO), "--source", "tem", "--table", "eckero")
    assert "(tem/eckero): 253 cells" in output
    assert Dataset.objects.filter(source="tem", table_id="eckero").exists()


def test_import_px__missing_file__command_error():
    with pytest.raises(CommandError, match="No such file"):
        _run("import_px", "/nonexistent/file.px")


def test_import_px__truncated_file__command_error_names_line(tmp_path):
    broken = tmp_path / "broken.px"
    raw = ECKERO.read_bytes()
    broken.write_bytes(raw[: raw.index(b"DATA=")])
    with pytest.raises(CommandError, match=r"broken.px: Line \d+, DATA"):
        _run("import_px", str(broken))
    assert not Observation.objects.exists()


@pytest.fixture
def recorded(monkeypatch):
    opener = Recorded(json.dumps(RESPONSE_139E).encode("utf-8"))
    monkeypatch.setattr(import_pxweb.Command, "opener", opener)
    return opener


def test_import_pxweb__recorded_reply__imports_json_stat2(recorded):
    output = _run("import_pxweb", URL_139E, str(QUERY_139E))
    assert "(statfin/statfin_vaenn_pxt_139e): 1 cells" in output
    request = recorded.requests[0]
    assert request.full_url == URL_139E
    assert json.loads(request.data)["response"]["format"] == "json-stat2"
    version = DatasetVersion.objects.get(is_current=True)
    assert version.observations.get().value == 5650000


def test_import_pxweb__bad_query_file__command_error(tmp_path, recorded):
    query = tmp_path / "q.json"
    query.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        _run("import_pxweb", URL_139E, str(query))


def test_import_pxweb__bad_url__command_error(recorded):
    with pytest.raises(CommandError, match="Not a PxWeb table URL"):
        _run("import_pxweb", "ftp://example", str(QUERY_139E))


def test_import_pxweb__http_error__command_error(monkeypatch):
    from kotoverkko.situation.tests.test_pxweb_client import _http_error

    monkeypatch.setattr(import_pxweb.Command, "opener", Recorded(_http_error(404)))
    with pytest.raises(CommandError, match="PxWeb"):
        _run("import_pxweb", URL_139E, str(QUERY_139E))


def test_load_situation_demo__twice__second_imports_nothing():
    assert "8 dataset version(s)" in _run("load_situation_demo")
    assert "0 dataset version(s)" in _run("load_situation_demo")
