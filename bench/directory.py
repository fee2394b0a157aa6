"""Benchmark of the activity directory's public pages. Builds its own data, prints the figures.

    .venv/bin/python bench/directory.py              # SQLite, 10,000 listings (var/bench.sqlite3)
    .venv/bin/python bench/directory.py --postgres   # PostgreSQL, 50,000 listings (kotoverkko_bench)

Server time is measured in-process with Django's test client (request handling and rendering,
no network), over repeated requests with varied queries. Targets on PostgreSQL (issue 3):
search median < 50 ms and p95 < 150 ms; detail median < 30 ms.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HELSINKI = ZoneInfo("Europe/Helsinki")

WORDS_FI = [
    "kielikahvila",
    "kerho",
    "suomen kieli",
    "läksykerho",
    "naisten uinti",
    "kokkikerho",
    "työnhaku",
    "digitaidot",
    "perhekerho",
    "kuoro",
    "jalkapallo",
    "vertaisryhmä",
    "vapaaehtoistoiminta",
    "kurssi",
]
PLACES = ["kirjasto", "asukastalo", "nuorisotila", "seurakuntatalo", "koulu", "kansalaisopisto"]
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def configure(postgres: bool) -> None:
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 40)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    if postgres:
        base = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
        os.environ["DATABASE_URL"] = f"{base}/kotoverkko_bench"
        import psycopg

        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            exists = conn.execute("select 1 from pg_database where datname = 'kotoverkko_bench'").fetchone()
            if not exists:
                conn.execute("create database kotoverkko_bench")
    else:
        (ROOT / "var").mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    import django

    django.setup()


def build(count: int, seed: int = 2026) -> None:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from kotoverkko.activities import recurrence, search
    from kotoverkko.activities.enums import ListingSection, ListingStatus
    from kotoverkko.activities.models import Listing, Occurrence, Schedule, Theme
    from kotoverkko.organisations.models import Organisation, OrganisationKind
    from kotoverkko.reference.models import Language, Municipality
    from kotoverkko.reference.services import reference_data_load

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)  # pages link hashed static names
    call_command("createcachetable", verbosity=0)
    reference_data_load()
    existing = Listing.objects.filter(source="bench").count()
    if existing >= count:
        print(f"Data in place: {existing} listings.")
        return
    Listing.objects.filter(source="bench").delete()
    rng = random.Random(seed)
    municipalities = list(Municipality.objects.current())
    languages = list(
        Language.objects.filter(code__in=["fi", "sv", "en", "ar", "so", "ru", "uk", "fa", "ti", "ku"])
    )
    themes = [
        Theme.objects.get_or_create(
            slug=f"bench-{i}",
            defaults={"label_fi": f"Teema {i}", "label_sv": f"Tema {i}", "label_en": f"Theme {i}"},
        )[0]
        for i in range(12)
    ]
    organisations = []
    for index in range(200):
        municipality = municipalities[index % len(municipalities)]
        organisation = Organisation(
            name={"fi": f"Benchmark-yhdistys {index} ry"},
            kind=OrganisationKind.NGO,
            home_municipality=municipality,
        )
        organisation.refresh_derived_fields()
        organisations.append(organisation)
    Organisation.objects.bulk_create(organisations)
    organisations = list(Organisation.objects.filter(sort_name__startswith="benchmark-yhdistys"))
    now = timezone.now()
    started = time.perf_counter()
    batch = 2000
    for offset in range(0, count, batch):
        with transaction.atomic():
            listings = []
            for number in range(offset, min(offset + batch, count)):
                municipality = municipalities[number % len(municipalities)]
                word = rng.choice(WORDS_FI)
                place = rng.choice(PLACES)
                title = {"fi": f"{word.capitalize()} {number}", "en": f"Activity {number}"}
                summary = {"fi": f"Tervetuloa {word}on! Kokoonnumme {place}lla {municipality.name_fi}ssa."}
                listing = Listing(
                    section=ListingSection.ACTIVITY if number % 5 else ListingSection.EVENT,
                    title=title,
                    summary=summary,
                    organisation=rng.choice(organisations),
                    municipality=municipality,
                    is_free=rng.random() < 0.8,
                    has_childcare=rng.random() < 0.3,
                    is_accessible=rng.random() < 0.6,
                    status=ListingStatus.PUBLISHED,
                    published_at=now,
                    last_confirmed_at=now,
                    criteria_confirmed_at=now,
                    source="bench",
                    source_id=str(number),
                    sort_title=title["fi"].casefold(),
                    search_stems=search.document_stems(
                        {"fi": [title["fi"], summary["fi"]], "en": [title["en"]]}
                    ),
                )
                listings.append(listing)
            Listing.objects.bulk_create(listings)
            listings = list(
                Listing.objects.filter(source="bench", source_id__in=[x.source_id for x in listings])
            )
            schedules, occurrences = [], []
            for listing in listings:
                weekday = rng.randrange(7)
                day = now.astimezone(HELSINKI).date() - datetime.timedelta(days=30)
                day += datetime.timedelta(days=(weekday - day.weekday()) % 7)
                start = datetime.datetime.combine(day, datetime.time(rng.choice([10, 13, 17, 18])), HELSINKI)
                rule = f"FREQ=WEEKLY;BYDAY={WEEKDAYS[weekday]}"
                schedules.append(
                    Schedule(
                        listing=listing,
                        starts_at=start,
                        ends_at=start + datetime.timedelta(hours=2),
                        rrule=rule,
                    )
                )
                expanded = recurrence.expand(
                    starts_at=start,
                    ends_at=start + datetime.timedelta(hours=2),
                    rrule=rule,
                    exdates=[],
                    rdates=[],
                    window_start=now,
                    window_end=now + datetime.timedelta(days=180),
                )
                for occ_start, occ_end in expanded:
                    local = occ_start.astimezone(HELSINKI)
                    occurrences.append(
                        Occurrence(
                            listing=listing,
                            starts_at=occ_start,
                            ends_at=occ_end,
                            weekday=local.weekday(),
                            start_minute=local.hour * 60 + local.minute,
                        )
                    )
                listing.next_occurrence_at = expanded[0][0] if expanded else None
            Schedule.objects.bulk_create(schedules)
            Occurrence.objects.bulk_create(occurrences, batch_size=5000)
            Listing.objects.bulk_update(listings, ["next_occurrence_at"])
            for listing in listings:
                listing.languages.add(*rng.sample(languages, 2))
                listing.themes.add(rng.choice(themes))
                search.index_listing(listing)
        print(
            f"  built {min(offset + batch, count)} / {count} listings ({time.perf_counter() - started:.0f} s)"
        )


def measure(label: str, paths: list[str], repeat: int) -> tuple[float, float]:
    from django.test import Client

    client = Client()
    client.get(paths[0])  # warm-up: templates, connections
    timings = []
    for index in range(repeat):
        path = paths[index % len(paths)]
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{label}: {path} answered {response.status_code}")
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(f"{label:<40} median {median:7.1f} ms   p95 {p95:7.1f} ms   ({len(timings)} requests)")
    return median, p95


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", action="store_true", help="use PostgreSQL (database kotoverkko_bench)")
    parser.add_argument(
        "--listings", type=int, help="how many listings (default 50,000 on PostgreSQL, 10,000 on SQLite)"
    )
    parser.add_argument("--repeat", type=int, default=60)
    args = parser.parse_args()
    configure(args.postgres)
    count = args.listings or (50_000 if args.postgres else 10_000)
    from django.db import connection

    print(f"Database: {connection.vendor}; listings: {count}")
    build(count)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would have done on a live database
    from django.urls import reverse

    from kotoverkko.activities.models import Listing

    search_path = reverse("activities:search")
    codes = ["049", "091", "257", "235", "837", "853", "564"]
    searches = [
        f"{search_path}?q={word}&municipality={code}&language=fi&free=on"
        for word, code in zip(
            ["kerhoon", "kahvila", "kurssille", "suomen kielen", "kuoroon", "läksykerhossa", "uinti"],
            codes,
            strict=True,
        )
    ]
    ids = list(Listing.objects.filter(source="bench").values_list("pk", flat=True)[:200])
    details = [reverse("activities:detail", args=[pk]) for pk in ids]
    measure("text search + 3 filters", searches, args.repeat)
    measure("unfiltered first page", [search_path], args.repeat)
    measure("detail page", details, args.repeat)


if __name__ == "__main__":
    main()
