"""Benchmark of the statistics import and the situation page: a 5.5 million cell PX file, streamed
in and imported, then municipalities' situation pages rendered on that data.

    .venv/bin/python bench/situation.py              # SQLite (var/bench-situation.sqlite3)
    .venv/bin/python bench/situation.py --postgres   # PostgreSQL (kotoverkko_bench_situation)
    .venv/bin/python bench/situation.py --municipalities 20 --years 5 --languages 20   # a quick run

308 municipalities × 30 years × 200 languages × 3 sexes = 5,544,000 cells, written to
var/bench-situation.px one line at a time, then imported with `services.dataset_import`. Prints the
file size, the import time and the peak memory of the process (ru_maxrss); issue 5 wants a 100 MB
file imported within 500 MB of memory. Then renders /situation/<code>/ for up to 20 municipalities
of the data with Django's test client (in-process, no network) and prints the median and p95.

The table is shaped like Statistics Finland's language tables so that the situation selectors read
it as language by area: dimensions Alue (KU codes), Vuosi, Kieli (a total "SSS", "fi", "sv" and
foreign languages; the total is the sum of the languages) and Sukupuoli (SSS, 1, 2).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PX_PATH = ROOT / "var" / "bench-situation.px"
DATABASE = "kotoverkko_bench_situation"
MUNICIPALITIES = 308
YEARS = 30
LANGUAGES = 200  # values of the language dimension, the total, Finnish and Swedish included
SEXES = 3
PAGES = 20
REPEAT = 3


def configure(postgres: bool) -> None:
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 40)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    (ROOT / "var").mkdir(exist_ok=True)
    if postgres:
        base = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
        os.environ["DATABASE_URL"] = f"{base}/{DATABASE}"
        import psycopg

        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            exists = conn.execute("select 1 from pg_database where datname = %s", [DATABASE]).fetchone()
            if not exists:
                conn.execute(f"create database {DATABASE}")
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench-situation.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    import django

    django.setup()


def municipality_codes(count: int) -> list[str]:
    """Current municipalities first (their pages are rendered), padded with made-up codes if short."""
    from kotoverkko.reference.models import Municipality

    codes = list(Municipality.objects.current().order_by("code").values_list("code", flat=True)[:count])
    return codes + [f"{900 + i:03d}" for i in range(count - len(codes))]


def language_codes(count: int) -> list[str]:
    """The total, Finnish, Swedish and count - 3 foreign languages (made-up codes after the real ones)."""
    real = ["ru", "et", "ar", "en", "so", "fa", "zh", "ku", "vi", "uk", "sq", "th", "tr", "es", "de"]
    foreign = real[: max(count - 3, 0)]
    foreign += [f"x{i:03d}" for i in range(count - 3 - len(foreign))]
    return ["SSS", "fi", "sv", *foreign][:count]


def write_px(path: Path, municipalities: int, years_count: int, languages: int, seed: int = 2026) -> int:
    """Write the benchmark PX file line by line; returns its size in bytes."""
    from kotoverkko.reference.models import Municipality
    from kotoverkko.situation.demo import LANGUAGES as LABEL_LANGUAGES
    from kotoverkko.situation.demo import SEX, PxVariable, px_header

    codes = municipality_codes(municipalities)
    region_of = dict(Municipality.objects.filter(code__in=codes).values_list("code", "region_id"))
    regions = sorted({region for region in region_of.values() if region})
    # Like StatFin's tables, the file carries the regions' and the country's own totals, so a
    # page never has to add up every municipality.
    area_codes = [f"KU{code}" for code in codes] + [f"MK{region}" for region in regions] + ["SSS"]
    area = PxVariable(
        names={"fi": "Alue", "sv": "Område", "en": "Area"},
        codes=area_codes,
        labels={language: [f"Alue {code}" for code in area_codes] for language in LABEL_LANGUAGES},
    )
    years = [str(year) for year in range(2024 - years_count + 1, 2025)]
    year = PxVariable(
        names={"fi": "Vuosi", "sv": "År", "en": "Year"},
        codes=years,
        labels={language: years for language in LABEL_LANGUAGES},
        time_unit="A",
    )
    kieli = language_codes(languages)
    language = PxVariable(
        names={"fi": "Kieli", "sv": "Språk", "en": "Language"},
        codes=kieli,
        labels={lang: [f"Kieli {code}" for code in kieli] for lang in LABEL_LANGUAGES},
    )
    title = {
        language: "Benchmark: population by area, year, language and sex (synthetic)"
        for language in LABEL_LANGUAGES
    }
    header = px_header(
        matrix="bench-situation",
        title=title,
        contents=title,
        units={language: "persons" for language in LABEL_LANGUAGES},
        stub=[area, year, language],
        heading=[SEX],
        last_updated="20250101 08:00",
    )
    rng = random.Random(seed)
    width = len(kieli)
    totals = {
        key: [[[0, 0, 0] for _ in range(width)] for _ in range(years_count)] for key in [*regions, "SSS"]
    }

    def block_lines(rows: list[tuple[int, int, int]]) -> str:
        return "\n".join(" ".join('".."' if value < 3 else str(value) for value in row) for row in rows)

    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(header)
        first = True
        for code in codes:
            for year_index in range(years_count):
                # Finnish and Swedish are large, the foreign languages smaller; the total (first
                # row) is the sum of the languages, per sex too. Counts under 3 are suppressed.
                rows = []
                for index in range(1, width):
                    top = 40_000 if index == 1 else 5000 // index
                    total = rng.randint(0, top)
                    males = total // 2
                    rows.append((total, males, total - males))
                rows.insert(0, tuple(sum(row[i] for row in rows) for i in range(3)))
                for key in (region_of.get(code), "SSS"):
                    if key:
                        for row_index, row in enumerate(rows):
                            cell = totals[key][year_index][row_index]
                            for i in range(3):
                                cell[i] += row[i]
                out.write(("" if first else "\n") + block_lines(rows))
                first = False
        for key in [*regions, "SSS"]:
            for year_index in range(years_count):
                out.write("\n" + block_lines([tuple(cell) for cell in totals[key][year_index]]))
        out.write(";\n")
    return path.stat().st_size


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def measure_pages(codes: list[str], repeat: int) -> tuple[float, float, int]:
    """Median and p95 in ms of /situation/<code>/ over the codes, `repeat` times each."""
    from django.test import Client
    from django.urls import reverse

    client = Client()
    paths = [reverse("situation:area", args=[code]) for code in codes]
    warm = client.get(paths[0])  # warm-up: templates, connections
    if warm.status_code != 200 or b'id="languages-heading"' not in warm.content:
        raise SystemExit(f"{paths[0]} answered {warm.status_code} without the language section")
    timings = []
    for _round in range(repeat):
        for path in paths:
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return statistics.median(timings), p95, len(timings)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", action="store_true", help="Use PostgreSQL instead of SQLite.")
    parser.add_argument("--keep-file", action="store_true", help="Reuse var/bench-situation.px if it exists.")
    parser.add_argument("--municipalities", type=int, default=MUNICIPALITIES, help="default %(default)s")
    parser.add_argument("--years", type=int, default=YEARS, help="default %(default)s")
    parser.add_argument(
        "--languages",
        type=int,
        default=LANGUAGES,
        help="values of Kieli, the total included; default %(default)s",
    )
    parser.add_argument(
        "--pages", type=int, default=PAGES, help="municipalities rendered; default %(default)s"
    )
    parser.add_argument(
        "--repeat", type=int, default=REPEAT, help="renders of each page; default %(default)s"
    )
    args = parser.parse_args()
    if args.languages < 4 or args.municipalities < 1 or args.years < 1:
        parser.error("need at least 1 municipality, 1 year and 4 languages (total, fi, sv, one foreign)")
    configure(args.postgres)

    from django.core.management import call_command

    from kotoverkko.reference.models import Municipality
    from kotoverkko.situation.models import Observation
    from kotoverkko.situation.parsers import parse_px
    from kotoverkko.situation.services import dataset_import

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)  # pages link hashed static names
    call_command("createcachetable", verbosity=0)
    if not Municipality.objects.exists():
        call_command("load_reference_data", verbosity=0)
    print(f"Database: {'PostgreSQL ' + DATABASE if args.postgres else 'SQLite var/bench-situation.sqlite3'}")

    started = time.perf_counter()
    if not (args.keep_file and PX_PATH.exists()):
        size = write_px(PX_PATH, args.municipalities, args.years, args.languages)
        print(
            f"Wrote {PX_PATH.relative_to(ROOT)}: {size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s"
        )
    municipal_cells = args.municipalities * args.years * args.languages * SEXES
    print(f"Municipal cells: {municipal_cells:,} (plus the regions' and the country's totals)")
    memory_before = peak_mb()
    started = time.perf_counter()
    with PX_PATH.open("rb") as stream:
        table = parse_px(stream)
        version = dataset_import(
            table=table, source="bench", table_id="bench-situation", file_name=PX_PATH.name, actor=None
        )
    elapsed = time.perf_counter() - started
    print(
        f"Imported {version.cell_count:,} cells in {elapsed:.1f} s"
        f" ({version.cell_count / elapsed:,.0f} cells/s)"
    )
    print(
        f"Peak memory (ru_maxrss): {peak_mb():.0f} MB"
        f" (before the import: {memory_before:.0f} MB); limit 500 MB"
    )
    print(f"Observations in the database (all versions): {Observation.objects.count():,}")

    codes = [code for code in municipality_codes(args.municipalities) if code < "900"]
    step = max(1, len(codes) // args.pages)
    sample = codes[::step][: args.pages]
    median, p95, requests = measure_pages(sample, args.repeat)
    print(
        f"Situation page of a municipality ({len(sample)} municipalities): median {median:.1f} ms,"
        f" p95 {p95:.1f} ms ({requests} requests)"
    )


if __name__ == "__main__":
    main()
