"""Bulk import from CSV and XLSX: all or nothing, every problem named by row and column."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext, ngettext

from kotoverkko.accounts.roles import Role
from kotoverkko.activities import importing
from kotoverkko.activities.enums import ListingStatus
from kotoverkko.activities.models import Listing
from kotoverkko.activities.tests.factories import TargetGroupFactory, ThemeFactory, next_weekday
from kotoverkko.core.errors import ApplicationError
from kotoverkko.organisations.tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db

# The services and the command speak the active language: Finnish (the default) in these tests, and
# the language of the address on the pages (Finnish has no prefix).
ROW_COLUMN = "Row %(row)s, column %(column)s: %(message)s"
IMPORTED = ("%(count)s listing was imported as a draft.", "%(count)s listings were imported as drafts.")


def _in(language: str, msgid: str, /, **values: object) -> str:
    """`msgid` as the code says it in `language`, filled in with `values` (plain text)."""
    with translation.override(language):
        text = gettext(msgid)
    return text % values if values else text


def _count_in(language: str, singular: str, plural: str, count: int) -> str:
    """The singular or plural message for `count` in `language`, with the count filled in."""
    with translation.override(language):
        return ngettext(singular, plural, count) % {"count": count}


def _row_column(language: str, row: int, column: str) -> str:
    """How a problem line starts in `language`: the row and the column, before the message."""
    return _in(language, ROW_COLUMN, row=row, column=column, message="")


HEADER = [
    "organisation",
    "section",
    "title_fi",
    "title_sv",
    "title_en",
    "title_ar",
    "summary_fi",
    "summary_so",
    "description_en",
    "plain_finnish",
    "themes",
    "target_groups",
    "languages",
    "has_interpretation",
    "is_for_families",
    "has_childcare",
    "is_accessible",
    "is_free",
    "is_online",
    "min_age",
    "max_age",
    "gender_restriction",
    "fee_fi",
    "registration",
    "registration_info",
    "online_url",
    "place_fi",
    "street_address",
    "postal_code",
    "municipality",
    "latitude",
    "longitude",
    "municipalities_served",
    "contact_email",
    "contact_phone",
    "contact_url",
    "valid_until",
    "start",
    "end",
    "rrule",
    "exdates",
    "rdates",
    "criteria_confirmed",
]


@pytest.fixture
def vocabulary():
    return {
        "theme": ThemeFactory(slug="language-learning", label_fi="Kielen oppiminen"),
        "other_theme": ThemeFactory(slug="children-and-families", label_fi="Lapset ja perheet"),
        "group": TargetGroupFactory(slug="women", label_fi="Naiset"),
    }


@pytest.fixture
def organisation():
    return OrganisationFactory(business_id="1234567-8", name={"fi": "Kotoutumisyhdistys ry"})


@pytest.fixture
def editor(organisation):
    return member(Role.EDITOR, organisation)


def _tuesday() -> datetime.date:
    return next_weekday(1).date()


def good_row(organisation, /, **overrides) -> dict[str, str]:
    tuesday = _tuesday()
    row = {
        "organisation": organisation.business_id,
        "section": "activity",
        "title_fi": "Suomen kielen kerho",
        "title_sv": "Klubb i finska",
        "title_en": "Finnish language club",
        "title_ar": "نادي اللغة الفنلندية",
        "summary_fi": "Harjoittelemme suomea rennosti.",
        "summary_so": "Waxaan ku celcelinaa luqadda Finnishka.",
        "description_en": "Open to everyone who wants to learn Finnish.",
        "plain_finnish": "Opi suomea tiistaina.",
        "themes": "language-learning; children-and-families",
        "target_groups": "women",
        "languages": "fi;ar;ckb",
        "has_interpretation": "kyllä",
        "is_for_families": "ja",
        "has_childcare": "yes",
        "is_accessible": "1",
        "is_free": "ei",
        "is_online": "no",
        "min_age": "16",
        "max_age": "99",
        "gender_restriction": "women",
        "fee_fi": "2 € / kerta",
        "registration": "email",
        "registration_info": "kerho@example.fi",
        "online_url": "",
        "place_fi": "Kirkkonummen pääkirjasto",
        "street_address": "Asematie 7",
        "postal_code": "02400",
        "municipality": "Kirkkonummi",
        "latitude": "60,1237",
        "longitude": "24.4386",
        "municipalities_served": "257; Espoo",
        "contact_email": "info@example.fi",
        "contact_phone": "+358 9 000 0000",
        "contact_url": "example.fi/kerho",
        "valid_until": f"31.5.{tuesday.year + 1}",
        "start": f"{tuesday.day}.{tuesday.month}.{tuesday.year} 17.00",
        "end": "19:00",
        "rrule": f"FREQ=WEEKLY;BYDAY=TU;UNTIL={tuesday.year + 1}0531",
        "exdates": (tuesday + datetime.timedelta(days=14)).isoformat(),
        "rdates": (tuesday + datetime.timedelta(days=3)).strftime("%d.%m.%Y"),
        "criteria_confirmed": "kyllä",
    }
    row.update(overrides)
    return row


def csv_bytes(
    rows: list[dict[str, str]],
    *,
    header: list[str] | None = None,
    delimiter: str = ";",
    encoding: str = "utf-8-sig",
) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    header = header or list(rows[0])
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return buffer.getvalue().encode(encoding)


def run_import(content: bytes, actor, filename: str = "listings.csv", **kwargs) -> importing.ImportResult:
    return importing.import_listings(file_obj=io.BytesIO(content), filename=filename, actor=actor, **kwargs)


def problems_of(content: bytes, actor, filename: str = "listings.csv") -> list[importing.ImportProblem]:
    with pytest.raises(importing.ListingImportFailed) as failure:
        run_import(content, actor, filename)
    return failure.value.problems


def where(problems: list[importing.ImportProblem]) -> set[tuple[int, str]]:
    return {(problem.row, problem.column) for problem in problems}


# --- Good files ----------------------------------------------------------------------------------


def test_import__utf8_bom_semicolon_csv__creates_drafts_with_every_field(vocabulary, organisation, editor):
    second = good_row(
        organisation, title_fi="Naisten kielikahvila", title_ar="", rrule="", exdates="", rdates=""
    )
    content = csv_bytes([good_row(organisation), second], header=HEADER)
    assert content.startswith(b"\xef\xbb\xbf")

    result = run_import(content, editor)

    assert result.count == 2
    assert Listing.objects.count() == 2
    listing = Listing.objects.get(pk=result.listings[0].pk)
    assert listing.status == ListingStatus.DRAFT
    assert listing.organisation == organisation
    assert listing.title == {
        "fi": "Suomen kielen kerho",
        "sv": "Klubb i finska",
        "en": "Finnish language club",
        "ar": "نادي اللغة الفنلندية",
    }
    assert listing.summary["so"] == "Waxaan ku celcelinaa luqadda Finnishka."
    assert listing.description == {"en": "Open to everyone who wants to learn Finnish."}
    assert listing.plain_finnish == "Opi suomea tiistaina."
    assert {theme.slug for theme in listing.themes.all()} == {"language-learning", "children-and-families"}
    assert [group.slug for group in listing.target_groups.all()] == ["women"]
    assert {language.code for language in listing.languages.all()} == {"fi", "ar", "ckb"}
    flags = ["has_interpretation", "is_for_families", "has_childcare", "is_accessible"]
    flags += ["is_free", "is_online"]
    assert [getattr(listing, name) for name in flags] == [True, True, True, True, False, False]
    assert (listing.min_age, listing.max_age, listing.gender_restriction) == (16, 99, "women")
    assert listing.fee_info == {"fi": "2 € / kerta"}
    assert (listing.registration, listing.registration_info) == ("email", "kerho@example.fi")
    assert listing.place_name == {"fi": "Kirkkonummen pääkirjasto"}
    assert (listing.street_address, listing.postal_code, listing.municipality_id) == (
        "Asematie 7",
        "02400",
        "257",
    )
    assert (listing.latitude, listing.longitude) == (Decimal("60.123700"), Decimal("24.438600"))
    assert {m.code for m in listing.municipalities_served.all()} == {"257", "049"}
    assert listing.contact_email == "info@example.fi"
    assert listing.contact_url == "https://example.fi/kerho"
    assert listing.valid_until == datetime.date(_tuesday().year + 1, 5, 31)
    assert listing.criteria_confirmed_at is not None
    schedule = listing.schedules.get()
    start = schedule.starts_at.astimezone(importing.HELSINKI)
    assert (start.date(), start.hour, start.minute) == (_tuesday(), 17, 0)
    assert schedule.ends_at - schedule.starts_at == datetime.timedelta(hours=2)
    assert schedule.rrule.startswith("FREQ=WEEKLY")
    assert "BYDAY=TU" in schedule.rrule
    assert schedule.exdates == [(_tuesday() + datetime.timedelta(days=14)).isoformat()]
    assert schedule.rdates == [(_tuesday() + datetime.timedelta(days=3)).isoformat()]
    assert listing.occurrences.count() > 10  # weekly until the end of May
    assert listing.next_occurrence_at is not None
    assert Listing.objects.get(pk=result.listings[1].pk).schedules.get().rrule == ""


def test_import__xlsx_with_typed_cells__creates_drafts(vocabulary, organisation, editor):
    tuesday = _tuesday()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    header = ["organisation", "section", "title_fi", "title_ar", "title_other", "themes", "languages"]
    header += ["is_free", "postal_code", "municipality", "latitude", "longitude", "min_age"]
    header += ["valid_until", "start", "end", "rrule", "criteria_confirmed"]
    sheet.append(header)
    sheet.append(
        [
            organisation.pk,  # a number cell
            "activity",
            "Suomen kielen kerho",
            "نادي اللغة الفنلندية",
            "so: Kooxda luqadda Finnishka\nckb: یانەی زمانی فینلەندی",
            "language-learning",
            "fi;ar",
            True,
            2400,  # the spreadsheet dropped the leading zero
            257,
            60.1237,
            24.4386,
            16.0,
            datetime.datetime(tuesday.year + 1, 5, 31),  # noqa: DTZ001 (a spreadsheet's date cell)
            datetime.datetime.combine(tuesday, datetime.time(16, 59, 59, 999000)),  # Excel's float error
            datetime.time(19, 0),
            "RRULE:FREQ=WEEKLY;BYDAY=TU",
            "kyllä",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = run_import(buffer.getvalue(), editor, "listings.xlsx")

    listing = result.listings[0]
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DRAFT
    assert listing.organisation == organisation
    assert listing.title == {
        "fi": "Suomen kielen kerho",
        "ar": "نادي اللغة الفنلندية",
        "so": "Kooxda luqadda Finnishka",
        "ckb": "یانەی زمانی فینلەندی",
    }
    assert listing.is_free is True
    assert (listing.postal_code, listing.municipality_id, listing.min_age) == ("02400", "257", 16)
    assert listing.latitude == Decimal("60.123700")
    assert listing.valid_until == datetime.date(tuesday.year + 1, 5, 31)
    schedule = listing.schedules.get()
    start = schedule.starts_at.astimezone(importing.HELSINKI)
    end = schedule.ends_at.astimezone(importing.HELSINKI)
    assert (start.date(), start.time(), end.time()) == (tuesday, datetime.time(17), datetime.time(19))
    assert schedule.rrule == "FREQ=WEEKLY;BYDAY=TU"


def test_import__windows_1252_csv__decodes_scandinavian_letters(organisation, editor):
    row = good_row(
        organisation, title_fi="Kielikahvila Äänekoskella", title_ar="", themes="", target_groups=""
    )
    row["municipality"] = "Äänekoski"
    content = csv_bytes(
        [row], header=[c for c in HEADER if c != "title_ar"], delimiter=",", encoding="cp1252"
    )
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")

    rows = importing.read_rows(io.BytesIO(content), "listings.csv")
    result = run_import(content, editor)

    assert rows[0]["title_fi"] == "Kielikahvila Äänekoskella"
    assert result.listings[0].title["fi"] == "Kielikahvila Äänekoskella"
    assert result.listings[0].municipality.name_fi == "Äänekoski"


def test_import__system_actor__may_import_for_any_organisation(vocabulary, organisation):
    result = run_import(csv_bytes([good_row(organisation)]), None)

    assert result.listings[0].organisation == organisation


def test_import__dry_run__checks_everything_and_saves_nothing(vocabulary, organisation, editor):
    result = run_import(csv_bytes([good_row(organisation)] * 3), editor, dry_run=True)

    assert (result.count, result.listings, result.dry_run) == (3, [], True)
    assert Listing.objects.count() == 0


def test_read_rows__blank_rows_and_columns__keep_the_spreadsheet_row_numbers(
    vocabulary, organisation, editor
):
    content = csv_bytes([good_row(organisation), {}, good_row(organisation, start="tomorrow")], header=HEADER)

    problems = problems_of(content, editor)

    assert where(problems) == {(4, "start")}


# --- Bad files: every problem by row and column, nothing saved -------------------------------------


def bad_file(organisation) -> bytes:
    return csv_bytes(
        [
            good_row(organisation),
            good_row(organisation, start="31.2.2027 17.00"),
            good_row(organisation, themes="language-learning;knitting"),
            good_row(organisation, municipality="Atlantis"),
            good_row(organisation, rrule="FREQ=SOMETIMES;BYDAY=TU"),
        ],
        header=HEADER,
    )


def test_import__errors_in_several_rows__names_each_row_and_column_and_saves_nothing(
    vocabulary, organisation, editor
):
    Listing.objects.all().delete()
    before = Listing.objects.count()

    problems = problems_of(bad_file(organisation), editor)

    assert where(problems) == {(3, "start"), (4, "themes"), (5, "municipality"), (6, "rrule")}
    assert Listing.objects.count() == before
    by_row = {problem.row: problem for problem in problems}
    assert "knitting" in by_row[4].message
    assert "Atlantis" in by_row[5].message
    assert "SOMETIMES" in by_row[6].message
    assert str(by_row[4]) == _in("fi", ROW_COLUMN, row=4, column="themes", message=by_row[4].message)


def test_import__finnish_active__problems_in_finnish(vocabulary, organisation, editor):
    with translation.override("fi"):
        problems = problems_of(bad_file(organisation), editor)
        expected_message = gettext("Unknown theme: %(values)s. Use the identifiers in the instructions.") % {
            "values": "knitting"
        }
        expected_line = gettext("Row %(row)s, column %(column)s: %(message)s") % {
            "row": 4,
            "column": "themes",
            "message": expected_message,
        }
        date_message = gettext("There is no such date.")
        theme_problem = next(problem for problem in problems if problem.row == 4)
        assert theme_problem.message == expected_message
        assert str(theme_problem) == expected_line
    assert next(problem for problem in problems if problem.row == 3).message == date_message


def test_import_page__swedish__shows_problems_in_swedish_and_saves_nothing(
    client, vocabulary, organisation, editor
):
    client.force_login(editor)
    with translation.override("sv"):
        url = reverse("activities:import")
        expected = gettext("Unknown theme: %(values)s. Use the identifiers in the instructions.") % {
            "values": "knitting"
        }
        heading = gettext("Problems in the file")
    assert url.startswith("/sv/")

    upload = io.BytesIO(bad_file(organisation))
    upload.name = "listings.csv"
    response = client.post(url, {"file": upload})

    assert response.status_code == 200
    content = response.content.decode()
    assert escape(expected) in content
    assert escape(heading) in content
    assert '<html lang="sv">' in content
    assert Listing.objects.count() == 0


def test_import__service_refuses_a_row__names_the_row_and_rolls_back_earlier_rows(
    monkeypatch, vocabulary, organisation, editor
):
    real_create = importing.services.listing_create
    calls = []

    def create_or_refuse(*, data, actor):
        calls.append(data)
        if len(calls) == 2:
            raise ApplicationError("invalid", "Nope.", fields={"title": ["Nope."], "contact_phone": ["Bad."]})
        return real_create(data=data, actor=actor)

    monkeypatch.setattr(importing.services, "listing_create", create_or_refuse)

    problems = problems_of(csv_bytes([good_row(organisation)] * 3, header=HEADER), editor)

    assert len(calls) == 3  # every row is tried, so every problem is reported at once
    assert [(p.row, p.column, p.message) for p in problems] == [
        (3, "title_fi", "Nope."),
        (3, "contact_phone", "Bad."),
    ]
    assert Listing.objects.count() == 0


def test_import__organisation_the_user_may_not_publish_for__refused(vocabulary, organisation, editor):
    other = OrganisationFactory(business_id="7654321-0")
    content = csv_bytes(
        [good_row(organisation), good_row(other), good_row(organisation, organisation=str(other.pk))]
    )

    problems = problems_of(content, editor)

    assert where(problems) == {(3, "organisation"), (4, "organisation")}
    assert problems[0].message == gettext("You may not publish listings for this organisation.")
    assert Listing.objects.count() == 0


def test_import__unknown_and_missing_columns__named_in_the_header_row(organisation, editor):
    row = {"organisation": organisation.pk, "section": "activity", "title_arabic": "x", "colour": "red"}

    problems = problems_of(csv_bytes([row]), editor)

    assert where(problems) == {
        (1, "title_arabic"),
        (1, "colour"),
        (1, "start"),
        (1, "end"),
        (1, "title_fi"),
    }


def test_import__value_problems__each_named(vocabulary, organisation, editor):
    rows = [
        good_row(
            organisation,
            section="course",
            title_fi="",
            title_sv="",
            title_en="",
            title_ar="",
            is_free="maybe",
            min_age="50",
            max_age="20",
            registration="link",
            registration_info="",
            contact_email="not an address",
            postal_code="ABC",
            latitude="45",
            end="16:00",
            exdates="someday",
            languages="fi;klingon",
        ),
        good_row(organisation, organisation="", is_online="yes", online_url="", end="31.12.1999 10.00"),
        good_row(organisation, organisation="9999999-9", valid_until="1.1.2000", gender_restriction="kids"),
    ]

    problems = problems_of(csv_bytes(rows, header=HEADER), editor)

    row_2 = [problem.column for problem in problems if problem.row == 2]
    assert row_2 == sorted(row_2, key=HEADER.index)  # in the order of the columns
    assert where(problems) == {
        (2, "section"),
        (2, "title_fi"),
        (2, "is_free"),
        (2, "min_age"),
        (2, "registration_info"),
        (2, "contact_email"),
        (2, "postal_code"),
        (2, "latitude"),
        (2, "end"),
        (2, "exdates"),
        (2, "languages"),
        (3, "organisation"),
        (3, "online_url"),
        (3, "end"),
        (4, "organisation"),
        (4, "valid_until"),
        (4, "gender_restriction"),
    }


def test_parse_rows__other_language_columns__lines_with_codes(organisation):
    base = {"organisation": str(organisation.pk), "section": "event", "start": "2030-01-02 09:00"}
    rows = [
        {
            **base,
            "end": "2030-01-03 15:00",
            "title_other": "ar: عنوان\nso: Cinwaan\nsecond line",
            "title_fi": "",
        },
        {**base, "end": "12.00", "title_other": "just a title", "title_fi": ""},
    ]

    with pytest.raises(importing.ListingImportFailed) as failure:
        importing.parse_rows(rows, actor=None)
    [data] = importing.parse_rows(rows[:1], actor=None)

    assert where(failure.value.problems) == {(3, "title_other")}
    assert data.title == {"ar": "عنوان", "so": "Cinwaan\nsecond line"}
    assert data.section == "event"
    assert data.schedules[0].ends_at - data.schedules[0].starts_at == datetime.timedelta(hours=30)


NOT_CSV = "The file is not a CSV text file. Save it as CSV (UTF-8) or XLSX."
XLSX_UNREADABLE = "The file could not be read as an XLSX workbook. Save it again as .xlsx and try once more."


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
            "listings.csv",
            NOT_CSV,
        ),
        (b"PK\x03\x04 this is not really a zip archive", "listings.xlsx", XLSX_UNREADABLE),
        (b"\x00\x01\x02 random bytes", "listings.xlsx", XLSX_UNREADABLE),
        (b"%PDF-1.7 something", "listings.pdf", "Upload a CSV or XLSX file."),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "listings.xls",
            "The old Excel format (.xls) is not supported. Save the file as .xlsx or CSV.",
        ),
        (b"", "listings.csv", "The file is empty."),
        (b"\r\n \r\n", "listings.csv", "The file is empty."),
        (
            b"organisation;section;title_fi;start;end\r\n;;;;\r\n",
            "x.csv",
            "The file has a header row but no listings below it.",
        ),
    ],
)
def test_import__unusable_file__one_clear_problem(editor, content, filename, message):
    problems = problems_of(content, editor, filename)

    assert len(problems) == 1
    assert problems[0].row == 0
    assert problems[0].message == _in("fi", message)


def test_import__too_many_rows__refused(organisation, editor):
    row = good_row(organisation, themes="", target_groups="")
    problems = problems_of(csv_bytes([row] * (importing.MAX_ROWS + 1)), editor)

    assert problems[0].message == _in(
        "fi", "The file has more than %(count)s listings. Split it into smaller files.", count=2000
    )


def test_import__too_large__refused(editor):
    problems = problems_of(b"organisation\n" + b"1\n" * (importing.MAX_BYTES // 2 + 1), editor)

    assert problems[0].message == _in("fi", "The file is larger than %(size)s MB.", size=5)


def test_read_rows__duplicate_column_and_data_without_header__named(editor):
    content = b"organisation,title_fi,title_fi,\n1,a,b,c\n"

    problems = problems_of(content, editor)

    assert where(problems) == {(1, "title_fi"), (1, "D")}


# --- The management command ------------------------------------------------------------------------


def test_command__bad_file__prints_every_problem_and_fails_creating_nothing(
    tmp_path, vocabulary, organisation
):
    path = tmp_path / "listings.csv"
    path.write_bytes(bad_file(organisation))
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_listings", str(path), stdout=out, stderr=err)

    lines = err.getvalue().splitlines()
    assert any(line.startswith(_row_column("fi", 3, "start")) for line in lines)
    assert any(line.startswith(_row_column("fi", 4, "themes")) for line in lines)
    assert any(line.startswith(_row_column("fi", 5, "municipality")) for line in lines)
    assert any(line.startswith(_row_column("fi", 6, "rrule")) for line in lines)
    assert Listing.objects.count() == 0


def test_command__good_file__creates_drafts_and_prints_the_count(tmp_path, vocabulary, organisation):
    path = tmp_path / "listings.csv"
    path.write_bytes(csv_bytes([good_row(organisation)] * 2))
    out = io.StringIO()

    call_command("import_listings", str(path), stdout=out)

    assert _count_in("fi", *IMPORTED, 2) in out.getvalue()
    assert Listing.objects.filter(status=ListingStatus.DRAFT).count() == 2


def test_command__as_user__their_rights_apply(tmp_path, vocabulary, organisation):
    outsider = member(Role.EDITOR)
    path = tmp_path / "listings.csv"
    path.write_bytes(csv_bytes([good_row(organisation)]))
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_listings", str(path), "--as", outsider.email, stderr=err)
    call_command(
        "import_listings", str(path), "--as", member(Role.EDITOR, organisation).email, stdout=io.StringIO()
    )

    refusal = _in("fi", "You may not publish listings for this organisation.")
    assert _in("fi", ROW_COLUMN, row=2, column="organisation", message=refusal) in err.getvalue()
    assert Listing.objects.count() == 1


def test_command__dry_run_and_missing_things__save_nothing(tmp_path, vocabulary, organisation):
    path = tmp_path / "listings.xlsx"
    path.write_bytes(importing.template_xlsx(organisation=organisation))
    out = io.StringIO()

    call_command("import_listings", str(path), "--dry-run", stdout=out)
    with pytest.raises(CommandError):
        call_command("import_listings", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError):
        call_command("import_listings", str(path), "--as", "nobody@example.fi")

    can_be_imported = (
        "The file is fine: %(count)s listing can be imported. Nothing was saved.",
        "The file is fine: %(count)s listings can be imported. Nothing was saved.",
    )
    assert _count_in("fi", *can_be_imported, 1) in out.getvalue()
    assert Listing.objects.count() == 0


# --- The template and the page ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_import_template__downloads_and_parses_back(client, vocabulary, organisation, editor, kind):
    client.force_login(editor)

    response = client.get(reverse("activities:import_template"), {"format": kind})

    assert response.status_code == 200
    assert f"kotoverkko-listings-template.{kind}" in response["Content-Disposition"]
    rows = importing.read_rows(io.BytesIO(response.content), f"template.{kind}")
    assert list(rows[0]) == importing.TEMPLATE_COLUMNS
    assert rows[0]["title_fi"] == "Suomen kielen kerho"
    assert rows[0]["organisation"] == str(organisation.pk)
    assert rows[0]["rrule"].startswith("FREQ=WEEKLY;BYDAY=TU")
    assert rows[0]["themes"] == "children-and-families"  # the first active theme
    # The example is itself a valid listing: a weekly Tuesday 17-19 club.
    listing = run_import(response.content, editor, f"template.{kind}").listings[0]
    schedule = listing.schedules.get()
    start = schedule.starts_at.astimezone(importing.HELSINKI)
    assert (start.weekday(), start.hour, schedule.ends_at.astimezone(importing.HELSINKI).hour) == (1, 17, 19)


def test_import_template__xlsx__has_instructions_sheet_in_three_languages(client, vocabulary, editor):
    client.force_login(editor)

    response = client.get(reverse("activities:import_template"), {"format": "xlsx"})

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Ilmoitukset – Listings", importing.INSTRUCTIONS_SHEET]
    guide = [row for row in workbook[importing.INSTRUCTIONS_SHEET].iter_rows(values_only=True)]
    names = {row[0] for row in guide}
    assert {"organisation", "section", "start", "end", "rrule", "criteria_confirmed"} <= names
    organisation_row = next(row for row in guide if row[0] == "organisation")
    assert "Y-tunnus" in organisation_row[2]
    assert "FO-nummer" in organisation_row[3]
    assert "business ID" in organisation_row[4]
    assert "language-learning" in names  # the theme identifiers are listed


def test_import_template__unknown_format__404(client, editor):
    client.force_login(editor)

    assert client.get(reverse("activities:import_template"), {"format": "pdf"}).status_code == 404


def test_import_page__get__explains_columns_and_drafts(client, vocabulary, organisation, editor):
    client.force_login(editor)

    response = client.get(reverse("activities:import"))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in content
    assert escape(_in("fi", "Imported listings are saved as drafts.")) in content
    assert "title_fi, title_sv, title_en" in content
    assert "language-learning" in content
    assert "1234567-8" in content  # the editor's organisation to write in the file


def test_import_page__good_file__redirects_and_links_the_drafts(client, vocabulary, organisation, editor):
    client.force_login(editor)
    upload = io.BytesIO(csv_bytes([good_row(organisation)] * 2))
    upload.name = "listings.csv"

    response = client.post(reverse("activities:import"), {"file": upload}, follow=True)

    content = response.content.decode()
    listings = list(Listing.objects.order_by("pk"))
    assert len(listings) == 2
    assert all(listing.status == ListingStatus.DRAFT for listing in listings)
    assert escape(_count_in("fi", *IMPORTED, 2)) in content
    for listing in listings:
        assert reverse("activities:preview", args=[listing.pk]) in content
    assert reverse("activities:mine") in content
    # The list is shown once: a reload does not show (or import) it again.
    assert (
        reverse("activities:preview", args=[listings[0].pk])
        not in client.get(reverse("activities:import")).content.decode()
    )


def test_import_page__check_only__saves_nothing(client, vocabulary, organisation, editor):
    client.force_login(editor)
    upload = io.BytesIO(csv_bytes([good_row(organisation)]))
    upload.name = "listings.csv"

    response = client.post(reverse("activities:import"), {"file": upload, "check": "1"}, follow=True)

    can_be_imported = (
        "The file is fine: %(count)s listing can be imported. Nothing was saved yet.",
        "The file is fine: %(count)s listings can be imported. Nothing was saved yet.",
    )
    assert escape(_count_in("fi", *can_be_imported, 1)) in response.content.decode()
    assert Listing.objects.count() == 0


def test_import_page__picture_instead_of_csv__clear_problem_not_500(client, editor):
    client.force_login(editor)
    upload = io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    upload.name = "listings.csv"

    response = client.post(reverse("activities:import"), {"file": upload})

    assert response.status_code == 200
    assert escape(_in("fi", NOT_CSV)) in response.content.decode()


def test_import_page__no_file__form_error(client, editor):
    client.force_login(editor)

    response = client.post(reverse("activities:import"), {})

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
