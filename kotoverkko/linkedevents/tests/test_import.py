"""manage.py import_linkedevents: the real Turku page, records built from the spec, idempotency,
dry runs, malformed pages and a real HTTP source."""

from __future__ import annotations

import copy
import datetime
import http.server
import json
import threading
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kotoverkko.activities.enums import ListingStatus
from kotoverkko.activities.models import Listing
from kotoverkko.activities.tests.factories import TargetGroupFactory, ThemeFactory
from kotoverkko.core.models import AuditEvent
from kotoverkko.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
TURKU_PAGE = Path(__file__).parent / "data" / "turku_event_page_sample_2022.json"
API = "https://api.hel.fi/linkedevents/v1"


@pytest.fixture
def organisation():
    return OrganisationFactory.municipality("091", name={"fi": "Helsingin kaupunki"})


def run(*sources, organisation, **options):
    out = StringIO()
    call_command(
        "import_linkedevents", *map(str, sources), organisation=str(organisation.pk), stdout=out, **options
    )
    return out.getvalue()


def _when(days: int, hour: int) -> str:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), HELSINKI).astimezone(datetime.UTC).isoformat()


def spec_event(event_id: str, **fields) -> dict:
    """A record shaped like the spec's event schema (data source "helsinki")."""
    record = {
        "@id": f"{API}/event/{event_id}/",
        "@type": "Event/LinkedEvent",
        "id": event_id,
        "data_source": "helsinki",
        "publisher": "ahjo:00001",
        "name": {"fi": "Kielikahvila", "sv": "Språkcafé", "en": "Language café"},
        "short_description": {"fi": "Puhutaan suomea yhdessä."},
        "description": {"fi": "<p>Tervetuloa <strong>kaikki</strong>!</p><p>Kahvi &amp; tee.</p>"},
        "keywords": [{"@id": f"{API}/keyword/yso:p4354/"}, {"@id": f"{API}/keyword/yso:p99999/"}],
        "in_language": [{"@id": f"{API}/language/fi/"}, {"@id": f"{API}/language/ar/"}],
        "location": {
            "@id": f"{API}/place/tprek:8310/",
            "id": "tprek:8310",
            "name": {"fi": "Oodi", "sv": "Ode", "en": "Oodi"},
            "street_address": {"fi": "Töölönlahdenkatu 4", "sv": "Tölöviksgatan 4"},
            "postal_code": "00100",
            "address_locality": {"fi": "Helsinki", "sv": "Helsingfors"},
            "position": {"type": "Point", "coordinates": [24.9382, 60.1738]},
        },
        "offers": [{"is_free": True, "price": None, "info_url": None}],
        "start_time": _when(10, 17),
        "end_time": _when(10, 19),
        "event_status": "EventScheduled",
        "publication_status": "public",
        "super_event": None,
        "super_event_type": None,
        "sub_events": [],
    }
    record.update(fields)
    return record


def page(*records, next_url=None) -> dict:
    return {"meta": {"count": len(records), "next": next_url, "previous": None}, "data": list(records)}


def write(tmp_path, name, payload) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


def imported(event_id: str, source: str = "linkedevents:helsinki") -> Listing:
    return Listing.objects.get(source=source, source_id=event_id)


# --- The real Turku page --------------------------------------------------------------------------------


def test_import__turku_page__listing_with_three_languages_and_price(organisation):
    output = run(TURKU_PAGE, organisation=organisation)

    listing = imported("turku:991417", "linkedevents:turku")
    assert listing.title == {
        "fi": "Kesäillan vesijumppa",
        "sv": "Kesäillan vesijumppa",
        "en": "Kesäillan vesijumppa",
    }
    assert listing.summary["fi"] == "Vauhdikas vesijumppa illan päätteeksi!"
    assert listing.description["fi"].startswith("Reipas vesijumppa Kupittaan maauimalan")
    assert listing.is_free is False
    assert listing.fee_info == {"fi": "Sisäänpääsymaksu + ohjausmaksu 2,50 €"}
    assert [language.code for language in listing.languages.all()] == ["fi"]
    assert listing.municipality.name_fi == "Turku"  # from location_extra_info; location is null
    assert listing.place_name["fi"] == "Blombergin aukio 12, Turku / Kupittaa, Kupittaan maauimala"
    schedule = listing.schedules.get()
    assert schedule.starts_at.astimezone(HELSINKI).strftime("%Y-%m-%d %H:%M") == "2022-06-14 19:30"
    assert schedule.ends_at.astimezone(HELSINKI).strftime("%H:%M") == "20:15"
    assert listing.status == ListingStatus.SUBMITTED  # the moderation queue, like a UI submission
    assert "created" in output


def test_import__turku_page_twice__second_run_unchanged(organisation):
    run(TURKU_PAGE, organisation=organisation)
    events_before = AuditEvent.objects.count()
    updated_at = imported("turku:991417", "linkedevents:turku").updated_at

    output = run(TURKU_PAGE, organisation=organisation)

    assert "unchanged turku:991417" in output
    assert Listing.objects.filter(source="linkedevents:turku").count() == 1
    assert imported("turku:991417", "linkedevents:turku").updated_at == updated_at
    assert AuditEvent.objects.count() == events_before


def test_import__turku_page__audit_names_the_importer(organisation):
    run(TURKU_PAGE, organisation=organisation)

    listing = imported("turku:991417", "linkedevents:turku")
    events = AuditEvent.objects.filter(object_id=str(listing.pk), object_type="activities.listing")
    assert {event.action for event in events} == {"listing.created", "listing.submitted"}
    assert all(event.actor is None for event in events)
    assert all("import linkedevents" in event.changes["origin"]["to"] for event in events)


def test_import__publish_option__listing_published(organisation):
    run(TURKU_PAGE, organisation=organisation, publish=True)

    listing = imported("turku:991417", "linkedevents:turku")
    assert listing.status == ListingStatus.PUBLISHED
    assert listing.published_at is not None


# --- Records built from the spec -----------------------------------------------------------------------


def test_import__embedded_location_and_offers__place_and_vocabularies(organisation, tmp_path):
    TargetGroupFactory(slug="children", label_fi="Lapset")
    record = spec_event(
        "helsinki:abc1",
        offers=[
            {
                "is_free": False,
                "price": {"fi": "<p>10 €</p>", "en": "€10"},
                "info_url": {"fi": "https://liput.example/1"},
            }
        ],
        enrolment_url="https://ilmo.example/1",
    )

    output = run(write(tmp_path, "p.json", page(record)), organisation=organisation)

    listing = imported("helsinki:abc1")
    assert listing.place_name == {"fi": "Oodi", "sv": "Ode", "en": "Oodi"}
    assert (listing.street_address, listing.postal_code, listing.municipality_id) == (
        "Töölönlahdenkatu 4",
        "00100",
        "091",
    )
    assert (str(listing.latitude), str(listing.longitude)) == ("60.173800", "24.938200")
    assert listing.description["fi"] == "Tervetuloa kaikki!\nKahvi & tee."
    assert (listing.is_free, listing.fee_info) == (False, {"fi": "10 €", "en": "€10"})
    assert (listing.registration, listing.registration_info) == ("link", "https://ilmo.example/1")
    assert listing.contact_url == "https://liput.example/1"
    assert [group.slug for group in listing.target_groups.all()] == ["children"]
    assert sorted(language.code for language in listing.languages.all()) == ["ar", "fi"]
    assert "Ignored 1 unknown keywords" in output


def test_import__super_event_with_sub_events__one_listing_with_dates(organisation, tmp_path):
    ThemeFactory(slug="finnish-language")
    subs = [
        spec_event(
            f"helsinki:sub{n}",
            start_time=_when(7 * n + 3, 17),
            end_time=_when(7 * n + 3, 19),
            super_event={"@id": f"{API}/event/helsinki:super/"},
            sub_event_type="sub_recurring",
        )
        for n in range(3)
    ]
    parent = spec_event(
        "helsinki:super",
        super_event_type="recurring",
        start_time=_when(3, 17),
        end_time=_when(17, 19),
        sub_events=[{"@id": sub["@id"]} for sub in subs],
    )

    output = run(write(tmp_path, "p.json", page(parent, *subs)), organisation=organisation)

    assert Listing.objects.filter(source="linkedevents:helsinki").count() == 1
    schedule = imported("helsinki:super").schedules.get()
    assert schedule.starts_at.astimezone(HELSINKI).hour == 17
    assert len(schedule.rdates) == 2
    assert "created 1, merged 3." in output


def test_import__sub_events_before_super_event__merged_into_it(organisation, tmp_path):
    subs = [
        spec_event(
            f"helsinki:s{n}",
            start_time=_when(n + 2, 10),
            end_time=_when(n + 2, 12),
            super_event=f"{API}/event/helsinki:p/",
        )
        for n in range(2)
    ]
    parent = spec_event(
        "helsinki:p", super_event_type="recurring", sub_events=[{"@id": s["@id"]} for s in subs]
    )

    run(write(tmp_path, "a.json", [page(*subs), page(parent)]), organisation=organisation)

    assert imported("helsinki:s0").status == ListingStatus.ARCHIVED
    schedule = imported("helsinki:p").schedules.get()
    assert len(schedule.rdates) == 1


def test_import__cancelled_event__listing_archived(organisation, tmp_path):
    record = spec_event("helsinki:c1")
    run(write(tmp_path, "1.json", page(record)), organisation=organisation)

    output = run(
        write(tmp_path, "2.json", page({**record, "event_status": "EventCancelled"})),
        organisation=organisation,
    )

    assert imported("helsinki:c1").status == ListingStatus.ARCHIVED
    assert "archived" in output
    assert AuditEvent.objects.filter(
        action="listing.archived", object_id=str(imported("helsinki:c1").pk)
    ).exists()


def test_import__changed_name__listing_updated(organisation, tmp_path):
    record = spec_event("helsinki:u1")
    run(write(tmp_path, "1.json", page(record)), organisation=organisation)

    output = run(
        write(tmp_path, "2.json", page({**record, "name": {"fi": "Uusi nimi"}})), organisation=organisation
    )

    assert "updated   helsinki:u1" in output
    assert imported("helsinki:u1").title == {"fi": "Uusi nimi"}


def test_import__date_only_event__all_day_schedule(organisation, tmp_path):
    day = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    run(
        write(tmp_path, "p.json", page(spec_event("helsinki:d1", start_time=day, end_time=None))),
        organisation=organisation,
    )

    schedule = imported("helsinki:d1").schedules.get()
    assert schedule.starts_at.astimezone(HELSINKI).time() == datetime.time(0, 0)
    assert schedule.ends_at - schedule.starts_at == datetime.timedelta(days=1)


# --- Dry run and malformed pages ------------------------------------------------------------------------


def test_import__dry_run__reports_and_saves_nothing(organisation):
    output = run(TURKU_PAGE, organisation=organisation, dry_run=True)

    assert "created   turku:991417" in output
    assert "Dry run, nothing saved" in output
    assert not Listing.objects.filter(source="linkedevents:turku").exists()
    assert not AuditEvent.objects.filter(action__startswith="listing.").exists()


@pytest.mark.parametrize(
    ("record_change", "message"),
    [
        ({"id": None}, "record 2: id is missing"),
        ({"name": None}, "record 2 (helsinki:m2): name is missing"),
        ({"start_time": "14.6.2022"}, "record 2: start_time '14.6.2022' is not a date or time"),
    ],
)
def test_import__malformed_record__page_named_and_nothing_from_it_saved(
    organisation, tmp_path, record_change, message
):
    good = page(spec_event("helsinki:ok"))
    bad = page(spec_event("helsinki:m1"), {**spec_event("helsinki:m2"), **record_change})
    path = write(tmp_path, "pages.json", [good, bad])

    with pytest.raises(CommandError) as error:
        run(path, organisation=organisation)

    assert f"pages.json (page 2): {message}" in str(error.value)
    assert "pages before it were saved" in str(error.value)
    assert list(
        Listing.objects.filter(source="linkedevents:helsinki").values_list("source_id", flat=True)
    ) == ["helsinki:ok"]


def test_import__page_without_meta__malformed(organisation, tmp_path):
    with pytest.raises(CommandError, match=r"x.json \(page 1\): the page has no meta object"):
        run(write(tmp_path, "x.json", {"data": []}), organisation=organisation)


def test_import__not_json__malformed(organisation, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("<html>", encoding="utf-8")

    with pytest.raises(CommandError, match=r"broken.json \(page 1\): not JSON"):
        run(path, organisation=organisation)


# --- A real HTTP source ------------------------------------------------------------------------------------


@pytest.fixture
def http_api():
    """A Linked Events-like server on 127.0.0.1: /event/?page=N and /place/ID/, 429 once."""
    state = {"pages": {}, "places": {}, "throttled": False, "requests": []}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            state["requests"].append(self.path)
            if self.path.endswith("page=2") and not state["throttled"]:
                state["throttled"] = True
                self.send_response(429)
                self.send_header("Retry-After", "0")
                self.end_headers()
                return
            body = state["pages"].get(self.path) or state["places"].get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps(body or {}).encode())

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["base"] = f"http://127.0.0.1:{server.server_port}"
    yield state
    server.shutdown()
    server.server_close()


def test_import__url_source__follows_next_retries_429_and_fetches_places(organisation, http_api):
    base = http_api["base"]
    place = copy.deepcopy(spec_event("x")["location"])
    place["@id"] = f"{base}/place/tprek:1/"
    first = spec_event("helsinki:h1", location={"@id": place["@id"]})
    second = spec_event("helsinki:h2")
    http_api["pages"]["/event/?page=1"] = page(first, next_url=f"{base}/event/?page=2")
    http_api["pages"]["/event/?page=2"] = page(second)
    http_api["places"]["/place/tprek:1/"] = place

    output = run(f"{base}/event/?page=1", organisation=organisation)

    assert imported("helsinki:h1").place_name["fi"] == "Oodi"
    assert imported("helsinki:h2").municipality_id == "091"
    assert http_api["requests"].count("/event/?page=2") == 2  # once throttled, once served
    assert "2 pages" in output
