"""Bulk import of listings from CSV and XLSX files: all or nothing, every problem named by row and column.

One row is one listing with one schedule. The columns are documented in `COLUMNS` (shown on the
upload page and in the template's instructions sheet). Row numbers are the ones a spreadsheet
shows: the header is row 1 and the first listing is row 2.

    rows = read_rows(file_obj, filename)          # file → list of {column: text}
    data = parse_rows(rows, actor=user)           # → list[ListingData], or ListingImportFailed
    result = import_listings(file_obj=…, filename=…, actor=user)   # both, then one transaction

Every listing is created through `services.listing_create` (as a draft) inside one transaction;
any problem in any row rolls the whole file back.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any, NamedTuple
from zoneinfo import ZoneInfo

import openpyxl
from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font

from kotoverkko.core.errors import ApplicationError
from kotoverkko.organisations.models import Organisation
from kotoverkko.reference.models import Language, Municipality

from . import policies, recurrence, services
from .enums import GenderRestriction, ListingSection, Registration
from .models import Listing, TargetGroup, Theme

HELSINKI = ZoneInfo("Europe/Helsinki")

MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
# An XLSX file is a zip archive: refuse archives that unpack to far more than any real listing file.
MAX_UNPACKED_BYTES = 80 * 1024 * 1024
# Blank rows are skipped, but reading stops somewhere.
MAX_PHYSICAL_ROWS = MAX_ROWS * 5
MAX_COLUMNS = 300

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
INSTRUCTIONS_SHEET = "Ohjeet – Instructions"  # Excel does not allow "/" in a sheet name.


# --- Column layout ---------------------------------------------------------------------------------

# Multilingual columns: <prefix>_<language code> (fi, sv, en, ar, so, ckb…) or <prefix>_other with
# lines "ar: text". The prefix maps to the ListingData field.
MULTILINGUAL_PREFIXES: dict[str, str] = {
    "title": "title",
    "summary": "summary",
    "description": "description",
    "fee": "fee_info",
    "place": "place_name",
    "accessibility": "accessibility_info",
}
TEXT_LIMITS: dict[str, int] = {
    "title": 300,
    "summary": 2000,
    "description": 10000,
    "fee": 500,
    "place": 300,
    "accessibility": 2000,
}
MULTILINGUAL_COLUMN = re.compile(
    rf"^(?P<prefix>{'|'.join(MULTILINGUAL_PREFIXES)})_(?P<code>[a-z]{{2,3}}|other)$"
)

BOOLEAN_COLUMNS = (
    "has_interpretation",
    "is_for_families",
    "has_childcare",
    "is_accessible",
    "is_free",
    "is_online",
    "criteria_confirmed",
)
PLAIN_COLUMNS = (
    "organisation",
    "section",
    "plain_finnish",
    "themes",
    "target_groups",
    "languages",
    *BOOLEAN_COLUMNS,
    "min_age",
    "max_age",
    "gender_restriction",
    "registration",
    "registration_info",
    "online_url",
    "street_address",
    "postal_code",
    "municipality",
    "latitude",
    "longitude",
    "municipalities_served",
    "co_organisers",
    "contact_email",
    "contact_phone",
    "contact_url",
    "valid_until",
    "start",
    "end",
    "rrule",
    "exdates",
    "rdates",
)
REQUIRED_COLUMNS = ("organisation", "section", "start", "end")


class ColumnDoc(NamedTuple):
    name: str
    fi: str
    sv: str
    en: str
    required: bool = False

    def text(self, language: str | None = None) -> str:
        code = (language or get_language() or "fi")[:2]
        return getattr(self, code, "") if code in ("fi", "sv", "en") else self.en


# The column documentation is shown in all three languages at once in the template's instructions
# sheet, so it is kept here in fi/sv/en rather than in the message catalogues.
COLUMNS: list[ColumnDoc] = [
    ColumnDoc(
        "organisation",
        "Julkaiseva organisaatio: sen numero Kotoverkossa tai Y-tunnus (esim. 0101263-6).",
        "Publicerande organisation: dess nummer i Kotoverkko eller FO-nummer (t.ex. 0101263-6).",
        "Publishing organisation: its number in Kotoverkko or its business ID (e.g. 0101263-6).",
        required=True,
    ),
    ColumnDoc(
        "section",
        "activity = toimintaa maahan muuttaneille, event = tapahtumat ja koulutukset ammattilaisille "
        "ja vapaaehtoisille.",
        "activity = verksamhet för invandrare, event = evenemang och utbildningar för yrkesfolk "
        "och frivilliga.",
        "activity = activities for immigrants, event = events and trainings for professionals and "
        "volunteers.",
        required=True,
    ),
    ColumnDoc(
        "title_fi, title_sv, title_en, title_xx, title_other",
        "Nimi eri kielillä; vähintään yksi. Mikä tahansa kielikoodi käy (title_ar, title_so, title_ckb). "
        'Sarakkeeseen title_other voi kirjoittaa rivin muodossa "ar: teksti".',
        "Namn på olika språk; minst ett. Vilken språkkod som helst går (title_ar, title_so, title_ckb). "
        'I kolumnen title_other kan man skriva rader i formen "ar: text".',
        "Title in different languages; at least one. Any language code works (title_ar, title_so, "
        'title_ckb). The column title_other takes lines of the form "ar: text".',
        required=True,
    ),
    ColumnDoc(
        "summary_xx, description_xx",
        "Lyhyt kuvaus (tarvitaan ennen moderointiin lähettämistä) ja pidempi kuvaus, samoin kielikoodein.",
        "Kort beskrivning (behövs innan annonsen skickas till moderering) och längre beskrivning, "
        "med språkkoder på samma sätt.",
        "Short summary (needed before sending to moderation) and longer description, with language "
        "codes in the same way.",
    ),
    ColumnDoc(
        "plain_finnish",
        "Lyhyt kuvaus selkosuomeksi.",
        "Kort beskrivning på lättläst finska.",
        "A short description in plain Finnish (selkokieli).",
    ),
    ColumnDoc(
        "themes, target_groups",
        "Teemojen ja kohderyhmien tunnisteet puolipisteellä erotettuina (luettelo alla).",
        "Identifierare för teman och målgrupper, åtskilda med semikolon (förteckning nedan).",
        "Identifiers of themes and target groups separated by semicolons (listed below).",
    ),
    ColumnDoc(
        "languages",
        "Kielet, joilla toimintaa järjestetään: kielikoodit puolipisteellä erotettuina, esim. fi;ar;so.",
        "Språk som verksamheten ordnas på: språkkoder åtskilda med semikolon, t.ex. fi;ar;so.",
        "Languages the activity is run in: language codes separated by semicolons, e.g. fi;ar;so.",
    ),
    ColumnDoc(
        "has_interpretation, is_for_families, has_childcare, is_accessible, is_free, is_online",
        "Tulkkaus, perheille, lastenhoito, esteetön tila, maksuton, verkossa: kyllä/ei (myös yes/no, "
        "ja/nej, 1/0). Tyhjä = ei; is_free tyhjä = kyllä.",
        "Tolkning, för familjer, barnpassning, tillgänglig lokal, avgiftsfri, på nätet: ja/nej (även "
        "kyllä/ei, yes/no, 1/0). Tom = nej; is_free tom = ja.",
        "Interpretation, for families, childcare, accessible venue, free, online: yes/no (also "
        "kyllä/ei, ja/nej, 1/0). Empty = no; an empty is_free = yes.",
    ),
    ColumnDoc(
        "accessibility_xx",
        "Tarkemmat esteettömyystiedot kielikoodein.",
        "Närmare uppgifter om tillgänglighet, med språkkoder.",
        "Accessibility details, with language codes.",
    ),
    ColumnDoc(
        "min_age, max_age",
        "Ikäraja vuosina (0–120), tyhjä = ei rajaa.",
        "Åldersgräns i år (0–120), tom = ingen gräns.",
        "Age limits in years (0–120); empty = no limit.",
    ),
    ColumnDoc(
        "gender_restriction",
        "Tyhjä = kaikille, women = vain naisille, men = vain miehille.",
        "Tom = för alla, women = endast kvinnor, men = endast män.",
        "Empty = everyone, women = women only, men = men only.",
    ),
    ColumnDoc(
        "fee_xx",
        "Maksun tiedot kielikoodein, jos toiminta ei ole maksutonta.",
        "Uppgifter om avgiften med språkkoder, om verksamheten inte är avgiftsfri.",
        "Fee details with language codes, if the activity is not free.",
    ),
    ColumnDoc(
        "registration, registration_info",
        "drop_in (tule paikalle), link, phone tai email; muulloin kuin drop_in kirjoita registration_info-"
        "sarakkeeseen linkki, puhelinnumero tai sähköposti.",
        "drop_in (kom på plats), link, phone eller email; annars än drop_in skriv länken, telefonnumret "
        "eller e-postadressen i kolumnen registration_info.",
        "drop_in (just come), link, phone or email; for anything but drop_in write the link, telephone "
        "number or e-mail in registration_info.",
    ),
    ColumnDoc(
        "online_url",
        "Verkkotapahtuman osoite (pakollinen, jos is_online = kyllä).",
        "Adressen till evenemanget på nätet (obligatorisk om is_online = ja).",
        "Address of the online activity (required when is_online = yes).",
    ),
    ColumnDoc(
        "place_xx, street_address, postal_code",
        "Paikan nimi kielikoodein, katuosoite ja postinumero (5 numeroa).",
        "Platsens namn med språkkoder, gatuadress och postnummer (5 siffror).",
        "Name of the place with language codes, street address and postal code (5 digits).",
    ),
    ColumnDoc(
        "municipality",
        "Kunta: kolminumeroinen kuntanumero (esim. 257) tai nimi suomeksi tai ruotsiksi.",
        "Kommun: tresiffrig kommunkod (t.ex. 257) eller namnet på finska eller svenska.",
        "Municipality: three-digit code (e.g. 257) or its name in Finnish or Swedish.",
    ),
    ColumnDoc(
        "latitude, longitude",
        "Koordinaatit desimaaliasteina (WGS84), esim. 60.1237 ja 24.4386.",
        "Koordinater i decimalgrader (WGS84), t.ex. 60.1237 och 24.4386.",
        "Coordinates in decimal degrees (WGS84), e.g. 60.1237 and 24.4386.",
    ),
    ColumnDoc(
        "municipalities_served",
        "Kunnat, joiden asukkaille toiminta on tarkoitettu: kuntanumerot tai nimet puolipisteellä "
        "erotettuina.",
        "Kommuner vars invånare verksamheten är avsedd för: kommunkoder eller namn åtskilda med semikolon.",
        "Municipalities whose residents the activity is for: codes or names separated by semicolons.",
    ),
    ColumnDoc(
        "co_organisers",
        "Muut järjestäjät: organisaatioiden numerot tai Y-tunnukset puolipisteellä erotettuina.",
        "Andra arrangörer: organisationernas nummer eller FO-nummer åtskilda med semikolon.",
        "Co-organisers: organisation numbers or business IDs separated by semicolons.",
    ),
    ColumnDoc(
        "contact_email, contact_phone, contact_url",
        "Julkiset yhteystiedot (ei henkilökohtaisia tietoja).",
        "Offentliga kontaktuppgifter (inga personliga uppgifter).",
        "Public contact details (no personal details).",
    ),
    ColumnDoc(
        "valid_until",
        "Viimeinen voimassaolopäivä: VVVV-KK-PP tai P.K.VVVV.",
        "Sista giltighetsdag: ÅÅÅÅ-MM-DD eller D.M.ÅÅÅÅ.",
        "Last day the listing is valid: YYYY-MM-DD or D.M.YYYY.",
    ),
    ColumnDoc(
        "start",
        "Ensimmäinen alkamisaika Suomen aikaa: VVVV-KK-PP TT:MM tai P.K.VVVV TT.MM.",
        "Första starttid i finsk tid: ÅÅÅÅ-MM-DD TT:MM eller D.M.ÅÅÅÅ TT.MM.",
        "First start in Finnish time: YYYY-MM-DD HH:MM or D.M.YYYY HH.MM.",
        required=True,
    ),
    ColumnDoc(
        "end",
        "Päättymisaika: kellonaika TT:MM (sama päivä) tai koko päivämäärä ja kellonaika.",
        "Sluttid: klockslag TT:MM (samma dag) eller hela datumet och klockslaget.",
        "End: a time HH:MM (the same day) or a full date and time.",
        required=True,
    ),
    ColumnDoc(
        "rrule",
        "Toistosääntö (RFC 5545), esim. FREQ=WEEKLY;BYDAY=TU;UNTIL=20270531 = joka tiistai 31.5.2027 "
        "asti. Tyhjä = kerran.",
        "Upprepningsregel (RFC 5545), t.ex. FREQ=WEEKLY;BYDAY=TU;UNTIL=20270531 = varje tisdag till "
        "31.5.2027. Tom = en gång.",
        "Repeat rule (RFC 5545), e.g. FREQ=WEEKLY;BYDAY=TU;UNTIL=20270531 = every Tuesday until "
        "31 May 2027. Empty = once.",
    ),
    ColumnDoc(
        "exdates, rdates",
        "Peruttujen ja ylimääräisten kertojen päivämäärät puolipisteellä erotettuina.",
        "Datum för inställda och extra tillfällen, åtskilda med semikolon.",
        "Dates of cancelled and extra times, separated by semicolons.",
    ),
    ColumnDoc(
        "criteria_confirmed",
        "kyllä = vahvistan, että ilmoitus täyttää listausehdot (ei kaupallinen, avoin, poliittisesti ja "
        "uskonnollisesti sitoutumaton).",
        "ja = jag bekräftar att annonsen uppfyller kriterierna (icke-kommersiell, öppen, obunden).",
        "yes = I confirm that the listing meets the listing criteria (non-commercial, open, non-aligned).",
    ),
]

TEMPLATE_COLUMNS: list[str] = [
    "organisation",
    "section",
    "title_fi",
    "title_sv",
    "title_en",
    "title_ar",
    "summary_fi",
    "summary_sv",
    "summary_en",
    "summary_ar",
    "description_fi",
    "description_sv",
    "description_en",
    "plain_finnish",
    "themes",
    "target_groups",
    "languages",
    "has_interpretation",
    "is_for_families",
    "has_childcare",
    "is_accessible",
    "accessibility_fi",
    "accessibility_sv",
    "accessibility_en",
    "is_free",
    "fee_fi",
    "fee_sv",
    "fee_en",
    "min_age",
    "max_age",
    "gender_restriction",
    "registration",
    "registration_info",
    "is_online",
    "online_url",
    "place_fi",
    "place_sv",
    "place_en",
    "street_address",
    "postal_code",
    "municipality",
    "latitude",
    "longitude",
    "municipalities_served",
    "co_organisers",
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


# --- Results and problems --------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with the file. `row` as a spreadsheet shows it (header = 1); 0 = the whole file."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row and self.column:
            return _("Row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


class ListingImportFailed(ApplicationError):
    """The file was refused; `problems` lists everything found. Nothing was saved."""

    def __init__(self, problems: Iterable[ImportProblem]) -> None:
        self.problems = sorted(problems, key=lambda problem: problem.row)
        count = len(self.problems)
        super().__init__(
            "import_failed",
            ngettext(
                "The file has %(count)s problem. Nothing was imported.",
                "The file has %(count)s problems. Nothing was imported.",
                count,
            )
            % {"count": count},
        )


@dataclass
class ImportResult:
    count: int
    listings: list[Listing] = field(default_factory=list)  # empty after a dry run
    dry_run: bool = False


def _file_problem(message: str) -> ListingImportFailed:
    return ListingImportFailed([ImportProblem(0, "", message)])


class _Invalid(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- Reading files ---------------------------------------------------------------------------------


def read_rows(file_obj: IO[bytes] | IO[str], filename: str) -> list[dict[str, str]]:
    """The rows below the header as {column: text}; blank rows are kept (as empty values) so that
    list index + 2 is the row number. Raises ListingImportFailed for a file that cannot be read."""
    content = file_obj.read(MAX_BYTES + 1)
    if isinstance(content, str):
        content = content.encode("utf-8")
    if len(content) > MAX_BYTES:
        raise _file_problem(_("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)})
    if not content.strip():
        raise _file_problem(_("The file is empty."))
    extension = Path(filename or "").suffix.lower()
    if content.startswith(b"PK\x03\x04"):
        table = _read_xlsx(content)
    elif extension == ".xlsx":
        raise _file_problem(_xlsx_unreadable())
    elif content.startswith(b"\xd0\xcf\x11\xe0") or extension == ".xls":
        raise _file_problem(_("The old Excel format (.xls) is not supported. Save the file as .xlsx or CSV."))
    elif extension not in ("", ".csv", ".txt"):
        raise _file_problem(_("Upload a CSV or XLSX file."))
    else:
        table = _read_csv(content)
    return _rows_from_table(table)


def _xlsx_unreadable() -> str:
    return _("The file could not be read as an XLSX workbook. Save it again as .xlsx and try once more.")


def _decode(content: bytes) -> str:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        try:
            return content.decode("utf-8-sig")
        except UnicodeDecodeError:
            content = content.removeprefix(codecs.BOM_UTF8)
            try:
                return content.decode("cp1252")
            except UnicodeDecodeError:
                return content.decode("iso-8859-15")  # decodes any byte
    raise _file_problem(_("The file is not a CSV text file. Save it as CSV (UTF-8) or XLSX."))


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    controls = sum(1 for char in text[:20000] if unicodedata.category(char) == "Cc" and char not in "\t\r\n")
    return controls > 0.005 * min(len(text), 20000)


def _read_csv(content: bytes) -> list[list[str]]:
    text = _decode(content)
    if _looks_binary(text):
        raise _file_problem(_("The file is not a CSV text file. Save it as CSV (UTF-8) or XLSX."))
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max(";,\t", key=lambda candidate: (first_line.count(candidate), candidate == ","))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table: list[list[str]] = []
    try:
        for record in reader:
            table.append(record)
            if len(table) > MAX_PHYSICAL_ROWS + 1:
                raise _file_problem(_too_many_rows())
    except csv.Error as error:
        raise _file_problem(
            _("The CSV file could not be read near line %(line)s.") % {"line": reader.line_num}
        ) from error
    return table


def _too_many_rows() -> str:
    return _("The file has more than %(count)s listings. Split it into smaller files.") % {"count": MAX_ROWS}


def _check_archive(content: bytes) -> None:
    """Refuse zip bombs and XML with a document type declaration (entity expansion) before parsing."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
                raise _file_problem(_xlsx_unreadable())
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    with archive.open(member) as handle:
                        if b"<!DOCTYPE" in handle.read(4096).upper():
                            raise _file_problem(_xlsx_unreadable())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as error:
        raise _file_problem(_xlsx_unreadable()) from error


def _read_xlsx(content: bytes) -> list[list[str]]:
    _check_archive(content)
    table: list[list[str]] = []
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise _file_problem(_xlsx_unreadable()) from error
    try:
        if not workbook.worksheets:
            raise _file_problem(_xlsx_unreadable())
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some programs write a wrong dimension; read what is there
        for values in sheet.iter_rows(values_only=True):
            table.append([_cell_text(value) for value in values[:MAX_COLUMNS]])
            if len(table) > MAX_PHYSICAL_ROWS + 1:
                raise _file_problem(_too_many_rows())
    except ListingImportFailed:
        raise
    except Exception as error:
        raise _file_problem(_xlsx_unreadable()) from error
    finally:
        workbook.close()
    return table


def _round_minute(value: datetime.datetime) -> datetime.datetime:
    # Excel stores times as fractions of a day; 17:00 may come back as 16:59:59.999.
    return (value + datetime.timedelta(seconds=30)).replace(second=0, microsecond=0)


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a CSV file would have."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        value = _round_minute(value)
        return f"{value:%Y-%m-%d}" if value.time() == datetime.time() else f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return f"{_round_minute(datetime.datetime.combine(datetime.date(2000, 1, 1), value)):%H:%M}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value).strip()


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _normalise_header(name: str) -> str:
    name = name.replace("\ufeff", "").strip().casefold()
    return re.sub(r"[\s\-]+", "_", name)


def _rows_from_table(table: list[list[str]]) -> list[dict[str, str]]:
    while table and not any(cell.strip() for cell in table[-1]):
        table.pop()
    if not table:
        raise _file_problem(_("The file is empty."))
    if not any(cell.strip() for cell in table[0]):
        raise _file_problem(_("The first row must contain the column names. Start from the template."))
    width = max(len(row) for row in table)
    header = [_normalise_header(name) for name in table[0]] + [""] * (width - len(table[0]))
    data = table[1:]
    problems: list[ImportProblem] = []
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        if not name:
            if any(index < len(row) and row[index].strip() for row in data):
                problems.append(
                    ImportProblem(
                        1, _column_letter(index), _("This column has data but no name in the header row.")
                    )
                )
        elif name in columns:
            problems.append(ImportProblem(1, name, _("The column appears more than once.")))
        else:
            columns[name] = index
    if problems:
        raise ListingImportFailed(problems)
    if not data:
        raise _file_problem(_("The file has a header row but no listings below it."))
    if sum(1 for row in data if any(cell.strip() for cell in row)) > MAX_ROWS:
        raise _file_problem(_too_many_rows())
    return [
        {name: (row[index].strip() if index < len(row) else "") for name, index in columns.items()}
        for row in data
    ]


# --- Parsing rows ----------------------------------------------------------------------------------

LIST_SPLIT = re.compile(r"\s*[;\n]\s*")  # vocabulary labels may contain commas
CODE_LIST_SPLIT = re.compile(r"\s*[;,\n]\s*")
DATE_LIST_SPLIT = re.compile(r"[;,\s]+")
BUSINESS_ID = re.compile(r"^\d{7}-\d$")
OTHER_LANGUAGE_LINE = re.compile(r"^(?P<code>[A-Za-z]{2,3})\s*:\s*(?P<text>.*)$", re.DOTALL)
_DATE = r"(?:(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})|(?P<d2>\d{1,2})\.(?P<m2>\d{1,2})\.(?P<y2>\d{4})\.?)"
_TIME = r"(?:(?:klo|kl)\.?\s*)?(?P<hh>\d{1,2})[:.](?P<mm>\d{2})(?:[:.]\d{2})?"
DATE_PATTERN = re.compile(rf"^{_DATE}$")
DATETIME_PATTERN = re.compile(rf"^{_DATE}(?:\s*T\s*|\s*,?\s+){_TIME}$", re.IGNORECASE)
TIME_PATTERN = re.compile(rf"^{_TIME}$", re.IGNORECASE)
TRUE_WORDS = frozenset({"yes", "y", "kyllä", "kylla", "k", "ja", "j", "true", "1"})
FALSE_WORDS = frozenset({"no", "n", "ei", "e", "nej", "false", "0"})


def _date_from(match: re.Match[str]) -> datetime.date:
    year, month, day = (
        (match["y"], match["m"], match["d"]) if match["y"] else (match["y2"], match["m2"], match["d2"])
    )
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError as error:
        raise _Invalid(_("There is no such date.")) from error


def _time_from(match: re.Match[str]) -> datetime.time:
    try:
        return datetime.time(int(match["hh"]), int(match["mm"]))
    except ValueError as error:
        raise _Invalid(_("There is no such time of day.")) from error


def _date(raw: str) -> datetime.date:
    match = DATE_PATTERN.match(raw)
    if not match:
        raise _Invalid(_("Write the date as YYYY-MM-DD or D.M.YYYY."))
    return _date_from(match)


def _future_date(raw: str) -> datetime.date:
    value = _date(raw)
    if value < timezone.localdate():
        raise _Invalid(_("The date is in the past."))
    return value


def _datetime(raw: str) -> datetime.datetime:
    """A Helsinki wall-clock date and time, made aware."""
    match = DATETIME_PATTERN.match(raw)
    if not match:
        raise _Invalid(_("Write the date and time as YYYY-MM-DD HH:MM or D.M.YYYY HH.MM."))
    return datetime.datetime.combine(_date_from(match), _time_from(match), tzinfo=HELSINKI)


def _end(raw: str, start: datetime.datetime | None) -> datetime.datetime | None:
    time_match = TIME_PATTERN.match(raw)
    if time_match:
        end_time = _time_from(time_match)
        if start is None:
            return None
        end = datetime.datetime.combine(start.date(), end_time, tzinfo=HELSINKI)
    elif DATETIME_PATTERN.match(raw):
        end = _datetime(raw)
    else:
        raise _Invalid(_("Write the end as a time HH:MM or as a date and time YYYY-MM-DD HH:MM."))
    if start is not None and end <= start:
        raise _Invalid(
            _("The end must be after the start. For an end after midnight, give the date and the time.")
        )
    return end


def _date_list(raw: str) -> list[str]:
    values, wrong = [], []
    for part in DATE_LIST_SPLIT.split(raw.strip()):
        if not part:
            continue
        try:
            value = _date(part).isoformat()
        except _Invalid:
            wrong.append(part)
            continue
        if value not in values:
            values.append(value)
    if wrong:
        raise _Invalid(
            _("Not a date: %(values)s. Write dates as YYYY-MM-DD or D.M.YYYY, separated by semicolons.")
            % {"values": ", ".join(wrong)}
        )
    return sorted(values)


def _rrule(raw: str, start: datetime.datetime | None) -> str:
    value = re.sub(r"^\s*RRULE\s*:", "", raw, flags=re.IGNORECASE).strip()
    try:
        return recurrence.validate_rrule(value, starts_at=start)
    except recurrence.RecurrenceError as error:
        raise _Invalid(str(getattr(error, "message", error))) from error


def _boolean(raw: str) -> bool:
    word = raw.strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _Invalid(_("Write yes or no (also kyllä/ei, ja/nej, 1/0)."))


def _age(raw: str) -> int:
    if not raw.isdigit() or int(raw) > 120:
        raise _Invalid(_("Write the age as a whole number from 0 to 120."))
    return int(raw)


def _choice(choices: Iterable[str]) -> Callable[[str], str]:
    allowed = [choice for choice in choices if choice]

    def parse(raw: str) -> str:
        value = raw.strip().casefold().replace("-", "_")
        if value not in allowed:
            raise _Invalid(_("Use one of: %(choices)s.") % {"choices": ", ".join(allowed)})
        return value

    return parse


def _text(limit: int) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if len(raw) > limit:
            raise _Invalid(_("The text is too long: at most %(count)s characters.") % {"count": limit})
        return raw

    return parse


def _form_field(form_field: forms.Field) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        try:
            return form_field.clean(raw)
        except ValidationError as error:
            raise _Invalid(" ".join(str(message) for message in error.messages)) from error

    return parse


_email = _form_field(forms.EmailField(max_length=254))
_url = _form_field(forms.URLField(max_length=200, assume_scheme="https"))


def _postal_code(raw: str) -> str:
    value = raw.replace(" ", "")
    if value.isdigit() and len(value) < 5:
        value = value.zfill(5)  # a spreadsheet drops the leading zero of 02400
    if not (value.isdigit() and len(value) == 5):
        raise _Invalid(_("Write the postal code as five digits."))
    return value


def _coordinate(low: int, high: int) -> Callable[[str], Decimal]:
    def parse(raw: str) -> Decimal:
        try:
            value = Decimal(raw.replace(",", ".").replace(" ", ""))
        except InvalidOperation as error:
            raise _Invalid(_("Write the coordinate as a decimal number, e.g. 60.1699.")) from error
        if not value.is_finite() or not low <= value <= high:
            raise _Invalid(
                _("The coordinate must be between %(low)s and %(high)s (Finland).")
                % {"low": low, "high": high}
            )
        return value.quantize(Decimal("0.000001"))

    return parse


def _unknown(message: str, values: list[str]) -> _Invalid:
    return _Invalid(message % {"values": ", ".join(values)})


class _Lookups:
    """Everything the rows refer to, fetched once per file."""

    def __init__(self, rows: list[dict[str, str]], actor: Any) -> None:
        self.actor = actor
        self.themes = self._vocabulary(Theme.objects.filter(is_active=True))
        self.target_groups = self._vocabulary(TargetGroup.objects.filter(is_active=True))
        languages = list(Language.objects.all())
        self.language_codes = {language.code for language in languages}
        self.languages: dict[str, Language] = {language.code: language for language in languages}
        for language in languages:
            if language.iso639_3:
                self.languages.setdefault(language.iso639_3, language)
        for language in languages:
            for name in (language.name_fi, language.name_sv, language.name_en, language.native_name):
                if name:
                    self.languages.setdefault(name.casefold(), language)
        today = timezone.localdate()
        municipalities = list(Municipality.objects.select_related("successor"))
        self.municipalities: dict[str, Municipality] = {m.code: m for m in municipalities}
        self.current_codes = {m.code for m in Municipality.objects.valid_on(today)}
        for municipality in sorted(municipalities, key=lambda m: m.code not in self.current_codes):
            for name in (municipality.name_fi, municipality.name_sv, municipality.name_en):
                if name:
                    self.municipalities.setdefault(name.casefold(), municipality)
        self._load_organisations(rows)
        self._allowed: dict[int, bool] = {}

    @staticmethod
    def _vocabulary(queryset: Any) -> dict[str, Any]:
        items = list(queryset)
        index = {item.slug.casefold(): item for item in items}
        for item in items:
            for label in (item.label_fi, item.label_sv, item.label_en):
                index.setdefault(label.casefold(), item)
        return index

    def _load_organisations(self, rows: list[dict[str, str]]) -> None:
        references: set[str] = set()
        for row in rows:
            references.add(row.get("organisation", "").strip())
            references.update(CODE_LIST_SPLIT.split(row.get("co_organisers", "").strip()))
        ids = {int(ref) for ref in references if ref.isdigit() and len(ref) < 10}
        business_ids = {ref for ref in references if BUSINESS_ID.match(ref)}
        queryset = Organisation.objects.select_related("parent")
        self.organisations_by_id = {org.pk: org for org in queryset.filter(pk__in=ids)} if ids else {}
        self.organisations_by_business_id: dict[str, list[Organisation]] = {}
        if business_ids:
            for organisation in queryset.filter(business_id__in=business_ids):
                self.organisations_by_business_id.setdefault(organisation.business_id, []).append(
                    organisation
                )

    # --- Parsers bound to the lookups

    def text_language(self, code: str) -> str | None:
        """The platform's code for a language code (ISO 639-3 codes map to ISO 639-1 where one exists)."""
        code = code.casefold()
        if code in self.language_codes:
            return code
        language = self.languages.get(code) if len(code) == 3 else None
        return language.code if language else None

    def organisation(self, raw: str) -> Organisation:
        if raw.isdigit():
            organisation = self.organisations_by_id.get(int(raw))
        elif BUSINESS_ID.match(raw):
            matches = self.organisations_by_business_id.get(raw, [])
            if len(matches) > 1:
                raise _Invalid(
                    _("Several organisations have this business ID; use the organisation's number instead.")
                )
            organisation = matches[0] if matches else None
        else:
            raise _Invalid(_("Write the organisation's number or business ID (e.g. 0101263-6)."))
        if organisation is None:
            raise _Invalid(_("No organisation has this number or business ID."))
        return organisation

    def publisher(self, raw: str) -> Organisation:
        organisation = self.organisation(raw)
        if self.actor is not None:
            if organisation.pk not in self._allowed:
                self._allowed[organisation.pk] = policies.can_publish_for(self.actor, organisation)
            if not self._allowed[organisation.pk]:
                raise _Invalid(_("You may not publish listings for this organisation."))
        return organisation

    def organisation_list(self, raw: str) -> list[Organisation]:
        found, wrong = [], []
        for part in filter(None, CODE_LIST_SPLIT.split(raw)):
            try:
                organisation = self.organisation(part)
            except _Invalid:
                wrong.append(part)
            else:
                if organisation not in found:
                    found.append(organisation)
        if wrong:
            raise _unknown(_("No organisation has this number or business ID: %(values)s."), wrong)
        return found

    def _many(self, raw: str, index: dict[str, Any], message: str, *, split: re.Pattern[str]) -> list[Any]:
        found, wrong = [], []
        for part in filter(None, split.split(raw)):
            item = index.get(part.casefold())
            if item is None:
                wrong.append(part)
            elif item not in found:
                found.append(item)
        if wrong:
            raise _unknown(message, wrong)
        return found

    def theme_list(self, raw: str) -> list[Theme]:
        return self._many(
            raw,
            self.themes,
            _("Unknown theme: %(values)s. Use the identifiers in the instructions."),
            split=LIST_SPLIT,
        )

    def target_group_list(self, raw: str) -> list[TargetGroup]:
        return self._many(
            raw,
            self.target_groups,
            _("Unknown target group: %(values)s. Use the identifiers in the instructions."),
            split=LIST_SPLIT,
        )

    def language_list(self, raw: str) -> list[Language]:
        return self._many(
            raw,
            self.languages,
            _("Unknown language: %(values)s. Use language codes such as fi, ar or ckb."),
            split=CODE_LIST_SPLIT,
        )

    def municipality(self, raw: str) -> Municipality:
        key = raw.zfill(3) if raw.isdigit() else raw.casefold()
        municipality = self.municipalities.get(key)
        if municipality is None:
            raise _unknown(_("Unknown municipality: %(values)s. Use the code or the name."), [raw])
        if municipality.code not in self.current_codes:
            if municipality.successor is not None:
                raise _Invalid(
                    _("The municipality %(name)s no longer exists; use %(successor)s.")
                    % {"name": municipality.name, "successor": municipality.successor.name}
                )
            raise _Invalid(_("The municipality %(name)s no longer exists.") % {"name": municipality.name})
        return municipality

    def municipality_list(self, raw: str) -> list[Municipality]:
        found, wrong = [], []
        for part in filter(None, CODE_LIST_SPLIT.split(raw)):
            try:
                municipality = self.municipality(part)
            except _Invalid:
                wrong.append(part)
            else:
                if municipality not in found:
                    found.append(municipality)
        if wrong:
            raise _unknown(_("Unknown municipality: %(values)s. Use the code or the name."), wrong)
        return found


def _is_title_column(column: str) -> bool:
    match = MULTILINGUAL_COLUMN.match(column)
    return bool(match) and match["prefix"] == "title"


def _check_header(columns: list[str], lookups: _Lookups) -> list[ImportProblem]:
    problems = []
    for column in columns:
        match = MULTILINGUAL_COLUMN.match(column)
        if column in PLAIN_COLUMNS:
            continue
        if match and (match["code"] == "other" or lookups.text_language(match["code"])):
            continue
        if match:
            message = _("Unknown language code in the column name. Use a code such as fi, sv, en, ar or ckb.")
        else:
            message = _("Unknown column. Compare the column names with the template.")
        problems.append(ImportProblem(1, column, message))
    for column in REQUIRED_COLUMNS:
        if column not in columns:
            problems.append(ImportProblem(1, column, _("This column is required.")))
    if not any(_is_title_column(column) for column in columns):
        problems.append(
            ImportProblem(1, "title_fi", _("Add at least one title column, for example title_fi."))
        )
    return problems


class _RowParser:
    """One row → ListingData, collecting every problem of the row."""

    def __init__(self, number: int, row: dict[str, str], lookups: _Lookups) -> None:
        self.number = number
        self.row = row
        self.lookups = lookups
        self.problems: list[ImportProblem] = []

    def problem(self, column: str, message: str) -> None:
        self.problems.append(ImportProblem(self.number, column, message))

    def has_problem(self, column: str) -> bool:
        return any(problem.column == column for problem in self.problems)

    def value(
        self, column: str, parse: Callable[[str], Any], default: Any = None, *, required: bool = False
    ) -> Any:
        raw = self.row.get(column, "").strip()
        if not raw:
            if required:
                self.problem(column, _("This cell must not be empty."))
            return default
        try:
            return parse(raw)
        except _Invalid as error:
            self.problem(column, error.message)
            return default

    def multilingual(self, prefix: str) -> dict[str, str]:
        values: dict[str, str] = {}
        limit = TEXT_LIMITS[prefix]
        for column, raw in self.row.items():
            match = MULTILINGUAL_COLUMN.match(column)
            if not match or match["prefix"] != prefix or not raw.strip():
                continue
            if match["code"] == "other":
                pairs = self._other_languages(column, raw)
            else:
                pairs = [(self.lookups.text_language(match["code"]) or match["code"], raw.strip())]
            for code, text in pairs:
                if len(text) > limit:
                    self.problem(
                        column, _("The text is too long: at most %(count)s characters.") % {"count": limit}
                    )
                elif code in values:
                    self.problem(
                        column, _("The text in the language %(code)s is given twice.") % {"code": code}
                    )
                else:
                    values[code] = text
        return values

    def _other_languages(self, column: str, raw: str) -> list[tuple[str, str]]:
        """Lines "ar: text"; a line without a code continues the text before it."""
        pairs: list[list[str]] = []
        for line in raw.strip().splitlines():
            match = OTHER_LANGUAGE_LINE.match(line.strip())
            code = self.lookups.text_language(match["code"]) if match else None
            if code:
                pairs.append([code, match["text"].strip()])
            elif pairs:
                pairs[-1][1] += "\n" + line
            else:
                self.problem(
                    column, _("Start each line with a language code and a colon, for example “ar: …”.")
                )
                return []
        return [(code, text.strip()) for code, text in pairs if text.strip()]

    def parse(self) -> services.ListingData | None:
        lookups = self.lookups
        organisation = self.value("organisation", lookups.publisher, required=True)
        section = self.value("section", _choice(ListingSection.values), required=True)
        texts = {prefix: self.multilingual(prefix) for prefix in MULTILINGUAL_PREFIXES}
        if not texts["title"] and not any(_is_title_column(p.column) for p in self.problems):
            title_column = next(column for column in self.row if _is_title_column(column))
            self.problem(title_column, _("Write the title in at least one language."))
        flags = {name: self.value(name, _boolean, name == "is_free") for name in BOOLEAN_COLUMNS}
        min_age = self.value("min_age", _age)
        max_age = self.value("max_age", _age)
        if min_age is not None and max_age is not None and min_age > max_age:
            self.problem("min_age", _("The minimum age cannot be greater than the maximum age."))
        registration = self.value("registration", _choice(Registration.values), Registration.DROP_IN)
        registration_info = self.value("registration_info", _text(300), "")
        if registration != Registration.DROP_IN and not registration_info:
            self.problem(
                "registration_info",
                _("Tell where to register: the link, the telephone number or the e-mail address."),
            )
        online_url = self.value("online_url", _url, "")
        if flags["is_online"] and not online_url and not self.has_problem("online_url"):
            self.problem("online_url", _("Give the online address of an online activity."))
        latitude = self.value("latitude", _coordinate(59, 71))
        longitude = self.value("longitude", _coordinate(19, 32))
        for column, value, other in (("latitude", latitude, longitude), ("longitude", longitude, latitude)):
            if value is None and other is not None and not self.has_problem(column):
                self.problem(column, _("Give both the latitude and the longitude."))
        start = self.value("start", _datetime, required=True)
        end = self.value("end", lambda raw: _end(raw, start), required=True)
        schedule_fields = {
            "rrule": self.value("rrule", lambda raw: _rrule(raw, start), ""),
            "exdates": self.value("exdates", _date_list, []),
            "rdates": self.value("rdates", _date_list, []),
        }
        data = {
            "plain_finnish": self.value("plain_finnish", _text(10000), ""),
            "themes": self.value("themes", lookups.theme_list, []),
            "target_groups": self.value("target_groups", lookups.target_group_list, []),
            "languages": self.value("languages", lookups.language_list, []),
            "gender_restriction": self.value("gender_restriction", _choice(GenderRestriction.values), ""),
            "street_address": self.value("street_address", _text(200), ""),
            "postal_code": self.value("postal_code", _postal_code, ""),
            "municipality": self.value("municipality", lookups.municipality),
            "municipalities_served": self.value("municipalities_served", lookups.municipality_list, []),
            "co_organisers": self.value("co_organisers", lookups.organisation_list, []),
            "contact_email": self.value("contact_email", _email, ""),
            "contact_phone": self.value("contact_phone", _text(40), ""),
            "contact_url": self.value("contact_url", _url, ""),
            "valid_until": self.value("valid_until", _future_date),
        }
        if self.problems:
            return None
        return services.ListingData(
            section=section,
            organisation=organisation,
            **{MULTILINGUAL_PREFIXES[prefix]: value for prefix, value in texts.items()},
            **{name: value for name, value in flags.items() if name != "criteria_confirmed"},
            criteria_confirmed=flags["criteria_confirmed"],
            min_age=min_age,
            max_age=max_age,
            registration=registration,
            registration_info=registration_info,
            online_url=online_url,
            latitude=latitude,
            longitude=longitude,
            schedules=[services.ScheduleData(starts_at=start, ends_at=end, **schedule_fields)],
            **data,
        )


def _parse(rows: list[dict[str, str]], *, actor: Any) -> list[tuple[int, services.ListingData]]:
    """(row number, data) for every non-blank row, or ListingImportFailed with every problem."""
    numbered = [
        (index + 2, row) for index, row in enumerate(rows) if any(value.strip() for value in row.values())
    ]
    if not numbered:
        raise _file_problem(_("The file has a header row but no listings below it."))
    if len(numbered) > MAX_ROWS:
        raise _file_problem(_too_many_rows())
    lookups = _Lookups([row for _number, row in numbered], actor)
    problems = _check_header(list(rows[0]), lookups)
    if problems:
        raise ListingImportFailed(problems)
    parsed = []
    for number, row in numbered:
        parser = _RowParser(number, row, lookups)
        data = parser.parse()
        problems.extend(parser.problems)
        if data is not None:
            parsed.append((number, data))
    if problems:
        order = {column: index for index, column in enumerate(rows[0])}
        problems.sort(key=lambda problem: (problem.row, order.get(problem.column, len(order))))
        raise ListingImportFailed(problems)
    return parsed


def parse_rows(rows: list[dict[str, str]], *, actor: Any) -> list[services.ListingData]:
    """The listings in `rows` (from read_rows), or ListingImportFailed naming every problem.

    `actor` None is the system (any organisation); a user must be allowed to publish for every
    organisation in the file."""
    return [data for _number, data in _parse(rows, actor=actor)]


# --- Importing -------------------------------------------------------------------------------------

_FIELD_PREFIXES = {field_name: prefix for prefix, field_name in MULTILINGUAL_PREFIXES.items()}


class _RollBack(Exception):
    pass


def _column_for(field_name: str, columns: list[str], code: str) -> str:
    if code == "not_allowed":
        return "organisation"
    if field_name in _FIELD_PREFIXES:
        prefix = _FIELD_PREFIXES[field_name] + "_"
        return next((column for column in columns if column.startswith(prefix)), prefix + "fi")
    if field_name == "schedules":
        return "start"
    if field_name in ("__all__", "", None):
        return ""
    return field_name


def _service_problems(number: int, error: ApplicationError, columns: list[str]) -> list[ImportProblem]:
    if not error.fields:
        return [ImportProblem(number, _column_for("", columns, error.code), error.message)]
    return [
        ImportProblem(number, _column_for(field_name, columns, error.code), str(message))
        for field_name, messages in error.fields.items()
        for message in messages
    ]


def import_listings(
    *, file_obj: IO[bytes] | IO[str], filename: str, actor: Any, dry_run: bool = False
) -> ImportResult:
    """Create a draft listing for every row of the file, all or nothing.

    Raises ListingImportFailed (an ApplicationError) naming every problem by row and column; then
    nothing is saved. `dry_run` checks everything, the services included, and saves nothing.
    """
    rows = read_rows(file_obj, filename)
    parsed = _parse(rows, actor=actor)
    columns = list(rows[0])
    listings: list[Listing] = []
    problems: list[ImportProblem] = []
    try:
        with transaction.atomic():
            for number, data in parsed:
                try:
                    listings.append(services.listing_create(data=data, actor=actor))
                except ApplicationError as error:
                    problems.extend(_service_problems(number, error, columns))
                except IntegrityError:
                    problems.append(ImportProblem(number, "", _("The listing could not be saved.")))
            if problems or dry_run:
                raise _RollBack
    except _RollBack:
        listings = []
    if problems:
        raise ListingImportFailed(problems)
    return ImportResult(count=len(parsed), listings=listings, dry_run=dry_run)


# --- The template ----------------------------------------------------------------------------------


def _example_row(organisation: Organisation | None, *, today: datetime.date | None = None) -> dict[str, str]:
    """A weekly Tuesday 17:00-19:00 Finnish club from the next Tuesday until the end of May."""
    today = today or timezone.localdate()
    first = today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)
    season_end = datetime.date(first.year + (first.month > 5), 5, 31)
    christmas = datetime.date(season_end.year - 1, 12, 22)
    break_days = [christmas + datetime.timedelta(days=offset) for offset in range(16)]
    exdates = [day.isoformat() for day in break_days if day.weekday() == 1 and first <= day]
    theme = Theme.objects.filter(is_active=True).order_by("position", "slug").first()
    group = TargetGroup.objects.filter(is_active=True).order_by("position", "slug").first()
    return {
        "organisation": str(organisation.pk) if organisation else "",
        "section": ListingSection.ACTIVITY,
        "title_fi": "Suomen kielen kerho",
        "title_sv": "Klubb i finska",
        "title_en": "Finnish language club",
        "title_ar": "نادي اللغة الفنلندية",
        "summary_fi": "Harjoittelemme suomea rennosti kahvin ääressä. Lapsille on hoito.",
        "summary_sv": "Vi övar finska i lugn och ro över en kopp kaffe. Barnpassning ordnas.",
        "summary_en": "We practise Finnish together over coffee. Childcare is available.",
        "summary_ar": "نتدرب على اللغة الفنلندية معًا. تتوفر رعاية للأطفال.",
        "description_fi": (
            "Kerho on avoin kaikille, jotka haluavat oppia suomea. Ei ilmoittautumista: tule paikalle!"
        ),
        "description_sv": "Klubben är öppen för alla som vill lära sig finska. Ingen anmälan: kom bara!",
        "description_en": (
            "The club is open to everyone who wants to learn Finnish. No registration: just come!"
        ),
        "plain_finnish": "Opi suomea. Tule tiistaina kirjastoon. Lapsille on hoito.",
        "themes": theme.slug if theme else "",
        "target_groups": group.slug if group else "",
        "languages": "fi;ar",
        "has_interpretation": "no",
        "is_for_families": "yes",
        "has_childcare": "yes",
        "is_accessible": "yes",
        "accessibility_fi": "Esteetön sisäänkäynti Asematieltä.",
        "accessibility_sv": "Tillgänglig ingång från Stationsvägen.",
        "accessibility_en": "Step-free entrance from Asematie.",
        "is_free": "yes",
        "fee_fi": "",
        "fee_sv": "",
        "fee_en": "",
        "min_age": "",
        "max_age": "",
        "gender_restriction": "",
        "registration": Registration.DROP_IN,
        "registration_info": "",
        "is_online": "no",
        "online_url": "",
        "place_fi": "Kirkkonummen pääkirjasto",
        "place_sv": "Kyrkslätts huvudbibliotek",
        "place_en": "Kirkkonummi Main Library",
        "street_address": "Asematie 7",
        "postal_code": "02400",
        "municipality": "257",
        "latitude": "60.1237",
        "longitude": "24.4386",
        "municipalities_served": "257",
        "co_organisers": "",
        "contact_email": "kerho@example.fi",
        "contact_phone": "",
        "contact_url": "https://example.fi/kerho",
        "valid_until": season_end.isoformat(),
        "start": f"{first.isoformat()} 17:00",
        "end": "19:00",
        "rrule": f"FREQ=WEEKLY;BYDAY=TU;UNTIL={season_end:%Y%m%d}",
        "exdates": ";".join(exdates),
        "rdates": "",
        "criteria_confirmed": "yes",
    }


def template_csv(*, organisation: Organisation | None = None) -> bytes:
    """The header and one example row; UTF-8 with a BOM and ";" so that Excel opens it as it is."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    example = _example_row(organisation)
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerow([example[column] for column in TEMPLATE_COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def vocabulary_terms() -> dict[str, list[Any]]:
    return {
        "themes": list(Theme.objects.filter(is_active=True)),
        "target_groups": list(TargetGroup.objects.filter(is_active=True)),
    }


def template_xlsx(*, organisation: Organisation | None = None) -> bytes:
    """The header and one example row, and a second sheet describing every column in fi/sv/en."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Ilmoitukset – Listings"
    example = _example_row(organisation)
    sheet.append(TEMPLATE_COLUMNS)
    sheet.append([example[column] for column in TEMPLATE_COLUMNS])
    bold = Font(bold=True)
    for index, column in enumerate(TEMPLATE_COLUMNS):
        letter = _column_letter(index)
        sheet[f"{letter}1"].font = bold
        sheet.column_dimensions[letter].width = max(14, min(40, len(example[column]) + 2))
        # Codes with leading zeros and dates stay as typed, not converted by the spreadsheet.
        sheet[f"{letter}2"].number_format = "@"
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet(INSTRUCTIONS_SHEET)
    guide.append(
        [
            "Sarake / Kolumn / Column",
            "Pakollinen / Obligatorisk / Required",
            "Suomeksi",
            "På svenska",
            "In English",
        ]
    )
    for doc in COLUMNS:
        required = "kyllä / ja / yes" if doc.required else ""
        guide.append([doc.name, required, doc.fi, doc.sv, doc.en])
    guide.append([])
    guide.append(["Yleistä / Allmänt / General"])
    guide.append(
        [
            "",
            "",
            "Yksi rivi on yksi ilmoitus. Tuodut ilmoitukset tallentuvat luonnoksiksi; lähetä ne "
            "moderointiin tavalliseen tapaan. Jos jollakin rivillä on virhe, mitään ei tallenneta.",
            "En rad är en annons. Importerade annonser sparas som utkast; skicka dem till moderering "
            "som vanligt. Om någon rad har ett fel sparas ingenting.",
            "One row is one listing. Imported listings are saved as drafts; send them to moderation as "
            "usual. If any row has an error, nothing is saved.",
        ]
    )
    terms = vocabulary_terms()
    for heading, items in (
        ("themes: teemat / teman / themes", terms["themes"]),
        ("target_groups: kohderyhmät / målgrupper / target groups", terms["target_groups"]),
    ):
        guide.append([])
        guide.append([heading])
        for item in items:
            guide.append([item.slug, "", item.label_fi, item.label_sv, item.label_en])
    for cell in guide[1]:
        cell.font = bold
    for letter, width in zip("ABCDE", (34, 18, 60, 60, 60), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
